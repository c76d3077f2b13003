"""Sweeps: grid validation before any run, a six-point sweep offline, the leaderboard, resume after a kill."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
import yaml
from conftest import FAST_OVERRIDES
from typer.testing import CliRunner

from pipeline.cli import app
from pipeline.errors import ConfigError
from pipeline.sweep import load_sweep

REPO = Path(__file__).resolve().parent.parent
runner = CliRunner()

SMALL_DOC = (
    "プーチン大統領の北京訪問\n\n"
    "ロシアのプーチン大統領は2024年5月16日に北京を訪問した。習近平国家主席と会談した。\n\n"
    "両首脳は共同声明に署名した。\n\n"
    "Russian President Putin visited Beijing on May 16, 2024. He held talks with Xi Jinping.\n"
)


@pytest.fixture
def small_doc(tmp_path: Path) -> Path:
    path = tmp_path / "small.txt"
    path.write_text(SMALL_DOC, encoding="utf-8")
    return path


def write_sweep(tmp_path: Path, grid: object, **extra: object) -> Path:
    path = tmp_path / "exp.yaml"
    spec = {"name": "exp", "base": str(REPO / "configs" / "smoke.yaml"), "grid": grid, **extra}
    path.write_text(yaml.safe_dump(spec, sort_keys=False))
    return path


def base_overrides(tmp_path: Path, tiny_model: Path, doc: Path) -> list[str]:
    return [
        f"input.path={doc}",
        f"run.output_dir={tmp_path / 'outputs'}",
        f"translate.model={tiny_model}",
        f"translate.cache_dir={tmp_path / 'cache'}",
        *FAST_OVERRIDES,  # a grid's translate.num_beams wins over its num_beams
    ]


@pytest.mark.parametrize(
    ("grid", "message"),
    [
        ({"translate.beams": [1, 2]}, "grid key 'translate.beams' is not a config key"),
        ({"nosuch.key": [1]}, "grid key 'nosuch.key' is not a config key"),
        ({}, "grid is empty"),
        ({"translate.num_beams": []}, "grid key 'translate.num_beams' has an empty list"),
        ({"translate.num_beams": 4}, "grid key 'translate.num_beams': expected a list"),
        ({"translate.num_beams": [1, "many"]}, "invalid value for 'translate.num_beams'"),
        ({"translate.num_beams": [1, 1]}, "lists the value 1 twice"),
        ({"translate": [1]}, "grid key 'translate' is a section"),
        ({"run.name": ["a", "b"]}, "grid key 'run.name' is set by the sweep"),
        ({"align.method": ["hybrid", "nope"]}, "align.method: unknown aligner 'nope'"),
    ],
)
def test_bad_grid_is_one_line_error_before_any_run(tmp_path: Path, small_doc: Path, grid: object, message: str) -> None:
    path = write_sweep(tmp_path, grid)
    result = runner.invoke(app, ["sweep", str(path), f"input.path={small_doc}", f"run.output_dir={tmp_path / 'out'}"])
    assert result.exit_code == 2, result.output
    assert message in result.output and str(path) in result.output
    assert len(result.output.strip().splitlines()) == 1
    assert not (tmp_path / "out").exists()


def test_missing_dataset_column_stops_the_sweep_before_any_run(tmp_path: Path) -> None:
    from datasets import Dataset

    Dataset.from_dict({"ja": ["今日は晴れです。"]}).save_to_disk(str(tmp_path / "ds"))
    path = write_sweep(tmp_path, {"align.method": ["hybrid", "lexical"]})
    result = runner.invoke(
        app,
        [
            "sweep",
            str(path),
            f"input.hf_dataset={tmp_path / 'ds'}",
            "input.column=text",
            f"run.output_dir={tmp_path / 'out'}",
        ],
    )
    assert result.exit_code == 2
    assert "input.column" in result.output and "no column 'text'" in result.output and "ja" in result.output
    assert not (tmp_path / "out").exists()


def test_metric_must_be_scored_and_sweep_keys_are_checked(tmp_path: Path, small_doc: Path) -> None:
    path = write_sweep(tmp_path, {"align.method": ["hybrid"]}, metric="ter", overrides=["score.metrics=[bleu, chrf]"])
    with pytest.raises(ConfigError, match="metric 'ter' is not among score.metrics"):
        load_sweep(path, [f"input.path={small_doc}"])
    path = write_sweep(tmp_path, {"align.method": ["hybrid"]}, grdi={})
    with pytest.raises(ConfigError, match="unknown sweep key 'grdi'"):
        load_sweep(path)
    (tmp_path / "base.yaml").write_text(f"input:\n  path: {small_doc}\nalign:\n  method: nope\n")
    path = write_sweep(tmp_path, {"align.threshold": [0.2]}, base="base.yaml")  # found beside the sweep file
    with pytest.raises(ConfigError, match="grid point threshold-0.2: align.method: unknown aligner 'nope'"):
        load_sweep(path)
    path = write_sweep(tmp_path, {"align.threshold": [0.2]}, base="missing.yaml")
    with pytest.raises(ConfigError, match="config file not found: missing.yaml"):
        load_sweep(path)


def test_point_names_and_inline_base(tmp_path: Path, small_doc: Path) -> None:
    path = tmp_path / "inline.yaml"
    path.write_text(
        yaml.safe_dump(
            {
                "base": {"input": {"path": str(small_doc)}, "run": {"output_dir": str(tmp_path / "o")}},
                "grid": {"translate.num_beams": [1, 4], "align.threshold": [0.25]},
            },
            sort_keys=False,
        )
    )
    sweep = load_sweep(path)
    assert sweep.directory == tmp_path / "o" / "inline"
    assert [p.label for p in sweep.points] == ["num_beams-1__threshold-0.25", "num_beams-4__threshold-0.25"]
    assert [p.config.translate.num_beams for p in sweep.points] == [1, 4]
    assert len({p.config.hash() for p in sweep.points}) == 2


def read_manifest(run_dir: Path) -> dict:
    return json.loads((run_dir / "manifest.json").read_text())


def test_six_point_sweep_translates_once_per_setting_and_resumes_after_a_kill(
    tmp_path: Path, tiny_model: Path, small_doc: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from pipeline.align.stage import AlignStage

    grid = {"translate.num_beams": [1, 2], "align.threshold": [0.1, 0.2, 0.3]}
    path = write_sweep(tmp_path, grid, metric="chrf")
    args = ["sweep", str(path), *base_overrides(tmp_path, tiny_model, small_doc)]

    calls = {"n": 0}
    original = AlignStage.run

    def align_then_die(self, ctx):  # the 4th point is killed inside its align stage
        calls["n"] += 1
        if calls["n"] == 4:
            raise KeyboardInterrupt
        return original(self, ctx)

    monkeypatch.setattr(AlignStage, "run", align_then_die)
    killed = runner.invoke(app, args)
    assert killed.exit_code == 130, killed.output
    monkeypatch.setattr(AlignStage, "run", original)

    sweep_dir = tmp_path / "outputs" / "exp"
    labels = [f"num_beams-{b}__threshold-{t}" for b in (1, 2) for t in (0.1, 0.2, 0.3)]
    done_before = {label: (sweep_dir / label / "manifest.json").read_bytes() for label in labels[:3]}
    assert not (sweep_dir / labels[3] / "manifest.json").exists()  # the killed point wrote only to its staging
    fourth = read_manifest(sweep_dir / labels[3] / ".staging" / labels[3])
    assert not fourth["complete"] and set(fourth["stages"]) == {"segment", "translate"}
    assert not (sweep_dir / labels[4]).exists()
    partial = list(csv.DictReader((sweep_dir / "leaderboard.tsv").open(encoding="utf-8"), delimiter="\t"))
    assert sorted(r["status"] for r in partial) == ["complete"] * 3 + ["interrupted"] + ["pending"] * 2

    resumed = runner.invoke(app, args)
    assert resumed.exit_code == 0, resumed.output
    for label in labels[:3]:  # finished runs were not redone: their manifests are byte-identical
        assert (sweep_dir / label / "manifest.json").read_bytes() == done_before[label]
    after = read_manifest(sweep_dir / labels[3])  # the killed run kept its finished stages
    assert after["complete"]
    assert after["stages"]["segment"] == fourth["stages"]["segment"]
    assert after["stages"]["translate"] == fourth["stages"]["translate"]

    manifests = {label: read_manifest(sweep_dir / label) for label in labels}
    ja = manifests[labels[0]]["stages"]["segment"]["ja_sentences"]
    translated = {label: m["stages"]["translate"]["translated"] for label, m in manifests.items()}
    assert translated == {labels[0]: ja, labels[1]: 0, labels[2]: 0, labels[3]: ja, labels[4]: 0, labels[5]: 0}
    assert all(m["complete"] and m["config"]["run"]["name"] == label for label, m in manifests.items())

    rows = list(csv.DictReader((sweep_dir / "leaderboard.tsv").open(encoding="utf-8"), delimiter="\t"))
    assert sorted(r["run"] for r in rows) == sorted(labels)
    assert {
        "rank",
        "translate.num_beams",
        "align.threshold",
        "chrf",
        "bleu",
        "seconds",
        "sentences_per_second",
        "translated",
        "status",
    } <= set(rows[0])
    scores = {r["run"]: float(r["chrf"]) for r in rows}
    for label in labels:
        corpus = json.loads((sweep_dir / label / "scores.json").read_text())["corpus"]
        assert scores[label] == pytest.approx(corpus["chrf"]["score"], abs=1e-4)
    assert [float(r["chrf"]) for r in rows] == sorted(scores.values(), reverse=True)
    assert [r["rank"] for r in rows] == [str(i) for i in range(1, 7)]
    assert all(r["status"] == "complete" and float(r["seconds"]) > 0 for r in rows)
    md = (sweep_dir / "leaderboard.md").read_text(encoding="utf-8")
    assert md.count("\n| ") == 7 and "translate.num_beams" in md

    again = runner.invoke(app, args)  # a finished sweep re-runs nothing
    assert again.exit_code == 0
    assert all(
        (sweep_dir / label / "manifest.json").read_bytes()
        == json.dumps(manifests[label], ensure_ascii=False, indent=2).encode() + b"\n"
        for label in labels
    )
    status = [p["status"] for p in json.loads((sweep_dir / "sweep.json").read_text())["points"]]
    assert status == ["kept"] * 6


@pytest.mark.parametrize(
    ("metric", "scores", "best_first"),
    [
        ("ter", {"a": 96.59, "b": 96.25, "c": 97.0}, ["b", "a", "c"]),  # an edit rate: lower is better
        ("chrf", {"a": 96.59, "b": 96.25, "c": 97.0}, ["c", "a", "b"]),
    ],
)
def test_leaderboard_ranks_each_metric_in_its_own_direction(
    tmp_path: Path, small_doc: Path, metric: str, scores: dict[str, float], best_first: list[str]
) -> None:
    from pipeline.sweep import write_leaderboard

    path = write_sweep(
        tmp_path,
        {"run.seed": [1, 2, 3]},
        metric=metric,
        overrides=[f"input.path={small_doc}", f"run.output_dir={tmp_path / 'o'}", "score.metrics=[chrf, ter]"],
    )
    sweep = load_sweep(path)
    names = dict(zip("abc", sweep.points))
    for name, point in names.items():
        point.run_dir.mkdir(parents=True)
        manifest = {"complete": True, "config_hash": point.config.hash(), "seconds": 1.0, "stages": {}}
        (point.run_dir / "manifest.json").write_text(json.dumps(manifest))
        (point.run_dir / "scores.json").write_text(json.dumps({"corpus": {metric: {"score": scores[name]}}}))
        sweep.status[point.label] = "kept"  # as if this invocation had found them complete
    tsv, md = write_leaderboard(sweep)
    rows = list(csv.DictReader(tsv.open(encoding="utf-8"), delimiter="\t"))
    label = {p.label: name for name, p in names.items()}
    assert [label[r["run"]] for r in rows] == best_first
    assert [r["rank"] for r in rows] == ["1", "2", "3"]
    direction = "lower is better" if metric == "ter" else "higher is better"
    assert f"Ranked by corpus {metric} ({direction})" in md.read_text(encoding="utf-8")


def test_a_point_whose_model_was_rebuilt_in_place_is_not_complete(tmp_path: Path, small_doc: Path) -> None:
    """Issue 12.2: the sweep's completeness check looked at the config hash only, not at the model."""
    from pipeline.sweep import is_complete, run_sweep
    from pipeline.translate.tiny import build_marian

    model = build_marian(tmp_path / "model", seed=1)
    path = write_sweep(tmp_path, {"translate.num_beams": [1]})
    overrides = [*base_overrides(tmp_path, model, small_doc), "translate.build_tiny=false"]
    sweep = load_sweep(path, overrides)
    run_sweep(sweep)
    point = sweep.points[0]
    assert is_complete(point)
    build_marian(model, seed=2)  # same directory, same config: other weights
    assert not is_complete(point)
    again = load_sweep(path, overrides)
    run_sweep(again)
    assert again.status[point.label] == "ran" and is_complete(point)
    assert read_manifest(point.run_dir)["stages"]["translate"]["translated"] > 0
