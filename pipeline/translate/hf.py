"""The ``hf`` backend: MarianMTModel through transformers, length-sorted batches, inference mode."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any

from ..config import TranslateSection
from .base import Generation, Output, Translator, translators
from .loading import load_marian, model_identity, resolve_model_dir

log = logging.getLogger(__name__)


def resolve_device(name: str) -> str:
    import torch

    if name == "auto":
        return "cuda" if torch.cuda.is_available() else "cpu"
    return name


def length_batches(lengths: Sequence[int], max_size: int, max_tokens: int) -> list[list[int]]:
    """Indices grouped into batches of similar length: at most ``max_size`` items and about
    ``max_tokens`` padded tokens each (a single over-long item still gets its own batch)."""
    order = sorted(range(len(lengths)), key=lambda i: (-lengths[i], i))
    batches: list[list[int]] = []
    current: list[int] = []
    longest = 0
    for i in order:
        longest_if_added = max(longest, lengths[i])
        if current and (len(current) >= max_size or longest_if_added * (len(current) + 1) > max_tokens):
            batches.append(current)
            current, longest_if_added = [], lengths[i]
        current.append(i)
        longest = longest_if_added
    if current:
        batches.append(current)
    return batches


# On CPU, transformers' beam search runs fastest with about this many hypotheses (batch × beams)
# per generate call (measured on the full opus-mt shape: batch 8 at 6 beams is 1.6× batch 64).
CPU_HYPOTHESES = 64


@translators.register("hf")
class HFTranslator(Translator):
    name = "hf"

    def __init__(self, cfg: TranslateSection) -> None:
        super().__init__(cfg)
        import torch

        if cfg.threads:
            torch.set_num_threads(cfg.threads)
        model_dir = resolve_model_dir(cfg.model, cfg.revision)
        self.model, self.tokenizer = load_marian(str(model_dir))
        self.device = resolve_device(cfg.device)
        self.model.to(self.device)
        self._model_identity = model_identity(cfg.model, cfg.revision, model_dir)
        self.generation = Generation.resolve(cfg, self.model.generation_config.to_dict(), self.model_positions)

    @property
    def model_positions(self) -> int:
        return int(min(self.tokenizer.model_max_length, self.model.config.max_position_embeddings))

    @property
    def max_source_tokens(self) -> int:
        limit = self.model_positions
        return min(limit, self.cfg.max_source_tokens or limit)

    def count_tokens(self, text: str) -> int:
        return len(self.tokenizer(text, truncation=False)["input_ids"])

    @property
    def batch_size(self) -> int:
        """``max_batch_size``, capped on CPU to about ``CPU_HYPOTHESES`` beam hypotheses per call."""
        if str(self.device).startswith("cuda"):
            return self.cfg.max_batch_size
        return max(1, min(self.cfg.max_batch_size, CPU_HYPOTHESES // self.generation.num_beams))

    def generated_lengths(self, sequences: Any) -> list[int]:
        """Tokens each output generated (its end token included): up to the first end token after
        the decoder start, else every non-pad token."""
        eos, pad = self.model.generation_config.eos_token_id, self.tokenizer.pad_token_id
        eos_ids = set(eos if isinstance(eos, list) else [eos])
        lengths = []
        for row in sequences[:, 1:].tolist():
            end = next((k for k, t in enumerate(row) if t in eos_ids), None)
            lengths.append(end + 1 if end is not None else sum(t != pad for t in row))
        return lengths

    def generation_kwargs(self, longest_source: int, cap_scale: float = 1.0) -> dict[str, Any]:
        gen = self.generation
        kwargs: dict[str, Any] = {
            "num_beams": gen.num_beams,
            "length_penalty": gen.length_penalty,
            "no_repeat_ngram_size": gen.no_repeat_ngram_size,
            "repetition_penalty": gen.repetition_penalty,
            "max_new_tokens": gen.max_new_tokens(longest_source, cap_scale),
        }
        if gen.min_new_tokens:
            kwargs["min_new_tokens"] = gen.min_new_tokens
        return kwargs

    def identity(self) -> dict[str, Any]:
        return {
            "backend": self.name,
            **self._model_identity,
            "compute_type": str(self.model.dtype).removeprefix("torch."),
            **self.generation.as_dict(),
        }

    def describe(self) -> dict[str, Any]:
        import torch

        return {"device": str(self.device), "threads": torch.get_num_threads(), "batch_size": self.batch_size}

    def translate_outputs(self, texts: Sequence[str], cap_scale: float = 1.0) -> list[Output]:
        import torch

        if not texts:
            return []
        lengths = [self.count_tokens(t) for t in texts]
        results: list[Output] = [Output("")] * len(texts)
        unk = self.tokenizer.unk_token_id
        for batch in length_batches(lengths, self.batch_size, self.cfg.max_batch_tokens):
            enc = self.tokenizer([texts[i] for i in batch], return_tensors="pt", padding=True, truncation=False)
            enc = {k: v.to(self.device) for k, v in enc.items()}
            kwargs = self.generation_kwargs(max(lengths[i] for i in batch), cap_scale)
            with torch.inference_mode():
                out = self.model.generate(**enc, max_length=None, **kwargs)
            decoded = self.tokenizer.batch_decode(out, skip_special_tokens=True)
            generated = self.generated_lengths(out)
            for k, (i, text) in enumerate(zip(batch, decoded)):
                tokens = out[k, 1 : 1 + generated[k]].tolist()
                results[i] = Output(text.strip(), truncated=generated[k] >= kwargs["max_new_tokens"], unk=unk in tokens)
        return results
