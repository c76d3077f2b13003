"""``bitext.jsonl``: the same rows as the TSV, one JSON object per line; ``flags`` is a list and
``retried`` says what ``translate.on_truncation=retry`` did (null: nothing)."""

from __future__ import annotations

from pathlib import Path

from .. import artifacts
from ..io import write_jsonl
from .base import ExportData, Exporter, exporters
from .tsv import records


@exporters.register("jsonl")
class JsonlExporter(Exporter):
    filename = artifacts.BITEXT_JSONL

    def write(self, data: ExportData, run_dir: Path) -> Path:
        return write_jsonl(run_dir / self.filename, map(with_nulls, records(data)))


def with_nulls(record: dict[str, object]) -> dict[str, object]:
    """The record with null where the TSV has an empty cell (the text columns stay strings)."""
    for key, value in list(record.items()):
        if value == "" and key not in ("source", "translation", "reference"):
            record[key] = None
    return record
