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
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)

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
    """The non-blank lines of a packaged tokenizer corpus (``tiny_corpus_ja.txt``, ``tiny_corpus_en.txt``)."""
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


def build_marian(out_dir: str | Path, shape: MarianShape = TINY, seed: int = 0) -> Path:
    """Write a deterministic random MarianMT (model + tokenizer) to ``out_dir`` and return it."""
    import torch
    from transformers import GenerationConfig, MarianMTModel

    out = Path(out_dir)
    src_model = _train_spm(corpus_lines("tiny_corpus_ja.txt"), shape.spm_vocab, 0.9995)
    tgt_model = _train_spm(corpus_lines("tiny_corpus_en.txt"), min(shape.spm_vocab, 400), 1.0)

    vocab = joint_vocab(src_model, tgt_model, shape)
    pad_id = vocab[PAD]
    torch.manual_seed(seed)
    model = MarianMTModel(marian_config(len(vocab), pad_id, shape))
    model.eval()
    model.generation_config = GenerationConfig(**hub_generation_config(pad_id, shape.max_positions))
    save_model(out, model, src_model, tgt_model, vocab)
    log.info("built MarianMT (%s) at %s", shape, out)
    return out


def joint_vocab(src_model: bytes, tgt_model: bytes, shape: MarianShape) -> dict[str, int]:
    """The shared vocabulary: the specials, both SentencePiece models' pieces, filler to the shape's
    size, and the pad token last."""
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


def marian_config(vocab_size: int, pad_id: int, shape: MarianShape) -> Any:
    """opus-mt-ja-en's configuration (a transformers MarianConfig) in ``shape``'s size."""
    from transformers import MarianConfig

    return MarianConfig(
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


def save_model(out: Path, model: Any, src_model: bytes, tgt_model: bytes, vocab: dict[str, int]) -> None:
    """Write the model and its MarianTokenizer to ``out`` in one move (a directory there is replaced)."""
    from transformers import MarianTokenizer

    with tempfile.TemporaryDirectory(prefix=".tiny-", dir=out.parent if out.parent.exists() else None) as tmp:
        work = Path(tmp) / "model"
        work.mkdir()
        (work / "source.spm").write_bytes(src_model)
        (work / "target.spm").write_bytes(tgt_model)
        (work / "vocab.json").write_text(json.dumps(vocab, ensure_ascii=False, indent=1), encoding="utf-8")
        tokenizer = MarianTokenizer(
            source_spm=str(work / "source.spm"),
            target_spm=str(work / "target.spm"),
            vocab=str(work / "vocab.json"),
        )
        tokenizer.save_pretrained(work)
        drop_model_max_length(work / "tokenizer_config.json")
        model.save_pretrained(work)
        if out.exists():
            shutil.rmtree(out)
        out.parent.mkdir(parents=True, exist_ok=True)
        shutil.move(str(work), str(out))
