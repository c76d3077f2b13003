"""Per-document figures and the corpus view's row sections (pipeline/export/documents.py)."""

from __future__ import annotations

from pipeline.config import ExportSection
from pipeline.export.documents import Capped, DocumentStats, DocumentTally, corpus_sections, rank_metric, worst_first
from pipeline.rows import Row


def row(doc: str, seg: str, source: str = "文。", reference: str = "A sentence.", score: float = 0.95, **kw) -> Row:
    return Row(doc, seg, source, "MT.", reference, "1-1" if source and reference else "1-0", score, **kw)


ROWS = [
    row("a/doc1", "ja1"),
    row("a/doc1", "ja2", score=0.4),
    row("a/doc1", "ja3", reference="", flags=["truncated"]),
    row("b/doc1", "ja4"),
    row("b/doc1", "en1", source=""),
    row("b/doc1", "ja5", reference="Cut …", partial=True),
    row("c/doc1", "ja6", reference=""),
]
SCORES = {"ja1": {"chrf": 80.0}, "ja2": {"chrf": 40.0}, "ja4": {"chrf": 30.0}, "ja5": {"chrf": 10.0}}


def document_stats(rows: list[Row], scores: dict[str, dict[str, float]], low_confidence: float) -> list[DocumentStats]:
    tally = DocumentTally(scores, low_confidence)
    for r in rows:
        tally.add(r)
    return list(tally.documents.values())


def test_document_stats() -> None:
    a, b, c = document_stats(ROWS, SCORES, low_confidence=0.9)
    assert (a.doc_id, a.first_row, a.rows, a.source_rows, a.referenced) == ("a/doc1", 1, 3, 3, 2)
    assert (a.flagged, a.low_confidence, a.score("chrf")) == (1, 1, 60.0)
    assert a.coverage == 2 / 3
    # the truncated reference is not in the mean (full references only); the reference-only row has no source
    assert (b.first_row, b.rows, b.source_rows, b.score("chrf"), b.coverage) == (4, 3, 2, 30.0, 1.0)
    assert (c.score("chrf"), c.coverage, c.low_confidence) == (None, 0.0, 0)


def test_worst_first_and_rank_metric() -> None:
    docs = document_stats(ROWS, SCORES, 0.9)
    assert rank_metric(["bleu", "chrf"]) == "chrf" and rank_metric(["bleu"]) == "bleu" and rank_metric([]) is None
    assert [d.doc_id for d in worst_first(docs, "chrf")] == ["b/doc1", "a/doc1"]  # c has no scored row
    assert worst_first(docs, None) == []


def test_corpus_sections_cap_and_order() -> None:
    cfg = ExportSection(report_worst_documents=1, report_rows_per_section=1, report_low_confidence=0.9)
    worst, flagged, low = corpus_sections(ROWS, document_stats(ROWS, SCORES, 0.9), "chrf", cfg)
    assert worst.total == 3 and [n for n, _ in worst.rows] == [4] and "b/doc1 (30.0)" in worst.note
    assert flagged.total == 1 and [r.seg_id for _, r in flagged.rows] == ["ja3"]
    assert low.total == 1 and [n for n, _ in low.rows] == [2]
    cfg = ExportSection(report_worst_documents=2, report_rows_per_section=10)
    worst = corpus_sections(ROWS, document_stats(ROWS, SCORES, 0.9), "chrf", cfg)[0]
    assert [n for n, _ in worst.rows] == [4, 5, 6, 1, 2, 3]  # the worst document's rows first


def kept(numbered: list[tuple[int, Row]], cap: int, key=None) -> tuple[list[tuple[int, Row]], int]:
    keep = Capped(cap, key)
    for pair in numbered:
        keep.add(pair)
    return keep.kept, keep.total


def test_capped_keeps_what_sorting_then_cutting_keeps_and_counts_all() -> None:
    numbered = list(enumerate(ROWS * 3, 1))
    by_score = lambda nr: nr[1].align_score  # noqa: E731  (ties: row order, as sorted() keeps it)
    for cap in (0, 1, 4, 5, 100):
        assert kept(numbered, cap, by_score) == (sorted(numbered, key=by_score)[:cap], len(numbered))
        assert kept(numbered[::-1], cap, by_score) == (sorted(numbered[::-1], key=by_score)[:cap], len(numbered))
        assert kept(numbered, cap) == (numbered[:cap], len(numbered))
