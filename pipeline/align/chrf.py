"""Sentence chrF from n-gram statistics kept per text, for the many pairs an aligner compares.

sacrebleu's ``CHRF().sentence_score(hyp, [ref])`` extracts both sides' character n-grams again for
every pair; an aligner compares each sentence with dozens of others. :class:`NgramCache` numbers a
document's character n-grams once and keeps each text's occurrences per order as a bit mask
(:mod:`.ngrams`): its sentences are extracted together when the cache is made, two neighbours
joined, prefixes and pieces of a cut reference when beads are about to compare them (several
together), any other text when asked for; its sentence pairs are scored together
(:mod:`.chrf_table`). :func:`chrf` computes the score of a pair from
the two masks (the n-grams they share: ``(h & r).bit_count()``) with the same integer counts and the
same floating-point operations as sacrebleu 2.x's default chrF (character 6-grams, no word n-grams,
β = 2, whitespace removed, effective-order averaging), so the result is the same number
(tests/test_align_chrf.py checks it against ``sacrebleu.sentence_chrf``). sacrebleu stays the scorer
of record (``pipeline/score``).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np
from sacrebleu.metrics import CHRF

from ..score.chrf import averaged_f
from . import ngrams
from .chrf_table import MAX_TABLE_BYTES, chrf_table
from .ngrams import ORDERS, Keys, Occurrences, Vocabulary, codepoints, located, masks, masks_of, occurrences

BETA = CHRF.BETA  # recall weighs twice as much as precision
# A document whose references hold under this share of its characters (partial references, a short
# document's few) numbers their n-grams alone, the MT's looked up in them: an MT n-gram no reference
# has gets no bit (fewer n-grams sorted, smaller masks); above it, MT and references numbered together.
REFERENCES_SHARE = 0.4


@dataclass(frozen=True)
class NgramStats:
    """The character n-grams of one text (whitespace removed), per order 1..6: ``keys``, the bits of
    its occurrences in the document's vocabulary (:mod:`.ngrams`); ``extra``, its occurrences outside
    it (n-gram + ``ngrams.NTH`` + occurrence number; empty where it has none of any order);
    ``totals``, the number of n-grams of each order it has (a text of 3 characters: orders 1 to 3)."""

    keys: Keys
    extra: tuple[frozenset[str], ...]
    totals: tuple[int, ...]


@lru_cache(maxsize=4096)
def _totals(size: int) -> tuple[int, ...]:
    return tuple(size - n + 1 for n in range(1, min(size, ORDERS) + 1))


def _outside(extra: Sequence[frozenset[str]]) -> tuple[frozenset[str], ...]:
    """``NgramStats.extra``: empty where no order has an occurrence outside the vocabulary."""
    return tuple(extra) if any(extra) else ()


def ngram_stats(texts: Sequence[str], vocab: Vocabulary | None = None) -> list[NgramStats]:
    """The statistics of each text, as sacrebleu's ``extract_all_char_ngrams(text, 6)`` counts them
    (looked up in ``vocab``; without one, every n-gram is kept as a string)."""
    vocab = vocab or Vocabulary()
    lines = ["".join(t.split()) for t in texts]
    occ = occurrences(vocab, lines)
    return [
        NgramStats(keys, _outside(extra), _totals(len(line)))
        for keys, extra, line in zip(masks(vocab, occ, len(lines)), occ.extra, lines)
    ]


def chrf(hyp: NgramStats, ref: NgramStats) -> float:
    """chrF (0–100) of a hypothesis against one reference, as ``sacrebleu.sentence_chrf``: sacrebleu's
    ``CHRF._compute_f_score`` without eps smoothing, operation for operation (an order one side lacks
    adds nothing: sacrebleu counts no hypothesis n-grams of an order the reference lacks)."""
    prec_sum, rec_sum = 0.0, 0.0
    effective_order = 0
    outside = hyp.extra and ref.extra  # both have n-grams outside the vocabulary
    for h, r, n_hyp, n_ref in zip(hyp.keys, ref.keys, hyp.totals, ref.totals):  # the orders both have
        both = h & r
        n_match = both.bit_count() if type(both) is int else len(both)
        if outside:
            n_match += len(hyp.extra[effective_order] & ref.extra[effective_order])
        prec_sum += n_match / n_hyp
        rec_sum += n_match / n_ref
        effective_order += 1
    return averaged_f(prec_sum, rec_sum, effective_order, BETA)


@dataclass
class NgramCache:
    """The n-gram statistics of every text asked for, extracted once (one cache per document: its MT
    and reference sentences, and the joins and prefixes its beads compare), and the score of every
    pair asked for (the baseline's random pairs repeat, and so do the pairs the beads compare).
    ``vocabulary``: the document's n-grams (:meth:`for_document`); without it every text's n-grams
    are kept as strings (the same scores, slower)."""

    vocabulary: Vocabulary = field(default_factory=Vocabulary)
    _stats: dict[str, NgramStats] = field(default_factory=dict)
    # a hypothesis's occurrences (where they are; then its bits per order), for its prefixes
    _located: dict[str, tuple[Occurrences, int] | list[np.ndarray]] = field(default_factory=dict)
    _scores: dict[tuple[str, str], float] = field(default_factory=dict)
    # a text of the streams not extracted yet (two neighbours joined; in a large document a sentence too): side,
    # its place in the streams
    _spans: dict[str, tuple[int, tuple[int, int]]] = field(default_factory=dict)
    # per order: the n-gram at each position of the MT stream, then of the reference stream (-1 between)
    _numbers: list[np.ndarray] = field(default_factory=list)
    _places: dict[str, tuple[int, int]] = field(default_factory=dict)  # a sentence: its side, where it starts
    _unbitted: set[str] = field(default_factory=set)  # texts with occurrences past their n-grams' room
    _uncounted: bool = False  # the MT stream's n-grams looked up in the references' (only then are some unbitted)

    @classmethod
    def for_document(cls, mt: Sequence[str], ref: Sequence[str]) -> NgramCache:
        """A cache for a document's MT and reference sentences, with the statistics of each sentence,
        extracted together, and of each two neighbours joined (the texts of 2-1 and 1-2 beads) when
        asked for (:meth:`extract` several together); in a document whose masks would be sets
        (``ngrams.MASK_BITS``), each sentence too."""
        lines = [["".join(x.split()) for x in side] for side in (mt, ref)]
        second = sum(map(len, lines[0]))  # where the reference stream starts (no n-gram spans the two)
        # references far shorter than the MT: bits for their n-grams only (:meth:`_score`)
        ref_chars = sum(map(len, lines[1]))
        few = ref_chars < REFERENCES_SHARE * (second + ref_chars)
        vocab, numbers = Vocabulary.of([codepoints("".join(side)) for side in lines], counted=[1] if few else None)
        rows = [np.concatenate([a, np.full(second - len(a), -1), b]) for a, b in zip(*numbers)]
        cache = cls(vocab, _numbers=rows, _uncounted=few)
        texts, spans, sides = [], [], []
        for side, (sentences, stripped) in enumerate(zip((mt, ref), lines)):
            ends = (np.cumsum([0, *map(len, stripped)]) + side * second).tolist()
            for k in range(len(sentences) - 1):
                cache._spans.setdefault(" ".join(sentences[k : k + 2]), (side, (ends[k], ends[k + 2])))
            texts += sentences
            spans += [(ends[k], ends[k + 1]) for k in range(len(sentences))]
            sides += [side] * len(sentences)
            for text, start in zip(sentences, ends):
                cache._places.setdefault(text, (side, start))
        if vocab.bits > ngrams.MASK_BITS:
            for text, side, span in zip(texts, sides, spans):
                cache._spans.setdefault(text, (side, span))
        else:
            cache._keep(texts, spans, sides)
        return cache

    def extract(self, texts: Iterable[str]) -> None:
        """Extract together the statistics of those of ``texts`` that are sentences of the document or
        two neighbours joined, not extracted yet."""
        todo = {text: self._spans.pop(text) for text in dict.fromkeys(texts) if text in self._spans}
        if todo:
            self._keep(list(todo), [span for _, span in todo.values()], [side for side, _ in todo.values()])

    def _keep(self, texts: list[str], spans: list[tuple[int, int]], sides: list[int]) -> None:
        """Keep the statistics of ``texts``, pieces ``spans`` of the streams, of ``sides`` (side 0's are
        hypotheses, whose occurrences are kept for their prefixes)."""
        occ = located(self.vocabulary, self._numbers, spans)
        if self._uncounted:
            self._unbitted.update(texts[t] for t in occ.unbitted())
        for t, (text, keys) in enumerate(zip(texts, masks(self.vocabulary, occ, len(texts)))):
            if text not in self._stats:
                self._stats[text] = NgramStats(keys, _outside(occ.extra[t]), _totals(spans[t][1] - spans[t][0]))
                if sides[t] == 0:
                    self._located[text] = (occ, t)

    def pieces(self, text: str, bounds: Sequence[tuple[int, int]]) -> None:
        """Extract together the statistics of the pieces ``text[start:end]`` of a sentence of the
        document (a reference cut in two, :mod:`.split`), each a piece of its side's stream."""
        place = self._places.get(text)
        if place is None:
            return
        side, offset = place
        todo: dict[str, tuple[int, int]] = {}
        for start, end in bounds:
            piece = text[start:end]
            if piece not in self._stats and piece not in todo:
                first = offset + len("".join(text[:start].split()))
                todo[piece] = (first, first + len("".join(piece.split())))
        if todo:
            self._keep(list(todo), list(todo.values()), [side] * len(todo))

    def prefix(self, text: str, size: int) -> str:
        """``text[:size]``, whose statistics, when ``text`` is a hypothesis of the document, are its
        first n-grams'."""
        piece = text[:size]
        if piece not in self._stats:
            self.prefixes([(text, size)])
        return piece

    def prefixes(self, wanted: Iterable[tuple[str, int]]) -> None:
        """Make together the statistics of the prefixes ``text[:size]`` of hypotheses of the document
        (their first n-grams'), those not made yet."""
        wanted = list(wanted)
        self.extract(text for text, _ in wanted)
        todo: dict[str, tuple[list[np.ndarray], int]] = {}
        for text, size in wanted:
            piece = text[:size]
            if piece not in self._stats and piece not in todo and (bits := self._hypothesis_bits(text)) is not None:
                length = len("".join(piece.split()))
                todo[piece] = ([b[: max(length - n + 1, 0)] for n, b in enumerate(bits, 1)], length)
                if text in self._unbitted:  # its prefix may have occurrences without bits too
                    self._unbitted.add(piece)
        if not todo:
            return
        pieces = [order for bits, _ in todo.values() for order in bits]  # each prefix's bits of each order
        owner = np.repeat(np.arange(len(todo)).repeat(ORDERS), [len(order) for order in pieces])
        made = masks_of(self.vocabulary, owner, np.concatenate(pieces), len(todo))
        for (piece, (_, length)), keys in zip(todo.items(), made):
            self._stats[piece] = NgramStats(keys, (), _totals(length))

    def _hypothesis_bits(self, text: str) -> list[np.ndarray] | None:
        """A hypothesis's bits per order, in its order of position (None: not a hypothesis of the document)."""
        whole = self._located.get(text)
        if whole is None:
            return None
        if isinstance(whole, tuple):
            whole = self._located[text] = whole[0].of_text(whole[1])
        return whole

    def stats(self, text: str) -> NgramStats:
        found = self._stats.get(text)
        if found is None:
            if text in self._spans:
                side, span = self._spans.pop(text)
                self._keep([text], [span], [side])
                return self._stats[text]
            found = self._stats[text] = ngram_stats([text], self.vocabulary)[0]
        return found

    def score_sentences(self, mt: Sequence[str], ref: Sequence[str]) -> None:
        """Score every MT sentence of the document against every reference sentence together
        (:func:`.chrf_table.chrf_table`, the numbers :meth:`chrf` gives), unless the document's masks
        are sets or its table would pass ``chrf_table.MAX_TABLE_BYTES``."""
        hyps, refs = list(dict.fromkeys(mt)), list(dict.fromkeys(ref))
        if len(hyps) * len(refs) * self.vocabulary.bits // 8 > MAX_TABLE_BYTES:
            return
        stats = [self._stats.get(text) for text in (*hyps, *refs)]
        if not hyps or not refs or any(s is None or s.extra or not all(type(k) is int for k in s.keys) for s in stats):
            return
        table = chrf_table(stats[: len(hyps)], stats[len(hyps) :], self.vocabulary, BETA).tolist()
        for hyp, scores in zip(hyps, table):
            self._scores.update(zip(((hyp, r) for r in refs), scores))

    def chrf(self, hyp: str, ref: str) -> float:
        """chrF (0–100) of ``hyp`` against ``ref``, as ``sacrebleu.sentence_chrf(hyp, [ref])``."""
        found = self._scores.get((hyp, ref))
        if found is None:
            found = self._scores[hyp, ref] = self._score(hyp, ref)
        return found

    def _score(self, hyp: str, ref: str) -> float:
        """Where references are short (under ``REFERENCES_SHARE``) the bits are the reference stream's
        n-grams, as often as they occur there at most (a hypothesis's other occurrences have none):
        exact for a reference with no occurrence outside them (a piece of the reference stream: a
        sentence, neighbours joined, a piece of one), and another (a hypothesis's) is scored from the two
        texts' n-grams as strings. Otherwise both streams are numbered together and every occurrence
        has a bit."""
        theirs = self.stats(ref)
        if theirs.extra or ref in self._unbitted:
            return chrf(*ngram_stats([hyp, ref]))
        return chrf(self.stats(hyp), theirs)
