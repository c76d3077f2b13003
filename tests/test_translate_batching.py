"""Batch sizing: today's values on CPU, a memory-derived token budget on CUDA, the config overrides."""

from __future__ import annotations

import pytest

from pipeline.translate.batching import (
    CPU_BATCH_SIZE,
    CPU_BATCH_TOKENS,
    GPU_MAX_HYPOTHESES,
    GPU_MAX_SENTENCES,
    ModelShape,
    plan_batches,
    sentence_bytes,
)

OPUS_MT = ModelShape(d_model=512, decoder_layers=6, heads=8, vocab_size=60716, max_positions=512)
GB = 10**9


def new_tokens(source: int) -> int:  # the defaults: max(16, 2 × source), at most the model's positions
    return min(max(16, 2 * source), 512)


def plan(free_gb: float | None, beams: int, value_bytes: int = 4, **kw):
    free = None if free_gb is None else int(free_gb * GB)
    return plan_batches(OPUS_MT, beams, new_tokens, value_bytes, free, **kw)


@pytest.mark.parametrize("beams", [1, 6])
def test_cpu_keeps_todays_values_and_the_config_overrides(beams: int) -> None:
    assert (
        (plan(None, beams).max_batch_size, plan(None, beams).max_batch_tokens)
        == (CPU_BATCH_SIZE, CPU_BATCH_TOKENS)
        == (32, 4096)
    )
    assert plan(None, beams).source == "cpu defaults"
    explicit = plan(80, beams, max_batch_size=7, max_batch_tokens=300)
    assert (explicit.max_batch_size, explicit.max_batch_tokens, explicit.source) == (7, 300, "config")
    assert plan(80, beams, max_batch_size=7).max_batch_size == 7  # one part set, the other sized
    assert plan(80, beams, max_batch_tokens=300).max_batch_tokens == 300


def test_memory_model_reproduces_the_h200_peaks() -> None:
    """The calibration points (docs/translation.md): 1,024 seed sentences padded to 103 source tokens,
    32 decoder steps, fp32; weights (75 M parameters) added."""
    weights = 75e6 * 4
    for sentences, beams, measured_gb in ((128, 6, 8.6), (512, 1, 6.2), (512, 6, 32.6)):
        estimate = (sentences * sentence_bytes(OPUS_MT, beams, 103, 32, 4) + weights) / GB
        assert measured_gb * 0.95 <= estimate <= measured_gb * 1.1, (sentences, beams, estimate)


@pytest.mark.parametrize("free_gb", [80, 140])
def test_large_cards_get_the_measured_best_points(free_gb: float) -> None:
    six, greedy = plan(free_gb, 6), plan(free_gb, 1)
    assert (six.max_batch_size, six.max_batch_tokens) == (128, 128 * 512)  # 768 hypotheses, any length
    assert (greedy.max_batch_size, greedy.max_batch_tokens) == (512, 512 * 512)
    assert six.source == greedy.source == "gpu memory" and six.free_bytes == free_gb * GB


@pytest.mark.parametrize("beams", [1, 2, 4, 6, 12])
@pytest.mark.parametrize("value_bytes", [2, 4])
def test_sizes_are_bounded_monotone_in_memory_and_fit_it(beams: int, value_bytes: int) -> None:
    previous = None
    for free_gb in (2, 4, 8, 16, 24, 40, 80, 140):
        p = plan(free_gb, beams, value_bytes)
        assert 1 <= p.max_batch_size <= min(GPU_MAX_SENTENCES, GPU_MAX_HYPOTHESES // beams)
        assert 16 <= p.max_batch_tokens <= p.max_batch_size * 512
        if previous is not None:
            assert p.max_batch_size >= previous.max_batch_size and p.max_batch_tokens >= previous.max_batch_tokens
        # the worst batch the length-sorted batcher can form under these bounds fits the budget
        length = max(1, p.max_batch_tokens // p.max_batch_size)
        assert (
            p.max_batch_size * sentence_bytes(OPUS_MT, beams, length, new_tokens(length), value_bytes) <= p.budget_bytes
        )
        previous = p


def test_beams_and_small_cards_reduce_the_batch() -> None:
    assert plan(16, 6).max_batch_size < plan(16, 1).max_batch_size
    assert plan(16, 6).max_batch_tokens < plan(80, 6).max_batch_tokens  # 16 GB: shorter full batches
    assert plan(16, 6).max_batch_tokens < plan(16, 1).max_batch_tokens
    assert plan(16, 6, value_bytes=2).max_batch_tokens > plan(16, 6).max_batch_tokens  # half precision: more fits
    tiny = plan(1.5, 6)
    assert tiny.max_batch_size < 128 and tiny.budget_bytes < GB


def test_shape_comes_from_a_marian_config_or_its_json() -> None:
    from transformers import MarianConfig

    config = MarianConfig(
        d_model=512, decoder_layers=6, encoder_attention_heads=8, vocab_size=60716, max_position_embeddings=512
    )
    assert ModelShape.of(config) == OPUS_MT == ModelShape.of(config.to_dict())
