"""Shared fixtures: the tiny MarianMT is built once per session, offline; runs go to tmp dirs.

End-to-end runs use the fast overrides: the tiny random model rarely ends a sentence, so under
configs/smoke.yaml's own settings (2 beams, up to max(16, 2 × source tokens) new tokens) it decodes
every sentence to the cap. Its output is meaningless either way; greedy and short keeps a run of the
seed page to seconds. Tests that only read a finished run share one: ``finished_run``.
"""

from __future__ import annotations

import hashlib
import os
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
# One torch (OpenMP) thread, here and in every child: the tiny model's matrices are too small for a second
# thread to help, and on a busy machine its spin-waiting threads more than double the suite's CPU time.
os.environ.setdefault("OMP_NUM_THREADS", "1")

REPO = Path(__file__).resolve().parent.parent
SEED = REPO / "data" / "seed_ja.txt"
SMOKE = REPO / "configs" / "smoke.yaml"
FAST_OVERRIDES = ("translate.num_beams=1", "translate.max_new_tokens_ratio=0.2", "translate.max_new_tokens_min=4")


@dataclass(frozen=True)
class FinishedRun:
    """``jaen run configs/smoke.yaml`` on the seed page with the fast overrides, from an empty cache."""

    run_dir: Path
    cache_dir: Path

    def copy_to(self, output_dir: Path, cache_dir: Path | None = None) -> Path:
        """A copy to change: the run directory as ``output_dir/smoke`` (and the translation cache as
        ``cache_dir``), so that ``run_overrides`` pointing there resumes it."""
        copy = Path(shutil.copytree(self.run_dir, output_dir / self.run_dir.name))
        if cache_dir is not None:
            self.copy_cache_to(cache_dir)
        return copy

    def copy_cache_to(self, cache_dir: Path) -> Path:
        """A copy of the run's translation cache: a run of the seed page there translates nothing."""
        return Path(shutil.copytree(self.cache_dir, cache_dir))


def snapshot(root: Path) -> dict[str, str]:
    return {
        str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest() for p in root.rglob("*") if p.is_file()
    }


@pytest.fixture(scope="session")
def tiny_model(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from pipeline.translate.tiny import build_marian

    return build_marian(tmp_path_factory.mktemp("models") / "tiny-marian")


@pytest.fixture(scope="session")
def fast_overrides() -> tuple[str, ...]:
    """Greedy, short outputs: what every end-to-end test runs unless it needs configs/smoke.yaml's own."""
    return FAST_OVERRIDES


@pytest.fixture
def run_overrides(tmp_path: Path, tiny_model: Path) -> list[str]:
    """Overrides that point configs/smoke.yaml at the session's tiny model and a private output dir
    (``tmp_path/outputs``, cache ``tmp_path/cache``); its own translate settings stay."""
    return [
        f"input.path={SEED}",
        f"run.output_dir={tmp_path / 'outputs'}",
        f"translate.model={tiny_model}",
        f"translate.cache_dir={tmp_path / 'cache'}",
    ]


@pytest.fixture
def fast_run_overrides(run_overrides: list[str]) -> list[str]:
    """``run_overrides`` with the fast overrides: the settings ``finished_run`` was run with."""
    return [*run_overrides, *FAST_OVERRIDES]


@pytest.fixture(scope="session")
def finished_run(tmp_path_factory: pytest.TempPathFactory, tiny_model: Path) -> Iterator[FinishedRun]:
    """One finished run for the session, to read only (``copy_to`` gives a copy to change); a test that
    changes it fails the session at teardown."""
    from typer.testing import CliRunner

    from pipeline.cli import app

    base = tmp_path_factory.mktemp("finished-run")
    overrides = [
        f"input.path={SEED}",
        f"run.output_dir={base / 'outputs'}",
        f"translate.model={tiny_model}",
        f"translate.cache_dir={base / 'cache'}",
        *FAST_OVERRIDES,
    ]
    result = CliRunner().invoke(app, ["run", str(SMOKE), *overrides])
    assert result.exit_code == 0, result.output
    run = FinishedRun(base / "outputs" / "smoke", base / "cache")
    before = snapshot(run.run_dir)
    yield run
    assert snapshot(run.run_dir) == before, "a test changed the shared finished_run: change a copy (copy_to)"


@pytest.fixture
def smoke_config() -> str:
    return str(SMOKE)
