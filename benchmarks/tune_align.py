"""Tune the aligner on the TUNE half of the WMT21 dev set (never the test half), and fit its confidence.

    python benchmarks/tune_align.py                     # link P/R/F1 over a grid of settings
    python benchmarks/tune_align.py --calibrate         # fit the confidence weights (align/params.py)
    python benchmarks/tune_align.py --calibrate --variants   # ... on the variants' partial references too
    python benchmarks/tune_align.py --grid "threshold=0.5,skip_partial=3" "threshold=0.6"
    python benchmarks/tune_align.py --variants --grid ""   # partial references rebuilt eight more ways,
                                                           # whole references edited four ways
    python benchmarks/tune_align.py --variants --grid "" --only merged-full   # some of those

Each setting is scored in the four settings of ``eval_quality.py`` (full / partial reference × tiny
model / real MT) with the same code; the seed's own golds (``tests/data/align``) are printed as a check.
With ``--variants``, the partial reference settings (tiny model and both WMT systems) are scored on the
tune half's ``en_partial`` and on the twelve variants of :mod:`variants`, per variant and pooled (the
aligner is not told which references are whole: it judges each document's coverage itself).
"""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

import variants  # noqa: E402
from devset import DevSet, dev_dir  # noqa: E402
from eval_quality import Docs, References, Result, alignment_rows, evaluate_alignment, prepare  # noqa: E402

from pipeline.align.confidence import BeadFeatures, fit  # noqa: E402
from pipeline.align.evaluate import LinkScores, load_gold  # noqa: E402
from pipeline.align.hybrid import HybridAligner  # noqa: E402
from pipeline.config import AlignSection, SegmentSection  # noqa: E402
from pipeline.segment import rules as _rules  # noqa: E402,F401
from pipeline.segment.base import segmenters  # noqa: E402

SEED = ROOT / "tests" / "data" / "align"
SEED_SETS = ("teaser", "dev", "dev2", "seed3")
GRID = ("", "threshold=0.5", "threshold=0.5,skip_partial=3", "threshold=0.5,skip_full=9")


def seed_results(cfg: AlignSection) -> dict[str, Result]:
    """Our aligner on the seed's own golds (the rules segmenter, no MT), scored as the dev set is."""
    seg = segmenters.get("rules")(SegmentSection())
    page = seg.segment((ROOT / "data" / "seed_ja.txt").read_text(encoding="utf-8")).to_sentences()
    src = [s for s in page if s.lang == "ja"]
    aligner = HybridAligner(cfg)
    out = {}
    for name in SEED_SETS:
        if name == "teaser":
            ref = [s for s in page if s.lang == "en"]
        else:
            text = (SEED / f"{name}_reference_en.txt").read_text(encoding="utf-8")
            ref = [s for s in seg.segment_reference(text).to_sentences() if s.lang == "en"]
        out[name] = evaluate_alignment(
            Docs([(src, ref)], {}),
            load_gold(SEED / f"{name}_gold.json"),
            lambda s, r: aligner.align(s, [""] * len(s), r),
        )
    return out


def seed_f1(cfg: AlignSection) -> dict[str, float]:
    return {name: r.scores.f1 for name, r in seed_results(cfg).items()}


def parse(setting: str) -> AlignSection:
    return AlignSection(**dict(kv.split("=", 1) for kv in setting.split(",") if kv))


def cell(s: LinkScores) -> str:
    return f"{s.precision:.3f}/{s.recall:.3f}/{s.f1:.3f}"


def grid(dev: DevSet, settings: list[str]) -> None:
    references = prepare(dev)
    for setting in settings:
        cfg = parse(setting)
        rows, _ = alignment_rows(references, cfg, baseline=False)
        cells = " | ".join(f"{n}: {cell(r.scores)}" for n, r in rows.items())
        seed = " ".join(f"{k} {v:.2f}" for k, v in seed_f1(cfg).items())
        print(f"[{setting or 'defaults'}] {cells} | seed F1: {seed}", flush=True)


def variants_grid(dev: DevSet, settings: list[str], names: Sequence[str] = variants.NAMES) -> None:
    """P/R/F1 on the tune half's partial references and each variant (:mod:`variants`), and pooled."""
    sets = variant_sets(dev, names=names)
    for setting in settings:
        cfg = parse(setting)
        print(f"[{setting or 'defaults'}] P/R/F1", flush=True)
        pooled: dict[str, list[LinkScores]] = {}
        for name, references in sets.items():
            rows, _ = alignment_rows(references, cfg, baseline=False)
            print(
                f"  {name}: " + " | ".join(f"{n.split(', ', 2)[2]} {cell(r.scores)}" for n, r in rows.items()),
                flush=True,
            )
            for n, r in rows.items():
                pooled.setdefault(n, []).append(r.scores)
        for n, scores in pooled.items():
            print(f"  pooled, {n}: {cell(pool(scores))}")
        print("  seed F1: " + " ".join(f"{k} {v:.2f}" for k, v in seed_f1(cfg).items()), flush=True)


def variant_sets(
    dev: DevSet, original: bool = True, names: Sequence[str] = variants.NAMES
) -> dict[str, list[References]]:
    """The tune half's partial references (``original``) and its variants ``names``, each ready to align
    with the tiny model and both WMT systems."""
    systems = tuple(s for s in ("Online-B", "Facebook-AI") if s in dev.mt_systems())
    sets = {"en_partial": prepare(dev, partial_only=True, systems=systems)} if original else {}
    for name in names:
        sets[name] = prepare(
            variants.build(dev, name, ROOT / "outputs" / ".eval-variants" / name),
            partial_only=True,
            systems=systems,
            tag=f"{name}-",
        )
    return sets


def pool(scores: list[LinkScores]) -> LinkScores:
    return LinkScores.from_counts(
        *(sum(getattr(s, k) for s in scores) for k in ("correct", "predicted", "gold")), digits=None
    )


def calibrate(dev: DevSet, with_variants: bool) -> None:
    """Fit the logistic confidence on the linked beads of the four settings of the tune half and of
    the seed's golds (whose paragraphs correspond less than the dev set's), and with ``with_variants``
    of the tune half's variants too."""
    features: list[BeadFeatures] = []
    correct: list[bool] = []
    rows, _ = alignment_rows(prepare(dev), AlignSection(), baseline=False)
    results = [*rows.values(), *seed_results(AlignSection()).values()]
    if with_variants:
        for references in variant_sets(dev, original=False).values():
            results.extend(alignment_rows(references, AlignSection(), baseline=False)[0].values())
    for r in results:
        for f, ok in r.features:
            features.append(f)
            correct.append(ok)
    print(f"{len(features)} beads, {sum(correct)} correct: {fit(features, correct)}")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--calibrate", action="store_true")
    ap.add_argument("--grid", nargs="*", default=list(GRID), help="settings as key=value,key=value")
    ap.add_argument(
        "--variants",
        action="store_true",
        help="the tune half's partial references and the variants of them and of its whole ones",
    )
    ap.add_argument(
        "--only",
        nargs="+",
        choices=variants.NAMES,
        default=list(variants.NAMES),
        metavar="VARIANT",
        help="with --variants: these variants only (default: all)",
    )
    args = ap.parse_args()
    logging.basicConfig(level=logging.ERROR)
    dev = DevSet(dev_dir(), "tune")
    if args.calibrate:
        calibrate(dev, args.variants)
    elif args.variants:
        variants_grid(dev, args.grid, args.only)
    else:
        grid(dev, args.grid)


if __name__ == "__main__":
    main()
