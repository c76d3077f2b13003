"""The paired bootstrap from segment statistics, one resample at a time, equals sacrebleu's
``PairedTest`` (test type ``bs``) for the same seed and samples: scores, means, intervals, p-values
and signatures, for BLEU, chrF and TER."""

from __future__ import annotations

import numpy as np
import pytest
from sacrebleu.metrics import BLEU, CHRF, TER
from sacrebleu.significance import PairedTest
from test_score_resample import hypotheses, references

from pipeline.config import RunSection, ScoreSection
from pipeline.score.bleu import BleuMetric
from pipeline.score.paired import p_value, paired_bootstrap
from pipeline.score.sacrebleu_metric import sacrebleu_seed
from pipeline.score.stage import build_metrics

REFS = references(301)
SYSTEMS = [("base", hypotheses(REFS, 3)), ("one", hypotheses(REFS, 4)), ("two", hypotheses(REFS, 5))]


@pytest.mark.parametrize(("seed", "samples"), [(12345, 200), (7, 100)])
def test_paired_bootstrap_equals_paired_test(seed: int, samples: int) -> None:
    section = ScoreSection(metrics=["bleu", "chrf", "ter"], seed=seed)
    ours = paired_bootstrap(build_metrics(section), section, SYSTEMS, REFS, samples, RunSection(workers=1))
    with sacrebleu_seed(seed):
        signatures, theirs = PairedTest(
            SYSTEMS, {"bleu": BLEU(), "chrf": CHRF(), "ter": TER()}, [REFS], test_type="bs", n_samples=samples
        )()
    assert [t.name for t in ours] == ["BLEU", "chrF2", "TER"] == [k for k in theirs if k != "System"]
    for tested in ours:
        assert tested.signature == str(signatures[tested.name])
        want = [(r.score, r.p_value, r.mean, r.ci) for r in theirs[tested.name]]
        assert [(r.score, r.p_value, r.mean, r.ci) for r in tested.results] == want
        assert tested.results[0].p_value is None and all(0 < r.p_value <= 1 for r in tested.results[1:])


def test_two_workers_give_the_same_test() -> None:
    section = ScoreSection(metrics=["chrf", "ter"])
    one, two = (
        paired_bootstrap(build_metrics(section), section, SYSTEMS[:2], REFS, 50, RunSection(workers=w)) for w in (1, 2)
    )
    assert one == two


class TextBleu(BleuMetric):
    """BLEU as a metric without segment statistics would be: tested from the text by ``PairedTest``."""

    has_statistics = False


def test_a_metric_without_statistics_is_tested_from_the_text() -> None:
    section = ScoreSection(metrics=["bleu"])
    run = RunSection(workers=1)
    from_text = paired_bootstrap({"bleu": TextBleu(section)}, section, SYSTEMS, REFS, 100, run)
    from_stats = paired_bootstrap(build_metrics(section), section, SYSTEMS, REFS, 100, run)
    assert from_text == from_stats


def test_p_value_counts_strictly_with_sacrebleus_floor() -> None:
    baseline = np.zeros(9)
    assert p_value(baseline, baseline, 0.0) == pytest.approx(1 / 10)  # nothing exceeds: the floor
    assert p_value(baseline, np.array([0.0] * 8 + [9.0]), 0.5) == pytest.approx(2 / 10)
