"""A SQLite translation cache keyed by model identity, settings and source text.

A key covers everything that determines the output (see ``Translator.identity``), so the cache
never returns a translation made with another model or setting. Batches are committed as they
finish, so an interrupted run resumes where it stopped.
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

log = logging.getLogger(__name__)

SCHEMA = "CREATE TABLE IF NOT EXISTS translations (key TEXT PRIMARY KEY, translation TEXT NOT NULL)"


class TranslationCache:
    def __init__(self, path: str | Path, identity: dict[str, Any]) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._prefix = json.dumps(identity, sort_keys=True, ensure_ascii=False)
        self._conn = self._open()

    def _open(self) -> sqlite3.Connection:
        try:
            conn = sqlite3.connect(self.path)
            conn.execute(SCHEMA)
            conn.execute("SELECT count(*) FROM translations LIMIT 1").fetchone()
            return conn
        except sqlite3.DatabaseError as exc:
            aside = self.path.with_name(f"{self.path.name}.corrupt-{int(time.time())}")
            log.warning("translation cache %s is unreadable (%s); moved to %s, starting afresh", self.path, exc, aside)
            self.path.rename(aside)
            conn = sqlite3.connect(self.path)
            conn.execute(SCHEMA)
            return conn

    def key(self, text: str) -> str:
        return hashlib.sha256(f"{self._prefix}\x00{text}".encode()).hexdigest()

    def get_many(self, texts: Sequence[str]) -> dict[str, str]:
        keys = {self.key(t): t for t in texts}
        found: dict[str, str] = {}
        items = list(keys)
        for start in range(0, len(items), 500):
            chunk = items[start : start + 500]
            marks = ",".join("?" * len(chunk))
            for key, translation in self._conn.execute(
                f"SELECT key, translation FROM translations WHERE key IN ({marks})", chunk
            ):
                found[keys[key]] = translation
        return found

    def put_many(self, pairs: Iterable[tuple[str, str]]) -> None:
        with self._conn:
            self._conn.executemany(
                "INSERT OR REPLACE INTO translations (key, translation) VALUES (?, ?)",
                [(self.key(src), tgt) for src, tgt in pairs],
            )

    def close(self) -> None:
        self._conn.close()
