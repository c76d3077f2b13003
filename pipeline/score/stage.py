"""Score stage entry point: rows with a reference → scores.json (per row and per corpus)."""

from __future__ import annotations

from typing import Any

from .. import artifacts
from ..io import write_json
from ..rows import load_rows
from ..stage import RunContext, Stage, stages
from . import bleu as _bleu  # noqa: F401  (registers the built-in metrics)
from . import chrf as _chrf  # noqa: F401
from .base import metrics


@stages.register("score")
class ScoreStage(Stage):
    name = "score"
    produces = (artifacts.SCORES,)

    def run(self, ctx: RunContext) -> dict[str, Any]:
        rows = load_rows(ctx)
        scored = [r for r in rows if r.has_reference]
        chosen = {name: metrics.get(name, "score.metrics")() for name in ctx.config.score.metrics}
        hyps = [r.translation for r in scored]
        refs = [r.reference for r in scored]
        corpus = {name: m.corpus(hyps, refs).to_dict() if scored else None for name, m in chosen.items()}
        per_row = [
            {"seg_id": r.seg_id, **{name: round(m.sentence(r.translation, r.reference), 4) for name, m in chosen.items()}}
            for r in scored
        ]
        sources = sum(bool(r.source) for r in rows)
        data = {
            "corpus": corpus,
            "signatures": {name: m.signature() for name, m in chosen.items()},
            "counts": {
                "rows": len(rows),
                "scored": len(scored),
                "source_rows_without_reference": sources - len(scored),
                "reference_rows_without_source": sum(not r.source for r in rows),
            },
            "rows": per_row,
        }
        write_json(ctx.path(artifacts.SCORES), data)
        return {"scored_rows": len(scored), **{k: (v or {}).get("score") for k, v in corpus.items()}}
