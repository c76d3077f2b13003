"""JMdict and JMnedict glosses of words, read from jamdict's SQLite file in four queries for many words.

``Jamdict.lookup`` builds every matching entry in full (kanji and kana forms, their tags, every
sense's parts of speech, cross-references, sources…), one single-row select at a time: dozens per
entry. The aligner needs only the glosses. :class:`GlossIndex` finds the entries of many words (a
sentence's) with the parts of jamdict's query in one query (and, where it finds several for a word,
with jamdict's query, for their order), then reads the glosses of all of them with one join,
senses and glosses in jamdict's order (by row id), and answers in jamdict's shape
(``entries[k].senses[s].gloss[g].text``, ``names`` likewise). A query jamdict treats as a pattern
or an id (``%``, ``_``, ``@``, ``id#…``) or an empty one is not handled here: :meth:`GlossIndex.covers`.
"""

from __future__ import annotations

import os
import sqlite3
from dataclasses import dataclass, field
from pathlib import Path

# The entries whose forms (or glosses) are one of the words, by the parts of jamdict's searches, in one
# query: (word, 0, id) for JMdict, (word, 1, id) for JMnedict. Most words match one entry or none.
_WORD_PARTS = (
    "SELECT text, 0, idseq FROM Kanji WHERE text IN ({0}) UNION ALL "
    "SELECT text, 0, idseq FROM Kana WHERE text IN ({0}) UNION ALL "
    "SELECT sensegloss.text, 0, sense.idseq FROM sense JOIN sensegloss ON sense.ID == sensegloss.sid "
    "WHERE sensegloss.text IN ({0})"
)
_NAME_PARTS = (
    " UNION ALL SELECT text, 1, idseq FROM NEKanji WHERE text IN ({0}) UNION ALL "
    "SELECT text, 1, idseq FROM NEKana WHERE text IN ({0}) UNION ALL "
    "SELECT NETransGloss.text, 1, NETranslation.idseq FROM NETranslation JOIN NETransGloss "
    "ON NETranslation.ID == NETransGloss.tid WHERE NETransGloss.text IN ({0}) UNION ALL "
    "SELECT NETransType.text, 1, NETranslation.idseq FROM NETranslation JOIN NETransType "
    "ON NETranslation.ID == NETransType.tid WHERE NETransType.text IN ({0})"
)
_BATCH = 200  # words per query (SQLite allows 999 parameters at least)
# jamdict 0.1a11's entry searches (jmdict_sqlite.JMDictSQLite._build_search_query and
# jmnedict_sqlite.JMNEDictSQLite._build_ne_search_query, exact match), for the order of several
# entries: SQLite returns them in the same order as for jamdict.
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
    """Read-only access to jamdict's database (one connection; the caller serialises its use, and opens
    another in a forked process: ``pid``)."""

    def __init__(self, db_file: str | Path) -> None:
        self.pid = os.getpid()
        self._db = sqlite3.connect(f"{Path(db_file).resolve().as_uri()}?mode=ro", uri=True, check_same_thread=False)
        row = self._db.execute(_HAS_NAMES).fetchone()
        self.has_names = row is not None and len(row[0]) > 0  # as Jamdict.has_jmne
        self._parts = _WORD_PARTS + _NAME_PARTS if self.has_names else _WORD_PARTS
        self._queries: dict[int, str] = {}  # the query of the parts for so many words

    @staticmethod
    def covers(word: str) -> bool:
        """Whether jamdict looks ``word`` up as plain text (not a pattern, an id or nothing)."""
        return bool(word) and not word.startswith("id#") and not any(c in word for c in _PATTERN)

    def lookup(self, word: str, entries: int | None = None, names: int | None = None) -> Found:
        """jamdict's entries and names of ``word``, the first ``entries`` and ``names`` of them where given
        (the glosses of the others are not read)."""
        return self.lookup_many([word], entries, names)[word]

    def lookup_many(self, words: list[str], entries: int | None = None, names: int | None = None) -> dict[str, Found]:
        """:meth:`lookup` of each of ``words`` (distinct, each :meth:`covers`), in a few queries for all."""
        ids: dict[str, tuple[list[int], list[int]]] = {}
        for start in range(0, len(words), _BATCH):
            ids.update(self._ids(words[start : start + _BATCH]))
        capped = {w: (found[:entries], named[:names]) for w, (found, named) in ids.items()}
        senses = self._senses(_WORD_GLOSSES, [i for found, _ in capped.values() for i in found])
        name_senses = self._senses(_NAME_GLOSSES, [i for _, named in capped.values() for i in named])
        return {
            w: Found(
                [Entry(list(senses[i].values())) for i in found], [Entry(list(name_senses[i].values())) for i in named]
            )
            for w, (found, named) in capped.items()
        }

    def _ids(self, words: list[str]) -> dict[str, tuple[list[int], list[int]]]:
        """Per word: the ids of its JMdict entries and of its JMnedict entries, in jamdict's order."""
        query = self._queries.get(len(words))
        if query is None:
            query = self._queries[len(words)] = self._parts.format(",".join(f"?{k + 1}" for k in range(len(words))))
        found: dict[str, tuple[dict[int, None], dict[int, None]]] = {w: ({}, {}) for w in words}
        for word, kind, idseq in self._db.execute(query, words):
            found[word][kind][idseq] = None
        out = {}
        for word, (entries, names) in found.items():
            ids, name_ids = list(entries), list(names)
            if len(ids) > 1:  # their order decides which entries the lexicon reads
                ids = [i for (i,) in self._db.execute(_WORD_IDS, (word,) * 3)]
            if len(name_ids) > 1:
                name_ids = [i for (i,) in self._db.execute(_NAME_IDS, (word,) * 4)]
            out[word] = ids, name_ids
        return out

    def _senses(self, query: str, ids: list[int]) -> dict[int, dict[int, Sense]]:
        """Per entry id: its senses by id, each with its glosses, in row order."""
        senses: dict[int, dict[int, Sense]] = {i: {} for i in ids}
        ids = list(senses)
        for start in range(0, len(ids), _BATCH):
            part = ids[start : start + _BATCH]
            for idseq, sense_id, gloss_of, text in self._db.execute(query.format(",".join("?" * len(part))), part):
                sense = senses[idseq].setdefault(sense_id, Sense())
                if gloss_of is not None:  # the sense has glosses
                    sense.gloss.append(Gloss(text))
        return senses

    def close(self) -> None:
        self._db.close()


def _entries(senses: dict[int, dict[int, Sense]], ids: list[int]) -> list[Entry]:
    return [Entry(list(senses[i].values())) for i in ids]
