"""The text front end on its own: see what the engine will read before synthesizing it."""

from __future__ import annotations

from fastapi import APIRouter
from pydantic import BaseModel, Field
from starlette.concurrency import run_in_threadpool

from app.api.deps import REQUIRE_API_KEY, EngineDep, SettingsDep
from app.api.errors import ApiError, error_responses
from app.api.schemas import MAX_LEXICON_ENTRIES, Pronunciation, StrictModel, VoiceParams, check_text_length
from app.text.frontend import PhonemeSequence, TextFrontend
from app.text.phonemes import START

router = APIRouter(
    prefix="/v1/text",
    tags=["text"],
    dependencies=[REQUIRE_API_KEY],
    responses=error_responses(400, 401, 413, 422, 503),
)


class NormalizeRequest(StrictModel):
    text: str = Field(min_length=1)


class NormalizeResponse(BaseModel):
    text: str


class PhonemesRequest(StrictModel):
    text: str = Field(min_length=1)
    lexicon: dict[str, Pronunciation] | None = Field(default=None, max_length=MAX_LEXICON_ENTRIES)


class WordPhonemes(BaseModel):
    word: str = Field(description="the input text of the word")
    spoken: str = Field(description="the normalized word the G2P read")
    phonemes: str = Field(description="ARPAbet, space separated (the lexicon format)")
    text_start: int
    text_end: int


class PhonemesResponse(BaseModel):
    normalized: str
    phonemes: str = Field(description="the model's input: ARPAbet with pause marks from punctuation")
    words: list[WordPhonemes]


def _normalize(frontend: TextFrontend, text: str) -> str:
    try:
        return frontend.normalize(text)
    except ValueError as exc:  # NormalizationError: input the normalizer refuses
        raise ApiError(422, str(exc), code="normalization_error", param="text") from None


@router.post("/normalize")
async def normalize_text(request: NormalizeRequest, engine: EngineDep, settings: SettingsDep) -> NormalizeResponse:
    """Written text -> the words the engine will speak ("$5" -> "five dollars")."""
    check_text_length(request.text, settings.max_text_chars)
    return NormalizeResponse(text=await run_in_threadpool(_normalize, engine.frontend, request.text))


@router.post("/phonemes")
async def text_phonemes(request: PhonemesRequest, engine: EngineDep, settings: SettingsDep) -> PhonemesResponse:
    """The phonemes for each input word, with its span in the input text."""
    check_text_length(request.text, settings.max_text_chars)
    # VoiceParams validates the lexicon the same way synthesis requests do.
    lexicon = VoiceParams(lexicon=request.lexicon).synthesis_options().lexicon
    text = request.text
    frontend = engine.frontend

    def analyze() -> tuple[str, PhonemeSequence]:
        try:
            return frontend.normalize(text), frontend.analyze(text, lexicon)
        except ValueError as exc:
            raise ApiError(422, str(exc), code="normalization_error", param="text") from None

    normalized, sequence = await run_in_threadpool(analyze)
    return PhonemesResponse(
        normalized=normalized,
        phonemes=" ".join(symbol for symbol in sequence.symbols if symbol != START),
        words=[
            WordPhonemes(
                word=text[word.text_start : word.text_end],
                spoken=word.spoken,
                phonemes=" ".join(word.phonemes),
                text_start=word.text_start,
                text_end=word.text_end,
            )
            for word in sequence.words
        ],
    )
