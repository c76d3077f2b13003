"""The glosses a machine has read for each word (and the romaji of each katakana word), kept on disk
between processes.

A dictionary lookup costs ~30 µs of CPU (SQLite's index seeks and rows, :mod:`.gloss_index`) and
every process pays it again for every word it meets: each align run, each worker of a pool. A
derived table of every key of JMdict and JMnedict answers in one seek, but building it takes ~40 s and
111 MB (2 M keys: :mod:`.gloss_table`, optional). :class:`GlossMemo` is that table filled as words are met: the gloss
texts the lexicon reads of a word (the first entries, senses and glosses, ``anchors.glosses``), in a
SQLite file beside the user cache (``$XDG_CACHE_HOME/jaen``), one per dictionary file and caps. A word
is read back in one seek (a memo empty when opened, a first run's, is not read); the words a process
meets are written in batches. The texts, not their stems, are kept: stems follow the code, the texts
only the dictionary.

``jaen lexicon build`` (:mod:`.gloss_table`) writes, once per dictionary install, a table of every key
of the dictionary beside the memo (:func:`table_path`: read-only, replaced whole by a rename). Where it
is there, a word is answered from it (one it lacks has no texts: no lookup), katakana words' romaji
too, and the memo keeps only the romaji of katakana words outside the dictionary.

Anything that goes wrong with the file (a read-only cache, a full disk, a locked or broken file) turns
the memo off for the process, with one warning: the lexicon then reads the dictionary as before.
"""

from __future__ import annotations

import hashlib
import logging
import os
import sqlite3
from pathlib import Path

from ..io import user_cache_dir
from ..manifest import package_versions
from .params import PARAMS
from .translit import ROMAJI_SYSTEMS

log = logging.getLogger(__name__)

# Bump when what a row holds changes (the gloss index's reading of jamdict's file, the separator).
MEMO_VERSION = 1
# New words a process writes at once (one transaction), and at exit the rest.
FLUSH_EVERY = 256
# A writer waits this long for another process's transaction (seconds), then keeps its words for later,
# up to this many batches (then lets them go: they are looked up again when next met).
BUSY_TIMEOUT = 0.2
OPEN_TIMEOUT = 10.0  # seconds a process waits to open (create) the file while another holds it
PENDING_BATCHES = 16
SEP = "\x1f"  # between the texts of a row (no gloss holds it: a word with one that does is not kept)
_SCHEMA = (
    "CREATE TABLE IF NOT EXISTS glosses (word TEXT PRIMARY KEY, words TEXT NOT NULL, names TEXT NOT NULL) "
    "WITHOUT ROWID",
    "CREATE TABLE IF NOT EXISTS readings (word TEXT PRIMARY KEY, texts TEXT NOT NULL) WITHOUT ROWID",
)
# The dictionary table's (:mod:`.gloss_table`): the memo's rows, and a meta row saying it is complete.
TABLE_SCHEMA = (*_SCHEMA, "CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID")
# The meta row of a table that holds every key of the dictionary (:mod:`.gloss_table`; its value: how many).
COMPLETE = "complete"
_GLOSSES = "SELECT words, names FROM glosses WHERE word = ?"
_READINGS = "SELECT texts FROM readings WHERE word = ?"

Texts = tuple[tuple[str, ...], tuple[str, ...]]  # (word gloss texts, name transliterations) of a word


def memo_path(db_file: str | Path, *keys: object) -> Path:
    """Where the memo of jamdict's file ``db_file`` is kept, by the file's path, size and modification
    time, :data:`MEMO_VERSION` and ``keys`` (what else decides a row: the gloss caps, the transcriber's
    version and systems)."""
    path = Path(db_file).resolve()
    stat = path.stat()
    key = "\0".join(map(repr, (MEMO_VERSION, str(path), stat.st_size, stat.st_mtime_ns, *keys)))
    digest = hashlib.sha256(key.encode("utf-8")).hexdigest()[:16]
    return user_cache_dir() / f"glosses-{digest}.sqlite"


