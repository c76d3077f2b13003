"""The decisions of the shared aligner (:mod:`pipeline.align.signal_aligner`), on tune-half text."""

from __future__ import annotations

from aligntexts import sentences

from pipeline.align.dp import Span
from pipeline.align.evidence import Evidence
from pipeline.align.hybrid import HybridAligner
from pipeline.config import AlignSection

# hokkaido_shimbun-ja.29710 (WMT21 tune half), its partial reference: the title, then the first two
# sentences of the third paragraph, the second truncated
NOMAOI_SRC = sentences(
    "ja",
    [
        "福島・相馬野馬追、無観客で開幕 コロナで競馬など見せ場は中止：北海道新聞 どうしん電子版",
        (
            2,
            "福島県沿岸部で千年の歴史を誇り、国の重要無形民俗文化財となっている伝統行事「相馬野馬追」が２５日、開幕した。",
        ),
        (
            2,
            "野馬追は、一帯を治めた相馬家の始祖といわれる平将門が野馬を放ち、配下の武士に武芸を磨かせたのが起源とされる。",
        ),
        (3, "相馬市の相馬中村神社で出陣式を開催。"),
        (3, "相馬家の子孫である相馬行胤氏（４６）が馬に乗って境内を移動する。"),
    ],
)
NOMAOI_REF = sentences(
    "en",
    [
        "Fukushima — Soma Nomaoi Opens Without Spectators; Horse-Racing and Other Highlights Cancelled…",
        (2, "The commencement ceremony was held at Soma Nakamura Jinja Shrine in Soma city."),
        (2, "Soma Michitane (46), a descendant of the Soma family,…"),
    ],
)


def links(aligner: HybridAligner) -> list[tuple[list[str], list[str]]]:
    beads = aligner.align(NOMAOI_SRC, [""] * len(NOMAOI_SRC), NOMAOI_REF)
    return [(b.src_ids, b.ref_ids) for b in beads if b.src_ids and b.ref_ids]


def test_uncut_merge_into_a_truncated_reference_leaves_the_chain() -> None:
    aligner = HybridAligner(AlignSection())
    ev = Evidence(NOMAOI_SRC, [""] * len(NOMAOI_SRC), NOMAOI_REF, aligner.use, 0.3, aligner.params)
    first = aligner.chain(ev, list(aligner.candidates(ev)))
    # the 2-1 bead of both sentences of paragraph 3 with the truncated one would win the chain, and
    # stay uncut (its reference renders the second sentence only): it would leave all three unaligned
    assert all((step.di, step.dj) == (1, 1) for step in first)
    assert (["ja4"], ["en2"]) in links(aligner)
    assert (["ja5"], ["en3"]) in links(aligner)


# wmt23-000 (WMT23 tune half): ads, the partial reference every other paragraph, truncated
ADS_SRC = sentences(
    "ja",
    [
        "徹底した感染対策／クラツー公式 - 助成金でお得旅",
        (2, "助成金ツアー・県民割旅行ならクラブツーリズム！"),
        (2, "各都道府県毎の助成を活用したツアーをご紹介。"),
        (2, "密集・密閉・密接を避けた新しい旅の形をご提案。"),
        (3, "助成金ツアーで旅に出よう／クラブツーリズム。"),
        (3, "CTPは全国旅行支援と併用可・到着地: 沖縄, 関西, 北海道, 東北, 九州。"),
        (4, "【比較表】薬剤師転職サイト - 一覧比較表でおすすめ紹介"),
        (5, "《2022年最新版》薬剤師転職サイトランキング。"),
        (5, "エージェントの対応が良いおすすめサイトはこれ。"),
        (6, "公式／マーケBIツールTapClicks - 簡単操作でデータ集計＆可視化"),
        (7, "インハウスで広告運用している方に朗報！"),
        (8, "複数媒体を簡単に一つのダッシュボードにまとめられる"),
        (9, "GO TODAY SHAiRE SALON - 美容師を楽しく自由に"),
    ],
)
ADS_REF = sentences(
    "en",
    [
        "Thorough Infection Controls / Club Tourism…",
        (2, "Take a Trip on a Subsidized Tour / Club Tourism."),
        (2, "The Club Tourism Pass can be used with the national travel subsidy program -…"),
        (3, "《Latest 2022 Version》Pharmacist Job Search Website Rankings."),
        (3, "These are the recommended sites…"),
        (4, "Great news for those…"),
        (5, "GO TODAY SHAiRE SALON - Freedom and…"),
    ],
)


def test_a_doubtful_chain_link_to_a_truncated_reference_is_left_unaligned() -> None:
    aligner = HybridAligner(AlignSection())
    ev = Evidence(ADS_SRC, [""] * len(ADS_SRC), ADS_REF, aligner.use, 0.3, aligner.params)
    plan = aligner.plan(ev)
    # "Club Tourism" in both: a chain link, though it starts a paragraph on the source's side only in a
    # document whose paragraphs otherwise correspond (confidence ~0.1)
    assert Span(4, 1, 2, 1) in plan.anchored
    beads = aligner.align(ADS_SRC, [""] * len(ADS_SRC), ADS_REF)
    assert (["ja5"], ["en3"]) not in [(b.src_ids, b.ref_ids) for b in beads]
    assert ["en3"] in [b.ref_ids for b in beads if not b.src_ids]
