"""Truncated references are scored against the translation's prefix, or excluded — never mixed in."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rundirs import Unit, write_run
from sacrebleu.metrics import BLEU

from pipeline.io import read_json
from pipeline.runner import run_stages
from pipeline.score.partial import matching_prefix
from pipeline.text import strip_ellipsis

FULL = [
    Unit(["東京は日本の首都です。"], ["Tokyo is the capital of Japan."], ["Tokyo is the capital of Japan."]),
    Unit(["会談は北京で行われた。"], ["The talks were held in Beijing."], ["The summit took place in Beijing."]),
]
CUT = Unit(
    ["先週木曜日に北京で行われた首脳会談は両国関係の転換点となった。"],
    ["The summit in Beijing last Thursday marked a turning point in relations."],
    ["The summit in Beijing last Thursday …"],
    partial=True,
)


def test_strip_and_prefix() -> None:
    assert strip_ellipsis("The summit at Beijing …") == "The summit at Beijing"
    assert strip_ellipsis("Cut here...") == "Cut here"
    assert strip_ellipsis("no mark") == "no mark"
    assert matching_prefix("one two three four five", "uno dos tres…") == "one two three"
    assert matching_prefix("short", "a b c d …") == "short"


@settings(max_examples=80, deadline=None)
@given(st.text(max_size=60), st.text(max_size=60))
def test_prefix_is_a_prefix_of_the_translation_in_words(translation: str, reference: str) -> None:
    prefix = matching_prefix(translation, reference)
    words = prefix.split()
    assert words == translation.split()[: len(words)]
    assert len(words) == min(len(translation.split()), len(strip_ellipsis(reference).split()))
    assert not strip_ellipsis(reference).endswith(("…", "..."))


def run(tmp_path: Path, mode: str) -> dict:
    config = write_run(tmp_path / mode, [*FULL, CUT], {"score.partial": mode, "score.bootstrap": 0})
    run_stages(config, ["score"])
    return read_json(tmp_path / mode / "scores.json")


def test_prefix_mode_scores_partial_rows_apart(tmp_path: Path) -> None:
    scores = run(tmp_path, "prefix")
    full_only = BLEU().corpus_score([u.mt[0] for u in FULL], [[u.ref[0] for u in FULL]]).score
    assert scores["corpus"]["bleu"]["score"] == pytest.approx(full_only, abs=1e-4)  # the cut row is not mixed in
    assert scores["corpus"]["bleu"]["n"] == 2
    assert scores["partial"]["mode"] == "prefix" and scores["partial"]["scored"] == 1
    prefix = "The summit in Beijing last Thursday"
    assert scores["partial"]["corpus"]["bleu"]["score"] == pytest.approx(100.0)  # prefix against "…"-less ref
    row = next(r for r in scores["rows"] if r["partial"])
    assert row["scored_translation"] == prefix and row["bleu"] == pytest.approx(100.0)
    assert scores["counts"]["partial_reference"] == 1 and scores["counts"]["partial_excluded"] == 0


def test_exclude_mode_counts_but_does_not_score(tmp_path: Path) -> None:
    scores = run(tmp_path, "exclude")
    assert scores["partial"]["corpus"] is None and scores["partial"]["n"] == 1
    assert scores["counts"]["partial_excluded"] == 1 and scores["counts"]["scored"] == 2
    assert all(not r["partial"] for r in scores["rows"]) and len(scores["rows"]) == 2
    assert scores["corpus"] == run(tmp_path / "again", "prefix")["corpus"]  # full-reference scores do not move
