"""The tiny offline model: deterministic, laid out like opus-mt-ja-en, its tokenizer not trained on the seed."""

import json
from pathlib import Path

import pytest

from pipeline.config import TranslateSection
from pipeline.io import sha256_file
from pipeline.translate.ct2 import CT2Translator
from pipeline.translate.hf import HFTranslator
from pipeline.translate.loading import load_marian
from pipeline.translate.tiny import MarianShape, build_marian, corpus_lines

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
