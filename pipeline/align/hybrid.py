"""The aligners: ``hybrid`` (anchors + MT + length), ``lexical`` (no MT), ``mt`` (MT only, as
Bleualign) and ``length`` (length ratio only, a baseline).

Decisions, in order: score candidate beads (:mod:`.evidence`), keep the heaviest monotone chain of
beads above ``align.threshold`` (:mod:`.dp`) less the links that stray into another paragraph where
the document's paragraphs correspond, re-align the sentences between its links by length, paragraphs and
evidence (:mod:`.gaps`), give each link a calibrated confidence (:mod:`.confidence`), leave
unaligned the gap links under ``align.min_confidence``, and cut a reference sentence that renders
two source sentences where they imply (:mod:`.split`; a merge into a truncated reference is linked
only when cut).
"""

from __future__ import annotations

import logging
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from ..records import Bead, Sentence
from .base import Aligner, aligners
from .confidence import CALIBRATION, BeadFeatures
from .dp import BEADS, Step, best_chain, fill_gaps
from .evidence import Evidence, Signals
from .gaps import (
    GapCosts,
    align_gap,
    coverage,
    crosses_paragraph,
    en_per_ja,
    gaps,
    length_logp,
    merges_into_truncated,
    paragraph_agreement,
    starts_paragraph,
    without_strays,
)
from .signals import EN_CHARS_PER_JA_CHAR
from .split import best_cut, piece

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Link:
    """A linked bead as decided: sources i..i+di with references j..j+dj, or with the piece ``span``
    of reference j (:mod:`.split`)."""

    i: int
    di: int
    j: int
    dj: int
    evidence: float
    anchored: bool  # a link of the evidence chain (or a piece of one)
    span: tuple[int, int] | None = None
    signals: dict[str, float] | None = None  # a piece's signals, as scored when it was cut

    def reference(self, ev: Evidence) -> tuple[str, bool]:
        """(its English, whether that ends in a truncated reference's "…")."""
        refs = ev.ref[self.j : self.j + self.dj]
        if self.span is None:
            return " ".join(r.text for r in refs), refs[-1].partial
        return piece(refs[0], *self.span)

    def features(self, ev: Evidence, ratio: float, agreement: float) -> BeadFeatures:
        """What its confidence is computed from; ``agreement``: how far the document's paragraphs
        correspond (:func:`.gaps.paragraph_agreement`), which a paragraph mismatch is weighed by."""
        en, truncated = self.reference(ev)
        ja = sum(len(s.text) for s in ev.src[self.i : self.i + self.di])
        return BeadFeatures(
            evidence=self.evidence,
            length_logp=length_logp(ja, len(en), ratio, truncated),
            anchored=self.anchored,
            # the second piece of a cut sentence starts no paragraph
            paragraph_mismatch=agreement
            * (
                starts_paragraph(ev.src, self.i)
                != (starts_paragraph(ev.ref, self.j) and not (self.span and self.span[0]))
            ),
        )

    def bead(self, ev: Evidence, features: BeadFeatures) -> Bead:
        """The bead, its confidence from ``features`` (:meth:`features`)."""
        signals = self.signals if self.signals is not None else ev.signals(self.i, self.di, self.j, self.dj)
        return Bead(
            src_ids=[s.seg_id for s in ev.src[self.i : self.i + self.di]],
            ref_ids=[r.seg_id for r in ev.ref[self.j : self.j + self.dj]],
            score=max(round(CALIBRATION(features), 4), 0.0001),
            partial=self.reference(ev)[1],
            signals={k: round(v, 4) for k, v in {**signals, **features.signals()}.items()},
            ref_span=list(self.span) if self.span else None,
        )


