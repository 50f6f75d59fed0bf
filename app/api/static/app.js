// Streams text to /v1/stream and plays 16-bit PCM frames with the Web Audio API as they arrive.
"use strict";

const $ = (id) => document.getElementById(id);
const SAMPLE_RATE = 24000;   // asked of the server; the AudioContext runs at the same rate
const LEAD_S = 0.05;         // scheduling margin so the first frame is not late

let socket = null;
let audio = null;
let playhead = 0;            // AudioContext time where the next frame starts
let contextStart = 0;        // AudioContext time of the context's first sample
let contextId = null;
let contextCount = 0;
let speaking = false;          // our context is open on the server
let highlightTimer = null;
const wordSpans = [];

function apiKey() { return $("api-key").value.trim(); }
function status(text) { $("status").textContent = text; }

async function loadVoices() {
  const headers = apiKey() ? { Authorization: `Bearer ${apiKey()}` } : {};
  const response = await fetch("/v1/audio/voices", { headers });
  if (!response.ok) { status(`Could not list voices (${response.status}).`); return; }
  const body = await response.json();
  $("voice").replaceChildren(...body.voices.map((v) => {
    const option = new Option(`${v.name} (${v.language})`, v.name, false, v.default);
    return option;
  }));
}

function openSocket() {
  if (socket && socket.readyState <= WebSocket.OPEN) return Promise.resolve(socket);
  const url = `${location.protocol === "https:" ? "wss" : "ws"}://${location.host}/v1/stream`;
  // Browsers cannot set headers on a WebSocket: the key travels as the ["token", KEY] subprotocol.
  socket = apiKey() ? new WebSocket(url, ["token", apiKey()]) : new WebSocket(url);
  socket.binaryType = "arraybuffer";
  socket.onmessage = onMessage;
  socket.onclose = () => { socket = null; finish("Disconnected."); };
  return new Promise((resolve, reject) => {
    socket.onopen = () => resolve(socket);
    socket.onerror = () => reject(new Error("WebSocket failed"));
  });
}

function onMessage(message) {
  if (message.data instanceof ArrayBuffer) { playFrame(message.data); return; }
  const event = JSON.parse(message.data);
  if (event.context_id && event.context_id !== contextId) return;  // a cancelled context's stragglers
  switch (event.type) {
    case "started": status("Speaking..."); break;
    case "words": event.words.forEach(addWord); break;
    case "done": finish(`Done: ${event.duration.toFixed(2)} s of audio.`); break;
    case "cancelled": finish("Stopped."); break;
    case "error": status(`Error: ${event.message}`); if (event.context_id) finish(); break;
  }
}

function playFrame(buffer) {
  // Frame header: 1 byte N, N bytes of context id, then s16le samples.
  const bytes = new Uint8Array(buffer);
  const idLength = bytes[0];
  const id = new TextDecoder().decode(bytes.subarray(1, 1 + idLength));
  if (id !== contextId) return;
  const offset = 1 + idLength;
  const count = (buffer.byteLength - offset) >> 1;
  const view = new DataView(buffer, offset, count * 2);
  const samples = new Float32Array(count);
  for (let i = 0; i < count; i++) samples[i] = view.getInt16(i * 2, true) / 32768;
  const chunk = audio.createBuffer(1, count, SAMPLE_RATE);
  chunk.copyToChannel(samples, 0);
  const source = audio.createBufferSource();
  source.buffer = chunk;
  source.connect(audio.destination);
  if (playhead < audio.currentTime + LEAD_S) {  // first frame, or the network fell behind
    playhead = audio.currentTime + LEAD_S;
    if (contextStart === 0) contextStart = playhead;
  }
  source.start(playhead);
  playhead += chunk.duration;
}

function addWord(word) {
  const span = document.createElement("span");
  span.textContent = word.word;
  span.title = `${word.start.toFixed(2)}–${word.end.toFixed(2)} s`;
  span.dataset.start = word.start;
  span.dataset.end = word.end;
  const time = document.createElement("small");
  time.textContent = word.start.toFixed(2);
  $("words").append(span, time, " ");
  wordSpans.push(span);
}

function highlight() {
  const t = audio ? audio.currentTime - contextStart : -1;
  for (const span of wordSpans) {
    span.classList.toggle("now", contextStart > 0 && t >= +span.dataset.start && t < +span.dataset.end);
  }
}

async function speak() {
  const text = $("text").value.trim();
  if (!text) return;
  stop();
  audio = audio || new AudioContext({ sampleRate: SAMPLE_RATE });
  await audio.resume();
  playhead = 0; contextStart = 0;
  wordSpans.length = 0; $("words").replaceChildren();
  try { await openSocket(); } catch (error) { status(error.message); return; }
  contextId = `page-${++contextCount}`;
  socket.send(JSON.stringify({
    type: "start", context_id: contextId, voice: $("voice").value || null, format: "pcm",
    sample_rate: SAMPLE_RATE, speed: +$("speed").value,
  }));
  socket.send(JSON.stringify({ type: "text", context_id: contextId, text }));
  socket.send(JSON.stringify({ type: "close", context_id: contextId }));
  speaking = true;
  $("speak").disabled = true; $("stop").disabled = false;
  highlightTimer = setInterval(highlight, 50);
}

function stop() {
  if (speaking && socket && socket.readyState === WebSocket.OPEN) {
    socket.send(JSON.stringify({ type: "cancel", context_id: contextId }));
  }
  if (audio) { audio.close(); audio = null; }  // drops audio already scheduled
  finish();
}

function finish(message) {
  speaking = false;
  if (message) status(message);
  $("speak").disabled = false; $("stop").disabled = true;
  setTimeout(() => { clearInterval(highlightTimer); highlight(); }, Math.max(0, (playhead - (audio ? audio.currentTime : 0)) * 1000));
}

$("speed").addEventListener("input", () => { $("speed-value").textContent = (+$("speed").value).toFixed(2); });
$("speak").addEventListener("click", speak);
$("stop").addEventListener("click", stop);
$("api-key").addEventListener("change", loadVoices);
loadVoices();
