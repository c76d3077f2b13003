"""BLEU (sacrebleu), with effective order for sentence scores."""

from __future__ import annotations

from typing import Any

from sacrebleu.metrics import BLEU

from .base import metrics
from .sacrebleu_metric import SacrebleuMetric


@metrics.register("bleu")
class BleuMetric(SacrebleuMetric):
    name = "bleu"
    has_statistics = True

    def sacrebleu_metric(self) -> Any:
        return BLEU()

    def sentence_metric(self) -> Any:
        return BLEU(effective_order=True)

    def statistics(self, result: Any) -> list[float]:
        """[hypothesis length, reference length, matches per order…, n-grams per order…]: sacrebleu's
        segment statistics, which do not depend on effective order (the sentence metric's smoothing,
        ``exp``, leaves the counts as they are)."""
        return [result.sys_len, result.ref_len, *result.counts, *result.totals]

    def score_from_statistics(self, stats: Any) -> Any:
        metric = self.sacrebleu_metric()
        order = metric.max_ngram_order
        return BLEU.compute_bleu(
            correct=stats[2 : 2 + order],
            total=stats[2 + order :],
            sys_len=int(stats[0]),
            ref_len=int(stats[1]),
            smooth_method=metric.smooth_method,
            smooth_value=metric.smooth_value,
            effective_order=metric.effective_order,
            max_ngram_order=order,
        )
