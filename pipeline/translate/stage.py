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
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tqdm import tqdm

from .. import artifacts
from ..errors import StageError
from ..io import atomic_open, iter_jsonl
from ..progress import progress
from ..records import Sentence, Translation
from ..stage import RunContext, Stage, register_stage
from . import ct2 as _ct2  # noqa: F401  (registers the ct2 backend)
from . import file as _file  # noqa: F401  (registers the file backend)
from . import hf as _hf  # noqa: F401  (registers the hf backend)
from .base import Output, Translator, translators
from .cache import TranslationCache
from .flags import FLAGS, RETRIES, count_flags, count_retried, join_retried, ordered, text_flags
from .splitting import split_at_clause, split_to_fit
from .tiny import uses_random_model

log = logging.getLogger(__name__)

# Takes the unique pieces to translate; yields (pieces, outputs) per finished batch.
BatchRunner = Callable[[list[str]], Iterator[tuple[list[str], list[Output]]]]

RETRY_CAP_SCALE = 2.0  # translate.on_truncation=retry: a cut output is translated again with this times the cap


def ensure_model(ctx: RunContext) -> None:
    """Build the tiny offline model at ``translate.model`` when ``translate.build_tiny`` asks, the path
    names the tiny model's directory (``…/tiny-marian``) and nothing is there; any other missing model
    fails to load with the usual error."""
    cfg = ctx.config.translate
    if cfg.build_tiny:
        from .tiny import asks_for_tiny, build_marian

        if asks_for_tiny(cfg.model) and not Path(cfg.model).exists():
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


def local_batches(translator: Translator, batch_size: int, cap_scale: float = 1.0) -> BatchRunner:
    """Translate in this process: one ``translator.translate_outputs`` call per ``batch_size`` pieces."""

    def run(todo: list[str]) -> Iterator[tuple[list[str], list[Output]]]:
        longest = longest_first(translator, todo)
        for start in range(0, len(longest), batch_size):
            batch = longest[start : start + batch_size]
            yield batch, translator.translate_outputs(batch, cap_scale)

    return run


def translate_missing(
    pieces: Sequence[str],
    cache: TranslationCache | None,
    run_batches: BatchRunner,
    on_batch: Callable[[list[str]], None] | None = None,
) -> tuple[dict[str, Output], list[str]]:
    """Cached lookup → translate the missing unique pieces → store each batch as it finishes.

    Returns every piece's output (text and decoder flags, cached or not) and the pieces that were
    translated now (not cached). Blank pieces translate to "" without the model."""
    unique = list(dict.fromkeys(pieces))
    done = {p: Output("") for p in unique if not p.strip()}
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


def retry_cut(
    cut: Sequence[str],
    translator: Translator,
    longer: Callable[[list[str]], dict[str, Output]],
    normal: Callable[[list[str]], dict[str, Output]],
) -> dict[str, tuple[Output, str]]:
    """``translate.on_truncation=retry``: each piece whose output hit the new-token cap, translated
    again with ``RETRY_CAP_SCALE`` times the cap (where the model's positions leave room) through
    ``longer``; if still cut, in two halves split at the clause nearest its middle through ``normal``.
    Returns piece → (new output, "cap" | "split") for the pieces that were retried; an output that is
    still cut keeps its ``truncated`` flag."""
    gen = translator.generation
    retried: dict[str, tuple[Output, str]] = {}
    room = [p for p in cut if gen.max_new_tokens(translator.count_tokens(p)) < gen.max_positions]
    if room:
        again = longer(room)
        retried.update((p, (again[p], "cap")) for p in room if not again[p].truncated)
    halves = {p: split_at_clause(p) for p in cut if p not in retried}
    halves = {p: h for p, h in halves.items() if len(h) > 1}
    if halves:
        parts = normal([h for hs in halves.values() for h in hs])
        retried.update((p, (Output.joined([parts[h] for h in hs]), "split")) for p, hs in halves.items())
    return retried


