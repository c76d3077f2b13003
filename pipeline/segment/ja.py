"""Japanese sentence splitting that respects quotes and brackets, and survives unbalanced ones.

The splitter works on the original text (nothing is rewritten); full-width and ASCII variants of the
punctuation are recognised directly, so no width normalisation is needed to find boundaries. It is a
single left-to-right pass: linear in the length of the text whatever the bracket nesting.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..text import (
    ELLIPSIS_CHARS,
    ELLIPSIS_STARTS,
    HALFWIDTH_KATAKANA,
    HIRAGANA_LETTERS,
    ITEM_MARKERS,
    KANA,
    KANJI,
    KANJI_EXTENSION_A,
    KATAKANA,
    MIDDLE_DOT,
    ellipsis_end,
)

STOPS = frozenset("。！？!?．｡")
ELLIPSES = frozenset(ELLIPSIS_CHARS)
COMMAS = frozenset("、，,")
CLOSERS_AFTER_STOP = frozenset("」』）)】〕］]〉》”’\"'｣")
PAIRS = {
    "「": "」”｣",
    "『": "』”",
    "（": "）)",
    "(": ")）",
    "“": "”",
    "【": "】",
    "〔": "〕",
    "［": "］]",
    "[": "]］",
    "〈": "〉",
    "《": "》",
    "｢": "｣」",
}
CLOSERS = frozenset("".join(PAIRS.values()))
MAX_SEARCH_DEPTH = 8
"""How far down the stack of open brackets a closer may look for its opener (keeps the pass linear)."""
MAX_QUOTE_CHARS = 500
MIN_QUOTED_SENTENCE = 8
MARKED_TITLE_MAX_CHARS = 40
"""A marked item's quoted title opens at most this far into the item (``⇒尾木ママ「…」``, WMT23 tune half)."""
"""A closer this far after an opener is not its match: a stray 「 and an unrelated stray 」 a page
apart must not turn everything between them into one quotation."""

# After a quote that ends in a full stop (…。」), these continue the sentence: the quotative particle
# と / って, a comma, など, an attribution in brackets (「…」（代表）との), a one-kana case particle before
# a word (「…？」で述べた, 「…。」が話題に; not でも / では, which open sentences) …; anything else
# starts a new sentence.
_QUOTE_CONTINUATION = re.compile(rf"[とっ、，,・（(]|など|なんて|との|[でがはをにもへやの](?![{HIRAGANA_LETTERS}])")
# sentence-initial words that begin with と (ところで …): not the quotative particle
_TO_SENTENCE_START = re.compile(r"と(ころ[でが]|にかく|はいえ|もあれ|もかく|りあえず|りわけ|くに|うとう|いうのも)")
_HIRAGANA_OPENER = re.compile(
    r"しかし|そして|また|だが|さらに|ただ|なお|つまり|それ|この|その|これ|あの|ところ|もちろん|まず|いや|はい|いいえ|ええ"
)
# a conjunction and a comma open a sentence: 「…開催する」ただし、… ends the quotation's sentence
_CONJUNCTION_COMMA = re.compile(
    r"(?:ただし|但し|しかし|しかも|また|さらに|そして|だが|でも|一方|なお|ところが|それでも|"
    r"だから|つまり|実際|結局|その後|そのため)\s*[、，,]"
)
_HIRAGANA = re.compile(f"[{HIRAGANA_LETTERS}]")
# a page title's separator: "…ぞくぞく。- 【2023年決定版】…", "…照明がない… - 取扱い…" (WMT23 tune half)
_TITLE_SEPARATOR = re.compile(r"[-－‐–—]\s")
# an ellipsis written as full stops: "…しましたが。。。まだ、使ってません。" (WMT23 tune half)
_STOP_ELLIPSIS = re.compile(r"。{3,}")
_WORD = re.compile(f"[{KANJI}{KATAKANA}]")
_MARKERS = frozenset(ITEM_MARKERS + MIDDLE_DOT)
_STOP = re.compile("[。！？!?]")
_JA_CHAR = re.compile(f"[{KANA}{KANJI_EXTENSION_A}{KANJI}{HALFWIDTH_KATAKANA}々〆ヵヶ]")


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


