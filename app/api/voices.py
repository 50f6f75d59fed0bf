"""One voice resolution for every entry point: the OpenAI route, our WebSocket and the compatible protocols.

A request names a voice by our name (`joe`), by an OpenAI name (`alloy`: clients of OpenAI's API work
unchanged) or by another protocol's own voice id (a Cartesia UUID, an ElevenLabs voice id, a Deepgram Aura
model): the latter two speak with the default voice. Anything else is an UnknownVoice, which each protocol
answers in its own error shape.
"""

from __future__ import annotations

from collections.abc import Callable

from app.engine.engine import Engine
from app.engine.types import UnknownVoice, VoiceInfo

OPENAI_VOICES = (
    "alloy",
    "ash",
    "ballad",
    "coral",
    "echo",
    "fable",
    "nova",
    "onyx",
    "sage",
    "shimmer",
    "verse",
    "marin",
    "cedar",
)

# A protocol's test for its own voice ids (they name voices we do not have: the default voice speaks).
ForeignVoiceId = Callable[[str], bool]


def resolve_voice(engine: Engine, name: str | None, foreign: ForeignVoiceId | None = None) -> VoiceInfo:
    """None: the default voice. Our names win; OpenAI's names (any case) and ids that `foreign` recognises
    speak with the default voice; anything else raises UnknownVoice listing what is accepted."""
    if name is None or name in engine.voices:
        return engine.voice(name)
    if name.lower() in OPENAI_VOICES or (foreign is not None and foreign(name)):
        return engine.voice(None)
    available = ", ".join([*sorted(engine.voices), *OPENAI_VOICES])
    raise UnknownVoice(f"voice {name!r} not found; available: {available}")
