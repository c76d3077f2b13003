"""End to end through the ``jaen`` command line, offline, on the tiny model."""

from __future__ import annotations

import csv
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import FAST_OVERRIDES, FinishedRun
from rundirs import Unit, write_run
from typer.testing import CliRunner

from pipeline.cli import app

runner = CliRunner()
REPO = Path(__file__).resolve().parent.parent


def jaen(*args: str):
    return runner.invoke(app, [str(a) for a in args])


def read_tsv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh, delimiter="\t"))


def test_smoke_run_writes_every_japanese_sentence_once_in_order(finished_run: FinishedRun) -> None:
    run_dir = finished_run.run_dir  # `jaen run configs/smoke.yaml`, exit status 0
    for name in (
        "config.yaml",
        "manifest.json",
        "sentences.jsonl",
        "dropped.jsonl",
        "translations.jsonl",
        "alignment.jsonl",
        "scores.json",
        "bitext.tsv",
    ):
        assert (run_dir / name).is_file(), name
    rows = read_tsv(run_dir / "bitext.tsv")
    assert list(rows[0])[:9] == [
        "doc_id",
        "seg_id",
        "source",
        "translation",
        "reference",
        "align_type",
        "align_score",
        "bleu",
        "chrf",
    ]
    sentences = [json.loads(line) for line in (run_dir / "sentences.jsonl").read_text().splitlines()]
    ja = [s for s in sentences if s["lang"] == "ja"]
    exported = [i for r in rows if r["source"] for i in r["seg_id"].split("+")]
    assert exported == [s["seg_id"] for s in ja]
    assert len(ja) > 90
    assert all(r["reference"] == "" for r in rows if r["align_type"].endswith("-0"))
    manifest = json.loads((run_dir / "manifest.json").read_text())
    assert set(manifest["stages"]) == {"segment", "translate", "align", "score", "export"}
    assert manifest["model"]["weights"] and manifest["packages"]["transformers"]


SMALL_DOC = "北京の会談\n\n習近平国家主席は2024年5月16日に会談した。\n\nXi Jinping held talks on May 16, 2024.\n"


def test_a_stage_rerun_remakes_the_later_stages_and_keeps_the_configs_paths(
    smoke_config: str, tiny_model: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)  # relative paths, as a user writes them
    Path("doc.txt").write_text(SMALL_DOC, encoding="utf-8")
    args = [f"translate.model={tiny_model}", "input.path=doc.txt", "run.output_dir=outputs", "translate.cache_dir=c"]
    assert jaen("run", smoke_config, *args, *FAST_OVERRIDES).exit_code == 0
    run_dir = Path("outputs/smoke")
    config = (run_dir / "config.yaml").read_text()
    assert "output_dir: outputs\n" in config and "path: doc.txt\n" in config
    before = (run_dir / "translations.jsonl").read_text()

    def last_run() -> list[str]:
        return json.loads((run_dir / "manifest.json").read_text())["last_invocation"]["ran"]

    for target in ("outputs/smoke", str(tmp_path / "outputs" / "smoke")):
        result = jaen("align", target, "align.method=lexical")
        assert result.exit_code == 0, result.output
        assert last_run() == ["align", "score", "export"]  # nothing stale is left behind
        assert (run_dir / "bitext.tsv").is_file() and (run_dir / "report.html").is_file()
        assert (run_dir / "config.yaml").read_text() == config.replace("method: hybrid", "method: lexical")
    assert (run_dir / "translations.jsonl").read_text() == before
    result = jaen("score", "outputs/smoke", "--only")
    assert result.exit_code == 0, result.output
    assert last_run() == ["score"] and not (run_dir / "bitext.tsv").exists()  # --only: the later outputs are gone
    assert jaen("export", "outputs/smoke").exit_code == 0
    assert (run_dir / "bitext.tsv").is_file()


def test_stage_without_its_input_says_what_to_run(smoke_config: str, run_overrides: list[str]) -> None:
    result = jaen("translate", smoke_config, *run_overrides)
    assert result.exit_code == 2
    assert "sentences.jsonl is missing" in result.output and "jaen segment" in result.output


def test_missing_input_is_one_line_exit_2_and_writes_nothing(
    smoke_config: str, run_overrides: list[str], tmp_path: Path
) -> None:
    result = jaen("run", smoke_config, *run_overrides, f"input.path={tmp_path / 'none.txt'}")
    assert result.exit_code == 2
    assert "input file not found" in result.output and len(result.output.strip().splitlines()) == 1
    assert not (tmp_path / "outputs").exists()


def test_empty_input(smoke_config: str, run_overrides: list[str], tmp_path: Path) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_text("  \n")
    result = jaen("run", smoke_config, *run_overrides, f"input.path={empty}")
    assert result.exit_code == 2 and "input file is empty" in result.output
    assert not (tmp_path / "outputs").exists()


def test_bad_key_exit_2(smoke_config: str, run_overrides: list[str], tmp_path: Path) -> None:
    result = jaen("run", smoke_config, *run_overrides, "align.nope=1")
    assert result.exit_code == 2 and "unknown key 'align.nope'" in result.output
    assert not (tmp_path / "outputs").exists()


