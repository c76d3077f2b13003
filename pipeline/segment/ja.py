"""Japanese sentence splitting that respects quotes and brackets, and survives unbalanced ones."""

from __future__ import annotations

STOPS = set("。！？!?．")
CLOSERS_AFTER_STOP = set("」』）)】〕］]”’\"'")
PAIRS = {"「": "」”", "『": "』”", "（": "）)", "(": ")）", "“": "”", "【": "】", "〔": "〕", "［": "］]"}


def matched_spans(text: str) -> list[tuple[int, int]]:
    """Positions of bracket/quote pairs that really close; unmatched openers are ignored, so a
    missing closer cannot swallow the rest of the paragraph."""
    stack: list[tuple[int, str]] = []
    spans: list[tuple[int, int]] = []
    for i, ch in enumerate(text):
        if ch in PAIRS:
            stack.append((i, ch))
            continue
        for depth in range(len(stack) - 1, -1, -1):
            if ch in PAIRS[stack[depth][1]]:
                spans.append((stack[depth][0], i))
                del stack[depth:]
                break
    return spans


def split_japanese(text: str) -> list[str]:
    """Split a Japanese paragraph into sentences; ``"".join(result)`` equals ``text`` up to whitespace."""
    if not text.strip():
        return []
    inside = [0] * (len(text) + 1)
    for start, end in matched_spans(text):
        inside[start + 1] += 1
        inside[end] -= 1
    depth = 0
    sentences: list[str] = []
    begin = 0
    i = 0
    n = len(text)
    while i < n:
        depth += inside[i]
        ch = text[i]
        if ch in STOPS and depth == 0 and not _is_decimal_point(text, i):
            j = i + 1
            while j < n and (text[j] in STOPS or text[j] in CLOSERS_AFTER_STOP):
                depth += inside[j]
                j += 1
            sentences.append(text[begin:j])
            begin = j
            i = j
            continue
        i += 1
    if begin < n:
        sentences.append(text[begin:])
    return [s.strip() for s in sentences if s.strip()]


def _is_decimal_point(text: str, i: int) -> bool:
    return text[i] in ".．" and 0 < i < len(text) - 1 and text[i - 1].isdigit() and text[i + 1].isdigit()
