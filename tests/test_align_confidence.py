"""The bead confidence: a logistic mapping of what the aligner knows, fitted to correctness."""

from __future__ import annotations

import random

from pipeline.align.confidence import CALIBRATION, BeadFeatures, Calibration, fit


def test_confidence_grows_with_evidence_and_length_fit() -> None:
    low = BeadFeatures(evidence=0.1, length_logp=-3.0, anchored=False, paragraph_mismatch=True)
    mid = BeadFeatures(evidence=0.5, length_logp=-1.0, anchored=False, paragraph_mismatch=False)
    high = BeadFeatures(evidence=0.9, length_logp=-0.1, anchored=True, paragraph_mismatch=False)
    assert 0 < CALIBRATION(low) < CALIBRATION(mid) < CALIBRATION(high) < 1


def test_signals_round_trip() -> None:
    f = BeadFeatures(evidence=0.4, length_logp=-0.7, anchored=True, paragraph_mismatch=False)
    assert BeadFeatures.from_signals(f.signals()) == f


def test_fit_recovers_a_known_mapping() -> None:
    truth = Calibration((-2.0, 5.0, 1.0, 1.5, -1.0))
    rng = random.Random(0)
    features, correct = [], []
    for _ in range(4000):
        f = BeadFeatures(rng.random(), -3 * rng.random(), rng.random() < 0.5, rng.random() < 0.2)
        features.append(f)
        correct.append(rng.random() < truth(f))
    fitted = fit(features, correct)
    assert all(abs(a - b) < 0.6 for a, b in zip(fitted.weights, truth.weights)), fitted
    # calibrated: among beads it gives ≥ 0.9, at least 90 % are correct (up to sampling noise)
    high = [ok for f, ok in zip(features, correct) if fitted(f) >= 0.9]
    assert high and sum(high) / len(high) >= 0.88
