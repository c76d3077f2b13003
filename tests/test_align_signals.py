"""The MT signal's baseline: the chrF that unrelated pairs reach, read from the document's sentence scores."""

from __future__ import annotations

import random

import pytest
from test_align_chrf import corpus_texts

from pipeline.align import chrf as chrf_module
from pipeline.align.chrf import NgramCache
from pipeline.align.params import PARAMS, MTParams
from pipeline.align.signals import chrf_baseline


def scalar_baseline(mt: list[str], en: list[str], params: MTParams) -> float:
    """The baseline as it was computed pair by pair: each random pair's chrF (sacrebleu's number), sorted."""
    mt, en = [a for a in mt if a.strip()], [b for b in en if b.strip()]
    cache, rng = NgramCache(), random.Random(params.baseline_seed)
    scores = sorted(cache.chrf(rng.choice(mt), rng.choice(en)) / 100 for _ in range(params.baseline_samples))
    return scores[int(params.baseline_quantile * (len(scores) - 1))]


def documents() -> list[tuple[list[str], list[str]]]:
    texts = corpus_texts()
    rng = random.Random(3)
    docs = [(rng.sample(texts, rng.randrange(1, 30)), rng.sample(texts, rng.randrange(1, 30))) for _ in range(6)]
    docs.append((["", "a", "ab ab", "  ", "a"], ["a", "", "x y z", "ab", "a"]))  # blanks and repeats
    return docs


@pytest.mark.parametrize("seed", [0, 1, 7])
def test_the_baseline_from_the_table_is_the_pair_by_pair_baseline(seed: int) -> None:
    """The same random pairs (the same draws of random.Random(seed)), read from the document's table of
    sentence scores: the same number as each pair scored alone."""
    params = MTParams(baseline_seed=seed)
    for mt, ref in documents():
        cache = NgramCache.for_document(mt, ref)
        cache.score_sentences(mt, ref)
        assert chrf_baseline(mt, ref, params, cache) == scalar_baseline(mt, ref, params)


def test_without_a_table_the_pairs_are_scored_one_by_one(monkeypatch) -> None:
    monkeypatch.setattr(chrf_module, "MAX_TABLE_BYTES", 0)
    for mt, ref in documents():
        cache = NgramCache.for_document(mt, ref)
        cache.score_sentences(mt, ref)
        assert chrf_baseline(mt, ref, PARAMS.mt, cache) == scalar_baseline(mt, ref, PARAMS.mt)


def test_a_text_outside_the_table_is_not_looked_up_in_it() -> None:
    cache = NgramCache.for_document(["a b c", "d e"], ["a b", "c"])
    cache.score_sentences(["a b c", "d e"], ["a b", "c"])
    assert chrf_baseline(["x", "a b c"], ["c"], PARAMS.mt, cache) == scalar_baseline(["x", "a b c"], ["c"], PARAMS.mt)
