"""Batch sizes for a generate call: today's fixed values on CPU, a memory-derived token budget on CUDA.

On CUDA the largest batch is bounded twice:

* **throughput** — tokens/s stops growing long before memory runs out (measured on one H200, full
  opus-mt shape, fp32: 6 beams peaks near 128 sentences = 768 hypotheses, greedy near 512
  sentences), so a call holds at most ``GPU_MAX_SENTENCES`` sentences and ``GPU_MAX_HYPOTHESES``
  beam hypotheses;
* **memory** — :func:`sentence_bytes` estimates what one sentence of ``S`` source tokens costs
  during ``generate`` (see docs/translation.md, "Batching on a GPU"); the budget is a share of the
  free GPU memory. The padded-token budget ``max_batch_tokens`` is chosen so that the worst batch
  the length-sorted batcher can form (``max_batch_size`` sentences of ``max_batch_tokens /
  max_batch_size`` tokens each) fits that budget.

Explicit ``translate.max_batch_size`` / ``max_batch_tokens`` override each part independently.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, dataclass
from typing import Any

# Today's values, kept exactly on CPU (and wherever no free-memory figure is known).
CPU_BATCH_SIZE = 32
CPU_BATCH_TOKENS = 4096
# On CPU, transformers' beam search runs fastest with about this many hypotheses (batch × beams)
# per generate call (measured on the full opus-mt shape: batch 8 at 6 beams is 1.6× batch 64).
CPU_HYPOTHESES = 64

# Throughput saturation on a GPU (H200, fp32, 32 decoder steps per sentence; docs/translation.md).
GPU_MAX_SENTENCES = 512
GPU_MAX_HYPOTHESES = 768

# The memory model, calibrated on the H200 peaks (docs/translation.md): generate holds about three
# copies of the key/value cache at its peak (the cache, the step's concatenation and the beam
# reordering) and about four vocabulary-wide float32 score rows per hypothesis (the logits, the
# bias-added logits, the float32 copy and the processed log-probabilities).
KV_COPIES = 3
LOGIT_COPIES = 4
LOGIT_BYTES = 4  # generate turns the scores to float32 whatever the model's dtype
MEMORY_SHARE = 0.8  # of the free memory measured after the model is loaded
MEMORY_RESERVE = 1 << 30  # bytes left aside for the CUDA context, the allocator's slack, other tensors


@dataclass(frozen=True)
class ModelShape:
    """What a Marian model's memory during ``generate`` depends on."""

    d_model: int
    decoder_layers: int
    heads: int
    vocab_size: int
    max_positions: int

    @classmethod
    def of(cls, config: Any) -> ModelShape:
        """From a transformers ``MarianConfig`` or its ``config.json`` as a dict."""
        get = config.get if isinstance(config, dict) else lambda key: getattr(config, key)
        return cls(
            d_model=int(get("d_model")),
            decoder_layers=int(get("decoder_layers")),
            heads=int(get("encoder_attention_heads")),
            vocab_size=int(get("vocab_size")),
            max_positions=int(get("max_position_embeddings")),
        )


@dataclass(frozen=True)
class BatchPlan:
    """The sizes one generate call is bounded by, and where they came from (for the log and manifest)."""

    max_batch_size: int
    max_batch_tokens: int
    source: str  # "config", "cpu defaults", "gpu memory" (either part may come from the config)
    free_bytes: int | None = None
    budget_bytes: int | None = None

    def as_dict(self) -> dict[str, Any]:
        return {k: v for k, v in asdict(self).items() if v is not None}


def default_plan(max_batch_size: int | None, max_batch_tokens: int | None) -> BatchPlan:
    """The config's sizes, today's CPU values where it leaves them to ``auto``."""
    source = "config" if max_batch_size is not None and max_batch_tokens is not None else "cpu defaults"
    return BatchPlan(max_batch_size or CPU_BATCH_SIZE, max_batch_tokens or CPU_BATCH_TOKENS, source)


def sentence_bytes(shape: ModelShape, beams: int, source_tokens: int, new_tokens: int, value_bytes: int) -> int:
    """Estimated peak bytes one sentence adds to a generate call: per hypothesis the key/value
    caches (self-attention over the target, cross-attention over the source) and the score rows;
    per sentence the encoder's attention scores and activations."""
    per_token_kv = 2 * shape.decoder_layers * shape.d_model * value_bytes  # keys and values, every layer
    hypothesis = (
        KV_COPIES * per_token_kv * (source_tokens + new_tokens + 1) + LOGIT_COPIES * shape.vocab_size * LOGIT_BYTES
    )
    encoder = value_bytes * source_tokens * (shape.heads * source_tokens + shape.d_model)
    return beams * hypothesis + encoder


def plan_batches(
    shape: ModelShape,
    beams: int,
    new_tokens: Callable[[int], int],
    value_bytes: int,
    free_bytes: int | None,
    max_batch_size: int | None = None,
    max_batch_tokens: int | None = None,
) -> BatchPlan:
    """The batch bounds for a model on a device with ``free_bytes`` free (None: CPU, today's values).

    ``new_tokens(S)`` is the number of tokens a batch whose longest source has ``S`` tokens may
    generate (``Generation.max_new_tokens``). ``max_batch_size`` / ``max_batch_tokens`` given by the
    config are kept as they are."""
    if free_bytes is None or (max_batch_size is not None and max_batch_tokens is not None):
        return default_plan(max_batch_size, max_batch_tokens)

    budget = max(0, int((free_bytes - MEMORY_RESERVE) * MEMORY_SHARE))
    longest = shape.max_positions

    def cost(n: int, tokens: int) -> int:
        return n * sentence_bytes(shape, beams, tokens, min(new_tokens(tokens), longest), value_bytes)

    size = max_batch_size
    if size is None:
        size = max(1, min(GPU_MAX_SENTENCES, GPU_MAX_HYPOTHESES // beams))
        while size > 1 and cost(size, 1) > budget:  # not even one-token sentences fit: fewer sentences
            size = max(1, size * 3 // 4)
    tokens = max_batch_tokens
    if tokens is None:
        # the worst batch under (size, tokens) is `size` sentences of tokens/size tokens each: take the
        # longest per-sentence length whose full batch fits (cost grows with the length)
        low, high = 1, longest
        while low < high:
            mid = (low + high + 1) // 2
            if cost(size, mid) <= budget:
                low = mid
            else:
                high = mid - 1
        tokens = max(16, size * low)
    return BatchPlan(size, tokens, "gpu memory", free_bytes, budget)
