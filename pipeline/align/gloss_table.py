"""The whole dictionary as one table, built once per dictionary install (``jaen lexicon build``).

The gloss memo (:mod:`.gloss_memo`) keeps the gloss texts of the words a machine has met, so a first run
on a corpus still looks each word up in jamdict's file (~40 µs). :func:`build_table` writes, beside the
memo (:func:`.gloss_memo.table_path`), every key the gloss index can match — every JMdict and JMnedict
form (Kanji, Kana, NEKanji, NEKana) and every text jamdict's exact search compares (SenseGloss,
NETransGloss, NETransType) — with the texts the lexicon reads of it (:func:`.gloss_index.texts_of` of
:meth:`.GlossIndex.lookup`), and pykakasi's transcriptions of every katakana form, then marks it
complete: the memo answers a word the table lacks as one without texts, with no query. The texts are
computed in bulk: each entry's texts once, each key's entries in the order the gloss index finds them
(per part, by row id); a key with more entries than the caps read is looked up (jamdict's order decides
which are read). The file is written under a temporary name, then renamed over the old one (a process
reading that goes on reading it).
"""

from __future__ import annotations

import logging
import os
import sqlite3
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from ..errors import JaenError
from ..progress import progress
from .gloss_index import GlossIndex, texts_of
from .gloss_memo import COMPLETE, SEP, TABLE_SCHEMA, default_memo_path, join_texts, open_table, table_keys, table_path
from .params import PARAMS, GlossCaps
from .translit import transcribe

log = logging.getLogger(__name__)

# Every key the gloss index matches, with the part that finds it (the order of the parts in its query)
# and the row that does (the order within a part: the text index's, by row id), and the entry it finds.
_WORD_KEYS = (
    "SELECT text, 0, ID, idseq FROM Kanji UNION ALL SELECT text, 1, ID, idseq FROM Kana UNION ALL "
    "SELECT SenseGloss.text, 2, SenseGloss.rowid, Sense.idseq FROM SenseGloss JOIN Sense ON Sense.ID == SenseGloss.sid"
)
_NAME_KEYS = (
    " UNION ALL SELECT text, 3, ID, idseq FROM NEKanji UNION ALL SELECT text, 4, ID, idseq FROM NEKana UNION ALL "
    "SELECT NETransGloss.text, 5, NETransGloss.rowid, NETranslation.idseq FROM NETransGloss JOIN NETranslation "
    "ON NETranslation.ID == NETransGloss.tid UNION ALL SELECT NETransType.text, 6, NETransType.rowid, "
    "NETranslation.idseq FROM NETransType JOIN NETranslation ON NETranslation.ID == NETransType.tid"
)
_FIRST_NAME_PART = 3
_WORD_TABLES = ("Kanji", "Kana", "SenseGloss")
_NAME_TABLES = ("NEKanji", "NEKana", "NETransGloss", "NETransType")
# Each entry's senses and their glosses, in the gloss index's order (:data:`.gloss_index._WORD_GLOSSES`).
_WORD_SENSES = (
    "SELECT Sense.idseq, Sense.ID, SenseGloss.text FROM Sense LEFT JOIN SenseGloss ON SenseGloss.sid = Sense.ID "
    "ORDER BY Sense.idseq, Sense.ID, SenseGloss.rowid"
)
_NAME_SENSES = (
    "SELECT NETranslation.idseq, NETranslation.ID, NETransGloss.text FROM NETranslation LEFT JOIN NETransGloss "
    "ON NETransGloss.tid = NETranslation.ID ORDER BY NETranslation.idseq, NETranslation.ID, NETransGloss.rowid"
)
_FORMS = "SELECT text FROM Kanji UNION SELECT text FROM Kana"
_NAME_FORMS = " UNION SELECT text FROM NEKanji UNION SELECT text FROM NEKana"
ROWS_PER_BATCH = 8192  # rows written at once (and the progress bar's step)
EntryTexts = dict[int, str]  # an entry's texts the caps read (its first senses' first glosses), joined as a row


@dataclass(frozen=True)
class Built:
    """What a build wrote: where, how many keys (gloss rows, readings), how many were looked up, seconds."""

    path: Path
    keys: int
    readings: int
    looked_up: int
    seconds: float


@dataclass(frozen=True)
class TableStatus:
    """The table of a dictionary install: its file, whether it exists and is complete, its size."""

    path: Path
    exists: bool
    complete: bool
    size: int
    keys: int | None


