"""Similarity signals between a Japanese span (with its MT) and an English span, each in [0, 1]."""

from __future__ import annotations

import math
import random
from collections.abc import Sequence

from ..text import strip_ellipsis
from .chrf import NgramCache

EN_CHARS_PER_JA_CHAR = 2.6


def length_similarity(ja: str, en: str, partial: bool = False) -> float:
    """Gale–Church style: how plausible the English length is for the Japanese length. A truncated
    reference may be any shorter length."""
    if not ja or not en:
        return 0.0
    ratio = len(en) / (len(ja) * EN_CHARS_PER_JA_CHAR)
    if partial and ratio < 1:
        return 1.0
    return math.exp(-(math.log(ratio) ** 2) / (2 * 0.45**2))


def en_weight(word: str) -> float:
    if word[0].isdigit() or (len(word) > 1 and word.isupper()):
        return 2.0
    return 1.5 if word[0].isupper() else 1.0


def anchor_score(matched_ja: float, total_ja: float, covered_en: float, total_en: float, partial: bool) -> float:
    """Weighted F1 of lexical anchors: how much of the Japanese span the English renders (recall,
    ``matched_ja / total_ja``) and how much of the English the Japanese accounts for (precision,
    ``covered_en / total_en``). A truncated reference renders only a prefix of its source, so it is
    judged by precision."""
    prec = covered_en / total_en if total_en else 0.0
    rec = matched_ja / total_ja if total_ja else 0.0
    if partial:
        return prec * min(1.0, 0.5 + 2 * rec)
    return 0.0 if prec + rec == 0 else 2 * prec * rec / (prec + rec)


def chrf(mt: str, en: str, partial: bool = False, ngrams: NgramCache | None = None) -> float | None:
    """chrF of the MT output against the reference (its prefix when the reference is truncated);
    ``ngrams`` keeps each text's n-grams for the next pair (sacrebleu's sentence chrF, chrf.py)."""
    if not mt.strip() or not en.strip():
        return None
    hyp = mt[: int(len(strip_ellipsis(en)) * 1.2) + 1] if partial else mt
    return (ngrams or NgramCache()).chrf(hyp, en) / 100


def chrf_baseline(
    mt: Sequence[str], en: Sequence[str], samples: int = 200, seed: int = 0, ngrams: NgramCache | None = None
) -> float:
    """chrF that unrelated pairs reach (90th percentile over random pairs). MT scores are measured
    above it, so meaningless MT (a random model) adds no evidence instead of adding noise."""
    mt = [a for a in mt if a.strip()]
    en = [b for b in en if b.strip()]
    if not mt or not en:
        return 1.0
    rng = random.Random(seed)
    scores = sorted(chrf(rng.choice(mt), rng.choice(en), ngrams=ngrams) or 0.0 for _ in range(samples))
    return scores[int(0.9 * (len(scores) - 1))]


def mt_similarity(
    mt: str, en: str, baseline: float, partial: bool = False, ngrams: NgramCache | None = None
) -> float | None:
    """chrF rescaled so that the unrelated-pair baseline maps to 0 and a perfect match to 1."""
    score = chrf(mt, en, partial, ngrams)
    if score is None:
        return None
    return max(0.0, (score - baseline) / (1 - baseline)) if baseline < 1 else 0.0
