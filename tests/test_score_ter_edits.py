"""TER's segment statistics from ``pipeline.score.ter_edits`` equal sacrebleu 2.6's ``sentence_score``'s
[num_edits, ref_length] exactly, shifts, beams and edge cases included."""

from __future__ import annotations

import json
import random
import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sacrebleu.metrics import TER, lib_ter

from pipeline.config import ScoreSection
from pipeline.score import ter_edits
from pipeline.score.ter import TerMetric
from pipeline.score.ter_edits import beam_bounds, perform_shift, ter_statistics, translation_edit_rate

DATA = Path(__file__).resolve().parent / "data" / "align"
SEED_GOLD = DATA.parent / "seed_gold.txt"


def sentences() -> list[str]:
    """The English sentences of the alignment test data (references and gold beads) and the seed's
    references, 3 words or more."""
    lines = SEED_GOLD.read_text(encoding="utf-8").splitlines()
    texts = [line.split("\t", 1)[1] for line in lines if line.startswith("reference\t")]
    for path in sorted(DATA.glob("*_en.txt")):
        texts += re.split(r"(?<=[.!?])\s+|\n", path.read_text(encoding="utf-8"))
    for path in sorted(DATA.glob("*_gold.json")):
        texts += [" ".join(bead["en"]) for bead in json.loads(path.read_text(encoding="utf-8"))]
    return sorted({t.strip() for t in texts if len(t.split()) >= 3})


def perturbed(words: list[str], rng: random.Random) -> list[str]:
    """``words`` with spans moved and words deleted, duplicated or replaced, so that shifts happen."""
    words = list(words)
    for _ in range(rng.randint(1, 3)):  # move a span of 1-6 words elsewhere
        i = rng.randrange(len(words))
        span = words[i : i + rng.randint(1, 6)]
        del words[i : i + len(span)]
        j = rng.randint(0, len(words))
        words[j:j] = span
    if rng.random() < 0.5 and len(words) > 1:
        del words[rng.randrange(len(words))]
    if rng.random() < 0.5:
        i = rng.randrange(len(words))
        words.insert(i, words[i])
    if rng.random() < 0.5:
        words[rng.randrange(len(words))] = rng.choice(["the", "of", "and", "Putin", "."])
    return words


def pairs() -> list[tuple[str, str]]:
    """About two thousand (hypothesis, reference) pairs: perturbed, shuffled, unrelated, joined and empty."""
    texts, rng = sentences(), random.Random(21)
    out: list[tuple[str, str]] = []
    for k, ref in enumerate(texts):
        words = ref.split()
        out += [(" ".join(perturbed(words, rng)), ref) for _ in range(24)]
        if k % 3 == 0:  # every word shuffled (slow in sacrebleu: ~0.1 s a pair)
            out.append((" ".join(rng.sample(words, len(words))), ref))
        out.append((rng.choice(texts), ref))  # another sentence
        out.append((ref.upper() + "  ", ref))  # TER lowercases and strips
    for _ in range(12):  # long sentences, far beyond the beam, and shifts near _MAX_SHIFT_DIST
        ref = " ".join(rng.sample(texts, 4))
        out.append((" ".join(perturbed(ref.split(), rng)), ref))
    long_ref = " ".join(texts[:8])
    out += [("Putin .", long_ref), (long_ref, "Putin said .")]  # length ratios beyond 2 × the beam width
    out += [("", ""), ("", texts[0]), (texts[0], ""), ("   ", texts[1]), (texts[1], " ")]
    return out


def sacrebleu_statistics(hyp: str, ref: str) -> list[float]:
    result = TER().sentence_score(hyp, [ref])
    return [result.num_edits, result.ref_length]


def test_parity_with_sentence_score_on_thousands_of_pairs() -> None:
    metric, checked = TER(), pairs()
    assert len(checked) >= 1900
    mismatches = [(h, r) for h, r in checked if ter_statistics(metric, h, r) != sacrebleu_statistics(h, r)]
    assert mismatches == []
    assert [type(x) for x in ter_statistics(metric, *checked[0])] == [int, float]  # as sacrebleu's


def test_candidates_scored_in_groups_give_the_same(monkeypatch: pytest.MonkeyPatch) -> None:
    """Long sentences score their candidates in groups (``BATCH_CELLS``); one at a time changes nothing."""
    monkeypatch.setattr(ter_edits, "BATCH_CELLS", 1)
    metric = TER()
    for hyp, ref in pairs()[::40]:
        assert ter_statistics(metric, hyp, ref) == sacrebleu_statistics(hyp, ref)