def build_table(db_file: str | Path, path: Path, caps: GlossCaps, katakana: Callable[[str], bool]) -> Built:
    """Write the table of jamdict's file ``db_file`` at ``path`` (through a temporary file, renamed over it):
    every key's texts under ``caps``, the transcriptions of every form ``katakana`` accepts."""
    start = time.perf_counter()
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f"{path.name}.build-{os.getpid()}")
    tmp.unlink(missing_ok=True)
    index = GlossIndex(db_file)
    out = sqlite3.connect(tmp, isolation_level=None)
    try:
        out.execute("PRAGMA journal_mode=OFF")  # a temporary file: a failed build is thrown away
        out.execute("PRAGMA synchronous=OFF")
        for table in TABLE_SCHEMA:
            out.execute(table)
        out.execute("BEGIN")
        with progress(_key_rows(index), "dictionary words", "rows") as bar:
            keys, looked_up = _write_glosses(index, out, caps, bar.update)
        with progress(None, "katakana readings", "forms") as bar:
            readings = _write_readings(index, out, katakana, bar.update)
        out.execute("INSERT INTO meta VALUES (?, ?)", (COMPLETE, str(keys)))
        out.execute("COMMIT")
    except BaseException:
        out.close()
        tmp.unlink(missing_ok=True)
        raise
    finally:
        index.close()
    out.close()
    os.replace(tmp, path)  # a process reading the old file goes on reading it (opened immutable)
    return Built(path, keys, readings, looked_up, time.perf_counter() - start)


def _key_rows(index: GlossIndex) -> int:
    """How many rows of jamdict's file name a key (the progress bar's total)."""
    tables = _WORD_TABLES + (_NAME_TABLES if index.has_names else ())
    return sum(index.rows(f"SELECT count(*) FROM {t}").fetchone()[0] for t in tables)


def _write_glosses(index: GlossIndex, out: sqlite3.Connection, caps: GlossCaps, tick: Callable[[int], None]) -> tuple:
    """Write every key's row (a key without texts is left out: a complete table answers it empty); how many
    keys were written and how many were looked up."""
    words = _entry_texts(index, _WORD_SENSES, caps.word_senses, caps.word_glosses)
    names = _entry_texts(index, _NAME_SENSES, caps.name_senses, caps.name_glosses) if index.has_names else {}
    most_words, most_names = max(caps.word_entries, 1), max(caps.name_entries, 1)
    batch: list[tuple[str, str, str]] = []
    written = looked_up = read = 0
    for key, word_ids, name_ids, rows in _keys(index):
        read += rows
        if len(word_ids) > most_words or len(name_ids) > most_names:
            looked_up += 1  # more entries than are read: jamdict's order decides which
            texts = texts_of(index.lookup(key, caps.word_entries, caps.name_entries), caps)
            row = (key, join_texts(texts[0]), join_texts(texts[1]))
            if row[1] is None or row[2] is None:
                raise ValueError(f"{key!r}: a gloss text holds the memo's separator {SEP!r}")
        else:
            row = (key, _chain(words, word_ids), _chain(names, name_ids))
        if row[1] or row[2]:
            batch.append(row)
            if len(batch) >= ROWS_PER_BATCH:
                written += _insert(out, "glosses", batch)
                tick(read)
                read = 0
    written += _insert(out, "glosses", batch)
    tick(read)
    return written, looked_up


def _keys(index: GlossIndex) -> Iterator[tuple[str, list[int], list[int], int]]:
    """Each key (in order), its JMdict and JMnedict entries in the order the gloss index finds them, and how
    many rows named it."""
    query = _WORD_KEYS + (_NAME_KEYS if index.has_names else "") + " ORDER BY 1, 2, 3"
    last: str | None = None
    ids: tuple[dict[int, None], dict[int, None]] = ({}, {})
    n = 0
    for key, part, _, idseq in index.rows(f"SELECT * FROM ({query}) WHERE text IS NOT NULL AND text != ''"):
        if key != last:
            if last is not None:
                yield last, list(ids[0]), list(ids[1]), n
            last, ids, n = key, ({}, {}), 0
        ids[part >= _FIRST_NAME_PART][idseq] = None
        n += 1
    if last is not None:
        yield last, list(ids[0]), list(ids[1]), n


