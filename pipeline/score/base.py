"""The metric interface (one small class per metric, as in sacrebleu) and its registry."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from ..registry import Registry


@dataclass
class CorpusScore:
    metric: str
    score: float
    signature: str
    n: int
    detail: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {"score": round(self.score, 4), "signature": self.signature, "n": self.n, "detail": self.detail}


class Metric(ABC):
    """A sacrebleu-backed metric that scores one sentence or a corpus and prints its signature."""

    name: str

    @abstractmethod
    def sentence(self, hyp: str, ref: str) -> float: ...

    @abstractmethod
    def corpus(self, hyps: Sequence[str], refs: Sequence[str]) -> CorpusScore: ...

    @abstractmethod
    def signature(self) -> str: ...


metrics: Registry[type[Metric]] = Registry("metric")
