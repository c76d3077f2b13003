"""The fields of fugashi's unidic features that the lexicon reads, parsed from the raw feature string.

fugashi's ``node.feature`` builds a named tuple of all 26 fields per word (~3 µs; a tenth of the
analysis of a sentence). :func:`features` reads the three the lexicon needs from ``node.feature_raw``,
split exactly as fugashi splits it (by commas, or as CSV where a field is quoted: unidic's accent
fields), a field beyond the raw ones None (fugashi pads unknown words' short features with None).
"""

from __future__ import annotations

import csv
from collections.abc import Sequence
from functools import lru_cache
from typing import Any, NamedTuple


class Features(NamedTuple):
    """A word's part of speech (two levels) and lemma, as fugashi's unidic features hold them."""

    pos1: str
    pos2: str | None
    lemma: str | None


@lru_cache(maxsize=8)  # one entry per feature layout (one tagger: one): found once, not per sentence
def _positions(fields: tuple[str, ...]) -> tuple[int, ...]:
    """Where the fields of :class:`Features` are among fugashi's feature fields."""
    return tuple(fields.index(name) for name in Features._fields)


def features(nodes: Sequence[Any]) -> list[Features]:
    """The :class:`Features` of fugashi's nodes (all of one tagger), as their ``feature`` holds them."""
    if not nodes:
        return []
    return parsed([node.feature_raw for node in nodes], type(nodes[0].feature)._fields)


def parsed(raws: Sequence[str], layout: tuple[str, ...]) -> list[Features]:
    """The :class:`Features` of raw feature strings whose fields are ``layout`` (fugashi's feature names)."""
    pos1, pos2, lemma = _positions(layout)
    last = max(pos1, pos2, lemma)
    make = tuple.__new__  # Features(…) without its Python-level __new__
    out = []
    for raw in raws:
        # the fields up to the last one read, split as fugashi splits them (the rest is left whole): by commas
        # up to the first quote (unidic's quoted fields, the accents', come after the lemma), as CSV from it
        fields = raw.split(",", last + 1)
        if '"' in raw and (len(fields) <= last + 1 or raw.index('"') < len(raw) - len(fields[last + 1])):
            fields = next(csv.reader([raw]))
        if len(fields) > last:
            out.append(make(Features, (fields[pos1], fields[pos2], fields[lemma])))
        else:  # an unknown word's short features: the fields beyond them None
            n = len(fields)
            out.append(Features(fields[pos1], fields[pos2] if pos2 < n else None, fields[lemma] if lemma < n else None))
    return out
