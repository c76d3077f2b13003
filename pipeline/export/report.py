"""``report.html``: one self-contained page (inline CSS and SVG, no scripts, fonts or CDN) for people.

It shows the corpus scores with their 95% intervals and signatures, the truncated-reference scores
apart, stage timings from ``manifest.json``, a picture of the alignment (source position × reference
position, one mark per bead coloured by its confidence) and the side-by-side table of every row
with per-row scores coloured from red (0) to green (100).

At corpus scale it stays small: a run of more than ``export.report_all_rows`` rows shows a
per-document table (at most ``export.report_documents`` documents) and, instead of every row, the
rows of the worst documents, the flagged rows and the low-confidence links, each capped at
``export.report_rows_per_section``; the picture is drawn up to ``export.report_picture_beads`` units.
The rest is in ``bitext.tsv``, whose row numbers the report's ``#`` column gives.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from .. import artifacts
from ..io import atomic_write_text
from ..records import Bead, Sentence
from ..rows import Row
from .base import ExportData, Exporter, exporters, random_model_banner
from .documents import DocumentStats, corpus_sections, rank_metric, worst_first

TEMPLATES = Path(__file__).parent / "templates"

LABELS = {"bleu": "BLEU", "chrf": "chrF", "ter": "TER"}


def score_colour(value: float | None, lower_is_better: bool = False) -> str:
    """A pale background from red (bad) through amber to green (good) for a 0–100 score."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "transparent"
    good = max(0.0, min(1.0, value / 100.0))
    if lower_is_better:
        good = 1.0 - good
    return f"hsl({round(good * 130)}, 70%, {86 - round(good * 6)}%)"


def confidence_colour(score: float) -> str:
    good = max(0.0, min(1.0, score))
    return f"hsl({round(good * 130)}, 60%, 42%)"


@dataclass
class AlignmentPicture:
    """Source position × reference position: each bead a rectangle over the sentences it joins."""

    width: int
    height: int
    svg_rects: list[dict[str, Any]]
    src_ticks: list[dict[str, Any]]
    ref_ticks: list[dict[str, Any]]
    n_src: int
    n_ref: int
    margin: int

    @classmethod
    def build(cls, sentences: list[Sentence], beads: list[Bead], size: int = 460) -> AlignmentPicture:
        src_pos = {s.seg_id: i for i, s in enumerate(s for s in sentences if s.lang != "en")}
        ref_pos = {s.seg_id: i for i, s in enumerate(s for s in sentences if s.lang == "en")}
        n_src, n_ref = max(len(src_pos), 1), max(len(ref_pos), 1)
        margin = 46
        plot_w, plot_h = size, max(160, min(size, round(size * n_ref / n_src)))
        sx, sy = plot_w / n_src, plot_h / n_ref
        rects, src_ticks, ref_ticks = [], [], []
        for bead in beads:
            xs = [src_pos[i] for i in bead.src_ids if i in src_pos]
            ys = [ref_pos[i] for i in bead.ref_ids if i in ref_pos]
            if xs and ys:
                x0, y0 = min(xs), min(ys)
                rects.append(
                    {
                        "x": round(margin + x0 * sx, 2),
                        "y": round(margin + y0 * sy, 2),
                        "w": round(max(sx * (max(xs) - x0 + 1), 3), 2),
                        "h": round(max(sy * (max(ys) - y0 + 1), 3), 2),
                        "fill": confidence_colour(bead.score),
                        "title": f"{'+'.join(bead.src_ids)} ↔ {'+'.join(bead.ref_ids)}"
                        f"{' characters {}–{}'.format(*bead.ref_span) if bead.ref_span else ''}  {bead.type}  "
                        f"confidence {bead.score:.3f}{'  (truncated reference)' if bead.partial else ''}",
                        "partial": bead.partial,
                    }
                )
            elif ys:
                ref_ticks.extend(
                    {
                        "y": round(margin + y * sy, 2),
                        "h": round(max(sy, 2), 2),
                        "title": f"{bead.ref_ids[0]}: reference sentence not matched",
                    }
                    for y in ys
                )
            elif xs:
                src_ticks.extend({"x": round(margin + x * sx, 2), "w": round(max(sx, 1.5), 2)} for x in xs)
        return cls(
            plot_w + 2 * margin, plot_h + 2 * margin, rects, src_ticks, ref_ticks, len(src_pos), len(ref_pos), margin
        )


def model_label(model: dict[str, Any]) -> dict[str, str]:
    """What translated the run, for the header: the model, or the file of a ``translate.backend: file`` run."""
    if model.get("backend") == "file":
        return {"model_kind": "translations from", "model_name": Path(str(model.get("file", "?"))).name}
    return {"model_kind": "model", "model_name": str(model.get("model", "?"))}


def stage_bars(manifest: dict[str, Any]) -> list[dict[str, Any]]:
    stages = manifest.get("stages", {})
    seconds = {name: float(info.get("seconds", 0.0)) for name, info in stages.items()}
    total = sum(seconds.values()) or 1.0
    return [{"name": name, "seconds": s, "share": s / total} for name, s in seconds.items()]


