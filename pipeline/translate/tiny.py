"""Build a MarianMT model offline: random weights, small sentencepiece vocabularies, ``save_pretrained`` layout.

The tiny model exists to exercise the real loading and generation code where the hub cannot be
reached; its output is meaningless. Its files mirror opus-mt-ja-en's (the hub's generation config,
a tokenizer config without ``model_max_length``), so tests take the real model's path; its
sentencepiece models are trained on the dev set's tune half (``tiny_corpus_*.txt``, written by
``scripts/make_tiny_corpus.py``), never on the seed page the tests translate.
With ``full_size=True`` the same builder makes a random model of opus-mt-ja-en's exact shape for speed benchmarks.
"""

from __future__ import annotations

import io
import json
import logging
import shutil
import tempfile
from dataclasses import asdict, dataclass
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ..config import TranslateSection

log = logging.getLogger(__name__)

TINY_DIR_NAME = "tiny-marian"  # translate.build_tiny builds only at a directory of this name (configs/smoke.yaml)
RANDOM_MARKER = "jaen-random-model.json"  # written into every model build_marian makes: its files, shape and seed
RANDOM_MODEL_NOTE = "translations from a random test model: scores are meaningless"

SPECIALS = ("</s>", "<unk>")
PAD = "<pad>"
OPUS_MT_JA_EN_VOCAB = 60716


@dataclass(frozen=True)
class MarianShape:
    d_model: int = 16
    layers: int = 2
    heads: int = 2
    ffn_dim: int = 32
    vocab_size: int | None = None  # None: just the sentencepiece pieces
    spm_vocab: int = 2000
    max_positions: int = 512


TINY = MarianShape()
FULL = MarianShape(d_model=512, layers=6, heads=8, ffn_dim=2048, vocab_size=OPUS_MT_JA_EN_VOCAB, spm_vocab=4000)


def corpus_lines(name: str) -> list[str]:
    text = resources.files(__package__).joinpath(name).read_text(encoding="utf-8")
    return [line.strip() for line in text.splitlines() if line.strip()]


def _train_spm(lines: list[str], vocab_size: int, char_coverage: float) -> bytes:
    import sentencepiece as spm

    buf = io.BytesIO()
    spm.SentencePieceTrainer.train(
        sentence_iterator=iter(lines),
        model_writer=buf,
        vocab_size=vocab_size,
        model_type="unigram",
        character_coverage=char_coverage,
        num_threads=1,
        hard_vocab_limit=False,
        bos_id=-1,
        eos_id=0,
        unk_id=1,
        pad_id=-1,
        minloglevel=2,
    )
    return buf.getvalue()


def _pieces(model: bytes) -> list[str]:
    import sentencepiece as spm

    sp = spm.SentencePieceProcessor(model_proto=model)
    return [sp.id_to_piece(i) for i in range(sp.get_piece_size())]


def hub_generation_config(pad_id: int, max_positions: int) -> dict[str, Any]:
    """opus-mt-ja-en's ``generation_config.json`` on the hub, with this vocabulary's pad id."""
    return {
        "bad_words_ids": [[pad_id]],
        "bos_token_id": 0,
        "decoder_start_token_id": pad_id,
        "eos_token_id": 0,
        "forced_eos_token_id": 0,
        "max_length": max_positions,
        "num_beams": 4,
        "pad_token_id": pad_id,
        "renormalize_logits": True,
    }


def drop_model_max_length(path: Path) -> None:
    """opus-mt's ``tokenizer_config.json`` names no ``model_max_length``, so the loaded tokenizer's limit
    is not the model's; the backends take the model's ``max_position_embeddings`` where it is smaller."""
    data = json.loads(path.read_text(encoding="utf-8"))
    data.pop("model_max_length", None)
    path.write_text(json.dumps(data, indent=2, ensure_ascii=False, sort_keys=True) + "\n", encoding="utf-8")


def _vocabulary(src_model: bytes, tgt_model: bytes, shape: MarianShape) -> dict[str, int]:
    """Both sentencepiece models' pieces (shared embeddings), filled up to ``shape.vocab_size``, pad last."""
    vocab: dict[str, int] = {tok: i for i, tok in enumerate(SPECIALS)}
    for piece in _pieces(src_model) + _pieces(tgt_model):
        if piece not in vocab and piece not in (PAD, "<s>"):
            vocab[piece] = len(vocab)
    if shape.vocab_size is not None:
        filler = 0
        while len(vocab) < shape.vocab_size - 1:
            vocab[f"▁x{filler}"] = len(vocab)
            filler += 1
    vocab[PAD] = len(vocab)
    return vocab


