"""The run manifest: what produced a run directory, and how long each stage took."""

from __future__ import annotations

import platform
import subprocess
import sys
from datetime import datetime, timezone
from importlib import metadata
from pathlib import Path
from typing import Any

from . import __version__
from .io import read_json, write_json

PACKAGES = ("torch", "transformers", "sentencepiece", "sacrebleu", "datasets", "ctranslate2", "pydantic", "PyYAML")


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
    def open(cls, path: Path) -> "Manifest":
        data = read_json(path) if path.exists() else {}
        data.setdefault("stages", {})
        return cls(path, data)

    def start(self, config_hash: str, inputs: dict[str, str]) -> None:
        self.data.update(
            {
                "jaen_version": __version__,
                "python": sys.version.split()[0],
                "platform": platform.platform(),
                "packages": package_versions(),
                "git_commit": git_commit(),
                "config_hash": config_hash,
                "inputs": inputs,
                "updated": now(),
            }
        )

    def record_stage(self, name: str, seconds: float, info: dict[str, Any]) -> None:
        self.data["stages"][name] = {"seconds": round(seconds, 3), "finished": now(), **info}
        self.data["updated"] = now()
        if name == "translate" and "model" in info:
            self.data["model"] = info["model"]

    def forget(self, names: list[str]) -> None:
        for name in names:
            self.data["stages"].pop(name, None)

    def save(self) -> None:
        write_json(self.path, self.data)
