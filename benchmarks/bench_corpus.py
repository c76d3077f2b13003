"""The whole pipeline on a corpus: the WMT21 ja-en dev set copied N times, run as a user would.

    python benchmarks/bench_corpus.py 1 2            # N=1 and N=2, ratios against N=1
    python benchmarks/bench_corpus.py 1 10 --reference en_partial

For each N the script builds ``outputs/.bench-corpus/nN/``: the 81 articles of the dev set copied N
times (``ja/DOC-xK.txt``, their references ``en/DOC-xK.txt``: document ids suffixed, so every copy
is a document of its own), brings the real MT in with ``jaen translations import`` of
``mt/SYSTEM.jsonl`` (its ``doc`` ids suffixed the same way; the import is not timed) and runs
``jaen run`` with ``translate.backend=file`` in a subprocess, so translation costs nothing and every
other stage runs at full size. It prints, per N:

* wall seconds of the ``jaen run`` process and of each stage (``manifest.json``'s timings);
* rows (``bitext.tsv`` rows) and rows per wall second;
* the peak RSS of the whole process tree: the sum of the RSS of ``jaen run`` and all its
  descendants, read from ``/proc`` every ``--sample`` seconds (its peak; a short spike between
  two samples can be missed), and beside it the largest single process
  (``ru_maxrss`` of ``os.wait4`` on the ``jaen run`` process: exact, but the largest one, not a sum);
* the size of ``report.html``;
* then every figure of every N divided by that of the first N given (N=1 → N ratios).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from devset import DevSet, dev_dir  # noqa: E402
from proctree import tree_rss  # noqa: E402

from pipeline.io import iter_jsonl, read_json, write_jsonl  # noqa: E402

WORK = ROOT / "outputs" / ".bench-corpus"
STAGES = ("segment", "translate", "align", "score", "export")
STAGE_LINE = re.compile(r"^jaen: stage (\w+) …")  # what jaen run prints as a stage starts
MIB = 1024 * 1024
MB = 1000 * 1000  # report size, as the targets count it


def copy_name(doc: str, copy: int) -> str:
    """The document id of one copy of a dev-set document."""
    return f"{doc}-x{copy}"


def build_corpus(dev: DevSet, n: int, reference: str, system: str, out: Path) -> Path:
    """``out/ja``, ``out/en`` and the suffixed MT rows of ``n`` copies of the dev set; returns the MT file."""
    for kind, folder in (("ja", "ja"), (reference, "en")):
        (out / folder).mkdir(parents=True, exist_ok=True)
        for doc in dev.docs:
            text = dev.text(kind, doc)
            for k in range(1, n + 1):
                (out / folder / f"{copy_name(doc, k)}.txt").write_text(text, encoding="utf-8")
    mt = out / f"{system}.segments.jsonl"
    rows = dev.mt_rows(system)
    write_jsonl(mt, [{**r, "doc": copy_name(r["doc"], k)} for k in range(1, n + 1) for r in rows])
    return mt


def import_mt(segments: Path, docs: Path, out: Path) -> None:
    """``jaen translations import`` onto our sentences of ``docs``, as a user would run it."""
    cmd = [sys.executable, "-m", "pipeline", "translations", "import", str(segments), str(out), "--docs", str(docs)]
    done = subprocess.run(cmd, cwd=ROOT, env=child_env(), capture_output=True, text=True)
    if done.returncode != 0:
        raise SystemExit(f"translations import failed: {done.stderr.strip()}")
    print(done.stderr.strip().splitlines()[0], file=sys.stderr)


def child_env() -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(ROOT), "HF_HUB_OFFLINE": "1"}


@dataclass
class Result:
    n: int
    rows: int
    wall: float
    stages: dict[str, float]
    tree_peak: int  # bytes, sampled sum over the process tree
    largest: int  # bytes, the largest single process (getrusage)
    report_bytes: int
    counts: dict[str, int] = field(default_factory=dict)
    stage_peaks: dict[str, int] = field(default_factory=dict)  # bytes, the tree peak while each stage ran

    @property
    def rows_per_s(self) -> float:
        return self.rows / self.wall if self.wall else float("nan")


@dataclass
class StageWatch:
    """The stage ``jaen run`` is in, read from its stderr (``jaen: stage NAME …``), which it echoes."""

    current: str = "start"

    def follow(self, stream: IO[str]) -> None:
        for line in stream:
            sys.stderr.write(line)
            match = STAGE_LINE.search(line)
            if match:
                self.current = match.group(1)


def run_pipeline(cmd: list[str], sample: float) -> tuple[float, int, int, dict[str, int]]:
    """Run ``cmd``; (wall seconds, peak tree RSS, the largest single process's max RSS, peak tree RSS
    per stage) in bytes."""
    started = time.perf_counter()
    child = subprocess.Popen(cmd, cwd=ROOT, env=child_env(), stderr=subprocess.PIPE, text=True)
    watch = StageWatch()
    reader = threading.Thread(target=watch.follow, args=(child.stderr,), daemon=True)
    reader.start()
    peaks: dict[str, int] = {}
    while True:
        pid, status, usage = os.wait4(child.pid, os.WNOHANG)
        if pid:
            break
        stage = watch.current
        peaks[stage] = max(peaks.get(stage, 0), tree_rss(child.pid))
        time.sleep(sample)
    wall = time.perf_counter() - started
    reader.join(timeout=5)
    child.returncode = os.waitstatus_to_exitcode(status)
    if child.returncode != 0:
        raise SystemExit(f"jaen run failed (exit status {child.returncode}): {' '.join(cmd)}")
    # ru_maxrss (KiB on Linux) of this child and its reaped descendants: the largest of them, not a sum
    return wall, max(peaks.values(), default=0), usage.ru_maxrss * 1024, peaks


def bench(dev: DevSet, n: int, args: argparse.Namespace) -> Result:
    work = WORK / f"n{n}"
    mt = build_corpus(dev, n, args.reference, args.system, work)
    translations = work / f"{args.system}.jsonl"
    import_mt(mt, work / "ja", translations)
    cmd = [
        *(sys.executable, "-m", "pipeline", "run", str(ROOT / "configs" / "default.yaml")),
        f"input.path={work / 'ja'}",
        f"reference.path={work / 'en'}",
        "reference.from_input=false",
        "translate.backend=file",
        f"translate.file={translations}",
        f"run.output_dir={work}",
        "run.name=run",
        "run.resume=false",
        *args.overrides,
    ]
    wall, peak, largest, stage_peaks = run_pipeline(cmd, args.sample)
    run_dir = work / "run"
    manifest = read_json(run_dir / "manifest.json")
    stages = {name: float(info.get("seconds", 0.0)) for name, info in manifest.get("stages", {}).items()}
    counts = read_json(run_dir / "scores.json").get("counts", {})
    rows = sum(1 for _ in iter_jsonl(run_dir / "bitext.jsonl"))
    report = (run_dir / "report.html").stat().st_size
    return Result(n, rows, wall, stages, peak, largest, report, counts, stage_peaks)


def table(results: list[Result]) -> list[str]:
    head = ["N", "rows", "wall s", *(f"{s} s" for s in STAGES), "rows/s", "tree peak MiB", "largest MiB", "report MB"]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for r in results:
        cells = [str(r.n), f"{r.rows:,}", f"{r.wall:.1f}", *(f"{r.stages.get(s, 0.0):.1f}" for s in STAGES)]
        cells += [f"{r.rows_per_s:.1f}", f"{r.tree_peak / MIB:,.0f}", f"{r.largest / MIB:,.0f}"]
        cells.append(f"{r.report_bytes / MB:.2f}")
        lines.append("| " + " | ".join(cells) + " |")
    return lines


def peak_table(results: list[Result]) -> list[str]:
    """The tree peak while each stage ran (MiB): where the memory goes."""
    head = ["N", *(f"{s} MiB" for s in STAGES)]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for r in results:
        cells = [str(r.n), *(f"{r.stage_peaks.get(s, 0) / MIB:,.0f}" for s in STAGES)]
        lines.append("| " + " | ".join(cells) + " |")
    return lines


def ratios(results: list[Result]) -> list[str]:
    base = results[0]

    def ratio(a: float, b: float) -> str:
        return f"{a / b:.2f}×" if b else "–"

    lines = []
    for r in results[1:]:
        parts = [f"rows {ratio(r.rows, base.rows)}", f"wall {ratio(r.wall, base.wall)}"]
        parts += [f"{s} {ratio(r.stages.get(s, 0.0), base.stages.get(s, 0.0))}" for s in STAGES]
        parts += [f"rows/s {ratio(r.rows_per_s, base.rows_per_s)}", f"tree peak {ratio(r.tree_peak, base.tree_peak)}"]
        parts += [f"largest {ratio(r.largest, base.largest)}", f"report {ratio(r.report_bytes, base.report_bytes)}"]
        lines.append(f"N={base.n} → N={r.n}: " + ", ".join(parts))
    return lines


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("copies", nargs="+", type=int, metavar="N", help="copies of the dev set, a run each")
    ap.add_argument("--dev", type=Path, default=None, help="the wmt21-ja-en folder (default: $JAEN_DEV_DIR)")
    ap.add_argument("--system", default="Online-B", help="MT system of the dev set's mt/ folder")
    ap.add_argument("--reference", choices=("en", "en_partial"), default="en", help="full or partial references")
    ap.add_argument("--sample", type=float, default=0.1, help="seconds between RSS samples of the process tree")
    ap.add_argument("--set", dest="overrides", action="append", default=[], metavar="KEY=VALUE", help="config override")
    args = ap.parse_args()
    if any(n < 1 for n in args.copies):
        ap.error("N must be at least 1")
    dev = DevSet(args.dev or dev_dir(), "all")
    if not (dev.root / "mt" / f"{args.system}.jsonl").is_file():
        ap.error(f"--system: {dev.root / 'mt' / args.system}.jsonl not found")
    results = []
    for n in args.copies:
        results.append(bench(dev, n, args))
        print(json.dumps({"n": n, "wall": round(results[-1].wall, 2), "stages": results[-1].stages}), file=sys.stderr)
    print(f"\n{len(dev.docs)} documents × N, {args.system} MT (translate.backend=file), reference {args.reference}\n")
    print("\n".join(table(results)))
    print("\ntree peak while each stage ran:\n")
    print("\n".join(peak_table(results)))
    if len(results) > 1:
        print()
        print("\n".join(ratios(results)))


if __name__ == "__main__":
    main()
