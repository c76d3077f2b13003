"""``bitext.tsv``: the contract other tools read (csv module, tab delimiter, one header row)."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from .. import artifacts
from ..io import atomic_write_text
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


def table(data: ExportData) -> tuple[list[str], list[dict[str, object]]]:
    """The header and one record per row, shared by the TSV and JSONL exporters (each formats
    ``partial`` and ``flags`` its own way)."""
    extra = [m for m in data.metric_names() if m not in COLUMNS]
    header = COLUMNS + extra
    records = []
    for row in data.rows:
        scores = data.row_scores.get(row.seg_id, {}) if row.has_reference else {}
        record: dict[str, object] = {**row.to_dict(), **{m: "" for m in ("bleu", "chrf", *extra)}}
        record.update(scores)
        for key in ("source", "translation", "reference"):
            record[key] = normalize_newlines(str(record[key]))
        record["partial"] = row.partial
        record["flags"] = list(row.flags)
        records.append(record)
    return header, records


@exporters.register("tsv")
class TsvExporter(Exporter):
    filename = artifacts.BITEXT_TSV

    def write(self, data: ExportData, run_dir: Path) -> Path:
        header, records = table(data)
        for record in records:
            record["partial"] = "true" if record["partial"] else "false"
            record["flags"] = format_flags(record["flags"])  # type: ignore[arg-type]
        buf = io.StringIO()
        writer = csv.DictWriter(buf, fieldnames=header, delimiter="\t", lineterminator="\n", extrasaction="ignore")
        writer.writeheader()
        writer.writerows(records)
        return atomic_write_text(run_dir / self.filename, buf.getvalue())
