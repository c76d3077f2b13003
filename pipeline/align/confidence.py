"""Calibrated bead confidence: the probability that a linked bead is correct.

A logistic model over what the aligner knows of a bead — its evidence score, how plausible its
length ratio is, whether it was a confident link of the evidence chain or filled into a gap between
such links, and whether it starts a paragraph on one side only (weighed by how far the document's
paragraphs correspond). The weights (``PARAMS.confidence.calibration``, :mod:`.params`) are fitted
on the tune half of the WMT21 dev set and the seed's golds (``python benchmarks/tune_align.py
--calibrate``) and checked on the test half (``benchmarks/eval_quality.py`` prints the reliability
table).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, fields

LOGIT_LIMIT = 30.0  # the logit is clipped to ±this before the sigmoid (numeric: exp never overflows)


@dataclass(frozen=True)
class BeadFeatures:
    evidence: float  # combined signal score in [0, 1]
    length_logp: float  # log P(length ratio), ≤ 0
    anchored: bool  # a link of the evidence chain (else filled into a gap)
    # starts a paragraph on one side only (1), weighed by how far the document's paragraphs correspond
    paragraph_mismatch: float

    def signals(self) -> dict[str, float]:
        """As recorded in a bead's ``signals`` (alignment.jsonl)."""
        return {
            "evidence": self.evidence,
            "length_logp": self.length_logp,
            "anchored": float(self.anchored),
            "paragraph_mismatch": self.paragraph_mismatch,
        }

    @classmethod
    def from_signals(cls, signals: dict[str, float]) -> BeadFeatures:
        return cls(
            signals["evidence"], signals["length_logp"], bool(signals["anchored"]), float(signals["paragraph_mismatch"])
        )

    def vector(self) -> tuple[float, ...]:
        """(1, then the features in their order), for the logistic weights."""
        return (1.0, *(float(getattr(self, name)) for name in _FEATURES))


_FEATURES = tuple(f.name for f in fields(BeadFeatures))  # the vector's order: the dataclass's


@dataclass(frozen=True)
class Calibration:
    """Logistic weights for (bias, evidence, length_logp, anchored, paragraph_mismatch)."""

    weights: tuple[float, ...]

    def __call__(self, f: BeadFeatures) -> float:
        z = sum(w * x for w, x in zip(self.weights, f.vector()))
        return 1 / (1 + math.exp(-max(-LOGIT_LIMIT, min(LOGIT_LIMIT, z))))


def fit(features: list[BeadFeatures], correct: list[bool], steps: int = 50, l2: float = 1e-2) -> Calibration:
    """Logistic regression by Newton's method (a few features, a few thousand beads)."""
    import numpy as np

    x = np.array([f.vector() for f in features])
    y = np.array(correct, dtype=float)
    w = np.zeros(x.shape[1])
    for _ in range(steps):
        p = 1 / (1 + np.exp(-np.clip(x @ w, -LOGIT_LIMIT, LOGIT_LIMIT)))
        grad = x.T @ (p - y) + l2 * w
        hess = (x * (p * (1 - p))[:, None]).T @ x + l2 * np.eye(len(w))
        w -= np.linalg.solve(hess, grad)
    return Calibration(tuple(round(float(v), 3) for v in w))
