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
from pathlib import Path

from translate.storage.tmx import tmxfile

from .. import artifacts
from ..io import atomic_write_text
from ..rows import Row
from ..translate.flags import format_flags
from .base import ExportData, Exporter, exporters
from .tsv import normalize_newlines

log = logging.getLogger(__name__)

SOURCE_LANG = "ja"
TARGET_LANG = "en"


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


def build_tmx(rows: list[Row], mode: str = "reference_or_mt") -> tuple[tmxfile, int]:
    """The TMX store and the number of source rows that made no unit."""
    store = tmxfile(sourcelanguage=SOURCE_LANG, targetlanguage=TARGET_LANG)
    skipped = 0
    changed = 0
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
    if changed:
        log.warning("bitext.tmx: removed control characters (not allowed in XML) from %d unit(s)", changed)
    return store, skipped


@exporters.register("tmx")
class TmxExporter(Exporter):
    filename = artifacts.BITEXT_TMX

    def write(self, data: ExportData, run_dir: Path) -> Path:
        mode = data.export.tmx_target
        store, skipped = build_tmx(data.rows, mode)
        if skipped:
            log.info("bitext.tmx: %d source row(s) without a target under export.tmx_target=%s", skipped, mode)
        return atomic_write_text(run_dir / self.filename, bytes(store).decode("utf-8"))
