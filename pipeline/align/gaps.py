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
from .dp import Scorer, Step, trace_back

BEAD_PRIOR = {(1, 1): 0.89, (2, 1): 0.0445, (1, 2): 0.0445}
LENGTH_SIGMA = 0.35  # spread of log(English length / expected length) for a true bead
TRUNCATED_SHARE = 0.6  # a reference sentence ending in "…" keeps about this share of its length


@dataclass(frozen=True)
class GapCosts:
    """Costs of the gap DP (in nats); ``skip`` is the cost of leaving one sentence unaligned."""

    skip: float
    evidence_weight: float = 4.0
    paragraph_cross: float = 6.0  # a bead whose sentences lie in different paragraphs (a heading merged)
    paragraph_start: float = 2.0  # a bead starting a paragraph on one side only
    # a bead in the same paragraph as a bounding link on one side only (a reference paragraph split
    # between two source paragraphs)
    paragraph_jump: float = 2.0
    paragraph_stray: float = 0.0  # more for a jump that lands inside a paragraph (:func:`strays`)

    @classmethod
    def for_document(cls, skip: float, agreement: float) -> GapCosts:
        """The costs for a document whose paragraphs correspond as far as ``agreement`` says
        (:func:`paragraph_agreement`): a jump into a paragraph costs 6 nats more where the reference
        is a translation paragraph for paragraph, nothing more where its paragraphs are unrelated."""
        return cls(skip=skip, paragraph_stray=6.0 * agreement)


def en_per_ja(src: Sequence[Sentence], ref: Sequence[Sentence], chain: Sequence[Step], default: float) -> float:
    """English characters per Japanese character, from the chain's untruncated links (≥ 3 of them)."""
    a = b = 0
    links = 0
    for i, di, j, dj, _ in chain:
        if di and dj and not any(r.partial for r in ref[j : j + dj]):
            a += sum(len(s.text) for s in src[i : i + di])
            b += sum(len(r.text) for r in ref[j : j + dj])
            links += 1
    return b / a if links >= 3 and a and b else default


def paragraph_agreement(src: Sequence[Sentence], ref: Sequence[Sentence], chain: Sequence[Step]) -> float:
    """How far this document's reference keeps the source's paragraphs, in [0, 1], from the chain's
    links: of the links that start a paragraph on either side, the share that start one on both,
    mapped so that half or less is 0 (paragraphs unrelated: a teaser, a re-flowed translation) and
    all is 1 (a translation paragraph for paragraph). Fewer than two such links say nothing: 1."""
    either = both = 0
    for i, di, j, dj, _ in chain:
        if di and dj:
            a, b = starts_paragraph(src, i), starts_paragraph(ref, j)
            either += a or b
            both += a and b
    return 1.0 if either < 2 else max(0.0, 2 * both / either - 1)


def jumps_paragraph(src: Sequence[Sentence], ref: Sequence[Sentence], before: Step, after: Step) -> bool:
    """Whether link ``after`` stays in the paragraph where link ``before`` ends on one side only (a
    reference paragraph split between two source paragraphs, or the other way round)."""
    i, di, j, dj, _ = before
    return (src[after[0]].para_id == src[i + di - 1].para_id) != (ref[after[2]].para_id == ref[j + dj - 1].para_id)


def lands_inside(src: Sequence[Sentence], ref: Sequence[Sentence], before: Step, after: Step) -> bool:
    """For a link ``after`` that jumps a paragraph from link ``before``: whether it lands in the middle
    of the paragraph it moves to (not at its start, where a re-flowed reference would put it)."""
    i, di, _, _, _ = before
    if src[after[0]].para_id != src[i + di - 1].para_id:
        return not starts_paragraph(src, after[0])
    return not starts_paragraph(ref, after[2])


def strays(src: Sequence[Sentence], ref: Sequence[Sentence], before: Step, after: Step) -> bool:
    """Whether link ``after`` jumps a paragraph from link ``before`` (:func:`jumps_paragraph`) into the
    middle of one: where a reference re-flows the paragraphs, a link that leaves its paragraph on one
    side starts the next paragraph there."""
    return jumps_paragraph(src, ref, before, after) and lands_inside(src, ref, before, after)


def without_strays(src: Sequence[Sentence], ref: Sequence[Sentence], chain: Sequence[Step]) -> list[Step]:
    """The chain less every link that strays (:func:`strays`) from the link kept before it."""
    kept: list[Step] = []
    for step in chain:
        if not kept or not strays(src, ref, kept[-1], step):
            kept.append(step)
    return kept


def coverage(src: Sequence[Sentence], ref: Sequence[Sentence], ratio: float) -> float:
    """Share of the source the reference renders, judged by length (1 for a full translation)."""
    ja = sum(len(s.text) for s in src)
    en = sum(len(r.text) / (TRUNCATED_SHARE if r.partial else 1.0) for r in ref)
    return en / (ja * ratio) if ja else 0.0


def length_logp(ja: int, en: int, ratio: float, truncated: bool) -> float:
    """log P(length ratio) of a bead: two-sided Gaussian tail of the log ratio, in (−∞, 0]."""
    if not ja or not en:
        return -30.0
    expected = ja * ratio * (TRUNCATED_SHARE if truncated else 1.0)
    z = abs(math.log(en / expected)) / LENGTH_SIGMA
    return math.log(max(math.erfc(z / math.sqrt(2)), 1e-13))


