// Streams text to /v1/stream and plays 16-bit PCM frames with the Web Audio API as they arrive.
// <main id="app"> carries live counters as data-* attributes (state, samples received, samples played,
// buffers still scheduled to play, words, errors), so tests and curious users can see what happened without
// listening. The server's "done" comes as soon as the last audio is sent, often seconds before it has played:
// Stop stays enabled until the last scheduled buffer has ended, and stops every one of them at once.
"use strict";

const $ = (id) => document.getElementById(id);
const SAMPLE_RATE = 24000;   // asked of the server; the AudioContext runs at the same rate
const LEAD_S = 0.05;         // scheduling margin so the first frame is not late
// Errors after which the server still finishes the context with "done" (docs/PROTOCOL.md, Errors).
const CONTEXT_GOES_ON = new Set(["synthesis_error", "text_too_long", "context_closed"]);

let socket = null;
let audio = null;
let playhead = 0;            // AudioContext time where the next frame starts
let contextStart = 0;        // AudioContext time of the context's first sample
let contextId = null;        // the context whose audio we play; null: drop whatever arrives
let contextCount = 0;
let speaking = false;        // our context is open on the server
const sources = new Set();   // buffers scheduled on the AudioContext that have not ended yet
let errorShown = false;
let highlightTimer = null;
let attempt = 0;             // bumped by every speak and stop: a speak that was stopped while connecting gives up
const wordSpans = [];
const counters = $("app").dataset;

function apiKey() { return $("api-key").value.trim(); }
function status(text) { $("status").textContent = text; }
function bump(name, by = 1) { counters[name] = String(Number(counters[name]) + by); }

function showError(text) {
  $("error").textContent = text;
  $("error").hidden = false;
  errorShown = true;
  bump("errors");
}

function clearError() {
  $("error").textContent = "";
  $("error").hidden = true;
  errorShown = false;
}

async function loadVoices() {
  const headers = apiKey() ? { Authorization: `Bearer ${apiKey()}` } : {};
  let response;
  try { response = await fetch("/v1/audio/voices", { headers }); } catch (error) {
    showError(`Could not list voices: ${error.message}`); return;
  }
  if (!response.ok) {
    showError(`Could not list voices (${response.status}${response.status === 401 ? ": set the API key below" : ""}).`);
    return;
  }
  const body = await response.json();
  $("voice").replaceChildren(...body.voices.map((v) => new Option(`${v.name} (${v.language})`, v.name, false, v.default)));
}

function openSocket() {
  if (socket && socket.readyState <= WebSocket.OPEN) {
    if (socket.readyState === WebSocket.OPEN) return Promise.resolve(socket);
    const pending = socket;
    return new Promise((resolve, reject) => {
      pending.addEventListener("open", () => resolve(pending), { once: true });
      pending.addEventListener("error", () => reject(new Error("WebSocket failed")), { once: true });
    });
  }
  const url = `${location.protocol === "https:" ? "wss" : "ws"}://${location.host}/v1/stream`;
  // Browsers cannot set headers on a WebSocket: the key travels as the ["token", KEY] subprotocol.
  const ws = apiKey() ? new WebSocket(url, ["token", apiKey()]) : new WebSocket(url);
  ws.binaryType = "arraybuffer";
  ws.onmessage = onMessage;
  ws.onclose = () => {
    if (socket === ws) socket = null;
    if (speaking) {  // the server went away mid-utterance (an idle close never happens while speaking)
      showError("The connection closed before the audio was complete.");
      finish("Disconnected.", "error");
    }
  };
  socket = ws;
  return new Promise((resolve, reject) => {
    ws.addEventListener("open", () => resolve(ws), { once: true });
    ws.addEventListener("error", () => reject(new Error("WebSocket failed")), { once: true });
  });
}

function onMessage(message) {
  if (message.data instanceof ArrayBuffer) { playFrame(message.data); return; }
  const event = JSON.parse(message.data);
  if (event.context_id && event.context_id !== contextId) return;  // a cancelled context's stragglers
  switch (event.type) {
    case "started": counters.state = "speaking"; status("Speaking..."); break;
    case "words": event.words.forEach(addWord); break;
    case "done":
      if (event.samples === 0 && !errorShown) showError("Nothing to speak: the text has no words the voice can read.");
      finish(`Done: ${event.duration.toFixed(2)} s of audio.`, errorShown ? "error" : "done");
      break;
    case "cancelled": finish("Stopped."); break;
    case "error":
      if (event.code === "idle_timeout") break;  // the socket closes; the next Speak opens a new one
      showError(`Error: ${event.message}`);
      // Most context errors end the context; after these the server still sends "done".
      if (event.context_id && !CONTEXT_GOES_ON.has(event.code)) finish("Stopped by an error.", "error");
      break;
  }
}

