"""``bitext.jsonl``: the same rows as the TSV, one JSON object per line; ``flags`` is a list and
``retried`` says what ``translate.on_truncation=retry`` did (null: nothing)."""

from __future__ import annotations

from pathlib import Path

from .. import artifacts
from ..io import write_jsonl
from .base import ExportData, Exporter, exporters
from .tsv import table


@exporters.register("jsonl")
class JsonlExporter(Exporter):
    filename = artifacts.BITEXT_JSONL

    def write(self, data: ExportData, run_dir: Path) -> Path:
        _, records = table(data)
        for rec in records:
            for key, value in list(rec.items()):
                if value == "" and key not in ("source", "translation", "reference"):
                    rec[key] = None
        return write_jsonl(run_dir / self.filename, records)
