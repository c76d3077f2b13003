"""TER (sacrebleu): an edit rate, so lower is better; corpus-level only.

Each row's statistics [edits, reference words] come from ``pipeline.score.ter_edits``: sacrebleu 2.6's
shift search and beam edit distance, the same numbers as ``TER().sentence_score(hyp, [ref])``'s, about
ten times faster (its candidate shifts scored together with numpy; ``tests/test_score_ter_edits.py``,
``benchmarks/bench_ter.py``). sacrebleu stays the scorer of record: its tokenizer, its signature, and
the corpus score and interval from the summed statistics as it computes them.
"""

from __future__ import annotations

from typing import Any

from sacrebleu.metrics import TER
from sacrebleu.metrics.ter import TERScore

from .base import Segment, metrics
from .sacrebleu_metric import SacrebleuMetric
from .ter_edits import ter_statistics


@metrics.register("ter")
class TerMetric(SacrebleuMetric):
    name = "ter"
    per_row = False
    higher_is_better = False
    has_statistics = True

    def sacrebleu_metric(self) -> Any:
        return TER()

    def segment(self, hyp: str, ref: str) -> Segment:
        """The row's statistics (``ter_edits``: sacrebleu's, computed faster)."""
        stats = ter_statistics(self._sentence, hyp, ref)
        return Segment(float(self.score_from_statistics(stats).score) if self.per_row else None, stats)

    def score_from_statistics(self, stats: Any) -> Any:
        """sacrebleu 2.6's TER of summed statistics (``TER._compute_score_from_stats`` is private, so its
        three cases are written out here; tests/test_score_resample.py holds them equal)."""
        edits, ref_words = stats[0], stats[1]
        if ref_words > 0:
            rate = edits / ref_words
        elif edits > 0:
            rate = 1.0  # empty reference(s) and a non-empty hypothesis
        else:
            rate = 0.0  # both empty
        return TERScore(100 * rate, edits, ref_words)