def default_memo_path(db_file: str | Path) -> Path:
    """The memo of jamdict's file ``db_file`` the process-wide lexicon reads: under the default gloss caps,
    this pykakasi's version and :data:`.translit.ROMAJI_SYSTEMS`."""
    keys = (PARAMS.anchors.glosses, package_versions(("pykakasi",))["pykakasi"], ROMAJI_SYSTEMS)
    return memo_path(db_file, *keys)


def table_path(memo: Path) -> Path:
    """Where the dictionary table of the memo at ``memo`` is kept (:mod:`.gloss_table`): beside it."""
    return memo.with_name(f"{memo.stem}-table{memo.suffix}")


class GlossMemo:
    """One process's connection to a memo file (the caller serialises its use, and opens another in a
    forked process: ``pid``)."""

    def __init__(self, path: Path) -> None:
        self.pid = os.getpid()
        self.path = path
        self._pending: dict[str, tuple[str, str]] = {}  # rows to write: word → (words, names) joined
        self._pending_readings: dict[str, str] = {}
        self._db: sqlite3.Connection | None = None
        # Whether each table held rows when opened: an empty one (a first run on the machine) is not read,
        # it holds nothing but this process's own words (and another's written since: looked up again).
        self._filled = {"glosses": False, "readings": False}
        self._table = _open_table(table_path(path))  # every key of the dictionary, where built
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            # opening waits longer than a batch does: workers starting together create the file at once
            self._db = sqlite3.connect(path, timeout=OPEN_TIMEOUT, check_same_thread=False, isolation_level=None)
            self._db.execute("PRAGMA journal_mode=WAL")  # readers go on while another process writes
            self._db.execute("PRAGMA synchronous=NORMAL")  # no fsync per batch: a lost batch is looked up again
            for table in _SCHEMA:
                self._db.execute(table)
            self._db.execute(f"PRAGMA busy_timeout={int(BUSY_TIMEOUT * 1000)}")
            for table in self._filled:
                self._filled[table] = self._db.execute(f"SELECT 1 FROM {table} LIMIT 1").fetchone() is not None
        except (OSError, sqlite3.Error) as exc:
            self._off(exc)

    @property
    def on(self) -> bool:
        return self._db is not None

    @property
    def complete(self) -> bool:
        """Whether the dictionary table answers every word (:func:`table_path`)."""
        return self._table is not None

    def get(self, word: str) -> Texts | None:
        """The texts kept for ``word``, or None where it was not met yet (or the memo is off). The dictionary
        table, where built, knows every word: one it lacks has no texts."""
        if self._table is not None:
            row = self._table_row(_GLOSSES, word)
            if self._table is not None:  # still usable
                return ((), ()) if row is None else (_split(row[0]), _split(row[1]))
        row = self._pending.get(word)
        if row is None:
            row = self._select(_GLOSSES, "glosses", word)
        return None if row is None else (_split(row[0]), _split(row[1]))

    def put(self, word: str, texts: Texts) -> None:
        """Keep ``texts`` for ``word`` (written with the next batch)."""
        if self._db is None or self._table is not None:  # the table holds the word (or it has no texts)
            return
        words, names = join_texts(texts[0]), join_texts(texts[1])
        if words is None or names is None:
            return
        self._pending[word] = (words, names)
        self._flush_when_full()

    def get_readings(self, word: str) -> tuple[str, ...] | None:
        """The transcriptions kept for ``word`` (:func:`.translit.transcribe`), or None."""
        row = None if self._table is None else self._table_row(_READINGS, word)  # the dictionary's forms
        joined = self._pending_readings.get(word) if row is None else row[0]
        if joined is None:
            row = self._select(_READINGS, "readings", word)
            joined = None if row is None else row[0]
        return None if joined is None else tuple(joined.split(SEP))  # one empty transcription stays one

    def _select(self, query: str, table: str, word: str) -> tuple | None:
        """``word``'s row of ``table`` in the file: None where the file holds none (or the memo is off, or
        goes off on an error)."""
        if self._db is None or not self._filled[table]:
            return None
        try:
            return self._db.execute(query, (word,)).fetchone()
        except sqlite3.Error as exc:
            self._off(exc)
            return None

    def _table_row(self, query: str, word: str) -> tuple | None:
        """``word``'s row in the dictionary table: None where it holds none (or goes off on an error)."""
        try:
            return self._table.execute(query, (word,)).fetchone()  # type: ignore[union-attr]
        except sqlite3.Error as exc:
            log.warning("dictionary table %s unusable (%s): words are looked up as met", table_path(self.path), exc)
            self._close_table()
            return None

    def _close_table(self) -> None:
        if self._table is not None:
            self._table.close()
            self._table = None

    def put_readings(self, word: str, texts: tuple[str, ...]) -> None:
        """Keep the transcriptions ``texts`` of ``word`` (written with the next batch)."""
        if self._db is None or not texts or (joined := join_texts(texts)) is None:
            return
        self._pending_readings[word] = joined
        self._flush_when_full()

    def _flush_when_full(self) -> None:
        if len(self._pending) + len(self._pending_readings) >= FLUSH_EVERY:
            self.flush()

    def flush(self) -> None:
        """Write the words kept since the last flush (where another process holds the file, later)."""
        if self._db is None or not (self._pending or self._pending_readings) or self.pid != os.getpid():
            return
        # in key order: the B-tree's pages are written one after the other
        rows = sorted((w, words, names) for w, (words, names) in self._pending.items())
        readings = sorted(self._pending_readings.items())
        try:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                self._db.executemany("INSERT OR IGNORE INTO glosses VALUES (?, ?, ?)", rows)
                self._db.executemany("INSERT OR IGNORE INTO readings VALUES (?, ?)", readings)
                self._db.execute("COMMIT")
            except sqlite3.Error:
                self._db.execute("ROLLBACK")
                raise
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) and "busy" not in str(exc):
                self._off(exc)
            elif len(self._pending) + len(self._pending_readings) >= PENDING_BATCHES * FLUSH_EVERY:
                self._pending.clear()  # the file stays busy: memory stays bounded
                self._pending_readings.clear()
            return  # another process writes: these words go with the next batch
        except sqlite3.Error as exc:
            self._off(exc)
            return
        self._pending.clear()
        self._pending_readings.clear()

    def close(self) -> None:
        self.flush()
        self._close_table()
        if self._db is not None:
            self._db.close()
            self._db = None

    def _off(self, exc: Exception) -> None:
        log.warning("gloss memo %s unusable (%s): dictionary words are looked up in jamdict's file", self.path, exc)
        self._pending.clear()
        self._pending_readings.clear()
        if self._db is not None:
            try:
                self._db.close()
            except sqlite3.Error:
                pass
        self._db = None