def _continues_mark(text: str, i: int, j: int) -> bool:
    """Do the ！ / ？ marks ``text[i:j]`` sit inside a sentence that goes on with a quotative or a
    particle glued to them (「下半身はデカ！という印象」, 「初めはキツイ？と思いましたが」,
    「ドラマの中で？が多すぎる」; WMT23 tune half)? Not after 。, nor before a word that opens a sentence
    (とにかく, では …)."""
    if j >= len(text) or not _HIRAGANA.match(text, j) or any(c not in "！？!?" for c in text[i:j]):
        return False
    return _continues_quote(text, j)


def _starts_sentence(text: str, j: int) -> bool:
    """Can a sentence start at ``j``? Not with a particle: hiragana only for common sentence openers."""
    if not _HIRAGANA.match(text, j):
        return True
    return _HIRAGANA_OPENER.match(text, j) is not None


# an ellipsis or an ASCII "." ends a sentence (before a space and more text) only after a predicate ending:
# "そうか… でも", "です. 次に", not "品質 ... このような", "「うちんち」って ... そうだった" or "宿泊予約. お得な"
_PREDICATE_ENDINGS = "かただねよなわぞさいるすうんえ"


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
        # an ASCII full stop (no Japanese stop) ends a Japanese sentence after a predicate, before a space or
        # the next Japanese word ("…です. 次に", "本当だ.次に"), not "U.S." or "4,209.3"; after a noun it
        # separates the parts of a title or a keyword list ("湯山荘 阿讃琴南 宿泊予約. お得な…", WMT23 tune half)
        after = text[i + 1] if i + 1 < len(text) else " "
        return i > 0 and text[i - 1] in _PREDICATE_ENDINGS and (after.isspace() or _JA_CHAR.match(after) is not None)
    return False


def _ellipsis_ends_sentence(text: str, start: int) -> bool:
    before = text[max(0, start - 3) : start].rstrip()
    return bool(before) and before[-1] in _PREDICATE_ENDINGS and not before.endswith("って")


def text_ends_clause(text: str, start: int) -> bool:
    """Does the text before ``start`` end in a predicate or a clause-final が (「…しましたが」)?"""
    return _ellipsis_ends_sentence(text, start) or (start > 0 and text[start - 1] == "が")


# a photo caption glued to the article it heads: the paragraph's first clause (no stop, no quote) ends
# in a bracketed credit or position, and a word (not a particle) follows:
# "…山車＝唐津市（提供）唐津市の…", "…雷門喜助さん（右）新型コロナ…", "…デモ隊（ＡＰ＝共同）【モスクワ共同】…"
_CAPTION_CREDIT = re.compile(
    r"[^。！？!?「」『』…\n]{4,200}?[（(][^（）()]{0,20}"
    r"(?:提供|共同|撮影|写真|右|左|中央|手前|奥|資料|ロイター|ＡＰ|AP|ＡＦＰ|AFP)[^（）()]{0,20}[）)]"
    rf"(?=[{KANJI}{KATAKANA}【「『])"
)


def _caption_end(text: str, start: int) -> int | None:
    """Where a photo caption glued to the text after it ends, if the sentence starting at ``start`` (after
    spaces) opens with one: the paragraph's first clause ("…山車＝唐津市（提供）唐津市の…"), or a caption
    after a sentence of the paragraph ("…と手応えを深めた。がれきの中を捜索する救助隊員ら＝１０日、…（ゲッティ＝共同）
    【ガジアンテプ（トルコ南部）共同】…", WMT23 tune half)."""
    caption = _CAPTION_CREDIT.match(text, _next_visible(text, start))
    if caption and any(_is_stop(text, k) for k in range(caption.start(), caption.end())):
        return None  # not a first clause: it holds a sentence end ("あ．（提供）")
    return caption.end() if caption else None


