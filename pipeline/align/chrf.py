"""Sentence chrF from n-gram statistics kept per sentence, for the many pairs an aligner compares.

sacrebleu's ``CHRF().sentence_score(hyp, [ref])`` extracts both sides' character n-grams again for
every pair; an aligner compares each sentence with dozens of others. :class:`NgramCache` extracts a
text's n-grams once, and :func:`chrf` computes the score of a pair from the two statistics with the
same integer counts and the same floating-point operations as sacrebleu 2.x's default chrF
(character 6-grams, no word n-grams, β = 2, whitespace removed, effective-order averaging), so the
result is the same number (tests/test_align_chrf.py checks it against ``sacrebleu.sentence_chrf``).
sacrebleu stays the scorer of record (``pipeline/score``).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import repeat
from operator import add

CHAR_ORDER = 6  # sacrebleu's CHRF.CHAR_ORDER
BETA = 2  # sacrebleu's CHRF.BETA: recall weighs twice as much as precision
_EPS = 1e-16  # sacrebleu's stand-in for a precision or recall of an order one side lacks
_NTH = "\x00"  # separates an n-gram from its occurrence number


@dataclass(frozen=True)
class NgramStats:
    """The character n-grams of one text (whitespace removed), per order 1..6, as a set in which an
    n-gram seen k times appears k times (its second and later occurrences numbered): the n-grams two
    texts share, counted as sacrebleu counts them (the smaller count of each), are then the size of
    the intersection of their sets. ``totals``: the number of n-grams per order."""

    grams: tuple[frozenset[str], ...]
    totals: tuple[int, ...]


def ngram_stats(text: str) -> NgramStats:
    """What sacrebleu's ``extract_all_char_ngrams(text, 6)`` extracts, as sets."""
    line = "".join(text.split())
    grams, totals = [], []
    found = list(line)
    for n in range(1, CHAR_ORDER + 1):
        if n > 1:
            found = list(map(add, found, line[n - 1 :]))  # each (n-1)-gram and the character after it
        counts = Counter(found)
        keys = list(counts)
        if len(counts) < len(found):
            # the k-th occurrence (k ≥ 2) of an n-gram: a key no n-gram can be (it is longer than n)
            for g, c in counts.items():
                if c > 1:
                    keys += map(add, repeat(g, c - 1), _occurrences(c))
        grams.append(frozenset(keys))
        totals.append(len(found))
    return NgramStats(tuple(grams), tuple(totals))


@lru_cache(maxsize=1024)
def _occurrences(count: int) -> tuple[str, ...]:
    """What follows an n-gram in the keys of its 2nd to ``count``-th occurrences."""
    return tuple(f"{_NTH}{k}" for k in range(2, count + 1))


def chrf(hyp: NgramStats, ref: NgramStats) -> float:
    """chrF (0–100) of a hypothesis against one reference, as ``sacrebleu.sentence_chrf``."""
    stats = [
        # sacrebleu counts no hypothesis n-grams of an order the reference lacks
        (h_total if r_total else 0, r_total, len(h & r))
        for h, r, h_total, r_total in zip(hyp.grams, ref.grams, hyp.totals, ref.totals)
    ]
    return _f_score(stats)


def _f_score(stats: list[tuple[int, int, int]]) -> float:
    """sacrebleu's ``CHRF._compute_f_score`` without eps smoothing, operation for operation."""
    factor = BETA**2
    avg_prec, avg_rec = 0.0, 0.0
    effective_order = 0
    for n_hyp, n_ref, n_match in stats:
        prec = n_match / n_hyp if n_hyp > 0 else _EPS
        rec = n_match / n_ref if n_ref > 0 else _EPS
        if n_hyp > 0 and n_ref > 0:
            avg_prec += prec
            avg_rec += rec
            effective_order += 1
    if effective_order == 0:
        avg_prec = avg_rec = 0.0
    else:
        avg_prec /= effective_order
        avg_rec /= effective_order
    if avg_prec + avg_rec:
        score = (1 + factor) * avg_prec * avg_rec
        score /= (factor * avg_prec) + avg_rec
        return 100 * score
    return 0.0


@dataclass
class NgramCache:
    """The n-gram statistics of every text asked for, extracted once (one per document: its MT and
    reference sentences, and the joins and prefixes its beads compare), and the score of every pair
    asked for (the baseline's random pairs repeat, and so do the pairs the beads compare)."""

    _stats: dict[str, NgramStats] = field(default_factory=dict)
    _scores: dict[tuple[str, str], float] = field(default_factory=dict)

    def stats(self, text: str) -> NgramStats:
        found = self._stats.get(text)
        if found is None:
            found = self._stats[text] = ngram_stats(text)
        return found

    def chrf(self, hyp: str, ref: str) -> float:
        """chrF (0–100) of ``hyp`` against ``ref``, as ``sacrebleu.sentence_chrf(hyp, [ref])``."""
        found = self._scores.get((hyp, ref))
        if found is None:
            found = self._scores[hyp, ref] = chrf(self.stats(hyp), self.stats(ref))
        return found
