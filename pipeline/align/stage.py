"""Align stage entry point: sentences + translations → alignment.jsonl."""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from itertools import islice, tee
from typing import Any, ClassVar

from .. import artifacts
from ..config import RunSection
from ..consistency import load_for_align
from ..partial import PartialJsonl
from ..progress import progress
from ..records import Bead, Sentence
from ..stage import RunContext, Stage, register_stage
from ..workers import grouped, map_tasks
from . import hybrid, length, lexical, mt  # noqa: F401  (register the built-in aligners)
from .base import Aligner, aligners
from .documents import Document, documents, layout
from .gloss_table import say_if_no_table
from .lexicon import english_ratio
from .params import PARAMS, AlignParams
from .signature import ALIGNER_VERSION, signature

log = logging.getLogger(__name__)

# Dictionary data and analysers whose version changes the alignment (enters the stage's resume key).
DATA_PACKAGES = ("fugashi", "unidic-lite", "pykakasi", "jamdict", "jamdict-data", "sacrebleu")
SENTENCES_PER_TASK = 64  # source sentences a worker aligns per task: small documents share a task


def order_gaps(beads: list[Bead], position: dict[str, int]) -> list[Bead]:
    """Put the unlinked beads between two links in document order (the DP leaves their order open)."""
    out: list[Bead] = []
    gap: list[Bead] = []
    for bead in beads:
        if bead.src_ids and bead.ref_ids:
            out.extend(sorted(gap, key=lambda b: position[(b.src_ids or b.ref_ids)[0]]))
            gap = []
            out.append(bead)
        else:
            gap.append(bead)
    out.extend(sorted(gap, key=lambda b: position[(b.src_ids or b.ref_ids)[0]]))
    return out


def by_document(src: list[Sentence], ref: list[Sentence]) -> list[tuple[list[Sentence], list[Sentence]]]:
    """Source and reference sentences grouped by input document (``Sentence.document``), in order.

    A run over one input file has one group, so the aligner sees exactly what it saw before. The stage
    reads its documents in this order without holding them (:mod:`pipeline.align.documents`).
    """
    groups: dict[str, tuple[list[Sentence], list[Sentence]]] = {}
    for s in [*src, *ref]:
        groups.setdefault(s.document, ([], []))[0 if s.lang == "ja" else 1].append(s)
    return list(groups.values())


@dataclass(frozen=True)
class AlignTask:
    """Consecutive documents aligned by one worker, and the aligner that aligns them."""

    aligner: Aligner
    documents: list[Document]


def align_task(task: AlignTask) -> list[list[Bead]]:
    """The aligner's beads of each document of ``task``, in order."""
    return [task.aligner.align(src, hyp, ref) for src, hyp, ref in task.documents]


def tasks_of(aligner: Aligner, documents: Iterable[Document]) -> Iterator[AlignTask]:
    """Consecutive documents in tasks of at least ``SENTENCES_PER_TASK`` source sentences (the last may be
    short), as the documents are read."""
    for group in grouped(documents, lambda doc: len(doc[0]), SENTENCES_PER_TASK):
        yield AlignTask(aligner, group)


def align_documents(aligner: Aligner, documents: Iterable[Document], run: RunSection) -> Iterator[list[Bead]]:
    """Each document's beads, in document order, where ``run`` says (``pipeline.workers.map_tasks``:
    local processes or Ray; one task or one worker in this process)."""
    for done in map_tasks(align_task, tasks_of(aligner, documents), run, "align"):
        yield from done


def reference_is_english(texts: Iterable[str], min_english: float) -> bool:
    """Whether the reference (its sentences' ``texts``) reads as English (``align.min_english``); a warning
    when not: nothing will align."""
    share = english_ratio(texts)
    if share >= min_english:
        return True
    log.warning(
        "the reference does not look like English (%.0f%% English function words, align.min_english=%.2f):"
        " every sentence stays unaligned",
        100 * share,
        min_english,
    )
    return False


