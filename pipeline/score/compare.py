"""``jaen compare``: corpus scores of several runs side by side, with sacrebleu's paired bootstrap test
(computed from segment statistics one resample at a time: ``pipeline.score.paired``).

Every run is tested against the first (the baseline) on the rows with a full reference that all the
runs share, matched by (source, reference) text: runs of the same input aligned slightly differently
still compare on what they have in common, and what is left out is counted, not dropped silently.

The p-value is sacrebleu's (``sacrebleu/significance.py``, after Moses'
``bootstrap-hypothesis-difference-significance.pl``): with δ the observed score difference and δ*_b
that of resample b, p = (1 + #{b : |δ*_b| − mean|δ*| > |δ|}) / (B + 1). Its count is strict and its
floor 1 / (B + 1), so two identical systems (δ = δ*_b = 0 everywhere) would get the floor, 0.001 at
1,000 resamples, and a star. There is nothing to test there: a run whose translations equal the
baseline's on every compared row gets p = 1.0 (:data:`IDENTICAL_P`) and is named in ``identical``.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .. import artifacts
from ..config import Config, load_config
from ..io import read_json
from ..rows import Row, load_rows
from ..stage import RunContext
from .base import ScoreError
from .paired import PairedResult, paired_bootstrap
from .stage import build_metrics

Key = tuple[str, str, int]
IDENTICAL_P = 1.0  # the p-value of a run whose translations are the baseline's: no difference at all


@dataclass
class RunScores:
    run_dir: Path
    config: Config
    scores: dict[str, Any]
    rows: list[Row]

    @property
    def name(self) -> str:
        return str(self.run_dir)

    def source_digest(self) -> tuple[int, str]:
        """Number of source rows and a hash of the Japanese text (whitespace ignored)."""
        text = "".join("".join(r.source.split()) for r in self.rows if r.source)
        return sum(bool(r.source) for r in self.rows), hashlib.sha256(text.encode()).hexdigest()[:12]

    def pairs(self) -> dict[Key, Row]:
        """Rows scored against a full reference, keyed by (source, reference, occurrence)."""
        seen: Counter[tuple[str, str]] = Counter()
        out: dict[Key, Row] = {}
        for r in self.rows:
            if r.has_reference and not r.partial:
                seen[(r.source, r.reference)] += 1
                out[(r.source, r.reference, seen[(r.source, r.reference)])] = r
        return out


def load_run(path: str | Path) -> RunScores:
    run_dir = Path(path)
    if not run_dir.is_dir():
        raise ScoreError(f"{run_dir}: not a run directory")
    scores_path = run_dir / artifacts.SCORES
    if not scores_path.is_file():
        raise ScoreError(f"{run_dir}: no {artifacts.SCORES} (the run has no scores): run `jaen score {run_dir}` first")
    config_path = run_dir / artifacts.CONFIG
    config = load_config(config_path) if config_path.is_file() else Config()
    rows = load_rows(RunContext(config, run_dir))
    return RunScores(run_dir, config, read_json(scores_path), rows)


@dataclass
class Comparison:
    runs: list[str]
    metrics: list[str]  # sacrebleu's names (BLEU, chrF2, TER)
    lower_is_better: list[str]
    n: int
    samples: int
    seed: int
    results: dict[str, list[dict[str, Any]]]  # metric → one result per run
    signatures: dict[str, str]
    left_out: dict[str, int] = field(default_factory=dict)  # run → its scored rows not shared by every run
    identical: list[str] = field(default_factory=list)  # runs whose translations are the baseline's (p = 1.0)

    def to_dict(self) -> dict[str, Any]:
        return {
            "test": "paired bootstrap resampling (sacrebleu)",
            "baseline": self.runs[0],
            "runs": self.runs,
            "n": self.n,
            "samples": self.samples,
            "seed": self.seed,
            "metrics": self.results,
            "signatures": self.signatures,
            "left_out": self.left_out,
            "identical": self.identical,
        }

    def table(self, alpha: float = 0.05) -> str:
        head = ["run", *self.metrics]
        lines = [head]
        for i, run in enumerate(self.runs):
            cells = [run]
            for m in self.metrics:
                res = self.results[m][i]
                cell = f"{res['score']:.2f} (μ {res['mean']:.2f} ± {res['ci']:.2f})"
                if i:
                    mark = "*" if res["p_value"] < alpha else " "
                    cell += f" p={res['p_value']:.4f}{mark}"
                cells.append(cell)
            lines.append(cells)
        widths = [max(len(row[c]) for row in lines) for c in range(len(head))]
        text = [
            f"paired bootstrap resampling (sacrebleu), {self.samples} samples, seed {self.seed}, "
            f"over {self.n} rows with a full reference shared by every run; baseline: {self.runs[0]}"
        ]
        text += ["  ".join(cell.ljust(w) for cell, w in zip(row, widths)).rstrip() for row in lines]
        text.append(
            f"* p < {alpha}: differs significantly from the baseline"
            + (f" ({', '.join(self.lower_is_better)}: lower is better)" if self.lower_is_better else "")
        )
        for run, k in self.left_out.items():
            text.append(f"note: {k} scored row(s) of {run} are not in every run and are left out")
        for run in self.identical:
            text.append(f"note: {run} has the baseline's translations on every compared row: no difference, p = 1")
        text += [f"{m} signature: {s}" for m, s in self.signatures.items()]
        return "\n".join(text)


def mark_identical(systems: list[tuple[str, list[str]]], table: dict[str, list[dict[str, Any]]]) -> list[str]:
    """Give every run whose translations are the baseline's p = 1.0 in ``table`` (sacrebleu's strict
    count would give it the floor 1 / (B + 1): see the module docstring); return their names."""
    same = [i for i, (_, hyps) in enumerate(systems) if i and hyps == systems[0][1]]
    for i in same:
        for results in table.values():
            results[i]["p_value"] = IDENTICAL_P
    return [systems[i][0] for i in same]


def check_same_sources(runs: list[RunScores]) -> None:
    """Every run is over the same Japanese text as the first (one line naming both otherwise)."""
    base = runs[0]
    n_src, digest = base.source_digest()
    for other in runs[1:]:
        o_src, o_digest = other.source_digest()
        if o_digest != digest:
            raise ScoreError(
                f"runs over different sources: {base.name} has {n_src} source sentences (Japanese text {digest}), "
                f"{other.name} has {o_src} (text {o_digest}); compare runs of the same input"
            )


def shared_rows(runs: list[RunScores], pairs: list[dict[Key, Row]]) -> list[Key]:
    """The rows with a full reference that every run scored (in the first run's order)."""
    for run, p in zip(runs, pairs):
        if not p:
            raise ScoreError(
                f"{run.name}: empty reference set: no row is scored against a full reference "
                f"({artifacts.SCORES} counts: {run.scores.get('counts', {})})"
            )
    common = [k for k in pairs[0] if all(k in p for p in pairs[1:])]
    if not common:
        raise ScoreError(
            "no row with a full reference is shared by every run (their references differ): "
            + ", ".join(f"{r.name}: {len(p)} scored" for r, p in zip(runs, pairs))
        )
    return common


def result_cell(r: PairedResult) -> dict[str, float | None]:
    """One system's paired-bootstrap result for one metric, rounded for the table."""
    return {
        "score": round(float(r.score), 4),
        "mean": round(float(r.mean), 4),
        "ci": round(float(r.ci), 4),
        "p_value": None if r.p_value is None else round(float(r.p_value), 4),
    }


def compare_runs(paths: list[str | Path]) -> Comparison:
    if len(paths) < 2:
        raise ScoreError(f"compare needs at least two run directories, got {len(paths)}")
    runs = [load_run(p) for p in paths]
    base = runs[0]
    check_same_sources(runs)
    pairs = [run.pairs() for run in runs]
    common = shared_rows(runs, pairs)
    section = base.config.score
    samples = section.bootstrap if section.bootstrap > 1 else 1000
    chosen = build_metrics(section)
    refs = [pairs[0][k].reference for k in common]
    systems = [(run.name, [p[k].translation for k in common]) for run, p in zip(runs, pairs)]
    local = base.config.run.model_copy(update={"engine": "local"})  # a comparison starts no Ray
    tested = paired_bootstrap(chosen, section, systems, refs, samples, local)
    names = [t.name for t in tested]
    lower = [t.name for t, m in zip(tested, chosen.values()) if not m.higher_is_better]
    table = {t.name: [result_cell(r) for r in t.results] for t in tested}
    identical = mark_identical(systems, table)
    left_out = {run.name: len(p) - len(common) for run, p in zip(runs, pairs) if len(p) > len(common)}
    return Comparison(
        [r.name for r in runs],
        names,
        lower,
        len(common),
        samples,
        section.seed,
        table,
        {t.name: t.signature for t in tested},
        left_out,
        identical,
    )
