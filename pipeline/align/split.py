"""Split a reference sentence that renders two source sentences, at the boundary they imply.

Scraped references lose the full stop between a heading or caption and the sentence after it
("… the Royal Couple's Coordination is Flawless This week, Prince William …"). The English splitter
cannot see such a boundary, so the aligner pairs both Japanese sentences with the one English
"sentence" — a 2-1 bead, which links each Japanese sentence with the other's English too.

Each 2-1 bead's English is tried at its *candidate cuts* — a space before a capitalised word (or a
number) that does not follow a comma, colon, dash or function word, nor fall inside brackets or a
quotation — and cut where two 1-1 beads explain it better than the 2-1 bead. Costs are in nats, as in
the gap DP (:mod:`.gaps`): −log bead prior − log P(length ratio) − evidence weight × evidence, per
bead, plus the cost of a sentence boundary with no punctuation (cheaper before a capitalised function
word such as "This" or "According" than before a name). A bead whose two halves the evidence cannot
tell apart stays 2-1.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import NamedTuple

from ..records import Sentence
from .dp import Shape, Span
from .evidence import Evidence
from .gaps import GapCosts, bead_cost, link_cost
from .lexicon import STOPWORDS
from .params import CutParams

_SPACE = re.compile(r"\s+")
_NEXT = re.compile(r"[\"'“‘(\[]?([A-Z][A-Za-z'’]*|\d)")
_PREVIOUS_WORD = re.compile(r"([A-Za-z]+)\W*$")
NO_CUT_AFTER = ",;:-–—(/&"
BRACKETS = ("()", "[]", "“”")


class Place(NamedTuple):
    """A place a reference sentence may be cut."""

    end: int  # where the first piece ends
    start: int  # where the second piece starts (after the space)
    cost: float  # of a sentence boundary there with no punctuation (nats)


class Scored(NamedTuple):
    """A source sentence scored against one piece (:meth:`.evidence.Evidence.score_text`)."""

    evidence: float
    signals: dict[str, float]


@dataclass(frozen=True)
class Cut:
    end: int  # where the first piece ends in the reference sentence
    start: int  # where the second piece starts
    pieces: tuple[Scored, Scored]  # (first source, first piece), (second source, second piece)
    gain: float  # nats saved over the 2-1 bead


def piece(sentence: Sentence, start: int, end: int) -> tuple[str, bool]:
    """(the text of ``sentence[start:end]``, whether it ends in the sentence's truncation "…"):
    only the last piece of a truncated reference is truncated."""
    return sentence.text[start:end], sentence.partial and end == len(sentence.text)


def inside_brackets(before: str) -> bool:
    """Whether a bracket or quotation opened in ``before`` is still open at its end: no sentence
    boundary falls there ("(AP/Kyodo | News)", "\"Hare | No Megumi Brand\"")."""
    return any(before.count(o) > before.count(c) for o, c in BRACKETS) or before.count('"') % 2 == 1


def candidate_cuts(text: str, params: CutParams) -> list[Place]:
    """Every place the sentence may be cut."""
    out = []
    for m in _SPACE.finditer(text):
        before, after = text[: m.start()], text[m.end() :]
        if len(before) < params.min_piece or len(after) < params.min_piece or before[-1] in NO_CUT_AFTER:
            continue
        nxt = _NEXT.match(after)
        if not nxt:
            continue
        prev = _PREVIOUS_WORD.search(before)
        if (prev and prev.group(1).lower() in STOPWORDS) or inside_brackets(before):
            continue
        word = nxt.group(1).lower()
        cost = params.before_function_word if word in STOPWORDS else params.before_name
        out.append(Place(m.start(), m.end(), cost))
    return out


def best_cut(ev: Evidence, i: int, j: int, ratio: float) -> Cut | None:
    """The cut of reference ``j`` that best splits the 2-1 bead (sources ``i``, ``i + 1``), if one
    explains it better than the bead does (costs: the gap DP's, skipping aside; ``ev.params``)."""
    src, ref = ev.src, ev.ref
    text = ref[j].text
    costs, params = GapCosts(skip=0.0, params=ev.params.gaps), ev.params.cuts
    keep = link_cost(src, ref, Span(i, 2, j, 1), ratio, ev.score(i, 2, j, 1), costs)
    best: Cut | None = None
    expected = len(text) * len(src[i].text) / max(1, len(src[i].text) + len(src[i + 1].text))
    cuts = sorted(candidate_cuts(text, params), key=lambda c: abs(c.end - expected))[: params.max_cuts]
    ev.expect_pieces(j, [piece for end, start, _ in cuts for piece in ((0, end), (start, len(text)))])
    for end, start, cut_cost in cuts:
        pieces = ((i, *piece(ref[j], 0, end)), (i + 1, *piece(ref[j], start, len(text))))
        first, second = (Scored(*ev.score_text(k, 1, en, truncated)) for k, en, truncated in pieces)
        cost = cut_cost + sum(
            bead_cost(Shape(1, 1), len(src[k].text), len(en), ratio, truncated, scored.evidence, costs)
            for (k, en, truncated), scored in zip(pieces, (first, second))
        )
        if cost < keep and (best is None or keep - cost > best.gain):
            best = Cut(end, start, (first, second), keep - cost)
    return best
