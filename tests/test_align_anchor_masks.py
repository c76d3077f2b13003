"""Lexical anchors as bit masks: what a source sentence finds in an English one, and a bead's anchor
score, the same as matched concept by concept with sets."""

from __future__ import annotations

import random
from pathlib import Path

from pipeline.align.anchor_masks import EnglishAnchors, SourceAnchors, Weighed, matches
from pipeline.align.evidence import Evidence, Signals
from pipeline.align.lexicon import Concept, EnglishSide, english, japanese, name_matches
from pipeline.align.params import PARAMS, KindWeights
from pipeline.align.signals import anchor_score, en_kind
from pipeline.records import Sentence

DATA = Path(__file__).resolve().parent / "data"
SIMILAR = PARAMS.anchors.name_min_similarity
WEIGHTS = PARAMS.anchors.kind_weight


def seed_sentences() -> tuple[list[str], list[str]]:
    """The seed page's Japanese lines and the English references of the alignment test data."""
    ja = [x.strip() for x in (DATA.parent.parent / "data" / "seed_ja.txt").read_text(encoding="utf-8").splitlines()]
    en = []
    for path in sorted((DATA / "align").glob("*_en.txt")):
        en += [x.strip() for x in path.read_text(encoding="utf-8").splitlines()]
    return [x for x in ja if x and not x.isascii()][:40], [x for x in en if x][:60]


def by_sets(concepts: list[Concept], side: EnglishSide) -> tuple[set[int], set[int]]:
    """(the concepts found, the word positions covered), concept by concept."""
    found, covered = set(), set()
    for ci, c in enumerate(concepts):
        stems = {k for k, st in enumerate(side.stems) if st in c.stems}
        if stems:
            found.add(ci)
            covered |= stems
        elif c.readings and (hits := name_matches(c, side, SIMILAR)):
            found.add(ci)
            covered |= hits
    return found, covered


def bits(mask: int) -> set[int]:
    return {k for k in range(mask.bit_length()) if mask >> k & 1}


def test_a_pair_finds_what_sets_find() -> None:
    ja, en = seed_sentences()
    rng = random.Random(0)
    found_any = 0
    for text in ja:
        concepts = japanese(text)
        source = SourceAnchors.of(concepts, WEIGHTS)
        for ref in rng.sample(en, 12):
            side = english(ref)
            concepts_found, words = matches(source, EnglishAnchors.of(side, WEIGHTS), SIMILAR)
            assert (bits(concepts_found), bits(words)) == by_sets(concepts, side), (text, ref)
            found_any += concepts_found != 0
    assert found_any > 20


def test_a_mask_weighs_as_its_anchors_one_by_one() -> None:
    kinds = ["word", "name", "number", "word", "latin", "name", "word"]
    weights = KindWeights(number=2.0, latin=1.5, name=1.25, word=0.5)
    weighed = Weighed.of(kinds, weights)
    assert weighed.total == sum(weights.of(k) for k in kinds)
    rng = random.Random(1)
    for _ in range(50):
        mask = rng.getrandbits(len(kinds))
        assert weighed.weight(mask) == sum(weights.of(kinds[k]) for k in bits(mask))
    assert Weighed.of([], weights).weight(0) == 0.0


def anchors_by_sets(ja: list[str], en: list[str], partial: bool) -> float | None:
    """The anchor score of the bead (all of ``ja`` with all of ``en``), matched with sets."""
    concepts = [japanese(x) for x in ja]
    sides = [english(x) for x in en]
    total_ja = sum(WEIGHTS.of(c.kind) for cs in concepts for c in cs)
    total_en = sum(WEIGHTS.of(en_kind(w)) for side in sides for w in side.words)
    if not total_ja or not total_en:
        return None
    pairs = [[by_sets(cs, side) for side in sides] for cs in concepts]
    matched = sum(WEIGHTS.of(cs[c].kind) for cs, row in zip(concepts, pairs) for c in set().union(*(f for f, _ in row)))
    covered = sum(
        WEIGHTS.of(en_kind(side.words[k]))
        for y, side in enumerate(sides)
        for k in set().union(*(row[y][1] for row in pairs))
    )
    return anchor_score(matched, total_ja, covered, total_en, partial, PARAMS.anchors)


def test_a_beads_anchor_score_is_the_one_matched_with_sets() -> None:
    ja, en = seed_sentences()
    src = [Sentence(f"ja{k}", "d", 1, "ja", "body", x) for k, x in enumerate(ja[:8])]
    rng = random.Random(2)
    anchored = 0
    for partial in (False, True):
        texts = rng.sample(en, 8)
        ref = [Sentence(f"en{k}", "d", 1, "en", "reference", x, partial=partial) for k, x in enumerate(texts)]
        ev = Evidence(src, [""] * len(src), ref, Signals(mt=False), 0.3)
        for i in range(len(src) - 1):
            for j in range(len(ref) - 1):
                for di, dj in ((1, 1), (2, 1), (1, 2)):
                    expected = anchors_by_sets(ja[i : i + di], texts[j : j + dj], partial)
                    assert ev.lexical(i, di, j, dj) == expected, (i, di, j, dj)
                    anchored += bool(expected)
    assert anchored > 100
