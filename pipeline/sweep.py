"""Sweeps: a base config plus a grid of values gives one run per point, resumable, with a leaderboard.

A sweep file (YAML)::

    name: beams-x-aligners          # the sweep directory: <output_dir>/<name>/
    base: configs/smoke.yaml        # a config file, or an inline mapping of sections
    overrides: [translate.max_batch_size=16]   # optional dotted overrides of the base
    metric: chrf                    # ranks the leaderboard: scores.json corpus.<metric>.score
    grid:
      translate.num_beams: [1, 2]
      align.method: [hybrid, lexical, mt]

Every point is validated (keys, types, registered names, inputs, the metric) before the first run
starts. Points run one after another into ``<sweep dir>/<point label>/``, sharing the translation
cache of ``translate.cache_dir``; a point whose run directory is complete and up to date is
skipped — decided by the runner's own resume check (same inputs, config, model weights and
tokenizer, code and data versions, artifacts intact) — and a point that was interrupted resumes at
its first unfinished stage.
"""

from __future__ import annotations

import csv
import io
import itertools
import json
import logging
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from . import artifacts
from .config import Config, apply_overrides, build_config, model_at, read_config_file, valid_keys
from .errors import ConfigError, JaenError
from .io import atomic_write_text, read_json, write_json
from .lock import run_lock
from .runner import check_components, is_current, run_stages
from .score.stage import metric_class
from .stage import STAGE_ORDER
from .translate.tiny import warn_if_random

log = logging.getLogger(__name__)

LEADERBOARD_TSV = "leaderboard.tsv"
LEADERBOARD_MD = "leaderboard.md"
SWEEP_JSON = "sweep.json"
RESERVED = ("run.name", "run.output_dir")  # set per point by the sweep


class SweepSpec(BaseModel):
    """The sweep file's schema (unknown keys are errors)."""

    model_config = ConfigDict(extra="forbid")

    name: str | None = Field(None, description="sweep directory name (default: the file's stem)")
    base: str | dict[str, Any] = Field(..., description="base config: a YAML path or an inline mapping")
    overrides: list[str] = Field(default_factory=list, description="dotted key=value overrides of the base")
    grid: dict[str, Any] = Field(..., description="dotted config key → list of values")
    metric: str = Field("chrf", description="leaderboard ranking: corpus.<metric>.score in scores.json")
    output_dir: Path | None = Field(None, description="parent of the sweep directory (default: base run.output_dir)")


@dataclass
class Point:
    """One grid point: its values, its resolved config and its run directory."""

    index: int
    values: dict[str, Any]
    label: str
    config: Config

    @property
    def run_dir(self) -> Path:
        return self.config.run_dir


@dataclass
class Sweep:
    name: str
    source: str
    metric: str
    keys: list[str]
    points: list[Point]
    directory: Path
    status: dict[str, str] = field(default_factory=dict)


def load_sweep(path: str | Path, overrides: list[str] | None = None) -> Sweep:
    """Read and validate a sweep file and every point of its grid; nothing is written."""
    src = str(path)
    raw = read_config_file(path)
    try:
        spec = SweepSpec.model_validate(raw)
    except ValidationError as exc:
        err = exc.errors()[0]
        key = ".".join(str(p) for p in err["loc"]) or "(top level)"
        if err["type"] == "extra_forbidden":
            raise ConfigError(
                f"{src}: unknown sweep key '{key}' (valid: {', '.join(SweepSpec.model_fields)})"
            ) from None
        raise ConfigError(f"{src}: sweep key '{key}': {err['msg']}") from None
    base = read_config_file(base_path(spec.base, Path(path))) if isinstance(spec.base, str) else spec.base
    base = apply_overrides(base, [*spec.overrides, *(overrides or [])])
    base_config = build_config(base, f"{src} (base)")
    keys = validate_grid(spec.grid, src)
    name = spec.name or Path(path).stem
    if not name or "/" in name or name in (".", ".."):
        raise ConfigError(f"{src}: sweep key 'name': {name!r} is not a directory name")
    directory = (spec.output_dir if spec.output_dir is not None else base_config.run.output_dir) / name
    labels = point_labels(keys, spec.grid)
    points = []
    for index, (values, label) in enumerate(zip(grid_points(keys, spec.grid), labels), 1):
        data = json.loads(json.dumps(base, default=str))
        for key, value in values.items():
            set_dotted(data, key, value)
        set_dotted(data, "run.output_dir", str(directory))
        set_dotted(data, "run.name", label)
        try:
            config = build_config(data, f"{src}: grid point {label}")
        except ConfigError as exc:
            raise ConfigError(str(exc)) from None
        points.append(Point(index, values, label, config))
    sweep = Sweep(name, src, spec.metric, keys, points, directory)
    check_points(sweep)
    return sweep


