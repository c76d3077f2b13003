"""Adapter from a sacrebleu metric class to :class:`Metric`."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from .base import CorpusScore, Metric


class SacrebleuMetric(Metric):
    """Corpus scoring with one sacrebleu object, sentence scoring with another (e.g. effective order)."""

    def __init__(self, corpus_metric: Any, sentence_metric: Any) -> None:
        self._corpus = corpus_metric
        self._sentence = sentence_metric

    def sentence(self, hyp: str, ref: str) -> float:
        return float(self._sentence.sentence_score(hyp, [ref]).score)

    def corpus(self, hyps: Sequence[str], refs: Sequence[str]) -> CorpusScore:
        result = self._corpus.corpus_score(list(hyps), [list(refs)])
        return CorpusScore(self.name, float(result.score), self.signature(), len(hyps), str(result))

    def signature(self) -> str:
        try:
            return str(self._corpus.get_signature())
        except ValueError:  # sacrebleu knows the number of references only once it has scored
            self._corpus.corpus_score([""], [[""]])  # (a run where nothing aligned has nothing to score)
            return str(self._corpus.get_signature())
