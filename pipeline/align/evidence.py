"""The evidence that a source span and a reference span translate each other, for one document.

:class:`Evidence` analyses both sides once (Japanese concepts, English content stems, the chrF that
unrelated pairs reach) and then scores any bead (i, di, j, dj): ``lexical`` anchors, ``mt`` chrF
above its baseline, modulated by ``length``. It also proposes the plausible 1-1 pairs through an
inverted index of English stems, so that the work grows with the plausible pairs, not n × m.
"""

from __future__ import annotations

import heapq
from collections import defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from ..records import Sentence
from .chrf import NgramCache
from .lexicon import STOPWORDS, Concept, EnglishSide, content_words, english, japanese, name_matches, stem
from .params import PARAMS, AlignParams
from .signals import anchor_score, chrf_baseline, en_weight, mt_similarity


@dataclass(frozen=True)
class Signals:
    """Which signals an aligner uses."""

    mt: bool = True
    lexical: bool = True
    length_only: bool = False


class Evidence:
    """Bead scores of one document, cached: ``score(i, di, j, dj)`` in [0, 1] and its ``signals``."""

    def __init__(
        self,
        src: Sequence[Sentence],
        mt: Sequence[str],
        ref: Sequence[Sentence],
        use: Signals,
        length_weight: float,
        params: AlignParams = PARAMS,
    ) -> None:
        self.src, self.mt, self.ref, self.use = src, list(mt), ref, use
        self.length_weight, self.params = length_weight, params
        self.concepts = [japanese(s.text) for s in src] if use.lexical and not use.length_only else [[] for _ in src]
        self.en = [english(r.text) for r in ref]
        weights = params.anchors.kind_weight
        self.ja_w = [[weights.of(c.kind) for c in cs] for cs in self.concepts]
        self.ja_total = [sum(ws) for ws in self.ja_w]
        self.en_weights = [[en_weight(w, weights) for w in e.words] for e in self.en]
        self.en_index = [_stem_positions(e) for e in self.en]
        self.by_stem = [_concepts_by_stem(cs) for cs in self.concepts]
        self.baseline = 1.0
        # each text's character n-grams, for the chrF of every pair (numbered over the document's MT and reference)
        texts = self.mt if use.mt and not use.length_only else []
        self.ngrams = NgramCache.for_document(texts, [r.text for r in ref] if texts else [])
        if use.mt and any(x.strip() for x in self.mt):
            self.baseline = chrf_baseline(self.mt, [r.text for r in ref], params.mt, self.ngrams)
        self._pair_cache: dict[tuple[int, int], tuple[frozenset[int], frozenset[int]]] = {}
        self._cache: dict[tuple[int, int, int, int], tuple[float, dict[str, float]]] = {}

    # --- candidates ----------------------------------------------------------------------------
    def _keys_ja(self, i: int) -> set[str]:
        keys: set[str] = set()
        for c in self.concepts[i]:
            keys |= c.stems
        if self.use.mt and i < len(self.mt):
            keys |= {stem(w) for w in content_words(self.mt[i]) if w.lower() not in STOPWORDS}
        return keys

    def pairs(self, max_candidates: int, band: int) -> Iterator[tuple[int, int]]:
        """Plausible 1-1 pairs: the reference sentences sharing the rarest, heaviest anchors (a band
        around the diagonal when only length is used)."""
        n, m = len(self.src), len(self.ref)
        if self.use.length_only:
            band = max(band, abs(n - m))
            for i in range(n):
                centre = i * m // max(n, 1)
                yield from ((i, j) for j in range(max(0, centre - band), min(m, centre + band + 1)))
            return
        index: dict[str, list[int]] = defaultdict(list)
        for j, e in enumerate(self.en):
            for s in set(e.stems):
                index[s].append(j)
        cands = self.params.candidates
        max_df = max(cands.max_df_floor, int(m**cands.max_df_power))  # anchors more common are too vague
        for i in range(n):
            votes: dict[int, float] = defaultdict(float)
            for key in self._keys_ja(i):
                posting = index.get(key, ())
                if 0 < len(posting) <= max_df:
                    w = 1.0 / len(posting)
                    for j in posting:
                        votes[j] += w
            for j in heapq.nlargest(max_candidates, votes, key=votes.__getitem__):
                yield i, j

    # --- scores --------------------------------------------------------------------------------
    def score(self, i: int, di: int, j: int, dj: int) -> float:
        return self._scored(i, di, j, dj)[0]

    def signals(self, i: int, di: int, j: int, dj: int) -> dict[str, float]:
        return self._scored(i, di, j, dj)[1]

    @property
    def scored(self) -> int:
        """How many distinct beads were scored so far."""
        return len(self._cache)

    def _scored(self, i: int, di: int, j: int, dj: int) -> tuple[float, dict[str, float]]:
        key = (i, di, j, dj)
        if key not in self._cache:
            self._cache[key] = self._similarity(i, di, j, dj)
        return self._cache[key]

    def _similarity(self, i: int, di: int, j: int, dj: int) -> tuple[float, dict[str, float]]:
        partial = self.ref[j + dj - 1].partial
        lexical = self.lexical(i, di, j, dj) if self.use.lexical and not self.use.length_only else None
        en = " ".join(r.text for r in self.ref[j : j + dj])  # two joined: extracted with the document (NgramCache)
        return self._combine(i, di, en, partial, lexical)

    def score_text(self, i: int, di: int, en: str, partial: bool) -> tuple[float, dict[str, float]]:
        """Score and signals of the source span against any English text (a piece of a reference
        sentence), by the same signals as :meth:`score`; not cached."""
        lexical = None
        if self.use.lexical and not self.use.length_only:
            side = english(en)
            index = _stem_positions(side)
            matches = [[self._matches(a, side, index)] for a in range(i, i + di)]
            weights = [[en_weight(w, self.params.anchors.kind_weight) for w in side.words]]
            lexical = self._anchors(i, di, matches, weights, partial)
        return self._combine(i, di, en, partial, lexical)

    def _combine(
        self, i: int, di: int, en: str, partial: bool, lexical: float | None
    ) -> tuple[float, dict[str, float]]:
        """Noisy-OR of the lexical and MT evidence, modulated by the length ratio."""
        ja = "".join(s.text for s in self.src[i : i + di])
        signals: dict[str, float] = {}
        model = self.params.evidence
        length = model.length.similarity(len(ja), len(en), model.en_per_ja, partial)
        if self.use.length_only:
            return length, {"length": length}
        if lexical is not None:
            signals["lexical"] = lexical
        if self.use.mt:
            hyp = " ".join(self.mt[i : i + di])
            if (mt := mt_similarity(hyp, en, self.baseline, partial, self.params.mt, self.ngrams)) is not None:
                signals["mt"] = mt
        if not signals:
            return 0.0, signals
        signals["length"] = length
        miss = 1.0
        for k, v in signals.items():
            if k != "length":
                miss *= 1 - v  # independent evidence: noisy-OR
        w = self.length_weight
        return (1 - miss) * (1 - w + w * length), signals

    def _matches(self, i: int, side: EnglishSide, index: dict[str, set[int]]) -> tuple[frozenset[int], frozenset[int]]:
        """(indices of the concepts of source i found in ``side``, positions of the words they cover)."""
        found: set[int] = set()
        covered: set[int] = set()
        by_stem, stemmed = self.by_stem[i], set()
        for st in index.keys() & by_stem.keys():  # the concepts with a stem of the side, from the stems both hold
            stemmed.update(by_stem[st])
        similar = self.params.anchors.name_min_similarity
        for ci, c in enumerate(self.concepts[i]):  # in order: the sets are made as they always were
            if ci in stemmed:
                found.add(ci)
                covered.update(*map(index.__getitem__, index.keys() & c.stems))
            elif c.readings and (hits := name_matches(c, side, similar)):
                found.add(ci)
                covered |= hits
        return frozenset(found), frozenset(covered)

    def _pair(self, i: int, j: int) -> tuple[frozenset[int], frozenset[int]]:
        key = (i, j)
        if key not in self._pair_cache:
            self._pair_cache[key] = self._matches(i, self.en[j], self.en_index[j])
        return self._pair_cache[key]

    def lexical(self, i: int, di: int, j: int, dj: int) -> float | None:
        """Weighted F1 of anchors (:func:`signals.anchor_score`) of the bead; None when either side
        has nothing to match."""
        matches = [[self._pair(a, b) for b in range(j, j + dj)] for a in range(i, i + di)]
        return self._anchors(i, di, matches, self.en_weights[j : j + dj], self.ref[j + dj - 1].partial)

    def _anchors(
        self,
        i: int,
        di: int,
        matches: list[list[tuple[frozenset[int], frozenset[int]]]],
        weights: Sequence[list[float]],
        partial: bool,
    ) -> float | None:
        """Anchor score of source sentences i..i+di against English sentences of the given word
        weights; ``matches[x][y]``: what source i+x finds in English sentence y."""
        total_ja = sum(self.ja_total[i : i + di])
        total_en = sum(map(sum, weights))
        if not total_ja or not total_en:
            return None
        found: list[set[int]] = [set() for _ in range(di)]  # per source sentence: its concepts matched
        positions: list[set[int]] = [set() for _ in weights]  # per English sentence: its words covered
        for x, row in enumerate(matches):
            for y, (concepts, words) in enumerate(row):
                found[x] |= concepts
                positions[y] |= words
        # each set summed in its own order, from 0, as sum(w[c] for c in cs) sums it
        matched = sum(sum(map(self.ja_w[i + x].__getitem__, cs)) for x, cs in enumerate(found))
        covered = sum(sum(map(weights[y].__getitem__, ks)) for y, ks in enumerate(positions))
        return anchor_score(matched, total_ja, covered, total_en, partial, self.params.anchors)


def _concepts_by_stem(concepts: Sequence[Concept]) -> dict[str, list[int]]:
    """The concepts (their indices) that carry each stem."""
    by_stem: dict[str, list[int]] = defaultdict(list)
    for ci, c in enumerate(concepts):
        for st in c.stems:
            by_stem[st].append(ci)
    return by_stem


def _stem_positions(side: EnglishSide) -> dict[str, set[int]]:
    positions: dict[str, set[int]] = defaultdict(set)
    for k, st in enumerate(side.stems):
        positions[st].add(k)
    return positions
