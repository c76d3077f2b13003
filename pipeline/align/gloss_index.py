"""JMdict and JMnedict glosses of a word, read from jamdict's SQLite file in four queries.

``Jamdict.lookup`` builds every matching entry in full (kanji and kana forms, their tags, every
sense's parts of speech, cross-references, sources…), one single-row select at a time: dozens per
entry. The aligner needs only the glosses. :class:`GlossIndex` finds the entries with the same
query as jamdict (so in the same order), then reads the glosses of all of them with one join,
senses and glosses in jamdict's order (by row id), and answers in jamdict's shape
(``entries[k].senses[s].gloss[g].text``, ``names`` likewise). A query jamdict treats as a pattern
or an id (``%``, ``_``, ``@``, ``id#…``) or an empty one is not handled here: :meth:`GlossIndex.covers`.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field
from pathlib import Path

# jamdict 0.1a11's entry searches (jmdict_sqlite.JMDictSQLite._build_search_query and
# jmnedict_sqlite.JMNEDictSQLite._build_ne_search_query, exact match): SQLite returns the ids in
# the same order as for jamdict.
_WORD_IDS = (
    "SELECT idseq FROM Entry WHERE (idseq IN (SELECT idseq FROM Kanji WHERE text == ?) OR idseq IN "
    "(SELECT idseq FROM Kana WHERE text == ?) OR idseq IN (SELECT idseq FROM sense JOIN sensegloss ON "
    "sense.ID == sensegloss.sid WHERE text == ?))"
)
_NAME_IDS = (
    "SELECT idseq FROM NEEntry WHERE idseq IN (SELECT idseq FROM NEKanji WHERE text == ?) OR idseq IN "
    "(SELECT idseq FROM NEKana WHERE text == ?) OR idseq IN (SELECT idseq FROM NETranslation JOIN NETransGloss "
    "ON NETranslation.ID == NETransGloss.tid WHERE NETransGloss.text == ?) or idseq in (SELECT idseq FROM "
    "NETranslation JOIN NETransType ON NETranslation.ID == NETransType.tid WHERE NETransType.text == ?)"
)
# Every sense of the entries (a sense without glosses still counts), its glosses in row order.
_WORD_GLOSSES = (
    "SELECT Sense.idseq, Sense.ID, SenseGloss.sid, SenseGloss.text FROM Sense "
    "LEFT JOIN SenseGloss ON SenseGloss.sid = Sense.ID WHERE Sense.idseq IN ({}) "
    "ORDER BY Sense.idseq, Sense.ID, SenseGloss.rowid"
)
_NAME_GLOSSES = (
    "SELECT NETranslation.idseq, NETranslation.ID, NETransGloss.tid, NETransGloss.text FROM NETranslation "
    "LEFT JOIN NETransGloss ON NETransGloss.tid = NETranslation.ID WHERE NETranslation.idseq IN ({}) "
    "ORDER BY NETranslation.idseq, NETranslation.ID, NETransGloss.rowid"
)
_HAS_NAMES = "SELECT value FROM meta WHERE key = 'jmnedict.version'"
_PATTERN = ("%", "_", "@")


@dataclass(frozen=True)
class Gloss:
    text: str


@dataclass
class Sense:
    gloss: list[Gloss] = field(default_factory=list)


@dataclass
class Entry:
    senses: list[Sense] = field(default_factory=list)


@dataclass
class Found:
    """What ``Jamdict.lookup(word, lookup_chars=False)`` finds, glosses only."""

    entries: list[Entry]
    names: list[Entry]


class GlossIndex:
    """Read-only access to jamdict's database (one connection; the caller serialises its use)."""

    def __init__(self, db_file: str | Path) -> None:
        self._db = sqlite3.connect(f"{Path(db_file).resolve().as_uri()}?mode=ro", uri=True, check_same_thread=False)
        row = self._db.execute(_HAS_NAMES).fetchone()
        self.has_names = row is not None and len(row[0]) > 0  # as Jamdict.has_jmne

    @staticmethod
    def covers(word: str) -> bool:
        """Whether jamdict looks ``word`` up as plain text (not a pattern, an id or nothing)."""
        return bool(word) and not word.startswith("id#") and not any(c in word for c in _PATTERN)

    def lookup(self, word: str) -> Found:
        ids = [i for (i,) in self._db.execute(_WORD_IDS, (word,) * 3)]
        names = [i for (i,) in self._db.execute(_NAME_IDS, (word,) * 4)] if self.has_names else []
        return Found(self._entries(_WORD_GLOSSES, ids), self._entries(_NAME_GLOSSES, names))

    def _entries(self, query: str, ids: list[int]) -> list[Entry]:
        if not ids:
            return []
        senses: dict[int, dict[int, Sense]] = {i: {} for i in ids}
        for idseq, sense_id, gloss_of, text in self._db.execute(query.format(",".join("?" * len(ids))), ids):
            sense = senses[idseq].setdefault(sense_id, Sense())
            if gloss_of is not None:  # the sense has glosses
                sense.gloss.append(Gloss(text))
        return [Entry(list(senses[i].values())) for i in ids]

    def close(self) -> None:
        self._db.close()
