"""sacrebleu's paired bootstrap test (``PairedTest``, test type ``bs``) from segment statistics, one
resample at a time.

``PairedTest`` computes every system's segment statistics, then scores all ``n_samples`` resamples
of each at once (``stats[idxs]``: ``n_samples × rows × width`` float32, about 80 MB per 1,000 rows
for chrF at 1,000 samples). Here each system's statistics are computed once (``pipeline.score.pool``,
in worker processes), kept compact (``StatsTable``) and resampled by ``pipeline.score.resample``'s
draw, the same for every system, so memory grows with the rows, not with ``samples × rows``. The
results are sacrebleu's for the same seed and samples (``tests/test_score_paired.py``): the score;
the mean and 95% half width of the resampled scores (``estimate_ci``); and, for each system after
the baseline, p = (1 + #{b : |δ*_b| − mean|δ*| > |δ|}) / (B + 1), with δ the observed difference
from the baseline and δ*_b that of resample b.

A metric without segment statistics is tested from the text by ``PairedTest`` itself.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from sacrebleu.significance import PairedTest, estimate_ci

from ..config import RunSection, ScoreSection
from .base import Metric
from .pool import score_segments
from .resample import resampled_scores
from .sacrebleu_metric import SacrebleuMetric, sacrebleu_seed
from .statistics import StatsTable, column_sums

System = tuple[str, list[str]]  # (name, one translation per reference)


@dataclass
class PairedResult:
    """One system's result for one metric, as sacrebleu's ``significance.Result`` holds it."""

    score: float
    p_value: float | None
    mean: float
    ci: float


@dataclass
class PairedMetric:
    """One metric's test over every system: sacrebleu's name for it, its signature, one result per system."""

    name: str
    signature: str
    results: list[PairedResult]


def p_value(baseline: np.ndarray, system: np.ndarray, observed: float) -> float:
    """sacrebleu's p-value of the paired bootstrap: resampled differences, centred, against the observed."""
    diffs = np.abs(system - baseline)
    count = int(np.sum(diffs - diffs.mean() > observed))
    return (count + 1) / (len(diffs) + 1)


def statistics_tables(
    chosen: dict[str, Metric], section: ScoreSection, hyps: list[str], refs: list[str], run: RunSection
) -> dict[str, np.ndarray]:
    """Every metric's segment statistics of one system, one row each (computed by the score workers)."""
    tables = {name: StatsTable() for name in chosen}
    for segments in score_segments(chosen, section, list(zip(hyps, refs)), run):
        for name, table in tables.items():
            table.add(segments[name].stats or ())
    return {name: table.array() for name, table in tables.items()}


def paired_from_stats(metric: SacrebleuMetric, tables: list[np.ndarray], samples: int, seed: int) -> PairedMetric:
    """The test of one metric from each system's statistics (the baseline's first)."""
    corpus = [metric.score_from_statistics(column_sums(t)) for t in tables]
    resampled = resampled_scores(tables, lambda s: metric.score_from_statistics(s).score, samples, seed)
    results = []
    for i, (score, scores) in enumerate(zip(corpus, resampled)):
        mean, ci = estimate_ci(scores)
        p = p_value(resampled[0], scores, abs(corpus[0].score - score.score)) if i else None
        results.append(PairedResult(score.score, p, mean, ci))
    return PairedMetric(corpus[0].name, metric.corpus_signature(samples, seed), results)


def paired_from_text(
    metric: Metric, systems: Sequence[System], refs: list[str], samples: int, seed: int
) -> PairedMetric:
    """The test of one metric without segment statistics: sacrebleu's ``PairedTest`` on the text."""
    with sacrebleu_seed(seed):
        test = PairedTest(
            list(systems), {"metric": metric.sacrebleu_metric()}, [refs], test_type="bs", n_samples=samples
        )
        signatures, results = test()
    name = next(k for k in results if k != "System")
    cells = [PairedResult(r.score, r.p_value, r.mean, r.ci) for r in results[name]]
    return PairedMetric(name, str(signatures[name]), cells)


def paired_bootstrap(
    chosen: dict[str, Metric],
    section: ScoreSection,
    systems: Sequence[System],
    refs: list[str],
    samples: int,
    run: RunSection,
) -> list[PairedMetric]:
    """sacrebleu's paired bootstrap of every system against the first, one entry per metric (in order);
    the segment statistics are computed where ``run`` says."""
    with_stats = {n: m for n, m in chosen.items() if m.has_statistics and isinstance(m, SacrebleuMetric)}
    tables = [statistics_tables(with_stats, section, hyps, refs, run) for _, hyps in systems] if with_stats else []
    out = []
    for name, m in chosen.items():
        if name in with_stats:
            out.append(paired_from_stats(with_stats[name], [t[name] for t in tables], samples, section.seed))
        else:
            out.append(paired_from_text(m, systems, refs, samples, section.seed))
    return out
