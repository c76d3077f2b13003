"""The chrF of every MT sentence of a document against every reference sentence, at once with numpy.

The chrF baseline draws 200 random (MT, reference) sentence pairs of a document and the 1-1 beads
compare most of the others: scored one by one, that is a Python loop per pair. Here the sentences'
masks (:class:`.chrf.NgramStats`) become byte rows, the n-grams two sentences share are the bits
their rows share (``np.bitwise_count`` of ``&``, summed per order), and the F-score is
:func:`.chrf.chrf`'s arithmetic — sacrebleu's, with its effective order and no eps smoothing — done
operation for operation on float64 arrays, so every entry is the number :func:`.chrf.chrf` gives the
pair (``tests/test_align_chrf.py`` checks them equal).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from .ngrams import ORDERS, Vocabulary

TABLE_BYTES = 1 << 24  # the shared bits of at most this many bytes of pairs are counted at once
# A document's sentences are scored together up to this many bytes of masks compared in all (MT
# sentences × reference sentences × bytes a mask); a larger one pair by pair as its beads ask (an
# aligner compares each sentence with a few; the table would compare it with all).
MAX_TABLE_BYTES = 1 << 26


def words(vocab: Vocabulary) -> list[int]:
    """Per order, the 64-bit words its masks take in a row."""
    return [-(-(b - a) // 64) for a, b in zip(vocab.offsets, vocab.offsets[1:])]


def rows(stats: Sequence, vocab: Vocabulary) -> np.ndarray:
    """The masks of ``stats`` (:class:`.chrf.NgramStats` whose keys are ints) as rows of 64-bit words,
    each order's from a word of its own."""
    sizes = [8 * w for w in words(vocab)]
    raw = b"".join(k.to_bytes(size, "little") for s in stats for k, size in zip(s.keys, sizes))
    return np.frombuffer(raw, dtype="<u8").reshape(len(stats), sum(sizes) // 8)


def shared(hyps: np.ndarray, refs: np.ndarray, vocab: Vocabulary) -> np.ndarray:
    """Per hypothesis, reference and order: the n-grams the two share (sacrebleu's smaller count)."""
    out = np.empty((len(hyps), len(refs), ORDERS), dtype=np.int64)
    step = max(1, TABLE_BYTES // max(1, refs.nbytes))
    bounds = np.cumsum([0, *words(vocab)]).tolist()
    for a in range(0, len(hyps), step):
        both = np.bitwise_count(hyps[a : a + step, None, :] & refs[None, :, :])
        for n in range(ORDERS):
            out[a : a + step, :, n] = both[:, :, bounds[n] : bounds[n + 1]].sum(axis=2, dtype=np.int64)
    return out


def totals(stats: Sequence) -> np.ndarray:
    """Per text and order, its n-grams (0 for an order it has none of)."""
    return np.array([[*s.totals, *[0] * (ORDERS - len(s.totals))] for s in stats], dtype=np.int64).reshape(-1, ORDERS)


def chrf_table(hyps: Sequence, refs: Sequence, vocab: Vocabulary, beta: int) -> np.ndarray:
    """chrF (0–100) of each hypothesis (rows) against each reference (columns), as :func:`.chrf.chrf`
    scores the pair: the precisions and recalls summed over the orders both have, in order, then
    averaged and combined as :func:`pipeline.score.chrf.averaged_f` does."""
    matches = shared(rows(hyps, vocab), rows(refs, vocab), vocab)
    n_hyp, n_ref = totals(hyps)[:, None, :], totals(refs)[None, :, :]
    prec_sum = np.zeros(matches.shape[:2])
    rec_sum = np.zeros(matches.shape[:2])
    effective_order = np.zeros(matches.shape[:2], dtype=np.int64)
    for n in range(ORDERS):
        both = (n_hyp[..., n] > 0) & (n_ref[..., n] > 0)
        prec_sum = np.where(both, prec_sum + matches[..., n] / np.maximum(n_hyp[..., n], 1), prec_sum)
        rec_sum = np.where(both, rec_sum + matches[..., n] / np.maximum(n_ref[..., n], 1), rec_sum)
        effective_order += both
    return averaged_f(prec_sum, rec_sum, effective_order, beta)


def averaged_f(prec_sum: np.ndarray, rec_sum: np.ndarray, effective_order: np.ndarray, beta: int) -> np.ndarray:
    """:func:`pipeline.score.chrf.averaged_f` on arrays, operation for operation."""
    factor = beta**2
    some = effective_order > 0
    avg_prec = np.where(some, prec_sum / np.maximum(effective_order, 1), 0.0)
    avg_rec = np.where(some, rec_sum / np.maximum(effective_order, 1), 0.0)
    score = (1 + factor) * avg_prec * avg_rec
    denominator = (factor * avg_prec) + avg_rec
    nonzero = (avg_prec + avg_rec) != 0
    return np.where(nonzero, 100 * (score / np.where(nonzero, denominator, 1.0)), 0.0)
