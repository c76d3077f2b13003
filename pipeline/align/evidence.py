"""The evidence that a source span and a reference span translate each other, for one document.

:class:`Evidence` analyses both sides once (Japanese concepts, English content stems, the chrF that
unrelated pairs reach) and then scores any bead (i, di, j, dj): ``lexical`` anchors, ``mt`` chrF
above its baseline, modulated by ``length``. It also proposes the plausible 1-1 pairs through an
inverted index of English stems, so that the work grows with the plausible pairs, not n × m. The
lexical anchors are bit masks (:mod:`.anchor_masks`); the texts beads are about to compare can be
announced (``expect_*``), so that their character n-grams are extracted together.
"""

from __future__ import annotations

import heapq
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass

from ..records import Sentence
from .anchor_masks import EnglishAnchors, SourceAnchors, matches
from .chrf import NgramCache
from .lexicon import content_words, english, japanese, vote_stem
from .params import PARAMS, AlignParams
from .signals import anchor_score, chrf_baseline, mt_similarity, prefix_size


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
        self.src_anchors = [SourceAnchors.of(cs, weights) for cs in self.concepts]
        self.en_anchors = [EnglishAnchors.of(e, weights) for e in self.en]
        self.src_chars = [len(s.text) for s in src]
        self.baseline = 1.0
        # each text's character n-grams, for the chrF of every pair (numbered over the document's MT and reference)
        refs = [r.text for r in ref]
        texts = self.mt if use.mt and not use.length_only else []
        self.ngrams = NgramCache.for_document(texts, refs if texts else [])
        if use.mt and any(x.strip() for x in self.mt):
            self.ngrams.score_sentences(self.mt, refs)  # the baseline's pairs and most beads'
            self.baseline = chrf_baseline(self.mt, refs, params.mt, self.ngrams)
        self._texts = (self.mt, refs)
        self._joined: dict[tuple[int, int, int], str] = {}  # (side, k, d) → texts k..k+d joined (side 0: MT)
        self._pair_cache: dict[int, tuple[int, int]] = {}  # i × len(ref) + j → matches(i, j)
        self._cache: dict[tuple[int, int, int, int], tuple[float, dict[str, float]]] = {}
        self._piece_anchors: dict[str, EnglishAnchors] = {}  # a piece of a reference (score_text): its anchors

    # --- candidates ----------------------------------------------------------------------------
    def _keys_ja(self, i: int) -> set[str]:
        keys: set[str] = set()
        for c in self.concepts[i]:
            keys |= c.stems
        if self.use.mt and i < len(self.mt):
            keys |= {st for w in content_words(self.mt[i]) if (st := vote_stem(w)) is not None}
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
        # per stem of few enough sentences: its vote, its sentences
        usable = {key: (1.0 / len(posting), posting) for key, posting in index.items() if len(posting) <= max_df}
        for i in range(n):
            votes: dict[int, float] = defaultdict(float)
            for key in self._keys_ja(i):
                if found := usable.get(key):
                    w, posting = found
                    for j in posting:
                        votes[j] += w
            for j in heapq.nlargest(max_candidates, votes, key=votes.__getitem__):
                yield i, j

    # --- scores --------------------------------------------------------------------------------
    def score(self, i: int, di: int, j: int, dj: int) -> float:
        found = self._cache.get((i, di, j, dj))
        return (found or self._scored(i, di, j, dj))[0]

    def signals(self, i: int, di: int, j: int, dj: int) -> dict[str, float]:
        return self._scored(i, di, j, dj)[1]

    @property
    def scored(self) -> int:
        """How many distinct beads were scored so far."""
        return len(self._cache)

    def _scored(self, i: int, di: int, j: int, dj: int) -> tuple[float, dict[str, float]]:
        key = (i, di, j, dj)
        found = self._cache.get(key)
        if found is None:
            found = self._cache[key] = self._similarity(i, di, j, dj)
        return found

    def _similarity(self, i: int, di: int, j: int, dj: int) -> tuple[float, dict[str, float]]:
        partial = self.ref[j + dj - 1].partial
        lexical = self.lexical(i, di, j, dj) if self.use.lexical and not self.use.length_only else None
        en = self.joined(1, j, dj)  # two joined: extracted with the document (NgramCache)
        mt = None
        if self.use.mt:
            mt = mt_similarity(self.joined(0, i, di), en, self.baseline, partial, self.params.mt, self.ngrams)
        return self._combine(i, di, en, partial, lexical, mt)

    def joined(self, side: int, k: int, d: int) -> str:
        """The MT (side 0) or reference (side 1) sentences k..k+d joined by a space (two: made once)."""
        texts = self._texts[side]
        if d == 1 and k < len(texts):
            return texts[k]
        key = (side, k, d)
        found = self._joined.get(key)
        if found is None:
            found = self._joined[key] = " ".join(texts[k : k + d])
        return found

    def expect_joins(self, sources: Iterable[int], references: Iterable[int]) -> None:
        """The MT sentences k, k + 1 (each k of ``sources``) and the reference sentences k, k + 1 (each
        of ``references``) that beads will join: their character n-grams extracted together."""
        if self.use.mt and not self.use.length_only:
            joins = [self.joined(0, k, 2) for k in sources] + [self.joined(1, k, 2) for k in references]
            self.ngrams.extract(joins)

    def expect_beads(self, beads: Iterable[tuple[int, int, int, int]]) -> None:
        """Beads (i, di, j, dj) about to be scored: the MT prefixes those with a truncated reference
        compare, made together (:meth:`.chrf.NgramCache.prefixes`)."""
        if self.use.mt and not self.use.length_only:
            size = self.params.mt.truncated_prefix
            self.ngrams.prefixes(
                (self.joined(0, i, di), prefix_size(self.joined(1, j, dj), size))
                for i, di, j, dj in beads
                if self.ref[j + dj - 1].partial
            )

    def expect_pieces(self, j: int, bounds: Sequence[tuple[int, int]]) -> None:
        """The pieces ``[start, end)`` of reference j that :meth:`score_text` will be asked for: their
        character n-grams extracted together (:meth:`.chrf.NgramCache.pieces`)."""
        self.ngrams.pieces(self.ref[j].text, bounds)

    def score_text(self, i: int, di: int, en: str, partial: bool) -> tuple[float, dict[str, float]]:
        """Score and signals of the source span against any English text (a piece of a reference
        sentence), by the same signals as :meth:`score`; not cached."""
        lexical = None
        if self.use.lexical and not self.use.length_only:
            side = self._piece_anchors.get(en)
            if side is None:  # a piece is scored against each source sentence a cut is weighed for: made once
                side = self._piece_anchors[en] = EnglishAnchors.of(english(en), self.params.anchors.kind_weight)
            similar = self.params.anchors.name_min_similarity
            lexical = self._anchors(i, di, [side], lambda a, _: matches(self.src_anchors[a], side, similar), 0, partial)
        mt = None
        if self.use.mt:
            hyp = self.joined(0, i, di)
            mt = mt_similarity(hyp, en, self.baseline, partial, self.params.mt, self.ngrams)
        return self._combine(i, di, en, partial, lexical, mt)

    def _combine(
        self, i: int, di: int, en: str, partial: bool, lexical: float | None, mt: float | None
    ) -> tuple[float, dict[str, float]]:
        """Noisy-OR of the lexical and MT evidence (None: none), modulated by the length ratio."""
        ja = self.src_chars[i] if di == 1 else sum(self.src_chars[i : i + di])  # the source sentences' characters
        model = self.params.evidence
        length = model.length.similarity(ja, len(en), model.en_per_ja, partial)
        if self.use.length_only:
            return length, {"length": length}
        signals: dict[str, float] = {}
        miss = 1.0
        if lexical is not None:
            signals["lexical"] = lexical
            miss *= 1 - lexical  # independent evidence: noisy-OR
        if mt is not None:
            signals["mt"] = mt
            miss *= 1 - mt
        if not signals:
            return 0.0, signals
        signals["length"] = length
        w = self.length_weight
        return (1 - miss) * (1 - w + w * length), signals

    def _pair(self, i: int, j: int) -> tuple[int, int]:
        """What source i finds in reference j (:func:`.anchor_masks.matches`), made once."""
        key = i * len(self.ref) + j
        found = self._pair_cache.get(key)
        if found is None:
            similar = self.params.anchors.name_min_similarity
            found = self._pair_cache[key] = matches(self.src_anchors[i], self.en_anchors[j], similar)
        return found

    def lexical(self, i: int, di: int, j: int, dj: int) -> float | None:
        """Weighted F1 of anchors (:func:`signals.anchor_score`) of the bead; None when either side
        has nothing to match."""
        return self._anchors(i, di, self.en_anchors[j : j + dj], self._pair, j, self.ref[j + dj - 1].partial)

    def _anchors(
        self, i: int, di: int, english: Sequence[EnglishAnchors], found_in: PairMatches, j: int, partial: bool
    ) -> float | None:
        """Anchor score of source sentences i..i+di against the given English sentences, numbered
        from ``j``; ``found_in(a, b)``: what source ``a`` finds in English sentence ``b`` (concepts,
        words)."""
        if di == len(english) == 1:  # a 1-1 bead
            source, target = self.src_anchors[i].weighed, english[0].weighed
            if not source.total or not target.total:
                return None
            concepts, words = found_in(i, j)
            matched, cover = source.weight(concepts), target.weight(words)
            return anchor_score(matched, source.total, cover, target.total, partial, self.params.anchors)
        sources = self.src_anchors[i : i + di]
        total_ja = sum(s.weighed.total for s in sources)
        total_en = sum(e.weighed.total for e in english)
        if not total_ja or not total_en:
            return None
        found = [0] * di  # per source sentence: its concepts matched
        covered = [0] * len(english)  # per English sentence: its words covered
        for x in range(di):
            for y in range(len(english)):
                concepts, words = found_in(i + x, j + y)
                found[x] |= concepts
                covered[y] |= words
        matched = sum(s.weighed.weight(f) for s, f in zip(sources, found))
        cover = sum(e.weighed.weight(c) for e, c in zip(english, covered))
        return anchor_score(matched, total_ja, cover, total_en, partial, self.params.anchors)


PairMatches = Callable[[int, int], tuple[int, int]]  # (source, English sentence) → (concepts found, words covered)
