"""Text definitions shared by the whole package: what counts as an ellipsis, the comparison form
of a sentence, line breaks, and the Unicode ranges of the Japanese scripts.

An *ellipsis* is one of the marks ``…`` (U+2026), ``‥`` (U+2025), three or more ASCII full stops
``...`` or three or more ideographic full stops ``。。。``, possibly repeated with spaces between the
repeats (``… …``, ``... ...``, as tokenised news text has them). A *trailing* ellipsis may also be
bracketed (``[…]``, ``[...]``, the mark of an editor's cut) and may be preceded by spaces.

Every module that needs to find, test or strip an ellipsis uses this one; none defines its own.
The same holds for newline normalisation and the script ranges (composed into character classes
by the modules that need one).
"""

from __future__ import annotations

import re
import unicodedata

ELLIPSIS_CHARS = "…‥"
"""The single-character ellipsis marks (usable inside a regex character class)."""
ELLIPSIS_STARTS = frozenset(ELLIPSIS_CHARS + ".。")
"""Characters an ellipsis can start with (a cheap test before :func:`ellipsis_end`)."""

# Unicode ranges of the Japanese scripts, for regex character classes (``f"[{KANA}{KANJI}]"``).
KANA = "\u3040-\u30ff"  # the Hiragana and Katakana blocks
HIRAGANA_LETTERS = "\u3041-\u309f"  # the Hiragana block's assigned letters and marks
KATAKANA = "\u30a0-\u30ff"
KATAKANA_EXTENSIONS = "\u31f0-\u31ff"  # small katakana for Ainu
HALFWIDTH_KATAKANA = "\uff66-\uff9f"
KANJI = "\u4e00-\u9fff"  # CJK Unified Ideographs
KANJI_EXTENSION_A = "\u3400-\u4dbf"
KANJI_COMPATIBILITY = "\uf900-\ufaff"
CJK_PUNCTUATION = "\u3000-\u303f"  # ideographic space, 、。「」 …
FULLWIDTH_ASCII = "\uff01-\uff5e"  # ！ to ～: full-width Latin letters, digits and punctuation

ITEM_MARKERS = "●■◆◇□•※⇒*＊"
"""Bullets and note marks that open a list item, a note or a heading (``※注意``, ``● Item``, ``⇒ See``):
one starts a new sentence where a space or a closing bracket, not a word, precedes it. The katakana middle
dot ``・`` is one only at the start of a line or after a space (it joins words: ``ビル・ゲイツ``), so it is
:data:`MIDDLE_DOT`, kept apart; ``▼`` separates a column's paragraphs inside one WMT segment, so it is none."""
MIDDLE_DOT = "・"

_MARK = r"(?:[…‥]+|\.{3,}|。{3,})"
ELLIPSIS = re.compile(rf"{_MARK}(?:[ \t\u3000]*{_MARK})*")
"""One ellipsis: a mark, then any further marks separated only by spaces."""
_WHITESPACE = re.compile(r"\s+")
_TRAILING = re.compile(rf"[ \t\u3000]*(?:\[\s*{_MARK}\s*\]|{ELLIPSIS.pattern})\s*$")


def ellipsis_end(text: str, i: int) -> int:
    """The end of the ellipsis starting at ``text[i]``, or ``i`` if none starts there."""
    if i >= len(text) or text[i] not in ELLIPSIS_STARTS:
        return i
    m = ELLIPSIS.match(text, i)
    return m.end() if m else i


def ends_with_ellipsis(text: str) -> bool:
    """Does ``text`` end in an ellipsis (trailing whitespace ignored)? A truncation test."""
    return _TRAILING.search(text) is not None


def strip_ellipsis(text: str) -> str:
    """``text`` without its trailing ellipsis and the spaces around it (unchanged if it has none)."""
    return _TRAILING.sub("", text).rstrip()


def normalize_newlines(text: str) -> str:
    """The pipeline's text model has "\\n" line breaks only: CRLF and CR become LF (inputs are read
    that way, and exports write that way)."""
    return text.replace("\r\n", "\n").replace("\r", "\n")


def squash(text: str) -> str:
    """``text`` without any whitespace: the form in which sentences are compared across
    segmentations (Japanese has no spaces; a boundary moved across one changes nothing)."""
    return _WHITESPACE.sub("", text)


def comparison_form(text: str) -> str:
    """NFKC with runs of whitespace collapsed to one space and the ends stripped: the form in which
    boilerplate patterns are matched and translation files are looked up. Never written out."""
    return re.sub(r"\s+", " ", unicodedata.normalize("NFKC", text)).strip()
