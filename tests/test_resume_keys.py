"""Resume keys cover everything a stage's output depends on: the model, the code and data versions, the inputs."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from pipeline import runner as runner_module
from pipeline.cli import app
from pipeline.config import load_config
from pipeline.runner import stage_keys
from pipeline.stage import STAGE_ORDER, load_stages, stages
from pipeline.translate import loading
from pipeline.translate.loading import model_identity
from pipeline.translate.tiny import build_marian

REPO = Path(__file__).resolve().parent.parent
SMOKE = str(REPO / "configs" / "smoke.yaml")
DOC = "北京の会談\n\n習近平国家主席は2024年5月16日に会談した。\n\nXi Jinping held talks on May 16, 2024.\n"
INPUTS = {"in.txt": "abc"}
cli = CliRunner()


def changed(a: dict[str, str], b: dict[str, str]) -> list[bool]:
    return [a[n] != b[n] for n in STAGE_ORDER]


def test_a_stage_version_or_identity_changes_that_stage_and_every_later_key(monkeypatch: pytest.MonkeyPatch) -> None:
    load_stages()
    config = load_config(SMOKE)
    base = stage_keys(config, INPUTS, {"translate": {"model": {"weights": "w1"}}})
    assert changed(base, stage_keys(config, INPUTS, {"translate": {"model": {"weights": "w2"}}})) == [
        False,
        True,
        True,
        True,
        True,
    ]
    assert changed(
        base,
        stage_keys(
            config, INPUTS, {"translate": {"model": {"weights": "w1"}}, "align": {"data": {"jamdict-data": "2"}}}
        ),
    ) == [False, False, True, True, True]
    monkeypatch.setattr(stages.get("score"), "version", "99")
    assert changed(base, stage_keys(config, INPUTS, {"translate": {"model": {"weights": "w1"}}})) == [
        False,
        False,
        False,
        True,
        True,
    ]
    monkeypatch.setattr(runner_module, "__version__", "9.9.9")  # the package version: every stage
    assert all(changed(base, stage_keys(config, INPUTS, {"translate": {"model": {"weights": "w1"}}})))


def test_fixed_keys_continue_the_chain() -> None:
    config = load_config(SMOKE)
    keys = stage_keys(config, INPUTS)
    again = stage_keys(config, {"other": "x"}, fixed={"segment": keys["segment"], "translate": keys["translate"]})
    assert again == keys  # the recorded keys of stages not re-run stand for their inputs


def test_model_identity_covers_weights_tokenizer_and_config(tmp_path: Path, tiny_model: Path) -> None:
    model = tmp_path / "m"
    shutil.copytree(tiny_model, model)
    first = model_identity(str(model), None, model)
    assert set(first) == {"model", "revision", "weights", "tokenizer", "config"}
    with (model / "target.spm").open("ab") as fh:  # a different tokenizer, same weights
        fh.write(b"\0")
    second = model_identity(str(model), None, model)
    assert second["tokenizer"] != first["tokenizer"] and second["weights"] == first["weights"]
    data = json.loads((model / "generation_config.json").read_text())
    data["num_beams"] = 3
    (model / "generation_config.json").write_text(json.dumps(data))
    assert model_identity(str(model), None, model)["config"] != second["config"]


def test_file_hashes_are_memoised_by_path_size_and_mtime(tiny_model: Path) -> None:
    model_identity(str(tiny_model), None, tiny_model)
    before = loading._file_hash.cache_info()
    model_identity(str(tiny_model), None, tiny_model)
    after = loading._file_hash.cache_info()
    assert after.hits > before.hits and after.misses == before.misses


def test_a_model_rebuilt_in_place_is_not_resumed(tmp_path: Path, fast_overrides: tuple[str, ...]) -> None:
    """Issue 12.2: rebuilding the model into the same directory used to resume the old translations."""
    doc = tmp_path / "doc.txt"
    doc.write_text(DOC, encoding="utf-8")
    model = tmp_path / "model"
    build_marian(model, seed=1)
    args = [
        "run",
        SMOKE,
        f"input.path={doc}",
        f"translate.model={model}",
        f"run.output_dir={tmp_path / 'out'}",
        f"translate.cache_dir={tmp_path / 'cache'}",
        *fast_overrides,
    ]
    assert cli.invoke(app, args).exit_code == 0
    run_dir = tmp_path / "out" / "smoke"
    old = (run_dir / "translations.jsonl").read_bytes()

    assert cli.invoke(app, ["models", "build-tiny", str(model), "--seed", "2", "--force"]).exit_code == 0
    result = cli.invoke(app, args)
    assert result.exit_code == 0, result.output
    manifest = json.loads((run_dir / "manifest.json").read_text())
    assert manifest["last_invocation"]["ran"] == list(STAGE_ORDER[1:])
    assert manifest["stages"]["translate"]["translated"] == manifest["stages"]["segment"]["ja_sentences"] > 0
    assert (run_dir / "translations.jsonl").read_bytes() != old

    fresh = cli.invoke(app, [*args, "run.name=fresh", f"translate.cache_dir={tmp_path / 'cache2'}"])
    assert fresh.exit_code == 0
    for name in ("translations.jsonl", "bitext.tsv"):
        assert (run_dir / name).read_bytes() == (tmp_path / "out" / "fresh" / name).read_bytes(), name


def test_big_file_hashes_are_remembered_across_processes_by_path_size_and_mtime(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    monkeypatch.setattr(loading, "MEMO_MIN_BYTES", 8)
    weights = tmp_path / "model.safetensors"
    weights.write_bytes(b"weights-one")
    stat = weights.stat()
    first = loading.weights_file_hash(tmp_path)
    assert json.loads(loading.hash_memo_path().read_text()) == {f"{weights}\0{stat.st_size}\0{stat.st_mtime_ns}": first}
    loading._file_hash.cache_clear()  # a new process: only the memo on disk remains
    weights.write_bytes(b"weights-two")  # same size; the same mtime put back: the memo answers
    os.utime(weights, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    assert loading.weights_file_hash(tmp_path) == first
    os.utime(weights, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1))  # a new mtime: hashed again, memo replaced
    second = loading.weights_file_hash(tmp_path)
    assert second != first and list(json.loads(loading.hash_memo_path().read_text()).values()) == [second]
