"""Segmentation benchmark: boundary P/R/F1 on the hand-checked seed gold and on the WMT21 dev set's
tune and test halves, against pysbd (ja) and ja_sentence_segmenter, and a linear-time check on
generated inputs of 1, 2.5 and 5 MB.

    python benchmarks/bench_segment.py [--gold tests/data/seed_gold.txt] [--input data/seed_ja.txt]
                                       [--sizes 1,2.5,5] [--no-dev]

On the dev set (``benchmarks/devset.py``) every system reads ``ja/<doc>.txt``: the rules segmenter
the whole page, the baselines one blank-line paragraph at a time; they are scored against
``segmentation/<doc>.txt`` with WMT's cuts inside a quotation or before a quotative と optional
(:func:`pipeline.segment.evaluate.optional_boundaries`).

All systems are scored on the same gold with the same scorer (pipeline.segment.evaluate). The
baselines have no cleaning of their own, so they are fed the cleaned Japanese paragraphs (the
paragraphs the rules segmenter keeps, original characters, one call per paragraph); the rules
segmenter is scored twice: on those same paragraphs (splitting only) and from the raw page (cleaning,
routing, structure and splitting together).
"""

from __future__ import annotations

import argparse
import functools
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pipeline.config import SegmentSection  # noqa: E402
from pipeline.io import read_text  # noqa: E402
from pipeline.segment.clean import strip_trailing_link  # noqa: E402
from pipeline.segment.evaluate import BoundaryScore, optional_boundaries, read_gold, score_boundaries  # noqa: E402
from pipeline.segment.ja import split_japanese  # noqa: E402
from pipeline.segment.rules import RulesSegmenter, split_blocks  # noqa: E402


def cleaned_paragraphs(segmenter: RulesSegmenter, text: str) -> list[str]:
    result = segmenter.segment(text)
    ja_lines = {u.line for u in result.units if u.lang == "ja"}
    blocks, _ = split_blocks(text)
    return [strip_trailing_link(b.text)[0] for b in blocks if b.lang == "ja" and b.line in ja_lines]


def baselines() -> dict[str, object]:
    systems: dict[str, object] = {}
    import pysbd

    sbd = pysbd.Segmenter(language="ja", clean=False)
    systems["pysbd (ja)"] = sbd.segment
    from ja_sentence_segmenter.common.pipeline import make_pipeline
    from ja_sentence_segmenter.concatenate.simple_concatenator import concatenate_matching
    from ja_sentence_segmenter.normalize.neologd_normalizer import normalize
    from ja_sentence_segmenter.split.simple_splitter import split_newline, split_punctuation

    concat_tail_te = functools.partial(
        concatenate_matching, former_matching_rule=r"^(?P<result>.+)(て)$", remove_former_matched=False
    )
    split_punc = functools.partial(split_punctuation, punctuations=r"。!?！？")
    raw = make_pipeline(split_newline, concat_tail_te, split_punc)
    normalized = make_pipeline(
        normalize, split_newline, concat_tail_te, functools.partial(split_punctuation, punctuations=r"。!?")
    )
    systems["ja_sentence_segmenter"] = lambda t: list(raw(t))
    systems["ja_sentence_segmenter (+normalize)"] = lambda t: list(normalized(t))
    return systems


def quality(gold_path: Path, input_path: Path) -> None:
    segmenter = RulesSegmenter(SegmentSection())
    text = read_text(input_path)
    gold = [u.text for u in read_gold(gold_path) if u.lang == "ja"]
    paragraphs = cleaned_paragraphs(segmenter, text)
    print(f"gold: {gold_path} ({len(gold)} Japanese sentences, {len(paragraphs)} paragraphs)")
    rows = []
    full = [u.text for u in segmenter.segment(text).units if u.lang == "ja"]
    rows.append(("rules (raw page: clean+route+split)", score_boundaries(gold, full)))
    rows.append(
        (
            "rules (split only, same paragraphs)",
            score_boundaries(gold, [s for p in paragraphs for s in split_japanese(p)]),
        )
    )
    for name, split in baselines().items():
        rows.append((name, score_boundaries(gold, [s for p in paragraphs for s in split(p)])))
    width = max(len(n) for n, _ in rows)
    for name, score in rows:
        print(f"  {name:<{width}}  {score}")
    en_gold = [u.text for u in read_gold(gold_path) if u.lang == "en"]
    if en_gold:
        en = [u.text for u in segmenter.segment(text).units if u.lang == "en"]
        print(f"  {'rules, English reference':<{width}}  {score_boundaries(en_gold, en)}")


