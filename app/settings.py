"""The service's one configuration object: environment variables (prefix TTS_) or a .env file."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import Field, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

MODELS_DIR = Path(__file__).resolve().parent.parent / "models"
GPU_MAX_BATCH = 64


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="TTS_", env_file=".env", extra="ignore")

    host: str = "127.0.0.1"
    port: int = 8000
    voices_dir: Path = MODELS_DIR
    default_voice: str = "joe"
    backend: Literal["onnx", "torch"] = "onnx"
    device: Literal["cpu", "cuda"] = "cpu"
    threads: int = Field(default=0, ge=0, description="inference threads; 0 = all cores")
    # defaults by device (see _device_defaults); an explicit value always wins
    max_batch: int = Field(default=2, ge=1, description="jobs per batch; default 2 on a CPU, 64 on a GPU")
    batch_wait_ms: float = Field(default=2.0, ge=0.0)
    busy_windows: bool = Field(default=True, description="wider vocoder windows while several streams run")
    # a stream's vocoder windows widen to the audio its listener has in hand, up to this (larger: less context
    # recomputed, larger transient buffers)
    max_window_frames: int = Field(default=128, ge=64, le=1024, description="widest vocoder window, mel frames")
    # Two inference runs at once. CPU: while several streams run, a run beside another takes cores / 2 threads
    # (a lone stream keeps every core): with the int8 vocoder, 16 streams get 1.71x the audio per second of one
    # (1.30 with one worker); RSS 419 -> 576 MiB over 400 mixed syntheses with MALLOC_ARENA_MAX=2, which
    # scripts/serve.sh and the image set (benchmarks/RESULTS.md). GPU: one batch's host work overlaps another's
    # kernels (H200, torch CUDA: first audio 12.6 -> 8.9 ms at 1 stream, 46.3 -> 37.8 ms at 8). 1 saves the
    # second set of sessions' memory.
    inference_workers: int = Field(default=2, ge=1, le=16, description="inference runs at once")
    # off: onnxruntime's CPU arena keeps every shape's high-water mark (RSS 1 248 against 538 MiB, RESULTS.md)
    onnx_memory_arena: bool = Field(default=False, description="onnxruntime CPU memory arena and memory patterns")
    # onnxruntime on a CPU: a vocoder bundle's int8 graph where it ships one (joe's: 1.6x faster per window,
    # same WER and DNSMOS on the dev sentences; benchmarks/RESULTS.md); False keeps every vocoder in float
    int8_vocoder: bool = Field(default=True, description="use a vocoder's int8 graph on a CPU where it has one")
    chunk_ms: float = Field(default=50.0, gt=0.0, le=1000.0)
    max_text_chars: int = Field(default=4096, ge=1)
    max_spoken_words: int = Field(
        default=2500, ge=1, description="words one request may read out, numbers expanded (~15 min of speech)"
    )
    max_concurrent_streams: int = Field(default=64, ge=1)
    max_queue: int = Field(default=256, ge=1)
    request_timeout_s: float = Field(default=60.0, gt=0.0)
    ws_idle_timeout_s: float = Field(default=120.0, gt=0.0)
    ws_max_message_bytes: int = Field(default=65536, ge=1024)
    ws_max_contexts: int = Field(default=8, ge=1)
    api_keys: list[str] = Field(default_factory=list, description="empty: no authentication")
    cors_origins: list[str] = Field(default_factory=list)
    lexicon_path: Path | None = None
    # Serving layer (app/api)
    model_id: str = Field(default="local-tts", description="our model id on the OpenAI-compatible API")
    ws_send_queue_messages: int = Field(
        default=200, ge=1, description="per-context bound on audio/events waiting for a slow WebSocket client"
    )
    ws_send_timeout_s: float = Field(
        default=15.0, gt=0.0, description="a context whose client reads nothing for this long is dropped"
    )

    @model_validator(mode="after")
    def _device_defaults(self) -> Settings:
        # On a GPU a batch of 64 costs about what one job does (H200, torch CUDA, batch 64; benchmarks/RESULTS.md
        # "GPU"). On a CPU a batch costs the sum of its jobs (a wide int8 window more), and a batch of 8 wide
        # windows holds every stream in it for one long run: at 16 streams 25-50 % of them ran out of audio with
        # batches of 8, none with 2 (benchmarks/RESULTS.md "Batch size on a CPU").
        if self.device == "cuda" and "max_batch" not in self.model_fields_set:
            self.max_batch = GPU_MAX_BATCH
        return self


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings()