@dataclass
class _Scan:
    """The state of one left-to-right pass of :func:`split_offsets` over ``text``.

    ``depth`` is the bracket depth counted up to and including the current offset; ``delta[m]`` is
    how it changes at offset ``m`` (the inside of each matched pair counts one level)."""

    text: str
    delta: list[int]
    closes_at: dict[int, int]  # the offset of a matched closer → its opener's
    straight: list[int]  # straight double quotes before each offset
    cuts: list[int]
    start_of: dict[int, int] = field(default_factory=dict)  # len(cuts) → where that sentence's text starts
    depth: int = 0
    caption_cut: int | None = None  # the end of a caption that opens the sentence being scanned

    @classmethod
    def of(cls, text: str) -> _Scan:
        n = len(text)
        delta = [0] * (n + 1)
        closes_at: dict[int, int] = {}
        for start, end in matched_spans(text):
            delta[start + 1] += 1
            delta[end] -= 1
            closes_at[end] = start
        # a '"' after a stop closes a quotation only when the sentence has an open one
        # ('。"持ってない男"と' opens the next sentence's quotation)
        straight = [0] * (n + 1)
        for m, c in enumerate(text):
            straight[m + 1] = straight[m] + (c == '"')
        caption = _caption_end(text, 0)
        return cls(text, delta, closes_at, straight, [caption] if caption else [])

    def step(self, frm: int, to: int) -> None:
        """Step the depth from offset ``frm`` (already counted) to ``to`` (counted)."""
        self.depth += sum(self.delta[frm + 1 : to + 1])

    def closes_sentence(self, j: int) -> bool:
        """Is ``text[j]`` a closer that stays with the sentence ending before it?"""
        text = self.text
        if text[j] not in CLOSERS_AFTER_STOP or j in self.closes_at:
            return False
        return text[j] != '"' or (self.straight[j] - self.straight[self.cuts[-1] if self.cuts else 0]) % 2 == 1

    def after_ellipsis(self, i: int, end: int) -> int:
        """An ellipsis ``text[i:end]`` never starts a sentence: one before a stop or a comma belongs to
        it ("でした ... 。"); at top level it ends a sentence only after a predicate and before a space
        and more text ("そうか… でも違う。", not "品質 ... このような"). Returns the next offset."""
        text = self.text
        self.step(i, end - 1)
        nxt = _next_visible(text, end)
        if nxt < len(text) and (text[nxt] in STOPS or text[nxt] in COMMAS):
            self.step(end - 1, nxt - 1)
            return nxt
        if self.depth == 0 and nxt < len(text) and text[nxt] not in CLOSERS and not _TITLE_SEPARATOR.match(text, nxt):
            spaced = end < nxt and _ellipsis_ends_sentence(text, i)
            if spaced or (_STOP_ELLIPSIS.fullmatch(text, i, end) and self.stops_after_clause(i, nxt)):
                self.cuts.append(end)
        return end

    def stops_after_clause(self, i: int, nxt: int) -> bool:
        """Does an ellipsis of full stops at ``i`` end the sentence, space or not: after a predicate or a
        clause's が, before no particle (「…しましたが。。。まだ、使ってません。」, WMT23 tune half; not
        「品質。。。 この商品は…」)?"""
        return text_ends_clause(self.text, i) and not _continues_quote(self.text, nxt)

    def stop_run_end(self, j: int) -> int:
        """Where the marks after a top-level stop end: more stops, ellipses and the closers that stay
        with the sentence, also spaced ("だ ！ ！", "。 ...") and a stray closer after a space
        ("…と述べた。 」", "。 」。")."""
        text, n = self.text, len(self.text)
        while True:
            while j < n and (text[j] in STOPS or text[j] in ELLIPSES or text[j] == "." or self.closes_sentence(j)):
                self.depth += self.delta[j]
                j += 1
            k = _next_visible(text, j)
            if k > j and k < n and (text[k] in STOPS or ellipsis_end(text, k) > k):
                self.step(j - 1, k - 1)
                j = k
            elif k < n and text[k] in CLOSERS and k not in self.closes_at:
                self.step(j - 1, k)
                j = k + 1
            else:
                return j

    def after_stop(self, i: int) -> int:
        """A top-level stop at ``i``: cut after its marks unless a comma follows ("見出しだ！、続き": no
        sentence starts with a comma). Returns the next offset."""
        j = self.stop_run_end(i + 1)
        k = _next_visible(self.text, j)
        if k < len(self.text) and self.text[k] in COMMAS:
            self.step(j - 1, k - 1)
            return k
        if (k == j and _continues_mark(self.text, i, j)) or _TITLE_SEPARATOR.match(self.text, k):
            return j
        if j < len(self.text):
            self.cuts.append(j)
            self.caption_cut = _caption_end(self.text, j)
        return j

    def sentence_start(self) -> int:
        """Where the current sentence's text starts."""
        if self.start_of.get(len(self.cuts)) is None:  # memo: one whitespace scan per sentence, not per closer
            self.start_of[len(self.cuts)] = _next_visible(self.text, self.cuts[-1] if self.cuts else 0)
        return self.start_of[len(self.cuts)]

    def starts_quoted_sentence(self, i: int, opener: int) -> bool:
        """Is the quotation closed at ``i`` a whole sentence: 「…」 at the start of a sentence, longer
        than a short item (『3』『4』など)?"""
        return self.sentence_start() == opener and self.text[opener] in "「『“" and i - opener > MIN_QUOTED_SENTENCE

    def marked_title(self, opener: int) -> bool:
        """Is the quotation opened at ``opener`` the title of a marked item, a heading that runs into the
        text: 「⇒尾木ママ「高校受験に挑む君へ」２１年、…」 (WMT23 tune half)?"""
        start = self.sentence_start()
        return (
            self.text[start] in ITEM_MARKERS + MIDDLE_DOT
            and self.text[opener] in "「『"
            and opener - start <= MARKED_TITLE_MAX_CHARS
        )

    def marker_starts_item(self, i: int) -> bool:
        """Does the item marker at ``i`` start a sentence: after a space or a closing bracket, with text
        right after it (「…(カートリッジタイプのみ)※わずかな違いでも…」, WMT23 tune half)? The middle dot
        only after a space (ビル・ゲイツ, 「A」・「B」)."""
        text = self.text
        if i == 0 or i + 1 >= len(text) or text[i + 1].isspace():
            return False
        before = text[i - 1]
        if not (before.isspace() or (text[i] in ITEM_MARKERS and before in CLOSERS)):
            return False
        return not self.cuts or _next_visible(text, self.cuts[-1]) < i

    def heading_quote(self, i: int, opener: int) -> bool:
        """Does the quotation closed at ``i`` end a heading glued to the next sentence: the same quotation
        repeated at once (「…書籍「親愛なる…から」「親愛なる…から」このタイトルで…」, WMT23 tune half)? A short
        topic ``…は「X」`` before a word is left whole: it is far more often a quotation modifying the noun after
        it (同社は「ＡＢＣ」ブランドで展開する。) than a heading whose predicate is left out."""
        text = self.text
        return i - opener > MIN_QUOTED_SENTENCE and text.startswith(text[opener : i + 1], i + 1)

    def after_quote(self, i: int) -> None:
        """A quote closed at top level at ``i``: after a full stop (「…。」), or a whole-sentence
        quotation followed by a space, another quotation (「…」 「…」 dialogue) or a conjunction and a
        comma, a new sentence starts — unless the text goes on with the quote (と, って, …)."""
        text, opener = self.text, self.closes_at[i]
        k = i - 1
        while k > opener and text[k].isspace():
            k -= 1
        ends_in_stop = k > opener and (text[k] in STOPS or text[k] in ELLIPSES or text[k] == ".")
        title = not ends_in_stop and self.marked_title(opener) and _STOP.search(text, i, i + MAX_QUOTE_CHARS)
        if not (ends_in_stop or title or self.starts_quoted_sentence(i, opener)):
            if i + 1 < len(text) and self.heading_quote(i, opener):
                self.cuts.append(i + 1)
            return
        j = i + 1
        while j < len(text) and self.closes_sentence(j):
            j += 1
        nxt = _next_visible(text, j)
        if (
            nxt < len(text)
            and not _continues_quote(text, nxt)
            and text[nxt] not in STOPS
            and (
                ends_in_stop
                or (title or nxt > j or text[nxt] in "「『“" or _CONJUNCTION_COMMA.match(text, nxt))
                and _starts_sentence(text, nxt)
            )
        ):
            self.cuts.append(j)


def split_offsets(text: str) -> list[int]:
    """Offsets where a new sentence starts (excluding 0)."""
    scan = _Scan.of(text)
    i = 0
    while i < len(text):
        if scan.caption_cut is not None and i >= scan.caption_cut:
            scan.cuts.append(scan.caption_cut)
            scan.caption_cut = None
        scan.depth += scan.delta[i]
        end = ellipsis_end(text, i) if text[i] in ELLIPSIS_STARTS else i
        if end > i:
            i = scan.after_ellipsis(i, end)
        elif scan.depth == 0 and _is_stop(text, i):
            i = scan.after_stop(i)
        else:
            if text[i] in CLOSERS and i in scan.closes_at and scan.depth == 0:
                scan.after_quote(i)
            elif text[i] in _MARKERS and scan.depth == 0 and scan.marker_starts_item(i):
                scan.cuts.append(i)
            i += 1
    return scan.cuts


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
