"""chrF (sacrebleu)."""

from __future__ import annotations

from sacrebleu.metrics import CHRF

from .base import metrics
from .sacrebleu_metric import SacrebleuMetric


@metrics.register("chrf")
class ChrfMetric(SacrebleuMetric):
    name = "chrf"

    def __init__(self) -> None:
        super().__init__(CHRF(), CHRF())
