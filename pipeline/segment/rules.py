"""The ``rules`` segmenter: line routing, boilerplate and repeat removal, structure, sentence splitting."""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..records import Dropped
from .base import SegmentResult, Segmenter, Unit, segmenters
from .clean import boilerplate_reason, strip_english_trailers, strip_trailing_link
from .en import split_english
from .ja import split_japanese
from .langid import classify, normalize_key

_TERMINAL = re.compile(r"(?:[。！？!?…]|[。！？!?][」』）)”\"'’]+)\s*$")
TITLE_MAX_CHARS = 40


@dataclass
class Block:
    line: int  # 1-based line of the block's first line in the input
    text: str
    lang: str


def split_blocks(text: str) -> tuple[list[Block], list[Dropped]]:
    """Paragraphs by blank lines; inside one, hard-wrapped Japanese lines are joined, English lines
    and lines of different languages stay separate blocks."""
    blocks: list[Block] = []
    dropped: list[Dropped] = []
    prev_lang = None
    for lineno, raw in enumerate(text.split("\n"), 1):
        line = raw.strip()
        if not line:
            prev_lang = None
            continue
        lang = classify(line)
        if lang == "noise":
            dropped.append(Dropped(text=line, reason="no letters (noise)", line=lineno))
            prev_lang = None
            continue
        if lang == "ja" and prev_lang == "ja" and not _TERMINAL.search(blocks[-1].text):
            blocks[-1].text += line
        else:
            blocks.append(Block(lineno, line, lang))
        prev_lang = lang
    return blocks, dropped


def ja_kind(text: str, first_in_doc: bool, after_title: bool) -> str:
    if _TERMINAL.search(text):
        return "body"
    if len(text) <= TITLE_MAX_CHARS:
        if first_in_doc:
            return "title"
        return "byline" if after_title else "title"
    return "caption"


@segmenters.register("rules")
class RulesSegmenter(Segmenter):
    def segment(self, text: str) -> SegmentResult:
        blocks, dropped = split_blocks(text)
        result = SegmentResult(dropped=dropped)
        seen: dict[str, int] = {}
        doc, para = 1, 0
        doc_has_body = False
        prev_kind: str | None = None
        pending_en: list[tuple[Block, int]] = []
        for block in blocks:
            reason = boilerplate_reason(block.text)
            if reason:
                result.dropped.append(Dropped(text=block.text, reason=reason, line=block.line))
                continue
            key = normalize_key(block.text)
            if self.cfg.dedupe and key in seen:
                result.dropped.append(
                    Dropped(text=block.text, reason=f"repeat of the paragraph at line {seen[key]}", line=block.line)
                )
                continue
            seen.setdefault(key, block.line)
            para += 1
            if block.lang == "en":
                pending_en.append((block, para))
                continue
            text, link = strip_trailing_link(block.text)
            if link:
                result.dropped.append(Dropped(text=link, reason="link text", line=block.line))
            sentences = self._split_ja(text, block.line, result)
            kind = "body" if len(sentences) > 1 else ja_kind(text, first_in_doc=not doc_has_body and prev_kind is None, after_title=prev_kind == "title")
            if kind == "title" and doc_has_body:
                doc += 1
                doc_has_body = False
            self._flush_english(pending_en, doc, result)
            pending_en = []
            for sentence in sentences:
                result.units.append(Unit(doc, para, "ja", kind, sentence))
            doc_has_body = doc_has_body or kind == "body"
            prev_kind = kind
        self._flush_english(pending_en, doc, result)
        return result

    def segment_reference(self, text: str) -> SegmentResult:
        result = SegmentResult()
        paragraphs = [p for p in re.split(r"\n\s*\n", text) if p.strip()]
        for para, paragraph in enumerate(paragraphs, 1):
            joined = " ".join(line.strip() for line in paragraph.splitlines() if line.strip())
            self._add_english(joined, 1, para, result, line=None)
        return result

    def _split_ja(self, text: str, line: int, result: SegmentResult) -> list[str]:
        out = []
        for sentence in split_japanese(text):
            while len(sentence) > self.cfg.max_chars:
                cut = sentence.rfind("、", 0, self.cfg.max_chars) + 1 or self.cfg.max_chars
                out.append(sentence[:cut])
                result.dropped.append(
                    Dropped(text="", reason=f"sentence split at segment.max_chars={self.cfg.max_chars}", line=line)
                )
                sentence = sentence[cut:]
            out.append(sentence)
        return out

    def _flush_english(self, pending: list[tuple[Block, int]], doc: int, result: SegmentResult) -> None:
        for block, para in pending:
            self._add_english(block.text, doc, para, result, line=block.line)

    def _add_english(self, text: str, doc: int, para: int, result: SegmentResult, line: int | None) -> None:
        cleaned, removed, truncated = strip_english_trailers(text)
        for piece in removed:
            result.dropped.append(Dropped(text=piece, reason="English page trailer", line=line))
        sentences = split_english(cleaned)
        for i, sentence in enumerate(sentences):
            partial = truncated and i == len(sentences) - 1
            result.units.append(Unit(doc, para, "en", "reference", sentence, partial))