function playFrame(buffer) {
  // Frame header: 1 byte N, N bytes of context id, then s16le samples.
  const bytes = new Uint8Array(buffer);
  const idLength = bytes[0];
  const id = new TextDecoder().decode(bytes.subarray(1, 1 + idLength));
  if (id !== contextId || !audio) return;
  const offset = 1 + idLength;
  const count = (buffer.byteLength - offset) >> 1;
  if (count === 0) return;
  const view = new DataView(buffer, offset, count * 2);
  const samples = new Float32Array(count);
  for (let i = 0; i < count; i++) samples[i] = view.getInt16(i * 2, true) / 32768;
  bump("samples", count);
  const chunk = audio.createBuffer(1, count, SAMPLE_RATE);
  chunk.copyToChannel(samples, 0);
  const source = audio.createBufferSource();
  source.buffer = chunk;
  source.connect(audio.destination);
  source.onended = () => {
    sources.delete(source);
    counters.playing = String(sources.size);
    bump("playedSamples", count);
    if (sources.size === 0 && !speaking) playbackEnded();  // the last audio has played
  };
  if (playhead < audio.currentTime + LEAD_S) {  // first frame, or the network fell behind
    playhead = audio.currentTime + LEAD_S;
    if (contextStart === 0) contextStart = playhead;
  }
  source.start(playhead);
  playhead += chunk.duration;
  sources.add(source);
  counters.playing = String(sources.size);
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
  bump("words");
}

function highlight() {
  const t = audio ? audio.currentTime - contextStart : -1;
  for (const span of wordSpans) {
    span.classList.toggle("now", contextStart > 0 && t >= +span.dataset.start && t < +span.dataset.end);
  }
}

async function speak() {
  const text = $("text").value.trim();
  if (!text) { showError("Type some text first."); return; }
  stop();
  clearError();
  // disabled before the first await, so a second click cannot start a second utterance
  $("speak").disabled = true; $("stop").disabled = false;
  const mine = ++attempt;
  audio = audio || new AudioContext({ sampleRate: SAMPLE_RATE });
  await audio.resume();
  if (mine !== attempt) return;
  playhead = 0; contextStart = 0;
  wordSpans.length = 0; $("words").replaceChildren();
  Object.assign(counters, { state: "connecting", samples: "0", playedSamples: "0", playing: "0", words: "0" });
  try { await openSocket(); } catch (error) {
    showError(`Could not connect: ${error.message}${apiKey() ? "" : " (does the server need an API key?)"}`);
    finish(undefined, "error");
    return;
  }
  if (mine !== attempt) return;
  contextId = `page-${++contextCount}`;
  socket.send(JSON.stringify({
    type: "start", context_id: contextId, voice: $("voice").value || null, format: "pcm",
    sample_rate: SAMPLE_RATE, speed: +$("speed").value,
  }));
  socket.send(JSON.stringify({ type: "text", context_id: contextId, text }));
  socket.send(JSON.stringify({ type: "close", context_id: contextId }));
  speaking = true;
  highlightTimer = setInterval(highlight, 50);
}

// Works at any moment from Speak until the last audio has played: while the server still synthesizes
// (cancels the context there) and after its "done" (the audio already received is still playing).
function stop() {
  attempt++;
  const wasActive = speaking || sources.size > 0;
  if (speaking && socket && socket.readyState === WebSocket.OPEN) {
    socket.send(JSON.stringify({ type: "cancel", context_id: contextId }));
  }
  contextId = null;  // audio and events still in flight for it are dropped
  for (const source of sources) {  // silence now, including buffers scheduled to start later
    source.onended = null;
    source.stop();
    source.disconnect();
  }
  sources.clear();
  counters.playing = "0";
  contextStart = 0;  // nothing plays: no word is highlighted
  finish(wasActive ? "Stopped." : undefined, wasActive ? "stopped" : "idle");
}

// The context is over on the server (done, cancelled, an error, or the socket closed). Speak is enabled
// again at once; Stop only once the audio already scheduled has played (or now, if none is left).
function finish(message, state = "idle") {
  speaking = false;
  if (message) status(message);
  counters.state = state;
  $("speak").disabled = false;
  if (sources.size === 0) playbackEnded();
}

function playbackEnded() {
  $("stop").disabled = true;
  clearInterval(highlightTimer);
  highlightTimer = null;
  highlight();
}

$("speed").addEventListener("input", () => { $("speed-value").textContent = (+$("speed").value).toFixed(2); });
$("speak").addEventListener("click", speak);
$("stop").addEventListener("click", stop);
$("api-key").addEventListener("change", () => { clearError(); loadVoices(); });
loadVoices();
