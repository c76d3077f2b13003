"""The paragraph model (align/paragraphs.py): how far a reference keeps the source's paragraphs,
and which links stray from one paragraph into the middle of another."""

from __future__ import annotations

from aligntexts import sentences

from pipeline.align.dp import Box, Span, Step
from pipeline.align.gaps import GapCosts
from pipeline.align.hybrid import HybridAligner
from pipeline.align.paragraphs import (
    alone,
    crosses_paragraph,
    enters_inside,
    lone_share,
    paragraph_agreement,
    paragraph_jumps,
    starts_paragraph,
    without_inside_entries,
    without_lone_mismatches,
    without_strays,
)
from pipeline.align.params import PARAMS
from pipeline.config import AlignSection

MIN_LINKS = PARAMS.gaps.agreement_min_links


def test_paragraph_starts_and_crossings() -> None:
    src = sentences("ja", [(1, "見出し"), (2, "一文目。"), (2, "二文目。")])
    assert [starts_paragraph(src, k) for k in range(3)] == [True, True, False]
    assert crosses_paragraph(src, 0, 2) and not crosses_paragraph(src, 1, 2)


def test_paragraph_agreement_from_the_chain() -> None:
    src = sentences("ja", [(1, "見出し"), (2, "一文目。"), (2, "二文目。"), (3, "三文目。")])
    parallel = sentences("en", [(1, "Heading"), (2, "One."), (2, "Two."), (3, "Three.")])
    reflowed = sentences("en", [(1, "Heading"), (1, "One."), (2, "Two."), (2, "Three.")])
    chain = [Step(k, 1, k, 1, 0.9) for k in range(4)]
    assert paragraph_agreement(src, parallel, chain, MIN_LINKS) == 1.0
    # of the three links that start a paragraph on a side, one starts one on both: unrelated paragraphs
    assert paragraph_agreement(src, reflowed, chain, MIN_LINKS) == 0.0
    # one such link says nothing
    assert paragraph_agreement(src, parallel, chain[1:3], MIN_LINKS) == 1.0


def test_a_jump_to_the_start_of_a_paragraph_is_a_reflow_not_a_stray() -> None:
    src = sentences("ja", [(1, "あ"), (2, "い"), (2, "う"), (3, "え")])
    ref = sentences("en", [(1, "a"), (1, "b"), (2, "c")])
    first = Step(0, 1, 0, 1, 0.9)
    # the reference runs source paragraphs 1 and 2 into one: the link starts source paragraph 2
    assert without_strays(src, ref, [first, Step(1, 1, 1, 1, 0.9)]) == [first, Step(1, 1, 1, 1, 0.9)]
    # the link lands inside source paragraph 2 while the reference stays in its paragraph: a stray
    assert without_strays(src, ref, [first, Step(2, 1, 1, 1, 0.9)]) == [first]
    # the link after a stray is judged against the link kept before it: both sides move on
    assert without_strays(src, ref, [first, Step(2, 1, 1, 1, 0.9), Step(3, 1, 2, 1, 0.9)]) == [
        first,
        Step(3, 1, 2, 1, 0.9),
    ]
    params = PARAMS.gaps
    assert GapCosts.for_document(params, 2.0, 1.0).paragraph_stray == params.stray_per_agreement
    assert GapCosts.for_document(params, 2.0, 0.0).paragraph_stray == 0.0  # unrelated paragraphs say nothing


def test_paragraph_jumps_count_the_bounding_links_a_bead_leaves_on_one_side() -> None:
    src = sentences("ja", [(1, "あ"), (1, "い"), (2, "う"), (2, "え")])
    ref = sentences("en", [(1, "a"), (1, "b"), (1, "c")])
    box = Box(1, 4, 1, 3)  # after the link (0, 0)
    assert paragraph_jumps(src, ref, Span(1, 1, 1, 1), box) == (0, 0)  # both stay in paragraph 1
    assert paragraph_jumps(src, ref, Span(3, 1, 1, 1), box) == (1, 1)  # source moves into paragraph 2's middle
    assert paragraph_jumps(src, ref, Span(2, 1, 1, 1), box) == (1, 0)  # to its start: a re-flow


