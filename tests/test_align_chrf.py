"""Sentence chrF from cached n-gram statistics: the same number as sacrebleu's sentence_chrf."""

from __future__ import annotations

import random
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st
from sacrebleu import sentence_chrf

from pipeline.align import chrf as chrf_module
from pipeline.align import ngrams
from pipeline.align.chrf import NgramCache, chrf, ngram_stats
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
        assert abs(chrf(*ngram_stats([hyp, ref])) - sacrebleu_chrf(hyp, ref)) <= TOLERANCE, (hyp, ref)


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
    assert scores[0] == scores[2] == chrf(*ngram_stats(pairs[0]))
    assert scores[1] == chrf(*ngram_stats(pairs[1]))  # the order matters


JOIN_ALPHABET = st.sampled_from(list("aab .東ーア 　\n\x002"))


def document_pairs(mt: list[str], ref: list[str], rng: random.Random) -> list[tuple[str, str]]:
    """The pairs an aligner scores in a document: sentences, two joined, prefixes, pieces of references."""
    hyps = [*mt, *(" ".join(mt[k : k + 2]) for k in range(len(mt) - 1))]
    refs = [*ref, *(" ".join(ref[k : k + 2]) for k in range(len(ref) - 1))]
    refs += [r[: rng.randrange(len(r) + 1)] for r in ref] + [r[rng.randrange(len(r) + 1) :] for r in ref]
    return [(h, r) for h in hyps for r in refs]


def check_document(mt: list[str], ref: list[str], seed: int = 0) -> None:
    rng = random.Random(seed)
    cache = NgramCache.for_document(mt, ref)
    for hyp, ref_text in document_pairs(mt, ref, rng):
        assert abs(cache.chrf(hyp, ref_text) - sacrebleu_chrf(hyp, ref_text)) <= TOLERANCE, (hyp, ref_text)
        size = rng.randrange(len(hyp) + 2)
        prefix = cache.prefix(hyp, size)
        assert prefix == hyp[:size]
        assert abs(cache.chrf(prefix, ref_text) - sacrebleu_chrf(prefix, ref_text)) <= TOLERANCE, (prefix, ref_text)


def test_a_document_cache_scores_its_sentences_joins_prefixes_and_pieces() -> None:
    texts = corpus_texts()
    english = [t for t in texts if t.isascii()]
    rng = random.Random(2)
    for _ in range(4):
        check_document(rng.sample(english, 5), rng.sample(english, 5))
    check_document(rng.sample(texts, 4), rng.sample(texts, 4))  # Japanese on either side


def test_a_large_vocabulary_keeps_sets_of_bits(monkeypatch) -> None:
    monkeypatch.setattr(ngrams, "MASK_BITS", 64)
    texts = corpus_texts()
    rng = random.Random(3)
    mt, ref = rng.sample(texts, 3), rng.sample(texts, 3)
    cache = NgramCache.for_document(mt, ref)
    assert not cache._stats  # a large document's texts are extracted when asked for
    cache.chrf(mt[0], " ".join(ref[:2]))
    assert len(cache._stats) == 2
    assert all(isinstance(k, frozenset) for s in cache._stats.values() for k in s.keys)
    check_document(rng.sample(texts, 3), rng.sample(texts, 3))


def test_text_outside_the_document_is_scored_the_same() -> None:
    mt, ref = ["Lavrov spoke in Moscow.", "aaaa"], ["Sergey Lavrov, Moscow", "aa"]
    cache = NgramCache.for_document(mt, ref)
    for hyp in ("Lavrov spoke in Moscow. Moscow Moscow", "東京で会見", "aaaaaaaaa", ""):
        for ref_text in (*ref, "Tokyo 東京 aaa"):
            assert abs(cache.chrf(hyp, ref_text) - sacrebleu_chrf(hyp, ref_text)) <= TOLERANCE, (hyp, ref_text)


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.text(alphabet=JOIN_ALPHABET, max_size=14), min_size=1, max_size=3),
    st.lists(st.text(alphabet=JOIN_ALPHABET, max_size=14), min_size=1, max_size=3),
)
def test_a_document_cache_property(mt: list[str], ref: list[str]) -> None:
    """Whitespace, repeats, one-character and empty sentences: a document's texts score as sacrebleu's."""
    check_document(mt, ref)


def test_masks_or_ed_bit_by_bit_are_the_packed_tables(monkeypatch) -> None:
    texts = corpus_texts()
    rng = random.Random(4)
    mt, ref = rng.sample(texts, 4), rng.sample(texts, 4)
    packed = NgramCache.for_document(mt, ref)
    monkeypatch.setattr(ngrams, "SPREAD_BITS", 0)  # every table sparse: bits or-ed into their bytes
    spread = NgramCache.for_document(mt, ref)
    assert packed._stats == spread._stats
    check_document(mt, ref)


def test_the_pieces_of_a_sentence_extracted_together_are_its_pieces_statistics() -> None:
    """A cut reference's pieces (NgramCache.pieces, from its stream) score as looked up and as sacrebleu's."""
    texts = corpus_texts()
    rng = random.Random(5)
    for _ in range(6):
        mt, ref = rng.sample(texts, 3), rng.sample(texts, 4)
        cache, looked_up = NgramCache.for_document(mt, ref), NgramCache.for_document(mt, ref)
        for text in ref:
            bounds = sorted({tuple(sorted(rng.sample(range(len(text) + 1), 2))) for _ in range(8)})
            cache.pieces(text, bounds)
            for start, end in bounds:
                piece = text[start:end]
                assert cache._stats[piece] == ngram_stats([piece], looked_up.vocabulary)[0], piece
                for hyp in mt:
                    assert abs(cache.chrf(hyp, piece) - sacrebleu_chrf(hyp, piece)) <= TOLERANCE, (hyp, piece)
    cache = NgramCache.for_document(["a b"], ["c d"])
    cache.pieces("not a sentence of the document", [(0, 3)])
    assert "not" not in cache._stats


