"""Script-based language routing: Japanese body, English text, another language, or noise."""

from __future__ import annotations

import re
import unicodedata

from ..text import HALFWIDTH_KATAKANA, KANA, KANJI, KANJI_COMPATIBILITY, KANJI_EXTENSION_A, KATAKANA_EXTENSIONS

_KANA = re.compile(f"[{KANA}{KATAKANA_EXTENSIONS}{HALFWIDTH_KATAKANA}]")
_KANJI = re.compile(f"[{KANJI_EXTENSION_A}{KANJI}{KANJI_COMPATIBILITY}]")
_LATIN = re.compile(r"[A-Za-z\uff21-\uff3a\uff41-\uff5a]")


def counts(text: str) -> tuple[int, int, int]:
    """(kana, kanji, latin) letter counts."""
    return len(_KANA.findall(text)), len(_KANJI.findall(text)), len(_LATIN.findall(text))


_HANGUL = re.compile(r"[\uac00-\ud7af\u1100-\u11ff\u3130-\u318f]")
# simplified Chinese forms that Japanese does not use: two of them and no kana mean Chinese
_SIMPLIFIED = re.compile(r"[们这说过还时从对为个会来东车长门问间见贝页风马鸟龙没关书开发电实现经济进运]")


def classify(text: str) -> str:
    """'ja', 'en', 'other' (Korean, Chinese) or 'noise' (no letters) for a line or paragraph."""
    kana, kanji, latin = counts(text)
    hangul = len(_HANGUL.findall(text))
    if hangul > kana + kanji + latin:
        return "other"
    if kana == 0 and kanji >= 2 and len(_SIMPLIFIED.findall(text)) >= 2:
        return "other"
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
