"""A document's n-gram occurrences located in its streams, their masks, and n-grams looked up in a vocabulary."""

from __future__ import annotations

import random

import numpy as np
from test_align_chrf import corpus_texts

from pipeline.align import ngrams
from pipeline.align.ngrams import ORDERS, Vocabulary, codepoints, located, masks


def streams(seed: int, counted: list[int] | None) -> tuple[Vocabulary, list[np.ndarray], int, list[tuple[int, int]]]:
    """Two streams of random sentences (the second, the references, maybe alone counted), their numbers per
    order run together as NgramCache keeps them, and random spans of them (empty and one-character ones too)."""
    rng = random.Random(seed)
    texts = corpus_texts()
    lines = [["".join(t.split()) for t in rng.sample(texts, rng.randrange(1, 8))] for _ in range(2)]
    vocab, numbers = Vocabulary.of([codepoints("".join(side)) for side in lines], counted=counted)
    second, size = len("".join(lines[0])), len("".join(lines[0])) + len("".join(lines[1]))
    rows = [np.concatenate([a, np.full(second - len(a), -1), b]) for a, b in zip(*numbers)]
    spans = []
    for _ in range(30):
        side = rng.randrange(2)
        lo, hi = (0, second) if side == 0 else (second, size)
        a = rng.randrange(lo, hi + 1)
        spans.append((a, rng.choice([a, min(a + 1, hi), rng.randrange(a, hi + 1)])))
    return vocab, rows, size, spans


def bit_by_bit(occ: ngrams.Occurrences, count: int) -> list[tuple]:
    out = [[0] * ORDERS for _ in range(count)]
    for n, (owner, bits) in enumerate(zip(occ.owner, occ.bits)):
        for t, b in zip(owner.tolist(), bits.tolist()):
            if b >= 0:
                out[t][n] |= 1 << b
    return [tuple(keys) for keys in out]


def test_masks_are_the_bits_set_one_by_one(monkeypatch) -> None:
    for seed in range(4):
        vocab, rows, size, spans = streams(seed, [1])
        occ = located(vocab, rows, spans)
        offsets = vocab.offsets  # an order's mask counts its bits from the order's first
        packed = masks(vocab, occ, len(spans))
        assert [tuple(k << offsets[n] for n, k in enumerate(keys)) for keys in packed] == bit_by_bit(occ, len(spans))
        monkeypatch.setattr(ngrams, "PACK_BYTES", 1)  # one text a batch
        assert masks(vocab, occ, len(spans)) == packed
        monkeypatch.setattr(ngrams, "MASK_BITS", 0)  # sets of bit numbers
        sets = masks(vocab, occ, len(spans))
        assert [tuple(sum(1 << (b - offsets[n]) for b in keys) for n, keys in enumerate(s)) for s in sets] == packed
        monkeypatch.undo()


def test_ngrams_looked_up_are_found_where_they_are() -> None:
    """Vocabulary._find: each query's place in the codes, -1 where they lack it."""
    vocab, _, _, _ = streams(5, None)
    rng = np.random.default_rng(0)
    for n in range(1, ORDERS + 1):
        codes = vocab.codes[n - 1]
        query = np.concatenate([rng.choice(codes, 50), rng.integers(-1, int(codes.max()) + 2, 50), [-1, 0]])
        want = [int(np.flatnonzero(codes == q)[0]) if q in codes else -1 for q in query.tolist()]
        assert vocab._find(n, query).tolist() == want