# WMT23 tune half (wmt23-096, a shop review): its heading shares "control" with the body's first sentence
REVIEW_JA = [
    (3, "こっちも問題なし、というか値段のわりにかなり良かったです。"),
    (4, "コントローラーが動かなくなる"),
    (5, "勝手に自機が動いて操作できなくなる。"),
    (
        5,
        "ケーブルをいったん再接続すると操作できるが、数分もするとすぐに自機があらぬ方向に移動してしまって"
        "操作できないという症状になる。",
    ),
    (5, "この商品は買わない方が良いです。"),
    (6, "みなさんに一応警告しておきます。"),
]
REVIEW_EN = [
    (3, "No problems with this one either, or rather, it was extremely good for the price."),
    (4, "The controller stops working."),
    (5, "My character moves on its own and I can't control anything."),
    (
        5,
        "By reconnecting the cable, it works, but after a few minutes, the character starts moving in the wrong"
        " direction and I can't control it.",
    ),
    (5, "You shouldn't buy this product."),
    (6, "Just a warning to you all."),
]


RATIO = PARAMS.gaps.lone_share_ratio


def test_a_heading_linked_into_the_other_sides_body_leaves_the_chain() -> None:
    src, ref = sentences("ja", REVIEW_JA), sentences("en", REVIEW_EN)
    assert [alone(src, k) for k in range(len(src))] == [True, True, False, False, False, True]
    heading_into_body, heading = Step(1, 1, 2, 1, 0.5), Step(1, 1, 1, 1, 0.45)
    assert without_lone_mismatches(src, ref, [heading_into_body], RATIO) == []
    assert without_lone_mismatches(src, ref, [heading], RATIO) == [heading]
    # the other way round (a reference heading linked into the source's body) too, where both sides
    # have about as many lone sentences
    assert without_lone_mismatches(ref, src, [Step(2, 1, 1, 1, 0.5)], RATIO) == []


def test_a_reference_of_single_sentences_may_link_into_the_body() -> None:
    # a partial reference that picks single sentences out of the source's paragraphs (the seed's seed3)
    src = sentences("ja", [(1, "一文目。"), (1, "二文目。"), (1, "三文目。"), (2, "四文目。"), (2, "五文目。")])
    ref = sentences("en", [(1, "Two."), (2, "Five.")])
    assert lone_share(ref) > RATIO * lone_share(src)
    picked = [Step(1, 1, 0, 1, 0.5), Step(4, 1, 1, 1, 0.5)]
    assert without_lone_mismatches(src, ref, picked, RATIO) == picked
    # but a source heading is never linked into the reference's body
    heading = sentences("ja", [(1, "見出し"), (2, "一文目。"), (2, "二文目。"), (2, "三文目。"), (2, "四文目。")])
    body = sentences("en", [(1, "Heading run into the body."), (1, "One."), (2, "Three."), (3, "Four."), (4, "Five.")])
    assert lone_share(body) > RATIO * lone_share(heading)
    assert without_lone_mismatches(heading, body, [Step(0, 1, 0, 1, 0.5)], RATIO) == []


# sanyo_shimbun-ja.6157 (WMT21 tune half): a partial reference of the truncated title and three sentences
AMABIE_SRC = sentences(
    "ja",
    [
        (1, "「アマビエ」備前焼置物で元気に 岡山大付属特別支援学校生が制作：山陽新聞デジタル｜さんデジ"),
        (
            2,
            "岡山大付属特別支援学校（岡山市中区平井）高等部の生徒が、地域の高齢者らへプレゼントしようと、"
            "疫病を鎮めるとされる妖怪「アマビエ」の備前焼の置物を作っている。",
        ),
        (
            2,
            "新型コロナウイルスの影響で、例年行う店舗での販売実習や地域住民との交流が難しい中、"
            "感染症の早期収束や健康を願い企画した。",
        ),
        (2, "高等部の１１人が６月から週３日、午前中に授業の一環として制作。"),
        (
            3,
            "力を込めてのばした粘土を型抜きで成形した後、備前焼特有の赤色模様の「緋襷（ひだすき ） 」 "
            "を出すためにわらを巻き付ける作業などを行う。",
        ),
        (3, "乾燥や焼成の工程も含め、２～３週間程度で完成するという。"),
        (
            3,
            "３年生の生徒（１８）は「新型コロナに負けずお年寄りが元気に過ごしてもらえるようにとの思いを込め、"
            "一生懸命作っている」と話した。",
        ),
        (
            4,
            "備前焼は２７日、合唱を披露するなど交流のある養護老人ホーム・岡山市友楽園（同所）の入所者に"
            "４０個届ける予定。",
        ),
        (4, "制作は７月末まで続ける予定で、残る作品の贈り先などは今後決めるという。"),
    ],
)
AMABIE_REF = sentences(
    "en",
    [
        (1, "Bringing Joy with Bizen Ware Amabie Ornaments, Made by Students of the School of Special Needs…"),
        (
            2,
            "After putting effort into rolling out the clay and shaping it with cutters, they worked to wrap them "
            'in straw to bring out the distinctive "hidasuki" scarlet color of Bizen ware.',
        ),
        (
            2,
            "The students said that it took about two or three weeks to complete, including the process of drying "
            "and firing.",
        ),
        (
            2,
            '"We worked really hard to make these and we filled them with our hope that the elderly will not give '
            "up hope in the face of…",
        ),
    ],
)


