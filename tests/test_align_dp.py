"""The sparse chain DP finds as good an alignment as the full-lattice DP, and covers both sides."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.align.dp import BEADS, align_dense, align_sparse, fill_gaps


def gain(path, threshold):
    return sum(sim - threshold for _, di, _, dj, sim in path if di and dj)


def assert_covers(path, n, m):
    i = j = 0
    for bi, di, bj, dj, _ in path:
        assert (bi, bj) == (i, j), path
        assert (di, dj) in BEADS, path
        i, j = i + di, j + dj
    assert (i, j) == (n, m)


@settings(max_examples=150, deadline=None)
@given(
    n=st.integers(0, 7),
    m=st.integers(0, 7),
    seed=st.integers(0, 10_000),
    threshold=st.sampled_from([0.0, 0.2, 0.5]),
)
def test_sparse_matches_dense(n: int, m: int, seed: int, threshold: float) -> None:
    import random

    rng = random.Random(seed)
    table = {
        (i, di, j, dj): round(rng.random(), 3) for i in range(n) for j in range(m) for di, dj in BEADS if di and dj
    }
    score = lambda i, di, j, dj: table.get((i, di, j, dj), 0.0)  # noqa: E731
    dense = align_dense(n, m, score, threshold)
    cands = [(i, di, j, dj, s) for (i, di, j, dj), s in table.items() if i + di <= n and j + dj <= m]
    sparse = align_sparse(n, m, cands, threshold)
    assert_covers(dense, n, m)
    assert_covers(sparse, n, m)
    assert abs(gain(sparse, threshold) - gain(dense, threshold)) < 1e-9


def test_skips_long_stretches_and_keeps_order() -> None:
    # a reference covering sentences 100..102 of 1000, nothing else similar
    cands = [(100, 1, 0, 1, 0.9), (101, 1, 1, 1, 0.8), (102, 1, 2, 1, 0.7), (500, 1, 1, 1, 0.95)]
    path = align_sparse(1000, 3, cands, 0.3)
    assert_covers(path, 1000, 3)
    linked = [(i, j) for i, di, j, dj, _ in path if di and dj]
    assert linked == [(100, 0), (101, 1), (102, 2)]  # 500↔1 alone (0.65) loses to 101↔1 + 102↔2 (0.9)


def test_below_threshold_stays_unlinked() -> None:
    path = align_sparse(2, 2, [(0, 1, 0, 1, 0.29), (1, 1, 1, 1, 0.31)], 0.3)
    assert [(i, di, j, dj) for i, di, j, dj, _ in path if di and dj] == [(1, 1, 1, 1)]
    assert_covers(path, 2, 2)


def test_fill_gaps_without_links() -> None:
    path = fill_gaps([], 2, 3)
    assert_covers(path, 2, 3)
    assert all(not (di and dj) for _, di, _, dj, _ in path)
