"""Second pass: fill the gaps between confident links by length, paragraph structure and evidence.

The evidence-driven chain (``dp.best_chain``) links only what it is sure of. Between two of its
links — or before the first / after the last — the unlinked source and reference sentences are
re-aligned by a small Gale–Church-style DP (beads 1-1, 2-1, 1-2, 1-0, 0-1) whose link cost is
−log(bead prior) − log P(length ratio) − evidence + paragraph penalties (a bead that starts a
paragraph on one side only; a bead that shares a paragraph with a bounding link on one side only, so
that a reference paragraph is not split between two source paragraphs, the more so where it lands
inside a paragraph of a document whose paragraphs correspond), and whose skip cost depends
on how much of the document the reference covers (:func:`coverage`): a full reference leaves little
unaligned, so skipping is dear; a partial one leaves whole paragraphs out, so skipping is cheap.
The confident links bound every gap, so a length error cannot run past them (Gale–Church's weakness).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from ..records import Sentence
from .dp import Box, Scorer, Shape, Span, Step, trace_back
from .length_model import LengthModel
from .paragraphs import crosses_paragraph, lone_mismatch, paragraph_jumps, starts_paragraph
from .params import PARAMS, GapParams


@dataclass(frozen=True)
class GapCosts:
    """Costs of the gap DP for one document (in nats): ``skip``, the cost of leaving one sentence
    unaligned; ``paragraph_stray``, the extra cost of a jump that lands inside a paragraph; the rest
    from ``params``."""

    skip: float
    paragraph_stray: float = 0.0
    paragraph_lone: float = 0.0  # a 1-1 bead pairing a heading with the other side's body
    lone_both_ways: bool = True  # a lone reference sentence with the source's body too (:mod:`.paragraphs`)
    params: GapParams = PARAMS.gaps

    @classmethod
    def for_document(cls, params: GapParams, skip: float, agreement: float, lone_both_ways: bool = True) -> GapCosts:
        """The costs for a document whose paragraphs correspond as far as ``agreement`` says
        (:func:`.paragraphs.paragraph_agreement`): a jump into a paragraph, or a heading paired with
        the other side's body (:func:`.paragraphs.lone_mismatch`), costs ``params.stray_per_agreement``
        (``params.lone_per_agreement``) nats more where the reference is a translation paragraph for
        paragraph, nothing more where its paragraphs are unrelated."""
        return cls(
            skip=skip,
            paragraph_stray=params.stray_per_agreement * agreement,
            paragraph_lone=params.lone_per_agreement * agreement,
            lone_both_ways=lone_both_ways,
            params=params,
        )


def en_per_ja(
    src: Sequence[Sentence], ref: Sequence[Sentence], chain: Sequence[Step], default: float, min_links: int
) -> float:
    """English characters per Japanese character, from the chain's untruncated links (≥ ``min_links``
    of them; else ``default``)."""
    a = b = 0
    links = 0
    for i, di, j, dj, _ in chain:
        if di and dj and not any(r.partial for r in ref[j : j + dj]):
            a += sum(len(s.text) for s in src[i : i + di])
            b += sum(len(r.text) for r in ref[j : j + dj])
            links += 1
    return b / a if links >= min_links and a and b else default


def coverage(src: Sequence[Sentence], ref: Sequence[Sentence], ratio: float, length: LengthModel) -> float:
    """Share of the source the reference renders, judged by length (1 for a full translation); a
    truncated reference counts as the length it would have whole (``length.truncated_share``)."""
    ja = sum(len(s.text) for s in src)
    en = sum(len(r.text) / (length.truncated_share if r.partial else 1.0) for r in ref)
    return en / (ja * ratio) if ja else 0.0


def merges_into_truncated(ref: Sequence[Sentence], di: int, j: int, dj: int) -> bool:
    """Whether a bead joins several source sentences with a reference that ends truncated. A truncated
    reference renders a prefix of its source and is judged by precision alone, which a longer source
    never lowers: such a bead is linked only when its reference is cut (:mod:`.split`)."""
    return di > 1 and ref[j + dj - 1].partial


def bead_cost(
    shape: tuple[int, int], ja: int, en: int, ratio: float, truncated: bool, evidence: float, costs: GapCosts
) -> float:
    """−log(bead prior) − log P(length ratio) − evidence weight × evidence: a bead of ``shape`` joining
    ``ja`` source characters with ``en`` reference characters, before any paragraph penalty."""
    p = costs.params
    return -math.log(p.bead_prior.of(shape)) - p.length.logp(ja, en, ratio, truncated) - p.evidence_weight * evidence


def link_cost(
    src: Sequence[Sentence],
    ref: Sequence[Sentence],
    bead: Span,
    ratio: float,
    evidence: float,
    costs: GapCosts,
    box: Box | None = None,
) -> float:
    i, di, j, dj = bead
    ja = sum(len(s.text) for s in src[i : i + di])
    en = sum(len(r.text) for r in ref[j : j + dj])
    cost = bead_cost(Shape(di, dj), ja, en, ratio, ref[j + dj - 1].partial, evidence, costs)
    p = costs.params
    if crosses_paragraph(src, i, di) or crosses_paragraph(ref, j, dj):
        cost += p.paragraph_cross
    if starts_paragraph(src, i) != starts_paragraph(ref, j):
        cost += p.paragraph_start
    if costs.paragraph_lone and lone_mismatch(src, ref, Step(i, di, j, dj, 0.0), costs.lone_both_ways):
        cost += costs.paragraph_lone
    if box is not None:
        jumps, stray = paragraph_jumps(src, ref, Span(*bead), box)
        cost += p.paragraph_jump * jumps + costs.paragraph_stray * stray
    return cost


def align_gap(
    src: Sequence[Sentence],
    ref: Sequence[Sentence],
    box: Box,
    ratio: float,
    evidence: Scorer,
    costs: GapCosts,
) -> list[Step]:
    """The cheapest path through ``box``; returns its links as steps valued by their cost."""
    box = Box(*box)
    n, m = box.i1 - box.i0, box.j1 - box.j0
    best = [[math.inf] * (m + 1) for _ in range(n + 1)]
    back: list[list[tuple[int, int, float] | None]] = [[None] * (m + 1) for _ in range(n + 1)]
    best[0][0] = 0.0
    shapes = ((1, 0), (0, 1), *(shape for shape, _ in costs.params.bead_prior.items()))
    for a in range(n + 1):
        for b in range(m + 1):
            here = best[a][b]
            if here == math.inf:
                continue
            for da, db in shapes:
                if a + da > n or b + db > m:
                    continue
                if da and db:
                    bead = Span(box.i0 + a, da, box.j0 + b, db)
                    step = link_cost(src, ref, bead, ratio, evidence(*bead), costs, box)
                else:
                    step = costs.skip
                if here + step < best[a + da][b + db]:
                    best[a + da][b + db] = here + step
                    back[a + da][b + db] = (da, db, step)
    return [Step(box.i0 + a, da, box.j0 + b, db, step) for a, da, b, db, step in trace_back(back, n, m) if da and db]


def gaps(chain: Sequence[Step], n: int, m: int) -> list[Box]:
    """The boxes between consecutive links of a chain, with sentences on both sides."""
    out = []
    i = j = 0
    for bi, di, bj, dj, _ in [*chain, Step(n, 0, m, 0, 0.0)]:
        if bi > i and bj > j:
            out.append(Box(i, bi, j, bj))
        i, j = bi + di, bj + dj
    return out
