"""Adapter from a sacrebleu metric class to :class:`Metric`."""

from __future__ import annotations

import os
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from ..config import ScoreSection
from .base import CorpusScore, Interval, Metric


@contextmanager
def sacrebleu_seed(seed: int) -> Iterator[None]:
    """sacrebleu reads its bootstrap seed from ``SACREBLEU_SEED``; set it for one call."""
    old = os.environ.get("SACREBLEU_SEED")
    os.environ["SACREBLEU_SEED"] = str(seed)
    try:
        yield
    finally:
        if old is None:
            os.environ.pop("SACREBLEU_SEED", None)
        else:
            os.environ["SACREBLEU_SEED"] = old


def float_scores(metric: Any) -> Any:
    """Make every score of ``metric`` a Python float.

    sacrebleu 2.6's BLEU returns a float for a zero-match sample but numpy.float32 otherwise, and its
    bootstrap (``estimate_ci`` → ``statistics.mean``) then fails with "don't know how to coerce float
    and float32" whenever some resamples score 0 and others do not. The values are unchanged.
    """
    compute = metric._compute_score_from_stats

    def compute_as_float(stats: Any) -> Any:
        score = compute(stats)
        score.score = float(score.score)
        return score

    metric._compute_score_from_stats = compute_as_float
    return metric


class SacrebleuMetric(Metric):
    """Corpus scoring with one sacrebleu object, sentence scoring with another (e.g. effective order)."""

    def __init__(self, section: ScoreSection | None = None) -> None:
        super().__init__(section)
        self._corpus = self.sacrebleu_metric()
        self._sentence = self.sentence_metric()

    def sentence_metric(self) -> Any:
        return self.sacrebleu_metric()

    def sentence(self, hyp: str, ref: str) -> float:
        return float(self._sentence.sentence_score(hyp, [ref]).score)

    def corpus(self, hyps: Sequence[str], refs: Sequence[str], n_bootstrap: int = 1, seed: int = 12345) -> CorpusScore:
        metric = float_scores(self.sacrebleu_metric())  # fresh: sacrebleu keeps bootstrap settings on the object
        with sacrebleu_seed(seed):
            result = metric.corpus_score(list(hyps), [list(refs)], n_bootstrap=n_bootstrap if n_bootstrap > 1 else 1)
        ci = None
        if n_bootstrap > 1:
            ci = Interval(float(result._mean), float(result._ci), n_bootstrap, str(metric.seed))
        self._corpus = metric
        return CorpusScore(self.name, float(result.score), str(metric.get_signature()), len(hyps),
                           result.format(width=2), ci)

    def signature(self) -> str:
        if "num_refs" not in vars(self._corpus):  # not evaluated yet: the signature a corpus score will carry
            self._corpus.num_refs = 1  # the pipeline scores each row against exactly one reference
            if self.section.bootstrap > 1:
                self._corpus.n_bootstrap, self._corpus.seed = self.section.bootstrap, str(self.section.seed)
        return str(self._corpus.get_signature())
