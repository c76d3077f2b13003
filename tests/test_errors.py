"""A library's exception quoted in one of our one-line errors."""

from __future__ import annotations

from pipeline.errors import CAUSE_CHARS, one_line


def test_one_line_collapses_line_breaks_and_cuts_long_messages() -> None:
    assert one_line(OSError("no such\n  file\n")) == "no such file"
    assert len(one_line(ValueError("x" * 1000))) == CAUSE_CHARS
    assert one_line(ValueError("a b"), 1) == "a"


def test_one_line_names_the_type_of_an_exception_without_a_message() -> None:
    assert one_line(TimeoutError()) == "TimeoutError"
