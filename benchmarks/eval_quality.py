"""Segmentation and alignment quality on the dev sets (WMT21 news, WMT23 many domains), per half.

    python benchmarks/eval_quality.py                  # both sets, tune and test halves
    python benchmarks/eval_quality.py --set wmt23 --half test      # one set, one half
    python benchmarks/eval_quality.py --dev DIR        # another copy of a dev set ($JAEN_DEV_DIR)
    python benchmarks/eval_quality.py --set wmt21 --systems Online-B Facebook-AI   # a row per system

The halves are ``benchmarks/devset.py``'s: WMT21 tune = its first 41 articles, test = the other 40;
WMT23 tune = the even-numbered blocks, test = the odd ones.

Everything runs the pipeline's own code in-process: the segment and translate stages
(``run_stages``, the tiny offline MarianMT, its translations kept in the pipeline's translation
cache under ``outputs/.eval-quality``), the registered aligner, and ``jaen eval-align``'s scorer
(``pipeline.align.evaluate.row_links`` and ``link_scores``). Rows:

* segmentation — boundary P/R/F1 of the Japanese against the WMT segmentation (``segmentation/``),
  ours (``rules``) and pysbd (per paragraph); a WMT cut inside a 「…」 quotation or before a と that
  continues a quote is optional (neither credited nor penalised);
* alignment — link P/R/F1 against ``gold_alignment.json`` (full reference ``en/``) and
  ``gold_alignment_partial.json`` (partial reference ``en_partial/``) for our aligner with the tiny
  model's translations, our aligner with real MT (``mt/Online-B.jsonl`` in place of the
  translations; ``--systems`` names others of ``mt/``) and a Gale–Church baseline (length only);
* calibration — for our aligner, the share of correct beads per confidence bucket, all its
  settings pooled (four with one system).
"""

from __future__ import annotations

import argparse
import logging
import math
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from devset import WMT21, WMT23, DevSet, dev_dir  # noqa: E402

from pipeline.align.base import aligners  # noqa: E402
from pipeline.align.confidence import BeadFeatures  # noqa: E402
from pipeline.align.dp import trace_back  # noqa: E402
from pipeline.align.evaluate import LinkScores, link_scores, row_links  # noqa: E402
from pipeline.align.stage import by_document  # noqa: E402
from pipeline.config import AlignSection, load_config  # noqa: E402
from pipeline.io import read_records  # noqa: E402
from pipeline.records import Bead, Sentence, Translation  # noqa: E402
from pipeline.runner import run_stages  # noqa: E402
from pipeline.segment.evaluate import BoundaryScore  # noqa: E402
from pipeline.translate.segment_import import ImportResult, map_document, read_segments  # noqa: E402

WORK = ROOT / "outputs" / ".eval-quality"
BUCKETS = (0.0, 0.5, 0.7, 0.8, 0.9, 0.95, 1.0001)


# --- segmentation ----------------------------------------------------------------------------------
def segmentation_rows(dev: DevSet) -> dict[str, BoundaryScore]:
    """Ours and pysbd, scored as ``benchmarks/bench_segment.py`` scores them (one scorer)."""
    from bench_segment import dev_scores, dev_systems

    systems = {name: run for name, run in dev_systems().items() if name in ("rules (raw page)", "pysbd (ja)")}
    return dev_scores(dev, systems)


# --- the pipeline's sentences and translations ------------------------------------------------------
@dataclass
class Docs:
    """Per document: source sentences, reference sentences and the tiny model's translations."""

    pairs: list[tuple[list[Sentence], list[Sentence]]]
    tiny: dict[str, str]


def pipeline_docs(dev: DevSet, ref_kind: str, tag: str = "") -> Docs:
    """Segment and translate this half with the real stages (tiny model, cached translations);
    ``tag`` names the run apart from other references of the same half (``variants.py``)."""
    inputs = WORK / f"input-{dev.name}-{dev.half}"
    inputs.mkdir(parents=True, exist_ok=True)
    for doc in dev.docs:
        link = inputs / f"{doc}.txt"
        if not link.exists():
            link.symlink_to(dev.path("ja", doc))
    cfg = load_config(
        ROOT / "configs" / "smoke.yaml",
        [
            f"input.path={inputs}",
            f"reference.path={dev.root / ref_kind}",
            f"run.output_dir={WORK / 'runs'}",
            f"run.name={tag}{dev.name}-{dev.half}-{ref_kind}",
            f"translate.model={WORK / 'tiny-marian'}",
            f"translate.cache_dir={WORK / 'cache'}",
            # the tiny model's output is meaningless: short greedy output keeps it quick (as the tests do)
            "translate.num_beams=1",
            "translate.max_new_tokens_ratio=0.2",
            "translate.max_new_tokens_min=4",
        ],
    )
    run_dir = run_stages(cfg, ["segment", "translate"], resume=True)
    sentences = read_records(run_dir / "sentences.jsonl", Sentence)
    tiny = {t.seg_id: t.translation for t in read_records(run_dir / "translations.jsonl", Translation)}
    src = [s for s in sentences if s.lang == "ja"]
    ref = [s for s in sentences if s.lang == "en"]
    return Docs(by_document(src, ref), tiny)


