"""Artifacts checked against each other before a stage uses them.

Each artifact line is checked alone when it is read (:func:`pipeline.io.numbered_records`: JSON,
required keys, value types). What no single line can show is checked here, between the files:

- ``sentences.jsonl``: every ``seg_id`` once, every ``lang`` ``ja`` or ``en``;
- ``translations.jsonl``: one translation per Japanese sentence, no more, no other;
- ``alignment.jsonl``: every id exists, on its side (``src_ids`` Japanese, ``ref_ids`` English);
  every Japanese sentence is in exactly one bead; every English sentence is in exactly one bead,
  whole, or cut (``ref_span``) into pieces, one bead each, that together cover it once (only spaces
  between them), as the README's ``bitext.tsv`` section documents.

A hand-corrected ``alignment.jsonl`` that passes these checks is a legitimate input. Whatever fails
is one line, ``FILE:LINE: …`` or ``FILE: …ids…``, with the fix (an :class:`ArtifactError`).
:class:`BitextCheck` asserts the README's invariants on the rows the export writes, as it writes them.
"""

from __future__ import annotations

from collections import Counter, deque
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from . import artifacts
from .errors import StageError
from .io import Reread, iter_numbered_records, numbered_records, reread_numbered, reread_records
from .records import Bead, Sentence, Translation
from .rows import bead_sentences, sentence_window
from .stage import RunContext

if TYPE_CHECKING:
    from .rows import Row, Window

MAX_LISTED = 5  # ids named in one error message
LANGS = ("ja", "en")


class ArtifactError(StageError):
    """Artifacts of a run directory that do not fit together."""


def listed(ids: Sequence[str]) -> str:
    """``ja00010, ja00011`` (the first few ids, and how many in all when there are more)."""
    shown = ", ".join(ids[:MAX_LISTED])
    return shown if len(ids) <= MAX_LISTED else f"{shown}, … ({len(ids)} in all)"


def redo(path: Path) -> str:
    """The fix: the command that rewrites ``path`` from the artifacts before it (its stage, as declared)."""
    return f"re-run `jaen {artifacts.producer(path.name)} {path.parent}` (or `jaen run`) to rewrite {path.name}"


@dataclass
class RunArtifacts:
    """The segment, translate and align artifacts of a run, checked against each other."""

    sentences: Sequence[Sentence] | Reread[Sentence]  # lists, or files read afresh on each pass (load_streamed)
    translations: Iterable[Translation]
    beads: Sequence[Bead] | Reread[Bead]


def checked_sentences(path: Path) -> Iterator[Sentence]:
    """``sentences.jsonl``, read as asked for: each ``seg_id`` once, each ``lang`` ja or en."""
    seen: dict[str, int] = {}
    for line, s in iter_numbered_records(path, Sentence):
        if s.lang not in LANGS:
            raise ArtifactError(f"{path}:{line}: lang must be ja or en, not {s.lang!r}: {redo(path)}")
        if s.seg_id in seen:
            raise ArtifactError(f"{path}:{line}: seg_id {s.seg_id!r} is already on line {seen[s.seg_id]}: {redo(path)}")
        seen[s.seg_id] = line
        yield s


def read_sentences(path: Path) -> list[Sentence]:
    """``sentences.jsonl``, checked (:func:`checked_sentences`)."""
    return list(checked_sentences(path))


def checked_translations(path: Path, japanese: Sequence[str]) -> Iterator[Translation]:
    """``translations.jsonl``, read as asked for: exactly one translation per Japanese sentence (ids:
    ``japanese``), the last checked when the file is read to its end."""
    wanted = set(japanese)
    seen: dict[str, int] = {}
    for line, t in iter_numbered_records(path, Translation):
        if t.seg_id not in wanted:
            raise ArtifactError(
                f"{path}:{line}: seg_id {t.seg_id!r} is not a Japanese sentence of {artifacts.SENTENCES}: {redo(path)}"
            )
        if t.seg_id in seen:
            raise ArtifactError(
                f"{path}:{line}: seg_id {t.seg_id!r} is already translated on line {seen[t.seg_id]}: {redo(path)}"
            )
        seen[t.seg_id] = line
        yield t
    missing = [i for i in japanese if i not in seen]
    if missing:
        raise ArtifactError(
            f"{path}: no translation for {len(missing)} source sentence(s) of {artifacts.SENTENCES}: "
            f"{listed(missing)}: {redo(path)} (the translation cache makes it quick)"
        )


def read_translations(path: Path, sentences: Iterable[Sentence]) -> list[Translation]:
    """``translations.jsonl``, checked (:func:`checked_translations`)."""
    return list(checked_translations(path, [s.seg_id for s in sentences if s.lang == "ja"]))


