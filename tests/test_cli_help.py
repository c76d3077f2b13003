"""``--help`` in typer's usual form: no ``<str>`` / ``<bool>`` labels, flags without a value, NAME arguments."""

from __future__ import annotations

import re

import pytest
from typer.testing import CliRunner

from pipeline.cli import app

COMMANDS = [
    [],
    ["run"],
    ["segment"],
    ["translate"],
    ["align"],
    ["score"],
    ["export"],
    ["eval-align"],
    ["compare"],
    ["config"],
    ["sweep"],
    ["models", "build-tiny"],
    ["models", "convert-ct2"],
    ["translations", "import"],
    ["lexicon", "build"],
    ["lexicon", "status"],
]


def help_of(command: list[str]) -> str:
    result = CliRunner().invoke(app, [*command, "--help"], terminal_width=200)
    assert result.exit_code == 0, result.output
    return result.output


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: " ".join(c) or "jaen")
def test_no_python_type_labels(command: list[str]) -> None:
    text = help_of(command)
    assert not re.search(r"<(str|bool|int|float|path|list\[[a-z]+\])>", text), text


def test_flags_take_no_value_and_arguments_read_as_names() -> None:
    text = help_of(["segment"])
    assert "segment [OPTIONS] TARGET [OVERRIDES]..." in text
    lines = {line.split()[1]: line for line in text.splitlines() if re.match(r"^\W*\s*--[a-z]", line)}
    for flag in ("--dropped", "--only", "--wait", "--help"):
        assert not re.search(r"BOOLEAN|TEXT|<", lines[flag]), lines[flag]
    assert "TEXT" in lines["--lang"]
    assert re.search(r"--seed\s+INTEGER", help_of(["models", "build-tiny"]))