def base_path(base: str, sweep_file: Path) -> Path:
    """The base config: relative to the working directory like every path, else to the sweep file."""
    p = Path(base)
    if p.is_absolute() or p.exists():
        return p
    beside = sweep_file.parent / p
    return beside if beside.exists() else p


def validate_grid(grid: dict[str, Any], src: str) -> list[str]:
    """The grid's keys, each checked: a config key (not a section), not reserved, a non-empty list."""
    if not grid:
        raise ConfigError(
            f"{src}: grid is empty: give at least one key with a list of values, e.g. translate.num_beams: [1, 4]"
        )
    for key, values in grid.items():
        parts = key.split(".")
        parent = model_at(tuple(parts[:-1])) if all(parts) else None
        if parent is None or parts[-1] not in parent.model_fields:
            prefix = ".".join(parts[:-1]) if parent is not None else ""
            valid = [f"{prefix}.{k}" if prefix else k for k in valid_keys(prefix)]
            raise ConfigError(f"{src}: grid key '{key}' is not a config key (valid: {', '.join(valid)})")
        if model_at(tuple(parts)) is not None:
            raise ConfigError(
                f"{src}: grid key '{key}' is a section; name a key inside it ({', '.join(valid_keys(key))})"
            )
        if key in RESERVED:
            raise ConfigError(f"{src}: grid key '{key}' is set by the sweep for every point; it cannot be varied")
        if not isinstance(values, list):
            raise ConfigError(
                f"{src}: grid key '{key}': expected a list of values, got {json.dumps(values, default=str)}"
            )
        if not values:
            raise ConfigError(f"{src}: grid key '{key}' has an empty list of values")
        seen = []
        for value in values:
            if value in seen:
                raise ConfigError(f"{src}: grid key '{key}' lists the value {json.dumps(value, default=str)} twice")
            seen.append(value)
    return list(grid)


def grid_points(keys: list[str], grid: dict[str, list[Any]]) -> list[dict[str, Any]]:
    """The cartesian product of the grid, the last key varying fastest."""
    return [dict(zip(keys, combo)) for combo in itertools.product(*(grid[k] for k in keys))]


def _slug(value: Any) -> str:
    text = value if isinstance(value, str) else json.dumps(value, default=str, separators=(",", ":"))
    text = re.sub(r"[^A-Za-z0-9._-]+", "_", text).strip("_") or "_"
    return text[:40]


def point_labels(keys: list[str], grid: dict[str, list[Any]]) -> list[str]:
    """Directory names for the points: ``num_beams-1__method-hybrid`` (full keys where leaf names clash)."""
    leaves = [k.split(".")[-1] for k in keys]
    shown = [leaf if leaves.count(leaf) == 1 else key.replace(".", "_") for key, leaf in zip(keys, leaves)]
    labels: list[str] = []
    for values in grid_points(keys, grid):
        label = "__".join(f"{s}-{_slug(values[k])}" for s, k in zip(shown, keys))
        if label in labels:  # two values that slug alike: keep names unique and stable
            label = f"{label}-{len(labels) + 1}"
        labels.append(label)
    return labels


def set_dotted(data: dict[str, Any], key: str, value: Any) -> None:
    node = data
    parts = key.split(".")
    for part in parts[:-1]:
        child = node.get(part)
        if not isinstance(child, dict):
            child = node[part] = {}
        node = child
    node[parts[-1]] = value


