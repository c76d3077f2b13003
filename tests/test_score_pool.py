"""Per-row scoring in worker processes: the results, and scores.json, do not depend on the worker count."""

from __future__ import annotations

import logging
import os
from pathlib import Path

import pytest
from rundirs import Unit, write_run
from test_score_resample import HYPS, REFS

from pipeline.config import RunSection, ScoreSection
from pipeline.score.base import Segment
from pipeline.score.bleu import BleuMetric
from pipeline.score.pool import ROWS_PER_TASK, score_segments
from pipeline.score.stage import build_metrics, write_scores
from pipeline.stage import RunContext
from pipeline.workers import available_cores

ROWS = 2 * ROWS_PER_TASK + 5  # three tasks, the last one short


def test_segments_do_not_depend_on_the_worker_count() -> None:
    section = ScoreSection()
    pairs = list(zip(HYPS[:ROWS], REFS[:ROWS]))
    one = list(score_segments(build_metrics(section), section, pairs, RunSection(workers=1)))
    two = list(score_segments(build_metrics(section), section, pairs, RunSection(workers=2)))
    assert one == two and len(one) == ROWS
    metrics = build_metrics(section)
    assert [row["bleu"] for row in one] == [metrics["bleu"].segment(h, r) for h, r in pairs]  # in row order


def test_scores_json_is_byte_identical_with_one_or_two_workers(tmp_path: Path) -> None:
    units = [Unit([f"文{i}。"], [h], [r]) for i, (h, r) in enumerate(zip(HYPS[:ROWS], REFS[:ROWS]))]
    units.append(
        Unit(
            ["途中で切れた文。"],
            ["The summit in Beijing last Thursday marked a turning point."],
            ["The summit in Beijing …"],
            partial=True,
        )
    )
    units.append(Unit(["参照のない文。"], ["A sentence without reference."]))
    out = {}
    for workers in (1, 2):
        config = write_run(tmp_path / f"w{workers}", units, {"score.bootstrap": 100})
        ctx = RunContext(config, tmp_path / f"w{workers}")
        write_scores(ctx, RunSection(workers=workers))
        out[workers] = ctx.path("scores.json").read_bytes()
    assert out[1] == out[2] and b'"partial_scored": 1' in out[1]


def test_available_cores() -> None:
    assert available_cores() >= 1


class DiesInAWorker(BleuMetric):
    """BLEU that kills the worker process scoring it (the parent's pid is in the environment)."""

    def segment(self, hyp: str, ref: str) -> Segment:
        if str(os.getpid()) != os.environ["JAEN_TEST_PARENT"]:
            os._exit(1)
        return super().segment(hyp, ref)


def test_a_broken_pool_leaves_the_rows_to_this_process(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setenv("JAEN_TEST_PARENT", str(os.getpid()))
    section = ScoreSection()
    pairs = list(zip(HYPS[:ROWS], REFS[:ROWS]))
    with caplog.at_level(logging.WARNING):
        got = list(score_segments({"bleu": DiesInAWorker(section)}, section, pairs, RunSection(workers=2)))
    assert got == list(score_segments({"bleu": BleuMetric(section)}, section, pairs, RunSection(workers=1)))
    assert "worker pool broke" in caplog.text
