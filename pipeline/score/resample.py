"""sacrebleu's bootstrap 95% interval, computed from per-segment statistics that were computed once.

sacrebleu 2.6 resamples in a private function (``significance._bootstrap_resample``, which
``PairedTest`` and ``corpus_score(n_bootstrap=…)`` call): ``numpy.random.default_rng(seed)`` draws
``n_samples`` rows of ``n`` segment indices with replacement, the statistics are float32, and each
resample is scored from its column sums; ``sacrebleu.significance.estimate_ci`` (public) summarises
the scores. This module does the same, one resample at a time, so memory does not grow with
``n_samples × n``. ``tests/test_score_resample.py`` holds it equal to ``PairedTest``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
from sacrebleu.significance import estimate_ci

from .base import Interval

STATS_DTYPE = "float32"  # sacrebleu's dtype for resampled statistics (the scores depend on it)


def bootstrap_from_stats(
    stats: np.ndarray | Sequence[Sequence[float]], score_of: Callable[[np.ndarray], Any], n_samples: int, seed: int
) -> Interval:
    """The bootstrap mean and 95% half width of ``score_of`` (summed statistics → score) over ``stats``.

    ``score_of`` returns the score as sacrebleu computes it from float32 sums (a numpy scalar stays
    one: the mean is taken in the scores' own dtype, as sacrebleu does)."""
    table = np.asarray(stats, dtype=STATS_DTYPE)
    rng = np.random.default_rng(seed)
    scores = [score_of(table[rng.choice(len(table), size=len(table), replace=True)].sum(0)) for _ in range(n_samples)]
    mean, halfwidth = estimate_ci(np.array(scores))
    return Interval(float(mean), float(halfwidth), n_samples, str(seed))
