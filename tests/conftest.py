"""Shared fixtures: the tiny MarianMT is built once per session, offline; runs go to tmp dirs."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

REPO = Path(__file__).resolve().parent.parent
SEED = REPO / "data" / "seed_ja.txt"


@pytest.fixture(scope="session")
def tiny_model(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from pipeline.translate.tiny import build_marian

    return build_marian(tmp_path_factory.mktemp("models") / "tiny-marian")


@pytest.fixture
def run_overrides(tmp_path: Path, tiny_model: Path) -> list[str]:
    """Overrides that point configs/smoke.yaml at the session's tiny model and a private output dir."""
    return [
        f"input.path={SEED}",
        f"run.output_dir={tmp_path / 'outputs'}",
        f"translate.model={tiny_model}",
        f"translate.cache_dir={tmp_path / 'cache'}",
    ]


@pytest.fixture
def smoke_config() -> str:
    return str(REPO / "configs" / "smoke.yaml")
