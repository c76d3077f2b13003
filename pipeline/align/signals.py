"""Similarity signals between a Japanese span (with its MT) and an English span, each in [0, 1].

The length signal is the evidence's length model (:mod:`.length_model`, ``PARAMS.evidence``)."""

from __future__ import annotations

import random
from collections.abc import Sequence
from functools import lru_cache

from ..text import strip_ellipsis
from .chrf import NgramCache
from .params import PARAMS, AnchorParams, MTParams

PREFIX_SIZES = 4096  # the references (and two joined) whose MT prefix size is kept: a document's, several times over


def en_kind(word: str) -> str:
    """The anchor kind of an English content word (:class:`.params.KindWeights`): a number, an
    acronym (``latin``), a capitalised word (``name``) or another ``word``."""
    if word[0].isdigit():
        return "number"
    if len(word) > 1 and word.isupper():
        return "latin"
    return "name" if word[0].isupper() else "word"


def anchor_score(
    matched_ja: float, total_ja: float, covered_en: float, total_en: float, partial: bool, params: AnchorParams
) -> float:
    """Weighted F1 of lexical anchors: how much of the Japanese span the English renders (recall,
    ``matched_ja / total_ja``) and how much of the English the Japanese accounts for (precision,
    ``covered_en / total_en``). A truncated reference renders only a prefix of its source, so it is
    judged by precision (times a recall term that a little recall fills)."""
    prec = covered_en / total_en if total_en else 0.0
    rec = matched_ja / total_ja if total_ja else 0.0
    if partial:
        return prec * min(1.0, params.truncated_recall_floor + params.truncated_recall_slope * rec)
    return 0.0 if prec + rec == 0 else 2 * prec * rec / (prec + rec)


def chrf(
    mt: str,
    en: str,
    partial: bool = False,
    truncated_prefix: float = PARAMS.mt.truncated_prefix,
    ngrams: NgramCache | None = None,
) -> float | None:
    """chrF of the MT output against the reference (its prefix when the reference is truncated);
    ``ngrams`` keeps each text's n-grams for the next pair (sacrebleu's sentence chrF, chrf.py)."""
    if not mt.strip() or not en.strip():
        return None
    ngrams = ngrams or NgramCache()
    hyp = ngrams.prefix(mt, prefix_size(en, truncated_prefix)) if partial else mt
    return ngrams.chrf(hyp, en) / 100


@lru_cache(maxsize=PREFIX_SIZES)
def prefix_size(en: str, truncated_prefix: float) -> int:
    """The characters of the MT prefix scored against a truncated reference ``en`` (its "…" left out)."""
    return int(len(strip_ellipsis(en)) * truncated_prefix) + 1


def chrf_baseline(mt: Sequence[str], en: Sequence[str], params: MTParams, ngrams: NgramCache | None = None) -> float:
    """chrF that unrelated pairs reach (a high quantile over random pairs). MT scores are measured
    above it, so meaningless MT (a random model) adds no evidence instead of adding noise."""
    mt = [a for a in mt if a.strip()]
    en = [b for b in en if b.strip()]
    if not mt or not en:
        return 1.0
    ngrams = ngrams or NgramCache()
    rng = random.Random(params.baseline_seed)
    # both texts hold more than whitespace: the chrF of :func:`chrf`, without its checks (a document's
    # sentence pairs come from its table: :meth:`.NgramCache.score_sentences`)
    scores = sorted(ngrams.chrf(rng.choice(mt), rng.choice(en)) / 100 for _ in range(params.baseline_samples))
    return scores[int(params.baseline_quantile * (len(scores) - 1))]


def mt_similarity(
    mt: str, en: str, baseline: float, partial: bool, params: MTParams, ngrams: NgramCache | None = None
) -> float | None:
    """chrF rescaled so that the unrelated-pair baseline maps to 0 and a perfect match to 1."""
    score = chrf(mt, en, partial, params.truncated_prefix, ngrams)
    if score is None:
        return None
    return max(0.0, (score - baseline) / (1 - baseline)) if baseline < 1 else 0.0
