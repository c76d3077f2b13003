"""Sentence chrF from n-gram statistics kept per sentence, for the many pairs an aligner compares.

sacrebleu's ``CHRF().sentence_score(hyp, [ref])`` extracts both sides' character n-grams again for
every pair; an aligner compares each sentence with dozens of others. :class:`NgramCache` extracts a
text's n-grams once (and those of two texts joined by a space from theirs, :func:`joined_stats`), and
:func:`chrf` computes the score of a pair from the two statistics with the same integer counts and the
same floating-point operations as sacrebleu 2.x's default chrF (character 6-grams, no word n-grams,
β = 2, whitespace removed, effective-order averaging), so the result is the same number
(tests/test_align_chrf.py checks it against ``sacrebleu.sentence_chrf``). sacrebleu stays the scorer
of record (``pipeline/score``).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from operator import add

from sacrebleu.metrics import CHRF

from ..score.chrf import averaged_f

CHAR_ORDER = CHRF.CHAR_ORDER  # sentence_chrf's character n-gram orders (6)
BETA = CHRF.BETA  # recall weighs twice as much as precision
_NTH = "\x00"  # separates an n-gram from its occurrence number
_EDGE = CHAR_ORDER - 1  # characters at each end of a text that an n-gram across a join can take


@dataclass(frozen=True)
class NgramStats:
    """The character n-grams of one text (whitespace removed), per order 1..6, as a set in which an
    n-gram seen k times appears k times (its second and later occurrences numbered): the n-grams two
    texts share, counted as sacrebleu counts them (the smaller count of each), are then the size of
    the intersection of their sets. ``totals``: the number of n-grams per order. To join two texts'
    statistics (:func:`joined_stats`): ``distinct`` (the n-grams per order), ``repeats`` (those seen
    more than once, with their counts), the text's length and its first and last characters."""

    grams: tuple[frozenset[str], ...]
    totals: tuple[int, ...]
    distinct: tuple[frozenset[str], ...] = ()
    repeats: tuple[dict[str, int], ...] = ()
    length: int = 0
    head: str = ""
    tail: str = ""


def ngram_stats(text: str) -> NgramStats:
    """What sacrebleu's ``extract_all_char_ngrams(text, 6)`` extracts, as sets."""
    line = "".join(text.split())
    grams, totals, distinct, repeats = [], [], [], []
    found: Sequence[str] = line
    for n in range(1, CHAR_ORDER + 1):
        if n > 1:
            found = list(map(add, found, line[n - 1 :]))  # each (n-1)-gram and the character after it
        keys = frozenset(found)
        distinct.append(keys)
        total = max(len(line) - n + 1, 0)
        seen: dict[str, int] = {}
        if len(keys) < total:  # some n-gram occurs more than once
            seen = {g: c for g, c in Counter(found).items() if c > 1}
            keys = keys.union([g + k for g, c in seen.items() for k in _occurrences(c)])
        grams.append(keys)
        repeats.append(seen)
        totals.append(total)
    edges = line[:_EDGE], line[-_EDGE:]
    return NgramStats(tuple(grams), tuple(totals), tuple(distinct), tuple(repeats), len(line), *edges)


@lru_cache(maxsize=1024)
def _occurrences(count: int, start: int = 2) -> tuple[str, ...]:
    """What follows an n-gram in the keys of its ``start``-th to ``count``-th occurrences (its first
    occurrence's key is the n-gram itself)."""
    return tuple(f"{_NTH}{k}" if k > 1 else "" for k in range(start, count + 1))


def joined_stats(a: NgramStats, b: NgramStats) -> NgramStats:
    """The statistics of ``a``'s text and ``b``'s joined by whitespace (what ``ngram_stats`` of the
    join extracts): both texts' n-grams, those across the join, and the occurrences they add up to."""
    grams, distinct, repeats = [], [], []
    for n in range(1, CHAR_ORDER + 1):
        keys, found, seen = _joined_order(a, b, n)
        grams.append(keys)
        distinct.append(found)
        repeats.append(seen)
    length = a.length + b.length
    totals = tuple(max(length - n + 1, 0) for n in range(1, CHAR_ORDER + 1))
    edges = (a.head + b.head)[:_EDGE], (a.tail + b.tail)[-_EDGE:]
    return NgramStats(tuple(grams), totals, tuple(distinct), tuple(repeats), length, *edges)