def dev_systems() -> dict[str, object]:
    """Ours on the raw page and the baselines per paragraph (the dev pages hold one paragraph a block)."""
    segmenter = RulesSegmenter(SegmentSection())
    systems: dict[str, object] = {
        "rules (raw page)": lambda page: [u.text for u in segmenter.segment(page).units if u.lang == "ja"]
    }
    for name, split in baselines().items():
        systems[name] = lambda page, split=split: [s for p in page.split("\n\n") if p.strip() for s in split(p.strip())]
    return systems


def dev_scores(dev, systems: dict[str, object]) -> dict[str, BoundaryScore]:
    """Boundary scores of each system on one half of the dev set, WMT's optional cuts not required."""
    gold = [s for doc in dev.docs for s in dev.gold_sentences(doc)]
    optional = optional_boundaries(gold)
    return {
        name: score_boundaries(gold, [s for doc in dev.docs for s in run(dev.text("ja", doc))], optional)
        for name, run in systems.items()
    }


def dev_quality() -> None:
    """Ours vs the baselines on the dev set's tune and test halves, side by side."""
    sys.path.insert(0, str(ROOT / "benchmarks"))
    from devset import load

    systems = dev_systems()
    halves = {half: load(half) for half in ("tune", "test")}
    scores = {half: dev_scores(dev, systems) for half, dev in halves.items()}
    print(
        f"WMT21 dev set ({halves['tune'].root}), tune {len(halves['tune'].docs)} docs / "
        f"test {len(halves['test'].docs)} docs, optional cuts not required:"
    )
    width = max(len(n) for n in systems)
    print(f"  {'':<{width}}  {'tune P / R / F1':<24}  test P / R / F1 (tp fp fn)")
    for name in systems:
        t, e = scores["tune"][name], scores["test"][name]
        print(
            f"  {name:<{width}}  {t.precision:.4f} {t.recall:.4f} {t.f1:.4f}    "
            f"{e.precision:.4f} {e.recall:.4f} {e.f1:.4f} ({e.tp} {e.fp} {e.fn})"
        )


def synthetic(sentences: list[str], size_bytes: int, rng: random.Random) -> str:
    """Paragraphs of 1-6 random seed sentences (unique enough that dedupe keeps them), blank-line separated."""
    out: list[str] = []
    total = 0
    while total < size_bytes:
        para = "".join(rng.choice(sentences) for _ in range(rng.randint(1, 6)))
        out.append(para)
        total += len(para.encode("utf-8")) + 2
    return "\n\n".join(out)


def linear_time(input_path: Path, sizes_mb: list[float]) -> None:
    segmenter = RulesSegmenter(SegmentSection())
    text = read_text(input_path)
    sentences = [u.text for u in segmenter.segment(text).units if u.lang == "ja" and u.kind == "body"]
    rng = random.Random(0)
    print("linear time (rules segmenter, whole pipeline on generated pages, best of 3):")
    base = None
    for mb in sizes_mb:
        doc = synthetic(sentences, int(mb * 1_000_000), rng)
        times = []
        for _ in range(3):  # best of three: the machine is shared
            t0 = time.perf_counter()
            result = segmenter.segment(doc)
            times.append(time.perf_counter() - t0)
        dt = min(times)
        per_mb = dt / mb
        base = base or per_mb
        print(
            f"  {mb:>4} MB: {dt:7.2f} s  {len(result.units):>7} units  {per_mb:6.2f} s/MB  "
            f"ratio to first size (per MB) {per_mb / base:.2f}"
        )
    wrapped = synthetic(sentences, 5_000_000, rng).replace("\n\n", "")
    wrapped = "\n".join(wrapped[i : i + 40] for i in range(0, len(wrapped), 40))
    t0 = time.perf_counter()
    result = segmenter.segment(wrapped)
    dt = time.perf_counter() - t0
    print(
        f"  5 MB hard-wrapped at 40 characters, no paragraph breaks: {dt:.2f} s ({dt / 5:.2f} s/MB), "
        f"{len(result.units)} units"
    )
    line = "あ" * 1_000_000
    t0 = time.perf_counter()
    result = segmenter.segment(line)
    print(
        f"  1M-character line without punctuation: {time.perf_counter() - t0:.2f} s, "
        f"{len(result.units)} pieces, recorded: {result.dropped[-1].reason}"
    )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--gold", type=Path, default=ROOT / "tests" / "data" / "seed_gold.txt")
    ap.add_argument("--input", type=Path, default=ROOT / "data" / "seed_ja.txt")
    ap.add_argument("--sizes", default="1,2.5,5", help="MB sizes for the linear-time check ('' to skip)")
    ap.add_argument("--no-dev", action="store_true", help="skip the WMT21 dev set comparison")
    args = ap.parse_args()
    quality(args.gold, args.input)
    if not args.no_dev:
        dev_quality()
    if args.sizes:
        linear_time(args.input, [float(s) for s in args.sizes.split(",")])


if __name__ == "__main__":
    main()
