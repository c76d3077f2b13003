"""The stage interface: one entry point per stage, registered by name, run in a fixed order."""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass
from pathlib import Path
from typing import Any, ClassVar

from .config import Config
from .errors import StageError
from .registry import Registry

STAGE_ORDER = ("segment", "translate", "align", "score", "export")


@dataclass
class RunContext:
    """What a stage sees: the resolved config and the directory it reads and writes.

    While stages run, ``run_dir`` is the run's staging directory (see ``pipeline.runner``, which
    names the run directory in their errors instead)."""

    config: Config
    run_dir: Path

    def path(self, artifact: str) -> Path:
        return self.run_dir / artifact

    def require(self, artifact: str, producer: str) -> Path:
        p = self.path(artifact)
        if not p.exists():
            raise StageError(f"{p} is missing: run `jaen {producer}` (or `jaen run`) on this config first")
        return p


class Stage(ABC):
    """A pipeline stage: reads earlier artifacts from the run directory and writes its own.

    A stage's resume key (``pipeline.runner.stage_keys``) covers the previous stage's key (so the
    input file hashes and every earlier stage), the package version, the config sections the stage
    reads, its ``version`` and its ``identity(ctx)``. Bump ``version`` whenever a change to the
    stage's code changes its output. Whatever else the output depends on goes in ``identity``:
    the model's weights/tokenizer hashes, dictionary data versions, the hash of a file a config key
    names. ``identity`` runs before anything is written or removed (preflight) and on every run,
    so it must be cheap, and it raises a JaenError (one line) for what cannot be resolved.
    """

    name: ClassVar[str]
    produces: ClassVar[tuple[str, ...]]
    version: ClassVar[str] = "1"

    def identity(self, ctx: RunContext) -> dict[str, Any]:
        """What this stage's output depends on besides its config sections and ``version``."""
        return {}

    def outputs(self) -> tuple[str, ...]:
        """Every file this stage may write (removed when an earlier stage re-runs)."""
        return self.produces

    @abstractmethod
    def run(self, ctx: RunContext) -> dict[str, Any]:
        """Do the work; return counts and facts for the manifest."""


stages: Registry[type[Stage]] = Registry("stage")


def load_stages() -> None:
    """Import the stage modules so that they register themselves."""
    from .align import stage as _align  # noqa: F401
    from .export import stage as _export  # noqa: F401
    from .score import stage as _score  # noqa: F401
    from .segment import stage as _segment  # noqa: F401
    from .translate import stage as _translate  # noqa: F401
