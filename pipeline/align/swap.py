"""Local reordering: two adjacent sentences the translator swapped are linked crosswise.

The chain (:mod:`.dp`) is monotone: where the reference renders source sentences A B as B' A', it
links one pair (A → A') and leaves the other (B, B') on opposite sides of that link, where no gap
can pair them (the gap DP may pair each with a stranger). A source sentence next to a chain link
whose reference neighbour on the *other* side of the link is unaligned too — or held by a gap link
of less evidence, which gives way — is linked to it when their evidence alone would make a chain
link (above ``align.threshold``): after the gap pass, before a link takes in a neighbour
(:mod:`.extend`). The two beads cross; each is a ``1-1`` bead of its own, in source order, so
``alignment.jsonl`` and ``bitext.tsv`` hold them as any other (every sentence once; nothing there
requires the references in order).
"""

from __future__ import annotations

from collections.abc import Sequence, Set

from .dp import Span, Step
from .evidence import Evidence


def crosswise(link: Step) -> tuple[tuple[int, int], tuple[int, int]]:
    """The two (source, reference) pairs that cross a 1-1 link: after it with before it, and the
    other way round."""
    return (link.i + 1, link.j - 1), (link.i - 1, link.j + 1)


def holder(links: Sequence[Step], i: int | None = None, j: int | None = None) -> Step | None:
    """The link of ``links`` that holds source sentence ``i`` (or reference sentence ``j``), if any."""
    for s in links:
        if (i is not None and s.i <= i < s.i + s.di) or (j is not None and s.j <= j < s.j + s.dj):
            return s
    return None


def crossing_links(
    ev: Evidence, links: Sequence[Step], anchored: Set[Span], threshold: float
) -> tuple[list[Step], list[Step]]:
    """(the links that cross a 1-1 chain link of ``links``, ``links`` less the gap links they evict).
    A crossing link pairs the source sentence next to a chain link with the reference sentence on its
    other side, where their evidence is above ``threshold`` and each of the two is unaligned or held
    by a gap link (not in ``anchored``) of less evidence."""
    kept = list(links)
    out: list[Step] = []
    for link in links:
        if (link.di, link.dj) != (1, 1) or link.span not in anchored or link not in kept:
            continue
        for i, j in crosswise(link):
            if not (0 <= i < len(ev.src) and 0 <= j < len(ev.ref)) or (value := ev.score(i, 1, j, 1)) <= threshold:
                continue
            holders = {h for h in (holder([*kept, *out], i=i), holder([*kept, *out], j=j)) if h is not None}
            if all(h in kept and h.span not in anchored and h.value < value for h in holders):
                kept = [s for s in kept if s not in holders]
                out.append(Step(i, 1, j, 1, value))
    return out, kept


def with_crossing(path: Sequence[Step], crossing: Sequence[Step]) -> list[Step]:
    """A monotone ``path`` (links, 1-0 and 0-1 steps) with each crossing link in place of its source's
    1-0 step, its reference's 0-1 step dropped."""
    by_src = {s.i: s for s in crossing}
    taken = {s.j for s in crossing}
    out = []
    for step in path:
        if step.di and not step.dj and step.i in by_src:
            out.append(by_src[step.i])
        elif not (step.dj and not step.di and step.j in taken):
            out.append(step)
    return out
