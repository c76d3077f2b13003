"""Control characters in the input (issue 24.7): removed before segmenting, each line's recorded in
dropped.jsonl with its codes, never passed on to sentences.jsonl, the TSV or the TMX."""

from __future__ import annotations

import json
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from pipeline.cli import app
from pipeline.config import SegmentSection, build_config
from pipeline.records import Dropped
from pipeline.runner import run_stages
from pipeline.segment.clean import CONTROL, strip_controls
from pipeline.segment.rules import RulesSegmenter

PAGE = "東京は\x00日本の首都です。\x1b[31m\n\x0c\n会談は北京で\x7f行われた。\n"


def test_controls_are_removed_and_recorded_by_line() -> None:
    text, dropped = strip_controls(PAGE)
    assert text == "東京は日本の首都です。\n \n会談は北京で行われた。\n"
    assert [(d.line, d.text) for d in dropped] == [(1, "\x00\x1b[31m"), (2, "\x0c"), (3, "\x7f")]
    assert dropped[0].reason == "control character(s) U+0000, ESC'[31m' (a terminal escape) removed"
    assert "replaced by a space" in dropped[1].reason and dropped[2].reason == "control character(s) U+007F removed"
    assert strip_controls("tab\tand\nlines\r\n") == ("tab\tand\nlines\r\n", [])  # whitespace kept as it is


def test_a_word_split_by_a_separator_stays_two_words() -> None:
    result = RulesSegmenter(SegmentSection()).segment_reference("It rained\x1ein Tokyo.\x00")
    assert [u.text for u in result.units] == ["It rained in Tokyo."]
    assert [d.text for d in result.dropped] == ["\x1e\x00"]


@settings(max_examples=150, deadline=None)
@given(st.lists(st.sampled_from([*"東京は晴れ。 ab.\n", "\x00", "\x1b[0m", "\x0c", "\x85"]) | st.text(max_size=4)))
def test_no_control_character_reaches_a_sentence(pieces: list[str]) -> None:
    page = "".join(pieces)
    segmenter = RulesSegmenter(SegmentSection())
    for result in (segmenter.segment(page), segmenter.segment_reference(page)):
        assert not any(CONTROL.search(u.text) for u in result.units)
        removed = "".join(d.text for d in result.dropped if d.reason.startswith("control character"))
        assert removed == "".join(CONTROL.findall(page))


def test_the_segment_stage_writes_them_to_dropped_jsonl(tmp_path: Path) -> None:
    page = tmp_path / "page.txt"
    page.write_text(PAGE, encoding="utf-8")
    config = build_config({"run": {"name": "r", "output_dir": str(tmp_path)}, "input": {"path": str(page)}})
    run_stages(config, ["segment"])
    sentences = (tmp_path / "r" / "sentences.jsonl").read_text(encoding="utf-8")
    assert "\\u0000" not in sentences and "\\u001b" not in sentences and "\\u007f" not in sentences
    dropped = [Dropped(**json.loads(line)) for line in (tmp_path / "r" / "dropped.jsonl").open(encoding="utf-8")]
    assert [(d.line, d.text) for d in dropped if d.reason.startswith("control")] == [
        (1, "\x00\x1b[31m"),
        (2, "\x0c"),
        (3, "\x7f"),
    ]


def test_jaen_segment_prints_them_with_dropped(tmp_path: Path) -> None:
    page = tmp_path / "page.txt"
    page.write_text(PAGE, encoding="utf-8")
    result = CliRunner().invoke(app, ["segment", str(page), "--dropped"])
    assert result.exit_code == 0, result.output
    assert "\\u0000" not in result.stdout and "U+0000" in result.stderr