def corpus_cards(scores: dict[str, Any], corpus: dict[str, Any] | None) -> list[dict[str, Any]]:
    lower = set(scores.get("lower_is_better", []))
    cards = []
    for name, result in (corpus or {}).items():
        if result is None:
            continue
        ci = result.get("ci")
        cards.append(
            {
                "name": LABELS.get(name, name),
                "score": result["score"],
                "n": result["n"],
                "signature": result["signature"],
                "ci": ci,
                "lower_is_better": name in lower,
                "colour": score_colour(result["score"], name in lower),
                # the interval drawn on a 0–100 axis
                "ci_left": max(0.0, min(100.0, ci["low"])) if ci else None,
                "ci_width": max(0.6, min(100.0, ci["high"]) - max(0.0, ci["low"])) if ci else None,
            }
        )
    return cards


def table_rows(data: ExportData, numbered: Sequence[tuple[int, Row]]) -> list[dict[str, Any]]:
    """Table cells of the given rows (1-based row number in bitext.tsv, row)."""
    lower = set(data.scores.get("lower_is_better", []))
    metrics = data.metric_names()
    out = []
    for i, row in numbered:
        scores = data.row_scores.get(row.seg_id, {}) if row.has_reference else {}
        out.append(
            {
                "n": i,
                "row": row,
                "scored_translation": data.scored_translation(row.seg_id) if row.partial else None,
                "cells": [{"value": scores.get(m), "colour": score_colour(scores.get(m), m in lower)} for m in metrics],
                "conf_colour": confidence_colour(row.align_score),
                "kind": "scored" if scores else ("ref-only" if not row.source else "unreferenced"),
            }
        )
    return out


def row_sections(data: ExportData, docs: list[DocumentStats], metric: str | None) -> list[dict[str, Any]]:
    """Every row (a run of at most ``export.report_all_rows``), else the corpus view's sections."""
    if len(data.rows) <= data.export.report_all_rows:
        return [
            {
                "key": "all",
                "title": "",
                "note": "",
                "rows": table_rows(data, list(enumerate(data.rows, 1))),
                "total": None,
            }
        ]
    return [
        {"key": s.key, "title": s.title, "note": s.note, "rows": table_rows(data, s.rows), "total": s.total}
        for s in corpus_sections(data.rows, docs, metric, data.export)
    ]


def document_rows(data: ExportData, docs: list[DocumentStats], metric: str | None) -> dict[str, Any]:
    """The per-document table: every document in order, or the worst ``export.report_documents``."""
    cap = data.export.report_documents
    shown = docs if len(docs) <= cap else worst_first(docs, metric)[:cap]
    metrics = data.metric_names()
    lower = set(data.scores.get("lower_is_better", []))
    rows = [
        {
            "doc": d,
            "cells": [{"value": d.score(m), "colour": score_colour(d.score(m), m in lower)} for m in metrics],
        }
        for d in shown
    ]
    return {"rows": rows, "total": len(docs), "capped": len(shown) < len(docs), "metric": LABELS.get(metric, metric)}


def render(data: ExportData, run_name: str) -> str:
    env = Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=select_autoescape(["html"]),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    cfg = data.export
    drawn = data.sentences and len(data.beads) <= cfg.report_picture_beads
    picture = AlignmentPicture.build(data.sentences, data.beads) if drawn else None
    partial = data.scores.get("partial") or {}
    docs = data.documents()
    metric = rank_metric(data.metric_names())
    return env.get_template("report.html").render(
        run=run_name,
        banner=random_model_banner(data),
        model=(data.manifest.get("model") or {}),
        **model_label(data.manifest.get("model") or {}),
        updated=data.manifest.get("updated", ""),
        counts=data.scores.get("counts", {}),
        cards=corpus_cards(data.scores, data.scores.get("corpus")),
        partial=partial,
        partial_cards=corpus_cards(data.scores, partial.get("corpus")),
        stages=stage_bars(data.manifest),
        picture=picture,
        aligner=data.aligner_signature(),
        picture_left_out=len(data.beads) if data.sentences and not drawn else 0,
        metrics=[LABELS.get(m, m) for m in data.metric_names()],
        rows=data.rows,
        sections=row_sections(data, docs, metric),
        documents=document_rows(data, docs, metric) if len(docs) > 1 else None,
        low_confidence=sum(d.low_confidence for d in docs),
        export=cfg,
        flags=data.flag_counts(),
        retried=data.retried_counts(),
        legend=[{"value": v, "colour": score_colour(v)} for v in (0, 20, 40, 60, 80, 100)],
    )


@exporters.register("report")
class ReportExporter(Exporter):
    filename = artifacts.REPORT

    def write(self, data: ExportData, run_dir: Path) -> Path:
        return atomic_write_text(run_dir / self.filename, render(data, run_dir.name))
