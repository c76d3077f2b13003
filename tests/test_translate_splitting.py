"""Clause splitting never loses text and every piece fits; batching keeps every index once."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.translate.hf import length_batches
from pipeline.translate.splitting import join_pieces, split_to_fit

JA = st.text(alphabet=st.sampled_from(list("あいうえお漢字東京、。，,;： \n\tabcXYZ😀１")), max_size=400)


@settings(max_examples=200, deadline=None)
@given(JA, st.integers(min_value=1, max_value=60))
def test_split_is_lossless_and_every_piece_fits(text: str, limit: int) -> None:
    pieces = split_to_fit(text, lambda t: len(t) <= limit)
    assert "".join(pieces) == text
    assert all(len(p) <= limit for p in pieces)
    assert all(pieces) or pieces == [""]


@settings(max_examples=100, deadline=None)
@given(st.text(max_size=300), st.integers(min_value=1, max_value=40))
def test_split_any_unicode(text: str, limit: int) -> None:
    pieces = split_to_fit(text, lambda t: len(t.encode()) <= max(limit, 4))
    assert "".join(pieces) == text


def test_prefers_clause_boundaries() -> None:
    text = "東京で会談し、北京で署名し、大阪で発表した。"
    assert split_to_fit(text, lambda t: len(t) <= 8) == ["東京で会談し、", "北京で署名し、", "大阪で発表した。"]
    assert join_pieces([" a ", "", "b"]) == "a b"


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.integers(min_value=1, max_value=600), max_size=80),
    st.integers(min_value=1, max_value=40),
    st.integers(min_value=16, max_value=5000),
)
def test_length_batches_cover_each_index_once_within_budget(lengths: list[int], size: int, tokens: int) -> None:
    batches = length_batches(lengths, size, tokens)
    assert sorted(i for b in batches for i in b) == list(range(len(lengths)))
    for batch in batches:
        assert len(batch) <= size
        assert len(batch) == 1 or max(lengths[i] for i in batch) * len(batch) <= tokens