def _random_marian(vocab_size: int, pad_id: int, shape: MarianShape, seed: int) -> Any:
    import torch
    from transformers import GenerationConfig, MarianConfig, MarianMTModel

    config = MarianConfig(
        vocab_size=vocab_size,
        decoder_vocab_size=vocab_size,
        d_model=shape.d_model,
        encoder_layers=shape.layers,
        decoder_layers=shape.layers,
        encoder_attention_heads=shape.heads,
        decoder_attention_heads=shape.heads,
        encoder_ffn_dim=shape.ffn_dim,
        decoder_ffn_dim=shape.ffn_dim,
        max_position_embeddings=shape.max_positions,
        activation_function="swish",
        scale_embedding=True,
        pad_token_id=pad_id,
        eos_token_id=0,
        forced_eos_token_id=0,
        decoder_start_token_id=pad_id,
        share_encoder_decoder_embeddings=True,
        dropout=0.1,
        attention_dropout=0.0,
        activation_dropout=0.0,
    )
    torch.manual_seed(seed)
    model = MarianMTModel(config)
    model.eval()
    model.generation_config = GenerationConfig(**hub_generation_config(pad_id, shape.max_positions))
    return model


def _write_marian(work: Path, shape: MarianShape, seed: int) -> None:
    """The model, its tokenizer and the marker that names it random (listing every file), into ``work``."""
    from transformers import MarianTokenizer

    src_model = _train_spm(corpus_lines("tiny_corpus_ja.txt"), shape.spm_vocab, 0.9995)
    tgt_model = _train_spm(corpus_lines("tiny_corpus_en.txt"), min(shape.spm_vocab, 400), 1.0)
    vocab = _vocabulary(src_model, tgt_model, shape)
    (work / "source.spm").write_bytes(src_model)
    (work / "target.spm").write_bytes(tgt_model)
    (work / "vocab.json").write_text(json.dumps(vocab, ensure_ascii=False, indent=1), encoding="utf-8")
    tokenizer = MarianTokenizer(
        source_spm=str(work / "source.spm"), target_spm=str(work / "target.spm"), vocab=str(work / "vocab.json")
    )
    tokenizer.save_pretrained(work)
    drop_model_max_length(work / "tokenizer_config.json")
    _random_marian(len(vocab), vocab[PAD], shape, seed).save_pretrained(work)
    files = sorted([p.name for p in work.iterdir()] + [RANDOM_MARKER])
    marker = {"random": True, "note": RANDOM_MODEL_NOTE, "shape": asdict(shape), "seed": seed, "files": files}
    (work / RANDOM_MARKER).write_text(json.dumps(marker, indent=2) + "\n", encoding="utf-8")


def built_files(directory: Path) -> list[str]:
    """The files an earlier :func:`build_marian` wrote into ``directory`` (its marker lists them)."""
    try:
        data = json.loads((directory / RANDOM_MARKER).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError):
        return []
    names = data.get("files") if isinstance(data, dict) else None
    return [n for n in names if isinstance(n, str) and n and Path(n).name == n] if isinstance(names, list) else []


def _install(work: Path, out: Path) -> None:
    """Put the files of ``work`` at ``out``: a new directory whole; into an existing one, in place of
    what an earlier build wrote there, leaving every other file of it alone."""
    if not out.exists():
        out.parent.mkdir(parents=True, exist_ok=True)
        shutil.move(str(work), str(out))
        return
    for name in built_files(out):
        (out / name).unlink(missing_ok=True)
    for path in sorted(work.iterdir()):
        shutil.move(str(path), str(out / path.name))


def build_marian(out_dir: str | Path, shape: MarianShape = TINY, seed: int = 0) -> Path:
    """Write a deterministic random MarianMT (model + tokenizer) to ``out_dir`` and return it. Into an
    existing directory it replaces only the files an earlier build wrote (listed in ``RANDOM_MARKER``)."""
    out = Path(out_dir)
    with tempfile.TemporaryDirectory(prefix=".tiny-", dir=out.parent if out.parent.exists() else None) as tmp:
        work = Path(tmp) / "model"
        work.mkdir()
        _write_marian(work, shape, seed)
        _install(work, out)
    log.info("built MarianMT (%s) at %s", shape, out)
    return out


def asks_for_tiny(model: str) -> bool:
    """``translate.model`` names the tiny model's directory (``…/tiny-marian``), the only place
    ``translate.build_tiny`` builds: a typo in a model path never gets a random model."""
    return Path(model).name == TINY_DIR_NAME


def uses_random_model(cfg: TranslateSection) -> bool:
    """The translations of ``cfg`` come (at least partly) from a random test model: its directory
    carries build_marian's marker, or the config asks for the tiny model (a build made before the marker)."""
    if cfg.backend == "file" and cfg.fallback is None:
        return False
    path = Path(cfg.model).expanduser()
    return (path / RANDOM_MARKER).is_file() or (cfg.build_tiny and asks_for_tiny(cfg.model) and path.is_dir())


def random_model_of(manifest: dict[str, Any]) -> str | None:
    """The random test model a run's translations came from, as its manifest records it; else None."""
    entry = (manifest.get("stages") or {}).get("translate")
    if not isinstance(entry, dict) or not entry.get("random_model"):
        return None
    model = entry.get("model")
    return str(model.get("model", "?")) if isinstance(model, dict) else "?"


def warn_if_random(run_dir: Path) -> None:
    """One warning line when the run's translations came from a random test model (its manifest says)."""
    from .. import artifacts
    from ..manifest import Manifest

    model = random_model_of(Manifest.open(run_dir / artifacts.MANIFEST).data)
    if model is not None:
        log.warning("%s (%s): %s", run_dir, model, RANDOM_MODEL_NOTE)
