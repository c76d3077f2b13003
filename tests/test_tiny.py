"""The tiny offline model: deterministic, laid out like opus-mt-ja-en, its tokenizer not trained on the seed."""

import json
import logging
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from pipeline.cli import app
from pipeline.config import TranslateSection
from pipeline.io import sha256_file
from pipeline.translate.ct2 import CT2Translator
from pipeline.translate.hf import HFTranslator
from pipeline.translate.loading import load_marian
from pipeline.translate.tiny import (
    RANDOM_MARKER,
    RANDOM_MODEL_NOTE,
    MarianShape,
    asks_for_tiny,
    build_marian,
    corpus_lines,
    uses_random_model,
)

REPO = Path(__file__).resolve().parent.parent
FILES = (
    "model.safetensors",
    "source.spm",
    "target.spm",
    "vocab.json",
    "config.json",
    "generation_config.json",
    "tokenizer_config.json",
)


def test_tiny_model_is_deterministic_and_loads(tmp_path: Path, tiny_model: Path) -> None:
    again = build_marian(tmp_path / "again")
    for name in FILES:
        assert sha256_file(again / name) == sha256_file(tiny_model / name), name
    model, tokenizer = load_marian(str(tiny_model))
    batch = tokenizer(["北京で会談した。"], return_tensors="pt")
    out = model.generate(**batch, max_new_tokens=5, num_beams=1)
    assert out.shape[0] == 1


def test_tiny_model_files_mirror_opus_mt(tiny_model: Path) -> None:
    tokenizer_config = json.loads((tiny_model / "tokenizer_config.json").read_text())
    assert "model_max_length" not in tokenizer_config  # as on the hub
    gen = json.loads((tiny_model / "generation_config.json").read_text())
    pad = gen["pad_token_id"]
    assert {k: v for k, v in gen.items() if k != "transformers_version"} == {
        "bad_words_ids": [[pad]],
        "bos_token_id": 0,
        "decoder_start_token_id": pad,
        "eos_token_id": 0,
        "forced_eos_token_id": 0,
        "max_length": 512,
        "num_beams": 4,
        "pad_token_id": pad,
        "renormalize_logits": True,
    }


@pytest.mark.parametrize("backend", [HFTranslator, CT2Translator])
def test_source_limit_falls_back_to_the_models_positions(backend: type, tmp_path: Path) -> None:
    """With no model_max_length in tokenizer_config.json the tokenizer's limit is not the model's:
    the backends take the model's max_position_embeddings."""
    model = build_marian(tmp_path / "short", MarianShape(max_positions=64))
    translator = backend(TranslateSection(model=str(model), cache_dir=tmp_path / "cache", compute_type="float32"))
    assert translator.tokenizer.model_max_length > 64
    assert translator.max_source_tokens == 64 and translator.generation.max_positions == 64


def test_tokenizer_corpora_are_not_the_seed() -> None:
    seed = (REPO / "data" / "seed_ja.txt").read_text(encoding="utf-8")
    seed_lines = {line.strip() for line in seed.splitlines() if len(line.strip()) > 8}
    for name in ("tiny_corpus_ja.txt", "tiny_corpus_en.txt"):
        lines = corpus_lines(name)
        assert len(lines) > 100 and not seed_lines & set(lines), name
        assert not any(line in seed for line in lines if len(line) > 8), name


def test_force_replaces_only_what_build_tiny_wrote(tmp_path: Path) -> None:
    target = build_marian(tmp_path / "model")
    marker = json.loads((target / RANDOM_MARKER).read_text())
    assert marker["random"] and set(marker["files"]) == {p.name for p in target.iterdir()} >= set(FILES)
    (target / "old-weights.bin").write_text("an earlier build's file")
    (target / RANDOM_MARKER).write_text(json.dumps({**marker, "files": [*marker["files"], "old-weights.bin"]}))
    (target / "notes.txt").write_text("keep me")
    before = {name: sha256_file(target / name) for name in FILES}
    build_marian(target, seed=3)
    assert (target / "notes.txt").read_text() == "keep me" and not (target / "old-weights.bin").exists()
    assert sha256_file(target / "model.safetensors") != before["model.safetensors"]
    assert json.loads((target / RANDOM_MARKER).read_text())["seed"] == 3


def test_build_tiny_builds_only_where_the_config_names_the_tiny_model(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Issue 24.5: a typo in translate.model used to get a new random model built there."""
    monkeypatch.chdir(tmp_path)
    assert asks_for_tiny("models/tiny-marian") and asks_for_tiny(str(tmp_path / "tiny-marian"))
    assert not asks_for_tiny("models/nope") and not asks_for_tiny("models/tiny-marain")
    smoke = str(REPO / "configs" / "smoke.yaml")
    result = CliRunner().invoke(
        app, ["run", smoke, f"input.path={REPO / 'data' / 'seed_ja.txt'}", "translate.model=models/nope"]
    )
    assert result.exit_code == 2
    errors = [line for line in result.output.splitlines() if line.startswith("jaen: error: ")]
    assert len(errors) == 1 and "cannot load translation model 'models/nope'" in errors[0], result.output
    assert not Path("models").exists() and not Path("outputs").exists()


def test_a_random_model_is_recognised_by_its_marker(tmp_path: Path, tiny_model: Path) -> None:
    assert uses_random_model(TranslateSection(model=str(tiny_model), build_tiny=False))
    assert uses_random_model(TranslateSection(model=str(tiny_model), backend="file", fallback="hf"))
    assert not uses_random_model(TranslateSection(model=str(tiny_model), backend="file"))
    real = tmp_path / "real"
    shutil.copytree(tiny_model, real)
    (real / RANDOM_MARKER).unlink()
    assert not uses_random_model(TranslateSection(model=str(real)))
    assert not uses_random_model(TranslateSection(model="Helsinki-NLP/opus-mt-ja-en", build_tiny=True))


def test_every_run_on_a_random_model_says_so(
    tmp_path: Path, tiny_model: Path, caplog: pytest.LogCaptureFixture
) -> None:
    doc = tmp_path / "doc.txt"
    doc.write_text("北京の会談\n\n習近平国家主席は会談した。\n\nXi Jinping held talks.\n", encoding="utf-8")
    args = [
        "run",
        str(REPO / "configs" / "smoke.yaml"),
        f"input.path={doc}",
        f"translate.model={tiny_model}",
        f"run.output_dir={tmp_path / 'out'}",
        f"translate.cache_dir={tmp_path / 'cache'}",
        "translate.num_beams=1",
        "translate.max_new_tokens_min=4",
    ]
    for _ in range(2):  # the run, then a re-run that keeps every stage
        caplog.clear()
        with caplog.at_level(logging.WARNING):
            assert CliRunner().invoke(app, args).exit_code == 0
        warned = [r.getMessage() for r in caplog.records if RANDOM_MODEL_NOTE in r.getMessage()]
        assert len(warned) == 1 and str(tiny_model) in warned[0]
    run_dir = tmp_path / "out" / "smoke"
    assert json.loads((run_dir / "manifest.json").read_text())["stages"]["translate"]["random_model"] is True
    summary = (run_dir / "summary.md").read_text().splitlines()
    assert RANDOM_MODEL_NOTE in summary[0]
    report = (run_dir / "report.html").read_text()
    body = report[report.index("<body>") :]
    assert body.index(RANDOM_MODEL_NOTE) < body.index("<header>")
