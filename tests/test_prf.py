"""The one P/R/F1: counts in, the documented convention for empty sets."""

from __future__ import annotations

import pytest

from pipeline.align.evaluate import LinkScores
from pipeline.prf import PRF
from pipeline.segment.evaluate import BoundaryScore


def test_precision_recall_f1_from_counts() -> None:
    prf = PRF(correct=3, predicted=4, gold=6)
    assert (prf.precision, prf.recall) == (0.75, 0.5)
    assert prf.f1 == pytest.approx(0.6)


@pytest.mark.parametrize(
    ("counts", "expected"),
    [
        ((0, 0, 0), (1.0, 1.0, 1.0)),  # nothing to find, nothing found
        ((0, 0, 5), (0.0, 0.0, 0.0)),  # nothing found of something to find
        ((0, 3, 0), (0.0, 1.0, 0.0)),  # found only what is not there
    ],
)
def test_empty_sets(counts: tuple[int, int, int], expected: tuple[float, float, float]) -> None:
    prf = PRF(*counts)
    assert (prf.precision, prf.recall, prf.f1) == expected


def test_links_and_boundaries_share_it() -> None:
    links = LinkScores.from_counts(3, 4, 6, digits=None)
    boundaries = BoundaryScore(tp=3, fp=1, fn=3)
    assert (links.precision, links.recall, links.f1) == (boundaries.precision, boundaries.recall, boundaries.f1)
    assert BoundaryScore(tp=0, fp=0, fn=2).precision == LinkScores.from_counts(0, 0, 2).precision == 0.0