def real_mt(dev: DevSet, docs: Docs, system: str = "Online-B") -> dict[str, str]:
    """Real MT per source sentence, mapped from the system's per-WMT-sentence rows onto our sentences
    by the code behind ``jaen translations import`` (direct, joined or re-split; unmapped: empty).
    A page our segmenter cut into several articles (``doc_id`` ``PAGE/docN``) is mapped whole."""
    segments = read_segments(dev.root / "mt" / f"{system}.jsonl")
    pages: dict[str, list[Sentence]] = {}
    for src, _ in docs.pairs:
        for s in src:
            pages.setdefault(s.doc_id.split("/")[0], []).append(s)
    result = ImportResult()
    for page, sentences in pages.items():
        map_document(page, [s.text for s in sentences], segments.get(page, []), result)
    table = {(r.doc, r.source): r.translation for r in result.rows}
    return {s.seg_id: table.get((page, s.text), "") for page, sentences in pages.items() for s in sentences}


# --- alignment -------------------------------------------------------------------------------------
def gale_church(src: Sequence[Sentence], ref: Sequence[Sentence]) -> list[tuple[list[int], list[int]]]:
    """Plain Gale–Church (1993) over our sentences: beads 1-1, 1-0, 0-1, 2-1, 1-2; cost −log of the
    bead prior times the probability of the length difference under a Gaussian (c: English
    characters per Japanese character, estimated from the document; s² = 6.8 as in the paper)."""
    a = [len(s.text) for s in src]
    b = [len(r.text) for r in ref]
    c = (sum(b) / sum(a)) if sum(a) and sum(b) else 1.0
    priors = {(1, 1): 0.89, (1, 0): 0.0099 / 2, (0, 1): 0.0099 / 2, (2, 1): 0.089 / 2, (1, 2): 0.089 / 2}

    def cost(la: int, lb: int, bead: tuple[int, int]) -> float:
        mean = (la * c + lb) / 2 or 1.0
        delta = (lb - la * c) / math.sqrt(mean * 6.8)
        p_delta = max(2 * (1 - 0.5 * (1 + math.erf(abs(delta) / math.sqrt(2)))), 1e-12)
        return -math.log(priors[bead]) - math.log(p_delta)

    n, m = len(a), len(b)
    best = [[math.inf] * (m + 1) for _ in range(n + 1)]
    back: list[list[tuple[int, int, float] | None]] = [[None] * (m + 1) for _ in range(n + 1)]
    best[0][0] = 0.0
    for i in range(n + 1):
        for j in range(m + 1):
            if best[i][j] == math.inf:
                continue
            for di, dj in priors:
                if i + di > n or j + dj > m:
                    continue
                step = cost(sum(a[i : i + di]), sum(b[j : j + dj]), (di, dj))
                if best[i][j] + step < best[i + di][j + dj]:
                    best[i + di][j + dj], back[i + di][j + dj] = best[i][j] + step, (di, dj, step)
    return [(list(range(i, i + di)), list(range(j, j + dj))) for i, di, j, dj, _ in trace_back(back, n, m)]


def ours(cfg: AlignSection) -> Callable[[list[Sentence], list[str], list[Sentence]], list[Bead]]:
    return aligners.get(cfg.method, "align.method")(cfg).align


@dataclass
class Result:
    scores: LinkScores
    beads: list[tuple[float, bool]]  # (confidence, all its links correct) per linked bead
    features: list[tuple[BeadFeatures, bool]]  # (what the confidence was computed from, correct)


def evaluate_alignment(
    docs: Docs, gold: list[tuple[list[str], list[str]]], align: Callable[[list[Sentence], list[Sentence]], list[Bead]]
) -> Result:
    pred: list[tuple[str, str]] = []
    made_by: list[Bead] = []
    for src, ref in docs.pairs:
        text = {s.seg_id: s.text for s in [*src, *ref]}
        for b in align(src, ref):
            pred.append(("".join(text[i] for i in b.src_ids), b.reference(text)))
            made_by.append(b)
    links, gold_links = row_links(pred, gold)
    # a linked bead is correct when every link it makes is a gold link
    judged = [(b, all(x in gold_links for x in made)) for b, made in zip(made_by, links) if made]
    features = [(BeadFeatures.from_signals(b.signals), ok) for b, ok in judged if "evidence" in b.signals]
    return Result(link_scores(links, gold_links), [(b.score, ok) for b, ok in judged], features)


@dataclass
class References:
    """One kind of reference of one half, ready to align: sentences, the tiny model's and each
    system's translations, the gold."""

    label: str  # full | partial
    docs: Docs
    gold: list[tuple[list[str], list[str]]]
    mt: dict[str, dict[str, str]]  # system → translation per source sentence


def prepare(
    dev: DevSet, partial_only: bool = False, systems: Sequence[str] = ("Online-B",), tag: str = ""
) -> list[References]:
    """The full and partial references of this half (or the partial ones only), prepared once for
    any number of aligner settings."""
    out = []
    for ref_kind, partial in (("en", False), ("en_partial", True))[partial_only:]:
        docs = pipeline_docs(dev, ref_kind, tag)
        out.append(
            References(
                "partial" if partial else "full",
                docs,
                [(b["ja"], b["en"]) for b in dev.gold_beads(partial)],
                {system: real_mt(dev, docs, system) for system in systems},
            )
        )
    return out


