"""``summary.md``: corpus scores with signatures, counts and stage timings, for people."""

from __future__ import annotations

from pathlib import Path

from .. import artifacts
from ..io import atomic_write_text
from .base import ExportData, Exporter, exporters


@exporters.register("summary")
class SummaryExporter(Exporter):
    filename = artifacts.SUMMARY

    def write(self, data: ExportData, run_dir: Path) -> Path:
        counts = data.scores.get("counts", {})
        lines = [f"# Run `{run_dir.name}`", "", "## Corpus scores", "", "| metric | score | n | signature |", "|---|---|---|---|"]
        for name, result in data.scores.get("corpus", {}).items():
            if result is None:
                lines.append(f"| {name} | – | 0 | {data.scores['signatures'][name]} |")
            else:
                lines.append(f"| {name} | {result['score']:.2f} | {result['n']} | `{result['signature']}` |")
        lines += ["", "## Counts", ""]
        lines += [f"- {key.replace('_', ' ')}: {value}" for key, value in counts.items()]
        stages = data.manifest.get("stages", {})
        if stages:
            lines += ["", "## Stages", "", "| stage | seconds |", "|---|---|"]
            lines += [f"| {name} | {info.get('seconds', 0):.2f} |" for name, info in stages.items()]
        return atomic_write_text(run_dir / self.filename, "\n".join(lines) + "\n")