def _entry_texts(index: GlossIndex, query: str, senses: int, glosses: int) -> EntryTexts:
    """Each entry's texts as a row holds them: its first ``senses`` senses' first ``glosses`` glosses (a sense
    without glosses still counts), joined."""
    out: dict[int, list[str]] = {}
    last_entry = last_sense = None
    sense_count = gloss_count = 0
    for idseq, sense_id, text in index.rows(query):
        if idseq != last_entry:
            out[idseq], last_entry, sense_count, last_sense = [], idseq, 0, None
        if sense_id != last_sense:
            last_sense, sense_count, gloss_count = sense_id, sense_count + 1, 0
        if text is not None and sense_count <= senses and gloss_count < glosses:
            if SEP in text:
                raise ValueError(f"entry {idseq}: the gloss {text!r} holds the memo's separator {SEP!r}")
            out[idseq].append(text)
            gloss_count += 1
    return {idseq: SEP.join(texts) for idseq, texts in out.items() if texts}


def _chain(texts: EntryTexts, ids: list[int]) -> str:
    """The row's texts of the entries ``ids``, in order."""
    if len(ids) == 1:
        return texts.get(ids[0], "")
    return SEP.join(joined for i in ids if (joined := texts.get(i)))


def _write_readings(
    index: GlossIndex, out: sqlite3.Connection, katakana: Callable[[str], bool], tick: Callable[[int], None]
) -> int:
    """Write the transcriptions of every form ``katakana`` accepts; how many."""
    query = _FORMS + (_NAME_FORMS if index.has_names else "")
    batch: list[tuple[str, str]] = []
    written = 0
    for (form,) in index.rows(query):  # UNION: distinct, in order
        if not form or not katakana(form):
            continue
        joined = join_texts(transcribe(form))
        if joined is not None:
            batch.append((form, joined))
        if len(batch) >= ROWS_PER_BATCH:
            tick(len(batch))
            written += _insert(out, "readings", batch)
    tick(len(batch))
    return written + _insert(out, "readings", batch)


def _insert(out: sqlite3.Connection, table: str, batch: list[tuple]) -> int:
    marks = ", ".join("?" * len(batch[0])) if batch else ""
    if batch:
        out.executemany(f"INSERT INTO {table} VALUES ({marks})", batch)
    n = len(batch)
    batch.clear()
    return n


def table_status(path: Path) -> TableStatus:
    """Whether the table at ``path`` exists and is complete (one read of its meta row), and its size."""
    if not path.is_file():
        return TableStatus(path, False, False, 0, None)
    size = path.stat().st_size
    try:
        db = open_table(path)
        try:
            keys = table_keys(db)
        finally:
            db.close()
    except sqlite3.Error:
        keys = None
    return TableStatus(path, True, keys is not None, size, keys)


def installed_table() -> tuple[Path, Path]:
    """jamdict's installed file and where its table for the process-wide lexicon is kept (a JaenError where
    jamdict cannot say)."""
    from .lexicon import LEXICON

    try:
        db_file = Path(LEXICON._jamdict().db_file)
        return db_file, table_path(default_memo_path(db_file))
    except Exception as exc:  # noqa: BLE001  (jamdict's data missing or broken: whatever it raises)
        raise JaenError(f"jamdict's dictionary file cannot be found ({exc}): is jamdict-data installed?") from None


def build_installed(force: bool = False) -> tuple[TableStatus, Built | None]:
    """Build the table of the installed dictionary for the process-wide lexicon (its caps, this pykakasi),
    unless one is built already (``force``: again); its status, and what the build wrote (None: none)."""
    from .lexicon import _KATAKANA

    db_file, path = installed_table()
    status = table_status(path)
    if status.complete and not force:
        return status, None
    try:
        built = build_table(db_file, path, PARAMS.anchors.glosses, lambda form: _KATAKANA.match(form) is not None)
    except (sqlite3.Error, ValueError) as exc:  # an unreadable dictionary, an unwritable cache
        raise JaenError(f"{path}: the dictionary table could not be built from {db_file} ({exc})") from None
    return table_status(path), built


def say_if_no_table() -> None:
    """One info line where the installed dictionary has no table (the lexicon then looks words up as met)."""
    try:
        path = installed_table()[1]
    except JaenError:  # a broken dictionary install: the lexicon says so when it reads it
        return
    if not table_status(path).complete:
        log.info("align: no dictionary table: words are looked up as met (once per install: `jaen lexicon build`)")