def starts_paragraph(sents: Sequence[Sentence], k: int) -> bool:
    return k == 0 or sents[k].para_id != sents[k - 1].para_id


def merges_into_truncated(ref: Sequence[Sentence], di: int, j: int, dj: int) -> bool:
    """Whether a bead joins several source sentences with a reference that ends truncated. A truncated
    reference renders a prefix of its source and is judged by precision alone, which a longer source
    never lowers: such a bead is linked only when its reference is cut (:mod:`.split`)."""
    return di > 1 and ref[j + dj - 1].partial


def crosses_paragraph(sents: Sequence[Sentence], k: int, d: int) -> bool:
    return any(sents[x].para_id != sents[k].para_id for x in range(k + 1, k + d))


def paragraph_jumps(
    src: Sequence[Sentence], ref: Sequence[Sentence], bead: tuple[int, int, int, int], box: tuple[int, int, int, int]
) -> tuple[int, int]:
    """How many of the links bounding ``box`` (the one ending at (i0 − 1, j0 − 1), the one starting at
    (i1, j1)) share a paragraph with ``bead`` on one side only (:func:`jumps_paragraph`), and how many
    of those jumps land inside a paragraph (:func:`strays`)."""
    i0, i1, j0, j1 = box
    step = (*bead, 0.0)
    pairs = []
    if i0 and j0:
        pairs.append(((i0 - 1, 1, j0 - 1, 1, 0.0), step))
    if i1 < len(src) and j1 < len(ref):
        pairs.append((step, (i1, 1, j1, 1, 0.0)))
    jumps = stray = 0
    for before, after in pairs:
        if jumps_paragraph(src, ref, before, after):
            jumps += 1
            stray += lands_inside(src, ref, before, after)
    return jumps, stray


def bead_cost(
    shape: tuple[int, int], ja: int, en: int, ratio: float, truncated: bool, evidence: float, costs: GapCosts
) -> float:
    """−log(bead prior) − log P(length ratio) − evidence weight × evidence: a bead of ``shape`` joining
    ``ja`` source characters with ``en`` reference characters, before any paragraph penalty."""
    return -math.log(BEAD_PRIOR[shape]) - length_logp(ja, en, ratio, truncated) - costs.evidence_weight * evidence


def link_cost(
    src: Sequence[Sentence],
    ref: Sequence[Sentence],
    bead: tuple[int, int, int, int],
    ratio: float,
    evidence: float,
    costs: GapCosts,
    box: tuple[int, int, int, int] | None = None,
) -> float:
    i, di, j, dj = bead
    ja = sum(len(s.text) for s in src[i : i + di])
    en = sum(len(r.text) for r in ref[j : j + dj])
    cost = bead_cost((di, dj), ja, en, ratio, ref[j + dj - 1].partial, evidence, costs)
    if crosses_paragraph(src, i, di) or crosses_paragraph(ref, j, dj):
        cost += costs.paragraph_cross
    if starts_paragraph(src, i) != starts_paragraph(ref, j):
        cost += costs.paragraph_start
    if box is not None:
        jumps, stray = paragraph_jumps(src, ref, bead, box)
        cost += costs.paragraph_jump * jumps + costs.paragraph_stray * stray
    return cost


def align_gap(
    src: Sequence[Sentence],
    ref: Sequence[Sentence],
    box: tuple[int, int, int, int],
    ratio: float,
    evidence: Scorer,
    costs: GapCosts,
) -> list[tuple[int, int, int, int, float]]:
    """The cheapest path through ``box`` = (i0, i1, j0, j1); returns its links as (i, di, j, dj, cost)."""
    i0, i1, j0, j1 = box
    n, m = i1 - i0, j1 - j0
    best = [[math.inf] * (m + 1) for _ in range(n + 1)]
    back: list[list[tuple[int, int, float] | None]] = [[None] * (m + 1) for _ in range(n + 1)]
    best[0][0] = 0.0
    for a in range(n + 1):
        for b in range(m + 1):
            here = best[a][b]
            if here == math.inf:
                continue
            for da, db in ((1, 0), (0, 1), *BEAD_PRIOR):
                if a + da > n or b + db > m:
                    continue
                if da and db:
                    bead = (i0 + a, da, j0 + b, db)
                    step = link_cost(src, ref, bead, ratio, evidence(*bead), costs, box)
                else:
                    step = costs.skip
                if here + step < best[a + da][b + db]:
                    best[a + da][b + db] = here + step
                    back[a + da][b + db] = (da, db, step)
    return [(i0 + a, da, j0 + b, db, step) for a, da, b, db, step in trace_back(back, n, m) if da and db]


def gaps(chain: Sequence[Step], n: int, m: int) -> list[tuple[int, int, int, int]]:
    """The boxes (i0, i1, j0, j1) between consecutive links of a chain, with sentences on both sides."""
    out = []
    i = j = 0
    for bi, di, bj, dj, _ in [*chain, (n, 0, m, 0, 0.0)]:
        if bi > i and bj > j:
            out.append((i, bi, j, bj))
        i, j = bi + di, bj + dj
    return out
