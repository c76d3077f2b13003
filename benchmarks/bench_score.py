"""Score-stage seconds before and after computing each segment's statistics once, in worker processes.

    python benchmarks/bench_score.py                  # WMT21 dev set (81 documents), Online-B, 1000 resamples
    python benchmarks/bench_score.py --workers 4      # the pool's size (default: the cores available)

The run is the whole WMT21 dev set with real MT brought in as a user would: ``jaen translations
import`` of ``mt/Online-B.jsonl`` and ``translate.backend: file`` (segment, translate and align run
once and are kept in ``outputs/.bench-score/``). Then, side by side on the same rows:

- **before**: the score stage as it was: per-row ``sentence_score`` in a loop, then per metric and
  subset ``corpus_score`` and again ``PairedTest`` for the bootstrap interval (every segment's
  statistics computed twice, TER's shift search included), on one core;
- **after, 1 worker**: ``pipeline.score.stage.write_scores`` with one worker (each segment once);
- **after, N workers**: the same on the pool.

It checks that the corpus scores, intervals and per-row scores are the same and prints the wall
seconds, the ratios and the CPU seconds (the workers' included). Timings on a shared machine are
noisy; compare the ratios of one run. On a machine whose cores are busy with other work, more
workers cannot shorten the wall time: the CPU seconds show the work done.
"""

from __future__ import annotations

import argparse
import logging
import resource
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from devset import dev_dir  # noqa: E402

from pipeline.config import Config, RunSection, load_config  # noqa: E402
from pipeline.io import read_json  # noqa: E402
from pipeline.rows import load_rows  # noqa: E402
from pipeline.runner import run_stages  # noqa: E402
from pipeline.score.sacrebleu_metric import bootstrap_interval  # noqa: E402
from pipeline.score.stage import build_metrics, scored_pair, write_scores  # noqa: E402
from pipeline.stage import RunContext  # noqa: E402
from pipeline.workers import available_cores  # noqa: E402

WORK = ROOT / "outputs" / ".bench-score"


def prepare(dev: Path, system: str, bootstrap: int) -> Config:
    """The dev set segmented, translated (``system``'s MT, imported) and aligned; kept for re-runs."""
    inputs = WORK / "input"
    inputs.mkdir(parents=True, exist_ok=True)
    for doc in sorted((dev / "ja").glob("*.txt")):
        if not (inputs / doc.name).exists():
            (inputs / doc.name).symlink_to(doc)
    mt = WORK / f"{system}.jsonl"
    if not mt.is_file():
        cmd = [sys.executable, "-m", "pipeline", "translations", "import", str(dev / "mt" / f"{system}.jsonl")]
        subprocess.run([*cmd, str(mt), "--docs", str(inputs)], check=True, cwd=ROOT)
    config = load_config(
        ROOT / "configs" / "smoke.yaml",
        [
            f"input.path={inputs}",
            f"reference.path={dev / 'en'}",
            f"run.output_dir={WORK / 'runs'}",
            f"run.name={system}",
            "translate.backend=file",
            f"translate.file={mt}",
            f"score.bootstrap={bootstrap}",
        ],
    )
    run_stages(config, ["segment", "translate", "align"], resume=True)
    return config


def before(ctx: RunContext) -> dict[str, Any]:
    """The score stage's work as it was: sentence scores, then ``corpus_score`` and ``PairedTest`` apart."""
    section = ctx.config.score
    rows = load_rows(ctx)
    chosen = build_metrics(section)
    pairs = {r.seg_id: p for r in rows if (p := scored_pair(r, section.partial)) is not None}
    per_row = {s: {n: round(m.sentence(*p), 4) for n, m in chosen.items() if m.per_row} for s, p in pairs.items()}
    corpus: dict[str, dict[str, Any]] = {}
    for subset in ("full", "partial"):
        picked = [pairs[r.seg_id] for r in rows if r.seg_id in pairs and r.partial == (subset == "partial")]
        hyps, refs = [p[0] for p in picked], [p[1] for p in picked]
        for name, m in chosen.items() if picked else ():
            score = m.sacrebleu_metric().corpus_score(hyps, [refs]).score
            ci = bootstrap_interval(m.sacrebleu_metric(), hyps, refs, section.bootstrap, section.seed)[1]
            corpus[f"{subset} {name}"] = {"score": round(score, 4), "ci": ci.to_dict()}
    return {"rows": per_row, "corpus": corpus}


def after(ctx: RunContext, workers: int) -> dict[str, Any]:
    write_scores(ctx, RunSection(workers=workers))
    scores = read_json(ctx.path("scores.json"))
    corpus = {f"full {n}": c for n, c in scores["corpus"].items()}
    corpus.update({f"partial {n}": c for n, c in (scores["partial"]["corpus"] or {}).items()})
    rows = {r["seg_id"]: {n: r[n] for n in scores["row_metrics"]} for r in scores["rows"]}
    return {"rows": rows, "corpus": {k: {"score": c["score"], "ci": c["ci"]} for k, c in corpus.items()}}


def cpu_seconds() -> float:
    """CPU seconds of this process and of its finished children (the pool's workers)."""
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def timed(fn: Any, *args: Any) -> tuple[Any, float, float]:
    """``fn(*args)``, its wall seconds and its CPU seconds (workers included)."""
    tick, cpu = time.perf_counter(), cpu_seconds()
    out = fn(*args)
    return out, time.perf_counter() - tick, cpu_seconds() - cpu


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument(
        "--dev", type=Path, default=None, help="the wmt21-ja-en folder (default: $JAEN_DEV_DIR or ../shared)"
    )
    ap.add_argument("--system", default="Online-B", help="the dev set's MT system (mt/SYSTEM.jsonl)")
    ap.add_argument("--workers", type=int, default=available_cores(), help="pool size (default: the cores available)")
    ap.add_argument("--bootstrap", type=int, default=1000, help="score.bootstrap (resamples)")
    args = ap.parse_args()
    logging.basicConfig(level=logging.ERROR)
    config = prepare(args.dev or dev_dir(), args.system, args.bootstrap)
    ctx = RunContext(config, config.run_dir)
    old, t_old, c_old = timed(before, ctx)
    one, t_one, c_one = timed(after, ctx, 1)
    many, t_many, c_many = timed(after, ctx, args.workers)
    assert old == one == many, "scores differ between before and after"
    n = len(old["rows"])
    print(f"score stage, WMT21 dev set, {args.system}: {n} scored rows, {args.bootstrap} resamples, same scores")
    print(f"{'':24}{'seconds':>9}{'rows/s':>9}{'× before':>10}{'CPU s':>9}")
    timings = (("before", t_old, c_old), ("after, 1 worker", t_one, c_one))
    for label, t, c in (*timings, (f"after, {args.workers} workers", t_many, c_many)):
        print(f"{label:24}{t:9.1f}{n / t:9.1f}{t_old / t:10.2f}{c:9.1f}")


if __name__ == "__main__":
    main()
