"""``bitext.jsonl``: the same rows as the TSV, one JSON object per line; ``flags`` is a list and
``retried`` says what ``translate.on_truncation=retry`` did (null: nothing)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from .. import artifacts
from ..io import atomic_open, jsonl_line
from .base import ExportData, RowExporter, RowSink, exporters
from .tsv import extra_metrics, record_of


@exporters.register("jsonl")
class JsonlExporter(RowExporter):
    filename = artifacts.BITEXT_JSONL

    @contextmanager
    def sink(self, data: ExportData, run_dir: Path) -> Iterator[RowSink]:
        extra = extra_metrics(data)
        with atomic_open(run_dir / self.filename) as fh:
            yield lambda row: fh.write(jsonl_line(with_nulls(record_of(row, data, extra))))


def with_nulls(record: dict[str, object]) -> dict[str, object]:
    """The record with null where the TSV has an empty cell (the text columns stay strings)."""
    for key, value in list(record.items()):
        if value == "" and key not in ("source", "translation", "reference"):
            record[key] = None
    return record
