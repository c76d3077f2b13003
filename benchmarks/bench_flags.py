"""How often the text flags (``repeated``, ``empty``) fire on real translations: the WMT21 systems'
outputs and the professional English references of the dev set's TEST half. Neither should loop, so
every ``repeated`` here is a false alarm; the figures bound the detector's false-positive rate.

    python benchmarks/bench_flags.py [--half test]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from devset import load  # noqa: E402

from pipeline.translate.flags import count_flags, text_flags  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--half", default="test", choices=["tune", "test", "all"])
    args = parser.parse_args()
    dev = load(args.half)
    docs = set(dev.docs)
    sets: dict[str, list[tuple[str, str]]] = {}
    for system in dev.mt_systems():
        sets[f"WMT21 {system}"] = [(r["ja"], r["translation"]) for r in dev.mt_rows(system) if r["doc"] in docs]
    sets["English references"] = [
        ("参照", line.strip()) for doc in dev.docs for line in dev.text("en", doc).splitlines() if line.strip()
    ]
    print(f"dev set {args.half} half ({len(docs)} documents)")
    print(f"{'translations':<24} {'n':>6} {'repeated':>9} {'empty':>6}  examples")
    for name, pairs in sets.items():
        flagged = [(t, text_flags(s, t)) for s, t in pairs]
        counts = count_flags(f for _, f in flagged)
        examples = [t[:60] for t, f in flagged if "repeated" in f][:2]
        print(f"{name:<24} {len(pairs):>6} {counts['repeated']:>9} {counts['empty']:>6}  {examples}")


if __name__ == "__main__":
    main()
