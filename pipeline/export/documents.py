"""Per-document figures of a run's rows, and which rows a corpus-scale report shows.

A document is a ``Row.doc_id`` (``doc1`` of a one-page run, ``NAME/docK`` of a corpus). Its BLEU and
chrF are the means of its rows' sentence scores (the score stage's, full references only): corpus
scores per document would score every row a second time.
"""

from __future__ import annotations

import heapq
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from itertools import islice
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


def document_stats(
    rows: Iterable[Row], row_scores: dict[str, dict[str, float]], low_confidence: float
) -> list[DocumentStats]:
    """One entry per document, in document order."""
    docs: dict[str, DocumentStats] = {}
    for number, row in enumerate(rows, 1):
        doc = docs.get(row.doc_id)
        if doc is None:
            doc = docs[row.doc_id] = DocumentStats(row.doc_id, number)
        doc.add(row, row_scores.get(row.seg_id, {}), low_confidence)
    return list(docs.values())


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


def capped(
    numbered: Iterable[tuple[int, Row]], cap: int, key: Callable[[tuple[int, Row]], Any] | None = None
) -> tuple[list[tuple[int, Row]], int]:
    """The first ``cap`` of ``numbered`` (by ``key``, stable: as ``sorted(numbered, key=key)[:cap]``),
    and how many there were, holding no more than ``cap`` of them at a time."""
    total = 0

    def counted() -> Iterator[tuple[int, Row]]:
        nonlocal total
        for pair in numbered:
            total += 1
            yield pair

    pairs = counted()
    kept = heapq.nsmallest(cap, pairs, key=key) if key else list(islice(pairs, cap))
    deque(pairs, maxlen=0)  # the rest, only counted
    return kept, total


def corpus_sections(
    rows: Iterable[Row], docs: Sequence[DocumentStats], metric: str | None, cfg: ExportSection
) -> list[Section]:
    """The rows a corpus-scale report shows: the worst documents', the flagged and the low-confidence
    ones, each capped at ``cfg.report_rows_per_section``."""
    cap = cfg.report_rows_per_section
    worst = worst_first(docs, metric)[: cfg.report_worst_documents]
    rank = {d.doc_id: i for i, d in enumerate(worst)}
    of_worst, n_worst = capped(
        ((n, r) for n, r in enumerate(rows, 1) if r.doc_id in rank), cap, lambda nr: (rank[nr[1].doc_id], nr[0])
    )
    flagged, n_flagged = capped(((n, r) for n, r in enumerate(rows, 1) if r.source and r.flags), cap)
    low, n_low = capped(
        ((n, r) for n, r in enumerate(rows, 1) if is_low_confidence(r, cfg.report_low_confidence)),
        cap,
        lambda nr: nr[1].align_score,
    )
    names = ", ".join(f"{d.doc_id} ({d.score(metric):.1f})" for d in worst if metric)
    return [
        Section(
            "worst",
            "Worst documents · their rows",
            f"The {len(worst)} documents with the lowest mean row {metric}, worst first: {names or 'none scored'}.",
            of_worst,
            n_worst,
        ),
        Section(
            "flagged",
            "Flagged translations",
            "Rows whose machine translation carries a flag.",
            flagged,
            n_flagged,
        ),
        Section(
            "low-confidence",
            "Low-confidence links",
            f"Rows with a source and a reference whose alignment confidence is under {cfg.report_low_confidence:g}, "
            "lowest first.",
            low,
            n_low,
        ),
    ]
