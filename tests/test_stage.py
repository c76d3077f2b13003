"""Each stage is declared once, by its class: the order, keys, CLI and artifact list derive from it."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from pipeline import artifacts
from pipeline.cli import app
from pipeline.config import Config, build_config
from pipeline.errors import ConfigError, StageError
from pipeline.runner import check_components, stage_keys
from pipeline.stage import STAGE_ORDER, RunContext, Stage, register_stage, stage_classes, stages


def test_the_order_comes_from_the_declared_positions() -> None:
    classes = stage_classes()
    assert STAGE_ORDER == ("segment", "translate", "align", "score", "export")
    assert [cls.position for cls in classes] == sorted(cls.position for cls in classes)
    assert all(stages.get(cls.name) is cls for cls in classes)


def test_every_declared_section_is_a_config_section_and_every_section_but_run_is_claimed() -> None:
    declared = [s for cls in stage_classes() for s in cls.sections]
    assert len(declared) == len(set(declared))
    assert set(declared) | {"run"} == set(Config.model_fields)
    for cls in stage_classes():
        for key in (*cls.unkeyed, *cls.components):
            section, _, name = key.partition(".")
            assert section in cls.sections and name in Config.model_fields[section].annotation.model_fields


def test_an_unkeyed_setting_leaves_every_key_alone_and_a_declared_section_changes_its_stage() -> None:
    inputs = {"input": "x"}
    base = stage_keys(build_config({}), inputs)
    assert stage_keys(build_config({"translate": {"cache_dir": "elsewhere"}}), inputs) == base
    changed = stage_keys(build_config({"reference": {"from_input": False}}), inputs)
    assert all(changed[n] != base[n] for n in STAGE_ORDER)  # reference is a section of the first stage


@pytest.mark.parametrize(
    ("key", "value"),
    [
        ("segment.method", "nope"),
        ("translate.backend", "nope"),
        ("align.method", "nope"),
        ("score.metrics", ["bleu", "nope"]),
        ("export.formats", ["nope"]),
    ],
)
def test_check_components_names_the_declared_key(key: str, value: object) -> None:
    section, _, name = key.partition(".")
    with pytest.raises(ConfigError, match=rf"^{key}: unknown .* 'nope' \(valid: "):
        check_components(build_config({section: {name: value}}))


def test_the_artifact_list_and_producers_come_from_the_stages() -> None:
    assert artifacts.producer(artifacts.SENTENCES) == "segment"
    assert artifacts.producer(artifacts.TRANSLATIONS) == "translate"
    assert artifacts.producer(artifacts.BITEXT_TSV) == "export"
    assert artifacts.producer(artifacts.MANIFEST) == "run"
    files = artifacts.stage_files(STAGE_ORDER)
    first = [artifacts.SENTENCES, artifacts.DROPPED, artifacts.TRANSLATIONS, artifacts.ALIGNMENT, artifacts.SCORES]
    assert files[:5] == first
    assert {artifacts.BITEXT_TSV, artifacts.REPORT} <= set(files)


def test_a_missing_artifact_names_the_stage_that_writes_it(tmp_path: Path) -> None:
    ctx = RunContext(build_config({}), tmp_path)
    with pytest.raises(StageError, match=r"alignment\.jsonl is missing: run `jaen align`"):
        ctx.require(artifacts.ALIGNMENT)


def test_every_stage_has_a_cli_command_with_its_summary() -> None:
    for cls in stage_classes():
        result = CliRunner().invoke(app, [cls.name, "--help"])
        assert result.exit_code == 0
        words = " ".join(result.output.replace("│", " ").split())
        assert " ".join(cls.summary.split()[:4]) in words


def test_a_new_stage_takes_its_place_by_position(monkeypatch: pytest.MonkeyPatch) -> None:
    class DedupeStage(Stage):
        name = "dedupe"
        position = 35
        sections = ()
        produces = ("deduped.jsonl",)
        summary = "Re-run the dedupe stage."

        def run(self, ctx: RunContext) -> dict:
            return {}

    stage_classes()  # the built-in stages are registered
    monkeypatch.setattr(stages, "_items", {**stages._items})
    register_stage(DedupeStage)
    assert [cls.name for cls in stage_classes()] == ["segment", "translate", "align", "dedupe", "score", "export"]
    assert artifacts.producer("deduped.jsonl") == "dedupe"
    assert "deduped.jsonl" in artifacts.stage_files(["align", "dedupe"])
