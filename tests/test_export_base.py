"""The export's one pass (pipeline/export/base.py): every format it writes equals the format written alone."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from pipeline.config import ExportSection
from pipeline.export import stage as _stage  # noqa: F401  (registers the formats)
from pipeline.export.base import ExportData, RowExporter, exporters, write_formats
from pipeline.rows import Row

FORMATS = ("tsv", "jsonl", "tmx", "summary", "report")


class CountedRows:
    """Rows made afresh on each pass, as a run's RowStream, counting the passes."""

    def __init__(self, rows: list[Row]) -> None:
        self.rows, self.passes = rows, 0

    def __iter__(self) -> Iterator[Row]:
        self.passes += 1
        return iter(self.rows)

    def __len__(self) -> int:
        return len(self.rows)


def rows(n: int) -> list[Row]:
    made = []
    for i in range(n):
        reference = "" if i % 5 == 0 else f"Sentence {i} …" if i % 7 == 0 else f"Sentence {i}."
        made.append(
            Row(
                f"doc{i // 40}",
                f"ja{i:05d}",
                f"文{i}。",
                f"Sentence {i}.",
                reference,
                "1-1" if reference else "1-0",
                (i % 10) / 10,
                partial=reference.endswith("…"),
                flags=["truncated"] if i % 11 == 0 else [],
            )
        )
    return made


def data(made: CountedRows) -> ExportData:
    scores = {r.seg_id: {"bleu": float(i % 50), "chrf": float(i % 70)} for i, r in enumerate(made.rows) if r.reference}
    corpus = {"signatures": {"bleu": "", "chrf": ""}, "corpus": {}}
    return ExportData(made, scores, corpus, {}, ExportSection(report_all_rows=10, report_rows_per_section=7))


def test_one_pass_writes_what_each_format_writes_alone(tmp_path: Path) -> None:
    made = CountedRows(rows(300))
    chosen = [exporters.get(name)() for name in FORMATS]
    written = write_formats(chosen, data(made), tmp_path / "together" / "run")
    assert [p.name for p in written] == [exp.filename for exp in chosen]
    # the row-by-row formats, the counts and the per-document table: one pass; the report's sections: one more
    assert made.passes == 2
    for exp in chosen:
        alone = exp.write(data(CountedRows(made.rows)), tmp_path / "alone" / "run")  # a run's name is its folder's
        assert (tmp_path / "together" / "run" / exp.filename).read_bytes() == alone.read_bytes(), exp.filename
    assert sum(isinstance(exp, RowExporter) for exp in chosen) == 3
