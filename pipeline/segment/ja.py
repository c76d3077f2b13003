"""Japanese sentence splitting that respects quotes and brackets, and survives unbalanced ones.

The splitter works on the original text (nothing is rewritten); full-width and ASCII variants of the
punctuation are recognised directly, so no width normalisation is needed to find boundaries. It is a
single left-to-right pass: linear in the length of the text whatever the bracket nesting.
"""

from __future__ import annotations

import re

STOPS = frozenset("。！？!?．｡")
ELLIPSES = frozenset("…‥")
CLOSERS_AFTER_STOP = frozenset("」』）)】〕］]〉》”’\"'｣")
PAIRS = {
    "「": "」”｣", "『": "』”", "（": "）)", "(": ")）", "“": "”", "【": "】", "〔": "〕", "［": "］]", "[": "]］",
    "〈": "〉", "《": "》", "｢": "｣」",
}
CLOSERS = frozenset("".join(PAIRS.values()))
MAX_SEARCH_DEPTH = 8
"""How far down the stack of open brackets a closer may look for its opener (keeps the pass linear)."""
MAX_QUOTE_CHARS = 500
MIN_QUOTED_SENTENCE = 8
"""A closer this far after an opener is not its match: a stray 「 and an unrelated stray 」 a page
apart must not turn everything between them into one quotation."""

# After a quote that ends in a full stop (…。」), these continue the sentence: the quotative particle
# と / って, a comma, など …; anything else starts a new sentence.
_QUOTE_CONTINUATION = re.compile(r"[とっ、，,・]|など|なんて|との")
# sentence-initial words that begin with と (ところで …): not the quotative particle
_TO_SENTENCE_START = re.compile(r"と(ころ[でが]|にかく|はいえ|もあれ|もかく|りあえず|りわけ|くに|うとう|いうのも)")
_HIRAGANA_OPENER = re.compile(r"しかし|そして|また|だが|さらに|ただ|なお|つまり|それ|この|その|これ|あの|ところ|もちろん|まず|いや|はい|いいえ|ええ")
_JA_CHAR = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uff66-\uff9f々〆ヵヶ]")


def matched_spans(text: str) -> list[tuple[int, int]]:
    """Positions of bracket/quote pairs that really close; unmatched openers are ignored, so a
    missing closer cannot swallow the rest of the paragraph. ``「`` may be closed by ``”`` (seen in
    real text)."""
    stack: list[tuple[int, str]] = []
    spans: list[tuple[int, int]] = []
    for i, ch in enumerate(text):
        if ch in PAIRS:
            stack.append((i, ch))
            continue
        if ch not in CLOSERS:
            continue
        lowest = max(0, len(stack) - MAX_SEARCH_DEPTH)
        for depth in range(len(stack) - 1, lowest - 1, -1):
            if i - stack[depth][0] > MAX_QUOTE_CHARS:
                break  # openers further down are older still
            if ch in PAIRS[stack[depth][1]]:
                spans.append((stack[depth][0], i))
                del stack[depth:]
                break
    return spans


def _next_visible(text: str, j: int) -> int:
    n = len(text)
    while j < n and text[j].isspace():
        j += 1
    return j


def _continues_quote(text: str, j: int) -> bool:
    """After a closed quote ending in a stop: does the text at ``j`` continue the same sentence?"""
    if j >= len(text):
        return False
    if _TO_SENTENCE_START.match(text, j):
        return False
    return _QUOTE_CONTINUATION.match(text, j) is not None


def _starts_sentence(text: str, j: int) -> bool:
    """Can a sentence start at ``j``? Not with a particle: hiragana only for common sentence openers."""
    if not ("\u3041" <= text[j] <= "\u309f"):
        return True
    return _HIRAGANA_OPENER.match(text, j) is not None


def _is_decimal_point(text: str, i: int) -> bool:
    return text[i] in ".．" and 0 < i < len(text) - 1 and text[i - 1].isdigit() and text[i + 1].isdigit()


