"""The manifest says what produced a run, and the same config run twice gives the same outputs."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import yaml
from typer.testing import CliRunner

from pipeline.cli import app
from pipeline.config import load_config
from pipeline.manifest import Manifest

REPO = Path(__file__).resolve().parent.parent
SMOKE = str(REPO / "configs" / "smoke.yaml")
DOC = (
    "プーチン大統領の北京訪問\n\nロシアのプーチン大統領は2024年5月16日に北京を訪問した。習近平国家主席と会談した。\n\n"
    "Russian President Putin visited Beijing on May 16, 2024. He held talks with Xi Jinping.\n"
)
runner = CliRunner()


def test_same_config_twice_gives_byte_identical_outputs_and_a_full_manifest(tmp_path: Path, tiny_model: Path) -> None:
    doc = tmp_path / "doc.txt"
    doc.write_text(DOC, encoding="utf-8")
    common = [f"input.path={doc}", f"translate.model={tiny_model}", f"run.output_dir={tmp_path}"]
    for name in ("one", "two"):  # separate caches: the second run translates afresh too
        result = runner.invoke(
            app, ["run", SMOKE, *common, f"run.name={name}", f"translate.cache_dir={tmp_path / ('cache-' + name)}"]
        )
        assert result.exit_code == 0, result.output
    for artifact in ("bitext.tsv", "scores.json", "translations.jsonl", "alignment.jsonl"):
        assert (tmp_path / "one" / artifact).read_bytes() == (tmp_path / "two" / artifact).read_bytes(), artifact

    m = json.loads((tmp_path / "one" / "manifest.json").read_text())
    resolved = yaml.safe_load((tmp_path / "one" / "config.yaml").read_text())
    assert m["config"] == resolved
    config = load_config(tmp_path / "one" / "config.yaml")
    assert m["config_hash"] == config.hash()
    assert m["complete"] is True
    assert m["packages"]["torch"] and m["packages"]["transformers"] and m["packages"]["sacrebleu"]
    assert m["model"]["model"] == str(tiny_model) and len(m["model"]["weights"]) >= 16 and "revision" in m["model"]
    assert m["git_commit"] and len(m["git_commit"].split("-")[0]) == 40
    assert m["inputs"] == {str(doc): hashlib.sha256(doc.read_bytes()).hexdigest()}
    assert list(m["stages"]) == ["segment", "translate", "align", "score", "export"]
    for entry in m["stages"].values():
        assert entry["seconds"] >= 0 and entry["finished"] and entry["key"]
    assert m["stages"]["segment"]["ja_sentences"] == 3 and m["stages"]["translate"]["translated"] == 3
    assert m["seconds"] == round(sum(e["seconds"] for e in m["stages"].values()), 3)


def test_manifest_is_complete_only_when_every_stage_is_recorded(tmp_path: Path) -> None:
    manifest = Manifest.open(tmp_path / "manifest.json")
    manifest.start("abc", {"x": "1"}, {"run": {"name": "x"}})
    manifest.record_stage("segment", 0.5, {"ja_sentences": 3})
    manifest.finish(("segment", "translate"))
    assert manifest.data["complete"] is False and "seconds" not in manifest.data
    manifest.record_stage("translate", 1.25, {"translated": 3, "model": {"model": "m", "weights": "w"}})
    manifest.finish(("segment", "translate"))
    manifest.save()
    data = json.loads((tmp_path / "manifest.json").read_text())
    assert data["complete"] is True and data["seconds"] == 1.75 and data["model"]["weights"] == "w"
    manifest.forget(["translate"])
    manifest.finish(("segment", "translate"))
    assert manifest.data["complete"] is False
