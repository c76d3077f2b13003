"""TER (sacrebleu): an edit rate, so lower is better; corpus-level only."""

from __future__ import annotations

from typing import Any

from sacrebleu.metrics import TER

from .base import metrics
from .sacrebleu_metric import SacrebleuMetric


@metrics.register("ter")
class TerMetric(SacrebleuMetric):
    name = "ter"
    per_row = False
    higher_is_better = False

    def sacrebleu_metric(self) -> Any:
        return TER()
