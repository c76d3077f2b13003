"""The bead confidence: a logistic mapping of what the aligner knows, fitted to correctness."""

from __future__ import annotations

import random
from pathlib import Path

from pipeline.align.confidence import BeadFeatures, Calibration, fit
from pipeline.align.evaluate import load_gold, score_links
from pipeline.align.hybrid import HybridAligner
from pipeline.align.params import PARAMS
from pipeline.config import AlignSection, SegmentSection
from pipeline.segment import rules as _rules  # noqa: F401
from pipeline.segment.base import segmenters

REPO = Path(__file__).resolve().parent.parent


def test_confidence_grows_with_evidence_and_length_fit() -> None:
    low = BeadFeatures(evidence=0.1, length_logp=-3.0, anchored=False, paragraph_mismatch=1.0)
    mid = BeadFeatures(evidence=0.5, length_logp=-1.0, anchored=False, paragraph_mismatch=0.0)
    high = BeadFeatures(evidence=0.9, length_logp=-0.1, anchored=True, paragraph_mismatch=0.0)
    calibration = PARAMS.confidence.calibration
    assert 0 < calibration(low) < calibration(mid) < calibration(high) < 1


def test_signals_round_trip() -> None:
    f = BeadFeatures(evidence=0.4, length_logp=-0.7, anchored=True, paragraph_mismatch=0.0)
    assert BeadFeatures.from_signals(f.signals()) == f


def test_fit_recovers_a_known_mapping() -> None:
    truth = Calibration((-2.0, 5.0, 1.0, 1.5, -1.0))
    rng = random.Random(0)
    features, correct = [], []
    for _ in range(4000):
        f = BeadFeatures(rng.random(), -3 * rng.random(), rng.random() < 0.5, float(rng.random() < 0.2))
        features.append(f)
        correct.append(rng.random() < truth(f))
    fitted = fit(features, correct)
    assert all(abs(a - b) < 0.6 for a, b in zip(fitted.weights, truth.weights)), fitted
    # calibrated: among beads it gives ≥ 0.9, at least 90 % are correct (up to sampling noise)
    high = [ok for f, ok in zip(features, correct) if fitted(f) >= 0.9]
    assert high and sum(high) / len(high) >= 0.88


def test_teaser_paragraphs_do_not_lower_confidence() -> None:
    """The seed's teaser is a title and one paragraph that runs over several of the article's: a bead
    starting a paragraph on one side only is no sign of a wrong link there, and its right links keep a
    high confidence (before the mismatch was weighed by the document's paragraph agreement: 0.04)."""
    seg = segmenters.get("rules")(SegmentSection())
    page = seg.segment((REPO / "data" / "seed_ja.txt").read_text(encoding="utf-8")).to_sentences()
    src = [s for s in page if s.lang == "ja"]
    ref = [s for s in page if s.lang == "en"]
    text = {s.seg_id: s.text for s in page}
    beads = [b for b in HybridAligner(AlignSection()).align(src, [""] * len(src), ref) if b.src_ids and b.ref_ids]
    assert (
        score_links(
            [("".join(text[i] for i in b.src_ids), b.reference(text)) for b in beads],
            load_gold(REPO / "tests" / "data" / "align" / "teaser_gold.json"),
        ).precision
        == 1.0
    )
    assert min(b.score for b in beads) >= 0.9
