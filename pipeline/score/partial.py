"""Truncated references ("…"): what part of the translation they can fairly be compared with."""

from __future__ import annotations

from ..text import strip_ellipsis


def matching_prefix(translation: str, reference: str) -> str:
    """The translation cut to as many words as the truncated reference has.

    A reference cut off after *n* words covers roughly the first *n* words of a full translation;
    scoring the whole translation against it would count every later word as an error. Word counts
    are whitespace tokens on both sides (both are English).
    """
    n = len(strip_ellipsis(reference).split())
    return " ".join(translation.split()[:n])
