"""The exporter interface and its registry, and the scored rows every format writes."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable, Sequence
from contextlib import AbstractContextManager, ExitStack
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .. import artifacts
from ..config import ExportSection
from ..consistency import BitextCheck, load_streamed
from ..io import Reread, read_json
from ..records import Bead, Sentence
from ..registry import Registry
from ..rows import Row, RowStream, iter_rows
from ..stage import RunContext
from ..translate.flags import count_flags, count_retried
from ..translate.tiny import RANDOM_MODEL_NOTE, random_model_of
from .documents import DocumentStats, DocumentTally


@dataclass
class ExportData:
    rows: Sequence[Row]  # a RowStream in a run: made afresh on each pass, never all held
    row_scores: dict[str, dict[str, float]]  # seg_id → metric → score
    scores: dict[str, Any]  # scores.json (loaded: without its per-row entries, kept as row_scores)
    manifest: dict[str, Any]
    export: ExportSection = field(default_factory=ExportSection)
    sentences: Sequence[Sentence] | Reread[Sentence] = field(default_factory=list)  # for the alignment picture
    beads: Sequence[Bead] | Reread[Bead] = field(default_factory=list)
    _scored_translations: dict[str, str] | None = field(default=None, repr=False)
    check: BitextCheck | None = None  # a run's: the rows checked as the formats are written (write_formats)
    _tally: RowTally | None = field(default=None, repr=False)

    @classmethod
    def load(cls, ctx: RunContext) -> ExportData:
        scores = read_json(ctx.require(artifacts.SCORES))
        manifest_path = ctx.path(artifacts.MANIFEST)
        manifest = read_json(manifest_path) if manifest_path.exists() else {}
        names = set(scores.get("row_metrics", scores.get("signatures", {})))
        row_scores = {r["seg_id"]: {k: v for k, v in r.items() if k in names} for r in scores.get("rows", [])}
        scored = scored_translations(scores.pop("rows", []))  # the per-row entries are kept only as these two
        run = load_streamed(ctx)  # none held: rows are made from the files on each pass
        rows = RowStream(run.sentences, run.translations, run.beads, iter_rows)
        check = BitextCheck(run, ctx.run_dir)  # refuses a bitext that breaks the README's invariants
        return cls(rows, row_scores, scores, manifest, ctx.config.export, run.sentences, run.beads, scored, check)

    def random_model(self) -> str | None:
        """The random test model the translations came from (the manifest says so), else None."""
        return random_model_of(self.manifest)

    def metric_names(self) -> list[str]:
        """Metrics with a score per row (sacrebleu sentence scores); corpus-only metrics are not listed."""
        return list(self.scores.get("row_metrics", self.scores.get("signatures", {})))

    def flag_counts(self) -> dict[str, int]:
        """Source rows carrying each translation flag (every flag listed, zeros included)."""
        return self.tallies()[0]

    def retried_counts(self) -> dict[str, int]:
        """Source rows whose translation ``translate.on_truncation=retry`` redid, by what it did."""
        return self.tallies()[1]

    def row_tally(self) -> RowTally:
        """What the report and summary count over the rows: from the export's pass (:func:`write_formats`),
        else from one pass of its own; kept."""
        if self._tally is None:
            tally = self.new_tally()
            for row in self.rows:
                tally.add(row)
            self._tally = tally
        return self._tally

    def keep_tally(self, tally: RowTally) -> None:
        """``tally``, which has seen every row, as :meth:`row_tally`."""
        self._tally = tally

    def new_tally(self) -> RowTally:
        return RowTally(DocumentTally(self.row_scores, self.export.report_low_confidence))

    def tallies(self) -> tuple[dict[str, int], dict[str, int]]:
        """The flag and retry counts (the report and summary show both)."""
        tally = self.row_tally()
        return count_flags(tally.flags), count_retried(tally.retried)

    def documents(self) -> list[DocumentStats]:
        """Each document's figures, in document order (the report's per-document table)."""
        return list(self.row_tally().documents.documents.values())

    def aligner_signature(self) -> str:
        """The aligner's signature as the manifest's align entry records it ('' before one was recorded)."""
        return str(self.manifest.get("stages", {}).get("align", {}).get("signature", ""))

    def scored_translation(self, seg_id: str) -> str | None:
        """The part of the translation a truncated reference was scored against (None: the whole)."""
        if self._scored_translations is None:
            self._scored_translations = scored_translations(self.scores.get("rows", []))
        return self._scored_translations.get(seg_id)


def scored_translations(entries: list[dict[str, Any]]) -> dict[str, str]:
    """seg_id → the part of the translation its truncated reference was scored against (scores.json rows)."""
    return {r["seg_id"]: r["scored_translation"] for r in entries if "scored_translation" in r}


def random_model_banner(data: ExportData) -> str | None:
    """The one line summary.md and report.html open with when the translations are random."""
    model = data.random_model()
    return None if model is None else f"Warning: {RANDOM_MODEL_NOTE} ({model})."


@dataclass
class RowTally:
    """What the report and summary count over the rows, taken a row at a time: the flags of each flagged
    source row, the retries, each document's figures."""

    documents: DocumentTally
    flags: list[list[str]] = field(default_factory=list)
    retried: list[str] = field(default_factory=list)

    def add(self, row: Row) -> None:
        if row.source and row.flags:
            self.flags.append(row.flags)
        if row.retried:
            self.retried.append(row.retried)
        self.documents.add(row)


class Exporter(ABC):
    """Writes one file format from the run's rows and scores."""

    filename: str

    @abstractmethod
    def write(self, data: ExportData, run_dir: Path) -> Path: ...


RowSink = Callable[[Row], None]


class RowExporter(Exporter):
    """A format written a row at a time: the export stage writes every such format from one pass over the
    rows (:func:`write_formats`)."""

    @abstractmethod
    def sink(self, data: ExportData, run_dir: Path) -> AbstractContextManager[RowSink]:
        """A context whose value takes the rows in order; the file is put in place when it exits
        without an error (written atomically), and left as it was otherwise."""

    def write(self, data: ExportData, run_dir: Path) -> Path:
        with self.sink(data, run_dir) as add:
            for row in data.rows:
                add(row)
        return run_dir / self.filename


def write_formats(chosen: Sequence[Exporter], data: ExportData, run_dir: Path) -> list[Path]:
    """Write each of ``chosen``: the row-by-row formats, the flag and retry counts and ``data.check`` from
    one pass over the rows, then the others (which read the rows as they need). Where the check fails, no
    file is written (the row-by-row ones are put in place only after it)."""
    streamed = [exp for exp in chosen if isinstance(exp, RowExporter)]
    tally = data.new_tally()
    with ExitStack() as stack:
        sinks = [tally.add, *(stack.enter_context(exp.sink(data, run_dir)) for exp in streamed)]
        if data.check is not None:
            sinks.append(data.check.add)
        for row in data.rows:
            for add in sinks:
                add(row)
        if data.check is not None:
            data.check.finish()
    data.keep_tally(tally)
    for exp in chosen:
        if not isinstance(exp, RowExporter):
            exp.write(data, run_dir)
    return [run_dir / exp.filename for exp in chosen]


exporters: Registry[type[Exporter]] = Registry("export format")
