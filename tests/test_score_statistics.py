"""Segment statistics stacked into arrays: every row kept, in order, and summed exactly as sacrebleu sums."""

from __future__ import annotations

import numpy as np
import pytest
from sacrebleu.utils import sum_of_lists

from pipeline.score import statistics
from pipeline.score.statistics import StatsTable, column_sums


def test_rows_in_order_across_chunks(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(statistics, "CHUNK_ROWS", 3)
    rows = [[i, 2 * i, 7] for i in range(10)]
    table = StatsTable()
    for r in rows:
        table.add(r)
    assert len(table) == 10 and len(table.chunks) == 3  # 3 full chunks, one row pending
    array = table.array()
    assert array.tolist() == rows and array.dtype == np.int64
    assert table.array().tolist() == rows  # asking again gives the same


def test_counts_stay_integers_and_sum_as_sacrebleu() -> None:
    rows = [[3, 1.0], [2, 4.0], [0, 0.0]]  # TER: edits (int), reference words (float)
    table = StatsTable()
    for r in rows:
        table.add(r)
    assert column_sums(table.array()) == sum_of_lists(rows)
    ints = StatsTable()
    for r in ([1, 2], [3, 4]):
        ints.add(r)
    sums = column_sums(ints.array())
    assert sums == [4, 6] and all(type(x) is int for x in sums)


def test_fractions_are_summed_in_row_order() -> None:
    rows = [[0.1], [0.2], [0.3], [1e16], [-1e16]]
    table = StatsTable()
    for r in rows:
        table.add(r)
    assert column_sums(table.array()) == sum_of_lists(rows)


def test_an_empty_table() -> None:
    table = StatsTable()
    assert len(table) == 0 and table.array().shape == (0, 0)