def pieces_per_call(translator: Translator) -> int:
    """Pieces handed to one ``translate_outputs`` call (the backend batches them by length)."""
    return max(1, translator.batch_plan.max_batch_size * 4)


def batch_runner(ctx: RunContext, translator: Translator) -> BatchRunner:
    """The middle step for this run's engine."""
    size = pieces_per_call(translator)
    if ctx.config.run.engine == "ray":
        from .ray_engine import RayBatches

        # the same ordering and batch size as local, so that Ray gives byte-identical output; the actors
        # run in the dtype the driver resolved, which its identity (the cache key) names
        cfg = ctx.config.translate.model_copy(
            update={"dtype": getattr(translator, "dtype", ctx.config.translate.dtype)}
        )
        return RayBatches(cfg, ctx.config.run, lambda todo: longest_first(translator, todo), size)
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


def translation_record(
    sentence: Sentence,
    pieces: list[str],
    done: dict[str, Output],
    fresh: set[str],
    retried: dict[str, tuple[Output, str]],
) -> Translation:
    """A sentence's translation: its pieces' outputs joined, flagged, and whether any was translated now."""
    whole = Output.joined([done[p] for p in pieces])
    return Translation(
        seg_id=sentence.seg_id,
        translation=whole.text,
        split=len(pieces) > 1,
        pieces=len(pieces),
        cached=not any(p in fresh for p in pieces),
        flags=ordered(whole.flags() + text_flags(sentence.text, whole.text)),
        retried=join_retried(retried[p][1] for p in pieces if p in retried),
    )


@dataclass
class TranslationJob:
    """One run of the stage: the translator, its caches and batch runner, and the counts so far."""

    translator: Translator
    identity: dict[str, Any]  # the translator's: keys the cache
    size: int  # pieces per translate call
    cache: TranslationCache | None
    longer_cache: TranslationCache | None  # retries with a higher cap: the same source, another setting
    retry: bool  # translate.on_truncation=retry
    run_batches: BatchRunner
    counts: dict[str, int] = field(
        default_factory=lambda: dict.fromkeys(
            ("sentences", "pieces", "translated", "from_cache", "split_sentences", "batches"), 0
        )
    )
    flags: Counter[str] = field(default_factory=lambda: Counter(dict.fromkeys(FLAGS, 0)))  # sentences per flag
    retried: Counter[str] = field(default_factory=lambda: Counter(dict.fromkeys(RETRIES, 0)))
    translate_seconds: float = 0.0

    @classmethod
    def open(cls, ctx: RunContext, translator: Translator) -> TranslationJob:
        cfg = ctx.config.translate
        identity = translator.identity()
        use_cache = cfg.cache and translator.cacheable
        retry = cfg.on_truncation == "retry"
        path = cfg.cache_dir / "translations.sqlite"
        cache = TranslationCache(path, identity) if use_cache else None
        longer = TranslationCache(path, {**identity, "cap_scale": RETRY_CAP_SCALE}) if use_cache and retry else None
        return cls(
            translator, identity, pieces_per_call(translator), cache, longer, retry, batch_runner(ctx, translator)
        )

    def longer(self, pieces: list[str]) -> dict[str, Output]:
        batches = local_batches(self.translator, self.size, RETRY_CAP_SCALE)
        return translate_missing(pieces, self.longer_cache, batches)[0]

    def normal(self, pieces: list[str]) -> dict[str, Output]:
        return translate_missing(pieces, self.cache, local_batches(self.translator, self.size))[0]

    def translate(self, chunk: list[Sentence], bar: tqdm) -> list[Translation]:
        """Translate one chunk of sentences (split to fit the model, cached, retried) into its records."""
        chunk_end = bar.n + len(chunk)

        def advance(batch: list[str]) -> None:
            self.counts["batches"] += 1
            bar.update(max(0, min(len(batch), chunk_end - 1 - bar.n)))

        limit = self.translator.max_source_tokens
        pieces = [split_to_fit(s.text, lambda t: self.translator.count_tokens(t) <= limit) for s in chunk]
        tick = time.perf_counter()
        done, todo = translate_missing([p for ps in pieces for p in ps], self.cache, self.run_batches, advance)
        retried: dict[str, tuple[Output, str]] = {}
        if self.retry:
            retried = retry_cut([p for p, o in done.items() if o.truncated], self.translator, self.longer, self.normal)
            done.update((p, o) for p, (o, _) in retried.items())
        self.translate_seconds += time.perf_counter() - tick
        fresh = set(todo)
        records = [translation_record(s, ps, done, fresh, retried) for s, ps in zip(chunk, pieces)]
        self.count(records, pieces, fresh)
        bar.update(chunk_end - bar.n)
        return records

    def count(self, records: list[Translation], pieces: list[list[str]], fresh: set[str]) -> None:
        self.counts["split_sentences"] += sum(r.split for r in records)
        self.flags.update(count_flags(r.flags for r in records))
        self.retried.update(count_retried(r.retried for r in records))
        self.counts["sentences"] += len(records)
        self.counts["pieces"] += sum(len(ps) for ps in pieces)
        self.counts["translated"] += len(fresh)
        self.counts["from_cache"] += len(set(p for ps in pieces for p in ps) - fresh)

    def close(self) -> None:
        for c in (self.cache, self.longer_cache):
            if c is not None:
                c.close()
        if (close := getattr(self.run_batches, "close", None)) is not None:
            close()  # e.g. shut down a Ray instance the engine started

    def log_summary(self) -> None:
        if self.counts["split_sentences"]:
            log.info(
                "%d sentences over the model's %d-token limit were translated in pieces",
                self.counts["split_sentences"],
                self.translator.max_source_tokens,
            )
        if any(self.flags.values()):
            log.warning("translation flags (sentences): %s", ", ".join(f"{k} {v}" for k, v in self.flags.items() if v))

    def manifest_info(self, on_truncation: str, load_seconds: float) -> dict[str, Any]:
        translated, seconds = self.counts["translated"], self.translate_seconds
        rate = translated / seconds if translated and seconds > 0 else None
        return {
            "model": self.identity,
            **self.counts,
            "flags": dict(self.flags),
            "on_truncation": on_truncation,
            "retried": dict(self.retried),
            **self.translator.describe(),
            "load_seconds": round(load_seconds, 3),
            "translate_seconds": round(seconds, 3),
            "sentences_per_second": round(rate, 2) if rate else None,
        }


