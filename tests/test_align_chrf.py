"""Sentence chrF from cached n-gram statistics: the same number as sacrebleu's sentence_chrf."""

from __future__ import annotations

import random
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st
from sacrebleu import sentence_chrf

from pipeline.align.chrf import NgramCache, chrf, joined_stats, ngram_stats
from pipeline.align.signals import chrf as signal_chrf

DATA = Path(__file__).resolve().parent / "data"
TOLERANCE = 1e-9


def sacrebleu_chrf(hyp: str, ref: str) -> float:
    return sentence_chrf(hyp, [ref]).score


def corpus_texts() -> list[str]:
    """English and Japanese lines of the seed and the alignment test data (references, gold beads)."""
    texts = [x for x in (DATA.parent.parent / "data" / "seed_ja.txt").read_text(encoding="utf-8").splitlines()]
    for path in sorted((DATA / "align").glob("*.txt")):
        texts += path.read_text(encoding="utf-8").splitlines()
    return sorted({t.strip() for t in texts if t.strip()})


def test_parity_on_thousands_of_pairs() -> None:
    texts = corpus_texts()
    rng = random.Random(0)
    cache = NgramCache()
    pairs = []
    for hyp in texts:
        for ref in rng.sample(texts, 16):
            pairs.append((hyp, ref))
            pairs.append((hyp[: rng.randrange(len(hyp) + 1)], ref))  # a prefix, as for a truncated reference
        pairs.append((hyp, hyp))
    assert len(pairs) > 3000
    for hyp, ref in pairs:
        assert abs(cache.chrf(hyp, ref) - sacrebleu_chrf(hyp, ref)) <= TOLERANCE, (hyp, ref)


def test_parity_on_edge_cases() -> None:
    cases = [
        ("", ""),
        ("", "a"),
        ("a", ""),
        ("a", "a"),
        ("ab", "a"),
        (" ", "x y"),
        ("...", "!?"),
        ("(hi)", "hi"),
        ("Hello, world!", "Hello world"),
        ("東京で会見", "東京で会見した"),
        ("東京　で", "東京で"),  # ideographic space is whitespace to both
        ("ＡＢＣ", "ABC"),
        ("aaaaaaa", "aaa"),
        ("abcdef", "abcdefg"),
        ("\t\n", "a\tb"),
        ("aa", "a\x002"),  # a text holding what a repeated n-gram's key looks like
        ("a\x002aa", "aaa\x002"),
    ]
    for hyp, ref in cases:
        assert abs(chrf(ngram_stats(hyp), ngram_stats(ref)) - sacrebleu_chrf(hyp, ref)) <= TOLERANCE, (hyp, ref)


@settings(max_examples=300, deadline=None)
@given(
    st.text(alphabet=st.sampled_from(list("abcab .,!東京会見ーア 　\n\x002")), max_size=40),
    st.text(alphabet=st.sampled_from(list("abcab .,!東京会見ーア 　\n\x002")), max_size=40),
)
def test_parity_property(hyp: str, ref: str) -> None:
    assert abs(NgramCache().chrf(hyp, ref) - sacrebleu_chrf(hyp, ref)) <= TOLERANCE


def test_cache_keeps_each_text_once() -> None:
    cache = NgramCache()
    first = cache.stats("Moscow, May 18")
    cache.chrf("Moscow, May 18", "Moscow")
    assert cache.stats("Moscow, May 18") is first


def test_signal_uses_the_same_score() -> None:
    mt, en = "Foreign Minister Lavrov spoke in Moscow.", "Russian Foreign Minister Sergey Lavrov, Moscow"
    assert signal_chrf(mt, en) == sacrebleu_chrf(mt, en) / 100
    assert signal_chrf(mt, en, ngrams=NgramCache()) == signal_chrf(mt, en)
    assert signal_chrf("  ", en) is None


def test_a_repeated_pair_gets_the_same_score() -> None:
    cache = NgramCache()
    pairs = [("Moscow, May 18", "Moscow"), ("Moscow", "Moscow, May 18"), ("Moscow, May 18", "Moscow")]
    scores = [cache.chrf(hyp, ref) for hyp, ref in pairs]
    assert scores[0] == scores[2] == chrf(ngram_stats(pairs[0][0]), ngram_stats(pairs[0][1]))
    assert scores[1] == chrf(ngram_stats(pairs[1][0]), ngram_stats(pairs[1][1]))  # the order matters


JOIN_ALPHABET = st.sampled_from(list("aab .東ーア 　\n\x002"))


@settings(max_examples=500, deadline=None)
@given(st.lists(st.text(alphabet=JOIN_ALPHABET, max_size=14), min_size=1, max_size=3))
def test_a_join_has_the_statistics_of_its_text(parts: list[str]) -> None:
    """A join's statistics, computed from its parts', are those extracted from the joined text."""
    cache = NgramCache()
    text = cache.join(parts)
    assert text == " ".join(parts)
    assert cache.stats(text) == ngram_stats(text)


def test_joined_stats_on_real_sentences() -> None:
    texts = corpus_texts()
    rng = random.Random(1)
    for _ in range(300):
        a, b = rng.choice(texts), rng.choice(texts)
        assert joined_stats(ngram_stats(a), ngram_stats(b)) == ngram_stats(f"{a} {b}"), (a, b)
        cache = NgramCache()
        joined = cache.join([a, b])
        assert abs(cache.chrf(joined, b) - sacrebleu_chrf(joined, b)) <= TOLERANCE
