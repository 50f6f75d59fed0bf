"""One voice resolution for every entry point: the OpenAI route, our WebSocket and the compatible protocols.

A request names a voice by our name (`joe`), by an OpenAI name (`alloy`: clients of OpenAI's API work
unchanged; each speaks with our closest voice) or by another protocol's own voice id (a Cartesia UUID, an
ElevenLabs voice id, a Deepgram Aura model), which speaks with the default voice. Anything else is an
UnknownVoice, which each protocol answers in its own error shape.
"""

from __future__ import annotations

from collections.abc import Callable

from app.engine.engine import Engine
from app.engine.types import UnknownVoice, VoiceInfo

# OpenAI's voice names, each with the voice of ours closest to how it sounds: the female-sounding ones speak
# with `slt` (where it is loaded), the rest with the default voice.
FEMALE_VOICE = "slt"
OPENAI_VOICES: dict[str, str | None] = {
    "alloy": None,
    "ash": None,
    "ballad": None,
    "coral": FEMALE_VOICE,
    "echo": None,
    "fable": None,
    "nova": FEMALE_VOICE,
    "onyx": None,
    "sage": FEMALE_VOICE,
    "shimmer": FEMALE_VOICE,
    "verse": None,
    "marin": FEMALE_VOICE,
    "cedar": None,
}


def openai_alias(engine: Engine, alias: str) -> VoiceInfo:
    """The voice an OpenAI voice name speaks with here."""
    target = OPENAI_VOICES[alias.lower()]
    return engine.voice(target if target in engine.voices else None)


# A protocol's test for its own voice ids (they name voices we do not have: the default voice speaks).
ForeignVoiceId = Callable[[str], bool]


def resolve_voice(engine: Engine, name: str | None, foreign: ForeignVoiceId | None = None) -> VoiceInfo:
    """None: the default voice. Our names win; OpenAI's names (any case) speak with their closest voice, ids that
    `foreign` recognises with the default voice; anything else raises UnknownVoice listing what is accepted."""
    if name is None or name in engine.voices:
        return engine.voice(name)
    if name.lower() in OPENAI_VOICES:
        return openai_alias(engine, name)
    if foreign is not None and foreign(name):
        return engine.voice(None)
    available = ", ".join([*sorted(engine.voices), *OPENAI_VOICES])
    raise UnknownVoice(f"voice {name!r} not found; available: {available}")