def test_unloadable_model_fails_fast_without_bitext(
    smoke_config: str, run_overrides: list[str], tmp_path: Path
) -> None:
    result = jaen(
        "run", smoke_config, *run_overrides, "translate.model=Helsinki-NLP/opus-mt-ja-en", "translate.build_tiny=false"
    )
    assert result.exit_code == 2
    assert "cannot load translation model 'Helsinki-NLP/opus-mt-ja-en'" in result.output
    assert "configs/smoke.yaml" in result.output
    assert not (tmp_path / "outputs" / "smoke" / "bitext.tsv").exists()


def test_model_dir_with_missing_files(smoke_config: str, run_overrides: list[str], tmp_path: Path) -> None:
    broken = tmp_path / "broken-model"
    broken.mkdir()
    (broken / "config.json").write_text("{}")
    result = jaen("run", smoke_config, *run_overrides, f"translate.model={broken}")
    assert result.exit_code == 2 and "lacks" in result.output and "source.spm" in result.output


def test_external_reference(
    smoke_config: str, fast_run_overrides: list[str], finished_run: FinishedRun, tmp_path: Path
) -> None:
    finished_run.copy_cache_to(tmp_path / "cache")  # the seed page's translations: only the reference is new
    ref = tmp_path / "ref.txt"
    ref.write_text(
        "Russian Foreign Minister Sergey Lavrov addressed the council in Moscow on May 18, 2024.\n\n"
        "The summit was held in Beijing.\n"
    )
    result = jaen("run", smoke_config, *fast_run_overrides, f"reference.path={ref}", "run.name=ext")
    assert result.exit_code == 0, result.output
    rows = read_tsv(tmp_path / "outputs" / "ext" / "bitext.tsv")
    refs = [r["reference"] for r in rows if r["reference"]]
    assert any("May 18, 2024" in r for r in refs)
    assert not any("Indian Punchline" in r or "international diplomacy" in r for r in refs)


def test_segment_file_prints_json_lines(tmp_path: Path) -> None:
    doc = tmp_path / "doc.txt"
    doc.write_text("見出し\n\n一文目です。二文目です。\n")
    result = jaen("segment", doc)
    assert result.exit_code == 0, result.output
    lines = [json.loads(line) for line in result.output.splitlines()]
    assert [x["text"] for x in lines] == ["見出し", "一文目です。", "二文目です。"]
    assert {"text", "doc_id", "para_id", "kind"} <= set(lines[0])


def test_help_on_every_command() -> None:
    for cmd in (
        ["--help"],
        ["run", "--help"],
        ["segment", "--help"],
        ["translate", "--help"],
        ["align", "--help"],
        ["score", "--help"],
        ["export", "--help"],
        ["config", "--help"],
        ["models", "build-tiny", "--help"],
    ):
        result = jaen(*cmd)
        assert result.exit_code == 0 and "Usage" in result.output, cmd


def test_stage_on_a_moved_run_directory_works_there(finished_run: FinishedRun, tmp_path: Path) -> None:
    import shutil

    moved = tmp_path / "elsewhere" / "copy"
    shutil.copytree(finished_run.run_dir, moved)
    (moved / "bitext.tsv").unlink()
    original = (finished_run.run_dir / "bitext.tsv").stat().st_mtime_ns
    assert jaen("export", moved).exit_code == 0
    assert (moved / "bitext.tsv").is_file()
    assert (finished_run.run_dir / "bitext.tsv").stat().st_mtime_ns == original


def test_second_jaen_run_translates_nothing(
    smoke_config: str, fast_run_overrides: list[str], finished_run: FinishedRun, tmp_path: Path
) -> None:
    # the first run, with its cache, where fast_run_overrides point: a second run there must resume it
    manifest_path = finished_run.copy_to(tmp_path / "outputs", tmp_path / "cache") / "manifest.json"
    first = json.loads(manifest_path.read_text())["last_invocation"]
    assert first["translated"] > 90 and "translate" in first["ran"]
    assert jaen("run", smoke_config, *fast_run_overrides).exit_code == 0
    second = json.loads(manifest_path.read_text())["last_invocation"]
    assert second["translated"] == 0 and "translate" in second["kept"]
    # changing only a later stage re-aligns but still translates nothing
    assert jaen("run", smoke_config, *fast_run_overrides, "align.method=lexical").exit_code == 0
    third = json.loads(manifest_path.read_text())["last_invocation"]
    assert third["translated"] == 0 and third["ran"] == ["align", "score", "export"]


def test_other_libraries_logs_are_quiet_unless_verbose(tmp_path: Path) -> None:
    """Issue 24.7: sacrebleu's "Pre-computing metric statistics" was logged six times under jaen's prefix.
    (The score stage no longer calls what logged it; filelock's debug lines are the other library here.)"""
    units = [Unit(["東京は日本の首都です。"], ["Tokyo is the capital of Japan."], ["Tokyo is Japan's capital."])]
    write_run(tmp_path / "r", units)
    env = {**os.environ, "PYTHONPATH": str(REPO), "HF_HUB_OFFLINE": "1"}
    for verbose in ([], ["-v"]):
        cmd = [sys.executable, "-m", "pipeline", *verbose, "score", str(tmp_path / "r"), "--only"]
        proc = subprocess.run(cmd, capture_output=True, text=True, env=env, cwd=REPO, timeout=300)
        assert proc.returncode == 0, proc.stderr
        assert "jaen: stage score done" in proc.stderr
        assert ("Attempting to acquire lock" in proc.stderr) == bool(verbose), proc.stderr
        assert "Pre-computing" not in proc.stderr
