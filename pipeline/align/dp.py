"""Monotone alignment by dynamic programming over beads, skipping unmatched stretches for free."""

from __future__ import annotations

from collections.abc import Callable, Sequence

BEADS = ((1, 1), (2, 1), (1, 2), (1, 0), (0, 1))
Scorer = Callable[[int, int, int, int], float]  # (i, di, j, dj) → similarity in [0, 1]


def align_dp(n: int, m: int, score: Scorer, threshold: float) -> list[tuple[int, int, int, int, float]]:
    """Best monotone path maximising Σ(similarity − threshold) over linked beads.

    Unlinked sentences (1-0 / 0-1) cost nothing, so a pair is linked only when it beats the
    threshold. Returns (i, di, j, dj, similarity) beads covering both sides in order.
    """
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
    path = []
    i, j = n, m
    while i or j:
        step = back[i][j]
        assert step is not None
        di, dj, sim = step
        i, j = i - di, j - dj
        path.append((i, di, j, dj, sim))
    path.reverse()
    return path