def check_bead_ids(path: Path, line: int, bead: Bead, lang: dict[str, str]) -> None:
    """Every id of one bead is a sentence of its side; the bead is not empty."""
    if not bead.src_ids and not bead.ref_ids:
        raise ArtifactError(f"{path}:{line}: a bead with no sentence on either side: delete the line")
    for ids, side, key in ((bead.src_ids, "ja", "src_ids"), (bead.ref_ids, "en", "ref_ids")):
        for i in ids:
            if i not in lang:
                raise ArtifactError(
                    f"{path}:{line}: {key} names {i!r}, which is not in {artifacts.SENTENCES}: correct the line, "
                    f"or {redo(path)}"
                )
            if lang[i] != side:
                raise ArtifactError(
                    f"{path}:{line}: {key} names {i!r}, a {lang[i]} sentence ({key} holds {side} ones): correct "
                    f"the line, or {redo(path)}"
                )


def once_each(path: Path, numbered: Iterable[tuple[int, str]], wanted: Sequence[str], key: str) -> None:
    """Each id of ``wanted`` is on exactly one line of ``numbered`` ((line, id) pairs of the bead
    field ``key``: ``src_ids`` or ``ref_ids``)."""
    what = "source sentence" if key == "src_ids" else "reference sentence"
    alone = {"src_ids": '["ID"]', "ref_ids": "[]"} if key == "src_ids" else {"src_ids": "[]", "ref_ids": '["ID"]'}
    first: dict[str, int] = {}
    for line, i in numbered:
        if i in first:
            raise ArtifactError(
                f"{path}:{line}: {what} {i!r} is already in the bead on line {first[i]} (each is in one bead): "
                f"correct the file, or {redo(path)}"
            )
        first[i] = line
    missing = [i for i in wanted if i not in first]
    if missing:
        raise ArtifactError(
            f"{path}: {len(missing)} {what}(s) in no bead: {listed(missing)}: add a bead for each "
            f'({{"src_ids": {alone["src_ids"]}, "ref_ids": {alone["ref_ids"]}, "score": 0.0}} leaves one unaligned), '
            f"or {redo(path)}"
        )


def tiles(text: str, spans: Sequence[Sequence[int]]) -> bool:
    """Whether the pieces ``spans`` ([start, end) each) cover ``text`` once, only spaces outside them."""
    position = 0
    for start, end in sorted(spans):
        if start < position or end > len(text) or text[position:start].strip():
            return False
        position = end
    return not text[position:].strip()


def check_references(path: Path, numbered: Iterable[tuple[int, Bead]], sentences: Iterable[Sentence]) -> None:
    """Every reference sentence in one bead whole, or cut (``ref_span``) into pieces that tile it."""
    whole: list[tuple[int, str]] = []
    pieces: dict[str, list[tuple[int, list[int]]]] = {}
    for line, b in numbered:  # one pass (a Reread file is parsed once)
        if b.ref_span:
            pieces.setdefault(b.ref_ids[0], []).append((line, b.ref_span))
        else:
            whole += [(line, i) for i in b.ref_ids]
    whole += [(spans[0][0], i) for i, spans in pieces.items()]
    whole.sort()
    once_each(path, whole, [s.seg_id for s in sentences if s.lang == "en"], "ref_ids")
    if not pieces:
        return
    text = {s.seg_id: s.text for s in sentences if s.lang == "en" and s.seg_id in pieces}  # only the cut ones'
    for i, spans in pieces.items():
        if not tiles(text[i], [span for _, span in spans]):
            lines = ", ".join(str(line) for line, _ in spans)
            raise ArtifactError(
                f"{path}:{spans[0][0]}: reference sentence {i!r} is cut into pieces (ref_span on line(s) {lines}) "
                f"that do not cover its {len(text[i])} characters once: correct the spans, or "
                f"{redo(path)}"
            )


def check_alignment(path: Path, numbered: Iterable[tuple[int, Bead]], sentences: Iterable[Sentence]) -> None:
    """``alignment.jsonl`` (its beads with their line numbers) against ``sentences.jsonl`` (each passed over
    a few times: lists, or :class:`~pipeline.io.Reread` files)."""
    check_ids(path, numbered, sentences)
    japanese = [s.seg_id for s in sentences if s.lang == "ja"]
    once_each(path, [(line, i) for line, b in numbered for i in b.src_ids], japanese, "src_ids")
    japanese.clear()  # each check holds its ids only while it needs them
    check_references(path, numbered, sentences)


def check_ids(path: Path, numbered: Iterable[tuple[int, Bead]], sentences: Iterable[Sentence]) -> None:
    """Every id of every bead is a sentence of its side (:func:`check_bead_ids`)."""
    lang = {s.seg_id: s.lang for s in sentences}
    for line, bead in numbered:
        check_bead_ids(path, line, bead, lang)


