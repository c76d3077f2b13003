"""Peak memory of ``jaen compare`` on two synthetic runs of N rows, before and after its paired bootstrap
went from sacrebleu's ``PairedTest`` (every resample at once) to segment statistics (one at a time).

    python benchmarks/bench_compare.py                        # 20,000 rows, the current code only
    python benchmarks/bench_compare.py --before 1a462fb       # and the code of that commit, side by side
    python benchmarks/bench_compare.py --rows 2000 --metrics bleu,chrf

Two runs of the same synthetic Japanese source are written (``tests/rundirs.py``), each with its own
English translations of the references (words dropped, swapped, replaced) and scored (``jaen score``,
kept in ``outputs/.bench-compare/``). ``jaen compare a b --json`` then runs as a child process, once
per code tree, while the resident memory of its process tree (workers included) is sampled; the
largest single process's max RSS comes from ``getrusage``. The results of both trees must be equal.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))
sys.path.insert(0, str(ROOT / "tests"))

from proctree import tree_rss  # noqa: E402
from rundirs import Unit, write_run  # noqa: E402

from pipeline.runner import run_stages  # noqa: E402

WORK = ROOT / "outputs" / ".bench-compare"
CORPUS = ROOT / "pipeline" / "translate" / "tiny_corpus_en.txt"
SAMPLE_S = 0.05  # seconds between memory samples
MIB = 2**20


def sentences() -> list[str]:
    lines = CORPUS.read_text(encoding="utf-8").replace(". ", ".\n").splitlines()
    return [s.strip() for s in lines if 3 <= len(s.split()) <= 25]


def translation(ref: str, rng: random.Random) -> str:
    words = [w for w in ref.split() if rng.random() > 0.2] or ref.split()[:1]
    if len(words) > 3 and rng.random() < 0.5:
        i = rng.randrange(len(words) - 1)
        words[i], words[i + 1] = words[i + 1], words[i]
    return " ".join("the" if rng.random() < 0.1 else w for w in words)


def build(name: str, rows: int, seed: int, metrics: list[str]) -> Path:
    """A scored run of ``rows`` rows (kept: built once per size, metrics and seed)."""
    run_dir = WORK / f"{name}-{rows}-{'-'.join(metrics)}"
    if (run_dir / "scores.json").is_file():
        return run_dir
    refs, rng = sentences(), random.Random(seed)
    picked = [refs[i % len(refs)] for i in range(rows)]
    units = [Unit([f"文{i}です。"], [translation(ref, rng)], [ref]) for i, ref in enumerate(picked)]
    run_stages(write_run(run_dir, units, {"score.metrics": metrics}), ["score"])
    return run_dir


def measure(tree: Path, runs: list[Path]) -> tuple[float, int, int, dict]:
    """(wall s, peak tree RSS, largest process's max RSS, the JSON) of ``jaen compare`` on ``tree``'s code."""
    env = {**os.environ, "PYTHONPATH": str(tree), "HF_HUB_OFFLINE": "1"}
    cmd = [sys.executable, "-m", "pipeline", "compare", *map(str, runs), "--json"]
    with tempfile.TemporaryFile("w+") as out:
        started, peak = time.perf_counter(), 0
        child = subprocess.Popen(cmd, cwd=tree, env=env, stdout=out)
        while True:
            pid, status, usage = os.wait4(child.pid, os.WNOHANG)
            if pid:
                break
            peak = max(peak, tree_rss(child.pid))
            time.sleep(SAMPLE_S)
        wall = time.perf_counter() - started
        if os.waitstatus_to_exitcode(status):
            raise SystemExit(f"compare failed on {tree}: {' '.join(cmd)}")
        out.seek(0)
        return wall, peak, usage.ru_maxrss * 1024, json.loads(out.read())


def checkout(rev: str, into: Path) -> Path:
    """The ``pipeline`` package of commit ``rev``, extracted under ``into``."""
    archive = subprocess.run(["git", "-C", str(ROOT), "archive", rev, "pipeline"], check=True, capture_output=True)
    subprocess.run(["tar", "-x", "-C", str(into)], input=archive.stdout, check=True)
    return into


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=20000)
    parser.add_argument("--metrics", default="bleu,chrf,ter")
    parser.add_argument("--before", help="a commit whose compare to measure too (side by side)")
    args = parser.parse_args()
    metrics = args.metrics.split(",")
    runs = [build(name, args.rows, seed, metrics) for name, seed in (("a", 3), ("b", 4))]
    with tempfile.TemporaryDirectory() as tmp:
        trees = {"after": ROOT} | ({"before": checkout(args.before, Path(tmp))} if args.before else {})
        results = {label: measure(tree, runs) for label, tree in trees.items()}
    print(f"jaen compare, {args.rows} rows, metrics {args.metrics}, {results['after'][3]['samples']} resamples")
    for label, (wall, peak, largest, _) in results.items():
        mib = f"peak tree RSS {peak / MIB:7.0f} MiB  largest process {largest / MIB:7.0f} MiB"
        print(f"{label:>6}: {wall:7.1f} s  {mib}")
    if "before" in results:
        same = results["before"][3]["metrics"] == results["after"][3]["metrics"]
        print(f"same results: {same}; peak tree RSS after/before {results['after'][1] / results['before'][1]:.2f}")


if __name__ == "__main__":
    main()
