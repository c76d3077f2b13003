"""Text definitions shared by the whole package: what counts as an ellipsis, and the comparison form
of a sentence.

An *ellipsis* is one of the marks ``…`` (U+2026), ``‥`` (U+2025), three or more ASCII full stops
``...`` or three or more ideographic full stops ``。。。``, possibly repeated with spaces between the
repeats (``… …``, ``... ...``, as tokenised news text has them). A *trailing* ellipsis may also be
bracketed (``[…]``, ``[...]``, the mark of an editor's cut) and may be preceded by spaces.

Every module that needs to find, test or strip an ellipsis uses this one; none defines its own.
"""

from __future__ import annotations

import re
import unicodedata

ELLIPSIS_CHARS = "…‥"
"""The single-character ellipsis marks (usable inside a regex character class)."""
ELLIPSIS_STARTS = frozenset(ELLIPSIS_CHARS + ".。")
"""Characters an ellipsis can start with (a cheap test before :func:`ellipsis_end`)."""

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


def squash(text: str) -> str:
    """``text`` without any whitespace: the form in which sentences are compared across
    segmentations (Japanese has no spaces; a boundary moved across one changes nothing)."""
    return _WHITESPACE.sub("", text)


def comparison_form(text: str) -> str:
    """NFKC with runs of whitespace collapsed to one space and the ends stripped: the form in which
    boilerplate patterns are matched and translation files are looked up. Never written out."""
    return re.sub(r"\s+", " ", unicodedata.normalize("NFKC", text)).strip()