def _open_table(path: Path) -> sqlite3.Connection | None:
    """A read-only connection to the dictionary table at ``path``, or None where none is built (or it is
    unusable: one warning)."""
    if not path.is_file():
        return None
    try:
        db = open_table(path)
        if table_keys(db) is not None:
            return db
        db.close()
        reason = "not complete"
    except sqlite3.Error as exc:
        reason = str(exc)
    log.warning("dictionary table %s unusable (%s): words are looked up as met", path, reason)
    return None


def open_table(path: Path) -> sqlite3.Connection:
    """The dictionary table at ``path``, read-only. The file is never written in place (a build renames a
    new one over it), so it is opened immutable: no locks."""
    return sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro&immutable=1", uri=True, check_same_thread=False)


def table_keys(db: sqlite3.Connection) -> int | None:
    """How many keys a complete dictionary table holds (its meta row); None where it is not complete."""
    row = db.execute("SELECT value FROM meta WHERE key = ?", (COMPLETE,)).fetchone()
    return None if row is None else int(row[0])


def join_texts(texts: tuple[str, ...]) -> str | None:
    """The texts as a row holds them, or None where one holds the separator (it would split apart)."""
    joined = SEP.join(texts)
    return joined if joined.count(SEP) == max(len(texts) - 1, 0) else None


def _split(joined: str) -> tuple[str, ...]:
    return tuple(joined.split(SEP)) if joined else ()
