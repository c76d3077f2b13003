from pathlib import Path

from pipeline.io import sha256_file
from pipeline.translate.loading import load_marian
from pipeline.translate.tiny import build_marian


def test_tiny_model_is_deterministic_and_loads(tmp_path: Path, tiny_model: Path) -> None:
    again = build_marian(tmp_path / "again")
    for name in ("model.safetensors", "source.spm", "target.spm", "vocab.json", "config.json"):
        assert sha256_file(again / name) == sha256_file(tiny_model / name), name
    model, tokenizer = load_marian(str(tiny_model))
    batch = tokenizer(["北京で会談した。"], return_tensors="pt")
    out = model.generate(**batch, max_new_tokens=5, num_beams=1)
    assert out.shape[0] == 1
