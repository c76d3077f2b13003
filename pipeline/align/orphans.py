"""A sentence left unaligned in a full reference: the links beside it re-decided by the gap DP.

The evidence chain (:mod:`.dp`) keeps the heaviest chain of beads by evidence alone, so a merge or a
link one sentence off that wins by a few hundredths leaves a sentence beside it with no counterpart:
"※ティシューは…流さないでください。" "トイレが詰まる原因になります。" "※引火の…" against "*Tissues …
toilet." "It can cause clogging." "*Do not place near fire…", the chain's 1-2 bead takes the third
source sentence with the second and third English ones (its evidence 0.66 × merge weight against the
right 1-1 bead's 0.53), and the second source sentence is left out, to be swallowed by its other
neighbour (:mod:`.extend`). A full reference leaves little unaligned, so where a sentence is, the
links on either side of it (``gaps.orphan_links`` each way) are aligned again by the gap DP
(:func:`.gaps.align_gap`: length, paragraphs and evidence, every sentence skipped at the full skip
cost) between the links beyond them, and its links replace theirs where they pair every sentence there
one to one and cost fewer nats than the links they replace plus the sentences these leave out. A box
with more sentences on one side than the other holds a sentence the translator left out or added:
the gap pass has decided it, and it stays (the WMT21 tune half's whole references with sentences left
out or added, ``benchmarks/variants.py``), as does one holding a 2-1 link whose reference step 5 cuts
(two references run together). Only a whole reference is asked (:class:`.signal_aligner.SignalAligner`:
full coverage and no truncated sentence: an excerpt leaves sentences out on purpose). Found on the WMT23
tune half (wmt23-016, -074).
"""

from __future__ import annotations

from collections.abc import Sequence

from .dp import Box, Step
from .evidence import Evidence
from .gaps import GapCosts, align_gap, link_cost
from .split import best_cut


def _ends(steps: Sequence[Step], k: int, n: int, m: int) -> tuple[int, int, int, int]:
    """(source end, reference end) of the link before gap ``k`` and (source start, reference start)
    of the link after it: the sentences of gap k lie between."""
    i0, j0 = (steps[k - 1].i + steps[k - 1].di, steps[k - 1].j + steps[k - 1].dj) if k else (0, 0)
    i1, j1 = (steps[k].i, steps[k].j) if k < len(steps) else (n, m)
    return i0, j0, i1, j1


def path_cost(ev: Evidence, links: Sequence[Step], box: Box, ratio: float, costs: GapCosts) -> float:
    """The gap DP's cost of ``links`` inside ``box`` (by their evidence, a chain merge's unweighed):
    their link costs and a skip for each sentence of the box they leave out."""
    cost = sum(link_cost(ev.src, ev.ref, s.span, ratio, ev.score(*s.span), costs, box) for s in links)
    covered = sum(s.di + s.dj for s in links)
    return cost + costs.skip * ((box.i1 - box.i0) + (box.j1 - box.j0) - covered)


def cut_merges(ev: Evidence, links: Sequence[Step], ratio: float) -> bool:
    """Whether any of ``links`` is a 2-1 bead whose reference step 5 cuts in two (:func:`.split.best_cut`):
    a reference sentence that is two, run together."""
    return any((s.di, s.dj) == (2, 1) and best_cut(ev, s.i, s.j, ratio) for s in links)


def gap_links(ev: Evidence, box: Box, ratio: float, costs: GapCosts) -> list[Step]:
    """The gap DP's links through ``box`` (:func:`.gaps.align_gap`), valued by their evidence as chain links are."""
    return [Step(*s.span, ev.score(*s.span)) for s in align_gap(ev.src, ev.ref, box, ratio, ev.score, costs)]


def one_to_one(links: Sequence[Step], box: Box) -> bool:
    """Whether ``links`` pair every sentence of ``box`` one to one."""
    return bool(links) and all((s.di, s.dj) == (1, 1) for s in links) and len(links) == box.i1 - box.i0


def realign_orphans(
    ev: Evidence, steps: Sequence[Step], ratio: float, costs: GapCosts, links: int, gap_max: int, cut: bool = True
) -> list[Step]:
    """``steps`` (the linked beads, in order) with the links around each unaligned sentence aligned
    again where the gap DP finds a cheaper path (boxes longer than ``gap_max`` on a side are left;
    ``cut``: reference sentences are cut, step 5, so a 2-1 link that a cut splits counts as two)."""
    out = list(steps)
    n, m = len(ev.src), len(ev.ref)
    k = 0
    while k <= len(out):
        i0, j0, i1, j1 = _ends(out, k, n, m)
        a, b = max(0, k - links), min(len(out), k + links)
        (box_i0, box_j0, _, _), (_, _, box_i1, box_j1) = _ends(out, a, n, m), _ends(out, b, n, m)
        box = Box(box_i0, box_i1, box_j0, box_j1)
        # a sentence left out between links k-1 and k, in a box as long on both sides (else it holds a sentence
        # the translator left out or added: the gap pass's to decide), counting a reference that is cut as two
        square = box.i1 - box.i0 == box.j1 - box.j0 <= gap_max
        orphan = (i0, j0) != (i1, j1) and square and not (cut and cut_merges(ev, out[a:b], ratio))
        found = gap_links(ev, box, ratio, costs) if orphan else []
        if one_to_one(found, box) and path_cost(ev, found, box, ratio, costs) < path_cost(
            ev, out[a:b], box, ratio, costs
        ):
            out[a:b] = found
            k = max(k + 1, a + len(found) + 1)
        else:
            k += 1
    return out
