"""The exporter interface and its registry, and the scored rows every format writes."""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .. import artifacts
from ..io import read_json
from ..registry import Registry
from ..rows import Row, load_rows
from ..stage import RunContext


@dataclass
class ExportData:
    rows: list[Row]
    row_scores: dict[str, dict[str, float]]  # seg_id → metric → score
    scores: dict[str, Any]  # scores.json
    manifest: dict[str, Any]

    @classmethod
    def load(cls, ctx: RunContext) -> "ExportData":
        scores = read_json(ctx.require(artifacts.SCORES, "score"))
        manifest_path = ctx.path(artifacts.MANIFEST)
        manifest = read_json(manifest_path) if manifest_path.exists() else {}
        row_scores = {r["seg_id"]: {k: v for k, v in r.items() if k != "seg_id"} for r in scores.get("rows", [])}
        return cls(load_rows(ctx), row_scores, scores, manifest)

    def metric_names(self) -> list[str]:
        return list(self.scores.get("signatures", {}))


class Exporter(ABC):
    """Writes one file format from the run's rows and scores."""

    filename: str

    @abstractmethod
    def write(self, data: ExportData, run_dir: Path) -> Path: ...


exporters: Registry[type[Exporter]] = Registry("export format")
