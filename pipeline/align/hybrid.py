"""Aligners built on the sparse DP: ``hybrid`` (anchors + MT + length), ``lexical`` (no MT),
``mt`` (MT only, as Bleualign) and ``length`` (Gale–Church length ratio only, a baseline)."""

from __future__ import annotations

import heapq
import math
import logging
from collections import defaultdict
from collections.abc import Iterator, Sequence

from ..records import Bead, Sentence
from .base import Aligner, aligners
from .dp import BEADS, Step, align_sparse
from .lexicon import STOPWORDS, concept_matches, english, japanese, stem
from .signals import anchor_score, chrf_baseline, en_weight, length_similarity, mt_similarity

log = logging.getLogger(__name__)


class SignalAligner(Aligner):
    """Scores candidate beads with the enabled signals, then keeps the best monotone chain.

    Evidence (lexical anchors, MT) decides; length only modulates it. Candidate beads come from an
    inverted index of English stems (a source sentence is only compared with the reference sentences
    that share an anchor with it), so the work grows with the number of plausible pairs, not n × m.
    """

    use_mt = True
    use_lexical = True
    use_length_only = False

    # --- per-run preparation -------------------------------------------------------------------
    def _prepare(self, src: Sequence[Sentence], mt: Sequence[str], ref: Sequence[Sentence]) -> None:
        self.src, self.mt, self.ref = src, list(mt), ref
        self.concepts = [japanese(s.text) for s in src] if self.use_lexical else [[] for _ in src]
        self.en = [english(r.text) for r in ref]
        # idf: an anchor shared by many sentences of its side (Russia, Putin, NATO) tells little
        ja_df: dict[str, int] = defaultdict(int)
        for cs in self.concepts:
            for surface in {c.surface for c in cs}:
                ja_df[surface] += 1
        en_df: dict[str, int] = defaultdict(int)
        for e in self.en:
            for st in set(e.stems):
                en_df[st] += 1
        n, m = max(len(src), 1), max(len(ref), 1)
        idf = self.cfg.idf
        self.ja_w = [[c.weight * (math.log(1 + n / ja_df[c.surface]) if idf else 1.0) for c in cs] for cs in self.concepts]
        self.ja_total = [sum(ws) for ws in self.ja_w]
        self.en_weights = [
            [en_weight(w) * (math.log(1 + m / en_df[st]) if idf else 1.0) for w, st in zip(e.words, e.stems)]
            for e in self.en
        ]
        self.en_index: list[dict[str, set[int]]] = []
        for e in self.en:
            positions: dict[str, set[int]] = defaultdict(set)
            for k, st in enumerate(e.stems):
                positions[st].add(k)
            self.en_index.append(positions)
        self._pair_cache: dict[tuple[int, int], tuple[frozenset[int], frozenset[int]]] = {}
        self.baseline = 1.0
        if self.use_mt and any(x.strip() for x in self.mt):
            self.baseline = chrf_baseline(self.mt, [r.text for r in ref])
        self._cache: dict[tuple[int, int, int, int], tuple[float, dict[str, float]]] = {}

    def _keys_ja(self, i: int) -> set[str]:
        keys: set[str] = set()
        for c in self.concepts[i]:
            keys |= c.stems
        if self.use_mt and i < len(self.mt):
            keys |= {stem(w) for w in english(self.mt[i]).words if w.lower() not in STOPWORDS}
        return keys

    def _pairs(self) -> Iterator[tuple[int, int]]:
        """Plausible 1-1 pairs: the reference sentences sharing the rarest, heaviest anchors."""
        n, m = len(self.src), len(self.ref)
        if self.use_length_only:
            band = max(self.cfg.band, abs(n - m))
            for i in range(n):
                centre = i * m // max(n, 1)
                yield from ((i, j) for j in range(max(0, centre - band), min(m, centre + band + 1)))
            return
        index: dict[str, list[int]] = defaultdict(list)
        for j, e in enumerate(self.en):
            for s in set(e.stems):
                index[s].append(j)
        max_df = max(50, int(m**0.5))  # anchors common to more sentences are too vague to search by
        for i in range(n):
            votes: dict[int, float] = defaultdict(float)
            for key in self._keys_ja(i):
                posting = index.get(key, ())
                if 0 < len(posting) <= max_df:
                    w = 1.0 / len(posting)
                    for j in posting:
                        votes[j] += w
            for j in heapq.nlargest(self.cfg.max_candidates, votes, key=votes.__getitem__):
                yield i, j

    def _candidates(self) -> Iterator[Step]:
        n, m = len(self.src), len(self.ref)
        seen: set[tuple[int, int, int, int]] = set()
        ones = {(i, j): self.score(i, 1, j, 1) for i, j in self._pairs()}
        self._background(ones)
        for (i, j), raw in ones.items():
            one = self._confidence(i, 1, j, 1)
            if one > self.cfg.threshold:
                yield (i, 1, j, 1, one)
            if raw <= self.cfg.threshold / 2:
                continue  # a merged bead needs evidence in one of its parts
            for di, dj in BEADS:
                if not (di and dj) or di == dj == 1:
                    continue
                for i0 in {i, i - di + 1}:
                    for j0 in {j, j - dj + 1}:
                        key = (i0, di, j0, dj)
                        if i0 < 0 or j0 < 0 or i0 + di > n or j0 + dj > m or key in seen:
                            continue
                        seen.add(key)
                        sim = self._confidence(*key)
                        if sim > self.cfg.threshold:
                            yield (i0, di, j0, dj, sim)

    def _background(self, ones: dict[tuple[int, int], float]) -> None:
        """How similar each sentence is to its candidates in general (the mean of its best
        ``BACKGROUND_K``): a pair is trusted by how far it stands out from that (margin scoring),
        so that a sentence on the same topic as everything around it does not pair by default."""
        by_i: dict[int, list[float]] = defaultdict(list)
        by_j: dict[int, list[float]] = defaultdict(list)
        for (i, j), sim in ones.items():
            by_i[i].append(sim)
            by_j[j].append(sim)
        k = self.BACKGROUND_K
        # the best k+1, so that a pair's own score can be left out of its background
        self._bg_i = {i: sorted(v, reverse=True)[: k + 1] for i, v in by_i.items()}
        self._bg_j = {j: sorted(v, reverse=True)[: k + 1] for j, v in by_j.items()}

    BACKGROUND_K = 3

    def _confidence(self, i: int, di: int, j: int, dj: int) -> float:
        sim = self.score(i, di, j, dj)
        if not self.cfg.margin:
            return sim
        own = self._cache.get((i, 1, j, 1), (None,))[0]

        def bg(values: list[float]) -> float:
            rest = list(values)
            if own is not None and own in rest:
                rest.remove(own)
            rest = rest[: self.BACKGROUND_K]
            return sum(rest) / len(rest) if rest else 0.0

        background = (bg(self._bg_i.get(i, [])) + bg(self._bg_j.get(j, []))) / 2
        return max(0.0, sim - self.cfg.margin * background)

    # --- similarity ----------------------------------------------------------------------------
    def score(self, i: int, di: int, j: int, dj: int) -> float:
        key = (i, di, j, dj)
        if key not in self._cache:
            self._cache[key] = self._similarity(i, di, j, dj)
        return self._cache[key][0]

    def _similarity(self, i: int, di: int, j: int, dj: int) -> tuple[float, dict[str, float]]:
        ja = "".join(s.text for s in self.src[i : i + di])
        en = " ".join(r.text for r in self.ref[j : j + dj])
        partial = self.ref[j + dj - 1].partial
        signals: dict[str, float] = {}
        length = length_similarity(ja, en, partial)
        if self.use_length_only:
            return length, {"length": length}
        if self.use_lexical and (lex := self._lexical(i, di, j, dj, partial)) is not None:
            signals["lexical"] = lex
        if self.use_mt:
            hyp = " ".join(self.mt[i : i + di])
            if (mt := mt_similarity(hyp, en, self.baseline, partial)) is not None:
                signals["mt"] = mt
        if not signals:
            return 0.0, signals
        signals["length"] = length
        miss = 1.0
        for k, v in signals.items():
            if k != "length":
                miss *= 1 - v  # independent evidence: noisy-OR
        w = self.cfg.length_weight
        return (1 - miss) * (1 - w + w * length), signals

    def _pair(self, i: int, j: int) -> tuple[frozenset[int], frozenset[int]]:
        """(indices of the concepts of source i found in reference j, positions of the words they cover)."""
        key = (i, j)
        if key not in self._pair_cache:
            index = self.en_index[j]
            found, covered = set(), set()
            for ci, c in enumerate(self.concepts[i]):
                hits: set[int] = set()
                for st in c.stems:
                    if st in index:
                        hits |= index[st]
                if not hits and c.readings:
                    hits = concept_matches(c, self.en[j])
                if hits:
                    found.add(ci)
                    covered |= hits
            self._pair_cache[key] = (frozenset(found), frozenset(covered))
        return self._pair_cache[key]

    def _lexical(self, i: int, di: int, j: int, dj: int, partial: bool) -> float | None:
        total_ja = sum(self.ja_total[i : i + di])
        total_en = sum(sum(self.en_weights[k]) for k in range(j, j + dj))
        if not total_ja or not total_en:
            return None
        matched = 0.0
        for a in range(i, i + di):
            found: set[int] = set()
            for b in range(j, j + dj):
                found |= self._pair(a, b)[0]
            matched += sum(self.ja_w[a][c] for c in found)
        covered = 0.0
        for b in range(j, j + dj):
            positions: set[int] = set()
            for a in range(i, i + di):
                positions |= self._pair(a, b)[1]
            covered += sum(self.en_weights[b][k] for k in positions)
        return anchor_score(matched, total_ja, covered, total_en, partial)

    # --- the aligner ---------------------------------------------------------------------------
    def align(self, src: Sequence[Sentence], mt: Sequence[str], ref: Sequence[Sentence]) -> list[Bead]:
        self._prepare(src, mt, ref)
        path = align_sparse(len(src), len(ref), self._candidates(), self.cfg.threshold)
        beads = []
        for i, di, j, dj, sim in path:
            refs = ref[j : j + dj]
            linked = bool(di and dj)
            beads.append(
                Bead(
                    src_ids=[s.seg_id for s in src[i : i + di]],
                    ref_ids=[r.seg_id for r in refs],
                    score=round(sim, 4) if linked else 0.0,
                    partial=linked and any(r.partial for r in refs),
                    signals={k: round(v, 4) for k, v in self._cache[(i, di, j, dj)][1].items()} if linked else {},
                )
            )
        return beads


@aligners.register("hybrid")
class HybridAligner(SignalAligner):
    pass


@aligners.register("lexical")
class LexicalAligner(SignalAligner):
    use_mt = False


@aligners.register("mt")
class MTAligner(SignalAligner):
    use_lexical = False


@aligners.register("length")
class LengthAligner(SignalAligner):
    use_mt = False
    use_lexical = False
    use_length_only = True
