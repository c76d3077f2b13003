"""Adapter from a sacrebleu metric class to :class:`Metric`, through sacrebleu's public API only.

Corpus scores come from ``corpus_score`` and ``get_signature``; the 95% bootstrap interval comes
from ``sacrebleu.significance.PairedTest`` (test type ``bs``) run on this one system: the same
resamples, seed and signature keys (``bs``, ``seed``) as ``corpus_score(n_bootstrap=…)``, but
summarised with numpy, so it also holds where sacrebleu 2.6's own ``corpus_score`` bootstrap fails
("can't coerce float and float32": some resamples score 0 and others not). Tested with sacrebleu 2.6.
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from sacrebleu.significance import PairedTest

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


def bootstrap_interval(
    metric: Any, hyps: list[str], refs: list[str], n_bootstrap: int, seed: int
) -> tuple[Interval, str]:
    """sacrebleu's bootstrap 95% interval of one system and the signature that records it."""
    with sacrebleu_seed(seed):
        signatures, results = PairedTest(
            [("system", hyps)], {"metric": metric}, [refs], test_type="bs", n_samples=n_bootstrap
        )()
    name = next(k for k in results if k != "System")
    result = results[name][0]
    return Interval(float(result.mean), float(result.ci), n_bootstrap, str(seed)), str(signatures[name])


class SacrebleuMetric(Metric):
    """Corpus scoring with one sacrebleu object, sentence scoring with another (e.g. effective order)."""

    def __init__(self, section: ScoreSection | None = None) -> None:
        super().__init__(section)
        self._sentence = self.sentence_metric()
        self._signature: str | None = None  # of the last corpus score

    def sentence_metric(self) -> Any:
        return self.sacrebleu_metric()

    def sentence(self, hyp: str, ref: str) -> float:
        return float(self._sentence.sentence_score(hyp, [ref]).score)

    def corpus(self, hyps: Sequence[str], refs: Sequence[str], n_bootstrap: int = 1, seed: int = 12345) -> CorpusScore:
        metric = self.sacrebleu_metric()
        result = metric.corpus_score(list(hyps), [list(refs)])
        signature = str(metric.get_signature())
        ci = None
        if n_bootstrap > 1:
            ci, signature = bootstrap_interval(self.sacrebleu_metric(), list(hyps), list(refs), n_bootstrap, seed)
        self._signature = signature
        return CorpusScore(self.name, float(result.score), signature, len(hyps), result.format(width=2), ci)

    def signature(self) -> str:
        """The last corpus score's signature; before any, the one a corpus score will carry."""
        if self._signature is not None:
            return self._signature
        metric = self.sacrebleu_metric()
        metric.corpus_score(["x"], [["x"]])  # sacrebleu knows the signature once it has seen the references
        signature = metric.get_signature()
        if self.section.bootstrap > 1:
            signature.update("bs", self.section.bootstrap)
            signature.update("seed", str(self.section.seed))
        return str(signature)
