"""The run manifest: what produced a run directory, and how long each stage took."""

from __future__ import annotations

import logging
import platform
import subprocess
import sys
from datetime import datetime, timezone
from importlib import metadata
from pathlib import Path
from typing import Any

from . import __version__
from .errors import JaenError
from .io import read_json, write_json

log = logging.getLogger(__name__)

PROJECT_DIR = Path(__file__).resolve().parent  # the project's code: its git commit goes in the manifest
PACKAGES = ("torch", "transformers", "sentencepiece", "sacrebleu", "datasets", "ctranslate2", "pydantic", "PyYAML")
PACKAGES += ("fugashi", "unidic-lite", "pykakasi", "jamdict", "numpy")


def package_versions(names: tuple[str, ...] = PACKAGES) -> dict[str, str | None]:
    versions: dict[str, str | None] = {}
    for name in names:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = None
    return versions


def git_commit(cwd: Path | None = None) -> str | None:
    try:
        out = subprocess.run(
            ["git", "rev-parse", "HEAD"], cwd=cwd, capture_output=True, text=True, timeout=5, check=True
        )
        dirty = subprocess.run(
            ["git", "status", "--porcelain", "--untracked-files=no"], cwd=cwd, capture_output=True, text=True, timeout=5
        ).stdout.strip()
        return out.stdout.strip() + ("-dirty" if dirty else "")
    except (OSError, subprocess.SubprocessError):
        return None


def now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


class Manifest:
    """A JSON document in the run directory, rewritten atomically after every stage."""

    def __init__(self, path: Path, data: dict[str, Any]) -> None:
        self.path = path
        self.data = data

    @classmethod
    def open(cls, path: Path) -> Manifest:
        """The manifest at ``path``; a missing, unreadable or malformed one reads as empty (every
        stage then counts as not done, so a run redoes it rather than trusting what it cannot check)."""
        data: Any = {}
        if path.exists():
            try:
                data = read_json(path)
            except JaenError as exc:
                log.warning("%s; every stage of this run directory will be redone", exc)
        if not isinstance(data, dict):
            log.warning("%s is not a JSON object; every stage of this run directory will be redone", path)
            data = {}
        if not isinstance(data.get("stages"), dict):
            data["stages"] = {}
        return cls(path, data)

    def start(self, config_hash: str, inputs: dict[str, str], config: dict[str, Any] | None = None) -> None:
        """Record what this (re-)run is made of; ``complete`` stays false until :meth:`finish`."""
        self.data.update(
            {
                "complete": False,
                "jaen_version": __version__,
                "python": sys.version.split()[0],
                "platform": platform.platform(),
                "packages": package_versions(),
                "git_commit": git_commit(PROJECT_DIR),
                "config_hash": config_hash,
                "inputs": inputs,
                "updated": now(),
            }
        )
        if config is not None:
            self.data["config"] = config

    def record_stage(self, name: str, seconds: float, info: dict[str, Any]) -> None:
        self.data["stages"][name] = {"seconds": round(seconds, 3), "finished": now(), **info}
        self.data["updated"] = now()
        if name == "translate" and "model" in info:
            self.data["model"] = info["model"]

    def finish(self, order: tuple[str, ...] | list[str]) -> None:
        """Mark the run complete when every stage of ``order`` is recorded."""
        done = all(name in self.data["stages"] for name in order)
        self.data["complete"] = done
        if done:
            self.data["seconds"] = round(sum(self.data["stages"][n].get("seconds", 0.0) for n in order), 3)

    def forget(self, names: list[str]) -> None:
        for name in names:
            self.data["stages"].pop(name, None)

    def save(self) -> None:
        write_json(self.path, self.data)
