"""Cutting a reference sentence that renders two source sentences (align/split.py), and the cut
pieces through beads, rows and the contract that every reference sentence is covered once."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.align import split
from pipeline.align.evidence import Evidence, Signals
from pipeline.align.hybrid import HybridAligner
from pipeline.align.params import PARAMS
from pipeline.align.split import candidate_cuts, inside_brackets
from pipeline.config import AlignSection, SegmentSection
from pipeline.consistency import BitextCheck, RunArtifacts, check_alignment
from pipeline.errors import InputError
from pipeline.io import read_records
from pipeline.records import Bead, Sentence, Translation
from pipeline.rows import build_rows
from pipeline.segment.rules import RulesSegmenter

# WMT21 dev set, tune half (yahoo-ja.977619), first two paragraphs: both English paragraphs run a
# heading into the next sentence with no full stop ("… is Flawless This week, …", "… white dress
# According to …"); the Japanese ends the headings in "！". The English splitter cuts the first (a Title
# Case headline before an opener word, segment version 6); the second is left to the aligner.
DATA = Path(__file__).resolve().parent / "data" / "align"
JA = (DATA / "run_on_headings_ja.txt").read_text(encoding="utf-8")
EN = (DATA / "run_on_headings_en.txt").read_text(encoding="utf-8")


def sentences() -> tuple[list[Sentence], list[Sentence]]:
    seg = RulesSegmenter(SegmentSection())
    src = [s for s in seg.segment(JA).to_sentences() if s.lang == "ja"]
    ref = [s for s in seg.segment_reference(EN).to_sentences() if s.lang == "en"]
    return src, ref


def run_on(ref: list[Sentence]) -> Sentence:
    """The reference sentence that runs a heading into the next sentence ("… white dress According to …")."""
    return next(r for r in ref if "white dress According" in r.text)


def check_covered_once(beads: list[Bead], ref: list[Sentence]) -> None:
    """Every reference sentence is in the beads once: whole, or as cut pieces that tile it in order."""
    text = {r.seg_id: r.text for r in ref}
    pieces: dict[str, list[list[int] | None]] = {}
    for b in beads:
        for i in b.ref_ids:
            pieces.setdefault(i, []).append(b.ref_span)
    assert sorted(pieces) == sorted(text)
    for i, spans in pieces.items():
        if spans == [None]:
            continue
        assert None not in spans and spans[0][0] == 0 and spans[-1][1] == len(text[i])
        assert all(a[1] <= b[0] for a, b in zip(spans, spans[1:]))
        assert all(not text[i][a[1] : b[0]].strip() for a, b in zip(spans, spans[1:]))  # only spaces between


def test_candidate_cuts_only_before_a_capital_after_a_content_word() -> None:
    text = (
        "Dress is the Talk of the Town, and the Royal Couple's Coordination is Flawless This week, Prince William met."
    )
    cuts = {text[start:].split()[0]: cost for _, start, cost in candidate_cuts(text, PARAMS.cuts)}
    assert cuts["This"] == PARAMS.cuts.before_function_word  # a capitalised function word: a likely sentence start
    assert cuts["William"] == PARAMS.cuts.before_name
    assert "Coordination" not in cuts  # after a possessive
    # never after a function word ("the Town", "the Royal"), a comma ("week, Prince") or before lower case
    assert not {"Town,", "Royal", "Prince", "and", "is"} & set(cuts)
    assert candidate_cuts("It rained, and the game was called off at once.", PARAMS.cuts) == []


def test_no_cut_inside_brackets_or_a_quotation() -> None:
    # found on the tune half's merged-sentence variant: "(AP/Kyodo | News)", "\"Hare | No Megumi\"" were cut
    text = (
        'Protesters in Khabarovsk on the 25th (AP/Kyodo News) The authorities renamed it "Hare No '
        'Megumi Okayama Brand" Visitors came.'
    )
    cuts = {text[start:].split()[0] for _, start, _ in candidate_cuts(text, PARAMS.cuts)}
    assert {"The", "Visitors"} <= cuts  # after the brackets and the quotation close
    assert not {"News)", "No", "Megumi", "Okayama", 'Brand"'} & cuts
    assert inside_brackets("the “Hare No") and not inside_brackets("the “Hare” No")


def test_headings_run_into_sentences_are_cut_where_the_sources_imply() -> None:
    src, ref = sentences()
    assert len(src) == 6 and len(ref) == 5  # the English splitter cannot see the second unmarked boundary
    beads = HybridAligner(AlignSection()).align(src, [""] * len(src), ref)  # no MT: anchors and length only
    check_covered_once(beads, ref)
    text = {s.seg_id: s.text for s in [*src, *ref]}
    rows = [("".join(text[i] for i in b.src_ids), b.reference(text), b.type) for b in beads]
    assert [r[2] for r in rows] == ["1-1"] * 6
    assert rows[0][1].endswith("Coordination is Flawless") and rows[1][1].startswith("This week, Prince William")
    assert rows[3][1].endswith("white dress") and rows[4][1].startswith("According to the English magazine")
    assert [b.ref_span is not None for b in beads] == [False, False, False, True, True, False]
    assert all(b.score >= 0.9 for b in beads)


def test_cutting_can_be_turned_off() -> None:
    src, ref = sentences()
    beads = HybridAligner(AlignSection(cut_references=False)).align(src, [""] * len(src), ref)
    check_covered_once(beads, ref)
    assert all(b.ref_span is None for b in beads) and [b.type for b in beads].count("2-1") == 1


def test_cut_pieces_become_rows_and_round_trip() -> None:
    src, ref = sentences()
    beads = HybridAligner(AlignSection()).align(src, [""] * len(src), ref)
    beads = [Bead.from_dict(b.to_dict()) for b in beads]
    translations = [Translation(s.seg_id, "") for s in src]
    rows = build_rows([*src, *ref], translations, beads)
    # the aligner's cuts pass the checks between artifacts and the export's invariants (pipeline/consistency.py)
    check_alignment(Path("alignment.jsonl"), list(enumerate(beads, 1)), [*src, *ref])
    check = BitextCheck(RunArtifacts([*src, *ref], translations, beads), Path("run"))
    for row in rows:
        check.add(row)
    check.finish()
    assert " ".join(r.reference for r in rows[3:5]) == run_on(ref).text
    assert [r.align_type for r in rows[3:5]] == ["1-1", "1-1"] and rows[3].seg_id != rows[4].seg_id
    assert "ref_span" not in Bead(["a"], ["b"], 0.5).to_dict()  # unchanged lines for uncut beads


def test_a_truncated_sentence_keeps_its_mark_on_the_last_piece() -> None:
    src, ref = sentences()
    truncated = run_on(ref)
    truncated.text = truncated.text[:200] + "…"
    truncated.partial = True
    beads = HybridAligner(AlignSection()).align(src, [""] * len(src), ref)
    check_covered_once(beads, ref)
    cut = [b for b in beads if b.ref_ids == [truncated.seg_id]]
    assert len(cut) == 2 and [b.partial for b in cut] == [False, True]


@settings(max_examples=150, deadline=None)
@given(
    st.lists(
        st.sampled_from(["The", "the", "Tokyo", "of", "met", ",", ".", " ", "  ", "This", "(Kyodo)", "3", "—", "a"]),
        max_size=30,
    )
)
def test_cuts_are_inside_the_text_between_words(parts: list[str]) -> None:
    text = " ".join(parts)
    for end, start, cost in candidate_cuts(text, PARAMS.cuts):
        assert 0 < end < start < len(text) and not text[end:start].strip() and cost > 0
        assert re.match(r"[\"'“‘(\[]?[A-Z0-9]", text[start:])


def test_a_sentence_with_many_capitals_scores_only_the_cuts_nearest_where_the_sources_put_it() -> None:
    src = [
        Sentence("j1", "d", 1, "ja", "body", "東京の会議で" * 5 + "。"),
        Sentence("j2", "d", 1, "ja", "body", "大阪の市長が" * 15 + "。"),
    ]
    text = " ".join(f"Tokyo{k} Meeting" for k in range(300))  # 600 candidate cuts
    ev = Evidence(src, ["", ""], [Sentence("e1", "d", 1, "en", "reference", text)], Signals(mt=False), 0.3)
    scored: list[str] = []
    real = ev.score_text

    def counted(i: int, di: int, en: str, partial: bool) -> tuple[float, dict[str, float]]:
        scored.append(en)
        return real(i, di, en, partial)

    ev.score_text = counted  # type: ignore[method-assign]
    split.best_cut(ev, 0, 0, 2.6)
    firsts = scored[::2]  # each cut scores its first piece, then its second
    assert len(firsts) == PARAMS.cuts.max_cuts
    expected = len(text) / 4  # the first source holds a quarter of the characters
    assert all(abs(len(en) - expected) < 250 for en in firsts)


def test_a_malformed_cut_in_alignment_jsonl_is_one_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "alignment.jsonl"
    good = {"src_ids": ["ja-1"], "ref_ids": ["en-1"], "score": 0.9, "ref_span": [0, 12]}
    for bad in ([5, 2], "0-12", [0, 12, 3], [0.0, 12]):
        path.write_text(json.dumps(good) + "\n" + json.dumps({**good, "ref_span": bad}) + "\n", encoding="utf-8")
        with pytest.raises(InputError, match=r"alignment\.jsonl:2: not a bead record \(ref_span must be"):
            read_records(path, Bead)
    path.write_text(json.dumps({**good, "ref_ids": ["en-1", "en-2"]}) + "\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"alignment\.jsonl:1: "):
        read_records(path, Bead)
    path.write_text(json.dumps(good) + "\n", encoding="utf-8")
    assert read_records(path, Bead)[0].ref_span == [0, 12]
