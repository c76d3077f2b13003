"""``jaen compare``: sacrebleu's paired bootstrap against the first run, and clear errors on bad input."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from rundirs import Unit, write_run
from typer.testing import CliRunner

from pipeline.cli import app
from pipeline.runner import run_stages
from pipeline.score.base import ScoreError
from pipeline.score.compare import compare_runs

JA = [
    "東京は日本の首都です。",
    "会談は北京で行われた。",
    "物価は上昇した。",
    "猫が座った。",
    "彼は去った。",
    "雨が降った。",
]
REF = [
    "Tokyo is the capital of Japan.",
    "The summit took place in Beijing.",
    "Prices went up.",
    "The cat sat down.",
    "He left.",
    "It rained.",
]
MT_A = [
    "Tokyo is the capital of Japan.",
    "The talks were held in Beijing.",
    "Prices rose.",
    "A cat sat.",
    "He went away.",
    "It was raining.",
]
MT_B = [
    "Tokyo is Japan's capital city.",
    "Talks happened in Beijing.",
    "The prices increased.",
    "Cat sitting.",
    "He has gone.",
    "Rain fell.",
]


def make_run(tmp_path: Path, name: str, mt: list[str], ja: list[str] = JA, score: bool = True) -> Path:
    units = [Unit([j], [m], [r]) for j, m, r in zip(ja, mt, REF)] + [Unit(["注記。"], ["Note."])]
    config = write_run(tmp_path / name, units, {"score.bootstrap": 200})
    if score:
        run_stages(config, ["score"])
    return tmp_path / name


def test_paired_bootstrap_equals_the_sacrebleu_command_line(tmp_path: Path) -> None:
    a, b = make_run(tmp_path, "a", MT_A), make_run(tmp_path, "b", MT_B)
    result = compare_runs([a, b])
    assert result.metrics == ["BLEU", "chrF2", "TER"] and result.n == len(JA) and result.samples == 200
    (tmp_path / "ref.txt").write_text("\n".join(REF) + "\n")
    (tmp_path / "a.txt").write_text("\n".join(MT_A) + "\n")
    (tmp_path / "b.txt").write_text("\n".join(MT_B) + "\n")
    exe = shutil.which("sacrebleu")
    cmd = [exe] if exe else [sys.executable, "-m", "sacrebleu"]
    out = subprocess.run(
        [
            *cmd,
            str(tmp_path / "ref.txt"),
            "-i",
            str(tmp_path / "a.txt"),
            str(tmp_path / "b.txt"),
            "-m",
            "bleu",
            "chrf",
            "ter",
            "-w",
            "4",
            "--paired-bs",
            "--paired-bs-n",
            "200",
            "--no-color",
            "-f",
            "text",
        ],
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    ).stdout
    p_values = [float(p) for p in re.findall(r"p = ([0-9.]+)", out)]
    assert [result.results[m][1]["p_value"] for m in result.metrics] == pytest.approx(p_values, abs=1e-4)
    scores = [float(s) for s in re.findall(r"│\s+([0-9.]+) \(", out)]
    ours = [result.results[m][i]["score"] for i in (0, 1) for m in result.metrics]
    assert ours == pytest.approx(scores, abs=1e-4)
    assert result.results["BLEU"][0]["p_value"] is None  # the baseline


def test_cli_table_and_json(tmp_path: Path) -> None:
    a, b = make_run(tmp_path, "a", MT_A), make_run(tmp_path, "b", MT_B)
    out = CliRunner().invoke(app, ["compare", str(a), str(b)])
    assert out.exit_code == 0, out.output
    assert "baseline: " + str(a) in out.output and "p=" in out.output and "BLEU signature: nrefs:1|bs:200" in out.output
    js = CliRunner().invoke(app, ["compare", str(a), str(b), "--json"])
    assert js.exit_code == 0 and '"baseline"' in js.output


def test_rows_not_shared_are_counted(tmp_path: Path) -> None:
    a = make_run(tmp_path, "a", MT_A)
    units = [Unit([j], [m], [r]) for j, m, r in zip(JA[:-1], MT_B, REF)] + [Unit([JA[-1]], [MT_B[-1]])]
    units.append(Unit(["注記。"], ["Note."]))
    run_stages(write_run(tmp_path / "b", units, {"score.bootstrap": 200}), ["score"])
    result = compare_runs([a, tmp_path / "b"])
    assert result.n == len(JA) - 1 and result.left_out == {str(a): 1}
    assert "left out" in result.table()


def test_run_without_scores(tmp_path: Path) -> None:
    a, b = make_run(tmp_path, "a", MT_A), make_run(tmp_path, "b", MT_B, score=False)
    with pytest.raises(ScoreError, match=rf"{re.escape(str(b))}: no scores.json .*jaen score"):
        compare_runs([a, b])
    out = CliRunner().invoke(app, ["compare", str(a), str(b)])
    assert out.exit_code == 2 and "no scores.json" in out.output


def test_runs_over_different_sources(tmp_path: Path) -> None:
    a = make_run(tmp_path, "a", MT_A)
    b = make_run(tmp_path, "b", MT_B, ja=["別の文書です。"] + JA[1:])
    with pytest.raises(ScoreError, match="runs over different sources: .*a has 7 source sentences.*b has 7"):
        compare_runs([a, b])


def test_empty_reference_set(tmp_path: Path) -> None:
    a = make_run(tmp_path, "a", MT_A)
    units = [Unit([j], [m]) for j, m in zip(JA, MT_B)] + [Unit(["注記。"], ["Note."])]
    run_stages(write_run(tmp_path / "b", units, {"score.on_empty_reference": "skip"}), ["score"])
    with pytest.raises(ScoreError, match=r"b: empty reference set: no row is scored against a full reference"):
        compare_runs([a, tmp_path / "b"])


def test_needs_two_runs_and_real_directories(tmp_path: Path) -> None:
    a = make_run(tmp_path, "a", MT_A)
    with pytest.raises(ScoreError, match="at least two run directories, got 1"):
        compare_runs([a])
    with pytest.raises(ScoreError, match="not a run directory"):
        compare_runs([a, tmp_path / "missing"])


def test_compare_help() -> None:
    result = CliRunner().invoke(app, ["compare", "--help"])
    assert result.exit_code == 0 and "paired bootstrap" in result.output


@pytest.mark.parametrize("same", ["itself", "a copy"])
def test_identical_systems_get_p_1_and_no_star(tmp_path: Path, same: str) -> None:
    """Issue 24.4: `jaen compare A A` (or two runs with the same translations) used to say p=0.0010*."""
    a = make_run(tmp_path, "a", MT_A)
    b = a if same == "itself" else make_run(tmp_path, "b", MT_A)
    c = make_run(tmp_path, "c", MT_B)
    result = compare_runs([a, b, c])
    assert [result.results[m][1]["p_value"] for m in result.metrics] == [1.0, 1.0, 1.0]
    assert all(result.results[m][2]["p_value"] < 1.0 for m in result.metrics)  # a different run is still tested
    assert result.identical == [str(b)]
    out = CliRunner().invoke(app, ["compare", str(a), str(b)])
    assert out.exit_code == 0, out.output
    row = next(line for line in out.output.splitlines() if line.startswith(str(b)) and "p=" in line)
    assert row.count("p=1.0000") == 3 and "*" not in row
    assert f"note: {b} has the baseline's translations on every compared row" in out.output


def test_the_p_value_is_sacrebleus_documented_definition(tmp_path: Path) -> None:
    """p = (1 + #{b : |δ*_b| − mean|δ*| > |δ|}) / (B + 1) over sacrebleu's resamples (its seed, its
    index draw), recomputed here from BLEU corpus scores through sacrebleu's public API."""
    import numpy as np
    from sacrebleu.metrics import BLEU

    a, b = make_run(tmp_path, "a", MT_A), make_run(tmp_path, "b", MT_B)
    result = compare_runs([a, b])
    samples, n = result.samples, len(REF)
    draws = np.random.default_rng(result.seed).choice(n, size=(samples, n), replace=True)

    def bleu(mt: list[str], rows: list[int]) -> float:
        return BLEU().corpus_score([mt[i] for i in rows], [[REF[i] for i in rows]]).score

    observed = abs(bleu(MT_A, list(range(n))) - bleu(MT_B, list(range(n))))
    deltas = np.array([abs(bleu(MT_B, list(rows)) - bleu(MT_A, list(rows))) for rows in draws])
    p = (1 + int(np.sum(deltas - deltas.mean() > observed))) / (samples + 1)
    assert result.results["BLEU"][1]["p_value"] == pytest.approx(p, abs=1e-4)
    assert 1 / (samples + 1) <= p <= 1