def _joined_order(a: NgramStats, b: NgramStats, n: int) -> tuple[frozenset[str], frozenset[str], dict[str, int]]:
    """The keys, distinct n-grams and repeats of order ``n`` of the join of ``a`` and ``b``."""
    in_a, in_b, seen_a, seen_b = a.distinct[n - 1], b.distinct[n - 1], a.repeats[n - 1], b.repeats[n - 1]
    left = a.tail[-(n - 1) :] if n > 1 else ""
    edge = left + b.head[: n - 1]
    across: dict[str, int] = {}  # the n-grams across the join
    for k in range(min(len(left), len(edge) - n + 1)):
        across[edge[k : k + n]] = across.get(edge[k : k + n], 0) + 1
    found = in_a.union(in_b, across)
    seen = {**seen_a, **seen_b}
    extra: list[str] = []
    for g in in_a & in_b:  # in both texts: its occurrences in the second text come after the first's
        count_a, count_b = seen_a.get(g, 1), seen_b.get(g, 1)
        count = seen[g] = count_a + count_b + across.pop(g, 0)
        extra += [g + k for k in _occurrences(count, (count_a if count_a > count_b else count_b) + 1)]
    for g, more in across.items():  # across the join, in one text at most
        before = seen_a.get(g, 1) if g in in_a else seen_b.get(g, 1) if g in in_b else 0
        count = before + more
        extra += [g + k for k in _occurrences(count, before + 1)]
        if count > 1:
            seen[g] = count
    return a.grams[n - 1].union(b.grams[n - 1], extra), found, seen


def chrf(hyp: NgramStats, ref: NgramStats) -> float:
    """chrF (0–100) of a hypothesis against one reference, as ``sacrebleu.sentence_chrf``: sacrebleu's
    ``CHRF._compute_f_score`` without eps smoothing, operation for operation (an order one side lacks
    adds nothing: sacrebleu counts no hypothesis n-grams of an order the reference lacks)."""
    prec_sum, rec_sum = 0.0, 0.0
    effective_order = 0
    for h, r, n_hyp, n_ref in zip(hyp.grams, ref.grams, hyp.totals, ref.totals):
        if n_hyp > 0 and n_ref > 0:
            n_match = len(h & r)
            prec_sum += n_match / n_hyp
            rec_sum += n_match / n_ref
            effective_order += 1
    return averaged_f(prec_sum, rec_sum, effective_order, BETA)


@dataclass
class NgramCache:
    """The n-gram statistics of every text asked for, extracted once (one per document: its MT and
    reference sentences, and the joins and prefixes its beads compare; a join made by :meth:`join` is
    computed from its parts'), and the score of every pair asked for (the baseline's random pairs
    repeat, and so do the pairs the beads compare)."""

    _stats: dict[str, NgramStats] = field(default_factory=dict)
    _scores: dict[tuple[str, str], float] = field(default_factory=dict)
    _joins: dict[str, tuple[str, ...]] = field(default_factory=dict)

    def join(self, parts: Sequence[str]) -> str:
        """``" ".join(parts)``, whose statistics, when asked for, are computed from the parts'."""
        text = " ".join(parts)
        if len(parts) > 1 and text not in self._stats:
            self._joins[text] = tuple(parts)
        return text

    def stats(self, text: str) -> NgramStats:
        found = self._stats.get(text)
        if found is None:
            parts = self._joins.pop(text, None)
            if parts:
                found = self.stats(parts[0])
                for part in parts[1:]:
                    found = joined_stats(found, self.stats(part))
            else:
                found = ngram_stats(text)
            self._stats[text] = found
        return found

    def chrf(self, hyp: str, ref: str) -> float:
        """chrF (0–100) of ``hyp`` against ``ref``, as ``sacrebleu.sentence_chrf(hyp, [ref])``."""
        found = self._scores.get((hyp, ref))
        if found is None:
            found = self._scores[hyp, ref] = chrf(self.stats(hyp), self.stats(ref))
        return found
