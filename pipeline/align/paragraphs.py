"""The paragraph model: where a bead starts or crosses a paragraph, how far a document's reference
keeps the source's paragraphs, and which links jump or stray from one paragraph to another.

A heading is a paragraph of its own, so a bead across a paragraph break merges a heading with what
follows it. Where the reference is a translation paragraph for paragraph (its *paragraph
agreement* is high), a link that stays in its paragraph on one side and lands in the middle of
another paragraph on the other *strays*; a link that starts the other side's next paragraph is a
re-flow (a reference running two source paragraphs into one) and does not. A link to a truncated
reference that moves to a new paragraph on both sides, starting the source's but inside the
reference's, *enters inside*: the reference sentences before it have nowhere to go.
"""

from __future__ import annotations

from collections.abc import Sequence

from ..records import Sentence
from .dp import Box, Span, Step


def starts_paragraph(sents: Sequence[Sentence], k: int) -> bool:
    return k == 0 or sents[k].para_id != sents[k - 1].para_id


def crosses_paragraph(sents: Sequence[Sentence], k: int, d: int) -> bool:
    if d == 2:  # a merge's two sentences (most calls)
        return sents[k + 1].para_id != sents[k].para_id
    return any(sents[x].para_id != sents[k].para_id for x in range(k + 1, k + d))


def paragraph_agreement(
    src: Sequence[Sentence], ref: Sequence[Sentence], chain: Sequence[Step], min_links: int
) -> float:
    """How far this document's reference keeps the source's paragraphs, in [0, 1], from the chain's
    links: of the links that start a paragraph on either side, the share that start one on both,
    mapped so that half or less is 0 (paragraphs unrelated: a teaser, a re-flowed translation) and
    all is 1 (a translation paragraph for paragraph). Fewer than ``min_links`` such links say
    nothing: 1."""
    either = both = 0
    for step in chain:
        if step.linked:
            a, b = starts_paragraph(src, step.i), starts_paragraph(ref, step.j)
            either += a or b
            both += a and b
    return 1.0 if either < min_links else max(0.0, 2 * both / either - 1)


def jumps_paragraph(src: Sequence[Sentence], ref: Sequence[Sentence], before: Step, after: Step) -> bool:
    """Whether link ``after`` stays in the paragraph where link ``before`` ends on one side only (a
    reference paragraph split between two source paragraphs, or the other way round)."""
    same_src = src[after.i].para_id == src[before.i + before.di - 1].para_id
    same_ref = ref[after.j].para_id == ref[before.j + before.dj - 1].para_id
    return same_src != same_ref


def lands_inside(src: Sequence[Sentence], ref: Sequence[Sentence], before: Step, after: Step) -> bool:
    """For a link ``after`` that jumps a paragraph from link ``before``: whether it lands in the middle
    of the paragraph it moves to (not at its start, where a re-flowed reference would put it)."""
    if src[after.i].para_id != src[before.i + before.di - 1].para_id:
        return not starts_paragraph(src, after.i)
    return not starts_paragraph(ref, after.j)


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


def enters_inside(src: Sequence[Sentence], ref: Sequence[Sentence], before: Step, after: Step) -> bool:
    """Whether link ``after`` to a truncated reference moves on from link ``before`` to a new paragraph
    on both sides, starting the source's but inside the reference's: the reference sentences before it
    in its paragraph would have to render the source paragraph that ``before`` holds."""
    if not ref[after.j + after.dj - 1].partial:
        return False
    new_src = src[after.i].para_id != src[before.i + before.di - 1].para_id
    new_ref = ref[after.j].para_id != ref[before.j + before.dj - 1].para_id
    return new_src and new_ref and starts_paragraph(src, after.i) and not starts_paragraph(ref, after.j)


def without_inside_entries(src: Sequence[Sentence], ref: Sequence[Sentence], chain: Sequence[Step]) -> list[Step]:
    """The chain less every link to a truncated reference that enters its paragraphs unevenly
    (:func:`enters_inside`) from the link kept before it: a truncated reference is scored on the
    precision of a few words, and the start of a source paragraph is where such words recur."""
    kept: list[Step] = []
    for step in chain:
        if not kept or not enters_inside(src, ref, kept[-1], step):
            kept.append(step)
    return kept


def paragraph_jumps(src: Sequence[Sentence], ref: Sequence[Sentence], bead: Span, box: Box) -> tuple[int, int]:
    """How many of the links bounding ``box`` (the one ending at (i0 − 1, j0 − 1), the one starting at
    (i1, j1)) share a paragraph with ``bead`` on one side only (:func:`jumps_paragraph`), and how many
    of those jumps land inside a paragraph (:func:`strays`)."""
    step = Step(*bead, 0.0)
    pairs = []
    if box.i0 and box.j0:
        pairs.append((Step(box.i0 - 1, 1, box.j0 - 1, 1, 0.0), step))
    if box.i1 < len(src) and box.j1 < len(ref):
        pairs.append((step, Step(box.i1, 1, box.j1, 1, 0.0)))
    jumps = stray = 0
    for before, after in pairs:
        if jumps_paragraph(src, ref, before, after):
            jumps += 1
            stray += lands_inside(src, ref, before, after)
    return jumps, stray


def alone(sents: Sequence[Sentence], k: int) -> bool:
    """Whether sentence ``k`` is a paragraph by itself (a heading, a caption, a one-line item)."""
    return starts_paragraph(sents, k) and (k + 1 == len(sents) or starts_paragraph(sents, k + 1))


def lone_share(sents: Sequence[Sentence]) -> float:
    """The share of sentences alone in their paragraph."""
    return sum(alone(sents, k) for k in range(len(sents))) / max(1, len(sents))


def lone_both_ways(src: Sequence[Sentence], ref: Sequence[Sentence], max_share_ratio: float) -> bool:
    """Whether a lone reference sentence is held to lone source sentences too: unless the reference has
    more than ``max_share_ratio`` times the source's share of lone sentences (single sentences picked
    from the source's body)."""
    return lone_share(ref) <= max_share_ratio * lone_share(src)


def lone_mismatch(src: Sequence[Sentence], ref: Sequence[Sentence], step: Step, both_ways: bool) -> bool:
    """Whether a 1-1 link pairs a sentence alone in its paragraph with one that shares its paragraph:
    a source one (a heading, a caption, a one-line item) always, a reference one where ``both_ways``."""
    if (step.di, step.dj) != (1, 1):
        return False
    lone_src, lone_ref = alone(src, step.i), alone(ref, step.j)
    return lone_src != lone_ref if both_ways else lone_src and not lone_ref


def without_lone_mismatches(
    src: Sequence[Sentence], ref: Sequence[Sentence], chain: Sequence[Step], max_share_ratio: float
) -> list[Step]:
    """The chain less every link that pairs a heading with the other side's body (:func:`lone_mismatch`):
    linked by a word they share. A reference sentence alone in its paragraph is let into the source's
    body where the reference has more than ``max_share_ratio`` times the source's share of lone
    sentences (a partial reference of single sentences picked from the body: the seed's ``seed3``)."""
    both_ways = lone_both_ways(src, ref, max_share_ratio)
    return [s for s in chain if not lone_mismatch(src, ref, s, both_ways)]
