"""A sentence left unaligned in a whole reference: the links beside it re-decided by the gap DP (found on
the WMT23 tune half: wmt23-016's notes, a 1-2 chain link swallowing the next note's English; wmt23-074's
questions, a link one sentence off)."""

from __future__ import annotations

from dataclasses import replace

import pytest
from aligntexts import sentences

from pipeline.align import signal_aligner
from pipeline.align.dp import Box, Step
from pipeline.align.evidence import Evidence, Signals
from pipeline.align.gaps import GapCosts
from pipeline.align.hybrid import HybridAligner
from pipeline.align.orphans import path_cost, realign_orphans
from pipeline.align.params import PARAMS
from pipeline.config import AlignSection
from pipeline.records import Sentence

# WMT23 tune half, wmt23-016: a product's notes
NOTES_JA = sentences(
    "ja",
    [
        (1, "ティシュー"),
        (2, "パルプ100%を使用しております。"),
        (2, "蛍光染料は使用しておりません。"),
        (2, "日本製。"),
        (3, "※ティシューは水に溶けにくいため、水洗トイレには流さないでください。"),
        (3, "トイレが詰まる原因になります。"),
        (3, "※引火の原因になりますので、火気の近くに置かないでください。"),
        (4, "※お子様の手の届かない場所に保管をしてください。"),
    ],
)
NOTES_EN = sentences(
    "en",
    [
        (1, "Tissues"),
        (2, "Made with 100% pulp."),
        (2, "Contains no fluorescent whitening agents."),
        (2, "Made in Japan."),
        (3, "*Tissues don't dissolve in water, so please don't flush them down the toilet."),
        (3, "It can cause clogging."),
        (3, "*Do not place near fire, as they are combustible."),
        (4, "*Keep out of reach of children."),
    ],
)

# WMT23 tune half, wmt23-074: a question of three sentences and its answer
QUESTION_JA = sentences(
    "ja",
    [
        (1, "家の中の掃除を、マメにやらなくなってしまいます。"),
        (1, "お客さんへの、おもてなしもまた、不慣れになってしまいます。"),
        (1, "インスタグラムについて。"),
        (
            2,
            "私（一般人）は現在フォロワーが一万人ほどいるのですが、"
            "これって知らない人が見たら、わーすごいと思いますか？",
        ),
        (2, "それとも別に何とも思わないですか？"),
        (2, "どんな感じなんでしょうか？"),
        (3, "物凄いことだと思います。"),
        (3, "一般人ではミラクルです。"),
        (3, "何か特別なことをされていたんだと思います。"),
    ],
)
QUESTION_EN = sentences(
    "en",
    [
        (1, "You would become less diligent about cleaning around the house."),
        (1, "You would also start lacking in hospitality towards guests."),
        (1, "This is about Instagram."),
        (
            2,
            "I (an ordinary person) currently have about 10,000 followers, but if somebody who didn't know this"
            " saw that, would they think that was amazing?",
        ),
        (2, "Or would they not really think that much about it?"),
        (2, "What would you think?"),
        (3, "I think that's incredible."),
        (3, "That's a miracle for an ordinary person."),
        (3, "I think you've done something special."),
    ],
)


def links(src: list[Sentence], ref: list[Sentence]) -> list[tuple[list[str], list[str]]]:
    beads = HybridAligner(AlignSection()).align(src, [""] * len(src), ref)
    return [(b.src_ids, b.ref_ids) for b in beads if b.src_ids and b.ref_ids]


def one_to_one(n: int) -> list[tuple[list[str], list[str]]]:
    return [([f"ja{k}"], [f"en{k}"]) for k in range(1, n + 1)]


def test_a_merge_that_leaves_a_neighbour_out_is_undone() -> None:
    assert links(NOTES_JA, NOTES_EN) == one_to_one(8)


def test_a_link_one_sentence_off_is_put_back() -> None:
    assert links(QUESTION_JA, QUESTION_EN) == one_to_one(9)


def evidence(src: list[Sentence], ref: list[Sentence]) -> Evidence:
    return Evidence(src, [""] * len(src), ref, Signals(mt=False), 0.3, PARAMS)


def test_the_links_beside_an_orphan_are_aligned_again_when_that_costs_less() -> None:
    ev = evidence(NOTES_JA, NOTES_EN)
    steps = [Step(k, 1, k, 1, ev.score(k, 1, k, 1)) for k in range(4)]
    steps += [Step(4, 1, 4, 1, ev.score(4, 1, 4, 1)), Step(6, 1, 5, 2, ev.score(6, 1, 5, 2))]  # ja6 left out
    steps.append(Step(7, 1, 7, 1, ev.score(7, 1, 7, 1)))
    costs = GapCosts(skip=6.0)
    out = realign_orphans(ev, steps, 2.6, costs, links=2, gap_max=80)
    assert [s.span for s in out] == [(k, 1, k, 1) for k in range(8)]
    assert all(s.value == ev.score(*s.span) for s in out)  # valued by their evidence, as the gap pass's links
    box = Box(3, 8, 3, 8)
    assert path_cost(ev, out[3:7], box, 2.6, costs) < path_cost(ev, steps[3:6], box, 2.6, costs)


def test_links_with_nothing_left_out_stay_as_they_are() -> None:
    ev = evidence(NOTES_JA, NOTES_EN)
    steps = [Step(k, 1, k, 1, 0.0) for k in range(4)] + [Step(4, 2, 4, 1, 0.0), Step(6, 1, 5, 2, 0.0)]
    steps.append(Step(7, 1, 7, 1, 0.0))
    assert realign_orphans(ev, steps, 2.6, GapCosts(skip=6.0), links=2, gap_max=80) == steps


@pytest.mark.parametrize("truncated", [False, True])
def test_only_a_whole_reference_has_its_orphans_aligned_again(monkeypatch, truncated: bool) -> None:
    """A reference with a truncated sentence is an excerpt: what it leaves out is left out on purpose
    (the WMT21 tune half's partial references lost their truncated titles to their neighbours)."""
    asked: list[int] = []

    def spy(ev, steps, *args, **kwargs):  # noqa: ANN001, ANN002, ANN003, ANN202
        asked.append(len(steps))
        return list(steps)

    monkeypatch.setattr(signal_aligner, "realign_orphans", spy)
    ref = [
        replace(r, text=r.text[:12] + "…", partial=True) if truncated and k == 5 else r for k, r in enumerate(NOTES_EN)
    ]
    HybridAligner(AlignSection()).align(NOTES_JA, [""] * 8, ref)
    assert bool(asked) is not truncated
