"""The ``hf`` backend: MarianMTModel through transformers, length-sorted batches, inference mode."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any

from ..config import TranslateSection
from ..errors import ConfigError, one_line
from .base import Generation, Output, Translator, translators
from .batching import CPU_HYPOTHESES, BatchPlan, ModelShape, plan_batches
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


# `translate.dtype: auto` on CUDA: the half precision whose output came closest to float32
# (docs/translation.md, "Precision").
GPU_AUTO_DTYPE = "float16"


def resolve_dtype(name: str, device: str) -> str:
    """``translate.dtype`` for ``device``: ``auto`` is float32 on CPU, ``GPU_AUTO_DTYPE`` on CUDA."""
    if name != "auto":
        return name
    return GPU_AUTO_DTYPE if str(device).startswith("cuda") else "float32"


def check_dtype_runs(model: Any, device: str, dtype: str) -> None:
    """One forward pass on one token, so that a dtype the device cannot run fails now, in one line."""
    import torch

    token = torch.tensor([[model.config.eos_token_id]], device=device)
    try:
        with torch.inference_mode():
            model(input_ids=token, decoder_input_ids=token)
    except (RuntimeError, TypeError, NotImplementedError) as exc:
        cause = one_line(exc, 200)
        raise ConfigError(
            f"translate.dtype={dtype}: the model cannot run in {dtype} on {device} ({cause}); "
            "use translate.dtype=float32 (or auto)"
        ) from None


def free_gpu_bytes(device: str) -> int | None:
    """Free memory of the CUDA device (after the model is loaded), None on CPU."""
    import torch

    if not str(device).startswith("cuda") or not torch.cuda.is_available():
        return None
    free, _total = torch.cuda.mem_get_info(torch.device(device))
    return int(free)


@translators.register("hf")
class HFTranslator(Translator):
    name = "hf"

    def __init__(self, cfg: TranslateSection) -> None:
        super().__init__(cfg)
        import torch

        if cfg.threads:
            torch.set_num_threads(cfg.threads)
        model_dir = resolve_model_dir(cfg.model, cfg.revision)
        self.device = resolve_device(cfg.device)
        self.dtype = resolve_dtype(cfg.dtype, self.device)
        self.model, self.tokenizer = load_marian(str(model_dir), dtype=self.dtype)
        self.model.to(self.device)
        if self.dtype != "float32":  # float32 runs everywhere: no trial forward pass on every load
            check_dtype_runs(self.model, self.device, self.dtype)
        self._model_identity = model_identity(cfg.model, cfg.revision, model_dir)
        self.generation = Generation.resolve(cfg, self.model.generation_config.to_dict(), self.model_positions)
        self.batch_plan: BatchPlan = plan_batches(
            ModelShape.of(self.model.config),
            self.generation.num_beams,
            self.generation.max_new_tokens,
            self.model.dtype.itemsize,
            free_gpu_bytes(self.device),
            cfg.max_batch_size,
            cfg.max_batch_tokens,
        )
        log.info(
            "hf on %s, %s: batches of at most %d sentences (%d per call) and %d padded tokens (%s)",
            self.device,
            self.dtype,
            self.batch_plan.max_batch_size,
            self.batch_size,
            self.batch_plan.max_batch_tokens,
            self.batch_plan.source,
        )

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
        """Sentences per generate call: the batch plan's, capped on CPU to about ``CPU_HYPOTHESES``
        beam hypotheses per call."""
        if str(self.device).startswith("cuda"):
            return self.batch_plan.max_batch_size
        return max(1, min(self.batch_plan.max_batch_size, CPU_HYPOTHESES // self.generation.num_beams))

    def generated_lengths(self, sequences: list[list[int]]) -> list[int]:
        """Tokens each output generated (its end token included): up to the first end token after
        the decoder start, else every non-pad token."""
        eos, pad = self.model.generation_config.eos_token_id, self.tokenizer.pad_token_id
        eos_ids = set(eos if isinstance(eos, list) else [eos])
        lengths = []
        for row in (seq[1:] for seq in sequences):
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

        return {
            "device": str(self.device),
            "threads": torch.get_num_threads(),
            "dtype": self.dtype,
            "batch_size": self.batch_size,
            "batch_plan": self.batch_plan.as_dict(),
        }

    def translate_outputs(self, texts: Sequence[str], cap_scale: float = 1.0) -> list[Output]:
        import torch

        if not texts:
            return []
        lengths = [self.count_tokens(t) for t in texts]
        results: list[Output] = [Output("")] * len(texts)
        unk = self.tokenizer.unk_token_id
        for batch in length_batches(lengths, self.batch_size, self.batch_plan.max_batch_tokens):
            enc = self.tokenizer([texts[i] for i in batch], return_tensors="pt", padding=True, truncation=False)
            enc = {k: v.to(self.device) for k, v in enc.items()}
            kwargs = self.generation_kwargs(max(lengths[i] for i in batch), cap_scale)
            with torch.inference_mode():
                out = self.model.generate(**enc, max_length=None, **kwargs)
            seqs = out.tolist()  # one copy off the device, used for the text and the flags
            decoded = self.tokenizer.batch_decode(seqs, skip_special_tokens=True)
            generated = self.generated_lengths(seqs)
            for k, (i, text) in enumerate(zip(batch, decoded)):
                tokens = seqs[k][1 : 1 + generated[k]]
                results[i] = Output(text.strip(), truncated=generated[k] >= kwargs["max_new_tokens"], unk=unk in tokens)
        return results
