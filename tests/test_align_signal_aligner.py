"""The decisions of the shared aligner (:mod:`pipeline.align.signal_aligner`), on tune-half text."""

from __future__ import annotations

from aligntexts import sentences

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
