"""Errors the user sees as one line and exit status 2."""

from __future__ import annotations


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
