"""The segmenter interface and its registry."""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass, field

from ..config import SegmentSection
from ..records import Dropped, Sentence
from ..registry import Registry


@dataclass
class Unit:
    """A sentence before ids are assigned."""

    doc: int
    para: int
    lang: str
    kind: str
    text: str
    partial: bool = False
    line: int | None = None  # 1-based input line of the unit's paragraph (not written out)


@dataclass
class SegmentResult:
    units: list[Unit] = field(default_factory=list)
    dropped: list[Dropped] = field(default_factory=list)

    def to_sentences(self, doc_prefix: str = "doc") -> list[Sentence]:
        """Assign ``doc_id`` and ``seg_id`` (``ja00001``, ``en00001`` …, in document order)."""
        counters: dict[str, int] = {}
        out = []
        for u in self.units:
            counters[u.lang] = counters.get(u.lang, 0) + 1
            out.append(
                Sentence(
                    seg_id=f"{u.lang}{counters[u.lang]:05d}",
                    doc_id=f"{doc_prefix}{u.doc}",
                    para_id=u.para,
                    lang=u.lang,
                    kind=u.kind,
                    text=u.text,
                    partial=u.partial,
                )
            )
        return out


class Segmenter(ABC):
    """Turns a raw page into Japanese sentences, English reference sentences and a list of drops."""

    def __init__(self, cfg: SegmentSection) -> None:
        self.cfg = cfg

    @abstractmethod
    def segment(self, text: str) -> SegmentResult:
        """Segment a (possibly mixed-language, scraped) document."""

    @abstractmethod
    def segment_reference(self, text: str, source: str | None = None) -> SegmentResult:
        """Segment an English reference text (paragraphs separated by blank lines); ``source``, when
        known, is the Japanese it translates (a title's parts it carries are kept in the English)."""


segmenters: Registry[type[Segmenter]] = Registry("segmenter")
