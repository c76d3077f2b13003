"""The align stage's input, one input document at a time, read from the checked artifacts as the work goes.

The segment stage writes each input document's sentences on consecutive lines of ``sentences.jsonl``
and the translate stage the translations in the same order, so a document's sentences and
translations are read when it is aligned and let go after: the stage holds a few documents, not
the corpus (:func:`documents`). The order is that of :func:`pipeline.align.stage.by_document`: the
documents with a Japanese sentence as their first one comes, then those with English only. A file
whose documents are not each on consecutive lines (edited by hand) is still aligned the same, its
sentences then held whole.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from itertools import groupby
from operator import attrgetter

from ..records import Sentence, Translation
from ..rows import Window

Document = tuple[list[Sentence], list[str], list[Sentence]]  # source sentences, their translations, reference


@dataclass
class Layout:
    """How the sentences fall into input documents, from one pass (names and counts only)."""

    order: list[str]  # the input documents in the order they are aligned
    with_japanese: int  # the first this many of ``order`` have a Japanese sentence; the rest English only
    consecutive: bool  # each document's sentences are on consecutive lines (as the segment stage writes them)
    references: int  # English sentences


def layout(sentences: Iterable[Sentence]) -> Layout:
    """The :class:`Layout` of ``sentences`` (one pass)."""
    japanese: dict[str, None] = {}
    english: dict[str, None] = {}
    seen: set[str] = set()
    current: str | None = None
    consecutive, references = True, 0
    for s in sentences:
        if s.document != current:
            consecutive = consecutive and s.document not in seen
            seen.add(s.document)
            current = s.document
        (japanese if s.lang == "ja" else english).setdefault(s.document, None)
        references += s.lang == "en"
    order = [*japanese, *(d for d in english if d not in japanese)]
    return Layout(order, len(japanese), consecutive, references)


def runs(sentences: Iterable[Sentence]) -> Iterator[list[Sentence]]:
    """The sentences in runs of consecutive lines of one document."""
    return (list(run) for _, run in groupby(sentences, key=attrgetter("document")))


def document_sentences(sentences: Iterable[Sentence], plan: Layout) -> Iterator[list[Sentence]]:
    """Each input document's sentences, in file order, the documents in ``plan.order`` (``sentences``
    is passed over twice when some documents have English only: a list, or a file read afresh)."""
    if not plan.consecutive:
        held: dict[str, list[Sentence]] = {}
        for s in sentences:
            held.setdefault(s.document, []).append(s)
        yield from (held[name] for name in plan.order)
        return
    english_only = set(plan.order[plan.with_japanese :])
    yield from (run for run in runs(sentences) if run[0].document not in english_only)
    if english_only:
        yield from (run for run in runs(sentences) if run[0].document in english_only)


def translated(window: Window[Translation], seg_id: str) -> str:
    """The translation of ``seg_id`` (the checks made sure there is one)."""
    found = window.take(seg_id)
    assert found is not None, f"{seg_id} has no translation: the artifacts were checked"
    return found.translation


def documents(
    sentences: Iterable[Sentence], translations: Iterable[Translation], plan: Layout, usable: bool
) -> Iterator[tuple[list[Sentence], Document]]:
    """Each input document's sentences (file order) and what the aligner aligns of it: the source
    sentences, their translations and the reference (none where it is not ``usable``)."""
    window: Window[Translation] = Window(translations, lambda t: t.seg_id)
    for doc in document_sentences(sentences, plan):
        src = [s for s in doc if s.lang == "ja"]
        ref = [s for s in doc if s.lang == "en"] if usable else []
        yield doc, (src, [translated(window, s.seg_id) for s in src], ref)
