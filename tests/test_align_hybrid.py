"""The aligners on the segmented seed and a dev reference, without a model: MT as a signal,
calibrated so that meaningless MT adds nothing, and the bead contract."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from pipeline.align.evaluate import containment, load_gold, score_links
from pipeline.align.hybrid import HybridAligner
from pipeline.align.lexical import LexicalAligner
from pipeline.align.mt import MTAligner
from pipeline.config import AlignSection, SegmentSection
from pipeline.segment import rules as _rules  # noqa: F401
from pipeline.segment.base import segmenters

REPO = Path(__file__).resolve().parent.parent
DATA = REPO / "tests" / "data" / "align"


@pytest.fixture(scope="module")
def dev():
    seg = segmenters.get("rules")(SegmentSection())
    page = seg.segment((REPO / "data" / "seed_ja.txt").read_text(encoding="utf-8")).to_sentences()
    src = [s for s in page if s.lang == "ja"]
    ref = seg.segment_reference((DATA / "dev_reference_en.txt").read_text(encoding="utf-8")).to_sentences()
    return src, ref, load_gold(DATA / "dev_gold.json")


def f1(beads, src, ref, gold) -> float:
    text = {s.seg_id: s.text for s in [*src, *ref]}
    pred = [("".join(text[i] for i in b.src_ids), b.reference(text)) for b in beads]
    return score_links(pred, gold).f1


def check_contract(beads, src, ref) -> None:
    assert [i for b in beads for i in b.src_ids] == [s.seg_id for s in src]
    whole = [i for b in beads if not b.ref_span for i in b.ref_ids]
    cut = {b.ref_ids[0] for b in beads if b.ref_span}  # a cut sentence is in several beads, one piece each
    assert sorted([*whole, *cut]) == sorted(r.seg_id for r in ref)
    for b in beads:
        assert (b.score > 0) == bool(b.src_ids and b.ref_ids)


def test_mt_signal_alone_with_good_mt(dev) -> None:
    src, ref, gold = dev
    # stand-in for a good MT system: the gold English of each gold sentence, nothing for the rest
    mt = []
    for s in src:
        match = [" ".join(en) for ja, en in gold if ja and containment(ja[0], s.text) >= 0.9]
        mt.append(match[0] if match else "")
    beads = MTAligner(AlignSection(method="mt")).align(src, mt, ref)
    check_contract(beads, src, ref)
    assert f1(beads, src, ref, gold) >= 0.95


def test_meaningless_mt_adds_no_evidence(dev) -> None:
    src, ref, gold = dev
    rng = random.Random(0)
    vocab = "the of Russia China war summit Putin said new talks visit foreign minister Beijing security".split()
    mt = [" ".join(rng.choice(vocab) for _ in range(12)) for _ in src]
    hybrid = HybridAligner(AlignSection()).align(src, mt, ref)
    lexical = LexicalAligner(AlignSection(method="lexical")).align(src, [""] * len(src), ref)
    check_contract(hybrid, src, ref)
    assert f1(hybrid, src, ref, gold) >= 0.95
    assert [(b.src_ids, b.ref_ids) for b in hybrid] == [(b.src_ids, b.ref_ids) for b in lexical]


def test_threshold_trades_links_for_unaligned_rows(dev) -> None:
    src, ref, gold = dev
    strict = LexicalAligner(AlignSection(method="lexical", threshold=0.95)).align(src, [""] * len(src), ref)
    check_contract(strict, src, ref)
    # the threshold bounds the evidence of the chain's links (gap links are judged by length and place)
    assert all(b.signals["evidence"] > 0.95 for b in strict if b.src_ids and b.ref_ids and b.signals["anchored"])
    loose = LexicalAligner(AlignSection(method="lexical")).align(src, [""] * len(src), ref)
    assert sum(bool(b.src_ids and b.ref_ids) for b in strict) < sum(bool(b.src_ids and b.ref_ids) for b in loose)


def test_partial_reference_sentence_marks_its_bead(dev) -> None:
    src, ref, _ = dev
    beads = LexicalAligner(AlignSection(method="lexical")).align(src, [""] * len(src), ref)
    last = ref[-1]
    assert last.partial and last.text.endswith("…")
    bead = next(b for b in beads if last.seg_id in b.ref_ids)
    assert bead.partial and bead.src_ids
    assert next(s for s in src if s.seg_id == bead.src_ids[0]).text.startswith("ラブロフ外相は、本日早朝アスタナで")


def test_min_confidence_leaves_doubtful_links_unaligned(dev) -> None:
    src, ref, _ = dev

    def run(**kw):
        return LexicalAligner(AlignSection(method="lexical", **kw)).align(src, [""] * len(src), ref)

    every = run(min_confidence=0.0)
    default = run()
    none = run(min_confidence=1.0)
    for beads in (every, default, none):
        check_contract(beads, src, ref)
    assert not [b for b in none if b.src_ids and b.ref_ids and not b.signals["anchored"]]
    assert all(b.score >= 0.5 for b in default if b.src_ids and b.ref_ids and not b.signals["anchored"])
    kept = {(tuple(b.src_ids), tuple(b.ref_ids)) for b in default if b.src_ids and b.ref_ids}
    assert kept <= {(tuple(b.src_ids), tuple(b.ref_ids)) for b in every}
