"""Bitext rows from the stage artifacts (pipeline/rows.py): a list, or a stream made afresh on each pass."""

from __future__ import annotations

from pipeline.records import Bead, Sentence, Translation
from pipeline.rows import RowStream, build_rows

SENTENCES = [
    Sentence("ja1", "d1", 0, "ja", "body", "一文。"),
    Sentence("ja2", "d1", 0, "ja", "body", "二文。"),
    Sentence("en1", "d1", 0, "en", "reference", "One and two."),
    Sentence("ja3", "d2", 0, "ja", "body", "三文。"),
    Sentence("en2", "d2", 0, "en", "reference", "An extra line."),
]
TRANSLATIONS = [
    Translation("ja1", "One."),
    Translation("ja2", "Two.", flags=["repeated"]),
    Translation("ja3", "Three.", retried="cap"),
]
BEADS = [Bead(["ja1", "ja2"], ["en1"], 0.9), Bead(["ja3"], [], 0.0), Bead([], ["en2"], 0.0)]


def test_a_stream_makes_the_same_rows_on_every_pass() -> None:
    rows = build_rows(SENTENCES, TRANSLATIONS, BEADS)
    stream = RowStream(SENTENCES, TRANSLATIONS, BEADS)
    assert len(stream) == 3 and list(stream) == rows and list(stream) == rows
    assert [(r.doc_id, r.seg_id, r.source, r.translation, r.reference) for r in rows] == [
        ("d1", "ja1+ja2", "一文。二文。", "One. Two.", "One and two."),
        ("d2", "ja3", "三文。", "Three.", ""),
        ("d2", "en2", "", "", "An extra line."),
    ]
    assert (rows[0].flags, rows[1].retried, rows[0].align_type) == (["repeated"], "cap", "2-1")


def test_a_stream_makes_its_rows_with_the_maker_it_was_given() -> None:
    stream = RowStream(SENTENCES, TRANSLATIONS, BEADS, lambda *a: build_rows(*a)[:1])
    assert [r.seg_id for r in stream] == ["ja1+ja2"] and len(stream) == 3  # len: the beads, what the check compares


def test_beads_out_of_the_artifacts_order_make_the_same_rows() -> None:
    """A window reads ahead only as far as a bead needs; an id asked for after it went is found again."""
    rows = build_rows(SENTENCES, TRANSLATIONS, BEADS)
    assert build_rows(SENTENCES, TRANSLATIONS, BEADS[::-1]) == rows[::-1]
    twice = build_rows(SENTENCES, TRANSLATIONS, [*BEADS, BEADS[0]])  # unchecked input: a bead repeated
    assert twice == [*rows, rows[0]]
