"""TER's segment statistics, sacrebleu's ``sentence_score`` against ``pipeline.score.ter_edits``, on every
MT output of the dev sets: the same numbers, and the CPU seconds of each.

    python benchmarks/bench_ter.py                 # WMT21 (Online-B, Facebook-AI) and WMT23 (Online-B, NLLB)
    python benchmarks/bench_ter.py --limit 200     # the first 200 sentences of each system

Each WMT sentence's MT (``mt/SYSTEM.jsonl``) is paired with its reference, the English of the gold
bead in the same place (``gold_alignment.json`` lists one 1-1 bead per WMT sentence, in the same
order). Both are computed for each pair in turn, each timed with ``time.process_time``, so load on a
shared machine falls on both alike; it prints, per system and in all, the pairs checked, the mismatches
([num_edits, ref_length] not equal; must be 0), the CPU seconds of each and their ratio.
"""

from __future__ import annotations

import argparse
import sys
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from devset import WMT21, WMT23, DevSet, dev_dir  # noqa: E402
from sacrebleu.metrics import TER  # noqa: E402

from pipeline.io import read_json  # noqa: E402
from pipeline.score.ter_edits import ter_statistics  # noqa: E402


@dataclass
class Tally:
    """Pairs checked, mismatches and the CPU seconds of each side."""

    pairs: int = 0
    mismatches: int = 0
    sacrebleu_s: float = 0.0
    ours_s: float = 0.0

    def add(self, other: Tally) -> None:
        self.pairs += other.pairs
        self.mismatches += other.mismatches
        self.sacrebleu_s += other.sacrebleu_s
        self.ours_s += other.ours_s

    def line(self, label: str) -> str:
        ratio = self.sacrebleu_s / self.ours_s if self.ours_s else float("nan")
        return f"{label:28}{self.pairs:7}{self.mismatches:12}{self.sacrebleu_s:14.1f}{self.ours_s:9.1f}{ratio:9.1f}×"


def system_pairs(dev: DevSet, system: str) -> list[tuple[str, str]]:
    """(MT, reference) per WMT sentence of one system."""
    rows = dev.mt_rows(system)
    beads = read_json(dev.root / "gold_alignment.json")
    if len(rows) != len(beads):
        raise SystemExit(f"{dev.root}/mt/{system}.jsonl: {len(rows)} rows, gold_alignment.json {len(beads)} beads")
    for n, (row, bead) in enumerate(zip(rows, beads), 1):
        if bead["ja"] != [row["ja"]] or len(bead["en"]) != 1:
            raise SystemExit(f"{dev.root}/mt/{system}.jsonl line {n}: not the gold bead in the same place (not 1-1)")
    return [(row["translation"], bead["en"][0]) for row, bead in zip(rows, beads)]


def check(pairs: list[tuple[str, str]]) -> Tally:
    """Both statistics of each pair, timed, compared."""
    metric, tally = TER(), Tally()
    for hyp, ref in pairs:
        tick = time.process_time()
        result = metric.sentence_score(hyp, [ref])
        tock = time.process_time()
        ours = ter_statistics(metric, hyp, ref)
        tally.sacrebleu_s += tock - tick
        tally.ours_s += time.process_time() - tock
        tally.pairs += 1
        tally.mismatches += ours != [result.num_edits, result.ref_length]
    return tally


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--limit", type=int, default=None, help="the first N sentences of each system (default: all)")
    args = ap.parse_args()
    total = Tally()
    print(f"{'set / system':28}{'pairs':>7}{'mismatches':>12}{'sacrebleu s':>14}{'ours s':>9}{'ratio':>10}")
    for name in (WMT21, WMT23):
        dev = DevSet(dev_dir(name), "all")
        for system in dev.mt_systems():
            tally = check(system_pairs(dev, system)[: args.limit])
            print(tally.line(f"{name} {system}"), flush=True)
            total.add(tally)
    print(total.line("all"))
    if total.mismatches:
        raise SystemExit(f"{total.mismatches} mismatches")


if __name__ == "__main__":
    main()
