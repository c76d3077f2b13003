"""sacrebleu's bootstrap 95% interval, computed from per-segment statistics that were computed once.

sacrebleu 2.6 resamples in a private function (``significance._bootstrap_resample``, which
``PairedTest`` and ``corpus_score(n_bootstrap=…)`` call): ``numpy.random.default_rng(seed)`` draws
``n_samples`` rows of ``n`` segment indices with replacement, the statistics are float32, and each
resample is scored from its column sums; ``sacrebleu.significance.estimate_ci`` (public) summarises
the scores. This module does the same, one resample at a time, so memory does not grow with
``n_samples × n``. ``PairedTest`` draws the same indices for the baseline and every system (one
seed), so :func:`resampled_scores` scores several systems' statistics on each draw: the paired
bootstrap of ``jaen compare`` (``pipeline.score.paired``). ``tests/test_score_resample.py`` holds it
equal to ``PairedTest``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from typing import Any

import numpy as np
from sacrebleu.significance import estimate_ci

from .base import Interval

STATS_DTYPE = "float32"  # sacrebleu's dtype for resampled statistics (the scores depend on it)


def resample_draws(n: int, n_samples: int, seed: int) -> Iterator[np.ndarray]:
    """sacrebleu's ``n_samples`` draws of ``n`` row indices with replacement, one at a time (the rows of
    its ``rng.choice(n, size=(n_samples, n))``: the generator gives the same stream either way)."""
    rng = np.random.default_rng(seed)
    for _ in range(n_samples):
        yield rng.choice(n, size=n, replace=True)


def resampled_scores(
    tables: Sequence[np.ndarray | Sequence[Sequence[float]]],
    score_of: Callable[[np.ndarray], Any],
    n_samples: int,
    seed: int,
) -> list[np.ndarray]:
    """Each table's ``score_of`` (summed statistics → score) on every resample, the same draws for all
    (tables of the same rows, in the same order: a paired bootstrap), as sacrebleu builds the arrays."""
    arrays = [np.asarray(t, dtype=STATS_DTYPE) for t in tables]
    scores: list[list[Any]] = [[] for _ in arrays]
    for rows in resample_draws(len(arrays[0]), n_samples, seed):
        for out, table in zip(scores, arrays):
            out.append(score_of(table[rows].sum(0)))
    return [np.array(s) for s in scores]


def bootstrap_from_stats(
    stats: np.ndarray | Sequence[Sequence[float]], score_of: Callable[[np.ndarray], Any], n_samples: int, seed: int
) -> Interval:
    """The bootstrap mean and 95% half width of ``score_of`` (summed statistics → score) over ``stats``.

    ``score_of`` returns the score as sacrebleu computes it from float32 sums (a numpy scalar stays
    one: the mean is taken in the scores' own dtype, as sacrebleu does)."""
    (scores,) = resampled_scores([stats], score_of, n_samples, seed)
    mean, halfwidth = estimate_ci(scores)
    return Interval(float(mean), float(halfwidth), n_samples, str(seed))
