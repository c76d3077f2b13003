"""Tune the aligner's weights on the dev data: link P/R/F1 on every dev set for a grid of settings.

    python benchmarks/tune_align.py

No MT (as with the tiny model): the lexical and length signals alone. The seed is segmented with
the rules segmenter, each dev reference with its reference splitter, and the beads are scored with
the same link metric as `jaen eval-align`.
"""

from __future__ import annotations

import itertools
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pipeline.align.evaluate import load_gold, score_links  # noqa: E402
from pipeline.align.hybrid import HybridAligner  # noqa: E402
from pipeline.config import AlignSection, SegmentSection  # noqa: E402
from pipeline.segment import rules as _rules  # noqa: E402,F401
from pipeline.segment.base import segmenters  # noqa: E402

DATA = ROOT / "tests" / "data" / "align"
SETS = {"teaser": None, "dev": DATA / "dev_reference_en.txt", "dev2": DATA / "dev2_reference_en.txt",
        "heldout": DATA / "heldout_reference_en.txt"}  # heldout: written after tuning, to check it


def load_sets():
    seg = segmenters.get("rules")(SegmentSection())
    page = seg.segment((ROOT / "data" / "seed_ja.txt").read_text(encoding="utf-8")).to_sentences()
    src = [s for s in page if s.lang == "ja"]
    out = {}
    for name, path in SETS.items():
        if path is None:
            ref = [s for s in page if s.lang == "en"]
        else:
            ref = [s for s in seg.segment_reference(path.read_text(encoding="utf-8")).to_sentences() if s.lang == "en"]
        gold = load_gold(DATA / f"{'teaser' if path is None else name}_gold.json")
        out[name] = (src, ref, gold)
    return out


def evaluate(cfg: AlignSection, sets) -> dict[str, tuple[float, float, float]]:
    res = {}
    for name, (src, ref, gold) in sets.items():
        by_id = {s.seg_id: s.text for s in [*src, *ref]}
        beads = HybridAligner(cfg).align(src, [""] * len(src), ref)
        pred = [("".join(by_id[i] for i in b.src_ids), " ".join(by_id[i] for i in b.ref_ids)) for b in beads]
        s = score_links(pred, gold)
        res[name] = (s.precision, s.recall, s.f1)
    return res


def main() -> None:
    sets = load_sets()
    print("margin threshold length_weight | " + " | ".join(f"{n} P/R/F1" for n in sets))
    for margin, threshold, lw in itertools.product((0.0, 0.5), (0.2, 0.25, 0.3, 0.35, 0.4), (0.0, 0.3, 0.6)):
        res = evaluate(AlignSection(threshold=threshold, length_weight=lw, margin=margin), sets)
        cells = " | ".join(f"{p:.3f}/{r:.3f}/{f:.3f}" for p, r, f in res.values())
        print(f"{margin:5} {threshold:9.2f} {lw:13.1f} | {cells}")


if __name__ == "__main__" and "--orphans" not in sys.argv:
    main()


def false_links(threshold: float, length_weight: float, sets, margin: float = 0.0) -> int:
    """Links made when the true partners are removed from the source: every one of them is wrong
    (the hardest case for precision: same topic, same names, no translation)."""
    from pipeline.align.evaluate import containment

    wrong = 0
    for name, (src, ref, gold) in sets.items():
        gold_ja = [s for ja, _ in gold for s in ja]
        rest = [s for s in src if not any(containment(g, s.text) >= 0.5 for g in gold_ja)]
        beads = HybridAligner(AlignSection(threshold=threshold, length_weight=length_weight, margin=margin)).align(rest, [""] * len(rest), ref)
        wrong += sum(len(b.src_ids) * len(b.ref_ids) for b in beads)
    return wrong


def main_false() -> None:
    sets = load_sets()
    total = sum(len(r) for _, r, _ in sets.values())
    for margin in (0.0, 0.5, 1.0):
        for threshold in (0.1, 0.15, 0.2, 0.25, 0.3, 0.35, 0.4):
            print(f"margin {margin} threshold {threshold:.2f}: {false_links(threshold, 0.3, sets, margin)} wrong links "
                  f"for {total} orphaned reference sentences")


if __name__ == "__main__" and "--orphans" in sys.argv:
    main_false()
