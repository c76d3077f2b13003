"""Corpus and sentence scores are sacrebleu's: equal to the sacrebleu command line on the same files."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from rundirs import Unit, write_run
from sacrebleu.metrics import BLEU, CHRF

from pipeline.config import ScoreSection
from pipeline.io import read_json
from pipeline.runner import run_stages
from pipeline.score import stage as _stage  # noqa: F401  (registers the metrics)
from pipeline.score.base import metrics

HYPS = [
    "The cat sat on the mat.",
    "A quick brown fox jumps over the lazy dog!",
    "Tokyo is the capital of Japan.",
    'He said "no" twice, then left.',
    "Prices rose 3.5% in May 2024.",
    "The meeting was held in Beijing.",
]
REFS = [
    "The cat is sitting on the mat.",
    "The quick brown fox jumped over a lazy dog.",
    "Japan's capital is Tokyo.",
    'He said "no" two times and left.',
    "Prices went up 3.5% in May 2024.",
    "The summit took place in Beijing.",
]
JA = [
    "猫がマットの上に座った。",
    "素早い茶色の狐が怠け者の犬を飛び越える。",
    "東京は日本の首都です。",
    "彼は二度「いいえ」と言って去った。",
    "2024年5月に物価は3.5%上昇した。",
    "会談は北京で行われた。",
]


def sacrebleu_cli(tmp_path: Path, hyps: list[str], refs: list[str], *args: str) -> list[dict]:
    (tmp_path / "hyp.txt").write_text("\n".join(hyps) + "\n", encoding="utf-8")
    (tmp_path / "ref.txt").write_text("\n".join(refs) + "\n", encoding="utf-8")
    exe = shutil.which("sacrebleu")
    cmd = [exe] if exe else [sys.executable, "-m", "sacrebleu"]
    out = subprocess.run(
        [
            *cmd,
            str(tmp_path / "ref.txt"),
            "-i",
            str(tmp_path / "hyp.txt"),
            "-m",
            "bleu",
            "chrf",
            "ter",
            "-w",
            "4",
            "--confidence",
            "--confidence-n",
            "200",
            "-f",
            "json",
            *args,
        ],
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    return json.loads(out.stdout)


def scored_run(tmp_path: Path, **score: object) -> dict:
    units = [Unit([ja], [h], [r]) for ja, h, r in zip(JA, HYPS, REFS)]
    units.append(Unit(["参照のない文。"], ["A sentence without reference."]))  # not scored, counted
    config = write_run(tmp_path / "run", units, {"score.bootstrap": 200, **{f"score.{k}": v for k, v in score.items()}})
    run_stages(config, ["score"])
    return read_json(tmp_path / "run" / "scores.json")


@pytest.mark.parametrize("word_order", [0, 2])
def test_corpus_scores_equal_the_sacrebleu_command_line(tmp_path: Path, word_order: int) -> None:
    scores = scored_run(tmp_path, metrics=["bleu", "chrf", "ter"], chrf_word_order=word_order)
    cli = {r["name"]: r for r in sacrebleu_cli(tmp_path, HYPS, REFS, "--chrf-word-order", str(word_order))}
    chrf_name = "chrF2++" if word_order == 2 else "chrF2"
    for ours, theirs in (("bleu", "BLEU"), ("chrf", chrf_name), ("ter", "TER")):
        got, want = scores["corpus"][ours], cli[theirs]
        assert got["score"] == pytest.approx(want["score"], abs=1e-4), ours
        assert got["signature"] == want["signature"] == scores["signatures"][ours]
        assert got["ci"]["mean"] == pytest.approx(want["confidence_mean"], abs=1e-4), ours
        assert got["ci"]["halfwidth"] == pytest.approx(want["confidence_var"], abs=1e-4), ours
        assert got["n"] == len(HYPS)
    assert ("nw:2" in scores["signatures"]["chrf"]) == (word_order == 2)
    assert scores["counts"]["scored"] == 6 and scores["counts"]["source_rows_without_reference"] == 1
    assert scores["lower_is_better"] == ["ter"]


def test_sentence_scores_are_sacrebleus_and_only_bleu_chrf_per_row(tmp_path: Path) -> None:
    scores = scored_run(tmp_path)
    assert len(scores["rows"]) == len(HYPS)
    for row, hyp, ref in zip(scores["rows"], HYPS, REFS):
        assert row["bleu"] == pytest.approx(BLEU(effective_order=True).sentence_score(hyp, [ref]).score, abs=1e-4)
        assert row["chrf"] == pytest.approx(CHRF().sentence_score(hyp, [ref]).score, abs=1e-4)
        assert "ter" not in row
    assert scores["row_metrics"] == ["bleu", "chrf"]


def test_bootstrap_is_seeded_and_configurable(tmp_path: Path) -> None:
    a = scored_run(tmp_path / "a")
    b = scored_run(tmp_path / "b")
    c = scored_run(tmp_path / "c", seed=7)
    assert a["corpus"] == b["corpus"]
    assert a["corpus"]["bleu"]["ci"]["samples"] == 200
    assert (
        c["corpus"]["bleu"]["ci"] != a["corpus"]["bleu"]["ci"]
        and c["corpus"]["bleu"]["score"] == a["corpus"]["bleu"]["score"]
    )
    none = scored_run(tmp_path / "d", bootstrap=0)
    assert none["corpus"]["bleu"]["ci"] is None and "bs:" not in none["signatures"]["bleu"]


def test_unknown_metric_names_the_key() -> None:
    from pipeline.errors import ConfigError

    with pytest.raises(ConfigError, match="score.metrics: unknown metric 'meteor'.*valid: bleu, chrf, ter"):
        metrics.get("meteor", "score.metrics")


def test_metric_signature_before_and_after_scoring() -> None:
    m = metrics.get("chrf")(ScoreSection(chrf_word_order=2))
    assert "nw:2" in m.signature()
    result = m.corpus(HYPS, REFS, n_bootstrap=50, seed=1)
    assert "bs:50|seed:1" in result.signature and result.ci is not None and result.ci.low <= result.ci.high


def test_bootstrap_with_some_zero_score_resamples() -> None:
    """sacrebleu's chrF mixes float and float32 bootstrap scores when some resamples match nothing."""
    from pipeline.config import ScoreSection
    from pipeline.score.chrf import ChrfMetric

    hyps = ["接防衛防衛", "防衛中国は", "fff中国は"]  # only the last one shares any character n-gram
    refs = ["The inside track of talks", "Russian Foreign Minister", "In international diplomacy for"]
    result = ChrfMetric(ScoreSection()).corpus(hyps, refs, n_bootstrap=200)
    assert result.ci is not None and 0 <= result.ci.mean <= 100 and result.ci.halfwidth >= 0


def test_scoring_uses_only_sacrebleus_public_api() -> None:
    """No private attribute of a sacrebleu object is read or patched (only our own ``self._x``), no private
    name imported."""
    import ast

    offences = []
    for path in sorted((Path(__file__).resolve().parent.parent / "pipeline" / "score").glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.Attribute)
                and node.attr.startswith("_")
                and not node.attr.startswith("__")
                and not (isinstance(node.value, ast.Name) and node.value.id == "self")
            ):
                offences.append(f"{path.name}:{node.lineno} .{node.attr}")
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("sacrebleu"):
                offences += [f"{path.name}:{node.lineno} {a.name}" for a in node.names if a.name.startswith("_")]
    assert offences == []
