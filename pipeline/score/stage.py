"""Score stage entry point: rows with a reference → scores.json (per row and per corpus).

Full references and truncated ("partial") references are scored apart: ``corpus`` holds the scores
over full references only; ``partial`` holds the scores over truncated ones (against the matching
prefix of the translation) or says how many were excluded.
"""

from __future__ import annotations

import logging
from array import array
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from itertools import tee
from pathlib import Path
from typing import Any

from .. import artifacts
from ..config import RunSection, ScoreSection
from ..consistency import load_streamed
from ..io import JsonArray, write_json
from ..rows import Row, RowStream
from ..stage import RunContext, Stage, register_stage
from ..text import strip_ellipsis
from . import bleu as _bleu  # noqa: F401  (registers the built-in metrics)
from . import chrf as _chrf  # noqa: F401
from . import ter as _ter  # noqa: F401
from .base import CorpusScore, Metric, ScoreError, Segment, metrics
from .partial import matching_prefix
from .pool import score_segments
from .statistics import StatsTable

log = logging.getLogger(__name__)


def metric_class(name: str) -> type[Metric]:
    """The registered metric ``name`` (its ``higher_is_better`` is the one truth about its direction)."""
    return metrics.get(name, "metric")


def build_metrics(section: ScoreSection) -> dict[str, Metric]:
    if not section.metrics:
        raise ScoreError("score.metrics is empty: name at least one of " + ", ".join(metrics.names()))
    return {name: metrics.get(name, "score.metrics")(section) for name in dict.fromkeys(section.metrics)}


@dataclass
class ScoredSet:
    """What the corpus score of one set of rows (full references, or truncated ones) needs, kept as the
    rows are scored: each metric's statistics, compact, and the text only for a metric without any."""

    chosen: dict[str, Metric]
    tables: dict[str, StatsTable] = field(default_factory=dict)
    hyps: list[str] = field(default_factory=list)
    refs: list[str] = field(default_factory=list)
    n: int = 0

    def add(self, pair: tuple[str, str], segments: dict[str, Segment]) -> None:
        self.n += 1
        for name, m in self.chosen.items():
            if m.has_statistics:
                self.tables.setdefault(name, StatsTable()).add(segments[name].stats or ())
        if not all(m.has_statistics for m in self.chosen.values()):
            self.hyps.append(pair[0])
            self.refs.append(pair[1])

    def corpus(self, section: ScoreSection) -> dict[str, Any] | None:
        """Each metric's corpus score of the rows added, or None where there are none."""
        if not self.n:
            return None
        return {name: self.corpus_of(name, m, section).to_dict() for name, m in self.chosen.items()}

    def corpus_of(self, name: str, m: Metric, section: ScoreSection) -> CorpusScore:
        if m.has_statistics:
            return m.corpus_of(self.tables[name].array(), section.bootstrap, section.seed)
        return m.corpus(self.hyps, self.refs, section.bootstrap, section.seed)


def is_scored(row: Row, mode: str) -> bool:
    """Whether a row is scored: it has a reference, and a truncated one is not excluded (``score.partial``)."""
    return row.has_reference and not (row.partial and mode == "exclude")


def scored_pair(row: Row, mode: str) -> tuple[str, str] | None:
    """(hypothesis, reference) a row is scored on, or None where it is not scored."""
    if not is_scored(row, mode):
        return None
    if not row.partial:
        return row.translation, row.reference
    return matching_prefix(row.translation, row.reference), strip_ellipsis(row.reference)


@dataclass
class RowCounts:
    """What scores.json's counts and the empty-reference message need of the rows: counts, from one pass."""

    rows: int = 0
    sources: int = 0  # rows with a source
    references: int = 0  # rows with a reference
    partial: int = 0  # rows with a source and a truncated reference
    scored: int = 0  # rows scored, full and truncated references together

    @property
    def no_source(self) -> int:
        """Rows with a reference and no source."""
        return self.rows - self.sources

    @classmethod
    def of(cls, rows: Iterable[Row], mode: str) -> RowCounts:
        counts = cls()
        for r in rows:
            counts.rows += 1
            counts.sources += bool(r.source)
            counts.references += bool(r.reference)
            counts.partial += r.has_reference and r.partial
            counts.scored += is_scored(r, mode)
        return counts


def empty_reference_message(counts: RowCounts, mode: str, reference_path: Path | None = None) -> str:
    if counts.partial and mode == "exclude":
        why = f"the only {counts.partial} aligned reference(s) are truncated and score.partial=exclude"
    elif counts.references:
        sources = counts.sources
        why = f"{counts.references} reference unit(s) exist but none is aligned to any of the {sources} source rows"
    elif reference_path is not None:
        why = f"the reference file {reference_path} (reference.path) has no English sentences"
    else:
        why = "the run has no English reference (none embedded in the input, and reference.path is not set)"
    return f"nothing to score: reference set is empty — {why}; give a reference with reference.path=FILE"