class SignalAligner(Aligner):
    """Scores candidate beads with the enabled signals, keeps the best monotone chain, fills its gaps."""

    use = Signals()

    def candidates(self, ev: Evidence) -> Iterator[Step]:
        """Linked beads scoring above the threshold: plausible 1-1 pairs and the 2-1 / 1-2 beads
        around them (never across a paragraph break: a heading is not merged with what follows), their
        score weighed by ``align.merge_weight`` (most beads are 1-1: a merge must earn its place)."""
        n, m, threshold = len(ev.src), len(ev.ref), self.cfg.threshold
        seen: set[tuple[int, int, int, int]] = set()
        for i, j in ev.pairs(self.cfg.max_candidates, self.cfg.band):
            one = ev.score(i, 1, j, 1)
            if one > threshold:
                yield (i, 1, j, 1, one)
            if one <= threshold / 2:
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
                        if crosses_paragraph(ev.src, i0, di) or crosses_paragraph(ev.ref, j0, dj):
                            continue
                        if (sim := ev.score(*key) * self.cfg.merge_weight) > threshold:
                            yield (i0, di, j0, dj, sim)

    def fill(self, ev: Evidence, chain: list[Step], ratio: float, agreement: float) -> list[Step]:
        """The chain plus the links of the gap DP between its links (only when it has some: a
        reference nothing of which could be linked stays unaligned)."""
        if len(chain) < self.cfg.min_anchors:
            return chain
        full = coverage(ev.src, ev.ref, ratio) >= self.cfg.full_coverage
        costs = GapCosts.for_document(self.cfg.skip_full if full else self.cfg.skip_partial, agreement)
        extra: list[Step] = []
        for box in gaps(chain, len(ev.src), len(ev.ref)):
            if max(box[1] - box[0], box[3] - box[2]) > self.cfg.gap_max:
                log.debug("gap %s left as it is: longer than align.gap_max=%d", box, self.cfg.gap_max)
                continue
            extra.extend(
                (i, di, j, dj, ev.score(i, di, j, dj))
                for i, di, j, dj, _ in align_gap(ev.src, ev.ref, box, ratio, ev.score, costs)
            )
        return sorted([*chain, *extra])

    @property
    def cut_references(self) -> bool:
        return self.cfg.cut_references and not self.use.length_only

    def align(self, src: Sequence[Sentence], mt: Sequence[str], ref: Sequence[Sentence]) -> list[Bead]:
        ev = Evidence(src, mt, ref, self.use, self.cfg.length_weight)
        chain = best_chain(list(self.candidates(ev)), len(ref), self.cfg.threshold)
        agreement = paragraph_agreement(src, ref, chain)
        if agreement > 0:
            # the document's paragraphs correspond: a link that jumps into the middle of a paragraph strays
            chain = without_strays(src, ref, chain)
        anchored = {step[:4] for step in chain}
        ratio = en_per_ja(src, ref, chain, EN_CHARS_PER_JA_CHAR)
        if self.cfg.realign_gaps and not self.use.length_only:
            chain = self.fill(ev, chain, ratio, agreement)
        beads = []
        for i, di, j, dj, sim in fill_gaps(chain, len(src), len(ref)):
            if not (di and dj):
                beads.append(Bead([s.seg_id for s in src[i : i + di]], [r.seg_id for r in ref[j : j + dj]], 0.0))
                continue
            whole = Link(i, di, j, dj, sim, (i, di, j, dj) in anchored)
            features = whole.features(ev, ratio, agreement)
            doubtful = not whole.anchored and CALIBRATION(features) < self.cfg.min_confidence
            cut = best_cut(ev, i, j, ratio) if (di, dj) == (2, 1) and self.cut_references and not doubtful else None
            if doubtful or (cut is None and merges_into_truncated(ref, di, j, dj)):
                # a gap guess more likely wrong than right, or a merge that only precision favours
                beads.extend(Bead([s.seg_id], [], 0.0) for s in src[i : i + di])
                beads.extend(Bead([], [r.seg_id], 0.0) for r in ref[j : j + dj])
                continue
            if cut is None:
                beads.append(whole.bead(ev, features))
                continue
            (first, first_signals), (second, second_signals) = cut.pieces
            for part in (
                Link(i, 1, j, 1, first, whole.anchored, (0, cut.end), first_signals),
                Link(i + 1, 1, j, 1, second, whole.anchored, (cut.start, len(ref[j].text)), second_signals),
            ):
                beads.append(part.bead(ev, part.features(ev, ratio, agreement)))
        return beads


@aligners.register("hybrid")
class HybridAligner(SignalAligner):
    pass


@aligners.register("lexical")
class LexicalAligner(SignalAligner):
    use = Signals(mt=False)


@aligners.register("mt")
class MTAligner(SignalAligner):
    use = Signals(lexical=False)


@aligners.register("length")
class LengthAligner(SignalAligner):
    use = Signals(mt=False, lexical=False, length_only=True)
