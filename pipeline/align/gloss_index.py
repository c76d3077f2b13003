"""JMdict and JMnedict glosses of a word, read from jamdict's SQLite file in one to five queries (most: one or two).

``Jamdict.lookup`` builds every matching entry in full (kanji and kana forms, their tags, every
sense's parts of speech, cross-references, sources…), one single-row select at a time: dozens per
entry. The aligner needs only the glosses. :class:`GlossIndex` finds the entries with the parts of
jamdict's query in one query (and, where it finds more than are read, with jamdict's query, for their
order; a word of kana or kanji without the parts that compare glosses, which no such word can equal),
then reads the glosses of the words' entries and of the names' with a join each, senses and glosses
in jamdict's order (by row id), and answers in jamdict's shape
(``entries[k].senses[s].gloss[g].text``, ``names`` likewise). A query jamdict treats as a pattern
or an id (``%``, ``_``, ``@``, ``id#…``) or an empty one is not handled here: :meth:`GlossIndex.covers`.
"""

from __future__ import annotations

import os
import sqlite3
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

from .params import GlossCaps

# The entries whose forms (or glosses) are the word, by the parts of jamdict's searches, in one query:
# (0, id) for JMdict, (1, id) for JMnedict. Most words match one entry or none. The parts that compare
# glosses are left out for a word no gloss can equal (:attr:`GlossIndex.gloss_free`).
_WORD_FORMS = "SELECT 0, idseq FROM Kanji WHERE text == ?1 UNION ALL SELECT 0, idseq FROM Kana WHERE text == ?1"
_WORD_GLOSS = (
    " UNION ALL SELECT 0, sense.idseq FROM sense JOIN sensegloss ON sense.ID == sensegloss.sid "
    "WHERE sensegloss.text == ?1"
)
_NAME_FORMS = (
    " UNION ALL SELECT 1, idseq FROM NEKanji WHERE text == ?1 UNION ALL SELECT 1, idseq FROM NEKana WHERE text == ?1"
)
_NAME_GLOSS = (
    " UNION ALL SELECT 1, NETranslation.idseq FROM NETranslation JOIN NETransGloss ON NETranslation.ID == "
    "NETransGloss.tid WHERE NETransGloss.text == ?1 UNION ALL SELECT 1, NETranslation.idseq FROM NETranslation "
    "JOIN NETransType ON NETranslation.ID == NETransType.tid WHERE NETransType.text == ?1"
)
# A word from this character on (kana, kanji: U+3000 and up) can equal no gloss where no gloss text starts
# at or above it (JMdict's and JMnedict's are Latin script): checked on opening, through the text indexes.
_GLOSS_FREE_FROM = "\u3000"
_GLOSS_TEXTS = ("SenseGloss", "NETransGloss", "NETransType")
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
# Every sense of the entries (a sense without glosses still counts), its glosses in row order (the
# order the indexes give: no sort).
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


class Gloss(NamedTuple):  # a tuple: made once per gloss row, cheaper than a frozen dataclass
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
        names = (_NAME_FORMS, _NAME_GLOSS) if self.has_names else ("", "")
        self._forms = _WORD_FORMS + names[0]
        self._parts = _WORD_FORMS + _WORD_GLOSS + names[0] + names[1]
        self.gloss_free = self._gloss_free()

    def _gloss_free(self) -> bool:
        """Whether no gloss text starts at or above ``_GLOSS_FREE_FROM`` (one index seek per gloss table)."""
        tables = _GLOSS_TEXTS if self.has_names else _GLOSS_TEXTS[:1]
        seek = "SELECT 1 FROM {} WHERE text >= ? LIMIT 1"
        return not any(self._db.execute(seek.format(t), (_GLOSS_FREE_FROM,)).fetchone() for t in tables)

    @staticmethod
    def covers(word: str) -> bool:
        """Whether jamdict looks ``word`` up as plain text (not a pattern, an id or nothing)."""
        return bool(word) and not ("%" in word or "_" in word or "@" in word or word.startswith("id#"))

    def lookup(self, word: str, entries: int | None = None, names: int | None = None) -> Found:
        """jamdict's entries and names of ``word``, the first ``entries`` and ``names`` of them where given
        (the glosses of the others are not read). Capped, the entries are in jamdict's order only where
        more than the cap match (it decides which are read); where all are read, in the order found."""
        found: tuple[dict[int, None], dict[int, None]] = ({}, {})
        parts = self._forms if self.gloss_free and word[0] >= _GLOSS_FREE_FROM else self._parts
        for kind, idseq in self._db.execute(parts, (word,)):
            found[kind][idseq] = None
        ids, name_ids = list(found[0]), list(found[1])
        if len(ids) > (1 if entries is None else max(entries, 1)):  # the order decides which are read
            ids = [i for (i,) in self._db.execute(_WORD_IDS, (word,) * 3)]
        if len(name_ids) > (1 if names is None else max(names, 1)):
            name_ids = [i for (i,) in self._db.execute(_NAME_IDS, (word,) * 4)]
        return Found(self._entries(_WORD_GLOSSES, ids[:entries]), self._entries(_NAME_GLOSSES, name_ids[:names]))

    def _entries(self, query: str, ids: list[int]) -> list[Entry]:
        if not ids:
            return []
        senses: dict[int, list[Sense]] = {i: [] for i in ids}
        sense, last = Sense(), None
        for idseq, sense_id, gloss_of, text in self._db.execute(query.format(",".join("?" * len(ids))), ids):
            if sense_id != last:  # rows come sense by sense (ordered by entry, sense id)
                sense, last = Sense(), sense_id
                senses[idseq].append(sense)
            if gloss_of is not None:  # the sense has glosses
                sense.gloss.append(Gloss(text))
        return [Entry(senses[i]) for i in ids]

    def rows(self, query: str, params: tuple = ()) -> sqlite3.Cursor:
        """The rows of ``query`` on jamdict's file (:mod:`.gloss_table` reads it whole)."""
        return self._db.execute(query, params)

    def close(self) -> None:
        self._db.close()


def texts_of(res: Found, caps: GlossCaps) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The gloss texts a lookup's entries give the lexicon: of the first entries, their first senses, their
    first glosses (``caps``); the names' likewise. ``res`` may be jamdict's own LookupResult (same shape)."""
    words: list[str] = []
    for entry in res.entries[: caps.word_entries]:
        for sense in entry.senses[: caps.word_senses]:
            words += [gloss.text for gloss in sense.gloss[: caps.word_glosses]]
    names: list[str] = []
    for entry in res.names[: caps.name_entries]:
        for sense in entry.senses[: caps.name_senses]:
            names += [gloss.text for gloss in sense.gloss[: caps.name_glosses]]
    return tuple(words), tuple(names)
