"""``summary.md``: corpus scores with intervals and signatures, translation flags, counts and stage
timings, for people."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from .. import artifacts
from ..io import atomic_write_text
from .base import ExportData, Exporter, exporters, random_model_banner


def md_code(text: str) -> str:
    """Inline code inside a Markdown table cell (a bare "|" would end the cell)."""
    return "`" + text.replace("|", "\\|") + "`"


def score_table(corpus: dict[str, Any] | None, signatures: dict[str, str], lower: set[str]) -> list[str]:
    lines = ["| metric | score | 95% CI | n | signature |", "|---|---|---|---|---|"]
    for name, result in (corpus or {}).items():
        label = name + (" (lower is better)" if name in lower else "")
        if result is None:
            lines.append(f"| {label} | – | – | 0 | {md_code(signatures.get(name, ''))} |")
            continue
        ci = result.get("ci")
        interval = f"{ci['low']:.2f}–{ci['high']:.2f} (μ {ci['mean']:.2f} ± {ci['halfwidth']:.2f})" if ci else "–"
        lines.append(
            f"| {label} | {result['score']:.2f} | {interval} | {result['n']} | {md_code(result['signature'])} |"
        )
    return lines


@exporters.register("summary")
class SummaryExporter(Exporter):
    filename = artifacts.SUMMARY

    def write(self, data: ExportData, run_dir: Path) -> Path:
        scores = data.scores
        counts = scores.get("counts", {})
        signatures = scores.get("signatures", {})
        lower = set(scores.get("lower_is_better", []))
        banner = random_model_banner(data)
        lines = [f"> **{banner}**", ""] if banner else []
        lines += [f"# Run `{run_dir.name}`", "", "## Corpus scores (full references)", ""]
        lines += score_table(scores.get("corpus"), signatures, lower)
        partial = scores.get("partial") or {}
        if partial.get("n"):
            lines += ["", "## Truncated references (scored apart)", ""]
            if partial.get("mode") == "exclude" or not partial.get("corpus"):
                lines.append(
                    f'{partial["n"]} row(s) have a reference truncated with "…"; '
                    "they are excluded from scoring (score.partial=exclude)."
                )
            else:
                lines.append(
                    f'{partial["scored"]} row(s) have a reference truncated with "…"; each is scored '
                    "against the matching prefix of its translation (as many words as the reference has):"
                )
                lines += [""] + score_table(partial.get("corpus"), signatures, lower)
        if aligner := data.aligner_signature():
            lines += ["", "## Alignment", "", f"Aligner signature: `{aligner}`"]
        lines += ["", "## Translation flags", "", "| flag | source rows |", "|---|---|"]
        lines += [f"| {flag} | {n} |" for flag, n in data.flag_counts().items()]
        retried = data.retried_counts()
        if any(retried.values()):
            lines += [
                "",
                f"translate.on_truncation=retry redid {retried['cap']} row(s) with a higher cap and "
                f"{retried['split']} split at a clause; a row still cut keeps `truncated`.",
            ]
        lines += ["", "## Counts", ""]
        lines += [f"- {key.replace('_', ' ')}: {value}" for key, value in counts.items()]
        stages = data.manifest.get("stages", {})
        if stages:
            lines += ["", "## Stages", "", "| stage | seconds |", "|---|---|"]
            lines += [f"| {name} | {info.get('seconds', 0):.2f} |" for name, info in stages.items()]
        return atomic_write_text(run_dir / self.filename, "\n".join(lines) + "\n")
