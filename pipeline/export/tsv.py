"""``bitext.tsv``: the contract other tools read (csv module, tab delimiter, one header row)."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from pathlib import Path

from .. import artifacts
from ..io import atomic_open
from ..text import normalize_newlines
from ..translate.flags import format_flags
from .base import ExportData, Exporter, exporters

COLUMNS = [
    "doc_id",
    "seg_id",
    "source",
    "translation",
    "reference",
    "align_type",
    "align_score",
    "bleu",
    "chrf",
    "partial",
    "flags",
]


def header(data: ExportData) -> list[str]:
    """The columns: the fixed ones, then any other per-row metric."""
    return COLUMNS + [m for m in data.metric_names() if m not in COLUMNS]


def records(data: ExportData) -> Iterator[dict[str, object]]:
    """One record per row, made as it is written, shared by the TSV and JSONL exporters (each formats
    ``partial`` and ``flags`` its own way)."""
    extra = [m for m in data.metric_names() if m not in COLUMNS]
    for row in data.rows:
        scores = data.row_scores.get(row.seg_id, {}) if row.has_reference else {}
        record: dict[str, object] = {**row.to_dict(), **{m: "" for m in ("bleu", "chrf", *extra)}}
        record.update(scores)
        for key in ("source", "translation", "reference"):
            record[key] = normalize_newlines(str(record[key]))
        record["partial"] = row.partial
        record["flags"] = list(row.flags)
        yield record


@exporters.register("tsv")
class TsvExporter(Exporter):
    filename = artifacts.BITEXT_TSV

    def write(self, data: ExportData, run_dir: Path) -> Path:
        path = run_dir / self.filename
        with atomic_open(path) as fh:
            fields = header(data)
            writer = csv.DictWriter(fh, fieldnames=fields, delimiter="\t", lineterminator="\n", extrasaction="ignore")
            writer.writeheader()
            for record in records(data):
                record["partial"] = "true" if record["partial"] else "false"
                record["flags"] = format_flags(record["flags"])  # type: ignore[arg-type]
                writer.writerow(record)
        return path
