"""Bitext rows: one per alignment bead, in document order, joined from the stage artifacts."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Generic, TypeVar

from .io import Reread
from .records import Bead, Record, Sentence, Translation
from .stage import RunContext
from .translate.flags import join_retried, ordered, split_retried

R = TypeVar("R", Sentence, Translation)


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


class Window(Generic[R]):
    """Records of an iterable, keyed, read ahead only as far as asked: the artifacts are in document
    order, so it holds about a document. A record asked for after it was taken (or out of that order) is
    found by one more pass over the whole iterable, held from then on."""

    def __init__(self, source: Iterable[R], key: Callable[[R], str]) -> None:
        self.source, self.key = source, key
        self.ahead: Iterator[R] = iter(source)
        self.held: dict[str, R] = {}
        self.everything: dict[str, R] | None = None

    def take(self, i: str, keep: bool = False) -> R | None:
        """The record of ``i`` (None: none), given up unless ``keep`` (one that more beads share)."""
        while i not in self.held:
            record = next(self.ahead, None)
            if record is None:
                if self.everything is None:
                    self.everything = {self.key(r): r for r in self.source}
                return self.everything.get(i)
            self.held[self.key(record)] = record
        return self.held[i] if keep else self.held.pop(i)


def sentence_window(sentences: Iterable[Sentence]) -> Window[Sentence]:
    return Window(sentences, lambda s: s.seg_id)


def bead_sentences(bead: Bead, sentence: Window[Sentence]) -> tuple[list[Sentence], list[Sentence]]:
    """The source and reference sentences of ``bead``; a reference cut into pieces stays in the window
    for its other pieces' beads."""
    src = [sentence.take(i) for i in bead.src_ids]
    ref = [sentence.take(i, keep=bool(bead.ref_span)) for i in bead.ref_ids]
    return [s for s in src if s is not None], [s for s in ref if s is not None]


def iter_rows(
    sentences: Iterable[Sentence], translations: Iterable[Translation], beads: Iterable[Bead]
) -> Iterator[Row]:
    """The rows, one per bead, made one at a time from windows on the sentences and translations."""
    sentence = sentence_window(sentences)
    translation: Window[Translation] = Window(translations, lambda t: t.seg_id)
    for bead in beads:
        src, ref = bead_sentences(bead, sentence)
        first = (src or ref)[0]
        mts = [t for i in bead.src_ids if (t := translation.take(i)) is not None]
        yield Row(
            doc_id=first.doc_id,
            seg_id="+".join(bead.src_ids or bead.ref_ids),
            source="".join(s.text for s in src),
            translation=" ".join(t.translation for t in mts).strip(),
            reference=bead.reference({s.seg_id: s.text for s in ref}),
            align_type=bead.type,
            align_score=bead.score,
            partial=bead.partial,
            flags=ordered(f for t in mts for f in t.flags),
            retried=join_retried(h for t in mts for h in split_retried(t.retried)),
        )


def build_rows(sentences: Iterable[Sentence], translations: Iterable[Translation], beads: Iterable[Bead]) -> list[Row]:
    return list(iter_rows(sentences, translations, beads))


RowMaker = Callable[[Iterable[Sentence], Iterable[Translation], Iterable[Bead]], Iterable[Row]]


@dataclass
class RowStream:
    """The rows of a run, made afresh from its artifacts on every pass, so that no pass holds them all
    (what the export reads: each exporter iterates it)."""

    sentences: Iterable[Sentence]
    translations: Iterable[Translation]
    beads: Sequence[Bead] | Reread[Bead]
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
