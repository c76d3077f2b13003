"""Memory of one stage's main process as the corpus grows: the align and score stages alone, in process.

    python benchmarks/bench_stage_memory.py outputs/.bench-corpus/n1/run outputs/.bench-corpus/n10/run
    python benchmarks/bench_stage_memory.py RUN1 RUN10 --stage score --set 'score.metrics=[bleu,chrf]' --trace
    python benchmarks/bench_stage_memory.py RUN1 --scale 100        # and a ×100 made from RUN1's artifacts

Each run directory (one whose segment, translate and align stages have run: ``bench_corpus.py``'s
``nN/run``) is copied to a scratch directory, and each ``--stage`` runs there in a fresh Python process
(``Stage.run`` on the run's ``config.yaml`` with ``run.workers=1`` and the ``--set`` overrides), so that
the figures are those of the one process that reads the artifacts. For each run and stage it prints:

* the rows (beads of ``alignment.jsonl``) and the stage's wall seconds;
* **RSS before**: the process's resident memory after the imports, before the stage;
* **peak RSS**: ``ru_maxrss`` of the process at the end (its largest resident memory, imports included);
* **growth**: peak RSS less RSS before, what the stage itself added;
* with ``--trace``: tracemalloc's peak of the Python objects the stage allocated (slower: TER is best
  left out with ``--set 'score.metrics=[bleu,chrf]'``);

then each figure divided by that of the first run directory given.

``--scale K`` adds a run directory made from the first one's artifacts copied K times (``sentences``,
``translations``, ``alignment``: ids renumbered, each copy's documents renamed ``DOC#cK``), for a
corpus larger than ``bench_corpus.py`` can run in reasonable time (its score stage is TER-bound).
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pipeline.io import iter_jsonl, write_jsonl  # noqa: E402

MIB = 1024 * 1024
COPIED = ("config.yaml", "manifest.json")

CHILD = """
import json, resource, sys, time, tracemalloc
from pathlib import Path
from pipeline.config import load_config
from pipeline.stage import RunContext, load_stages, stages

run_dir, stage, trace, overrides = Path(sys.argv[1]), sys.argv[2], sys.argv[3] == "1", sys.argv[4:]
load_stages()
config = load_config(run_dir / "config.yaml", ["run.workers=1", *overrides])
cls = stages.get(stage)

def rss() -> int:
    return int(Path("/proc/self/statm").read_text().split()[1]) * resource.getpagesize()

before = rss()
if trace:
    tracemalloc.start()
