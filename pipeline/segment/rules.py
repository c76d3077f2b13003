"""The ``rules`` segmenter: line routing, boilerplate and repeat removal, structure, sentence splitting.

Processing order for a scraped page:

1. :func:`split_blocks` — lines → blocks (paragraphs).  Each line is routed by script
   (:func:`~pipeline.segment.langid.classify`): Japanese, English, other (Korean/Chinese script) or
   noise; the last two are dropped with a reason. Consecutive Japanese lines join only on evidence —
   hard wrapping at a detected width, a line ending in 、/が/を/の…, a line starting with a character
   that cannot start a sentence, 「…」⏎と…; otherwise (and always after a blank or indented line) a
   line starts a new paragraph.
2. boilerplate blocks are dropped with their reason (:mod:`pipeline.segment.clean`);
3. repeated paragraphs are kept once (:func:`choose_repeat_keepers`): the copy kept is the one with
   the fewest other repeated paragraphs around it — a teaser block at the top of a page is dense with
   repeats, the full article is not — so the document reads in its article order;
4. structure: single-line blocks without a final stop are headings; a run of headings is a title
   (the longest), bylines (shorter ones) and captions (long ones, or ones ending in a date).  A run
   of headings after body text, or a heading right after an English block or a boilerplate line,
   starts a new document;
5. Japanese blocks are split with :func:`~pipeline.segment.ja.split_japanese`, English blocks
   (reference candidates) have page trailers removed and are split with
   :func:`~pipeline.segment.en.split_english`; sentences longer than ``segment.max_chars`` are cut at
   a safe point (a comma or a space) and the cut is recorded.

The output always keeps the original characters; width/whitespace normalisation (NFKC) is only used
for the comparisons (boilerplate patterns, repeat keys).
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from ..records import Dropped
from ..text import strip_ellipsis
from .base import Segmenter, SegmentResult, Unit, segmenters
from .clean import boilerplate_reason, has_title_part, strip_controls, strip_english_trailers, strip_trailing_link
from .en import split_english
from .ja import split_japanese
from .langid import classify, normalize_key

_TERMINAL = re.compile(r"(?:[。！？!?…．.]|[。！？!?．.…][」』）)”\"'’】]+)\s*$")
_EN_TERMINAL = re.compile(r"[.!?…][\"'”’)\]]*\s*$")
_CONTINUATION_START = re.compile(r"^[、。，．」』）)\]”’ぁぃぅぇぉっゃゅょゎをんー]")
_DATE_END = re.compile(
    r"(\d{1,4}\s*年\s*\d{1,2}\s*月(\s*\d{1,2}\s*日)?|\d{4}[/.-]\d{1,2}[/.-]\d{1,2}|\d{1,2}\s*月\s*\d{1,2}\s*日)\s*$"
)
_QUOTATIVE_START = re.compile(r"^(と(?!ころ[でが]|にかく|はいえ|もあれ)|って|など)")
_WHOLE_QUOTE = re.compile(r"^[「『“（(].*[」』”）)]$")
_OPEN_PARTICLES = ("が", "を", "の", "や", "へ", "より", "および", "及び", "ならびに")
_LIST_ITEM = re.compile(r"^([・•●○■□◆◇▪▸►※\-*+＊]|\(?\d{1,3}[.)）．]|[①-⑳])")
TITLE_MAX_CHARS = 40
DEDUPE_MIN_CHARS = 8
"""Shorter paragraphs ("はい。") may repeat legitimately and are never treated as repeats."""
REPEAT_WINDOW = 3
TRUNCATED_MIN_CHARS = 20
"""A paragraph ending in an ellipsis whose first 20+ characters start another paragraph is a teaser."""


@dataclass
class Block:
    line: int  # 1-based line of the block's first line in the input
    text: str
    lang: str
    lines: list[str] = field(default_factory=list)
    after_boilerplate: bool = False  # a boilerplate block (a page break between articles) precedes it


def wrap_width(lines: list[str]) -> int | None:
    """The width of hard-wrapped Japanese text, or None if the input does not look hard-wrapped.

    Wrapped lines end mid-sentence and share (within two characters, for line-breaking rules) one
    length: the width is the length L maximising the number of unfinished lines of length L-2..L,
    if at least three lines and 40% of the unfinished lines fall there."""
    lengths = Counter(
        len(line) for line in lines if len(line) >= 10 and not _TERMINAL.search(line) and classify(line) == "ja"
    )
    if not lengths:
        return None
    total = sum(lengths.values())
    best, width = 0, None
    for length in sorted(lengths):
        count = lengths[length] + lengths.get(length - 1, 0) + lengths.get(length - 2, 0)
        if count >= best:
            best, width = count, length
    return width if best >= 3 and best >= 0.4 * total else None


def _joins_japanese(prev: str, line: str, raw: str, width: int | None) -> bool:
    """Does ``line`` continue the Japanese paragraph whose last line is ``prev``?"""
    if raw[:1] in ("\u3000", "\t") or raw.startswith("  "):
        return False  # an indented line starts a paragraph
    if _CONTINUATION_START.match(line) or prev.endswith(("、", "，", ",")):
        return True
    if prev[-1:] in "」』”" and _QUOTATIVE_START.match(line):
        return True  # 「…」⏎と彼は言った。
    if prev.endswith(_OPEN_PARTICLES) and not _TERMINAL.search(prev):
        return True  # a sentence broken after が/を/の …: no heading ends that way
    if width is not None and len(prev) >= width - 2:
        return True  # a full-width line of hard-wrapped text
    return False


def _joins_english(prev: str, line: str) -> bool:
    return not _EN_TERMINAL.search(prev) and (line[:1].islower() or prev.endswith((",", ";", "-", "–", "—")))


def split_blocks(text: str) -> tuple[list[Block], list[Dropped]]:
    """Blocks (paragraphs) with their language; noise lines are returned as drops."""
    raw_lines = text.split("\n")
    width = wrap_width([line.strip() for line in raw_lines])
    blocks: list[Block] = []
    dropped: list[Dropped] = []
    prev_lang: str | None = None
    for lineno, raw in enumerate(raw_lines, 1):
        line = raw.strip()
        if not line:
            prev_lang = None
            continue
        lang = classify(line)
        if lang in ("noise", "other"):
            reason = (
                "no letters (noise)" if lang == "noise" else "neither Japanese nor English (Korean or Chinese script)"
            )
            dropped.append(Dropped(text=line, reason=reason, line=lineno))
            prev_lang = None
            continue
        if prev_lang == lang and blocks:
            prev = blocks[-1].lines[-1]
            joined = _joins_japanese(prev, line, raw, width) if lang == "ja" else _joins_english(prev, line)
            if joined:
                blocks[-1].lines.append(line)
                continue
        blocks.append(Block(lineno, line, lang, [line]))
        prev_lang = lang
    for block in blocks:  # joined once at the end: linear even for one huge wrapped paragraph
        if len(block.lines) > 1:
            block.text = ("" if block.lang == "ja" else " ").join(block.lines)
    return blocks, dropped


def choose_repeat_keepers(keys: list[str]) -> dict[int, int]:
    """For every block index whose key repeats, the index of the copy to keep.

    The kept copy is the one with the fewest repeated blocks within ``REPEAT_WINDOW`` blocks of it
    (a teaser or a "related articles" box is made of repeats; the article itself is not); ties keep
    the first copy.
    """
    groups: dict[str, list[int]] = {}
    for i, key in enumerate(keys):
        if len(key) >= DEDUPE_MIN_CHARS:
            groups.setdefault(key, []).append(i)
    repeated = [False] * len(keys)
    for members in groups.values():
        if len(members) > 1:
            for i in members:
                repeated[i] = True

    def density(i: int) -> float:
        lo, hi = max(0, i - REPEAT_WINDOW), min(len(keys), i + REPEAT_WINDOW + 1)
        around = [j for j in range(lo, hi) if j != i]
        return sum(repeated[j] for j in around) / len(around) if around else 0.0

    keeper: dict[int, int] = {}
    for members in groups.values():
        if len(members) > 1:
            best = min(members, key=lambda i: (density(i), i))
            for i in members:
                keeper[i] = best
    # a teaser cut off with an ellipsis repeats the start of a full paragraph: keep the full one
    by_start: dict[str, list[int]] = {}
    for i, key in enumerate(keys):
        if len(key) >= TRUNCATED_MIN_CHARS:
            by_start.setdefault(key[:TRUNCATED_MIN_CHARS], []).append(i)
    for i, key in enumerate(keys):
        stem = strip_ellipsis(key)
        if stem == key or len(stem) < TRUNCATED_MIN_CHARS or i in keeper:
            continue
        for j in by_start.get(stem[:TRUNCATED_MIN_CHARS], []):
            if j != i and len(keys[j]) > len(stem) and keys[j].startswith(stem):
                keeper[i] = keeper.get(j, j)
                break
    return keeper


@dataclass
class _JaBlock:
    block: Block
    para: int
    sentences: list[str]
    heading: bool
    caption: bool = False


def _is_caption(text: str) -> bool:
    return len(text) > TITLE_MAX_CHARS or _DATE_END.search(text) is not None


@segmenters.register("rules")
class RulesSegmenter(Segmenter):
    def segment(self, text: str) -> SegmentResult:
        text, controls = strip_controls(text)
        blocks, dropped = split_blocks(text)
        result = SegmentResult(dropped=controls + dropped)
        kept: list[Block] = []
        after_boilerplate = False
        for block in blocks:
            reason = boilerplate_reason(block.text)
            if reason:
                result.dropped.append(Dropped(text=block.text, reason=reason, line=block.line))
                after_boilerplate = True
            else:
                block.after_boilerplate = after_boilerplate
                after_boilerplate = False
                kept.append(block)
        if self.cfg.dedupe:
            keeper = choose_repeat_keepers([normalize_key(b.text) for b in kept])
            deduped = []
            for i, block in enumerate(kept):
                if i in keeper and keeper[i] != i:
                    where = kept[keeper[i]].line
                    order = "later" if keeper[i] > i else "earlier"
                    if normalize_key(kept[keeper[i]].text) == normalize_key(block.text):
                        reason = (
                            f"repeat of the paragraph at line {where} (kept the {order} copy, which sits "
                            "among fewer repeated paragraphs)"
                        )
                    else:
                        reason = f"truncated repeat (teaser ending in an ellipsis) of the paragraph at line {where}"
                    result.dropped.append(Dropped(text=block.text, line=block.line, reason=reason))
                else:
                    deduped.append(block)
            kept = deduped
        items: list[_JaBlock | tuple[Block, int]] = []
        for para, block in enumerate(kept, 1):
            if block.lang == "en":
                items.append((block, para))
                continue
            body, link = strip_trailing_link(block.text)
            if link:
                result.dropped.append(Dropped(text=link, reason="link text", line=block.line))
            sentences = self._split_ja(body, block.line, result)
            heading = (
                len(sentences) == 1
                and not _TERMINAL.search(sentences[0])
                and not _LIST_ITEM.match(sentences[0])
                and not _WHOLE_QUOTE.match(sentences[0])
            )
            items.append(_JaBlock(block, para, sentences, heading, heading and _is_caption(sentences[0])))
        titled = any(has_title_part(b.text) for b in kept if b.lang != "en")
        self._structure(items, result, titled)
        result.dropped.sort(key=lambda d: d.line or 0)
        return result

    def _structure(self, items: list[_JaBlock | tuple[Block, int]], result: SegmentResult, titled: bool) -> None:
        """Assign kinds and documents, then emit units in input order (``titled``: the page's Japanese
        carries a title's separated part, so English title endings are kept)."""
        doc = 1
        doc_has_body = False
        pending_en: list[tuple[Block, int]] = []
        i = 0
        while i < len(items):
            item = items[i]
            if isinstance(item, tuple):
                pending_en.append(item)
                i += 1
                continue
            if not item.heading:
                self._flush_english(pending_en, doc, result, titled)
                pending_en = []
                for sentence in item.sentences:
                    result.units.append(Unit(doc, item.para, "ja", "body", sentence, line=item.block.line))
                doc_has_body = True
                i += 1
                continue
            run = [item]
            while i + len(run) < len(items):
                nxt = items[i + len(run)]
                if isinstance(nxt, tuple) or not nxt.heading:
                    break
                run.append(nxt)
            headings = [b for b in run if not b.caption]
            if doc_has_body and headings and (len(run) > 1 or pending_en or run[0].block.after_boilerplate):
                doc += 1
                doc_has_body = False
            self._flush_english(pending_en, doc, result, titled)
            pending_en = []
            title = max(headings, key=lambda b: len(b.sentences[0])) if headings else None
            for b in run:
                kind = "caption" if b.caption else "title" if b is title or doc_has_body else "byline"
                result.units.append(Unit(doc, b.para, "ja", kind, b.sentences[0], line=b.block.line))
            i += len(run)
        self._flush_english(pending_en, doc, result, titled)

    def segment_reference(self, text: str, source: str | None = None) -> SegmentResult:
        text, controls = strip_controls(text)
        titled = source is not None and has_title_part(source)
        result = SegmentResult(dropped=controls)
        paragraphs = [p for p in re.split(r"\n\s*\n", text) if p.strip()]
        for para, paragraph in enumerate(paragraphs, 1):
            joined = " ".join(line.strip() for line in paragraph.splitlines() if line.strip())
            self._add_english(joined, 1, para, result, None, titled)
        return result

    def _cap(self, sentence: str, line: int | None, result: SegmentResult, english: bool = False) -> list[str]:
        """Cut a sentence longer than ``max_chars`` (``max_reference_chars`` for English) at
        commas/spaces (or hard at the cap); linear time."""
        cap = self.cfg.max_reference_chars if english else self.cfg.max_chars
        setting = "segment.max_reference_chars" if english else "segment.max_chars"
        if len(sentence) <= cap:
            return [sentence]
        pieces = []
        start = 0
        n = len(sentence)
        while n - start > cap:
            window_lo = start + cap // 2
            cut = max(sentence.rfind(sep, window_lo, start + cap) for sep in ("、", "，", ",", " ", "\u3000")) + 1
            if cut <= window_lo:
                cut = start + cap
            pieces.append(sentence[start:cut])
            start = cut
        pieces.append(sentence[start:])
        result.dropped.append(
            Dropped(
                text="",
                line=line,
                reason=f"a sentence of {n} characters was split into {len(pieces)} pieces at {setting}={cap} "
                "(no sentence boundary found)",
            )
        )
        return [p.strip() for p in pieces if p.strip()]

    def _split_ja(self, text: str, line: int, result: SegmentResult) -> list[str]:
        out = []
        for sentence in split_japanese(text):
            out.extend(self._cap(sentence, line, result))
        return out

    def _flush_english(self, pending: list[tuple[Block, int]], doc: int, result: SegmentResult, titled: bool) -> None:
        for block, para in pending:
            self._add_english(block.text, doc, para, result, block.line, titled)

    def _add_english(
        self, text: str, doc: int, para: int, result: SegmentResult, line: int | None, titled: bool
    ) -> None:
        cleaned, removed, truncated = strip_english_trailers(text, keep_title_part=titled)
        for piece in removed:
            result.dropped.append(Dropped(text=piece, reason="English page trailer", line=line))
        sentences = [p for s in split_english(cleaned) for p in self._cap(s, line, result, english=True)]
        for i, sentence in enumerate(sentences):
            partial = truncated and i == len(sentences) - 1
            result.units.append(Unit(doc, para, "en", "reference", sentence, partial, line=line))
