"""Alignment speed and memory: the sparse chain DP against the full-lattice DP, side by side, and the
whole lexical aligner on 10,000 × 10,000 sentences.

    python benchmarks/bench_align.py            # n = 10,000 (about a minute on 2 busy cores)
    python benchmarks/bench_align.py --n 2000   # quicker

Synthetic data: the gold sentence pairs of tests/data/align/ (both articles of the seed, our own
translations) repeated to n sentences per side, each pair tagged with a unique number (as real
documents carry dates, figures and names), with 10 % of each side deleted at random so that long
stretches must be skipped. Prints wall time, peak memory and link F1 against the known pairs.
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import sys
import time
import tracemalloc
from pathlib import Path
from unittest.mock import patch

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pipeline.align import signal_aligner  # noqa: E402
from pipeline.align.dp import align_dense, align_sparse  # noqa: E402
from pipeline.align.evidence import Evidence  # noqa: E402
from pipeline.align.lexical import LexicalAligner  # noqa: E402
from pipeline.config import AlignSection  # noqa: E402
from pipeline.prf import PRF  # noqa: E402
from pipeline.records import Sentence  # noqa: E402


def synthetic_candidates(n: int, per_row: int, rng: random.Random) -> list[tuple[int, int, int, int, float]]:
    """A diagonal of true beads plus ``per_row`` random distractors per source sentence."""
    cands = []
    for i in range(n):
        cands.append((i, 1, i, 1, 0.5 + 0.5 * rng.random()))
        for _ in range(per_row):
            j = rng.randrange(n)
            cands.append((i, 1 + (rng.random() < 0.2), min(j, n - 2), 1 + (rng.random() < 0.2), 0.6 * rng.random()))
    unique = {c[:4]: c[4] for c in cands if c[0] + c[1] <= n and c[2] + c[3] <= n}
    return [(*k, v) for k, v in unique.items()]


def measure(fn):
    tracemalloc.start()
    t = time.perf_counter()
    out = fn()
    dt = time.perf_counter() - t
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return out, dt, peak


def bench_dp(small: int, big: int) -> None:
    rng = random.Random(0)
    cands = synthetic_candidates(small, 5, rng)
    table = {c[:4]: c[4] for c in cands}
    score = lambda i, di, j, dj: table.get((i, di, j, dj), 0.0)  # noqa: E731
    d, t_dense, m_dense = measure(lambda: align_dense(small, small, score, 0.3))
    s, t_sparse, m_sparse = measure(lambda: align_sparse(small, small, cands, 0.3))
    gain = lambda p: sum(x[4] - 0.3 for x in p if x[1] and x[3])  # noqa: E731
    assert abs(gain(d) - gain(s)) < 1e-6
    print(
        f"DP {small}×{small}: dense {t_dense:.2f} s, {m_dense / 2**20:.1f} MiB peak | "
        f"sparse {t_sparse:.3f} s, {m_sparse / 2**20:.1f} MiB peak | "
        f"speed-up ×{t_dense / t_sparse:.0f}, memory ÷{m_dense / m_sparse:.0f} (same total gain)"
    )
    cands = synthetic_candidates(big, 5, rng)
    _, t_sparse, m_sparse = measure(lambda: align_sparse(big, big, cands, 0.3))
    dense_cells = (big + 1) ** 2
    print(
        f"DP {big}×{big}: sparse {t_sparse:.2f} s, {m_sparse / 2**20:.1f} MiB peak for {len(cands)} candidate "
        f"beads (the dense lattice would hold {dense_cells:,} cells: ~{dense_cells * 2 * 8 / 2**30:.1f} GiB "
        "of pointers alone)"
    )


def gold_pairs() -> list[tuple[str, str]]:
    pairs = []
    for name in ("dev_gold.json", "dev2_gold.json", "teaser_gold.json"):
        for bead in json.loads((ROOT / "tests" / "data" / "align" / name).read_text(encoding="utf-8")):
            if bead["ja"] and bead["en"] and not bead["en"][-1].endswith("…"):
                pairs.append(("".join(bead["ja"]), " ".join(bead["en"])))
    return pairs


def bench_aligner(n: int) -> None:
    rng = random.Random(1)
    pairs = gold_pairs()
    src, ref, truth = [], [], set()
    k = 0
    while len(src) < n or len(ref) < n:
        ja, en = pairs[k % len(pairs)]
        keep_ja, keep_en = rng.random() > 0.1 and len(src) < n, rng.random() > 0.1 and len(ref) < n
        if keep_ja:
            src.append(Sentence(f"ja{k}", "1", k, "ja", "body", f"{ja}（第{k + 1000}号）"))
        if keep_en:
            ref.append(Sentence(f"en{k}", "1", k, "en", "reference", f"{en} (No. {k + 1000})"))
        if keep_ja and keep_en:
            truth.add((f"ja{k}", f"en{k}"))
        k += 1
    aligner = LexicalAligner(AlignSection(method="lexical"))
    made: list[Evidence] = []  # the aligner's Evidence, to count the beads it scored

    class CountedEvidence(Evidence):
        def __init__(self, *args: object, **kwargs: object) -> None:
            super().__init__(*args, **kwargs)
            made.append(self)

    rss0 = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    t = time.perf_counter()
    with patch.object(signal_aligner, "Evidence", CountedEvidence):
        beads = aligner.align(src, [""] * len(src), ref)
    dt = time.perf_counter() - t
    rss1 = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    links = {(a, b) for bead in beads for a in bead.src_ids for b in bead.ref_ids}
    prf = PRF(len(links & truth), len(links), len(truth))
    scored = sum(ev.scored for ev in made)
    print(
        f"lexical aligner {len(src)}×{len(ref)} sentences: {dt:.1f} s, peak RSS {rss1 / 1024:.0f} MiB "
        f"(+{(rss1 - rss0) / 1024:.0f} MiB), {scored} beads scored "
        f"({scored / (len(src) * len(ref)):.5f} of n·m), {jamdict_lookups()} jamdict lookups (cold), "
        f"link precision {prf.precision:.4f} recall {prf.recall:.4f}"
    )


def jamdict_lookups() -> int:
    """Dictionary lookups since the cache was last cleared: every miss of the per-word cache is one."""
    from pipeline.align.lexicon import Lexicon

    return Lexicon.glosses.cache_info().misses


def bench_lexicon() -> None:
    from pipeline.align.lexicon import LEXICON, japanese

    text = (ROOT / "data" / "seed_ja.txt").read_text(encoding="utf-8")
    lines = [x for x in text.splitlines() if x.strip()]
    LEXICON.glosses.cache_clear()
    t = time.perf_counter()
    for x in lines:
        japanese(x)
    cold = time.perf_counter() - t
    lookups = jamdict_lookups()
    t = time.perf_counter()
    for x in lines:
        japanese(x)
    warm = time.perf_counter() - t
    print(
        f"lexicon on the seed ({len(lines)} lines): cold {cold:.2f} s ({lookups} jamdict lookups, "
        f"{1000 * cold / max(lookups, 1):.1f} ms each incl. tagging), warm (cached) {warm:.2f} s, ×{cold / warm:.0f}"
    )


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=10_000)
    ap.add_argument("--dense", type=int, default=400, help="size at which dense and sparse DP are compared")
    args = ap.parse_args()
    bench_dp(args.dense, args.n)
    bench_aligner(args.n)  # first, so that its time includes the cold dictionary lookups
    bench_lexicon()


if __name__ == "__main__":
    main()
