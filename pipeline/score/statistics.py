"""Segment statistics of many rows, kept compact: one numpy array per metric, not a list per row.

A row's statistics are counts (n-grams, words, edits): a few numbers, 8 bytes each here against
about 40 in a Python list of ints. They arrive row by row from the workers and are stacked
``CHUNK_ROWS`` at a time. Sums of counts are exact in int64 and float64 alike, in any order.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
from sacrebleu.utils import sum_of_lists

CHUNK_ROWS = 4096  # rows stacked into one array at a time (the Python lists in between stay small)


@dataclass
class StatsTable:
    """One metric's statistics of a set of rows, in row order (int64 while every number is an int)."""

    chunks: list[np.ndarray] = field(default_factory=list)
    pending: list[Sequence[float]] = field(default_factory=list)
    width: int = 0

    def add(self, stats: Sequence[float]) -> None:
        self.width = len(stats)
        self.pending.append(stats)
        if len(self.pending) >= CHUNK_ROWS:
            self.chunks.append(np.array(self.pending))
            self.pending = []

    def array(self) -> np.ndarray:
        """Every row's statistics, one row each (shape ``rows × width``)."""
        if self.pending:
            self.chunks.append(np.array(self.pending))
            self.pending = []
        if len(self.chunks) > 1:
            self.chunks = [np.concatenate(self.chunks)]
        return self.chunks[0] if self.chunks else np.zeros((0, self.width), dtype=np.int64)

    def __len__(self) -> int:
        return sum(len(c) for c in self.chunks) + len(self.pending)


def column_sums(table: np.ndarray) -> list[float]:
    """The statistics summed over the rows, as ``sacrebleu.utils.sum_of_lists`` sums them: counts are
    summed by numpy (exact); any non-integral number is summed in row order, as sacrebleu does."""
    if table.dtype.kind == "f" and not np.array_equal(table, np.floor(table)):
        return sum_of_lists(table.tolist())
    return table.sum(axis=0).tolist()