started = time.perf_counter()
cls().run(RunContext(config, run_dir))
wall = time.perf_counter() - started
traced = tracemalloc.get_traced_memory()[1] if trace else 0
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
print(json.dumps({"wall": wall, "before": before, "peak": peak, "traced": traced}))
"""


def rows_of(run_dir: Path) -> int:
    with (run_dir / "alignment.jsonl").open("rb") as fh:
        return sum(1 for line in fh if line.strip())


def renumbered(seg_id: str, copy: int, counts: dict[str, int]) -> str:
    """``ja00007`` of copy ``copy`` (from 0): the same sentence, numbered after the copies before it."""
    lang, n = seg_id[:2], int(seg_id[2:])
    return f"{lang}{copy * counts[lang] + n:05d}"


def copies(path: Path, k: int, change: Callable[[dict[str, Any], int], dict[str, Any]]) -> Iterator[dict[str, Any]]:
    """Each line of ``path`` ``k`` times over, ``change(object, copy)`` applied."""
    for copy in range(k):
        for data in iter_jsonl(path):
            yield change(data, copy)


def scaled(run_dir: Path, k: int, out: Path) -> Path:
    """``out``: the artifacts of ``run_dir`` copied ``k`` times, each copy its own documents and ids."""
    out.mkdir(parents=True, exist_ok=True)
    for name in COPIED:
        shutil.copy(run_dir / name, out / name)
    counts = {"ja": 0, "en": 0}
    for data in iter_jsonl(run_dir / "sentences.jsonl"):
        counts[data["lang"]] += 1

    def sentence(s: dict[str, Any], c: int) -> dict[str, Any]:
        doc = {"doc_id": f"{s['doc_id']}#c{c}", "document": f"{s.get('document', '')}#c{c}"}
        return {**s, "seg_id": renumbered(s["seg_id"], c, counts), **doc}

    def bead(b: dict[str, Any], c: int) -> dict[str, Any]:
        ids = {key: [renumbered(i, c, counts) for i in b[key]] for key in ("src_ids", "ref_ids")}
        return {**b, **ids}

    write_jsonl(out / "sentences.jsonl", copies(run_dir / "sentences.jsonl", k, sentence))

    def translation(t: dict[str, Any], c: int) -> dict[str, Any]:
        return {**t, "seg_id": renumbered(t["seg_id"], c, counts)}

    write_jsonl(out / "translations.jsonl", copies(run_dir / "translations.jsonl", k, translation))
    write_jsonl(out / "alignment.jsonl", copies(run_dir / "alignment.jsonl", k, bead))
    return out


def measure(run_dir: Path, stage: str, args: argparse.Namespace) -> dict[str, float]:
    """One stage on a scratch copy of ``run_dir``, in a fresh process."""
    with tempfile.TemporaryDirectory(prefix="bench-stage-", dir=ROOT / "outputs") as scratch:
        copy = Path(scratch) / "run"
        shutil.copytree(run_dir, copy, ignore=shutil.ignore_patterns(".partial", ".staging", ".run.lock"))
        cmd = [sys.executable, "-c", CHILD, str(copy), stage, "1" if args.trace else "0", *args.overrides]
        env = {"PYTHONPATH": str(ROOT), "HF_HUB_OFFLINE": "1", "PATH": "/usr/bin:/bin"}
        done = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True)
        if done.returncode != 0:
            raise SystemExit(f"{stage} on {run_dir} failed: {done.stderr.strip()[-2000:]}")
        return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("runs", nargs="+", type=Path, metavar="RUN_DIR", help="run directories, smallest first")
    ap.add_argument("--stage", action="append", choices=("align", "score", "export"), help="default: align, score")
    ap.add_argument("--set", dest="overrides", action="append", default=[], metavar="KEY=VALUE", help="config override")
    ap.add_argument("--trace", action="store_true", help="also tracemalloc's peak (slower)")
    ap.add_argument("--scale", type=int, default=0, metavar="K", help="add the first run's artifacts ×K")
    args = ap.parse_args()
    if args.scale:
        args.runs.append(scaled(args.runs[0], args.scale, ROOT / "outputs" / ".bench-stage" / f"x{args.scale}"))
    stages = args.stage or ["align", "score"]
    head = "| stage | run | rows | wall s | RSS before MiB | peak RSS MiB | growth MiB | traced peak MiB |"
    lines = [head, "|---|---|---|---|---|---|---|---|"]
    first: dict[str, dict[str, float]] = {}
    ratios = []
    rows = {run_dir: rows_of(run_dir) for run_dir in args.runs}
    for stage in stages:
        for run_dir in args.runs:
            m = measure(run_dir, stage, args)
            m["growth"] = m["peak"] - m["before"]
            cells = [stage, str(run_dir), f"{rows[run_dir]:,}", f"{m['wall']:.1f}"]
            cells += [f"{m[k] / MIB:,.1f}" for k in ("before", "peak", "growth", "traced")]
            lines.append("| " + " | ".join(cells) + " |")
            print(lines[-1], file=sys.stderr)
            base = first.setdefault(stage, m)
            if base is not m:
                parts = [f"{k} {m[k] / base[k]:.2f}×" for k in ("peak", "growth", "traced") if base[k]]
                ratios.append(f"{stage}: {args.runs[0]} → {run_dir}: " + ", ".join(parts))
    print("\n".join(["", *lines, "", *ratios]))


if __name__ == "__main__":
    main()
