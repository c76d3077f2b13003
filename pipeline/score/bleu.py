"""BLEU (sacrebleu), with effective order for sentence scores."""

from __future__ import annotations

from typing import Any

from sacrebleu.metrics import BLEU

from .base import metrics
from .sacrebleu_metric import SacrebleuMetric


@metrics.register("bleu")
class BleuMetric(SacrebleuMetric):
    name = "bleu"

    def sacrebleu_metric(self) -> Any:
        return BLEU()

    def sentence_metric(self) -> Any:
        return BLEU(effective_order=True)
