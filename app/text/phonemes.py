"""The acoustic model's input alphabet: ARPAbet with stress, plus pause marks from punctuation."""

from __future__ import annotations

VOWELS = ["AA", "AE", "AH", "AO", "AW", "AY", "EH", "ER", "EY", "IH", "IY", "OW", "OY", "UH", "UW"]
CONSONANTS = [
    "B", "CH", "D", "DH", "F", "G", "HH", "JH", "K", "L", "M", "N", "NG",
    "P", "R", "S", "SH", "T", "TH", "V", "W", "Y", "Z", "ZH",
]  # fmt: skip
PAUSES = [",", ".", "?", "!", ";", ":"]
PAD = "<pad>"
# Silence before the first phone: the model always sees a start token, so the first word is not clipped.
START = "^"

SYMBOLS: list[str] = [PAD, START] + PAUSES + [f"{v}{s}" for v in VOWELS for s in "012"] + CONSONANTS
SYMBOL_TO_ID: dict[str, int] = {s: i for i, s in enumerate(SYMBOLS)}


def is_pause(symbol: str) -> bool:
    return symbol in PAUSES or symbol == START


def canonical(phone: str) -> str:
    """Map g2p-en quirks to our alphabet (it emits bare "UW"; some vowels come without stress)."""
    if phone in SYMBOL_TO_ID:
        return phone
    if phone in VOWELS:
        return phone + "1"
    raise KeyError(f"unknown phoneme {phone!r}")


def to_ids(symbols: list[str]) -> list[int]:
    return [SYMBOL_TO_ID[canonical(s)] for s in symbols]


def strip_stress(phone: str) -> str:
    return phone.rstrip("012")
