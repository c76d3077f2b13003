"""``bitext.tmx``: a TMX 1.4 translation memory written with translate-toolkit (ja source, en target).

The English side is the full reference where the row has one and the machine translation otherwise
(``export.tmx_target: reference_or_mt``), only rows with a full reference (``reference``), or the
machine translation everywhere (``mt``). A truncated reference never becomes a target: it does not
translate the whole source. Each unit carries its seg_id as ``tuid`` and a note saying where its
target came from, so a CAT tool user can filter machine-made units out, and a unit whose machine
translation carries flags (truncated, repeated, empty, unk) says so in a second note ``mt flags: …``.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

from translate.storage.tmx import tmxfile

from .. import artifacts
from ..io import atomic_open
from ..rows import Row
from ..translate.flags import format_flags
from .base import ExportData, RowExporter, RowSink, exporters
from .tsv import normalize_newlines

log = logging.getLogger(__name__)

SOURCE_LANG = "ja"
TARGET_LANG = "en"
ROWS_PER_PIECE = 1000  # rows made into units and written at a time (the XML tree of one piece in memory)
BODY_OPEN, BODY_CLOSE = "  <body>\n", "  </body>\n"  # as translate-toolkit indents them


_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def xml_text(text: str) -> str:
    """The text as XML 1.0 can hold it: newlines normalised, control characters (illegal in XML) removed."""
    return _XML_ILLEGAL.sub("", normalize_newlines(text))


def target_of(row: Row, mode: str) -> tuple[str, str] | None:
    """(English text, origin) of the row's TMX unit, or None where the row makes no unit."""
    if not row.source:
        return None
    full_reference = row.has_reference and not row.partial
    if mode != "mt" and full_reference:
        return row.reference, "reference"
    if mode == "reference" or not row.translation:
        return None
    return row.translation, "mt"


def add_units(store: tmxfile, rows: Sequence[Row], mode: str) -> tuple[int, int]:
    """Add the units of ``rows`` to ``store``; (source rows that made no unit, units whose text lost
    characters XML cannot hold)."""
    skipped = changed = 0
    for row in rows:
        target = target_of(row, mode)
        if target is None:
            skipped += bool(row.source)
            continue
        text, origin = target
        source, target_text = xml_text(row.source), xml_text(text)
        changed += (source, target_text) != (normalize_newlines(row.source), normalize_newlines(text))
        unit = store.addsourceunit(source)
        unit.settarget(target_text, TARGET_LANG)
        unit.xmlelement.set("tuid", row.seg_id)
        unit.addnote(f"target: {origin}; align {row.align_type} {row.align_score:.3f}; doc {row.doc_id}")
        if row.flags:  # what is wrong with the machine translation (translate/flags.py)
            unit.addnote(f"mt flags: {format_flags(row.flags)}")
    return skipped, changed


def new_store() -> tmxfile:
    return tmxfile(sourcelanguage=SOURCE_LANG, targetlanguage=TARGET_LANG)


def warn_changed(changed: int) -> None:
    if changed:
        log.warning("bitext.tmx: removed control characters (not allowed in XML) from %d unit(s)", changed)


def build_tmx(rows: list[Row], mode: str = "reference_or_mt") -> tuple[tmxfile, int]:
    """The TMX store and the number of source rows that made no unit."""
    store = new_store()
    skipped, changed = add_units(store, rows, mode)
    warn_changed(changed)
    return store, skipped


@dataclass
class TmxPieces:
    """bitext.tmx written piece by piece as rows come (:meth:`add`, then :meth:`finish`).

    ``ROWS_PER_PIECE`` rows at a time make a store of their own, written as translate-toolkit writes
    it; its units (the lines between ``<body>`` and ``</body>``, which XML escaping keeps out of any
    text) are the whole file's, which is the first piece's head, every piece's units and its tail."""

    out: IO[str]
    mode: str
    skipped: int = 0  # source rows without a unit
    changed: int = 0  # units whose text lost characters XML cannot hold
    _rows: list[Row] = field(default_factory=list)
    _tail: str | None = None  # the file's end once a piece has units; None before

    def add(self, row: Row) -> None:
        self._rows.append(row)
        if len(self._rows) == ROWS_PER_PIECE:
            self._write_piece()

    def finish(self) -> None:
        self._write_piece()
        warn_changed(self.changed)
        self.out.write(self._tail if self._tail is not None else bytes(new_store()).decode("utf-8"))

    def _write_piece(self) -> None:
        store = new_store()
        skipped, changed = add_units(store, self._rows, self.mode)
        self.skipped, self.changed, self._rows = self.skipped + skipped, self.changed + changed, []
        if not store.units:
            return
        text = bytes(store).decode("utf-8")
        start, end = text.index(BODY_OPEN) + len(BODY_OPEN), text.rindex(BODY_CLOSE)
        self.out.write((text[:start] if self._tail is None else "") + text[start:end])
        self._tail = text[end:]


@exporters.register("tmx")
class TmxExporter(RowExporter):
    filename = artifacts.BITEXT_TMX

    @contextmanager
    def sink(self, data: ExportData, run_dir: Path) -> Iterator[RowSink]:
        mode = data.export.tmx_target
        with atomic_open(run_dir / self.filename) as fh:
            pieces = TmxPieces(fh, mode)
            yield pieces.add
            pieces.finish()
        if pieces.skipped:
            log.info("bitext.tmx: %d source row(s) without a target under export.tmx_target=%s", pieces.skipped, mode)