def test_joins_are_extracted_when_asked_for_together_or_alone() -> None:
    texts = corpus_texts()
    rng = random.Random(6)
    mt, ref = rng.sample(texts, 5), rng.sample(texts, 4)
    joins = [" ".join(mt[k : k + 2]) for k in range(4)] + [" ".join(ref[k : k + 2]) for k in range(3)]
    together, alone = NgramCache.for_document(mt, ref), NgramCache.for_document(mt, ref)
    assert not any(join in together._stats for join in joins)  # a join is extracted when asked for
    together.extract([*joins[1:4], joins[5], "not a text of the document"])
    assert sum(join in together._stats for join in joins) == 4
    for join in joins:
        assert together.stats(join) == alone.stats(join)
        for hyp in mt:
            assert abs(together.chrf(hyp, join) - sacrebleu_chrf(hyp, join)) <= TOLERANCE, (hyp, join)


def test_prefixes_made_together_are_those_made_alone() -> None:
    texts = corpus_texts()
    rng = random.Random(7)
    mt, ref = rng.sample(texts, 4), rng.sample(texts, 3)
    joins = [" ".join(mt[k : k + 2]) for k in range(3)]
    wanted = [(hyp, rng.randrange(len(hyp) + 2)) for hyp in [*mt, *joins] for _ in range(3)]
    together, alone = NgramCache.for_document(mt, ref), NgramCache.for_document(mt, ref)
    together.prefixes(wanted)
    for hyp, size in wanted:
        piece = hyp[:size]
        assert together._stats[piece] == alone.stats(alone.prefix(hyp, size)), (hyp, size)
        for ref_text in ref:
            assert abs(together.chrf(piece, ref_text) - sacrebleu_chrf(piece, ref_text)) <= TOLERANCE


def test_a_documents_sentence_pairs_scored_together_are_the_pairs_scores() -> None:
    """chrf_table: every MT sentence against every reference at once, the very numbers chrf gives."""
    texts = corpus_texts()
    rng = random.Random(8)
    documents = [(rng.sample(texts, 6), rng.sample(texts, 5)) for _ in range(5)]
    documents.append((["", "a", "ab ab", "  "], ["a", "", "x y z", "ab"]))  # empty, one character, whitespace
    for mt, ref in documents:
        together, alone = NgramCache.for_document(mt, ref), NgramCache.for_document(mt, ref)
        together.score_sentences(mt, ref)
        assert len(together._scores) == len(set(mt)) * len(set(ref))
        for hyp in mt:
            for ref_text in ref:
                assert together._scores[hyp, ref_text] == chrf(alone.stats(hyp), alone.stats(ref_text))
                assert abs(together._scores[hyp, ref_text] - sacrebleu_chrf(hyp, ref_text)) <= TOLERANCE


def test_a_large_documents_sentence_pairs_are_left_to_be_scored_one_by_one(monkeypatch) -> None:
    monkeypatch.setattr(chrf_module, "MAX_TABLE_BYTES", 0)
    cache = NgramCache.for_document(["a b c"], ["a b"])
    cache.score_sentences(["a b c"], ["a b"])
    assert not cache._scores


def test_a_prefix_made_before_is_returned_with_the_same_statistics() -> None:
    """prefix() on a prefix prefixes() made already: the same text and statistics, made once."""
    texts = corpus_texts()
    mt, ref = texts[:3], texts[3:5]
    cache, fresh = NgramCache.for_document(mt, ref), NgramCache.for_document(mt, ref)
    wanted = [(hyp, size) for hyp in mt for size in (0, 3, len(hyp) // 2, len(hyp) + 1)]
    cache.prefixes(wanted)
    made = dict(cache._stats)
    for hyp, size in wanted:
        assert cache.prefix(hyp, size) == hyp[:size]
        assert cache.stats(hyp[:size]) is made[hyp[:size]]
        assert cache.stats(hyp[:size]) == fresh.stats(fresh.prefix(hyp, size))


def test_bits_for_the_references_ngrams_only_score_every_pair_as_sacrebleu() -> None:
    """The vocabulary's bits cover the references' n-grams only (as often as the reference stream
    has them): hypotheses far longer than the references, a hypothesis repeating the references'
    n-grams, a reference that is also a hypothesis, and references that are not pieces of the
    reference stream (a hypothesis, a foreign text) all score as sacrebleu scores them."""
    texts = corpus_texts()
    rng = random.Random(11)
    ref = rng.sample(texts, 3)
    mt = [" ".join(rng.sample(texts, 4)), ref[0] * 3, ref[1], rng.choice(texts), "…"]
    cache = NgramCache.for_document(mt, ref)
    assert cache._unbitted  # the references far shorter: hypotheses' occurrences without bits
    cache.score_sentences(mt, ref)
    cache.prefixes([(hyp, len(hyp) // 2) for hyp in mt])
    hyps = [*mt, " ".join(mt[:2]), *(hyp[: len(hyp) // 2] for hyp in mt)]
    for hyp in hyps:
        for ref_text in [*ref, " ".join(ref[1:]), ref[2][3:9], mt[0], mt[1], mt[0][: len(mt[0]) // 2], "foreign 外"]:
            assert abs(cache.chrf(hyp, ref_text) - sacrebleu_chrf(hyp, ref_text)) <= TOLERANCE, (hyp, ref_text)
