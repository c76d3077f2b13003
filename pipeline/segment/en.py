"""English sentence splitting for reference text."""

from __future__ import annotations

import re

ABBREVIATIONS = {
    "mr", "mrs", "ms", "dr", "prof", "st", "gen", "col", "lt", "sgt", "sen", "rep", "gov", "pres",
    "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec",
    "inc", "ltd", "co", "corp", "vs", "etc", "no", "vol", "fig", "approx", "u.s", "u.k", "e.g", "i.e",
}
_BOUNDARY = re.compile(r"(?<=[.!?…])[\"'”’)\]]*\s+(?=[\"'“‘(\[]?[A-Z0-9])")
# a caption ending in a date that runs into the next sentence: "..., Moscow, May 18, 2024 In international"
_DATE_RUN_ON = re.compile(
    r"(?<=\b(?:19|20)\d\d)\s+(?=(?:In|The|On|At|A|An|As|It|This|When|After|Before|During)\b)"
)


def _previous_word(text: str, end: int) -> str:
    m = re.search(r"([A-Za-z.]+)\.?$", text[:end].rstrip())
    return m.group(1).lower().rstrip(".") if m else ""


def split_english(text: str) -> list[str]:
    """Split English text into sentences; ``"".join(result)`` equals ``text`` up to whitespace."""
    text = text.strip()
    if not text:
        return []
    cuts: list[int] = []
    for m in _BOUNDARY.finditer(text):
        before = text[: m.start()].rstrip("\"'”’)]")
        word = _previous_word(before, len(before))
        if before.endswith(".") and (word in ABBREVIATIONS or re.fullmatch(r"[a-z]", word)):
            continue
        cuts.append(m.end())
    cuts.extend(m.end() for m in _DATE_RUN_ON.finditer(text))
    pieces: list[str] = []
    start = 0
    for cut in sorted(set(cuts)):
        pieces.append(text[start:cut])
        start = cut
    pieces.append(text[start:])
    return [p.strip() for p in pieces if p.strip()]
