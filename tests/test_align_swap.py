"""Local reordering: two adjacent sentences the translator swapped are linked crosswise (the text is
the WMT21 tune half's yahoo-ja.977772, its English reordered as a translator might)."""

from __future__ import annotations

from pathlib import Path

from aligntexts import sentences

from pipeline.align.dp import Step
from pipeline.align.evidence import Evidence, Signals
from pipeline.align.hybrid import HybridAligner
from pipeline.align.params import PARAMS
from pipeline.align.swap import crossing_links, with_crossing
from pipeline.config import AlignSection
from pipeline.consistency import check_alignment

JA = [
    "新型コロナの影響で音楽活動の拠点となるライブハウスが休業し、多くの音楽家が歌う場所を失った。",
    "ナッポさんは作詞と作曲、ダズオさんはラップを担当する。",
    "コロナ禍の三月に企画がスタートすると、福島市出身のシンガー・ソングライターＭＡＮＡＭＩ（マナミ）さん（２８ ） 、"
    " 菅野潤さん（３８）らが次々と賛同し、瞬く間に輪が広がった。",
    "ナッポさんは「平常時では考えられない豪華な顔ぶれになった。この機会を存分に楽しみたい」と感無量の面持ちで話す。",
]
EN = [
    "With the live music venues that provide a platform for music activities forced to close due to the impact of"
    " COVID-19, many musicians are without a place to sing or perform.",
    "Planning began in March during the pandemic and the circle expanded in the blink of an eye, with successive"
    " endorsements by singer-songwriter MANAMI (28) from Fukushima city, Jun Kanno (38), and others.",
    "nappo handled the lyrics and songwriting and DAZU-O provided the rapping.",
    'Looking overwhelmed with emotion, nappo says, "It turned into an incredible lineup that would be unimaginable'
    ' in normal times. I want to enjoy this opportunity to the fullest."',
]


def test_swapped_sentences_are_linked_crosswise() -> None:
    src, ref = sentences("ja", JA), sentences("en", EN)
    beads = HybridAligner(AlignSection()).align(src, [""] * len(src), ref)
    linked = [(b.src_ids, b.ref_ids) for b in beads if b.src_ids and b.ref_ids]
    assert (["ja2"], ["en3"]) in linked and (["ja3"], ["en2"]) in linked
    # every sentence once (the align stage's artifact checks accept the beads), the beads in source order
    check_alignment(Path("alignment.jsonl"), list(enumerate(beads, 1)), [*src, *ref])
    assert [b.src_ids for b in beads if b.src_ids] == [[s.seg_id] for s in src]
    assert all(b.score > 0.5 for b in beads if b.src_ids and b.ref_ids)


def test_only_free_neighbours_or_weaker_gap_links_on_evidence_above_the_threshold_cross() -> None:
    src, ref = sentences("ja", JA), sentences("en", EN)
    ev = Evidence(src, [""] * len(src), ref, Signals(mt=False), 0.3, PARAMS)
    link = Step(1, 1, 2, 1, ev.score(1, 1, 2, 1))
    links = [Step(0, 1, 0, 1, 0.9), link, Step(3, 1, 3, 1, 0.9)]
    anchored = {s.span for s in links}
    crossing, kept = crossing_links(ev, links, anchored, 0.35)
    assert [s.span for s in crossing] == [(2, 1, 1, 1)] and kept == links
    path = [links[0], Step(1, 0, 1, 1, 0.0), link, Step(2, 1, 3, 0, 0.0), links[2]]  # 0-1, link, 1-0
    assert [s.span for s in with_crossing(path, crossing)] == [(0, 1, 0, 1), (1, 1, 2, 1), (2, 1, 1, 1), (3, 1, 3, 1)]
    # above every evidence: nothing crosses
    assert crossing_links(ev, links, anchored, 1.0) == ([], links)
    # the reference neighbour is held by a chain link: nothing crosses
    held = [Step(0, 1, 0, 2, 0.9), link, links[2]]
    assert crossing_links(ev, held, {s.span for s in held}, 0.35) == ([], held)
    # a gap link of less evidence gives way (the gap DP paired the source sentence with the last one)
    guessed = Step(2, 1, 3, 1, 0.01)
    crossing, kept = crossing_links(ev, [links[0], link, guessed], {links[0].span, link.span}, 0.35)
    assert [s.span for s in crossing] == [(2, 1, 1, 1)] and kept == [links[0], link]
