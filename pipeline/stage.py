"""The stage interface: each stage is declared once, by its class, and registered by name.

A stage class says everything the rest of the pipeline needs to know about it: its ``name`` (the
registry key, the CLI command, the manifest entry), its ``position`` in the pipeline, the config
``sections`` it reads (they enter its resume key), the artifacts it ``produces``, the registries its
config keys pick from (``components``) and the one-line ``summary`` of its CLI command. The runner's
order (:data:`STAGE_ORDER`), the resume keys, the CLI's per-stage commands, the artifact list
(:mod:`pipeline.artifacts`) and the config check (``pipeline.runner.check_components``) are all
derived from these declarations.

Adding a stage: a package ``pipeline/<name>/`` whose ``stage.py`` registers a :class:`Stage`
subclass with ``@register_stage``, plus its package name in :data:`STAGE_PACKAGES`
(and, if it has settings, its section in ``pipeline.config.Config``). See docs/experiments.md.
"""

from __future__ import annotations

import importlib
from abc import ABC, abstractmethod
from dataclasses import dataclass
from pathlib import Path
from typing import Any, ClassVar

from .artifacts import PARTIAL_DIR
from .config import Config
from .errors import StageError
from .registry import Registry

# The packages whose ``stage`` module registers a stage (the one registration a new stage needs).
STAGE_PACKAGES = ("segment", "translate", "align", "score", "export")


@dataclass
class RunContext:
    """What a stage sees: the resolved config and the directory it reads and writes.

    While stages run, ``run_dir`` is the run's staging directory (see ``pipeline.runner``, which
    names the run directory in their errors instead). A stage that writes its output as it goes keeps
    it in :meth:`partial` under its resume ``key`` and, when the invocation ``resume``s, takes up what
    a killed invocation left there under the same key (``pipeline.partial``)."""

    config: Config
    run_dir: Path
    key: str = ""  # the running stage's resume key (set by the runner; "" outside it: nothing is taken up)
    resume: bool = False  # the invocation resumes (`jaen run`, run.resume): partial work of the same key is kept
    partial_dir: Path | None = None  # where partial work outlives the invocation (the runner: <run dir>/.partial)

    def path(self, artifact: str) -> Path:
        return self.run_dir / artifact

    def partial(self, artifact: str) -> Path:
        """Where a stage writes ``artifact`` as it goes, before it becomes ``path(artifact)`` by one rename:
        outside the staging directory, which a later invocation may start afresh."""
        return (self.partial_dir or self.run_dir / PARTIAL_DIR) / artifact

    def require(self, artifact: str) -> Path:
        """The path of an earlier stage's artifact; one line naming the stage to run when it is missing."""
        p = self.path(artifact)
        if not p.exists():
            from .artifacts import producer

            raise StageError(f"{p} is missing: run `jaen {producer(artifact)}` (or `jaen run`) on this config first")
        return p


class Stage(ABC):
    """A pipeline stage: reads earlier artifacts from the run directory and writes its own.

    A stage's resume key (``pipeline.runner.stage_keys``) covers the previous stage's key (so the
    input file hashes and every earlier stage), the package version, the config ``sections`` the
    stage reads (less its ``unkeyed`` keys), its ``version`` and its ``identity(ctx)``. Bump
    ``version`` whenever a change to the stage's code changes its output. Whatever else the output
    depends on goes in ``identity``: the model's weights/tokenizer hashes, dictionary data versions,
    the hash of a file a config key names. ``identity`` runs before anything is written or removed
    (preflight) and on every run, so it must be cheap, and it raises a JaenError (one line) for what
    cannot be resolved.
    """

    name: ClassVar[str]
    position: ClassVar[int]  # the pipeline runs stages by ascending position (gaps leave room for new ones)
    sections: ClassVar[tuple[str, ...]]  # the config sections the stage reads
    unkeyed: ClassVar[tuple[str, ...]] = ()  # dotted config keys of its sections that cannot change its output
    produces: ClassVar[tuple[str, ...]]  # the files it writes into the run directory
    components: ClassVar[dict[str, Registry[Any]]] = {}  # dotted config key → the registry its value(s) name
    summary: ClassVar[str]  # the help line of its CLI command (`jaen <name>`)
    seeded: ClassVar[bool] = False  # draws random numbers: the runner seeds run.seed before it runs
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
    """Import the stage modules of :data:`STAGE_PACKAGES` so that they register themselves."""
    for package in STAGE_PACKAGES:
        importlib.import_module(f"{__package__}.{package}.stage")


def stage_classes() -> list[type[Stage]]:
    """Every registered stage class, in pipeline order (by ``position``)."""
    load_stages()
    ordered = sorted((stages.get(name) for name in stages.names()), key=lambda cls: cls.position)
    positions = [cls.position for cls in ordered]
    if len(set(positions)) != len(positions):
        raise ValueError(f"two stages share a position: {[(cls.name, cls.position) for cls in ordered]}")
    return ordered


def register_stage(cls: type[Stage]) -> type[Stage]:
    """Class decorator: register a stage under its declared ``name``."""
    return stages.register(cls.name)(cls)


def __getattr__(name: str) -> Any:
    """``STAGE_ORDER``: the stage names in pipeline order (by ``position``), derived from the registry.

    Reading it loads every stage of :data:`STAGE_PACKAGES`; ``from .stage import STAGE_ORDER`` keeps
    the order of that moment, which is complete (no stage registers itself any other way)."""
    if name == "STAGE_ORDER":
        return tuple(cls.name for cls in stage_classes())
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
