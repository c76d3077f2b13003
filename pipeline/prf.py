"""Precision, recall and F1 from counts: the one computation behind every evaluation of predicted
items against gold ones (alignment links, sentence boundaries).

Empty sets: recall over an empty gold set is 1.0 (nothing was missed). Precision of an empty
prediction is 1.0 only when the gold set is empty too (nothing to find, nothing wrongly found) and
0.0 when there was something to find. F1 is 0.0 when precision and recall are both 0.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class PRF:
    """``correct`` of ``predicted`` items are in the gold set of ``gold`` items."""

    correct: int
    predicted: int
    gold: int

    @property
    def precision(self) -> float:
        if self.predicted:
            return self.correct / self.predicted
        return 1.0 if not self.gold else 0.0

    @property
    def recall(self) -> float:
        return self.correct / self.gold if self.gold else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0
