"""The metric interface (one small class per metric, as in sacrebleu) and its registry."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, ClassVar

import numpy as np

from ..config import ScoreSection
from ..errors import JaenError
from ..registry import Registry


@dataclass
class Interval:
    """sacrebleu's bootstrap estimate: the resampled mean and the half width of its 95% interval."""

    mean: float
    halfwidth: float
    samples: int
    seed: str

    @property
    def low(self) -> float:
        return self.mean - self.halfwidth

    @property
    def high(self) -> float:
        return self.mean + self.halfwidth

    def to_dict(self) -> dict[str, Any]:
        return {
            "level": 0.95,
            "mean": round(self.mean, 4),
            "halfwidth": round(self.halfwidth, 4),
            "low": round(self.low, 4),
            "high": round(self.high, 4),
            "samples": self.samples,
            "seed": self.seed,
        }


@dataclass(frozen=True)
class Segment:
    """One row's result for one metric: its sentence score (metrics scored per row) and its sufficient
    statistics (metrics whose corpus score and bootstrap are computed from them; None where the metric
    has no public route to them and scores the corpus from the text)."""

    score: float | None
    stats: list[float] | None


@dataclass
class CorpusScore:
    metric: str
    score: float
    signature: str
    n: int
    detail: str = ""
    ci: Interval | None = None

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "score": round(self.score, 4),
            "signature": self.signature,
            "n": self.n,
            "detail": self.detail,
        }
        data["ci"] = self.ci.to_dict() if self.ci else None
        return data


class Metric(ABC):
    """A sacrebleu-backed metric that scores one sentence or a corpus and prints its signature."""

    name: ClassVar[str]
    per_row: ClassVar[bool] = True  # sentence scores go into scores.json rows and the bitext
    higher_is_better: ClassVar[bool] = True
    has_statistics: ClassVar[bool] = False  # segment() gives statistics that corpus_of() sums

    def __init__(self, section: ScoreSection | None = None) -> None:
        self.section = section or ScoreSection()

    @abstractmethod
    def sentence(self, hyp: str, ref: str) -> float: ...

    @abstractmethod
    def corpus(
        self, hyps: Sequence[str], refs: Sequence[str], n_bootstrap: int = 1, seed: int = 12345
    ) -> CorpusScore: ...

    @abstractmethod
    def signature(self) -> str: ...

    def segment(self, hyp: str, ref: str) -> Segment:
        """This row's sentence score (None unless ``per_row``) and statistics; runs in a worker process."""
        return Segment(self.sentence(hyp, ref) if self.per_row else None, None)

    def corpus_of(self, stats: np.ndarray, n_bootstrap: int, seed: int) -> CorpusScore:
        """The corpus score of rows from their ``segment`` statistics (one row of ``stats`` each), for a
        metric that ``has_statistics``."""
        raise NotImplementedError(f"{self.name} has no segment statistics: score the corpus from the text")

    @abstractmethod
    def sacrebleu_metric(self) -> Any:
        """A fresh sacrebleu metric object configured like this one (for paired tests)."""


class ScoreError(JaenError):
    """Nothing can be scored (no reference), or scores are missing where they are needed."""


metrics: Registry[type[Metric]] = Registry("metric")
