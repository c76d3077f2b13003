"""The runner: `jaen run` resumes (stages complete for the same config and input are kept), never stale."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest
from typer.testing import CliRunner

from pipeline.cli import app
from pipeline.config import load_config
from pipeline.runner import stage_keys
from pipeline.stage import STAGE_ORDER, load_stages, stages

REPO = Path(__file__).resolve().parent.parent
SMOKE = str(REPO / "configs" / "smoke.yaml")
SMALL_DOC = "北京の会談\n\n習近平国家主席は2024年5月16日に会談した。\n\nXi Jinping held talks on May 16, 2024.\n"
runner = CliRunner()


@pytest.fixture
def counted(monkeypatch: pytest.MonkeyPatch) -> Counter:
    """Count how often each stage really runs."""
    load_stages()
    calls: Counter = Counter()
    for name in STAGE_ORDER:
        cls = stages.get(name)
        original = cls.run

        def run(self, ctx, _original=original, _name=name):
            calls[_name] += 1
            return _original(self, ctx)

        monkeypatch.setattr(cls, "run", run)
    return calls


@pytest.fixture
def args(tmp_path: Path, tiny_model: Path, fast_overrides: tuple[str, ...]) -> list[str]:
    doc = tmp_path / "small.txt"
    doc.write_text(SMALL_DOC, encoding="utf-8")
    return [
        "run",
        SMOKE,
        f"input.path={doc}",
        f"run.output_dir={tmp_path / 'out'}",
        f"translate.model={tiny_model}",
        f"translate.cache_dir={tmp_path / 'cache'}",
        *fast_overrides,
    ]


def manifest(tmp_path: Path) -> dict:
    return json.loads((tmp_path / "out" / "smoke" / "manifest.json").read_text())


def test_rerun_keeps_complete_stages_and_redoes_from_the_first_changed_one(
    tmp_path: Path, args: list[str], counted: Counter
) -> None:
    assert runner.invoke(app, args).exit_code == 0
    assert counted == Counter(STAGE_ORDER)
    first = manifest(tmp_path)
    bitext = (tmp_path / "out" / "smoke" / "bitext.tsv").read_bytes()

    result = runner.invoke(app, args)  # same config, same input: nothing to do
    assert result.exit_code == 0, result.output
    assert counted == Counter(STAGE_ORDER)
    assert manifest(tmp_path)["stages"] == first["stages"]
    assert (tmp_path / "out" / "smoke" / "bitext.tsv").read_bytes() == bitext

    assert runner.invoke(app, [*args, "align.method=lexical"]).exit_code == 0
    assert counted == Counter(segment=1, translate=1, align=2, score=2, export=2)
    changed = manifest(tmp_path)
    assert changed["stages"]["translate"] == first["stages"]["translate"]
    assert changed["stages"]["align"]["key"] != first["stages"]["align"]["key"]
    assert changed["config"]["align"]["method"] == "lexical" and changed["complete"]

    doc = Path(args[2].split("=", 1)[1])
    doc.write_text(SMALL_DOC + "\n会談は成功した。\n", encoding="utf-8")  # new input: everything again
    assert runner.invoke(app, [*args, "align.method=lexical"]).exit_code == 0
    assert counted == Counter(segment=2, translate=2, align=3, score=3, export=3)
    assert manifest(tmp_path)["stages"]["translate"]["from_cache"] == first["stages"]["translate"]["translated"]

    assert runner.invoke(app, [*args, "align.method=lexical", "run.resume=false"]).exit_code == 0
    assert counted == Counter(segment=3, translate=3, align=4, score=4, export=4)


def test_interrupted_run_resumes_at_the_unfinished_stage(
    tmp_path: Path, args: list[str], counted: Counter, monkeypatch: pytest.MonkeyPatch
) -> None:
    cls = stages.get("score")
    original = cls.run

    def die(self, ctx):
        raise KeyboardInterrupt

    monkeypatch.setattr(cls, "run", die)
    killed = runner.invoke(app, args)
    assert killed.exit_code == 130 and "re-run resumes" in killed.output
    assert not (tmp_path / "out" / "smoke" / "manifest.json").exists()  # nothing half-done in the run directory
    assert not (tmp_path / "out" / "smoke" / "bitext.tsv").exists()
    partial = json.loads((tmp_path / "out" / "smoke" / ".staging" / "smoke" / "manifest.json").read_text())
    assert not partial["complete"] and set(partial["stages"]) == {"segment", "translate", "align"}

    monkeypatch.setattr(cls, "run", original)
    assert runner.invoke(app, args).exit_code == 0
    assert counted == Counter(segment=1, translate=1, align=1, score=1, export=1)  # the killed score ran uncounted
    done = manifest(tmp_path)
    assert done["complete"] and done["stages"]["translate"] == partial["stages"]["translate"]
    assert (tmp_path / "out" / "smoke" / "bitext.tsv").exists()
    assert not (tmp_path / "out" / "smoke" / ".staging").exists()


def test_lost_artifact_is_rebuilt_with_everything_after_it(tmp_path: Path, args: list[str], counted: Counter) -> None:
    assert runner.invoke(app, args).exit_code == 0
    (tmp_path / "out" / "smoke" / "alignment.jsonl").unlink()
    assert runner.invoke(app, args).exit_code == 0
    assert counted == Counter(segment=1, translate=1, align=2, score=2, export=2)


def test_stage_keys_follow_the_sections_each_stage_reads() -> None:
    base = load_config(SMOKE)
    keys = stage_keys(base, {"in.txt": "abc"})
    same = stage_keys(load_config(SMOKE, ["run.name=other", "run.output_dir=elsewhere"]), {"in.txt": "abc"})
    assert keys == same  # where a run lives does not change what it computes
    beams = stage_keys(load_config(SMOKE, ["translate.num_beams=4"]), {"in.txt": "abc"})
    assert beams["segment"] == keys["segment"]
    assert all(beams[n] != keys[n] for n in ("translate", "align", "score", "export"))
    score = stage_keys(load_config(SMOKE, ["score.metrics=[bleu]"]), {"in.txt": "abc"})
    assert [score[n] == keys[n] for n in STAGE_ORDER] == [True, True, True, False, False]
    other_input = stage_keys(base, {"in.txt": "abd"})
    assert all(other_input[n] != keys[n] for n in STAGE_ORDER)
