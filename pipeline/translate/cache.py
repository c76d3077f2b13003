"""A SQLite translation cache keyed by model identity, settings and source text.

A key covers everything that determines the output (see ``Translator.identity``), so the cache
never returns a translation made with another model or setting. Every row also carries a checksum
of its key and translation, so a damaged row reads as a miss, never as a wrong translation; a
file SQLite cannot read is moved aside and the run goes on with a fresh cache. Batches are
committed as they finish, so an interrupted run resumes where it stopped.
"""

from __future__ import annotations

import hashlib
import json
import logging
import sqlite3
import time
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from .base import Output

log = logging.getLogger(__name__)

# v3: each row keeps the decoder's flags (truncated, unk) with its translation, so a cached
# translation is flagged exactly as a fresh one; v2 rows (no flags) are not read, only translated again.
TABLE = "translations_v3"
SCHEMA = (
    f"CREATE TABLE IF NOT EXISTS {TABLE} "
    "(key TEXT PRIMARY KEY, translation TEXT NOT NULL, flags TEXT NOT NULL, checksum TEXT NOT NULL)"
)


def _checksum(key: str, translation: str, flags: str) -> str:
    return hashlib.sha256(f"{key}\x00{translation}\x00{flags}".encode()).hexdigest()[:16]


class TranslationCache:
    def __init__(self, path: str | Path, identity: dict[str, Any]) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._prefix = json.dumps(identity, sort_keys=True, ensure_ascii=False)
        self.rejected = 0  # rows whose checksum did not match (damaged), read as misses
        self._conn: sqlite3.Connection | None = self._open()

    def _connect(self) -> sqlite3.Connection:
        conn = sqlite3.connect(self.path, timeout=60)
        try:
            conn.execute(SCHEMA)
            conn.execute(f"SELECT key, translation, flags, checksum FROM {TABLE} LIMIT 1").fetchall()
            conn.commit()
        except sqlite3.Error:
            conn.close()
            raise
        return conn

    def _open(self) -> sqlite3.Connection | None:
        for attempt in (1, 2):
            try:
                return self._connect()
            except sqlite3.OperationalError as exc:  # locked, cannot open: leave the file alone
                log.warning("translation cache %s cannot be used (%s); translating without a cache", self.path, exc)
                return None
            except sqlite3.DatabaseError as exc:  # not a database, malformed
                if attempt == 2:
                    log.warning("translation cache %s cannot be used (%s); translating without a cache", self.path, exc)
                    return None
                self._set_aside(exc)
        return None

    def _set_aside(self, exc: Exception) -> None:
        aside = self.path.with_name(f"{self.path.name}.corrupt-{time.time_ns()}")
        log.warning("translation cache %s is unreadable (%s); moved to %s, starting afresh", self.path, exc, aside)
        try:
            self.path.rename(aside)
        except OSError as err:
            log.warning("cannot move %s aside (%s)", self.path, err)

    def _fail(self, exc: sqlite3.DatabaseError) -> None:
        """A failure in the middle of a run never stops the run: a damaged file is set aside and a
        fresh cache opened; a busy one is skipped for this call."""
        if isinstance(exc, sqlite3.OperationalError):
            log.warning("translation cache %s: %s; going on without it for this batch", self.path, exc)
            return
        if self._conn is not None:
            try:
                self._conn.close()
            except sqlite3.Error:
                pass
        self._set_aside(exc)
        self._conn = self._open()

    def key(self, text: str) -> str:
        return hashlib.sha256(f"{self._prefix}\x00{text}".encode()).hexdigest()

    def get_many(self, texts: Sequence[str]) -> dict[str, Output]:
        keys = {self.key(t): t for t in texts}
        found: dict[str, Output] = {}
        rejected = 0
        items = list(keys)
        try:
            for start in range(0, len(items), 500):
                if self._conn is None:
                    break
                chunk = items[start : start + 500]
                marks = ",".join("?" * len(chunk))
                rows = self._conn.execute(
                    f"SELECT key, translation, flags, checksum FROM {TABLE} WHERE key IN ({marks})", chunk
                ).fetchall()
                for key, translation, flags, checksum in rows:
                    if (
                        key in keys
                        and isinstance(translation, str)
                        and isinstance(flags, str)
                        and checksum == _checksum(key, translation, flags)
                    ):
                        found[keys[key]] = Output.with_flags(translation, flags.split(","))
                    else:
                        rejected += 1
        except sqlite3.DatabaseError as exc:
            self._fail(exc)
        if rejected:
            self.rejected += rejected
            log.warning("translation cache %s: %d damaged rows ignored (translated again)", self.path, rejected)
        return found

    def put_many(self, pairs: Iterable[tuple[str, Output]]) -> None:
        if self._conn is None:
            return
        rows = []
        for src, out in pairs:
            key, flags = self.key(src), ",".join(out.flags())
            rows.append((key, out.text, flags, _checksum(key, out.text, flags)))
        try:
            with self._conn:
                self._conn.executemany(
                    f"INSERT OR REPLACE INTO {TABLE} (key, translation, flags, checksum) VALUES (?, ?, ?, ?)", rows
                )
        except sqlite3.DatabaseError as exc:
            self._fail(exc)

    @property
    def usable(self) -> bool:
        return self._conn is not None

    def close(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None
