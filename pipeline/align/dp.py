"""Monotone alignment by dynamic programming over beads, skipping unmatched stretches for free.

Unlinked sentences (1-0 / 0-1) cost nothing, so the best alignment is the chain of non-crossing
linked beads with the largest total gain Σ(similarity − threshold). Only beads that beat the
threshold can be part of it, so the DP runs over those *candidate* beads alone
(``align_sparse``: O(K log m) time and O(K + m) memory for K candidates, with a Fenwick tree of
prefix maxima) instead of the full n × m lattice (``align_dense``, the plain O(n·m) reference
implementation kept for tests and small inputs).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import NamedTuple


class Shape(NamedTuple):
    """A bead's shape: how many source and reference sentences it joins (2-1: two source, one reference)."""

    src: int
    ref: int


class Span(NamedTuple):
    """A bead's place: source sentences i..i+di with reference sentences j..j+dj."""

    i: int
    di: int
    j: int
    dj: int


class Step(NamedTuple):
    """A bead of a path with its value (a similarity, or a cost in the gap DP)."""

    i: int
    di: int
    j: int
    dj: int
    value: float

    @property
    def span(self) -> Span:
        return Span(self.i, self.di, self.j, self.dj)

    @property
    def linked(self) -> bool:
        """Whether it joins sentences on both sides (not a 1-0 / 0-1 bead)."""
        return bool(self.di and self.dj)


class Box(NamedTuple):
    """The sentences between two links of a chain: sources i0..i1, references j0..j1 (ends excluded)."""

    i0: int
    i1: int
    j0: int
    j1: int


BEADS = (Shape(1, 1), Shape(2, 1), Shape(1, 2), Shape(1, 0), Shape(0, 1))
Scorer = Callable[[int, int, int, int], float]  # (i, di, j, dj) → similarity in [0, 1]


def align_dense(n: int, m: int, score: Scorer, threshold: float) -> list[Step]:
    """Best monotone path over the full lattice (O(n·m) time and memory): the reference for tests."""
    neg = float("-inf")
    best = [[neg] * (m + 1) for _ in range(n + 1)]
    back: list[list[tuple[int, int, float] | None]] = [[None] * (m + 1) for _ in range(n + 1)]
    best[0][0] = 0.0
    for i in range(n + 1):
        for j in range(m + 1):
            here = best[i][j]
            if here == neg:
                continue
            for di, dj in BEADS:
                ii, jj = i + di, j + dj
                if ii > n or jj > m:
                    continue
                sim = score(i, di, j, dj) if di and dj else 0.0
                gain = sim - threshold if di and dj else 0.0
                if di and dj and gain <= 0:
                    continue
                if here + gain > best[ii][jj]:
                    best[ii][jj] = here + gain
                    back[ii][jj] = (di, dj, sim)
    return trace_back(back, n, m)


def trace_back(back: Sequence[Sequence[tuple[int, int, float] | None]], n: int, m: int) -> list[Step]:
    """The steps ``(i, di, j, dj, value)`` of the best path to ``(n, m)``, in order, from a DP's
    back-pointers ``back[i][j] = (di, dj, value)``."""
    path = []
    i, j = n, m
    while i or j:
        step = back[i][j]
        assert step is not None
        di, dj, value = step
        i, j = i - di, j - dj
        path.append(Step(i, di, j, dj, value))
    path.reverse()
    return path


class _PrefixMax:
    """Fenwick tree over positions 0..size: point 'raise to', prefix maximum with its payload."""

    def __init__(self, size: int) -> None:
        self.size = size + 1
        self.val = [0.0] * (self.size + 1)
        self.arg = [-1] * (self.size + 1)

    def update(self, pos: int, value: float, arg: int) -> None:
        k = pos + 1
        while k <= self.size:
            if value > self.val[k]:
                self.val[k], self.arg[k] = value, arg
            k += k & -k

    def query(self, pos: int) -> tuple[float, int]:
        """Max over positions ≤ pos (0.0, -1 when nothing beats the empty chain)."""
        k, best, arg = pos + 1, 0.0, -1
        while k > 0:
            if self.val[k] > best:
                best, arg = self.val[k], self.arg[k]
            k -= k & -k
        return best, arg


def best_chain(beads: Sequence[Step], m: int, threshold: float) -> list[Step]:
    """The heaviest chain of non-crossing linked beads (each gains similarity − threshold)."""
    cand = [s for s in map(Step._make, beads) if s.linked and s.value > threshold]
    by_start = sorted(range(len(cand)), key=lambda k: (cand[k].i, cand[k].j))
    by_end = sorted(range(len(cand)), key=lambda k: cand[k].i + cand[k].di)
    tree = _PrefixMax(m)
    value = [0.0] * len(cand)
    prev = [-1] * len(cand)
    e = 0
    for k in by_start:
        step = cand[k]
        while e < len(by_end) and cand[by_end[e]].i + cand[by_end[e]].di <= step.i:
            done = by_end[e]
            tree.update(cand[done].j + cand[done].dj, value[done], done)
            e += 1
        before, prev[k] = tree.query(step.j)
        value[k] = before + step.value - threshold
    if not cand:
        return []
    k = max(range(len(cand)), key=lambda x: value[x])
    chain = []
    while k != -1:
        chain.append(cand[k])
        k = prev[k]
    chain.reverse()
    return chain


def fill_gaps(chain: Iterable[Step], n: int, m: int) -> list[Step]:
    """Complete a chain of linked beads with 1-0 / 0-1 beads so that it covers both sides in order."""
    path: list[Step] = []
    i = j = 0
    for bi, di, bj, dj, sim in [*chain, Step(n, 0, m, 0, 0.0)]:
        path.extend(Step(x, 1, j, 0, 0.0) for x in range(i, bi))
        path.extend(Step(bi, 0, y, 1, 0.0) for y in range(j, bj))
        if di or dj:
            path.append(Step(bi, di, bj, dj, sim))
        i, j = bi + di, bj + dj
    return path


def align_sparse(n: int, m: int, candidates: Iterable[Step], threshold: float) -> list[Step]:
    """Best monotone path using only the candidate linked beads; everything else stays unlinked."""
    return fill_gaps(best_chain(list(candidates), m, threshold), n, m)
