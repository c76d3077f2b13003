"""Never truncate: a source longer than the model's limit is split at clause boundaries and rejoined."""

from __future__ import annotations

import re
from collections.abc import Callable

_CLAUSE = re.compile(r"(?<=[、，,;；:：])")
_SPACE = re.compile(r"(?<=\s)")


def _pack(parts: list[str], fits: Callable[[str], bool]) -> list[str]:
    """Greedily pack consecutive parts into pieces; a piece over the limit holds one part only."""
    pieces: list[str] = []
    current = ""
    for part in parts:
        if current and not fits(current + part):
            pieces.append(current)
            current = ""
        current += part
    if current:
        pieces.append(current)
    return pieces


def split_to_fit(text: str, fits: Callable[[str], bool]) -> list[str]:
    """Split ``text`` into consecutive pieces, each satisfying ``fits``, preferring clause boundaries,
    then spaces, then a hard character cut. ``"".join(pieces) == text`` always holds."""
    if fits(text):
        return [text]
    for pattern in (_CLAUSE, _SPACE):
        parts = [p for p in pattern.split(text) if p]
        if len(parts) > 1:
            return [out for piece in _pack(parts, fits) for out in split_to_fit(piece, fits)]
    lo, hi = 1, len(text)  # hard cut: the longest prefix that fits (at least one character)
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if fits(text[:mid]):
            lo = mid
        else:
            hi = mid - 1
    return [text[:lo]] + split_to_fit(text[lo:], fits) if lo < len(text) else [text]


def split_at_clause(text: str) -> list[str]:
    """``text`` in two at the clause boundary nearest its middle, or ``[text]`` where it has none."""
    cuts = [m.start() for m in _CLAUSE.finditer(text) if 0 < m.start() < len(text)]
    if not cuts:
        return [text]
    cut = min(cuts, key=lambda c: abs(2 * c - len(text)))
    return [text[:cut], text[cut:]]


def join_pieces(translations: list[str]) -> str:
    return " ".join(t.strip() for t in translations if t.strip())
