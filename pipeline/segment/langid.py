"""Script-based language routing: Japanese body, English text, or noise."""

from __future__ import annotations

import re
import unicodedata

_KANA = re.compile(r"[\u3040-\u30ff\u31f0-\u31ff\uff66-\uff9f]")
_KANJI = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_LATIN = re.compile(r"[A-Za-z\uff21-\uff3a\uff41-\uff5a]")


def counts(text: str) -> tuple[int, int, int]:
    """(kana, kanji, latin) letter counts."""
    return len(_KANA.findall(text)), len(_KANJI.findall(text)), len(_LATIN.findall(text))


def classify(text: str) -> str:
    """'ja', 'en' or 'noise' for a line or paragraph."""
    kana, kanji, latin = counts(text)
    cjk = kana + kanji
    if cjk == 0 and latin == 0:
        return "noise"
    if cjk >= 2 and (kana > 0 or cjk >= latin * 0.5):
        return "ja"
    if latin >= 2 and cjk <= latin * 0.05 + 1:
        return "en"
    return "ja" if cjk > latin else "en"


def normalize_key(text: str) -> str:
    """A comparison key: NFKC, whitespace removed. Used to find repeats; never written out."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))
