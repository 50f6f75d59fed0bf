"""The service's one configuration object: environment variables (prefix TTS_) or a .env file.

Every field says what it is in its description; `docs/SETTINGS.md` is generated from them
(`python -m app.settings > docs/SETTINGS.md`, checked by tests/test_settings.py). The engine gets only its own
part (`engine_config()`), which also decides the defaults that depend on the device.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

from app.engine.config import MAX_BATCH_BY_DEVICE, MAX_STREAMS_CUDA, MODELS_DIR, STREAMS_PER_CPU_CORE, EngineConfig


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="TTS_", env_file=".env", extra="ignore")

    # -- server -------------------------------------------------------------------------------------
    host: str = Field(default="127.0.0.1", description="address the server listens on (0.0.0.0: every interface)")
    port: int = Field(default=8000, ge=1, le=65535, description="port the server listens on")
    api_keys: list[str] = Field(
        default_factory=list,
        description='accepted API keys as a JSON list (`["k1","k2"]`), sent as `Authorization: Bearer`, '
        "`x-api-key` or (WebSocket from a browser) `?api_key=`; empty: no authentication",
    )
    cors_origins: list[str] = Field(
        default_factory=list, description="origins allowed to call the API from a browser, JSON list; empty: none"
    )
    allowed_hosts: list[str] | None = Field(
        default=None,
        description="host names the server answers to, JSON list (`*.example.com` and `*` allowed): a defence "
        "against DNS rebinding; unset: localhost names while `host` is a loopback address, any host otherwise",
    )
    model_id: str = Field(default="local-tts", description="our model id on the OpenAI-compatible API")
    # -- voices and inference ---------------------------------------------------------------------
    voices_dir: Path = Field(default=MODELS_DIR, description="directory of voice bundles (one voice.json each)")
    default_voice: str = Field(default="joe", description="voice used when a request names none")
    lexicon_path: Path | None = Field(
        default=None, description="custom pronunciations, one `word  PH ON EMES` (ARPAbet) per line"
    )
    date_order: Literal["mdy", "dmy"] = Field(
        default="mdy",
        description='how all-numeric dates read: "mdy" (09/08/2021 is September 8, US) or "dmy" (8 September)',
    )
    backend: Literal["onnx", "torch"] = Field(default="onnx", description="inference runtime: onnxruntime or torch")
    device: Literal["cpu", "cuda"] = Field(
        default="cpu", description="where inference runs (cuda needs the `[gpu]` extra or a CUDA torch)"
    )
    threads: int = Field(default=0, ge=0, description="inference threads per run; 0: every core")
    max_batch: int | None = Field(
        default=None,
        ge=1,
        description="jobs batched into one inference run; default by device: "
        + ", ".join(f"{d} {n}" for d, n in MAX_BATCH_BY_DEVICE.items())
        + " (CPU batches of 8 made streams run out of audio at 16 at once)",
    )
    batch_wait_ms: float = Field(
        default=2.0, ge=0.0, description="how long a batch waits for company (a lone job never waits)"
    )
    # Two runs at once. CPU: while several streams run, a run beside another takes cores / 2 threads (a lone
    # stream keeps every core): with the int8 vocoder, 16 streams get 1.71x the audio per second of one (1.30 with
    # one worker). GPU: one batch's host work overlaps another's kernels (H200: first audio 12.6 -> 8.9 ms).
    inference_workers: int = Field(
        default=2, ge=1, le=16, description="inference runs at once; 1 saves the memory of a second set of sessions"
    )
    busy_windows: bool = Field(default=True, description="wider vocoder windows while several streams run")
    max_window_frames: int = Field(
        default=128,
        ge=64,
        le=1024,
        description="widest vocoder window (mel frames) for a stream with audio in hand; wider recomputes less "
        "context and holds larger buffers",
    )
    onnx_memory_arena: bool = Field(
        default=False,
        description="onnxruntime's CPU memory arena; off, memory goes back after long inputs (RSS 538 vs 1 248 MiB)",
    )
    int8_vocoder: bool = Field(
        default=True, description="on a CPU, use a vocoder's int8 graph where its bundle ships one"
    )
    # -- limits -----------------------------------------------------------------------------------
    max_header_bytes: int = Field(
        default=16384, ge=1024, description="largest request line plus headers (tts-server); more: 400"
    )
    header_timeout_s: float = Field(
        default=10.0, gt=0.0, description="a connection's time to send its request headers (tts-server)"
    )
    socket_send_buffer_bytes: int = Field(
        default=65536,
        ge=4096,
        description="kernel send buffer per connection (tts-server; the kernel doubles it): what a client that "
        "stops reading can leave in flight before the send timeout starts; 64 KiB is about 3 s of 24 kHz PCM",
    )
    max_body_bytes: int = Field(default=1_048_576, ge=1024, description="largest request body; more: 413")
    body_timeout_s: float = Field(default=10.0, gt=0.0, description="a request's time to send its body; more: 408")
    chunk_ms: float = Field(default=50.0, gt=0.0, le=1000.0, description="duration of each streamed audio frame")
    max_text_chars: int = Field(default=4096, ge=1, description="characters one request may send")
    max_spoken_words: int = Field(
        default=2500,
        ge=1,
        description="words one request may read out, numbers expanded (about 15 min of speech); more is "
        "refused at once with 413 speech_too_long",
    )
    max_audio_s: float = Field(
        default=900.0,
        gt=0.0,
        description="seconds of audio one request may produce, SSML breaks included; more is refused with 413 "
        "audio_too_long",
    )
    max_concurrent_streams: int | None = Field(
        default=None,
        ge=1,
        description="streams synthesized at once; more get 503 engine_busy with Retry-After; default by device: "
        f"{STREAMS_PER_CPU_CORE} per CPU core (the most that kept real time), {MAX_STREAMS_CUDA} on a GPU",
    )
    request_timeout_s: float = Field(default=60.0, gt=0.0, description="an HTTP request's limit to its first audio")
    ws_idle_timeout_s: float = Field(
        default=120.0, gt=0.0, description="a WebSocket with no message for this long closes"
    )
    ws_max_message_bytes: int = Field(default=65536, ge=1024, description="largest WebSocket message accepted")
    ws_max_contexts: int = Field(default=8, ge=1, description="contexts (parallel utterances) per WebSocket")
    ws_send_queue_messages: int = Field(
        default=200, ge=1, description="per-context bound on audio and events waiting for a slow WebSocket client"
    )
    send_timeout_s: float = Field(
        default=15.0,
        gt=0.0,
        description="a client that reads none of its audio for this long is cut off and its stream stopped "
        "(HTTP streams end, a WebSocket context is dropped, a WebSocket that cannot drain is closed)",
    )
    min_read_rate: float = Field(
        default=0.5,
        ge=0.0,
        description="a streaming client (HTTP or WebSocket) must read at least this many seconds of audio per "
        "second it keeps the server waiting, after a grace of send_timeout_s, or its stream is stopped (a "
        "WebSocket closed) and its engine slot freed; a real-time player reads 1.0; 0 turns the rule off",
    )

    def trusted_hosts(self) -> list[str]:
        """`allowed_hosts`, or its default: a server on a loopback address answers to localhost names only."""
        if self.allowed_hosts is not None:
            return self.allowed_hosts
        if self.host in ("127.0.0.1", "localhost", "::1"):
            return ["localhost", "*.localhost", "127.0.0.1", "::1"]
        return ["*"]

    def engine_config(self) -> EngineConfig:
        """The engine's part of the settings (it never sees keys, origins or server limits)."""
        return EngineConfig(
            voices_dir=self.voices_dir,
            default_voice=self.default_voice,
            backend=self.backend,
            device=self.device,
            threads=self.threads,
            max_batch=self.max_batch,
            batch_wait_ms=self.batch_wait_ms,
            inference_workers=self.inference_workers,
            busy_windows=self.busy_windows,
            max_window_frames=self.max_window_frames,
            onnx_memory_arena=self.onnx_memory_arena,
            int8_vocoder=self.int8_vocoder,
            max_spoken_words=self.max_spoken_words,
            max_audio_s=self.max_audio_s,
            max_concurrent_streams=self.max_concurrent_streams,
            lexicon_path=self.lexicon_path,
            date_order=self.date_order,
        )


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings()


def settings_reference() -> str:
    """docs/SETTINGS.md: every setting, its environment variable, default and description."""
    lines = [
        "# Settings",
        "",
        "Environment variables (or a `.env` file in the working directory); generated from `app/settings.py`",
        "by `python -m app.settings > docs/SETTINGS.md`. Lists are JSON (`TTS_API_KEYS='[\"k1\"]'`).",
        "",
        "| variable | default | what it is |",
        "|---|---|---|",
    ]
    for name, info in Settings.model_fields.items():
        default = info.get_default(call_default_factory=True)
        if isinstance(default, Path):
            default = "models/ (in the checkout)" if default == MODELS_DIR else str(default)
        by_device = name in ("max_batch", "max_concurrent_streams")
        shown = "by device" if default is None and by_device else repr(default) if default != [] else "[]"
        if default is None and not by_device:
            shown = "unset"
        lines.append(f"| `TTS_{name.upper()}` | {shown} | {info.description} |")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    print(settings_reference(), end="")