def check_points(sweep: Sweep) -> None:
    """Validate what each point will need before any run starts: components, inputs and the metric."""
    from .inputs import check_inputs

    checked_inputs: set[str] = set()
    for point in sweep.points:
        config = point.config
        where = f"{sweep.source}: grid point {point.label}"
        try:
            check_components(config)
            key = config.hash("input", "reference")
            if key not in checked_inputs:
                check_inputs(config)
                checked_inputs.add(key)
        except ConfigError as exc:
            raise ConfigError(f"{where}: {exc}") from None
        if sweep.metric not in config.score.metrics:
            raise ConfigError(
                f"{sweep.source}: metric '{sweep.metric}' is not among score.metrics of grid point {point.label} "
                f"({', '.join(config.score.metrics)})"
            )


def is_complete(point: Point) -> bool:
    """Every stage of the point's run directory is up to date: the runner's own resume decision
    (:func:`pipeline.runner.is_current`: same inputs, config, model, code and data versions, and
    artifacts intact)."""
    if not (point.run_dir / artifacts.MANIFEST).is_file():
        return False
    try:
        return is_current(point.config)
    except JaenError:  # e.g. its model cannot be resolved: not complete (running it says why)
        return False


def run_point(sweep: Sweep, point: Point) -> None:
    """Run one point unless it is complete (status ``kept``, ``ran`` or ``failed``)."""
    if point.config.run.resume and is_complete(point):
        sweep.status[point.label] = "kept"
        log.info(
            "sweep %s: point %d/%d %s already complete, skipped",
            sweep.name,
            point.index,
            len(sweep.points),
            point.label,
        )
        return
    log.info("sweep %s: point %d/%d %s", sweep.name, point.index, len(sweep.points), point.label)
    sweep.status[point.label] = "running"
    try:
        run_stages(point.config, STAGE_ORDER, resume=point.config.run.resume)
    except Exception:
        sweep.status[point.label] = "failed"
        raise
    sweep.status[point.label] = "ran"


def run_sweep(sweep: Sweep, wait: bool = False) -> Path:
    """Run every unfinished point, each holding its run directory's lock (``wait``: wait for a point
    another process is running); write the leaderboard (also when a point fails); return its TSV path."""
    sweep.directory.mkdir(parents=True, exist_ok=True)
    write_sweep_json(sweep)
    try:
        for point in sweep.points:
            with run_lock(point.run_dir, wait=wait):
                run_point(sweep, point)
            warn_if_random(point.run_dir)
    finally:
        for point in sweep.points:
            if sweep.status.get(point.label) == "running":
                sweep.status[point.label] = "interrupted"
        write_sweep_json(sweep)
        write_leaderboard(sweep)
    return sweep.directory / LEADERBOARD_TSV


def write_sweep_json(sweep: Sweep) -> None:
    write_json(
        sweep.directory / SWEEP_JSON,
        {
            "name": sweep.name,
            "source": sweep.source,
            "metric": sweep.metric,
            "keys": sweep.keys,
            "points": [
                {
                    "label": p.label,
                    "values": p.values,
                    "run_dir": str(p.run_dir),
                    "config_hash": p.config.hash(),
                    "status": sweep.status.get(p.label, "pending"),
                }
                for p in sweep.points
            ],
        },
    )


def leaderboard_rows(sweep: Sweep) -> tuple[list[str], list[dict[str, Any]]]:
    """Columns and rows (best first) from each point's manifest and scores.json; unfinished points last."""
    metric_names: list[str] = list(
        dict.fromkeys([sweep.metric, *(m for p in sweep.points for m in p.config.score.metrics)])
    )
    columns = [
        "rank",
        "run",
        *sweep.keys,
        *metric_names,
        "scored_rows",
        "ja_sentences",
        "seconds",
        "translate_seconds",
        "sentences_per_second",
        "translated",
        "from_cache",
        "status",
    ]
    rows = [point_row(sweep, point, metric_names) for point in sweep.points]
    sign = -1.0 if metric_class(sweep.metric).higher_is_better else 1.0  # best first, in the metric's direction

    def order(row: dict[str, Any]) -> tuple[int, float, str]:
        value = row.get(sweep.metric)
        return (0, sign * float(value), row["run"]) if value is not None else (1, 0.0, row["run"])

    rows.sort(key=order)
    for rank, row in enumerate(rows, 1):
        row["rank"] = rank if row.get(sweep.metric) is not None else None
    return columns, rows