def test_the_metric_segment_uses_them() -> None:
    metric = TerMetric(ScoreSection())
    for hyp, ref in pairs()[:50]:
        assert metric.segment(hyp, ref).stats == sacrebleu_statistics(hyp, ref)
        assert metric.segment(hyp, ref).score is None  # corpus-only


def test_shifts_happen_and_stop_at_the_candidate_budget(monkeypatch: pytest.MonkeyPatch) -> None:
    ref = "a b c d e f g h i j".split()
    assert translation_edit_rate("f g h i j a b c d e".split(), ref) == (1, 10)  # one shift of five words
    # few distinct words: four shifts, then the fifth step's candidates pass _MAX_SHIFT_CANDIDATES
    hyp = "3 2 0 4 1 4 5 5 2 4 5 2 2 0 5 2 2 0 2 2 0 4 3 4 4 2 4 4 4 0 1 4 1 0 4 3 3 0 3 1".split()
    ref = "2 0 5 2 2 0 2 2 0 4 3 4 4 2 4 4 1 4 5 5 4 0 1 4 1 3 2 0 4 0 4 5 2 2 4 3 3 0 3 1".split()
    counts, shift = [], lib_ter._shift

    def counted(*args: object) -> tuple:
        result = shift(*args)
        counts.append(result[2])  # candidates checked so far
        return result

    monkeypatch.setattr(lib_ter, "_shift", counted)
    assert translation_edit_rate(hyp, ref) == lib_ter.translation_edit_rate(hyp, ref) == (10, 40)
    assert len(counts) == 5 and counts[-2] < ter_edits.MAX_SHIFT_CANDIDATES <= counts[-1]


def test_sacrebleus_prefix_cache_does_not_change_its_results(monkeypatch: pytest.MonkeyPatch) -> None:
    """The cache only saves work (a shift keeps the hypothesis length, so a row depends only on the words
    before it), which is why ``ter_edits`` can score candidates from the current hypothesis' rows."""
    checked = [(h.lower().split(), r.lower().split()) for h, r in pairs()[::25]]
    cached = [lib_ter.translation_edit_rate(h, r) for h, r in checked]
    monkeypatch.setattr(lib_ter, "_MAX_CACHE_SIZE", 0)
    assert [lib_ter.translation_edit_rate(h, r) for h, r in checked] == cached


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.sampled_from("abcdefgh"), max_size=30),
    st.lists(st.sampled_from("abcdefgh"), max_size=30),
)
def test_equal_to_sacrebleu_on_any_words(hyp: list[str], ref: list[str]) -> None:
    assert translation_edit_rate(hyp, ref) == lib_ter.translation_edit_rate(hyp, ref)


def test_beam_is_sacrebleus() -> None:
    assert beam_bounds(40, 80)[1:4] == [(0, 27), (0, 29), (0, 31)]  # ratio 2: pseudo-diagonal 2i, width 25
    assert beam_bounds(40, 80)[39:] == [(53, 81), (55, 81)]  # the last row whole
    lo, hi = beam_bounds(100, 100)[60]
    assert (lo, hi) == (60 - ter_edits.BEAM_WIDTH, 60 + ter_edits.BEAM_WIDTH)
    assert beam_bounds(1, 200)[1] == (200 - 125, 201)  # ratio 200: the width ceil(100 + 25), the last row whole


def test_restated_constants_are_sacrebleus() -> None:
    names = ("COST_INS", "COST_DEL", "COST_SUB", "MAX_SHIFT_SIZE", "MAX_SHIFT_DIST", "BEAM_WIDTH")
    names += ("MAX_SHIFT_CANDIDATES", "OP_INS", "OP_DEL", "OP_NOP", "OP_SUB", "OP_UNDEF")
    for name in names:
        assert getattr(ter_edits, name) == getattr(lib_ter, f"_{name}"), name
    assert ter_edits.INFINITY == lib_ter._INT_INFINITY


def test_perform_shift_is_sacrebleus() -> None:
    words = list(range(7))
    for start in range(7):
        for length in range(1, 8 - start):
            for target in range(8):
                args = (words, start, length, target)
                assert perform_shift(*args) == lib_ter._perform_shift(*args)
