"""The one length model (align/length_model.py) and its two parameter sets (align/params.py)."""

from __future__ import annotations

import math

import pytest

from pipeline.align.params import PARAMS

EVIDENCE = PARAMS.evidence.length
GAPS = PARAMS.gaps.length


@pytest.mark.parametrize("model", [EVIDENCE, GAPS], ids=["evidence", "gaps"])
def test_both_readouts_peak_at_the_expected_length(model) -> None:
    assert model.similarity(20, 60, 3.0) == 1.0 and model.logp(20, 60, 3.0) == pytest.approx(0.0)
    assert model.similarity(20, 120, 3.0) < model.similarity(20, 80, 3.0) < 1
    assert model.logp(20, 30, 3.0) < model.logp(20, 45, 3.0) < 0
    assert model.similarity(0, 10, 3.0) == 0.0 and model.logp(20, 0, 3.0) == model.empty_logp
    assert math.isfinite(model.logp(1, 10_000, 3.0))  # the tail is floored


@pytest.mark.parametrize("ja, en", [(20, 30), (20, 61), (7, 300), (40, 100)])
def test_the_readouts_are_one_model(ja: int, en: int) -> None:
    """similarity = exp(−z²/2) and logp = log P(|Z| > z) of the same z = |log ratio| / σ."""
    for model in (EVIDENCE, GAPS):
        z = abs(model.log_ratio(ja, en, 2.6, False)) / model.sigma
        assert model.similarity(ja, en, 2.6) == pytest.approx(math.exp(-(z**2) / 2))
        assert model.logp(ja, en, 2.6) == pytest.approx(math.log(max(math.erfc(z / math.sqrt(2)), model.min_tail)))


def test_a_truncated_reference_in_each_parameter_set() -> None:
    # the evidence: any shorter length is plausible; longer ones are judged as usual
    assert EVIDENCE.similarity(20, 5, 2.6, truncated=True) == 1.0
    assert EVIDENCE.similarity(20, 80, 2.6, truncated=True) == EVIDENCE.similarity(20, 80, 2.6)
    # the gap DP: expected at 60 % of the full length
    assert GAPS.logp(20, 36, 3.0, truncated=True) == pytest.approx(0.0)
    assert GAPS.logp(20, 5, 3.0, truncated=True) < GAPS.logp(20, 36, 3.0, truncated=True)


def test_a_truncated_reference_has_its_own_spread() -> None:
    # the gap DP: a truncated reference cut to 40 % instead of 60 % (a short sentence cut at a word
    # boundary: "It wasn't even…", wmt23-076 of the WMT23 tune half) costs what 1.5 × less off would
    assert GAPS.truncated_sigma == pytest.approx(1.5 * GAPS.sigma)
    short = GAPS.logp(20, 24, 3.0, truncated=True)  # 24 = 40 % of 60
    z = abs(math.log(24 / 36)) / GAPS.truncated_sigma
    assert short == pytest.approx(math.log(math.erfc(z / math.sqrt(2))))
    assert short > GAPS.logp(20, 40, 3.0)  # the same log ratio for a whole reference costs more
    # the evidence's set keeps one spread (any shorter truncated reference is plausible anyway)
    assert EVIDENCE.truncated_sigma == EVIDENCE.sigma
