"""The evidence of one document: texts announced before beads compare them, and pieces' anchors made once."""

from __future__ import annotations

from test_align_signal_aligner import NOMAOI_REF, NOMAOI_SRC

from pipeline.align import evidence as evidence_module
from pipeline.align.chrf import NgramCache
from pipeline.align.dp import Box, Step
from pipeline.align.evidence import Evidence
from pipeline.align.hybrid import HybridAligner
from pipeline.config import AlignSection

# the MT of NOMAOI_SRC (written for the test: a sentence each)
MT = [
    "Fukushima Soma Nomaoi opens without spectators, horse racing and other highlights cancelled due to corona",
    "Soma Nomaoi, a traditional event with a thousand years of history on the coast of Fukushima, opened on the 25th.",
    "Nomaoi is said to originate when Taira no Masakado released wild horses and had his warriors train.",
    "The departure ceremony was held at Soma Nakamura Shrine in Soma City.",
    "Soma Michitane (46), a descendant of the Soma family, moves through the precincts on horseback.",
]


def evidence(aligner: HybridAligner) -> Evidence:
    return Evidence(NOMAOI_SRC, MT, NOMAOI_REF, aligner.use, aligner.cfg.length_weight, aligner.params)


def every_bead(box: Box) -> list[tuple[int, int, int, int]]:
    shapes = ((1, 1), (2, 1), (1, 2))
    return [
        (i, di, j, dj)
        for di, dj in shapes
        for i in range(box.i0, box.i1 - di + 1)
        for j in range(box.j0, box.j1 - dj + 1)
    ]


def test_the_gap_dps_and_the_crossing_beads_are_announced_together(monkeypatch) -> None:
    """After expect_gaps / expect_crossing, scoring those beads extracts nothing more (no prefix or join made
    one by one), and their scores are those of evidence that was told nothing."""
    aligner = HybridAligner(AlignSection())
    told, untold = evidence(aligner), evidence(aligner)
    box = Box(0, len(NOMAOI_SRC), 0, len(NOMAOI_REF))
    aligner.expect_gaps(told, [box])
    chain = [Step(3, 1, 1, 1, 0.9)]
    aligner.expect_crossing(told, chain, {chain[0].span})
    made: list[str] = []
    monkeypatch.setattr(NgramCache, "prefixes", lambda self, wanted: made.extend(t for t, _ in wanted))
    monkeypatch.setattr(NgramCache, "_keep", lambda self, texts, *_: made.extend(texts))
    beads = [*every_bead(box), (4, 1, 0, 1), (2, 1, 2, 1)]
    scores = [told.signals(*bead) for bead in beads]
    assert not made
    monkeypatch.undo()
    assert scores == [untold.signals(*bead) for bead in beads]


def test_a_pieces_anchors_are_made_once(monkeypatch) -> None:
    aligner = HybridAligner(AlignSection())
    ev = evidence(aligner)
    made: list[str] = []
    of = evidence_module.EnglishAnchors.of
    monkeypatch.setattr(
        evidence_module.EnglishAnchors, "of", lambda side, weights: made.append(side) or of(side, weights)
    )
    piece = "The commencement ceremony was held"
    first = [ev.score_text(i, 1, piece, False) for i in range(len(NOMAOI_SRC))]
    assert [ev.score_text(i, 1, piece, False) for i in range(len(NOMAOI_SRC))] == first
    assert len(made) == 1
