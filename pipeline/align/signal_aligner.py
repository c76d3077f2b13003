"""The aligner the registered methods share: evidence chain, gaps, confidence, cut references.

Decisions, in order: score candidate beads (:mod:`.evidence`), keep the heaviest monotone chain of
beads above ``align.threshold`` (:mod:`.dp`; made again without a merge into a truncated reference that
no cut splits) — where the document's paragraphs correspond, made without pairs of a heading with the
other side's body and less the links that stray into another paragraph or enter a source paragraph from
inside a reference one (:mod:`.paragraphs`) or link a truncated reference away from where its
neighbours expect it (:mod:`.position`) —, re-align the sentences between its links by length, paragraphs
and evidence (:mod:`.gaps`), in a whole reference align again the links beside a sentence left out
(:mod:`.orphans`), link crosswise two neighbours the translator swapped (:mod:`.swap`),
let a link take in an unaligned neighbour where their lengths say the two render one
(:mod:`.extend`), give each link a calibrated confidence
(:mod:`.confidence`), leave unaligned the gap links (and the chain links to a truncated reference)
under ``align.min_confidence``, and cut a
reference sentence that renders two source sentences where they imply (:mod:`.split`; a merge into
a truncated reference is linked only when cut). The methods (:mod:`.hybrid`, :mod:`.lexical`,
:mod:`.mt`, :mod:`.length`) differ only in the signals they use.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field

from ..records import Bead, Sentence
from .base import Aligner
from .dp import BEADS, Box, Span, Step, best_chain, fill_gaps
from .evidence import Evidence, Signals
from .extend import extend_links
from .gaps import GapCosts, coverage, en_per_ja, gaps, merges_into_truncated
from .gc_pause import gc_paused
from .link import Link
from .orphans import gap_links, realign_orphans
from .paragraphs import (
    crosses_paragraph,
    lone_both_ways,
    paragraph_agreement,
    without_inside_entries,
    without_lone_mismatches,
    without_strays,
)
from .position import without_off_line
from .split import best_cut
from .swap import crossing_links, crosswise, with_crossing

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Plan:
    """What a document's links are decided from: the chain (with its gap links), which of them were
    chain links, English characters per Japanese character, the paragraph agreement and the links
    that cross the chain (:mod:`.swap`; chain links too)."""

    chain: list[Step]
    anchored: frozenset[Span]
    ratio: float
    agreement: float
    crossing: list[Step] = field(default_factory=list)


def sentence_ids(ev: Evidence, step: Step) -> tuple[list[str], list[str]]:
    """The ids of the source and reference sentences ``step`` joins."""
    return [s.seg_id for s in ev.src[step.i : step.i + step.di]], [r.seg_id for r in ev.ref[step.j : step.j + step.dj]]


def unlinked(ev: Evidence, step: Step) -> list[Bead]:
    """Every sentence of ``step`` left unaligned, one bead each."""
    src, ref = sentence_ids(ev, step)
    return [Bead([i], [], 0.0) for i in src] + [Bead([], [j], 0.0) for j in ref]


class SignalAligner(Aligner):
    """Scores candidate beads with the enabled signals, keeps the best monotone chain, fills its gaps."""

    use = Signals()

    def candidates(self, ev: Evidence) -> Iterator[Step]:
        """Linked beads scoring above the threshold: plausible 1-1 pairs and the 2-1 / 1-2 beads
        around them (never across a paragraph break: a heading is not merged with what follows), their
        score weighed by ``align.merge_weight`` (most beads are 1-1: a merge must earn its place). The
        pairs are scored first, so that the merges' neighbours and prefixes are made together."""
        threshold = self.cfg.threshold
        seed = threshold * self.params.candidates.merge_seed_share  # a merged bead needs evidence in one of its parts
        pairs = list(ev.pairs(self.cfg.max_candidates, self.cfg.band))
        ev.expect_beads((i, 1, j, 1) for i, j in pairs)
        ones = [(i, j, ev.score(i, 1, j, 1)) for i, j in pairs]
        seen: set[Span] = set()
        around = [self.merges(ev, i, j, seen) if one > seed else [] for i, j, one in ones]
        self.expect_merges(ev, [span for spans in around for span in spans])
        for (i, j, one), spans in zip(ones, around):
            if one > threshold:
                yield Step(i, 1, j, 1, one)
            for span in spans:
                if (sim := ev.score(*span) * self.cfg.merge_weight) > threshold:
                    yield Step(*span, sim)

    @staticmethod
    def expect_merges(ev: Evidence, merges: list[Span]) -> None:
        """The neighbours that ``merges`` join, and the beads themselves, announced together
        (:meth:`.Evidence.expect_joins`, :meth:`.Evidence.expect_beads`)."""
        ev.expect_joins(sorted({s.i for s in merges if s.di == 2}), sorted({s.j for s in merges if s.dj == 2}))
        ev.expect_beads(merges)

    @staticmethod
    def merges(ev: Evidence, i: int, j: int, seen: set[Span]) -> list[Span]:
        """The 2-1 / 1-2 beads around the pair (i, j) not listed yet, in one paragraph on each side."""
        n, m = len(ev.src), len(ev.ref)
        out = []
        for di, dj in BEADS:
            if not (di and dj) or di == dj == 1:
                continue
            for i0 in {i, i - di + 1}:
                for j0 in {j, j - dj + 1}:
                    key = Span(i0, di, j0, dj)
                    if i0 < 0 or j0 < 0 or i0 + di > n or j0 + dj > m or key in seen:
                        continue
                    seen.add(key)
                    if not (crosses_paragraph(ev.src, i0, di) or crosses_paragraph(ev.ref, j0, dj)):
                        out.append(key)
        return out

    def full_reference(self, ev: Evidence, ratio: float) -> bool:
        """Whether the reference renders the whole document, judged by length (:func:`.gaps.coverage`)."""
        return coverage(ev.src, ev.ref, ratio, self.params.gaps.length) >= self.cfg.full_coverage

    def en_per_ja(self, ev: Evidence, chain: list[Step]) -> float:
        """The document's English characters per Japanese one, from ``chain``'s links (:func:`.gaps.en_per_ja`)."""
        return en_per_ja(ev.src, ev.ref, chain, self.params.evidence.en_per_ja, self.params.gaps.ratio_min_links)

    def gap_costs(self, ev: Evidence, full: bool, agreement: float) -> GapCosts:
        """The gap DP's costs for this document: skipping is dear where the reference is a full
        translation (``full``: :meth:`full_reference`), cheap where it is partial."""
        params = self.params.gaps
        skip = self.cfg.skip_full if full else self.cfg.skip_partial
        return GapCosts.for_document(params, skip, agreement, lone_both_ways(ev.src, ev.ref, params.lone_share_ratio))

    def fill(self, ev: Evidence, chain: list[Step], ratio: float, costs: GapCosts) -> list[Step]:
        """The chain plus the links of the gap DP between its links."""
        extra: list[Step] = []
        boxes: list[Box] = []
        for box in gaps(chain, len(ev.src), len(ev.ref)):
            if max(box.i1 - box.i0, box.j1 - box.j0) > self.cfg.gap_max:
                log.debug("gap %s left as it is: longer than align.gap_max=%d", tuple(box), self.cfg.gap_max)
                continue
            boxes.append(box)
        self.expect_gaps(ev, boxes)
        for box in boxes:
            extra.extend(gap_links(ev, box, ratio, costs))
        return sorted([*chain, *extra])

    def expect_gaps(self, ev: Evidence, boxes: Sequence[Box]) -> None:
        """The beads the gap DP scores in ``boxes`` (every linked shape at every cell, :func:`.gaps.align_gap`)
        and the neighbours they join, announced together (:meth:`.Evidence.expect_joins`,
        :meth:`.Evidence.expect_beads`)."""
        shapes = [shape for shape, _ in self.params.gaps.bead_prior.items()]
        beads = [
            (i, di, j, dj)
            for i0, i1, j0, j1 in boxes
            for di, dj in shapes
            for i in range(i0, i1 - di + 1)
            for j in range(j0, j1 - dj + 1)
        ]
        ev.expect_joins(
            sorted({i for i, di, _, _ in beads if di == 2}), sorted({j for _, _, j, dj in beads if dj == 2})
        )
        ev.expect_beads(beads)

    @staticmethod
    def expect_crossing(ev: Evidence, links: Sequence[Step], anchored: set[Span]) -> None:
        """The pairs that cross the 1-1 chain links (:func:`.swap.crossing_links` scores them), announced
        together (:meth:`.Evidence.expect_beads`)."""
        n, m = len(ev.src), len(ev.ref)
        pairs = (p for s in links if (s.di, s.dj) == (1, 1) and s.span in anchored for p in crosswise(s))
        ev.expect_beads((i, 1, j, 1) for i, j in pairs if 0 <= i < n and 0 <= j < m)

    @property
    def cut_references(self) -> bool:
        return self.cfg.cut_references and not self.use.length_only

    def uncut_merges(self, ev: Evidence, chain: list[Step]) -> set[Span]:
        """The chain's merges into a truncated reference that no cut splits: :meth:`decide` leaves them
        unaligned, both source sentences with them (:func:`.gaps.merges_into_truncated`)."""
        ratio = self.en_per_ja(ev, chain)
        return {
            step.span
            for step in chain
            if merges_into_truncated(ev.ref, step.di, step.j, step.dj)
            and not (self.cut_references and best_cut(ev, step.i, step.j, ratio))
        }

    def chain(self, ev: Evidence, candidates: list[Step]) -> list[Step]:
        """The heaviest chain of ``candidates``, made again without its uncut merges into a truncated
        reference (:meth:`uncut_merges`), so that the gap DP may link their sentences one to one."""
        chain = best_chain(candidates, len(ev.ref), self.cfg.threshold)
        if uncut := self.uncut_merges(ev, chain):
            chain = best_chain([c for c in candidates if c.span not in uncut], len(ev.ref), self.cfg.threshold)
        return chain

    def plan(self, ev: Evidence) -> Plan:
        """The evidence chain (without headings paired with the other side's body, less its strays),
        the document's ratio and agreement, the gaps filled, the crossing links, the links grown."""
        src, ref, params = ev.src, ev.ref, self.params
        candidates = list(self.candidates(ev))
        chain = self.chain(ev, candidates)
        agreement = paragraph_agreement(src, ref, chain, params.gaps.agreement_min_links)
        if agreement > 0:
            # the document's paragraphs correspond: no heading is linked into the other side's body (the
            # chain is made again without such links), and a link that jumps into the middle of a
            # paragraph strays
            chain = self.chain(ev, without_lone_mismatches(src, ref, candidates, params.gaps.lone_share_ratio))
            chain = without_strays(src, ref, chain)
            # nor a link to a truncated reference away from where its neighbours expect it
            chain = without_off_line(src, ref, chain, params.gaps.truncated_off_line)
            # or one that starts a source paragraph from inside its reference paragraph
            chain = without_inside_entries(src, ref, chain)
        anchored = {step.span for step in chain}
        ratio = self.en_per_ja(ev, chain)
        # only where the chain has links: a reference nothing of which could be linked stays unaligned
        if self.cfg.realign_gaps and not self.use.length_only and len(chain) >= self.cfg.min_anchors:
            full = self.full_reference(ev, ratio)
            costs = self.gap_costs(ev, full, agreement)
            filled = self.fill(ev, chain, ratio, costs)
            if full and not any(r.partial for r in ref):
                # a sentence left out of a whole reference (no excerpt: nothing truncated): its neighbours again
                links, cut = params.gaps.orphan_links, self.cut_references
                filled = realign_orphans(ev, filled, ratio, costs, links, self.cfg.gap_max, cut)
            # sentences the translator swapped, linked crosswise on their evidence, as chain links are
            self.expect_crossing(ev, filled, anchored)
            crossing, filled = crossing_links(ev, filled, anchored, self.cfg.threshold)
            chain = extend_links(ev, filled, ratio, costs, crossing)
            # a chain link grown over its neighbour stays a chain link
            anchored |= {new.span for old, new in zip(filled, chain) if old.span in anchored}
            anchored |= {step.span for step in crossing}
            return Plan(chain, frozenset(anchored), ratio, agreement, crossing)
        return Plan(chain, frozenset(anchored), ratio, agreement)

    def decide(self, ev: Evidence, step: Step, plan: Plan) -> list[Bead]:
        """The beads of one step of the path: unaligned sentences, a link, or the two pieces of a cut."""
        if not step.linked:
            return [Bead(*sentence_ids(ev, step), 0.0)]  # a 1-0 or 0-1 bead
        i, di, j, dj, sim = step
        whole = Link(i, di, j, dj, sim, step.span in plan.anchored)
        features = whole.features(ev, plan.ratio, plan.agreement)
        # a gap link, or a chain link to a truncated reference (whose evidence is the precision of a few
        # words), more likely wrong than right
        judged = not whole.anchored or ev.ref[j + dj - 1].partial
        doubtful = judged and self.params.confidence.calibration(features) < self.cfg.min_confidence
        cut = best_cut(ev, i, j, plan.ratio) if (di, dj) == (2, 1) and self.cut_references and not doubtful else None
        if doubtful or (cut is None and merges_into_truncated(ev.ref, di, j, dj)):
            return unlinked(ev, step)  # a doubtful link, or a merge only precision favours
        if cut is None:
            return [whole.bead(ev, features)]
        return [
            part.bead(ev, part.features(ev, plan.ratio, plan.agreement))
            for part in whole.pieces(cut, len(ev.ref[j].text))
        ]

    def align(self, src: Sequence[Sentence], mt: Sequence[str], ref: Sequence[Sentence]) -> list[Bead]:
        with gc_paused():  # the document's evidence is freed (by reference counting) before the collector resumes
            return self._align(src, mt, ref)

    def _align(self, src: Sequence[Sentence], mt: Sequence[str], ref: Sequence[Sentence]) -> list[Bead]:
        ev = Evidence(src, mt, ref, self.use, self.cfg.length_weight, self.params)
        plan = self.plan(ev)
        path = with_crossing(fill_gaps(plan.chain, len(src), len(ref)), plan.crossing)
        return [bead for step in path for bead in self.decide(ev, step, plan)]
