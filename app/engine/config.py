"""What the engine needs to know: the part of the service's settings that shapes synthesis.

Device-dependent defaults are decided here, once: a batch on a GPU costs about what one job does (H200,
torch CUDA, batch 64), on a CPU it costs the sum of its jobs, and a batch of 8 wide windows held every stream
in it for one long run (at 16 streams 25-50 % ran out of audio with batches of 8, none with 2;
benchmarks/LAB-LOG.md "Batch size on a CPU").
"""

from __future__ import annotations

import math
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

MODELS_DIR = Path(__file__).resolve().parent.parent.parent / "models"
MAX_BATCH_BY_DEVICE = {"cpu": 2, "cuda": 64}
# How far ahead of now a batch gathers jobs (BatchScheduler): on a CPU a batch costs the sum of its jobs, so
# only jobs due soon join; on a GPU any job may.
BATCH_HORIZON_S_BY_DEVICE = {"cpu": 0.1, "cuda": math.inf}
# Streams admitted at once: on a CPU 8 per core (16 streams on 2 cores ran without running out of audio, 40
# all ran dry: LAB-LOG "Batch size on a CPU", issue 25); a GPU held 64 (LAB-LOG "GPU").
STREAMS_PER_CPU_CORE = 8
MAX_STREAMS_CUDA = 64


CGROUP_ROOT = Path("/sys/fs/cgroup")


def cgroup_cpu_limit(root: Path | None = None) -> float | None:
    """The CPU quota a container runs under (`docker run --cpus 1.5` -> 1.5), cgroup v2 or v1; None if unlimited.
    Neither the affinity mask nor os.cpu_count() sees it: both report the host's cores."""
    root = root or CGROUP_ROOT
    try:
        if (root / "cpu.max").is_file():  # v2: "QUOTA PERIOD" or "max PERIOD"
            quota, period = (root / "cpu.max").read_text().split()[:2]
        else:  # v1
            quota = (root / "cpu" / "cpu.cfs_quota_us").read_text().strip()
            period = (root / "cpu" / "cpu.cfs_period_us").read_text().strip()
        if quota == "max" or int(quota) <= 0:
            return None
        return int(quota) / int(period)
    except (OSError, ValueError):
        return None


def cpu_cores(cgroup_root: Path | None = None) -> int:
    """Cores this process may use: the affinity mask, capped by a container's CPU quota (rounded up)."""
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
    quota = cgroup_cpu_limit(cgroup_root)
    return max(1, min(cores, math.ceil(quota))) if quota else cores


def default_max_streams(device: str, threads: int) -> int:
    """threads: the inference threads setting (a container's CPU limit where one is set; else every core)."""
    return MAX_STREAMS_CUDA if device == "cuda" else STREAMS_PER_CPU_CORE * (threads or cpu_cores())


@dataclass(frozen=True)
class EngineConfig:
    voices_dir: Path = MODELS_DIR
    default_voice: str = "joe"
    backend: Literal["onnx", "torch"] = "onnx"
    device: Literal["cpu", "cuda"] = "cpu"
    threads: int = 0  # 0: all cores
    max_batch: int | None = None  # None: by device (MAX_BATCH_BY_DEVICE)
    batch_wait_ms: float = 2.0
    inference_workers: int = 2
    busy_windows: bool = True
    max_window_frames: int = 128
    onnx_memory_arena: bool = False
    int8_vocoder: bool = True
    max_spoken_words: int = 2500
    max_audio_s: float = 900.0
    max_concurrent_streams: int | None = None  # None: by device (default_max_streams)
    lexicon_path: Path | None = None
    date_order: Literal["mdy", "dmy"] = "mdy"
    batch_horizon_s: float = field(init=False)

    def __post_init__(self) -> None:
        if self.max_batch is None:
            object.__setattr__(self, "max_batch", MAX_BATCH_BY_DEVICE[self.device])
        if self.max_concurrent_streams is None:
            object.__setattr__(self, "max_concurrent_streams", default_max_streams(self.device, self.threads))
        object.__setattr__(self, "batch_horizon_s", BATCH_HORIZON_S_BY_DEVICE[self.device])

    @property
    def batch_limit(self) -> int:
        """max_batch as resolved for the device."""
        assert self.max_batch is not None
        return self.max_batch

    @property
    def stream_limit(self) -> int:
        """max_concurrent_streams as resolved for the device."""
        assert self.max_concurrent_streams is not None
        return self.max_concurrent_streams
