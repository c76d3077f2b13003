"""Translate stage entry point: Japanese sentences → translations.jsonl, cached and never truncated.

The input streams: ``sentences.jsonl`` is read ``translate.stream_chunk`` sentences at a time and
each chunk's rows are written before the next is read. Per chunk, ``translate_missing`` is the
whole "cached lookup → translate the missing unique pieces → store" flow; the middle step is a
``BatchRunner`` (``local_batches`` in this process; an engine may pass its own).
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

from tqdm import tqdm

from .. import artifacts
from ..errors import StageError
from ..io import atomic_open, iter_jsonl
from ..records import Sentence, Translation
from ..stage import RunContext, Stage, stages
from . import ct2 as _ct2  # noqa: F401  (registers the ct2 backend)
from . import hf as _hf  # noqa: F401  (registers the hf backend)
from .base import Translator, translators
from .cache import TranslationCache
from .splitting import join_pieces, split_to_fit

log = logging.getLogger(__name__)

# Takes the unique pieces to translate; yields (pieces, translations) per finished batch.
BatchRunner = Callable[[list[str]], Iterator[tuple[list[str], list[str]]]]


def ensure_model(ctx: RunContext) -> None:
    """Build the tiny offline model at ``translate.model`` when ``translate.build_tiny`` asks and it is missing."""
    cfg = ctx.config.translate
    if cfg.build_tiny:
        from .tiny import build_marian

        if not Path(cfg.model).exists():
            log.info("building the tiny offline model at %s (translate.build_tiny=true)", cfg.model)
            build_marian(cfg.model)


def open_translator(ctx: RunContext) -> Translator:
    ensure_model(ctx)
    cfg = ctx.config.translate
    return translators.get(cfg.backend, "translate.backend")(cfg)


def longest_first(translator: Translator, todo: list[str]) -> list[str]:
    """Pieces ordered longest first, so that each call holds similar lengths."""
    lengths = {t: translator.count_tokens(t) for t in todo}
    return sorted(todo, key=lambda t: -lengths[t])


def local_batches(translator: Translator, batch_size: int) -> BatchRunner:
    """Translate in this process: one ``translator.translate`` call per ``batch_size`` pieces."""

    def run(todo: list[str]) -> Iterator[tuple[list[str], list[str]]]:
        ordered = longest_first(translator, todo)
        for start in range(0, len(ordered), batch_size):
            batch = ordered[start : start + batch_size]
            yield batch, translator.translate(batch)

    return run


def translate_missing(
    pieces: Sequence[str],
    cache: TranslationCache | None,
    run_batches: BatchRunner,
    on_batch: Callable[[list[str]], None] | None = None,
) -> tuple[dict[str, str], list[str]]:
    """Cached lookup → translate the missing unique pieces → store each batch as it finishes.

    Returns every piece's translation and the pieces that were translated now (not cached).
    Blank pieces translate to "" without the model."""
    unique = list(dict.fromkeys(pieces))
    done = {p: "" for p in unique if not p.strip()}
    wanted = [p for p in unique if p not in done]
    if cache is not None and wanted:
        done.update(cache.get_many(wanted))
    todo = [p for p in wanted if p not in done]
    if todo:
        for batch, outputs in run_batches(todo):
            if len(outputs) != len(batch):
                raise StageError(f"translation backend returned {len(outputs)} translations for {len(batch)} sources")
            done.update(zip(batch, outputs))
            if cache is not None:
                cache.put_many(zip(batch, outputs))
            if on_batch is not None:
                on_batch(batch)
    missing = [p for p in todo if p not in done]
    if missing:
        raise StageError(f"{len(missing)} pieces were not translated (first: {missing[0][:60]!r})")
    return done, todo


def batch_runner(ctx: RunContext, translator: Translator) -> BatchRunner:
    """The middle step for this run's engine."""
    size = max(1, ctx.config.translate.max_batch_size * 4)
    if ctx.config.run.engine == "ray":
        from .ray_engine import RayBatches

        # the same ordering and batch size as local, so that Ray gives byte-identical output
        return RayBatches(ctx.config.translate, ctx.config.run, lambda todo: longest_first(translator, todo), size)
    return local_batches(translator, size)


