"""Similarity signals between a Japanese span (with its MT) and an English span, each in [0, 1]."""

from __future__ import annotations

import math
import re
import unicodedata

from sacrebleu.metrics import CHRF

MONTHS = {
    m: i
    for i, names in enumerate(
        [("january", "jan"), ("february", "feb"), ("march", "mar"), ("april", "apr"), ("may",), ("june", "jun"),
         ("july", "jul"), ("august", "aug"), ("september", "sep", "sept"), ("october", "oct"),
         ("november", "nov"), ("december", "dec")],
        1,
    )
    for m in names
}
_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")
_LATIN_WORD = re.compile(r"[A-Za-z][A-Za-z\-]+")
_MONTH_WORD = re.compile(r"\b(" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\b\.?", re.I)
EN_CHARS_PER_JA_CHAR = 2.6
_chrf = CHRF()


def numbers(text: str, lang: str) -> set[str]:
    """Numbers as canonical strings (thousands separators removed); English month names count."""
    norm = unicodedata.normalize("NFKC", text)
    found = {n.replace(",", "") for n in _NUMBER.findall(norm)}
    if lang == "en":
        found |= {str(MONTHS[m.group(1).lower()]) for m in _MONTH_WORD.finditer(norm) if m.group(1)[0].isupper()}
    return {n.lstrip("0") or "0" for n in found}


def latin_tokens(text: str) -> set[str]:
    """Latin-script words (NATO, AP, SCO …) in Japanese text, lower-cased."""
    return {w.lower() for w in _LATIN_WORD.findall(unicodedata.normalize("NFKC", text))}


def dice(a: set[str], b: set[str]) -> float | None:
    if not a and not b:
        return None
    return 2 * len(a & b) / (len(a) + len(b))


def anchor_similarity(ja: str, en: str) -> float | None:
    """Overlap of numbers and Latin tokens of the Japanese side found in the English side; None when
    neither side has any anchor (no evidence either way)."""
    ja_anchors = numbers(ja, "ja") | latin_tokens(ja)
    en_words = {w.lower() for w in _LATIN_WORD.findall(en)}
    en_anchors = numbers(en, "en") | {w for w in en_words if w in latin_tokens(ja)}
    en_numbers = numbers(en, "en")
    if not ja_anchors and not en_numbers:
        return None
    return dice(ja_anchors, en_anchors | en_numbers)


def length_similarity(ja: str, en: str) -> float:
    """Gale–Church style: how plausible the English length is for the Japanese length."""
    if not ja or not en:
        return 0.0
    ratio = len(en) / (len(ja) * EN_CHARS_PER_JA_CHAR)
    return math.exp(-(math.log(ratio) ** 2) / (2 * 0.45**2))


def mt_similarity(mt: str, en: str, partial: bool = False) -> float | None:
    """chrF of the MT output against the reference (its prefix when the reference is truncated)."""
    if not mt.strip() or not en.strip():
        return None
    hyp = mt[: int(len(en.rstrip(" ….")) * 1.2) + 1] if partial else mt
    return _chrf.sentence_score(hyp, [en]).score / 100
