"""Errors the user sees as one line and exit status 2."""

from __future__ import annotations

CAUSE_CHARS = 300
"""An exception's message quoted in a one-line error is cut at this many characters."""


def one_line(exc: BaseException, limit: int = CAUSE_CHARS) -> str:
    """An exception's message as one line (whitespace and line breaks collapsed), cut at ``limit``
    characters; its type's name where it has no message. For quoting a library's error in ours."""
    text = " ".join(str(exc).split())
    return text[:limit] if text else type(exc).__name__


class JaenError(Exception):
    """A user-facing error: its message is printed as one line and the CLI exits with 2."""

    exit_code = 2


class ConfigError(JaenError):
    """The config (file, key or override) is invalid."""


class InputError(JaenError):
    """An input or reference file is missing, empty or unreadable."""


class ModelLoadError(JaenError):
    """A translation model cannot be loaded."""


class StageError(JaenError):
    """A stage cannot run, typically because an earlier artifact is missing."""


class RunLockedError(JaenError):
    """Another jaen process holds the run directory's lock."""
