"""Where in the source a reference paragraph is expected, from the chain's confident links.

Between two confident links, the reference's paragraphs are expected to fall on the source's
paragraphs in proportion (a reference that keeps every other paragraph lands on every other source
paragraph); before the first and after the last link, at the chain's overall rate. A chain link to a
truncated reference (scored on the precision of a few words, which an unrelated source can reach)
that lies far off the line its neighbours draw leaves the chain (:func:`without_off_line`), and the
gap DP links its sentences again.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass

from ..records import Sentence
from .dp import Step


def paragraph_ranks(sents: Sequence[Sentence]) -> list[int]:
    """Each sentence's paragraph, counted from 0 in document order."""
    ranks: list[int] = []
    for k, s in enumerate(sents):
        ranks.append(0 if k == 0 else ranks[-1] + (s.para_id != sents[k - 1].para_id))
    return ranks


@dataclass(frozen=True)
class ParagraphLine:
    """The chain's links as (reference paragraph, source paragraph) points, in reference order, and
    the overall source paragraphs per reference paragraph (1 where the chain spans one paragraph)."""

    src_ranks: tuple[int, ...]
    ref_ranks: tuple[int, ...]
    points: tuple[tuple[int, int], ...]
    slope: float

    @classmethod
    def from_chain(cls, src: Sequence[Sentence], ref: Sequence[Sentence], chain: Sequence[Step]) -> ParagraphLine:
        src_ranks, ref_ranks = paragraph_ranks(src), paragraph_ranks(ref)
        points = tuple(sorted({(ref_ranks[s.j], src_ranks[s.i]) for s in chain if s.di and s.dj}))
        (q0, p0), (q1, p1) = (points[0], points[-1]) if points else ((0, 0), (0, 0))
        slope = (p1 - p0) / (q1 - q0) if q1 > q0 and p1 >= p0 else 1.0
        return cls(tuple(src_ranks), tuple(ref_ranks), points, slope)

    def expected(self, q: int) -> tuple[float, float]:
        """The source paragraphs (lowest, highest) where reference paragraph ``q`` is expected: on the
        line between the links around it, or at the overall rate beyond the first / last link."""
        if not self.points:
            return (-float("inf"), float("inf"))
        k = bisect_right(self.points, (q, float("inf")))
        if k == 0:
            q1, p1 = self.points[0]
            return (p1 - (q1 - q) * self.slope,) * 2
        q0, p0 = self.points[k - 1]
        if q0 == q:
            same = [p for qq, p in self.points if qq == q]
            return (min(same), max(same))
        if k == len(self.points):
            return (p0 + (q - q0) * self.slope,) * 2
        q1, p1 = self.points[k]
        at = p0 + (q - q0) * (p1 - p0) / (q1 - q0)
        return (at, at)

    def distance(self, i: int, j: int) -> float:
        """Paragraphs between source sentence ``i``'s paragraph and where reference sentence ``j``'s is expected."""
        lo, hi = self.expected(self.ref_ranks[j])
        p = self.src_ranks[i]
        return max(0.0, lo - p, p - hi)


def off_line(whole: ParagraphLine, chain: Sequence[Step], k: int) -> float:
    """Paragraphs between chain link ``k``'s source and where the links either side of it (at the
    whole chain's rate ``whole.slope``, for the first and the last) expect its reference paragraph."""
    around = [chain[x] for x in (k - 1, k + 1) if 0 <= x < len(chain)]
    points = tuple(sorted({(whole.ref_ranks[s.j], whole.src_ranks[s.i]) for s in around}))
    line = ParagraphLine(whole.src_ranks, whole.ref_ranks, points, whole.slope)
    return line.distance(chain[k].i, chain[k].j)


def without_off_line(
    src: Sequence[Sentence], ref: Sequence[Sentence], chain: Sequence[Step], max_paragraphs: float
) -> list[Step]:
    """The chain less every link to a truncated reference more than ``max_paragraphs`` from where its
    neighbours expect it (0: none left out). A truncated reference is scored on the precision of a
    few words, which an unrelated source can reach; its place is the better witness."""
    if not max_paragraphs:
        return list(chain)
    whole = ParagraphLine.from_chain(src, ref, chain)
    return [
        s for k, s in enumerate(chain) if not ref[s.j + s.dj - 1].partial or off_line(whole, chain, k) <= max_paragraphs
    ]
