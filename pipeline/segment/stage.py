"""Segment stage entry point: input (+ optional external reference) → sentences.jsonl, dropped.jsonl."""

from __future__ import annotations

from typing import Any

from .. import artifacts
from ..io import read_text, write_jsonl
from ..records import Dropped
from ..stage import RunContext, Stage, stages
from . import rules as _rules  # noqa: F401  (registers the built-in segmenter)
from .base import SegmentResult, segmenters


def read_input(ctx: RunContext) -> str:
    cfg = ctx.config.input
    return read_text(cfg.path, cfg.encoding, what="input")


@stages.register("segment")
class SegmentStage(Stage):
    name = "segment"
    produces = (artifacts.SENTENCES, artifacts.DROPPED)

    def run(self, ctx: RunContext) -> dict[str, Any]:
        cfg = ctx.config
        segmenter = segmenters.get(cfg.segment.method, "segment.method")(cfg.segment)
        result = segmenter.segment(read_input(ctx))
        embedded = [u for u in result.units if u.lang == "en"]
        if cfg.reference.path is not None or not cfg.reference.from_input:
            reason = (
                f"embedded English replaced by reference.path={cfg.reference.path}"
                if cfg.reference.path is not None
                else "embedded English not used (reference.from_input=false)"
            )
            result.dropped.extend(Dropped(text=u.text, reason=reason) for u in embedded)
            result.units = [u for u in result.units if u.lang != "en"]
        if cfg.reference.path is not None:
            ref_text = read_text(cfg.reference.path, cfg.reference.encoding, what="reference")
            ref = segmenter.segment_reference(ref_text)
            result = SegmentResult(units=result.units + ref.units, dropped=result.dropped + ref.dropped)
        sentences = result.to_sentences()
        write_jsonl(ctx.path(artifacts.SENTENCES), sentences)
        write_jsonl(ctx.path(artifacts.DROPPED), result.dropped)
        return {
            "ja_sentences": sum(s.lang == "ja" for s in sentences),
            "en_sentences": sum(s.lang == "en" for s in sentences),
            "documents": len({s.doc_id for s in sentences if s.lang == "ja"}),
            "dropped": len(result.dropped),
        }
