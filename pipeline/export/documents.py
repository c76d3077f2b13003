"""Per-document figures of a run's rows, and which rows a corpus-scale report shows.

A document is a ``Row.doc_id`` (``doc1`` of a one-page run, ``NAME/docK`` of a corpus). Its BLEU and
chrF are the means of its rows' sentence scores (the score stage's, full references only): corpus
scores per document would score every row a second time.
"""

from __future__ import annotations

import heapq
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from ..config import ExportSection
from ..rows import Row

RANK_METRICS = ("chrf", "bleu")
"""The row metric that ranks documents from worst to best: the first of these the run scores."""


def is_low_confidence(row: Row, threshold: float) -> bool:
    """A link (a row with a source and a reference) whose alignment confidence is under ``threshold``."""
    return row.has_reference and row.align_score < threshold


@dataclass
class DocumentStats:
    doc_id: str
    first_row: int  # 1-based row number of its first row in bitext.tsv
    rows: int = 0
    source_rows: int = 0
    referenced: int = 0  # source rows with a reference
    flagged: int = 0  # source rows whose MT carries a flag
    low_confidence: int = 0
    sums: dict[str, float] = field(default_factory=dict)  # metric → sum of full-reference row scores
    scored: int = 0

    @property
    def coverage(self) -> float | None:
        """Share of its source rows that have a reference (None: no source rows)."""
        return self.referenced / self.source_rows if self.source_rows else None

    def score(self, metric: str) -> float | None:
        """The mean row score of ``metric`` (None: no row with a full reference)."""
        return self.sums[metric] / self.scored if self.scored and metric in self.sums else None

    def add(self, row: Row, scores: dict[str, float], low_confidence: float) -> None:
        self.rows += 1
        self.source_rows += bool(row.source)
        self.referenced += row.has_reference
        self.flagged += bool(row.source and row.flags)
        self.low_confidence += is_low_confidence(row, low_confidence)
        if row.has_reference and not row.partial and scores:
            self.scored += 1
            for metric, value in scores.items():
                self.sums[metric] = self.sums.get(metric, 0.0) + value


@dataclass
class DocumentTally:
    """:class:`DocumentStats` of each document, taken a row at a time (``rows``: the rows added so far)."""

    row_scores: dict[str, dict[str, float]]
    low_confidence: float
    rows: int = 0
    documents: dict[str, DocumentStats] = field(default_factory=dict)

    def add(self, row: Row) -> None:
        self.rows += 1
        doc = self.documents.get(row.doc_id)
        if doc is None:
            doc = self.documents[row.doc_id] = DocumentStats(row.doc_id, self.rows)
        doc.add(row, self.row_scores.get(row.seg_id, {}), self.low_confidence)


def rank_metric(metrics: Sequence[str]) -> str | None:
    return next((m for m in RANK_METRICS if m in metrics), metrics[0] if metrics else None)


def worst_first(docs: Sequence[DocumentStats], metric: str | None) -> list[DocumentStats]:
    """Scored documents from the lowest ``metric`` up (document order among equals)."""
    if metric is None:
        return []
    scored = [(value, d) for d in docs if (value := d.score(metric)) is not None]
    return [d for _, d in sorted(scored, key=lambda pair: pair[0])]


@dataclass
class Section:
    """One table of rows in the report: (1-based row number, row) pairs, and how many qualified."""

    key: str
    title: str
    note: str
    rows: list[tuple[int, Row]]
    total: int


class _Descending:
    """A key that sorts the other way round: the heap of :class:`Capped` keeps its largest kept key on top."""

    __slots__ = ("key",)

    def __init__(self, key: Any) -> None:
        self.key = key

    def __lt__(self, other: _Descending) -> bool:
        return other.key < self.key


@dataclass
class Capped:
    """The first ``cap`` of the (number, row) pairs added (by ``key``, stable: as ``sorted(pairs,
    key=key)[:cap]``), and how many were added, holding no more than ``cap`` of them at a time."""

    cap: int
    key: Callable[[tuple[int, Row]], Any] | None = None
    total: int = 0
    _kept: list[Any] = field(default_factory=list)

    def add(self, pair: tuple[int, Row]) -> None:
        self.total += 1
        if self.key is None:
            if len(self._kept) < self.cap:
                self._kept.append(pair)
            return
        entry = (_Descending((self.key(pair), self.total)), pair)  # the count breaks ties: added order
        if len(self._kept) < self.cap:
            heapq.heappush(self._kept, entry)
        elif self._kept and entry[0].key < self._kept[0][0].key:
            heapq.heapreplace(self._kept, entry)

    @property
    def kept(self) -> list[tuple[int, Row]]:
        if self.key is None:
            return list(self._kept)
        return [pair for _, pair in sorted(self._kept, key=lambda entry: entry[0].key)]


def corpus_sections(
    rows: Iterable[Row], docs: Sequence[DocumentStats], metric: str | None, cfg: ExportSection
) -> list[Section]:
    """The rows a corpus-scale report shows: the worst documents', the flagged and the low-confidence
    ones, each capped at ``cfg.report_rows_per_section``."""
    cap = cfg.report_rows_per_section
    worst = worst_first(docs, metric)[: cfg.report_worst_documents]
    rank = {d.doc_id: i for i, d in enumerate(worst)}
    of_worst = Capped(cap, lambda nr: (rank[nr[1].doc_id], nr[0]))
    flagged, low = Capped(cap), Capped(cap, lambda nr: nr[1].align_score)
    for pair in enumerate(rows, 1):  # one pass for the three sections
        row = pair[1]
        if row.doc_id in rank:
            of_worst.add(pair)
        if row.source and row.flags:
            flagged.add(pair)
        if is_low_confidence(row, cfg.report_low_confidence):
            low.add(pair)
    names = ", ".join(f"{d.doc_id} ({d.score(metric):.1f})" for d in worst if metric)
    return [
        Section(
            "worst",
            "Worst documents · their rows",
            f"The {len(worst)} documents with the lowest mean row {metric}, worst first: {names or 'none scored'}.",
            of_worst.kept,
            of_worst.total,
        ),
        Section(
            "flagged",
            "Flagged translations",
            "Rows whose machine translation carries a flag.",
            flagged.kept,
            flagged.total,
        ),
        Section(
            "low-confidence",
            "Low-confidence links",
            f"Rows with a source and a reference whose alignment confidence is under {cfg.report_low_confidence:g}, "
            "lowest first.",
            low.kept,
            low.total,
        ),
    ]
