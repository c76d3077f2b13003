"""Score stage entry point: rows with a reference → scores.json (per row and per corpus).

Full references and truncated ("partial") references are scored apart: ``corpus`` holds the scores
over full references only; ``partial`` holds the scores over truncated ones (against the matching
prefix of the translation) or says how many were excluded.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .. import artifacts
from ..config import RunSection, ScoreSection
from ..io import write_json
from ..rows import Row, load_rows
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


def scored_pair(row: Row, mode: str) -> tuple[str, str] | None:
    """(hypothesis, reference) a row is scored on, or None where it is not scored."""
    if not row.has_reference:
        return None
    if not row.partial:
        return row.translation, row.reference
    if mode == "exclude":
        return None
    return matching_prefix(row.translation, row.reference), strip_ellipsis(row.reference)


def empty_reference_message(rows: Sequence[Row], mode: str, reference_path: Path | None = None) -> str:
    sources = sum(bool(r.source) for r in rows)
    refs = sum(bool(r.reference) for r in rows)
    partial = sum(r.has_reference and r.partial for r in rows)
    if partial and mode == "exclude":
        why = f"the only {partial} aligned reference(s) are truncated and score.partial=exclude"
    elif refs:
        why = f"{refs} reference unit(s) exist but none is aligned to any of the {sources} source rows"
    elif reference_path is not None:
        why = f"the reference file {reference_path} (reference.path) has no English sentences"
    else:
        why = "the run has no English reference (none embedded in the input, and reference.path is not set)"
    return f"nothing to score: reference set is empty — {why}; give a reference with reference.path=FILE"


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
    write scores.json, which depends on neither."""
    section = ctx.config.score
    rows = load_rows(ctx)
    chosen = build_metrics(section)
    scored = [(r, pair) for r in rows if (pair := scored_pair(r, section.partial)) is not None]
    if not scored:
        message = empty_reference_message(rows, section.partial, ctx.config.reference.path)
        if section.on_empty_reference == "error":
            raise ScoreError(f"{ctx.run_dir}: {message}, or set score.on_empty_reference=skip to export without scores")
        log.warning("%s (exporting without scores)", message)
    full, partial = ScoredSet(chosen), ScoredSet(chosen)
    entries = []
    results = score_segments(chosen, section, [p for _, p in scored], run)
    for (row, pair), segments in zip(scored, results, strict=True):  # strict: the pool and its bar close here
        (partial if row.partial else full).add(pair, segments)
        entries.append(row_entry(row, pair, segments, chosen))
    n_partial = sum(r.has_reference and r.partial for r in rows)
    corpus = full.corpus(section)
    data = {
        "corpus": corpus if corpus is not None else {name: None for name in chosen},
        "partial": {"mode": section.partial, "n": n_partial, "scored": partial.n, "corpus": partial.corpus(section)},
        "signatures": {name: m.signature() for name, m in chosen.items()},
        "row_metrics": [name for name, m in chosen.items() if m.per_row],
        "lower_is_better": [name for name, m in chosen.items() if not m.higher_is_better],
        "settings": {
            "bootstrap": section.bootstrap,
            "seed": section.seed,
            "partial": section.partial,
            "chrf_word_order": section.chrf_word_order,
        },
        "counts": score_counts(rows, full.n, n_partial, partial.n),
        "rows": entries,
    }
    write_json(ctx.path(artifacts.SCORES), data)
    return {
        "scored_rows": full.n,
        "partial_rows": partial.n,
        **{k: (v or {}).get("score") for k, v in data["corpus"].items()},
    }


def score_counts(rows: Sequence[Row], full: int, partial: int, partial_scored: int) -> dict[str, int]:
    sources = sum(bool(r.source) for r in rows)
    return {
        "rows": len(rows),
        "scored": full,
        "partial_reference": partial,
        "partial_scored": partial_scored,
        "partial_excluded": partial - partial_scored,
        "source_rows_without_reference": sources - full - partial,
        "reference_rows_without_source": sum(not r.source for r in rows),
    }


def row_entry(
    row: Row, pair: tuple[str, str], segments: dict[str, Segment], chosen: dict[str, Metric]
) -> dict[str, Any]:
    """scores.json's entry for a scored row: its sentence scores (per-row metrics)."""
    entry: dict[str, Any] = {"seg_id": row.seg_id, "partial": row.partial}
    entry.update({name: round(segments[name].score, 4) for name, m in chosen.items() if m.per_row})
    if row.partial:
        entry["scored_translation"] = pair[0]
    return entry