def test_a_short_partial_reference_keeps_its_title_out_of_the_body() -> None:
    # one lone sentence in four (the title) against one in nine: a short reference, not one of single
    # sentences picked from the body, so its title is held to the source's title
    assert lone_share(AMABIE_REF) <= RATIO * lone_share(AMABIE_SRC)
    beads = HybridAligner(AlignSection()).align(AMABIE_SRC, [""] * len(AMABIE_SRC), AMABIE_REF)
    linked = {tuple(b.src_ids): b.ref_ids for b in beads if b.src_ids and b.ref_ids}
    assert linked.get(("ja1",)) == ["en1"] and ("ja2",) not in linked


def test_the_heading_finds_its_own_paragraph() -> None:
    src, ref = sentences("ja", REVIEW_JA), sentences("en", REVIEW_EN)
    beads = HybridAligner(AlignSection()).align(src, [""] * len(src), ref)
    linked = {tuple(b.src_ids): b.ref_ids for b in beads if b.src_ids and b.ref_ids}
    assert linked.get(("ja2",)) == ["en2"] and linked.get(("ja3",)) == ["en3"]


# wmt23-066 (WMT23 tune half): Q&A posts, the partial reference every other paragraph, each paragraph's
# last sentence truncated
QA_SRC = sentences(
    "ja",
    [
        (1, "ブロック崩しをする人をどう思いますか？"),
        (1, "やっぱり楽しいからですか？"),
        (2, "頭は多少使いますが、楽しいですよ！！！"),
        (3, "最近葉の表面に茶色？"),
        (3, "赤っぽいもようのようなものが。"),
        (3, "葉焼けかカビか判断お願いします。"),
        (4, "病害虫を防ぐ為に液体肥料を薦めてます。"),
        (4, "とにかく、活動が活発な時期に栄養を与え、抵抗力をつけるんです。"),
        (5, "動かないでしょうね。"),
        (5, "仮に動いた場合は、水分が飛んでばりばりになる。"),
    ],
)
QA_REF = sentences(
    "en",
    [
        (1, "What do you think of people who play block breakers?"),
        (1, "Is it because…"),
        (2, "Recently, there's something brown or somewhat reddish pattern on the surface of the leaves."),
        (2, "Can anyone determine if it's sunburn or mold?"),
        (3, "It probably wouldn't start."),
        (3, "If it did start, the liquid would…"),
    ],
)


def test_a_truncated_link_entering_a_source_paragraph_from_inside_its_own_leaves_the_chain() -> None:
    # 液体肥料 ↔ "the liquid would…": the first sentence of source paragraph 4 taken for the second of
    # reference paragraph 3, whose first sentence would then render paragraph 3 with its neighbour
    before, wrong = Step(3, 2, 2, 1, 0.8), Step(6, 1, 5, 1, 0.45)
    assert enters_inside(QA_SRC, QA_REF, before, wrong)
    assert without_inside_entries(QA_SRC, QA_REF, [Step(0, 1, 0, 1, 0.6), before, wrong]) == [
        Step(0, 1, 0, 1, 0.6),
        before,
    ]
    right = Step(9, 1, 5, 1, 0.45)  # its own sentence, inside source paragraph 5: kept
    assert not enters_inside(QA_SRC, QA_REF, before, right)
    # the same place for an untruncated reference: kept (its evidence is more than a few words)
    whole = [*QA_REF[:5], sentences("en", [(3, "If it did start, the liquid would evaporate.")])[0]]
    assert not enters_inside(QA_SRC, whole, before, wrong)
    # from a link in the same reference paragraph (a re-flowed reference): kept
    assert not enters_inside(QA_SRC, QA_REF, Step(5, 1, 4, 1, 0.5), wrong)
