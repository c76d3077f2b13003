"""Aligners built on the DP: ``hybrid`` (anchors + MT + length), ``lexical`` (no MT), ``mt`` (MT only)."""

from __future__ import annotations

from collections.abc import Sequence

from ..records import Bead, Sentence
from .base import Aligner, aligners
from .dp import align_dp
from .signals import anchor_similarity, length_similarity, mt_similarity


class SignalAligner(Aligner):
    """Combines the signals: evidence (anchors, MT) decides, length only modulates it."""

    use_mt = True
    use_anchors = True

    def similarity(self, ja: str, mt: str, en: str, partial: bool) -> tuple[float, dict[str, float]]:
        signals: dict[str, float] = {}
        if self.use_anchors and (a := anchor_similarity(ja, en)) is not None:
            signals["anchors"] = a
        if self.use_mt and (m := mt_similarity(mt, en, partial)) is not None:
            signals["mt"] = m
        if not signals:
            return 0.0, signals
        length = 1.0 if partial else length_similarity(ja, en)
        signals["length"] = length
        evidence = max(v for k, v in signals.items() if k != "length")
        return evidence * (0.6 + 0.4 * length), signals

    def align(self, src: Sequence[Sentence], mt: Sequence[str], ref: Sequence[Sentence]) -> list[Bead]:
        details: dict[tuple[int, int, int, int], tuple[float, dict[str, float]]] = {}

        def score(i: int, di: int, j: int, dj: int) -> float:
            key = (i, di, j, dj)
            if key not in details:
                ja = "".join(s.text for s in src[i : i + di])
                hyp = " ".join(mt[i : i + di])
                en = " ".join(r.text for r in ref[j : j + dj])
                partial = ref[j + dj - 1].partial
                details[key] = self.similarity(ja, hyp, en, partial)
            return details[key][0]

        beads = []
        for i, di, j, dj, sim in align_dp(len(src), len(ref), score, self.cfg.threshold):
            refs = ref[j : j + dj]
            beads.append(
                Bead(
                    src_ids=[s.seg_id for s in src[i : i + di]],
                    ref_ids=[r.seg_id for r in refs],
                    score=round(sim, 4),
                    partial=any(r.partial for r in refs),
                    signals={k: round(v, 4) for k, v in details.get((i, di, j, dj), (0, {}))[1].items()},
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
    use_anchors = False
