"""Every module of the package imports.

A module needing an optional extra is skipped only when that extra is absent."""

from __future__ import annotations

import importlib
import importlib.util
import pkgutil

import pytest

import pipeline

# module → the optional distribution it needs (pyproject's extras); skipped only if that is not installed
OPTIONAL = {"pipeline.translate.ray_engine": "ray"}

MODULES = sorted(m.name for m in pkgutil.walk_packages(pipeline.__path__, prefix="pipeline."))


def test_the_walk_finds_the_package() -> None:
    assert {"pipeline.runner", "pipeline.translate.stage", "pipeline.align.stage", "pipeline.export.report"} <= set(
        MODULES
    )


@pytest.mark.parametrize("name", MODULES)
def test_module_imports(name: str) -> None:
    extra = OPTIONAL.get(name)
    if extra is not None and importlib.util.find_spec(extra) is None:
        pytest.skip(f"{name} needs the optional extra {extra!r}, which is not installed")
    if name.endswith(".__main__"):  # running it would start the CLI: import what it imports, compile it
        spec = importlib.util.find_spec(name)
        assert spec is not None and spec.loader is not None
        compile(spec.loader.get_source(name) or "", spec.origin or name, "exec")
        importlib.import_module(name.rsplit(".", 1)[0])
        return
    importlib.import_module(name)
