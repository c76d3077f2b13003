"""Tune the aligner on the TUNE half of the WMT21 dev set (never the test half), and fit its confidence.

    python benchmarks/tune_align.py                     # link P/R/F1 over a grid of settings
    python benchmarks/tune_align.py --calibrate         # fit the confidence weights (pipeline/align/confidence.py)
    python benchmarks/tune_align.py --grid "threshold=0.5,skip_partial=3" "threshold=0.6"

Each setting is scored in the four settings of ``eval_quality.py`` (full / partial reference × tiny
model / real MT) with the same code; the seed's own golds (``tests/data/align``) are printed as a check.
"""

from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from devset import DevSet, dev_dir  # noqa: E402
from eval_quality import alignment_rows  # noqa: E402
from pipeline.align.confidence import BeadFeatures, fit  # noqa: E402
from pipeline.align.evaluate import load_gold, score_links  # noqa: E402
from pipeline.align.hybrid import HybridAligner  # noqa: E402
from pipeline.config import AlignSection, SegmentSection  # noqa: E402
from pipeline.segment import rules as _rules  # noqa: E402,F401
from pipeline.segment.base import segmenters  # noqa: E402

SEED = ROOT / "tests" / "data" / "align"
SEED_SETS = ("teaser", "dev", "dev2", "seed3")
GRID = ("", "threshold=0.5", "threshold=0.5,skip_partial=3", "threshold=0.5,skip_full=9")


def seed_f1(cfg: AlignSection) -> dict[str, float]:
    """F1 on the seed's own golds (the rules segmenter, no MT)."""
    seg = segmenters.get("rules")(SegmentSection())
    page = seg.segment((ROOT / "data" / "seed_ja.txt").read_text(encoding="utf-8")).to_sentences()
    src = [s for s in page if s.lang == "ja"]
    out = {}
    for name in SEED_SETS:
        if name == "teaser":
            ref = [s for s in page if s.lang == "en"]
        else:
            text = (SEED / f"{name}_reference_en.txt").read_text(encoding="utf-8")
            ref = [s for s in seg.segment_reference(text).to_sentences() if s.lang == "en"]
        by_id = {s.seg_id: s.text for s in [*src, *ref]}
        beads = HybridAligner(cfg).align(src, [""] * len(src), ref)
        pred = [("".join(by_id[i] for i in b.src_ids), b.reference(by_id)) for b in beads]
        out[name] = score_links(pred, load_gold(SEED / f"{name}_gold.json")).f1
    return out


def parse(setting: str) -> AlignSection:
    return AlignSection(**dict(kv.split("=", 1) for kv in setting.split(",") if kv))


def grid(dev: DevSet, settings: list[str]) -> None:
    for setting in settings:
        rows, _ = alignment_rows(dev, parse(setting), baseline=False)
        cells = " | ".join(f"{n}: {r.scores.precision:.3f}/{r.scores.recall:.3f}/{r.scores.f1:.3f}" for n, r in rows.items())
        seed = " ".join(f"{k} {v:.2f}" for k, v in seed_f1(parse(setting)).items())
        print(f"[{setting or 'defaults'}] {cells} | seed F1: {seed}", flush=True)


def calibrate(dev: DevSet) -> None:
    """Fit the logistic confidence on the linked beads of the four settings of the tune half."""
    features: list[BeadFeatures] = []
    correct: list[bool] = []
    rows, _ = alignment_rows(dev, AlignSection(), baseline=False)
    for r in rows.values():
        for f, ok in r.features:
            features.append(f)
            correct.append(ok)
    print(f"{len(features)} beads, {sum(correct)} correct: {fit(features, correct)}")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--calibrate", action="store_true")
    ap.add_argument("--grid", nargs="*", default=list(GRID), help="settings as key=value,key=value")
    args = ap.parse_args()
    logging.basicConfig(level=logging.ERROR)
    dev = DevSet(dev_dir(), "tune")
    if args.calibrate:
        calibrate(dev)
    else:
        grid(dev, args.grid)


if __name__ == "__main__":
    main()