def japanese_sentences(path: Path) -> Iterator[Sentence]:
    for number, data in enumerate(iter_jsonl(path), 1):
        try:
            sentence = Sentence.from_dict(data)
        except TypeError as exc:
            raise StageError(f"{path}: record {number}: not a sentence ({exc})") from None
        if sentence.lang == "ja":
            yield sentence


def chunked(items: Iterable[Sentence], size: int) -> Iterator[list[Sentence]]:
    chunk: list[Sentence] = []
    for item in items:
        chunk.append(item)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


@stages.register("translate")
class TranslateStage(Stage):
    name = "translate"
    produces = (artifacts.TRANSLATIONS,)
    version = "1"

    def identity(self, ctx: RunContext) -> dict[str, Any]:
        """The backend's source identity (the model's weights, tokenizer, config, revision)."""
        ensure_model(ctx)
        cfg = ctx.config.translate
        return {"model": translators.get(cfg.backend, "translate.backend").source_identity(cfg)}

    def run(self, ctx: RunContext) -> dict[str, Any]:
        cfg = ctx.config.translate
        source_path = ctx.require(artifacts.SENTENCES, "segment")
        total = sum(1 for _ in japanese_sentences(source_path))
        out_path = ctx.path(artifacts.TRANSLATIONS)
        if total == 0:
            log.warning("no Japanese sentences in %s: nothing to translate", source_path)
            with atomic_open(out_path):
                pass
            return {"sentences": 0, "translated": 0, "from_cache": 0, "split_sentences": 0}

        started = time.perf_counter()
        translator = open_translator(ctx)
        load_seconds = time.perf_counter() - started
        identity = translator.identity()
        limit = translator.max_source_tokens
        cache = TranslationCache(cfg.cache_dir / "translations.sqlite", identity) if cfg.cache else None
        run_batches = batch_runner(ctx, translator)
        counts = {"sentences": 0, "pieces": 0, "translated": 0, "from_cache": 0, "split_sentences": 0, "batches": 0}
        translate_seconds = 0.0
        try:
            with atomic_open(out_path) as out, tqdm(
                total=total, unit="sent", desc="translate", dynamic_ncols=True, mininterval=0.5
            ) as bar:
                for chunk in chunked(japanese_sentences(source_path), cfg.stream_chunk):
                    chunk_end = bar.n + len(chunk)

                    def advance(batch: list[str], end: int = chunk_end) -> None:
                        counts["batches"] += 1
                        bar.update(max(0, min(len(batch), end - 1 - bar.n)))

                    pieces = [split_to_fit(s.text, lambda t: translator.count_tokens(t) <= limit) for s in chunk]
                    tick = time.perf_counter()
                    done, todo = translate_missing([p for ps in pieces for p in ps], cache, run_batches, advance)
                    translate_seconds += time.perf_counter() - tick
                    fresh = set(todo)
                    for s, ps in zip(chunk, pieces):
                        record = Translation(
                            seg_id=s.seg_id,
                            translation=join_pieces([done[p] for p in ps]),
                            split=len(ps) > 1,
                            pieces=len(ps),
                            cached=not any(p in fresh for p in ps),
                        )
                        out.write(json.dumps(record.to_dict(), ensure_ascii=False) + "\n")
                        counts["split_sentences"] += record.split
                    counts["sentences"] += len(chunk)
                    counts["pieces"] += sum(len(ps) for ps in pieces)
                    counts["translated"] += len(todo)
                    counts["from_cache"] += len(set(p for ps in pieces for p in ps) - fresh)
                    bar.update(chunk_end - bar.n)
        finally:
            if cache is not None:
                cache.close()
            if (close := getattr(run_batches, "close", None)) is not None:
                close()  # e.g. shut down a Ray instance the engine started
        if counts["split_sentences"]:
            log.info("%d sentences over the model's %d-token limit were translated in pieces",
                     counts["split_sentences"], limit)
        rate = counts["translated"] / translate_seconds if counts["translated"] and translate_seconds > 0 else None
        return {
            "model": identity,
            **counts,
            **translator.describe(),
            "load_seconds": round(load_seconds, 3),
            "translate_seconds": round(translate_seconds, 3),
            "sentences_per_second": round(rate, 2) if rate else None,
        }
