"""chrF (sacrebleu); ``score.chrf_word_order: 2`` makes it chrF++."""

from __future__ import annotations

from typing import Any

from sacrebleu.metrics import CHRF
from sacrebleu.metrics.chrf import CHRFScore

from .base import metrics
from .sacrebleu_metric import SacrebleuMetric


@metrics.register("chrf")
class ChrfMetric(SacrebleuMetric):
    """No public attribute holds chrF's segment statistics: its corpus score comes from the text."""

    name = "chrf"

    def sacrebleu_metric(self) -> Any:
        return CHRF(word_order=self.section.chrf_word_order)

    def score_object(self, score: float) -> Any:
        metric = self.sacrebleu_metric()
        return CHRFScore(score, metric.char_order, metric.word_order, metric.beta)