def _is_stop(text: str, i: int) -> bool:
    ch = text[i]
    if ch in "!?" and i > 0 and text[i - 1].isascii() and text[i - 1].isalnum():
        # "Yahoo!ニュース", "Why?と": Latin punctuation glued to a Latin word inside a sentence
        after = text[i + 1] if i + 1 < len(text) else " "
        return after.isspace() or after in STOPS or after in CLOSERS_AFTER_STOP
    if ch in STOPS:
        return not _is_decimal_point(text, i)
    if ch == ".":
        # an ASCII full stop ends a Japanese sentence ("…です. 次に"), not "U.S." or "4,209.3"
        after = text[i + 1] if i + 1 < len(text) else " "
        return i > 0 and _JA_CHAR.match(text[i - 1]) is not None and (after.isspace() or _JA_CHAR.match(after) is not None)
    return False


def _ellipsis_end(text: str, i: int) -> int:
    """End of the ellipsis (… ‥ or ...) starting at ``i``, or ``i`` if there is none."""
    j = i
    n = len(text)
    while j < n and (text[j] in ELLIPSES or text[j] == "."):
        j += 1
    if text[i] in ELLIPSES or j - i >= 3:
        return j
    return i


def split_offsets(text: str) -> list[int]:
    """Offsets where a new sentence starts (excluding 0)."""
    n = len(text)
    delta = [0] * (n + 1)
    closes_at: dict[int, int] = {}
    for start, end in matched_spans(text):
        delta[start + 1] += 1
        delta[end] -= 1
        closes_at[end] = start
    cuts: list[int] = []
    start_of: dict[int, int] = {}
    depth = 0
    i = 0
    while i < n:
        depth += delta[i]
        ch = text[i]
        if depth == 0 and not _is_stop(text, i) and (ch in ELLIPSES or ch == "."):
            # an ellipsis at top level ends a sentence only when a space and more text follow it
            j = _ellipsis_end(text, i)
            if j > i:
                if j < n and text[j].isspace() and _next_visible(text, j) < n:
                    cuts.append(j)
                for k in range(i + 1, j):
                    depth += delta[k]
                i = j
                continue
        if depth == 0 and _is_stop(text, i):
            j = i + 1
            while j < n and (text[j] in STOPS or text[j] in ELLIPSES or text[j] == "." or (text[j] in CLOSERS_AFTER_STOP and j not in closes_at)):
                depth += delta[j]
                j += 1
            k = _next_visible(text, j)
            if k < n and text[k] in CLOSERS and k not in closes_at:
                # "…と述べた。 」": a stray closer after a space still belongs to the sentence
                for m in range(j, k + 1):
                    depth += delta[m]
                j = k + 1
            if j < n:
                cuts.append(j)
            i = j
            continue
        if ch in CLOSERS and i in closes_at and depth == 0:
            # a quote closed at top level right after a full stop: 「…。」 then a new sentence
            k = i - 1
            while k > closes_at[i] and text[k].isspace():
                k -= 1
            opener = closes_at[i]
            ends_in_stop = k > opener and (text[k] in STOPS or text[k] in ELLIPSES or text[k] == ".")
            # a whole-sentence quotation without a stop: 「…」 at the start of a sentence, then a space or
            # another quotation (「…」 「…」 dialogue); short items (『3』『4』など) are not sentences
            if start_of.get(len(cuts)) is None:  # memo: one whitespace scan per sentence, not per closer
                start_of[len(cuts)] = _next_visible(text, cuts[-1] if cuts else 0)
            starts_sentence = (start_of[len(cuts)] == opener and text[opener] in "「『“"
                               and i - opener > MIN_QUOTED_SENTENCE)
            if ends_in_stop or starts_sentence:
                j = i + 1
                while j < n and text[j] in CLOSERS_AFTER_STOP and j not in closes_at:
                    j += 1
                nxt = _next_visible(text, j)
                if nxt < n and not _continues_quote(text, nxt) and text[nxt] not in STOPS and (
                        ends_in_stop or (nxt > j or text[nxt] in "「『“") and _starts_sentence(text, nxt)):
                    cuts.append(j)
        i += 1
    return cuts


def split_japanese(text: str) -> list[str]:
    """Split a Japanese paragraph into sentences; ``"".join(result)`` equals ``text`` up to whitespace."""
    if not text.strip():
        return []
    pieces = []
    begin = 0
    for cut in split_offsets(text):
        pieces.append(text[begin:cut])
        begin = cut
    pieces.append(text[begin:])
    return [s.strip() for s in pieces if s.strip()]
