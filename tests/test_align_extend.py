"""The third pass: a link takes in an unaligned neighbour where their lengths say the two render one
(found on the seed's golds, dev2 and seed3, and the WMT21 tune half's quotations: 「…。…」と話す。
rendered as two English sentences)."""

from __future__ import annotations

from pathlib import Path

import pytest
from aligntexts import sentences

from pipeline.align.dp import Step
from pipeline.align.evidence import Evidence, Signals
from pipeline.align.extend import extend_links
from pipeline.align.gaps import GapCosts
from pipeline.align.hybrid import HybridAligner
from pipeline.align.params import PARAMS
from pipeline.config import AlignSection, SegmentSection
from pipeline.records import Sentence
from pipeline.segment import rules as _rules  # noqa: F401
from pipeline.segment.base import segmenters

DATA = Path(__file__).parent / "data" / "align"
SEED = Path(__file__).parent.parent / "data" / "seed_ja.txt"


# WMT21 tune half (yahoo-ja.977772): a quotation of two sentences, one Japanese sentence, two English ones
SRC = sentences(
    "ja",
    [
        (1, "ナッポさんは作詞と作曲、ダズオさんはラップを担当する。"),
        (
            1,
            "コロナ禍の三月に企画がスタートすると、福島市出身のシンガー・ソングライター"
            "ＭＡＮＡＭＩ（マナミ）さん（２８ ） 、 菅野潤さん（３８）らが次々と賛同し、瞬く間に輪が広がった。",
        ),
        (
            1,
            "ナッポさんは「平常時では考えられない豪華な顔ぶれになった。"
            "この機会を存分に楽しみたい」と感無量の面持ちで話す。",
        ),
    ],
)
REF = sentences(
    "en",
    [
        (1, "nappo handled the lyrics and songwriting and DAZU-O provided the rapping."),
        (
            1,
            "Planning began in March during the pandemic and the circle expanded in the blink of an eye,"
            " with successive endorsements by singer-songwriter MANAMI (28) from Fukushima city, Jun Kanno (38),"
            " and others.",
        ),
        (1, 'Looking overwhelmed with emotion, nappo says, "It turned into an incredible lineup that would be'),
        (1, 'unimaginable in normal times. I want to enjoy this opportunity to the fullest."'),
    ],
)


def links(beads) -> list[tuple[list[str], list[str]]]:
    return [(b.src_ids, b.ref_ids) for b in beads if b.src_ids and b.ref_ids]


def evidence(src: list[Sentence], ref: list[Sentence]) -> Evidence:
    return Evidence(src, [""] * len(src), ref, Signals(mt=False), 0.3, PARAMS)


def test_a_link_takes_in_the_unaligned_sentence_beside_it() -> None:
    ev = evidence(SRC, REF)
    steps = [Step(0, 1, 0, 1, ev.score(0, 1, 0, 1)), Step(2, 1, 2, 1, ev.score(2, 1, 2, 1))]
    grown = extend_links(ev, steps, 2.6, GapCosts(skip=6.0))
    assert [s.span for s in grown] == [(0, 1, 0, 1), (2, 1, 2, 2)]


@pytest.mark.parametrize("skip", [6.0, 2.0])
def test_the_aligner_links_a_quotation_rendered_as_two_sentences(skip: float) -> None:
    beads = HybridAligner(AlignSection(skip_full=skip)).align(SRC, [""] * 3, REF)
    assert (["ja3"], ["en3", "en4"]) in links(beads)


def test_no_link_grows_over_a_taken_sentence_a_paragraph_break_or_into_a_truncated_reference() -> None:
    ref = [*REF[:2], Sentence("en3", "doc1", 1, "en", "reference", REF[2].text + "…", partial=True)]
    ev = evidence(SRC, ref)
    costs = GapCosts(skip=6.0)
    # the sentences beside the link are taken by the links before and after it
    steps = [Step(k, 1, k, 1, ev.score(k, 1, k, 1)) for k in range(3)]
    assert extend_links(ev, steps, 2.6, costs) == steps
    # a 2-1 bead over a truncated reference is never made
    steps = [Step(2, 1, 2, 1, ev.score(2, 1, 2, 1))]
    assert all(s.di == 1 for s in extend_links(ev, steps, 2.6, costs))
    # the neighbour is in another paragraph
    apart = [*REF[:3], Sentence("en4", "doc1", 2, "en", "reference", REF[3].text)]
    ev = evidence(SRC, apart)
    steps = [Step(2, 1, 2, 1, ev.score(2, 1, 2, 1))]
    assert extend_links(ev, steps, 2.6, costs) == steps


@pytest.mark.parametrize("name", ["dev2", "seed3"])
def test_the_seed_golds_two_one_beads_leave_no_sentence_unaligned(name: str) -> None:
    # the seed's 2-1 beads ("協商は…認めている。" + "同時に、…" → "The entente allows …"): the chain links one
    # of the two Japanese sentences, the third pass takes in the other instead of leaving it 1-0
    seg = segmenters.get("rules")(SegmentSection())
    src = [s for s in seg.segment(SEED.read_text(encoding="utf-8")).to_sentences() if s.lang == "ja"]
    text = (DATA / f"{name}_reference_en.txt").read_text(encoding="utf-8")
    ref = [s for s in seg.segment_reference(text).to_sentences() if s.lang == "en"]
    beads = HybridAligner(AlignSection()).align(src, [""] * len(src), ref)
    two_one = [b for b in beads if len(b.src_ids) == 2 and len(b.ref_ids) == 1]
    first = {"dev2": "協商はロシアと中国の両国が", "seed3": "ロシアとは異なり、中国は"}[name]
    by_id = {s.seg_id: s.text for s in src}
    assert any(by_id[b.src_ids[0]].startswith(first) for b in two_one)
