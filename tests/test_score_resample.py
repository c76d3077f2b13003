"""Corpus scores and bootstrap intervals from segment statistics computed once equal sacrebleu's own
(``corpus_score`` and ``PairedTest``) exactly: same floats, same detail line, same signature."""

from __future__ import annotations

import random
import re
from pathlib import Path

import pytest
from sacrebleu.metrics import BLEU, CHRF, TER

from pipeline.config import ScoreSection
from pipeline.score import stage as _stage  # noqa: F401  (registers the metrics)
from pipeline.score import statistics
from pipeline.score.base import metrics
from pipeline.score.sacrebleu_metric import bootstrap_interval
from pipeline.score.statistics import StatsTable

CORPUS = Path(__file__).resolve().parent.parent / "pipeline" / "translate" / "tiny_corpus_en.txt"


def references(n: int) -> list[str]:
    """``n`` English sentences (short ones, so TER's shift search stays quick)."""
    text = CORPUS.read_text(encoding="utf-8")
    sentences = [s.strip() for s in re.split(r"(?<=[.!?])\s+|\n", text) if 3 <= len(s.split()) <= 25]
    return sentences[:n]


def hypotheses(refs: list[str], seed: int = 3) -> list[str]:
    """Each reference with words dropped, swapped and replaced (deterministically), some left whole."""
    rng = random.Random(seed)
    out = []
    for ref in refs:
        words = ref.split()
        words = [w for w in words if rng.random() > 0.2] or words[:1]
        if len(words) > 3 and rng.random() < 0.5:
            i = rng.randrange(len(words) - 1)
            words[i], words[i + 1] = words[i + 1], words[i]
        words = [("the" if rng.random() < 0.1 else w) for w in words]
        out.append(" ".join(words))
    return out


def sacrebleu_object(name: str) -> BLEU | CHRF | TER:
    return {"bleu": BLEU(), "chrf": CHRF(), "ter": TER()}[name]


REFS = references(151)  # odd, so no resample draws an even number of indices by chance
HYPS = hypotheses(REFS)
EDGE = (["", "a few words", "the cat", "."], ["", "", "the cat sat", "."])  # empty references: TER's other cases


@pytest.mark.parametrize("name", ["bleu", "chrf", "ter"])
@pytest.mark.parametrize(("hyps", "refs"), [(HYPS, REFS), (HYPS[:1], REFS[:1]), EDGE], ids=["corpus", "one", "edge"])
def test_corpus_score_equals_sacrebleu(name: str, hyps: list[str], refs: list[str]) -> None:
    ours = metrics.get(name)(ScoreSection()).corpus(hyps, refs)
    theirs = sacrebleu_object(name)
    want = theirs.corpus_score(hyps, [refs])
    assert (ours.score, ours.detail, ours.signature) == (want.score, want.format(width=2), str(theirs.get_signature()))
    assert ours.ci is None


@pytest.mark.parametrize("name", ["bleu", "chrf", "ter"])
@pytest.mark.parametrize("seed", [12345, 7])
@pytest.mark.parametrize(("hyps", "refs"), [(HYPS, REFS), EDGE], ids=["corpus", "edge"])
def test_bootstrap_equals_paired_test(name: str, seed: int, hyps: list[str], refs: list[str]) -> None:
    ours = metrics.get(name)(ScoreSection()).corpus(hyps, refs, n_bootstrap=200, seed=seed)
    score, ci, signature = bootstrap_interval(sacrebleu_object(name), hyps, refs, 200, seed)
    assert (ours.score, ours.ci, ours.signature) == (score, ci, signature)
    assert f"bs:200|seed:{seed}" in ours.signature


def test_segments_computed_once_give_the_same_corpus(monkeypatch: pytest.MonkeyPatch) -> None:
    """The stage's route: segments (from the workers) stacked, in chunks, and summed, not the text scored
    again: sacrebleu's corpus score, interval and signature."""
    monkeypatch.setattr(statistics, "CHUNK_ROWS", 16)  # several chunks, the last one short
    for name in ("bleu", "chrf", "ter"):
        metric = metrics.get(name)(ScoreSection())
        table = StatsTable()
        for h, r in zip(HYPS, REFS):
            table.add(metric.segment(h, r).stats or ())
        assert len(table) == len(HYPS) and len(table.chunks) == len(HYPS) // 16
        ours = metric.corpus_of(table.array(), 100, 1)
        score, ci, signature = bootstrap_interval(sacrebleu_object(name), HYPS, REFS, 100, 1)
        assert (ours.score, ours.ci, ours.signature, ours.n) == (score, ci, signature, len(HYPS))
        assert ours.detail == sacrebleu_object(name).corpus_score(HYPS, [REFS]).format(width=2)
    for name in ("bleu", "chrf"):
        metric = metrics.get(name)(ScoreSection())
        pairs = list(zip(HYPS, REFS))
        assert [metric.segment(h, r).score for h, r in pairs] == [metric.sentence(h, r) for h, r in pairs]


def test_chrf_plus_plus_from_statistics_equals_sacrebleu() -> None:
    """chrF++ (word n-grams too): its statistics give sacrebleu's corpus score and interval."""
    section = ScoreSection(chrf_word_order=2)
    ours = metrics.get("chrf")(section).corpus(HYPS, REFS, n_bootstrap=100, seed=5)
    score, ci, signature = bootstrap_interval(CHRF(word_order=2), HYPS, REFS, 100, 5)
    assert (ours.score, ours.ci, ours.signature) == (score, ci, signature)
    assert metrics.get("ter")(ScoreSection()).segment(HYPS[0], REFS[0]).score is None  # TER is corpus-only
