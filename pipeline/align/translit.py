"""Kana/kanji → romaji (pykakasi) and fuzzy matching of romaji against English words (names)."""

from __future__ import annotations

import re
from difflib import SequenceMatcher
from functools import lru_cache

_kakasi = None


def _converter():  # pykakasi builds its tables on first use (~0.1 s): do it once, lazily
    global _kakasi
    if _kakasi is None:
        import pykakasi

        _kakasi = pykakasi.kakasi()
    return _kakasi


_NOT_LETTER = re.compile(r"[^a-z]")
_REPEATED = re.compile(r"(.)\1+")
_EPENTHETIC = re.compile(r"(?<=[^aeiou])[uo](?=[^aeiou]|$)")

# The romanisations a katakana word is read in (pykakasi's names), in this order.
ROMAJI_SYSTEMS = ("hepburn", "kunrei")


def transcribe(text: str) -> tuple[str, ...]:
    """pykakasi's transcription of ``text`` in each of :data:`ROMAJI_SYSTEMS` (~50 µs a katakana word)."""
    parts = _converter().convert(text)
    return tuple("".join(p[system] for p in parts) for system in ROMAJI_SYSTEMS)


def readings_of(transcriptions: tuple[str, ...]) -> tuple[str, ...]:
    """The distinct readings of :func:`transcribe`'s transcriptions, lower-case letters only (プーチン →
    puuchin, puutin: Hepburn and Kunrei)."""
    out: list[str] = []
    for t in transcriptions:
        r = _NOT_LETTER.sub("", t.lower())
        if r and r not in out:
            out.append(r)
    return tuple(out)


@lru_cache(maxsize=262144)
def _normal(word: str) -> str:
    """Fold spelling differences between English/Russian names and Japanese romaji."""
    w = word.lower()
    for a, b in (
        ("ph", "f"),
        ("ck", "k"),
        ("q", "k"),
        ("x", "ks"),
        ("l", "r"),
        ("v", "b"),
        ("w", "u"),
        ("shi", "si"),
        ("chi", "ti"),
        ("tsu", "tu"),
        ("ts", "t"),
        ("sh", "s"),
        ("ch", "t"),
        ("c", "k"),
        ("y", "i"),
        ("j", "z"),
    ):
        w = w.replace(a, b)
    w = _REPEATED.sub(r"\1", w)  # long vowels and geminates: puuchin → putin
    w = _EPENTHETIC.sub("", w)  # epenthetic vowels: raburofu → rabrof
    return w


def initial(word: str) -> str:
    """The first letter after spelling folding: names can only match when it agrees."""
    return _normal(word)[:1]


@lru_cache(maxsize=262144)
def name_similarity(roman: str, word: str) -> float:
    """How alike a romaji reading and an English word are, in [0, 1] (ラブロフ/raburofu ~ Lavrov)."""
    a, b = _normal(roman), _normal(word)
    if len(a) < 2 or len(b) < 2 or a[0] != b[0]:
        return 0.0
    return SequenceMatcher(None, a, b, autojunk=False).ratio()


def _ratio_bound(a: str, b: str) -> float:
    """difflib's ``real_quick_ratio`` of two strings (an upper bound of their ``ratio``), by its formula."""
    return 2.0 * min(len(a), len(b)) / (len(a) + len(b))


def _quick_bound(a: str, b: str) -> float:
    """difflib's ``quick_ratio`` of two strings (an upper bound of their ``ratio``: the characters they
    share, counted with multiplicity), by its formula, without building the matcher (nor two ``Counter``s:
    a romaji reading has a dozen letters; each string's counts are kept, :func:`_counts`)."""
    shared = 0
    theirs = _counts(b)
    for c, x in _counts(a).items():
        y = theirs.get(c, 0)
        shared += x if x < y else y
    return 2.0 * shared / (len(a) + len(b))


@lru_cache(maxsize=262144)
def _counts(word: str) -> dict[str, int]:
    """How often each character occurs in ``word`` (not to be changed: kept for the next comparison)."""
    return {c: word.count(c) for c in set(word)}


@lru_cache(maxsize=262144)
def names_alike(roman: str, word: str, min_similarity: float) -> bool:
    """Whether ``name_similarity(roman, word) >= min_similarity``, difflib's full comparison run only
    where its cheap upper bounds (``real_quick_ratio``, ``quick_ratio``) reach ``min_similarity``."""
    a, b = _normal(roman), _normal(word)
    if len(a) < 2 or len(b) < 2 or a[0] != b[0]:
        return 0.0 >= min_similarity
    if _ratio_bound(a, b) < min_similarity or _quick_bound(a, b) < min_similarity:
        return False
    return SequenceMatcher(None, a, b, autojunk=False).ratio() >= min_similarity
