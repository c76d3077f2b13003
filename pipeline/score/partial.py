"""Truncated references ("…"): what part of the translation they can fairly be compared with."""

from __future__ import annotations

ELLIPSES = ("…", "...", "‥")


def strip_ellipsis(reference: str) -> str:
    """The reference without its trailing truncation mark (and the space before it)."""
    text = reference.rstrip()
    changed = True
    while changed:
        changed = False
        for mark in ELLIPSES:
            if text.endswith(mark):
                text = text[: -len(mark)].rstrip()
                changed = True
    return text


def matching_prefix(translation: str, reference: str) -> str:
    """The translation cut to as many words as the truncated reference has.

    A reference cut off after *n* words covers roughly the first *n* words of a full translation;
    scoring the whole translation against it would count every later word as an error. Word counts
    are whitespace tokens on both sides (both are English).
    """
    n = len(strip_ellipsis(reference).split())
    return " ".join(translation.split()[:n])
