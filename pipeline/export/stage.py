"""Export stage entry point: rows + scores → the configured formats."""

from __future__ import annotations

from typing import Any

from ..stage import RunContext, Stage, register_stage
from . import jsonl as _jsonl  # noqa: F401  (registers the built-in formats)
from . import report as _report  # noqa: F401
from . import summary as _summary  # noqa: F401
from . import tmx as _tmx  # noqa: F401
from . import tsv as _tsv  # noqa: F401
from .base import ExportData, exporters, write_formats


@register_stage
class ExportStage(Stage):
    name = "export"
    position = 50
    sections = ("export",)
    produces = ()  # the configured formats: see outputs()
    components = {"export.formats": exporters}
    summary = "Re-run the export stage: bitext.tsv and the other configured formats."

    def outputs(self) -> tuple[str, ...]:
        return tuple(exporters.get(name).filename for name in exporters.names())

    def run(self, ctx: RunContext) -> dict[str, Any]:
        formats = list(dict.fromkeys(["tsv", *ctx.config.export.formats]))
        chosen = [exporters.get(f, "export.formats")() for f in formats]
        data = ExportData.load(ctx)
        written = [path.name for path in write_formats(chosen, data, ctx.run_dir)]
        return {"rows": len(data.rows), "files": written}