@dataclass
class RowScores:
    """The sentence scores of the per-row metrics (``names``) of each scored row, in row order: 8 bytes a
    score (the entries of scores.json are made from them and the rows when it is written)."""

    names: list[str]
    values: dict[str, array[float]] = field(default_factory=dict)

    def add(self, segments: dict[str, Segment]) -> None:
        for name in self.names:
            score = segments[name].score
            assert score is not None, f"{name} is a per-row metric: each row has a score"
            self.values.setdefault(name, array("d")).append(score)

    def of(self, i: int) -> dict[str, float]:
        """Row ``i``'s scores, as scores.json gives them."""
        return {name: round(self.values[name][i], 4) for name in self.names}


@register_stage
class ScoreStage(Stage):
    name = "score"
    position = 40
    sections = ("score",)
    produces = (artifacts.SCORES,)
    components = {"score.metrics": metrics}
    summary = "Re-run the score stage (sacrebleu) from the alignment."

    def identity(self, ctx: RunContext) -> dict[str, Any]:
        """The metrics' implementation: sacrebleu's version (enters the resume key)."""
        from ..manifest import package_versions

        return {"packages": package_versions(("sacrebleu",))}

    def run(self, ctx: RunContext) -> dict[str, Any]:
        return write_scores(ctx, ctx.config.run)


def write_scores(ctx: RunContext, run: RunSection) -> dict[str, Any]:
    """Score the run's rows (the per-row work where ``run`` says: ``run.workers`` processes or Ray) and
    write scores.json, which depends on neither. The rows are made from the artifacts on each pass,
    document by document, none held: a pass counts them, one scores them, one writes their entries."""
    section = ctx.config.score
    checked = load_streamed(ctx)
    rows = RowStream(checked.sentences, checked.translations, checked.beads)
    chosen = build_metrics(section)
    counts = RowCounts.of(rows, section.partial)
    if not counts.scored:
        message = empty_reference_message(counts, section.partial, ctx.config.reference.path)
        if section.on_empty_reference == "error":
            raise ScoreError(f"{ctx.run_dir}: {message}, or set score.on_empty_reference=skip to export without scores")
        log.warning("%s (exporting without scores)", message)
    full, partial = ScoredSet(chosen), ScoredSet(chosen)
    scores = RowScores([name for name, m in chosen.items() if m.per_row])
    ahead, behind = tee((r.partial, pair) for r in rows if (pair := scored_pair(r, section.partial)) is not None)
    results = score_segments(chosen, section, (pair for _, pair in ahead), run, counts.scored)
    for (is_partial, pair), segments in zip(behind, results, strict=True):  # strict: the pool and its bar close here
        (partial if is_partial else full).add(pair, segments)
        scores.add(segments)
    corpus = full.corpus(section)
    data = {
        "corpus": corpus if corpus is not None else {name: None for name in chosen},
        "partial": {
            "mode": section.partial,
            "n": counts.partial,
            "scored": partial.n,
            "corpus": partial.corpus(section),
        },
        "signatures": {name: m.signature() for name, m in chosen.items()},
        "row_metrics": scores.names,
        "lower_is_better": [name for name, m in chosen.items() if not m.higher_is_better],
        "settings": {
            "bootstrap": section.bootstrap,
            "seed": section.seed,
            "partial": section.partial,
            "chrf_word_order": section.chrf_word_order,
        },
        "counts": score_counts(counts, full.n, partial.n),
        "rows": JsonArray(lambda: row_entries(rows, section.partial, scores), counts.scored),
    }
    write_json(ctx.path(artifacts.SCORES), data)
    return {
        "scored_rows": full.n,
        "partial_rows": partial.n,
        **{k: (v or {}).get("score") for k, v in data["corpus"].items()},
    }


def score_counts(counts: RowCounts, full: int, partial_scored: int) -> dict[str, int]:
    return {
        "rows": counts.rows,
        "scored": full,
        "partial_reference": counts.partial,
        "partial_scored": partial_scored,
        "partial_excluded": counts.partial - partial_scored,
        "source_rows_without_reference": counts.sources - full - counts.partial,
        "reference_rows_without_source": counts.no_source,
    }


def row_entries(rows: Iterable[Row], mode: str, scores: RowScores) -> Iterator[dict[str, Any]]:
    """scores.json's entry of each scored row, in row order (its scores: ``scores``, kept in that order)."""
    i = 0
    for row in rows:
        pair = scored_pair(row, mode)
        if pair is not None:
            yield row_entry(row, pair, scores.of(i))
            i += 1


def row_entry(row: Row, pair: tuple[str, str], scores: dict[str, float]) -> dict[str, Any]:
    """scores.json's entry for a scored row: its sentence scores (per-row metrics, rounded)."""
    entry: dict[str, Any] = {"seg_id": row.seg_id, "partial": row.partial}
    entry.update(scores)
    if row.partial:
        entry["scored_translation"] = pair[0]
    return entry