def alignment_rows(
    references: Sequence[References], cfg: AlignSection, baseline: bool = True
) -> tuple[dict[str, Result], dict[str, float]]:
    """Link scores per setting (full / partial reference × tiny model / real MT of each system /
    Gale–Church)."""
    rows: dict[str, Result] = {}
    timings: dict[str, float] = {}
    aligner = ours(cfg)

    def with_mt(translations: dict[str, str]) -> Callable[[list[Sentence], list[Sentence]], list[Bead]]:
        return lambda s, r: aligner(s, [translations.get(x.seg_id, "") for x in s], r)

    for ref in references:
        docs, gold, label = ref.docs, ref.gold, ref.label
        settings = {
            f"{label}, ours, tiny model": with_mt(docs.tiny),
            **{f"{label}, ours, real MT ({system})": with_mt(mt) for system, mt in ref.mt.items()},
        }
        if baseline:
            settings[f"{label}, Gale–Church"] = lambda s, r: [
                Bead([s[i].seg_id for i in a], [r[j].seg_id for j in b], 1.0) for a, b in gale_church(s, r)
            ]
        for name, fn in settings.items():
            t = time.perf_counter()
            rows[name] = evaluate_alignment(docs, gold, fn)
            timings[name] = time.perf_counter() - t
    return rows, timings


def reliability(results: Sequence[Result]) -> list[tuple[str, int, float]]:
    pooled = [b for r in results for b in r.beads]
    out = []
    for lo, hi in zip(BUCKETS, BUCKETS[1:]):
        inside = [ok for conf, ok in pooled if lo <= conf < hi]
        out.append(
            (
                f"[{lo:.2f}, {min(hi, 1.0):.2f}{']' if hi > 1 else ')'}",
                len(inside),
                sum(inside) / len(inside) if inside else float("nan"),
            )
        )
    high = [ok for conf, ok in pooled if conf >= 0.9]
    out.append(("≥ 0.90", len(high), sum(high) / len(high) if high else float("nan")))
    return out


def report(dev: DevSet, cfg: AlignSection, systems: Sequence[str] = ("Online-B",)) -> None:
    print(f"\n## {dev.name}, {dev.half} half: {len(dev.docs)} documents, {len(dev.gold_beads())} gold beads (full)\n")
    print("| row | precision | recall | F1 |\n|---|---|---|---|")
    for name, s in segmentation_rows(dev).items():
        print(
            f"| segmentation, {name} (tp {s.tp}, fp {s.fp}, fn {s.fn}) "
            f"| {s.precision:.3f} | {s.recall:.3f} | {s.f1:.3f} |"
        )
    rows, timings = alignment_rows(prepare(dev, systems=systems), cfg)
    for name, r in rows.items():
        s = r.scores
        print(f"| alignment, {name} | {s.precision:.3f} | {s.recall:.3f} | {s.f1:.3f} |")
    ours_rows = [r for name, r in rows.items() if "ours" in name]
    print(
        f"\nCalibration of `score` ({cfg.method}, {dev.name} {dev.half} half, "
        f"the {len(ours_rows)} 'ours' settings pooled; a bead is correct when all its links are gold links):\n"
    )
    print("| confidence | beads | precision |\n|---|---|---|")
    for bucket, count, prec in reliability(ours_rows):
        print(f"| {bucket} | {count} | {prec:.3f} |")
    print("\n" + ", ".join(f"{k}: {v:.1f} s" for k, v in timings.items()))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--set", choices=("wmt21", "wmt23", "both"), default="both", help="which dev set(s)")
    ap.add_argument(
        "--dev", type=Path, default=None, help="one dev set's folder (default: beside $JAEN_DEV_DIR or in ../shared)"
    )
    ap.add_argument("--half", choices=("tune", "test", "both"), default="both")
    ap.add_argument("--method", default="hybrid", help="registered aligner to evaluate")
    ap.add_argument(
        "--systems",
        nargs="+",
        default=["Online-B"],
        metavar="SYSTEM",
        help="real MT systems of the dev set's mt/ folder, a row each (default: Online-B; "
        "WMT21 also has Facebook-AI, WMT23 NLLB)",
    )
    args = ap.parse_args()
    logging.basicConfig(level=logging.ERROR)
    names = {"wmt21": [WMT21], "wmt23": [WMT23], "both": [WMT21, WMT23]}[args.set]
    roots = [args.dev] if args.dev else [dev_dir(name) for name in names]
    for root in roots:
        for system in args.systems:
            if not (root / "mt" / f"{system}.jsonl").is_file():
                ap.error(f"--systems: {root / 'mt' / system}.jsonl not found")
    for root in roots:
        for half in ("tune", "test") if args.half == "both" else (args.half,):
            report(DevSet(root, half), AlignSection(method=args.method), args.systems)


if __name__ == "__main__":
    main()
