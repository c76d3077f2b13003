"""Bitext rows: one per alignment bead, in document order, joined from the stage artifacts."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field

from .records import Bead, Record, Sentence, Translation
from .stage import RunContext
from .translate.flags import join_retried, ordered, split_retried


@dataclass
class Row(Record):
    doc_id: str
    seg_id: str
    source: str
    translation: str
    reference: str
    align_type: str
    align_score: float
    partial: bool = False
    flags: list[str] = field(default_factory=list)  # of its translations (translate/flags.py)
    retried: str | None = None  # translate.on_truncation=retry: what was done to its translations

    @property
    def has_reference(self) -> bool:
        return bool(self.source and self.reference)


def iter_rows(
    sentences: Sequence[Sentence], translations: Sequence[Translation], beads: Sequence[Bead]
) -> Iterator[Row]:
    """The rows, one per bead, made one at a time."""
    by_id = {s.seg_id: s for s in sentences}
    text = {s.seg_id: s.text for s in sentences}
    by_mt = {t.seg_id: t for t in translations}
    for bead in beads:
        src = [by_id[i] for i in bead.src_ids]
        ref = [by_id[i] for i in bead.ref_ids]
        first = (src or ref)[0]
        mts = [by_mt[i] for i in bead.src_ids if i in by_mt]
        yield Row(
            doc_id=first.doc_id,
            seg_id="+".join(bead.src_ids or bead.ref_ids),
            source="".join(s.text for s in src),
            translation=" ".join(t.translation for t in mts).strip(),
            reference=bead.reference(text),
            align_type=bead.type,
            align_score=bead.score,
            partial=bead.partial,
            flags=ordered(f for t in mts for f in t.flags),
            retried=join_retried(h for t in mts for h in split_retried(t.retried)),
        )


def build_rows(sentences: Sequence[Sentence], translations: Sequence[Translation], beads: Sequence[Bead]) -> list[Row]:
    return list(iter_rows(sentences, translations, beads))


RowMaker = Callable[[Sequence[Sentence], Sequence[Translation], Sequence[Bead]], Iterable[Row]]


@dataclass
class RowStream:
    """The rows of a run, made afresh from its artifacts on every pass, so that no pass holds them all
    (what the export reads: each exporter iterates it)."""

    sentences: Sequence[Sentence]
    translations: Sequence[Translation]
    beads: Sequence[Bead]
    make: RowMaker = iter_rows

    def __iter__(self) -> Iterator[Row]:
        return iter(self.make(self.sentences, self.translations, self.beads))

    def __len__(self) -> int:
        return len(self.beads)


def load_rows(ctx: RunContext) -> list[Row]:
    """Rows of a run directory whose segment, translate and align stages have run, their artifacts
    checked against each other first (:mod:`pipeline.consistency`)."""
    from .consistency import load_checked

    run = load_checked(ctx)
    return build_rows(run.sentences, run.translations, run.beads)
