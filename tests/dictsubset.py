"""A small jamdict file for the dictionary table's tests: some entries of the installed one, whole.

The tables the gloss index reads keep jamdict's schema, indexes and row ids (an entry's rows keep their
order), so a word whose matching entries are all copied is found the same in the subset as in the
installed file.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from pathlib import Path

from pipeline.align import gloss_index

# The tables an entry's rows are in: (table, the column naming the entry or its sense/translation).
ENTRY_TABLES = (
    ("Entry", "idseq"),
    ("Kanji", "idseq"),
    ("Kana", "idseq"),
    ("Sense", "idseq"),
    ("SenseGloss", "sid IN (SELECT ID FROM src.Sense WHERE idseq"),
)
NAME_TABLES = (
    ("NEEntry", "idseq"),
    ("NEKanji", "idseq"),
    ("NEKana", "idseq"),
    ("NETranslation", "idseq"),
    ("NETransGloss", "tid IN (SELECT ID FROM src.NETranslation WHERE idseq"),
    ("NETransType", "tid IN (SELECT ID FROM src.NETranslation WHERE idseq"),
)
# Every entry a word matches, however many (the gloss index's parts, uncapped).
_ALL_PARTS = gloss_index._WORD_FORMS + gloss_index._WORD_GLOSS + gloss_index._NAME_FORMS + gloss_index._NAME_GLOSS


def entries_of(db_file: Path, words: Iterable[str]) -> tuple[set[int], set[int]]:
    """The JMdict and JMnedict entries each of ``words`` matches in ``db_file``."""
    db = sqlite3.connect(db_file)
    found: tuple[set[int], set[int]] = (set(), set())
    for word in words:
        for kind, idseq in db.execute(_ALL_PARTS, (word,)):
            found[kind].add(idseq)
    db.close()
    return found


def write_subset(db_file: Path, out: Path, entries: set[int], names: set[int]) -> Path:
    """A jamdict file at ``out`` holding the ``entries`` and ``names`` of ``db_file`` whole."""
    src = sqlite3.connect(db_file)
    schema = [sql for (sql,) in src.execute("SELECT sql FROM sqlite_master WHERE sql IS NOT NULL")]
    src.close()
    db = sqlite3.connect(out)
    tables = {t for t, _ in ENTRY_TABLES + NAME_TABLES} | {"meta"}
    for sql in schema:
        words = sql.replace("(", " ").split()
        if (words[1] == "TABLE" and words[2] in tables) or (words[1] == "INDEX" and words[4] in tables):
            db.execute(sql)
    db.execute("ATTACH ? AS src", (str(db_file),))
    db.execute("INSERT INTO meta SELECT * FROM src.meta")
    for ids, specs in ((entries, ENTRY_TABLES), (names, NAME_TABLES)):
        db.execute("CREATE TEMP TABLE chosen (idseq INTEGER PRIMARY KEY)")
        db.executemany("INSERT INTO chosen VALUES (?)", [(i,) for i in sorted(ids)])
        for table, column in specs:
            where = f"{column} IN (SELECT idseq FROM chosen)" + (")" if "(" in column else "")
            columns = ", ".join(["rowid"] + [row[1] for row in db.execute(f"PRAGMA main.table_info({table})")])
            db.execute(f"INSERT INTO main.{table}({columns}) SELECT {columns} FROM src.{table} WHERE {where}")
        db.execute("DROP TABLE chosen")
    db.commit()
    db.close()
    return out
