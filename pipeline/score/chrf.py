"""chrF (sacrebleu); ``score.chrf_word_order: 2`` makes it chrF++.

No public attribute of sacrebleu's chrF score holds its segment statistics ([hypothesis, reference,
matching] n-gram counts per order), so they are computed here as sacrebleu 2.6's ``CHRF`` computes
them (its public ``extract_all_char_ngrams`` and ``extract_word_ngrams`` helpers; the word split,
the counting and the F-score written out, as ``ter.py`` writes out TER's score): the sentence score,
the corpus score and the bootstrap are then sacrebleu's, and the bootstrap resamples the statistics
one resample at a time (``pipeline.score.resample``) instead of ``PairedTest``'s
``samples × rows × statistics`` array (80 MB per 1,000 rows with its indices).
``tests/test_score_resample.py`` holds them equal to ``sentence_score``, ``corpus_score`` and
``PairedTest``'s.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from typing import Any

from sacrebleu.metrics import CHRF
from sacrebleu.metrics.chrf import CHRFScore
from sacrebleu.metrics.helpers import extract_all_char_ngrams, extract_word_ngrams

from .base import Segment, metrics
from .sacrebleu_metric import SacrebleuMetric

PUNCTUATION = frozenset("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~")  # what chrF++ splits off a word's ends
EPS = 1e-16  # sacrebleu's chrF stand-in for the precision or recall of an order one side lacks


def split_words(text: str) -> list[str]:
    """chrF++'s words: whitespace tokens, one punctuation mark split off the end (else the start)."""
    words: list[str] = []
    for w in text.split():
        if len(w) == 1:
            words.append(w)
        elif w[-1] in PUNCTUATION:
            words += [w[:-1], w[-1]]
        elif w[0] in PUNCTUATION:
            words += [w[0], w[1:]]
        else:
            words.append(w)
    return words


def ngrams(metric: CHRF, text: str) -> list[Counter[str]]:
    """The character n-grams of ``text`` per order, then its word n-grams per order (chrF++)."""
    text = text.lower() if metric.lowercase else text
    counts = extract_all_char_ngrams(text, metric.char_order, metric.whitespace)
    if metric.word_order > 0:
        words = split_words(text)
        counts += [extract_word_ngrams(words, n) for n in range(1, metric.word_order + 1)]
    return counts


def chrf_statistics(metric: CHRF, hyp: str, ref: str) -> list[int]:
    """[hypothesis n-grams, reference n-grams, matching n-grams] per order, against one reference."""
    stats = []
    for h, r in zip(ngrams(metric, hyp), ngrams(metric, ref)):
        matches = sum(min(count, r[g]) for g, count in h.items() if g in r)
        stats += [sum(h.values()) if r else 0, sum(r.values()), matches]  # no hypothesis n-grams without a reference
    return stats


def f_score(metric: CHRF, stats: Sequence[float]) -> float:
    """chrF (0–100) of summed statistics, operation for operation as sacrebleu computes it."""
    factor = metric.beta**2
    score, avg_prec, avg_rec, effective_order = 0.0, 0.0, 0.0, 0
    for i in range(metric.order):
        n_hyp, n_ref, n_match = stats[3 * i : 3 * i + 3]
        prec = n_match / n_hyp if n_hyp > 0 else EPS
        rec = n_match / n_ref if n_ref > 0 else EPS
        denom = factor * prec + rec
        score += ((1 + factor) * prec * rec / denom) if denom > 0 else EPS
        if n_hyp > 0 and n_ref > 0:
            avg_prec += prec
            avg_rec += rec
            effective_order += 1
    if metric.eps_smoothing:
        return 100 * score / metric.order
    return averaged_f(avg_prec, avg_rec, effective_order, metric.beta)


def averaged_f(prec_sum: float, rec_sum: float, effective_order: int, beta: float) -> float:
    """chrF (0–100) without eps smoothing from the precisions and recalls summed over the orders both
    sides have, as sacrebleu averages and combines them (the align stage's pair score uses it too)."""
    factor = beta**2
    if effective_order == 0:
        avg_prec = avg_rec = 0.0
    else:
        avg_prec = prec_sum / effective_order
        avg_rec = rec_sum / effective_order
    if avg_prec + avg_rec:
        score = (1 + factor) * avg_prec * avg_rec
        score /= (factor * avg_prec) + avg_rec
        return 100 * score
    return 0.0


@metrics.register("chrf")
class ChrfMetric(SacrebleuMetric):
    name = "chrf"
    has_statistics = True

    def sacrebleu_metric(self) -> Any:
        return CHRF(word_order=self.section.chrf_word_order)

    def segment(self, hyp: str, ref: str) -> Segment:
        """The row's statistics, and its sentence score from them (as ``sentence_score`` computes it)."""
        stats = chrf_statistics(self._sentence, hyp, ref)
        return Segment(float(self.score_from_statistics(stats).score), stats)

    def score_from_statistics(self, stats: Any) -> Any:
        m = self._sentence
        return CHRFScore(f_score(m, stats), m.char_order, m.word_order, m.beta)
