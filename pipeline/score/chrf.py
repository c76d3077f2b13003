"""chrF (sacrebleu); ``score.chrf_word_order: 2`` makes it chrF++."""

from __future__ import annotations

from typing import Any

from sacrebleu.metrics import CHRF

from .base import metrics
from .sacrebleu_metric import SacrebleuMetric


@metrics.register("chrf")
class ChrfMetric(SacrebleuMetric):
    name = "chrf"

    def sacrebleu_metric(self) -> Any:
        return CHRF(word_order=self.section.chrf_word_order)
