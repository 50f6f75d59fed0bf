"""Voice bundles are validated at load: a corrupt or incomplete bundle fails with a clear message."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from app.engine.bundle import UNKNOWN_TEACHER, BundleError, VoiceBundle, discover
from app.engine.config import MODELS_DIR


@pytest.fixture
def bundle_copy(tmp_path: Path) -> Path:
    shutil.copytree(MODELS_DIR, tmp_path / "models")
    return tmp_path / "models"


DROP = object()  # a field value for _edit_joe: remove the field


def _edit_joe(models: Path, **fields: object) -> None:
    """Rewrite joe's voice.json in a bundle copy with these fields set (or dropped)."""
    path = models / "joe" / "voice.json"
    meta = json.loads(path.read_text())
    for key, value in fields.items():
        if value is DROP:
            meta.pop(key, None)
        else:
            meta[key] = value
    path.write_text(json.dumps(meta))


def test_shipped_bundles_validate() -> None:
    voices = discover(MODELS_DIR)
    assert "joe" in voices
    joe = voices["joe"]
    assert joe.audio.sample_rate == 22050 and joe.audio.hop_length == 256 and joe.audio.n_mels == 80
    files = [*joe.files.values(), *joe.vocoder.files.values()]
    total = sum(p.stat().st_size for p in files)
    assert total < 60 * 2**20


def test_corrupt_weights_are_refused(bundle_copy: Path) -> None:
    onnx = bundle_copy / "joe" / "acoustic.onnx"
    data = bytearray(onnx.read_bytes())
    data[len(data) // 2] ^= 0xFF
    onnx.write_bytes(bytes(data))
    with pytest.raises(BundleError, match="checksum mismatch"):
        VoiceBundle.load(bundle_copy / "joe")


def test_missing_file_is_refused(bundle_copy: Path) -> None:
    (bundle_copy / "joe" / "acoustic.pt").unlink()
    with pytest.raises(BundleError, match="missing weight file"):
        VoiceBundle.load(bundle_copy / "joe")


def test_bad_config_is_refused(bundle_copy: Path) -> None:
    _edit_joe(bundle_copy, acoustic=DROP)
    with pytest.raises(BundleError, match="acoustic"):
        VoiceBundle.load(bundle_copy / "joe")


def test_empty_voices_dir_is_refused(tmp_path: Path) -> None:
    with pytest.raises(BundleError, match="no voice bundles"):
        discover(tmp_path)


@pytest.mark.parametrize("postfilter", [{"emphasis": 9.0}, {"width": 4}, [2.0]])
def test_bad_postfilter_is_refused(bundle_copy: Path, postfilter: object) -> None:
    _edit_joe(bundle_copy, postfilter=postfilter)
    with pytest.raises(BundleError, match=r"voice\.json"):
        VoiceBundle.load(bundle_copy / "joe")


def test_postfilter_is_off_unless_asked_for(bundle_copy: Path) -> None:
    _edit_joe(bundle_copy, postfilter=DROP)
    assert not VoiceBundle.load(bundle_copy / "joe").postfilter.active


def test_every_shipped_network_names_the_teachers_it_learned_from() -> None:
    for voice in discover(MODELS_DIR).values():
        assert UNKNOWN_TEACHER not in voice.acoustic_teachers, voice.name
        assert UNKNOWN_TEACHER not in voice.vocoder.teachers, voice.vocoder.name


def test_the_permissive_voice_never_heard_a_piper_teacher() -> None:
    # rms ships for its license: CMU flite audio only, in its acoustic model and in its vocoder
    rms = discover(MODELS_DIR)["rms"]
    assert rms.acoustic_teachers == ("flite-rms",)
    assert rms.vocoder.teachers == ("flite-rms",)
    assert "piper-joe" in discover(MODELS_DIR)["joe"].teachers
    # slt, the female voice, is permissive too: CMU ARCTIC slt (festival HTS) on weights warm-started from rms
    slt = discover(MODELS_DIR)["slt"]
    assert set(slt.teachers) == {"festival-slt", "flite-rms"}


@pytest.mark.parametrize("teachers", [[], "flite-rms", [""], [3]])
def test_bad_teachers_are_refused(bundle_copy: Path, teachers: object) -> None:
    _edit_joe(bundle_copy, teachers=teachers)
    with pytest.raises(BundleError, match="teachers"):
        VoiceBundle.load(bundle_copy / "joe")


def test_weights_that_do_not_say_where_they_came_from_count_as_unknown(bundle_copy: Path) -> None:
    _edit_joe(bundle_copy, teachers=DROP)
    assert UNKNOWN_TEACHER in VoiceBundle.load(bundle_copy / "joe").teachers
