"""BLEU (sacrebleu), with effective order for sentence scores."""

from __future__ import annotations

from sacrebleu.metrics import BLEU

from .base import metrics
from .sacrebleu_metric import SacrebleuMetric


@metrics.register("bleu")
class BleuMetric(SacrebleuMetric):
    name = "bleu"

    def __init__(self) -> None:
        super().__init__(BLEU(), BLEU(effective_order=True))
