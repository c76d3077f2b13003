"""The score stage on bad input: an empty reference set is a warning naming what is missing (the bitext is
still exported, unscored), or with score.on_empty_reference=error a clear error."""

from __future__ import annotations

from pathlib import Path

import pytest
from rundirs import Unit, write_run
from typer.testing import CliRunner

from pipeline.cli import app
from pipeline.io import read_json
from pipeline.runner import run_stages
from pipeline.score.base import ScoreError

NO_REF = [
    Unit(["東京は日本の首都です。"], ["Tokyo is the capital of Japan."]),
    Unit(["会談は北京で行われた。"], ["The talks were held in Beijing."]),
]


def test_no_reference_at_all(tmp_path: Path) -> None:
    config = write_run(tmp_path / "r", NO_REF, {"score.on_empty_reference": "error"})
    with pytest.raises(ScoreError, match="reference set is empty.*no English reference.*reference.path"):
        run_stages(config, ["score"])
    assert not (tmp_path / "r" / "scores.json").exists()


def test_empty_reference_file_is_named(tmp_path: Path) -> None:
    config = write_run(
        tmp_path / "r", NO_REF, {"reference.path": str(tmp_path / "ref.txt"), "score.on_empty_reference": "error"}
    )
    with pytest.raises(ScoreError, match=r"reference file .*ref.txt \(reference.path\) has no English sentences"):
        run_stages(config, ["score"])


def test_references_that_nothing_aligned_to(tmp_path: Path) -> None:
    config = write_run(
        tmp_path / "r", [*NO_REF, Unit([], [], ["An orphan reference."])], {"score.on_empty_reference": "error"}
    )
    with pytest.raises(ScoreError, match="1 reference unit.*none is aligned to any of the 2 source rows"):
        run_stages(config, ["score"])


def test_only_truncated_references_and_exclude(tmp_path: Path) -> None:
    units = [*NO_REF, Unit(["切れた文。"], ["A cut sentence."], ["A cut …"], partial=True)]
    config = write_run(tmp_path / "r", units, {"score.partial": "exclude", "score.on_empty_reference": "error"})
    with pytest.raises(ScoreError, match="truncated and score.partial=exclude"):
        run_stages(config, ["score"])


def test_cli_error_is_one_line_exit_2(tmp_path: Path) -> None:
    write_run(tmp_path / "r", NO_REF)
    result = CliRunner().invoke(app, ["score", str(tmp_path / "r"), "score.on_empty_reference=error"])
    assert result.exit_code == 2
    lines = [line for line in result.output.splitlines() if line.startswith("jaen: error:")]
    assert len(lines) == 1 and "nothing to score" in lines[0] and str(tmp_path / "r") in lines[0]


def test_skip_is_the_default_writes_scores_without_numbers_and_exports(tmp_path: Path) -> None:
    config = write_run(tmp_path / "r", NO_REF)
    run_stages(config, ["score", "export"])
    scores = read_json(tmp_path / "r" / "scores.json")
    assert scores["corpus"] == {"bleu": None, "chrf": None, "ter": None}
    assert scores["counts"]["scored"] == 0 and scores["counts"]["source_rows_without_reference"] == 2
    assert "nrefs:1" in scores["signatures"]["bleu"]
    summary = (tmp_path / "r" / "summary.md").read_text()
    assert "| bleu | – |" in summary
    assert "no corpus score" in (tmp_path / "r" / "report.html").read_text()


def test_empty_metric_list(tmp_path: Path) -> None:
    config = write_run(tmp_path / "r", NO_REF, {"score.metrics": []})
    with pytest.raises(ScoreError, match="score.metrics is empty"):
        run_stages(config, ["score"])


def test_the_rows_are_made_as_they_are_scored_not_held(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The score stage makes its rows from the artifacts on each pass (consistency.load_streamed, rows.RowStream):
    while it scores 300 rows, no more than a few Row objects are alive at a time, and it writes what
    the rows held in a list give (tests/test_outputs_unchanged.py holds the bytes)."""
    import gc

    from pipeline.rows import Row
    from pipeline.score import stage as score_stage

    units = [Unit([f"文{i}。"], [f"Sentence number {i} is here."], [f"Sentence {i} is there."]) for i in range(300)]
    config = write_run(tmp_path / "r", units, {"score.metrics": ["bleu"], "score.bootstrap": 10})
    alive: list[int] = []
    score_segments = score_stage.score_segments

    def rows_alive() -> int:
        return sum(type(o) is Row for o in gc.get_objects())

    def watched(*args, **kwargs):
        for k, segments in enumerate(score_segments(*args, **kwargs)):
            if k % 50 == 0:
                alive.append(rows_alive() - before)
            yield segments

    monkeypatch.setattr(score_stage, "score_segments", watched)
    before = rows_alive()  # other test modules' constants
    run_stages(config, ["score"])
    assert len(alive) == 6 and max(alive) <= 3, alive
    scores = read_json(tmp_path / "r" / "scores.json")
    assert scores["counts"]["scored"] == 300 and [r["seg_id"] for r in scores["rows"]][-1] == "ja00300"
