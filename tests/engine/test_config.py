"""Engine configuration: defaults sized from what the process may really use."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.engine.config import STREAMS_PER_CPU_CORE, EngineConfig, cgroup_cpu_limit, cpu_cores


@pytest.mark.parametrize(
    ("cpu_max", "limit"), [("150000 100000\n", 1.5), ("100000 100000\n", 1.0), ("max 100000\n", None)]
)
def test_a_cgroup_v2_quota_is_read(tmp_path: Path, cpu_max: str, limit: float | None) -> None:
    (tmp_path / "cpu.max").write_text(cpu_max)
    assert cgroup_cpu_limit(tmp_path) == limit


def test_a_cgroup_v1_quota_is_read(tmp_path: Path) -> None:
    (tmp_path / "cpu").mkdir()
    (tmp_path / "cpu" / "cpu.cfs_quota_us").write_text("50000\n")
    (tmp_path / "cpu" / "cpu.cfs_period_us").write_text("100000\n")
    assert cgroup_cpu_limit(tmp_path) == 0.5
    (tmp_path / "cpu" / "cpu.cfs_quota_us").write_text("-1\n")
    assert cgroup_cpu_limit(tmp_path) is None


def test_no_cgroup_files_mean_no_limit(tmp_path: Path) -> None:
    assert cgroup_cpu_limit(tmp_path) is None
    assert cpu_cores(tmp_path) >= 1


def test_a_container_quota_caps_the_cores_and_the_stream_limit(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # `docker run --cpus 1` on a bigger host: the affinity mask still lists every host core
    (tmp_path / "cpu.max").write_text("100000 100000\n")
    assert cpu_cores(tmp_path) == 1
    monkeypatch.setattr("app.engine.config.CGROUP_ROOT", tmp_path)
    assert EngineConfig().stream_limit == STREAMS_PER_CPU_CORE
    assert EngineConfig(threads=3).stream_limit == 3 * STREAMS_PER_CPU_CORE  # an explicit setting wins