@register_stage
class TranslateStage(Stage):
    name = "translate"
    position = 20
    sections = ("translate",)
    unkeyed = ("translate.cache", "translate.cache_dir")  # a cached translation is the translation
    produces = (artifacts.TRANSLATIONS,)
    components = {"translate.backend": translators}
    summary = "Re-run the translate stage (MarianMT, cached) from sentences.jsonl."
    seeded = True
    version = "1"

    def identity(self, ctx: RunContext) -> dict[str, Any]:
        """The backend's source identity (the model's weights, tokenizer, config, revision)."""
        ensure_model(ctx)
        cfg = ctx.config.translate
        return {"model": translators.get(cfg.backend, "translate.backend").source_identity(cfg)}

    def run(self, ctx: RunContext) -> dict[str, Any]:
        source_path = ctx.require(artifacts.SENTENCES)
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
        translator.check_sources(s.text for s in japanese_sentences(source_path))
        job = TranslationJob.open(ctx, translator)
        try:
            with (
                atomic_open(out_path) as out,
                progress(total, "translate", "sent") as bar,
            ):
                for chunk in chunked(japanese_sentences(source_path), ctx.config.translate.stream_chunk):
                    out.writelines(
                        json.dumps(r.to_dict(), ensure_ascii=False) + "\n" for r in job.translate(chunk, bar)
                    )
        finally:
            job.close()
        job.log_summary()
        info = job.manifest_info(ctx.config.translate.on_truncation, load_seconds)
        return {**info, "random_model": uses_random_model(ctx.config.translate)}
