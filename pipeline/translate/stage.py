"""Translate stage entry point: Japanese sentences → translations.jsonl, cached and never truncated."""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator
from typing import Any

from tqdm import tqdm

from .. import artifacts
from ..io import read_records, write_jsonl
from ..records import Sentence, Translation
from ..stage import RunContext, Stage, stages
from . import hf as _hf  # noqa: F401  (registers the built-in backend)
from .base import Translator, translators
from .cache import TranslationCache
from .splitting import join_pieces, split_to_fit

log = logging.getLogger(__name__)


def open_translator(ctx: RunContext) -> Translator:
    cfg = ctx.config.translate
    if cfg.build_tiny:
        from pathlib import Path

        from .tiny import build_marian

        if not Path(cfg.model).exists():
            log.info("building the tiny offline model at %s (translate.build_tiny=true)", cfg.model)
            build_marian(cfg.model)
    return translators.get(cfg.backend, "translate.backend")(cfg)


def translate_chunks(
    ctx: RunContext, translator: Translator, todo: list[str], chunk: int
) -> Iterator[tuple[list[str], list[str]]]:
    """Yield ``(sources, translations)`` per chunk: in this process, or on Ray with ``run.engine: ray``."""
    if ctx.config.run.engine == "ray":
        from .ray_engine import translate_batches

        yield from translate_batches(ctx.config.translate, ctx.config.run, todo, chunk)
        return
    for start in range(0, len(todo), chunk):
        batch = todo[start : start + chunk]
        yield batch, translator.translate(batch)


@stages.register("translate")
class TranslateStage(Stage):
    name = "translate"
    produces = (artifacts.TRANSLATIONS,)

    def run(self, ctx: RunContext) -> dict[str, Any]:
        cfg = ctx.config.translate
        sources = [
            s for s in read_records(ctx.require(artifacts.SENTENCES, "segment"), Sentence) if s.lang == "ja"
        ]
        translator = open_translator(ctx)
        limit = translator.max_source_tokens
        pieces = [split_to_fit(s.text, lambda t: translator.count_tokens(t) <= limit) for s in sources]
        flat = list(dict.fromkeys(p for ps in pieces for p in ps))
        identity = translator.identity()
        cache = TranslationCache(cfg.cache_dir / "translations.sqlite", identity) if cfg.cache else None
        done = cache.get_many(flat) if cache else {}
        todo = [t for t in flat if t not in done]
        started = time.perf_counter()
        chunk = max(1, cfg.max_batch_size * 4)
        with tqdm(total=len(todo), unit="sent", desc="translate", disable=not todo) as bar:
            for batch, outputs in translate_chunks(ctx, translator, todo, chunk):
                done.update(zip(batch, outputs))
                if cache:
                    cache.put_many(zip(batch, outputs))
                bar.update(len(batch))
        seconds = time.perf_counter() - started
        if cache:
            cache.close()
        todo_set = set(todo)
        records = [
            Translation(
                seg_id=s.seg_id,
                translation=join_pieces([done[p] for p in ps]),
                split=len(ps) > 1,
                pieces=len(ps),
                cached=not any(p in todo_set for p in ps),
            )
            for s, ps in zip(sources, pieces)
        ]
        write_jsonl(ctx.path(artifacts.TRANSLATIONS), records)
        return {
            "model": identity,
            "sentences": len(sources),
            "translated": len(todo),
            "from_cache": len(flat) - len(todo),
            "split_sentences": sum(r.split for r in records),
            "sentences_per_second": round(len(todo) / seconds, 2) if todo and seconds > 0 else None,
        }
