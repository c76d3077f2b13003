"""Where a reference paragraph is expected (:mod:`pipeline.align.position`): a truncated reference
linked by a few words far from its place (WMT23 tune half, wmt23-072: "What should I do to become
a…" three paragraphs late). The line is drawn on wmt23-094's paragraphs (every other one kept)."""

from __future__ import annotations

import dataclasses

from pipeline.align.dp import Step
from pipeline.align.params import PARAMS
from pipeline.align.position import ParagraphLine, paragraph_ranks, without_off_line
from pipeline.records import Sentence


def sentences(lang: str, paragraphs: list[list[str]]) -> list[Sentence]:
    kind = "body" if lang == "ja" else "reference"
    texts = [(p, t) for p, para in enumerate(paragraphs) for t in para]
    return [
        Sentence(f"{lang}{k}", "doc1", 10 + 3 * p, lang, kind, t, partial=t.endswith("…"))
        for k, (p, t) in enumerate(texts, 1)
    ]


# wmt23-094 (WMT23 tune half), shortened: the partial reference keeps every other paragraph
SRC = sentences(
    "ja",
    [
        [
            "イヌを飼っていてお出かけするようにバックを探していたところグレー色のおしゃれなバックに惹かれこちらを購入させていただきました。",
            "組みた立て式になっていて、持ってみると意外と軽いです。",
        ],
        ["長時間の移動でも楽そうです。", "とてもコンパクトになって折り畳むのも簡単です。"],
        ["軽くて快適！"],
        ["滑車もクルクル使い心地よし"],
        [
            "先ず、見た目と値段の安さに一目ぼれして即！購入しました。",
            "TSAロックがココ数年のお気に入りで他にも幾つかもっていますが便利ですよね。",
        ],
    ],
)
REF = sentences(
    "en",
    [
        [
            "I own a dog, and as I was looking for a bag for going out, I was attracted to this fashionable grey "
            "bag and decided to purchase it.",
            "It's designed to be assembled and disassembled and surprisingly, it's lightweight…",
        ],
        ["Lightweight and…"],
        [
            "Firstly, I fell in love with its appearance and the low price drove me to make an immediate purchase!",
            "I've been into TSA-approved luggage locks for the past few years and I have several others…",
        ],
    ],
)


def test_paragraph_ranks_count_paragraphs_from_zero() -> None:
    assert paragraph_ranks(SRC) == [0, 0, 1, 1, 2, 3, 4, 4]
    assert paragraph_ranks(REF) == [0, 0, 1, 2, 2]


def test_expected_place_between_links_and_beyond_them() -> None:
    # links: reference paragraph 0 ↔ source paragraph 0, reference 2 ↔ source 4
    line = ParagraphLine.from_chain(SRC, REF, [Step(0, 1, 0, 1, 1.0), Step(6, 1, 3, 1, 1.0)])
    assert line.slope == 2.0
    assert line.expected(1) == (2.0, 2.0)  # halfway, as every other paragraph is kept
    assert line.expected(3) == (6.0, 6.0)  # after the last link, at the chain's rate
    assert line.distance(4, 2) == 0.0 and line.distance(5, 2) == 1.0  # 軽くて快適！ in place, 滑車… one off


def test_no_links_expect_nothing() -> None:
    line = ParagraphLine.from_chain(SRC, REF, [])
    assert line.distance(0, 4) == 0.0


# wmt23-072 (WMT23 tune half): a Q&A page, its partial reference every other paragraph
QA_SRC = sentences(
    "ja",
    [
        ["ポリエステル100 と ドライレーヨンはどっちの素材が涼しいですか？"],
        ["ドライレーヨンのが優れていて涼しいです"],
        ["教えてください"],
        ["4月から入社した者です"],
        ["世渡り上手な人になるにはどうしたらいいでしょうか？"],
        ["よろしくお願いします"],
        [
            "世渡り上手な人になる事を考えるより、今はとにかく早くあなたに与えられた仕事を習熟し、会社の戦力となることです。"
        ],
        ["体内時計と腹時計だけは狂ったことがありません"],
        ["洗面台の扉表面板が剥がれたので修繕を依頼したいのですが、何店に依頼すればよいのでしょうか。"],
    ],
)
QA_REF = sentences(
    "en",
    [
        ["100% polyester or viscose,…"],
        ["I have a…"],
        ["What should I do to become a…"],
        ["For right now, you should focus on quickly becoming proficient in the work you've been assigned."],
        ["The front panel of the door on my bathroom cabinet came off and I want to request repairs."],
    ],
)


def test_truncated_link_off_its_neighbours_line_leaves_the_chain() -> None:
    late = Step(7, 1, 2, 1, 0.99)  # 体内時計… ↔ "What should I do to become a…": expected at paragraph 4, found at 7
    chain = [Step(0, 1, 0, 1, 0.99), late, Step(8, 1, 4, 1, 0.99)]
    # the late link goes; so does the first (truncated too, judged by the late link alone): the gap DP
    # links it again at its expected place, as it does on wmt23-072
    assert without_off_line(QA_SRC, QA_REF, chain, PARAMS.gaps.truncated_off_line) == [chain[2]]
    in_place = [chain[0], Step(4, 1, 2, 1, 0.99), chain[2]]  # 世渡り上手な人になるには… ↔ the same: kept
    assert without_off_line(QA_SRC, QA_REF, in_place, PARAMS.gaps.truncated_off_line) == in_place
    assert without_off_line(QA_SRC, QA_REF, chain, 0.0) == chain  # 0: the rule off


def test_untruncated_link_off_the_line_stays() -> None:
    whole = [*QA_REF[:2], dataclasses.replace(QA_REF[2], text="What should I do to become worldly?", partial=False)]
    ref = [*whole, *QA_REF[3:]]
    chain = [Step(0, 1, 0, 1, 0.99), Step(7, 1, 2, 1, 0.99), Step(8, 1, 4, 1, 0.99)]
    assert chain[1] in without_off_line(QA_SRC, ref, chain, PARAMS.gaps.truncated_off_line)