def load_for_align(ctx: RunContext) -> tuple[Reread[Sentence], Reread[Translation]]:
    """The sentences and their translations, checked as :func:`load_checked` checks them (the same errors,
    in the same order), but not held: each file is checked in one pass, then read afresh on each pass
    over it (a :class:`~pipeline.io.Reread`). What the align stage reads, document by document."""
    s_path = ctx.require(artifacts.SENTENCES)
    count, japanese = 0, list[str]()
    for s in checked_sentences(s_path):  # one pass checks the file and counts it
        count += 1
        if s.lang == "ja":
            japanese.append(s.seg_id)
    sentences = Reread(lambda: reread_records(s_path, Sentence), count)
    t_path = ctx.require(artifacts.TRANSLATIONS)
    deque(checked_translations(t_path, japanese), maxlen=0)
    return sentences, Reread(lambda: reread_records(t_path, Translation), len(japanese))


def load_checked(ctx: RunContext) -> RunArtifacts:
    """The segment, translate and align artifacts, checked against each other and held (lists): what
    ``jaen compare`` reads (the stages stream them: :func:`load_for_align`, :func:`load_streamed`)."""
    sentences = read_sentences(ctx.require(artifacts.SENTENCES))
    translations = read_translations(ctx.require(artifacts.TRANSLATIONS), sentences)
    path = ctx.require(artifacts.ALIGNMENT)
    numbered = numbered_records(path, Bead)
    check_alignment(path, numbered, sentences)
    return RunArtifacts(sentences, translations, [bead for _, bead in numbered])


def load_streamed(ctx: RunContext) -> RunArtifacts:
    """The artifacts checked as :func:`load_checked` checks them (the same errors, in the same order), but
    none held: each file is checked in one pass, then read again on each pass over it (a
    :class:`~pipeline.io.Reread`), which score and export make their rows from document by document
    (:class:`pipeline.rows.RowStream`)."""
    sentences, translations = load_for_align(ctx)
    path = ctx.require(artifacts.ALIGNMENT)
    count = sum(1 for _ in iter_numbered_records(path, Bead))
    beads = Reread(lambda: reread_records(path, Bead), count)
    check_alignment(path, Reread(lambda: reread_numbered(path, Bead)), sentences)
    return RunArtifacts(sentences, translations, beads)


@dataclass
class BitextCheck:
    """The README's invariants on the rows the export writes, taken a row at a time as they are written
    (:meth:`add`), then :meth:`finish`: one row per bead, holding its text; every Japanese sentence in
    exactly one row; every reference sentence once, whole or cut into pieces that cover it (on the
    beads). Each bead's sentences are read as it comes (:class:`~pipeline.rows.Window`)."""

    run: RunArtifacts
    run_dir: Path
    rows: int = 0
    content: str = ""  # the first row that lacks its bead's text
    counts: Counter[str] = field(default_factory=Counter)  # rows per Japanese sentence
    _beads: Iterator[Bead] | None = None
    _sentence: Window[Sentence] | None = None

    def add(self, row: Row) -> None:
        if self._beads is None or self._sentence is None:
            self._beads, self._sentence = iter(self.run.beads), sentence_window(self.run.sentences)
        self.rows += 1
        bead = next(self._beads, None)
        self.content = self.content or (row_fault(row, bead, self._sentence) if bead is not None else "")
        self.counts.update(row.seg_id.split("+") if row.source else ())

    def fault(self) -> str:
        """What breaks the invariants in the rows added, or "" where nothing does."""
        if self.rows != len(self.run.beads):
            return f"{self.rows} rows for {len(self.run.beads)} beads"
        if self.content:
            return self.content
        off = [s.seg_id for s in self.run.sentences if s.lang == "ja" and self.counts[s.seg_id] != 1]
        return f"Japanese sentence(s) not in exactly one row: {listed(off)}" if off else ""

    def finish(self) -> None:
        """An :class:`ArtifactError` refusing the bitext where the rows added break the invariants."""
        alignment = self.run_dir / artifacts.ALIGNMENT
        if wrong := self.fault():
            raise ArtifactError(
                f"{self.run_dir}: refusing to write a bitext that breaks the README's invariants ({wrong}): "
                f"{redo(alignment)}"
            )
        check_references(alignment, Reread(lambda: enumerate(self.run.beads, 1)), self.run.sentences)


def row_fault(row: Row, bead: Bead, sentence: Window[Sentence]) -> str:
    """What the row of ``bead`` lacks of its bead's text, or "" where it holds it."""
    src, ref = bead_sentences(bead, sentence)
    if row.seg_id != "+".join(bead.src_ids or bead.ref_ids) or row.source != "".join(s.text for s in src):
        return f"the row of {row.seg_id} does not hold its bead's source sentences"
    if row.reference != bead.reference({s.seg_id: s.text for s in ref}):
        return f"the row of {row.seg_id} does not hold its bead's reference"
    return ""
