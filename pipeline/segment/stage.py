"""Segment stage entry point: input document(s) (+ optional references) → sentences.jsonl, dropped.jsonl."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from .. import artifacts
from ..inputs import Document, document_count, is_multi, iter_documents
from ..io import atomic_open, jsonl_line, read_text
from ..progress import progress
from ..records import Dropped, Sentence
from ..stage import RunContext, Stage, register_stage
from ..workers import grouped, map_tasks
from . import rules as _rules  # noqa: F401  (registers the built-in segmenter)
from .base import Segmenter, SegmentResult, segmenters

CHARS_PER_TASK = 200_000  # input characters per task (~0.5 s of segmenting): a pool's start pays off from two tasks


def segment_document(ctx: RunContext, segmenter: Segmenter, doc: Document, multi: bool) -> SegmentResult:
    """Segment one document; its embedded English gives way to an external reference when one is configured."""
    cfg = ctx.config
    result = segmenter.segment(doc.text)
    external = cfg.reference.path is not None or cfg.reference.field is not None
    embedded = [u for u in result.units if u.lang == "en"]
    if external or not cfg.reference.from_input:
        where = (
            f"reference.path={cfg.reference.path}"
            if cfg.reference.path is not None
            else f"reference.field={cfg.reference.field}"
        )
        reason = (
            f"embedded English replaced by {where}"
            if external
            else "embedded English not used (reference.from_input=false)"
        )
        result.dropped.extend(Dropped(text=u.text, reason=reason) for u in embedded)
        result.units = [u for u in result.units if u.lang != "en"]
    ref_text = doc.reference
    if not multi and cfg.reference.path is not None:
        ref_text = read_text(cfg.reference.path, cfg.reference.encoding, what="reference")
    if ref_text is not None:
        ref = segmenter.segment_reference(ref_text, source=doc.text)
        result = SegmentResult(units=result.units + ref.units, dropped=result.dropped + ref.dropped)
    return result


@dataclass(frozen=True)
class SegmentTask:
    """Consecutive input documents segmented by one worker, and what segments them."""

    ctx: RunContext
    segmenter: Segmenter
    multi: bool
    documents: list[Document]


def segment_task(task: SegmentTask) -> list[tuple[list[Sentence], list[Dropped]]]:
    """Sentences and drops of each document of ``task``, in order (``seg_id``s numbered per document)."""
    return [segment_one(task.ctx, task.segmenter, doc, task.multi) for doc in task.documents]


def segment_one(
    ctx: RunContext, segmenter: Segmenter, doc: Document, multi: bool
) -> tuple[list[Sentence], list[Dropped]]:
    """One document's sentences (doc ids prefixed with its name where the input has several) and drops."""
    if not doc.text.strip():
        return [], [Dropped(text="", reason=f"empty input document ({doc.source})", doc_id=doc.name)]
    result = segment_document(ctx, segmenter, doc, multi)
    sentences = result.to_sentences(f"{doc.name}/doc" if multi else "doc")
    for s in sentences:
        s.document = doc.name
    if multi:
        for d in result.dropped:
            d.doc_id = d.doc_id or doc.name
    return sentences, result.dropped


def tasks_of(ctx: RunContext, documents: Iterable[Document]) -> Iterator[SegmentTask]:
    """Consecutive documents in tasks of at least ``CHARS_PER_TASK`` characters (the last may be short), as read."""
    segmenter = segmenters.get(ctx.config.segment.method, "segment.method")(ctx.config.segment)
    multi = is_multi(ctx.config)
    for group in grouped(documents, lambda doc: len(doc.text) + len(doc.reference or ""), CHARS_PER_TASK):
        yield SegmentTask(ctx, segmenter, multi, group)


def segment_all(ctx: RunContext) -> Iterator[tuple[list[Sentence], list[Dropped]]]:
    """Sentences and drops per input document, with run-wide unique ``seg_id``s; the documents are
    segmented where ``run`` says (``pipeline.workers.map_tasks``: local processes or Ray).

    A single input file keeps the plain doc ids (``doc1`` …); with several documents each doc id
    is prefixed with the document name (``name/doc1``) so that it is unique in the run.
    """
    counters: dict[str, int] = {}
    for done in map_tasks(segment_task, tasks_of(ctx, iter_documents(ctx.config)), ctx.config.run, "segment"):
        for sentences, dropped in done:
            for s in sentences:
                counters[s.lang] = counters.get(s.lang, 0) + 1
                s.seg_id = f"{s.lang}{counters[s.lang]:05d}"
            yield sentences, dropped


@register_stage
class SegmentStage(Stage):
    name = "segment"
    position = 10
    sections = ("input", "segment", "reference")
    produces = (artifacts.SENTENCES, artifacts.DROPPED)
    components = {"segment.method": segmenters}
    summary = "Segment a text file (JSON lines on stdout), or re-run the segment stage of a run."
    # 2: "Yahoo! News" is no English sentence end; 3: "200g." / "60s." end sentences, dash-led turns,
    # English capped at max_reference_chars; 4: control characters removed and recorded in dropped.jsonl;
    # 5: item markers (※ ● ⇒ * …), speaker labels and photo credits start sentences, ！？ glued to と go on; no
    # English cut inside a closed double quotation; 6: a title's " - " after a stop goes on, 。。。 after a
    # predicate ends a sentence, a repeated title is cut from the text after it; 7: English "(Fri.)" after a
    # date is no sentence end; 8: an English title's " - …" ending is kept where the Japanese carries a
    # title's separated part (a subtitle, not a page trailer); 9: an ASCII "." after a noun (not a predicate
    # ending) is no sentence end
    version = "9"

    def run(self, ctx: RunContext) -> dict[str, Any]:
        """Each document's sentences and drops written as its task comes back (none held: memory does not
        grow with the corpus); both files are put in place only when every document is done."""
        tally = SegmentTally()
        with (
            atomic_open(ctx.path(artifacts.SENTENCES)) as sentences,
            atomic_open(ctx.path(artifacts.DROPPED)) as dropped,
            progress(document_count(ctx.config), "segment", "doc") as bar,
        ):
            for doc_sentences, doc_dropped in segment_all(ctx):
                tally.add(doc_sentences, len(doc_dropped))
                sentences.writelines(jsonl_line(s) for s in doc_sentences)
                dropped.writelines(jsonl_line(d) for d in doc_dropped)
                bar.update()
        return tally.facts()


@dataclass
class SegmentTally:
    """What the segment stage's summary counts, kept as the documents are written."""

    ja_sentences: int = 0
    en_sentences: int = 0
    documents: set[str] = field(default_factory=set)  # doc ids with a Japanese sentence
    input_documents: int = 0
    dropped: int = 0

    def add(self, sentences: list[Sentence], dropped: int) -> None:
        self.input_documents += 1
        self.dropped += dropped
        for s in sentences:
            if s.lang == "ja":
                self.ja_sentences += 1
                self.documents.add(s.doc_id)
            else:
                self.en_sentences += 1

    def facts(self) -> dict[str, Any]:
        return {
            "ja_sentences": self.ja_sentences,
            "en_sentences": self.en_sentences,
            "documents": len(self.documents),
            "input_documents": self.input_documents,
            "dropped": self.dropped,
        }