@dataclass
class Tally:
    """The manifest's counts of the beads written, bead by bead (the beads themselves are not kept)."""

    beads: int = 0
    types: dict[str, int] = field(default_factory=dict)
    linked: int = 0
    cut: set[str] = field(default_factory=set)  # reference sentences cut in two (ref_span)

    def add(self, bead: Bead) -> None:
        self.beads += 1
        self.types[bead.type] = self.types.get(bead.type, 0) + 1
        self.linked += bool(bead.src_ids and bead.ref_ids)
        if bead.ref_span:
            self.cut.add(bead.ref_ids[0])

    def extend(self, beads: list[Bead]) -> None:
        for bead in beads:
            self.add(bead)

    def facts(self) -> dict[str, Any]:
        return {"beads": self.beads, "types": self.types, "linked": self.linked, "cut_references": len(self.cut)}


def take_up(out: PartialJsonl, resume: bool, documents: int, tally: Tally) -> int:
    """Open ``out``; the documents a killed run already aligned under the same key when ``resume``
    (their beads counted in ``tally``), else 0."""
    done = out.open(resume)
    if done:
        log.info("align: resuming at document %d of %d (%d aligned by an interrupted run)", done + 1, documents, done)
    for data in out.kept():
        tally.add(Bead.from_dict(data))
    return done


def write_document(out: PartialJsonl, tally: Tally, doc: list[Sentence], beads: list[Bead], usable: bool) -> None:
    """One input document's beads (``doc``: its sentences in file order), in document order, the reference
    left unaligned where it is not ``usable``; counted in ``tally``."""
    beads += [Bead(src_ids=[], ref_ids=[r.seg_id], score=0.0) for r in doc if r.lang == "en" and not usable]
    position = {s.seg_id: i for i, s in enumerate(doc)}
    beads = order_gaps(beads, position)
    tally.extend(beads)
    out.write(beads)


@register_stage
class AlignStage(Stage):
    name = "align"
    position = 30
    sections = ("align",)
    produces = (artifacts.ALIGNMENT,)
    components = {"align.method": aligners}
    summary = "Re-run the align stage from sentences.jsonl and translations.jsonl."
    version = ALIGNER_VERSION  # bumped only when the aligner's code changes its beads (align/signature.py)
    params: ClassVar[AlignParams] = PARAMS  # the tuned numbers the aligner runs with

    def identity(self, ctx: RunContext) -> dict[str, Any]:
        """The aligner's signature (its settings and every tuned number) and the versions of the
        dictionary data and analysers the lexical signals read."""
        from ..manifest import package_versions

        return {"signature": signature(ctx.config.align, self.params), "data": package_versions(DATA_PACKAGES)}

    def run(self, ctx: RunContext) -> dict[str, Any]:
        sentences, translations = load_for_align(ctx)  # checked, not held (pipeline.consistency)
        plan = layout(sentences)
        if not plan.references:
            log.warning("no reference sentences: every source sentence stays unaligned")
        aligner = aligners.get(ctx.config.align.method, "align.method")(ctx.config.align, self.params)
        if plan.references and getattr(getattr(aligner, "use", None), "lexical", False):
            say_if_no_table()
        english = (s.text for s in sentences if s.lang == "en")
        usable = not plan.references or reference_is_english(english, ctx.config.align.min_english)
        tally = Tally()
        with PartialJsonl(ctx.partial(artifacts.ALIGNMENT), ctx.key, self.name) as out:
            done = take_up(out, ctx.resume, len(plan.order), tally)
            # sentences pair only within their input document, read one document at a time
            ahead, behind = tee(islice(documents(sentences, translations, plan, usable), done, None))
            aligned = align_documents(aligner, (doc for _, doc in ahead), ctx.config.run)
            with progress(len(plan.order) - done, "align", "doc") as bar:
                for (doc, _), doc_beads in zip(behind, aligned, strict=True):
                    write_document(out, tally, doc, doc_beads, usable)
                    bar.update()
            out.finish(ctx.path(artifacts.ALIGNMENT))
        if plan.references and not tally.linked:
            log.warning("no reference sentence could be aligned (wrong language or no overlap?)")
        if tally.cut:
            cut = len(tally.cut)
            log.info("%d reference sentence(s) cut where two source sentences imply (align.cut_references)", cut)
        return {
            "signature": signature(ctx.config.align, self.params),
            **tally.facts(),
            "documents": len(plan.order),
            "resumed_at_document": done + 1 if done else 0,
        }
