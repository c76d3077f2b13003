"""Adapter from a sacrebleu metric class to :class:`Metric`, through sacrebleu's public API.

Each segment's statistics are computed once for the corpus score and its 95% bootstrap interval:

- BLEU reads them from the public attributes of ``sentence_score``'s result, chrF from the
  methods its ``sentence_score`` calls (``pipeline.score.chrf``: no public attribute holds them), TER
  from a faster port of its shift search (``pipeline.score.ter_edits``: the same numbers);
  each is computed per row, in worker processes (``pipeline.score.pool``), summed with
  ``sacrebleu.utils.sum_of_lists`` and scored as sacrebleu does (``BLEU.compute_bleu``; TER's edits
  over reference words; chrF's F-score), resampled by ``pipeline.score.resample`` exactly as
  sacrebleu resamples, one resample at a time, so memory does not grow with ``samples × rows``;
- a metric without statistics would be scored from the text by ``sacrebleu.significance.PairedTest``
  (test type ``bs``) on this one system, whose baseline score is the corpus score and whose interval
  is ``corpus_score(n_bootstrap=…)``'s, summarised with numpy, so it also holds where sacrebleu 2.6's
  own ``corpus_score`` bootstrap fails ("can't coerce float and float32": some resamples score 0 and
  others not).

Signatures carry the same ``bs`` and ``seed`` keys either way. Tested with sacrebleu 2.6: the
corpus scores, intervals and signatures equal ``corpus_score`` and ``PairedTest``'s
(``tests/test_score_resample.py``).
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

import numpy as np
from sacrebleu.significance import PairedTest

from ..config import ScoreSection
from .base import CorpusScore, Interval, Metric, Segment
from .resample import bootstrap_from_stats
from .statistics import StatsTable, column_sums


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


def bootstrap_interval(
    metric: Any, hyps: list[str], refs: list[str], n_bootstrap: int, seed: int
) -> tuple[float, Interval, str]:
    """sacrebleu's corpus score of one system, its bootstrap 95% interval and the signature that records
    them (each segment's statistics computed once, by ``PairedTest``)."""
    with sacrebleu_seed(seed):
        signatures, results = PairedTest(
            [("system", hyps)], {"metric": metric}, [refs], test_type="bs", n_samples=n_bootstrap
        )()
    name = next(k for k in results if k != "System")
    result = results[name][0]
    ci = Interval(float(result.mean), float(result.ci), n_bootstrap, str(seed))
    return float(result.score), ci, str(signatures[name])


class SacrebleuMetric(Metric):
    """Corpus scoring with one sacrebleu object, sentence scoring with another (e.g. effective order).

    A metric whose sentence score gives its segment statistics (BLEU's n-gram counts and TER's edits
    in public attributes; chrF's n-gram counts: ``pipeline.score.chrf``) sets ``has_statistics`` and
    implements ``statistics`` (or ``segment``) and ``score_from_statistics``: each segment is then
    computed once, in a worker process, and the corpus score and its bootstrap interval come from the
    summed statistics. Any other metric scores the corpus from the text (``PairedTest`` computes each
    segment once for the corpus score and the interval).
    """

    def __init__(self, section: ScoreSection | None = None) -> None:
        super().__init__(section)
        self._sentence = self.sentence_metric()
        self._signature: str | None = None  # of the last corpus score

    def sentence_metric(self) -> Any:
        return self.sacrebleu_metric()

    def sentence(self, hyp: str, ref: str) -> float:
        return float(self._sentence.sentence_score(hyp, [ref]).score)

    def segment(self, hyp: str, ref: str) -> Segment:
        if not self.has_statistics:
            return super().segment(hyp, ref)
        result = self._sentence.sentence_score(hyp, [ref])
        return Segment(float(result.score) if self.per_row else None, self.statistics(result))

    def statistics(self, result: Any) -> list[float]:
        """A sentence score's segment statistics, in the order sacrebleu sums them."""
        raise NotImplementedError(f"{self.name} has no segment statistics")

    def score_from_statistics(self, stats: Any) -> Any:
        """The sacrebleu score object of summed statistics (a list, or float32 sums when resampling)."""
        raise NotImplementedError(f"{self.name} has no segment statistics")

    def score_object(self, score: float) -> Any:
        """The sacrebleu score object of a corpus score from ``PairedTest`` (for its formatted detail)."""
        raise NotImplementedError(f"{self.name}: no score object")

    def corpus(self, hyps: Sequence[str], refs: Sequence[str], n_bootstrap: int = 1, seed: int = 12345) -> CorpusScore:
        if self.has_statistics:
            table = StatsTable()
            for h, r in zip(hyps, refs):
                table.add(self.segment(h, r).stats or ())
            return self.corpus_of(table.array(), n_bootstrap, seed)
        result, ci, signature = self._from_text(list(hyps), list(refs), n_bootstrap, seed)
        self._signature = signature
        return CorpusScore(self.name, float(result.score), signature, len(hyps), result.format(width=2), ci)

    def corpus_of(self, stats: np.ndarray, n_bootstrap: int, seed: int) -> CorpusScore:
        if not self.has_statistics:
            return super().corpus_of(stats, n_bootstrap, seed)
        result = self.score_from_statistics(column_sums(stats))
        ci = None
        if n_bootstrap > 1:
            ci = bootstrap_from_stats(stats, lambda s: self.score_from_statistics(s).score, n_bootstrap, seed)
        self._signature = self.corpus_signature(n_bootstrap, seed)
        return CorpusScore(self.name, float(result.score), self._signature, len(stats), result.format(width=2), ci)

    def _from_text(
        self, hyps: list[str], refs: list[str], n_bootstrap: int, seed: int
    ) -> tuple[Any, Interval | None, str]:
        if n_bootstrap <= 1:
            metric = self.sacrebleu_metric()
            result = metric.corpus_score(hyps, [refs])
            return result, None, str(metric.get_signature())
        score, ci, signature = bootstrap_interval(self.sacrebleu_metric(), hyps, refs, n_bootstrap, seed)
        return self.score_object(score), ci, signature

    def corpus_signature(self, n_bootstrap: int, seed: int) -> str:
        """The signature ``corpus_score`` (and with a bootstrap ``PairedTest``) gives the corpus metric."""
        metric = self.sacrebleu_metric()
        metric.corpus_score(["x"], [["x"]])  # sacrebleu knows the signature once it has seen the references
        signature = metric.get_signature()
        if n_bootstrap > 1:
            signature.update("seed", str(seed))
            signature.update("bs", n_bootstrap)
        return str(signature)

    def signature(self) -> str:
        """The last corpus score's signature; before any, the one a corpus score will carry."""
        if self._signature is not None:
            return self._signature
        return self.corpus_signature(self.section.bootstrap, self.section.seed)
