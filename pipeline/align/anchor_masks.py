"""The lexical anchors of a document as bit masks, for the many beads its evidence scores.

Each source sentence's concepts and each English sentence's content words are numbered, so what a
source sentence finds in an English one is two ints (:func:`matches`: the concepts found, the word
positions they cover) and a bead's is their union (``|``). A mask is weighed by its anchor kinds: a
kind's weight times the number of its bits set (:class:`Weighed`). With dyadic kind weights
(:class:`.params.KindWeights`: today 2, 2, 1.5 and 1) these sums are exact and equal to adding the
anchors' weights one by one in any order, as the anchor score did with sets; other weights may differ
from that in the last bits.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, fields

from .lexicon import Concept, EnglishSide, initials, name_matches
from .params import KindWeights
from .signals import en_kind

KINDS = tuple(f.name for f in fields(KindWeights))  # number, latin, name, word


@dataclass(frozen=True)
class Weighed:
    """The weight and the bits of each anchor kind present (numbered in order); ``total``: every
    anchor's weight, added one by one."""

    kinds: tuple[tuple[float, int], ...]
    total: float

    @classmethod
    def of(cls, kinds: Sequence[str], weights: KindWeights) -> Weighed:
        """The anchors of the given kinds, numbered in order."""
        bits = dict.fromkeys(KINDS, 0)
        for k, kind in enumerate(kinds):
            bits[kind] |= 1 << k
        weight = {kind: weights.of(kind) for kind in KINDS}
        return cls(tuple((weight[kind], b) for kind, b in bits.items() if b), sum(map(weight.__getitem__, kinds)))

    def weight(self, mask: int) -> float:
        """The weight of the anchors of ``mask``."""
        total = 0.0
        for w, bits in self.kinds:
            total += w * (mask & bits).bit_count()
        return total


@dataclass(frozen=True)
class SourceAnchors:
    """A source sentence's concepts: per stem the concepts carrying it (bits), the concepts with
    readings (their bit, the initials of their readings), which may match an English word by name,
    and their weights."""

    by_stem: dict[str, int]
    named: tuple[tuple[int, Concept, frozenset[str]], ...]
    weighed: Weighed

    @classmethod
    def of(cls, concepts: Sequence[Concept], weights: KindWeights) -> SourceAnchors:
        by_stem: dict[str, int] = {}
        get = by_stem.get
        for k, c in enumerate(concepts):
            bit = 1 << k
            for st in c.stems:
                by_stem[st] = get(st, 0) | bit
        named = tuple((1 << k, c, initials(c.readings)) for k, c in enumerate(concepts) if c.readings)
        return cls(by_stem, named, Weighed.of([c.kind for c in concepts], weights))


@dataclass(frozen=True)
class EnglishAnchors:
    """An English sentence's content words: per stem their positions (bits), and their weights."""

    side: EnglishSide
    by_stem: dict[str, int]
    weighed: Weighed

    @classmethod
    def of(cls, side: EnglishSide, weights: KindWeights) -> EnglishAnchors:
        by_stem: dict[str, int] = {}
        for k, st in enumerate(side.stems):
            by_stem[st] = by_stem.get(st, 0) | 1 << k
        return cls(side, by_stem, Weighed.of([en_kind(w) for w in side.words], weights))


def by_stems(src: SourceAnchors, en: EnglishAnchors) -> tuple[int, int]:
    """(the concepts of ``src`` with a stem of ``en``, the words of ``en`` of the stems both hold), as bits."""
    found = covered = 0
    for st in src.by_stem.keys() & en.by_stem.keys():
        found |= src.by_stem[st]
        covered |= en.by_stem[st]
    return found, covered


def matches(src: SourceAnchors, en: EnglishAnchors, min_similarity: float) -> tuple[int, int]:
    """(the concepts of ``src`` found in ``en``, the words of ``en`` they cover), as bits: a concept
    with a stem of the sentence covers the words of the stems both hold (:func:`by_stems`); one
    without, by a reading (:func:`.lexicon.name_matches`), the words alike it."""
    found, covered = by_stems(src, en)
    for bit, c, firsts in src.named:
        # name_matches compares only the words of a reading's initial (EnglishSide.by_initial)
        if found & bit or firsts.isdisjoint(en.side.by_initial):
            continue
        if hits := name_matches(c, en.side, min_similarity):
            found |= bit
            covered |= sum(1 << k for k in hits)
    return found, covered
