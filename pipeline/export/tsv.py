"""``bitext.tsv``: the contract other tools read (csv module, tab delimiter, one header row)."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from .. import artifacts
from ..io import atomic_open
from ..rows import Row
from ..text import normalize_newlines
from ..translate.flags import format_flags
from .base import ExportData, RowExporter, RowSink, exporters

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


def record_of(row: Row, data: ExportData, extra: list[str]) -> dict[str, object]:
    """The row's record (its fields, then every per-row metric: ``extra``, those not in ``COLUMNS``), shared
    by the TSV and JSONL exporters (each formats ``partial`` and ``flags`` its own way)."""
    scores = data.row_scores.get(row.seg_id, {}) if row.has_reference else {}
    record: dict[str, object] = {**row.to_dict(), **{m: "" for m in ("bleu", "chrf", *extra)}}
    record.update(scores)
    for key in ("source", "translation", "reference"):
        record[key] = normalize_newlines(str(record[key]))
    record["partial"] = row.partial
    record["flags"] = list(row.flags)
    return record


def extra_metrics(data: ExportData) -> list[str]:
    """The per-row metrics without a column of their own in ``COLUMNS`` (the TSV's last columns)."""
    return [m for m in data.metric_names() if m not in COLUMNS]


@exporters.register("tsv")
class TsvExporter(RowExporter):
    filename = artifacts.BITEXT_TSV

    @contextmanager
    def sink(self, data: ExportData, run_dir: Path) -> Iterator[RowSink]:
        extra = extra_metrics(data)
        with atomic_open(run_dir / self.filename) as fh:
            writer = csv.DictWriter(
                fh, fieldnames=COLUMNS + extra, delimiter="\t", lineterminator="\n", extrasaction="ignore"
            )
            writer.writeheader()

            def add(row: Row) -> None:
                record = record_of(row, data, extra)
                record["partial"] = "true" if record["partial"] else "false"
                record["flags"] = format_flags(record["flags"])  # type: ignore[arg-type]
                writer.writerow(record)

            yield add
