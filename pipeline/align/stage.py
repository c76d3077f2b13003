"""Align stage entry point: sentences + translations → alignment.jsonl."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, ClassVar

from .. import artifacts
from ..config import RunSection
from ..consistency import load_for_align
from ..io import write_jsonl
from ..progress import progress
from ..records import Bead, Sentence
from ..stage import RunContext, Stage, register_stage
from ..workers import map_tasks
from . import hybrid, length, lexical, mt  # noqa: F401  (register the built-in aligners)
from .base import Aligner, aligners
from .lexicon import english_ratio
from .params import PARAMS, AlignParams
from .signature import ALIGNER_VERSION, signature

log = logging.getLogger(__name__)

# Dictionary data and analysers whose version changes the alignment (enters the stage's resume key).
DATA_PACKAGES = ("fugashi", "unidic-lite", "pykakasi", "jamdict", "jamdict-data", "sacrebleu")
SENTENCES_PER_TASK = 64  # source sentences a worker aligns per task: small documents share a task

Document = tuple[list[Sentence], list[str], list[Sentence]]  # source sentences, their translations, reference


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

    A run over one input file has one group, so the aligner sees exactly what it saw before.
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


def tasks_of(aligner: Aligner, documents: list[Document]) -> list[AlignTask]:
    """Consecutive documents in tasks of at least ``SENTENCES_PER_TASK`` source sentences (the last may be short)."""
    tasks: list[AlignTask] = []
    current: list[Document] = []
    sentences = 0
    for doc in documents:
        current.append(doc)
        sentences += len(doc[0])
        if sentences >= SENTENCES_PER_TASK:
            tasks.append(AlignTask(aligner, current))
            current, sentences = [], 0
    if current:
        tasks.append(AlignTask(aligner, current))
    return tasks


def align_documents(aligner: Aligner, documents: list[Document], run: RunSection) -> Iterator[list[Bead]]:
    """Each document's beads, in document order, where ``run`` says (``pipeline.workers.map_tasks``:
    local processes or Ray; one task or one worker in this process)."""
    for done in map_tasks(align_task, tasks_of(aligner, documents), run, "align"):
        yield from done


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
        sentences, checked = load_for_align(ctx)  # every source sentence translated once (pipeline.consistency)
        translations = {t.seg_id: t.translation for t in checked}
        src = [s for s in sentences if s.lang == "ja"]
        ref = [s for s in sentences if s.lang == "en"]
        if not ref:
            log.warning("no reference sentences: every source sentence stays unaligned")
        aligner = aligners.get(ctx.config.align.method, "align.method")(ctx.config.align, self.params)
        usable = True
        if ref and (share := english_ratio([r.text for r in ref])) < ctx.config.align.min_english:
            log.warning(
                "the reference does not look like English (%.0f%% English function words, align.min_english=%.2f):"
                " every sentence stays unaligned",
                100 * share,
                ctx.config.align.min_english,
            )
            usable = False
        position = {s.seg_id: i for i, s in enumerate(sentences)}
        beads: list[Bead] = []
        groups = by_document(src, ref)  # sentences pair only within their input document
        documents = [(s, [translations[x.seg_id] for x in s], r if usable else []) for s, r in groups]
        aligned = align_documents(aligner, documents, ctx.config.run)
        with progress(len(documents), "align", "doc") as bar:
            for (_, doc_ref), doc_beads in zip(groups, aligned, strict=True):
                unused = [] if usable else doc_ref
                doc_beads += [Bead(src_ids=[], ref_ids=[r.seg_id], score=0.0) for r in unused]
                beads.extend(order_gaps(doc_beads, position))
                bar.update()
        if ref and not any(b.src_ids and b.ref_ids for b in beads):
            log.warning("no reference sentence could be aligned (wrong language or no overlap?)")
        write_jsonl(ctx.path(artifacts.ALIGNMENT), beads)
        types: dict[str, int] = {}
        for b in beads:
            types[b.type] = types.get(b.type, 0) + 1
        cut = len({b.ref_ids[0] for b in beads if b.ref_span})
        if cut:
            log.info("%d reference sentence(s) cut where two source sentences imply (align.cut_references)", cut)
        return {
            "signature": signature(ctx.config.align, self.params),
            "beads": len(beads),
            "types": types,
            "linked": sum(bool(b.src_ids and b.ref_ids) for b in beads),
            "cut_references": cut,
        }
