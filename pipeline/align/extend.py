"""Third pass: a link takes in an unaligned neighbour where their lengths say the two render one.

The gap DP (:mod:`.gaps`) re-aligns the sentences *between* links, so it cannot make a chain link
longer: where a translator rendered two Japanese sentences as one English sentence and the chain
linked one of them, the other is left unaligned (``1-0``) beside it ("協商は…認めている。" +
"同時に、…期待されています。" → "The entente allows … and the strategic ambiguity … key to its
success."). A 1-1 link whose neighbour on one side is unaligned, in the same paragraph on both sides,
becomes a 2-1 (or 1-2) bead when that bead costs less, in the gap DP's nats (length, prior,
evidence, paragraphs), than the link plus leaving the neighbour unaligned (``GapCosts.skip``).
A 2-1 bead over a truncated reference is never made (:func:`.gaps.merges_into_truncated`), and a
reference run into two sentences is then cut where the two imply (:mod:`.split`), as any 2-1 bead.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from .dp import Span, Step
from .evidence import Evidence
from .gaps import GapCosts, link_cost, merges_into_truncated
from .paragraphs import crosses_paragraph


def grown(step: Step) -> Iterator[Span]:
    """The 2-1 and 1-2 beads a 1-1 link becomes by taking in the sentence before or after it."""
    i, _, j, _, _ = step
    yield from (Span(i - 1, 2, j, 1), Span(i, 2, j, 1), Span(i, 1, j - 1, 2), Span(i, 1, j, 2))


def free(bead: Span, step: Step, taken_src: set[int], taken_ref: set[int], n: int, m: int) -> bool:
    """Whether the sentence ``bead`` adds to ``step`` exists and belongs to no other link."""
    if bead.i < 0 or bead.j < 0 or bead.i + bead.di > n or bead.j + bead.dj > m:
        return False
    added_src = set(range(bead.i, bead.i + bead.di)) - {step.i}
    added_ref = set(range(bead.j, bead.j + bead.dj)) - {step.j}
    return not (added_src & taken_src or added_ref & taken_ref)


def extend_links(
    ev: Evidence, steps: Sequence[Step], ratio: float, costs: GapCosts, reserved: Sequence[Step] = ()
) -> list[Step]:
    """``steps`` (the linked beads, in order) with each 1-1 link grown over an unaligned neighbour
    where that is cheaper than the link plus a skip; the grown bead is valued by its evidence. The
    sentences of ``reserved`` (crossing links, :mod:`.swap`) are taken too."""
    src, ref = ev.src, ev.ref
    taken_src = {x for s in [*steps, *reserved] for x in range(s.i, s.i + s.di)}
    taken_ref = {y for s in [*steps, *reserved] for y in range(s.j, s.j + s.dj)}
    out: list[Step] = []
    for step in steps:
        best, best_cost = step, None
        if (step.di, step.dj) == (1, 1):
            keep = link_cost(src, ref, step.span, ratio, step.value, costs) + costs.skip
            for bead in grown(step):
                if not free(bead, step, taken_src, taken_ref, len(src), len(ref)):
                    continue
                if crosses_paragraph(src, bead.i, bead.di) or crosses_paragraph(ref, bead.j, bead.dj):
                    continue
                if merges_into_truncated(ref, bead.di, bead.j, bead.dj):
                    continue
                cost = link_cost(src, ref, bead, ratio, ev.score(*bead), costs)
                if cost < keep and (best_cost is None or cost < best_cost):
                    best, best_cost = Step(*bead, ev.score(*bead)), cost
        if best is not step:
            taken_src.update(range(best.i, best.i + best.di))
            taken_ref.update(range(best.j, best.j + best.dj))
        out.append(best)
    return out