def point_row(sweep: Sweep, point: Point, metric_names: list[str]) -> dict[str, Any]:
    """One point's leaderboard row (unranked): its grid values, and its scores and timings once complete."""
    row: dict[str, Any] = {"run": point.label, **{k: _cell(v) for k, v in point.values.items()}}
    manifest = _read(point.run_dir / artifacts.MANIFEST)
    done = sweep.status.get(point.label) in ("kept", "ran") or (point.label not in sweep.status and is_complete(point))
    complete = done and bool(manifest.get("complete"))
    stages = manifest.get("stages", {}) if complete else {}
    scores = _read(point.run_dir / artifacts.SCORES) if complete else {}
    corpus = scores.get("corpus") or {}
    for name in metric_names:
        value = (corpus.get(name) or {}).get("score")
        row[name] = round(value, 4) if isinstance(value, (int, float)) else None
    seconds = manifest.get("seconds") if complete else None
    ja = stages.get("segment", {}).get("ja_sentences")
    row.update(
        {
            "scored_rows": (scores.get("counts") or {}).get("scored"),
            "ja_sentences": ja,
            "seconds": seconds,
            "translate_seconds": stages.get("translate", {}).get("seconds"),
            "sentences_per_second": round(ja / seconds, 2) if ja and seconds else None,
            "translated": stages.get("translate", {}).get("translated"),
            "from_cache": stages.get("translate", {}).get("from_cache"),
            "status": "complete" if complete else sweep.status.get(point.label, "pending"),
        }
    )
    return row


def direction(metric: str) -> str:
    return "higher is better" if metric_class(metric).higher_is_better else "lower is better"


def _read(path: Path) -> dict[str, Any]:
    """A JSON object from the run directory, or {} when it is missing or unreadable (the point counts as unfinished)."""
    if not path.is_file():
        return {}
    try:
        data = read_json(path)
    except JaenError:
        return {}
    return data if isinstance(data, dict) else {}


def _cell(value: Any) -> Any:
    return value if isinstance(value, (str, int, float, bool)) or value is None else json.dumps(value)


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value).lower()
    return str(value)


def write_leaderboard(sweep: Sweep) -> tuple[Path, Path]:
    """``leaderboard.tsv`` (csv-quoted, tab-separated) and ``leaderboard.md`` in the sweep directory."""
    columns, rows = leaderboard_rows(sweep)
    buf = io.StringIO()
    writer = csv.writer(buf, delimiter="\t", lineterminator="\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow([_text(row.get(c)) for c in columns])
    tsv = atomic_write_text(sweep.directory / LEADERBOARD_TSV, buf.getvalue())

    def md(value: Any) -> str:
        return _text(value).replace("|", "\\|").replace("\n", " ")

    lines = [
        f"# Sweep {sweep.name}",
        "",
        f"Ranked by corpus {sweep.metric} ({direction(sweep.metric)}); `seconds` is the run's total stage time, "
        "`sentences_per_second` Japanese sentences per second of it, `translated` the sentences the "
        "model translated afresh (the rest came from the shared cache).",
        "",
        "| " + " | ".join(columns) + " |",
        "|" + "|".join("---:" if c not in ("run", "status", *sweep.keys) else "---" for c in columns) + "|",
    ]
    lines += ["| " + " | ".join(md(row.get(c)) for c in columns) + " |" for row in rows]
    mdp = atomic_write_text(sweep.directory / LEADERBOARD_MD, "\n".join(lines) + "\n")
    return tsv, mdp


def dump_points(sweep: Sweep) -> str:
    """The points as YAML (for ``jaen sweep --dry-run``)."""
    return yaml.safe_dump(
        [{"run_dir": str(p.run_dir), **p.values} for p in sweep.points], sort_keys=False, allow_unicode=True
    )
