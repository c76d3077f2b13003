"""English sentence splitting for reference text."""

from __future__ import annotations

import re

from ..text import ELLIPSIS_CHARS

ABBREVIATIONS = {
    "mr",
    "mrs",
    "ms",
    "dr",
    "prof",
    "st",
    "gen",
    "col",
    "lt",
    "sgt",
    "sen",
    "rep",
    "gov",
    "pres",
    "capt",
    "cmdr",
    "adm",
    "maj",
    "rev",
    "hon",
    "jr",
    "sr",
    "mt",
    "ft",
    "jan",
    "feb",
    "mar",
    "apr",
    "jun",
    "jul",
    "aug",
    "sep",
    "sept",
    "oct",
    "nov",
    "dec",
    "inc",
    "ltd",
    "co",
    "corp",
    "vs",
    "etc",
    "approx",
    "u.s",
    "u.k",
    "u.n",
    "e.u",
    "e.g",
    "i.e",
    "a.m",
    "p.m",
}
# names whose "!" is part of the name, not a sentence end ("Yahoo! News", "Yahoo! Japan")
BANG_NAMES = {"yahoo"}
# abbreviations that only count as such before a number ("No. 5", "Vol. 2", "p. 10")
NUMBER_ABBREVIATIONS = {"no", "nos", "vol", "fig", "p", "pp", "art", "sec", "ch", "op"}
# a sentence may open with a quote or bracket, or with interview dashes ("… she said. ― ― Does it mean …")
_BOUNDARY = re.compile(rf"(?<=[.!?{ELLIPSIS_CHARS}])[\"'”’)\]]*\s+(?=(?:(?:[―—–]|--)\s*)*[\"'“‘(\[]?[A-Z0-9])")
_MONTH = (
    r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|Sept?(?:ember)?"
    r"|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)"
)
# a caption ending in a date that runs into the next sentence: "..., Moscow, May 18, 2024 In international"
_DATE_RUN_ON = re.compile(
    rf"(?:\b{_MONTH}\.? \d{{1,2}}, |\b\d{{1,2}} {_MONTH} |, )(?:19|20)\d\d"
    r"(\s+)(?=(?:In|The|On|At|A|An|As|It|This|These|When|After|Before|During|For|From|He|She|They|We|I|His|Her|"
    r"Its|Their|Our|But|And|However|Last|Earlier|Today|Yesterday|Meanwhile)\b)"
)
_LOOKBACK = 40


def _previous_word(text: str, end: int) -> str:
    # a whole word only: the "g" of "200g." or the "s" of "the 60s." is no initial
    m = re.search(r"(?<![A-Za-z0-9])([A-Za-z.]+)\.?$", text[max(0, end - _LOOKBACK) : end].rstrip())
    return m.group(1).lower().rstrip(".") if m else ""


def split_english(text: str) -> list[str]:
    """Split English text into sentences; ``"".join(result)`` equals ``text`` up to whitespace."""
    text = text.strip()
    if not text:
        return []
    cuts: list[int] = []
    for m in _BOUNDARY.finditer(text):
        end = m.start()
        while end > 0 and text[end - 1] in "\"'”’)]":
            end -= 1
        word = _previous_word(text, end)
        if text[end - 1] == "." and (
            word in ABBREVIATIONS
            or re.fullmatch(r"[a-z]", word)
            or (word in NUMBER_ABBREVIATIONS and text[m.end()].isdigit())
        ):
            continue
        if text[end - 1] == "!" and _previous_word(text, end - 1) in BANG_NAMES:
            continue
        cuts.append(m.end())
    cuts.extend(m.end(1) for m in _DATE_RUN_ON.finditer(text))
    pieces: list[str] = []
    start = 0
    for cut in sorted(set(cuts)):
        pieces.append(text[start:cut])
        start = cut
    pieces.append(text[start:])
    return [p.strip() for p in pieces if p.strip()]
