"""Aligners built on the sparse DP: ``hybrid`` (anchors + MT + length), ``lexical`` (no MT),
``mt`` (MT only, as Bleualign) and ``length`` (Gale–Church length ratio only, a baseline)."""

from __future__ import annotations

import heapq
import logging
from collections import defaultdict
from collections.abc import Iterator, Sequence

from ..records import Bead, Sentence
from .base import Aligner, aligners
from .dp import BEADS, Step, align_sparse
from .lexicon import STOPWORDS, EnglishSide, english, japanese, stem
from .signals import chrf_baseline, length_similarity, lexical_similarity, mt_similarity

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
        cap = max(self.cfg.max_candidates, int(0.05 * m))
        for i in range(n):
            votes: dict[int, float] = defaultdict(float)
            for key in self._keys_ja(i):
                posting = index.get(key, ())
                if 0 < len(posting) <= 4 * cap:
                    w = 1.0 / len(posting)
                    for j in posting:
                        votes[j] += w
            for j in heapq.nlargest(self.cfg.max_candidates, votes, key=votes.__getitem__):
                yield i, j

    def _candidates(self) -> Iterator[Step]:
        n, m = len(self.src), len(self.ref)
        seen: set[tuple[int, int, int, int]] = set()
        for i, j in self._pairs():
            for di, dj in BEADS:
                if not (di and dj):
                    continue
                for i0 in {i, i - di + 1}:
                    for j0 in {j, j - dj + 1}:
                        key = (i0, di, j0, dj)
                        if i0 < 0 or j0 < 0 or i0 + di > n or j0 + dj > m or key in seen:
                            continue
                        seen.add(key)
                        sim = self.score(*key)
                        if sim > self.cfg.threshold:
                            yield (i0, di, j0, dj, sim)

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
        if self.use_lexical:
            concepts = [c for k in range(i, i + di) for c in self.concepts[k]]
            words = [w for k in range(j, j + dj) for w in self.en[k].words]
            if (lex := lexical_similarity(concepts, EnglishSide(words), partial)) is not None:
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
