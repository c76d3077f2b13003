"""Throughput of the ``ray`` engine with 1 and 2 actors, side by side with the local engine, on this machine.

    python benchmarks/bench_ray.py                  # mid-size random Marian, 96 sentences
    python benchmarks/bench_ray.py --shape tiny --sentences 200

Every figure comes from one run of this script: one local Ray (``num_cpus`` = 2 by default) is
started once; each engine translates the same sentences in the same chunks (no cache), and the
script checks that all of them give identical translations. Wall time includes the actors' start
(process, imports, model load), which a real job pays once per run; the "steady" figure leaves out
the first batch that comes back, so it approximates the rate once the actors are up.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from pipeline.config import RunSection, TranslateSection  # noqa: E402
from pipeline.translate.hf import HFTranslator  # noqa: E402
from pipeline.translate.ray_engine import LOCAL_OBJECT_STORE_BYTES, translate_batches  # noqa: E402
from pipeline.translate.tiny import TINY, MarianShape, build_marian, corpus_lines  # noqa: E402

MID = MarianShape(d_model=256, layers=3, heads=4, ffn_dim=1024, spm_vocab=1200)


def sentences(n: int) -> list[str]:
    lines = corpus_lines("tiny_corpus_ja.txt")
    return [f"{lines[i % len(lines)]}（{i}）" for i in range(n)]  # distinct, realistic lengths


def run_local(cfg: TranslateSection, texts: list[str], chunk: int) -> tuple[dict[str, str], float, float]:
    started = time.perf_counter()
    translator = HFTranslator(cfg)
    loaded = time.perf_counter()
    out: dict[str, str] = {}
    for i in range(0, len(texts), chunk):
        batch = texts[i : i + chunk]
        out.update(zip(batch, translator.translate(batch)))
    end = time.perf_counter()
    return out, end - started, end - loaded


def run_ray(cfg: TranslateSection, texts: list[str], chunk: int, workers: int) -> tuple[dict[str, str], float, float]:
    started = time.perf_counter()
    out: dict[str, str] = {}
    first_at, first_n = None, 0
    for batch, outputs in translate_batches(cfg, RunSection(engine="ray", num_workers=workers), texts, chunk):
        out.update(zip(batch, outputs))
        if first_at is None:
            first_at, first_n = time.perf_counter(), len(batch)
    end = time.perf_counter()
    steady = (len(texts) - first_n) / (end - first_at) if first_at and end > first_at else float("nan")
    return out, end - started, steady


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--shape", choices=["tiny", "mid"], default="mid")
    parser.add_argument("--sentences", type=int, default=96)
    parser.add_argument("--batch-size", type=int, default=4, help="translate.max_batch_size (a chunk is 4x this)")
    parser.add_argument("--cpus", type=int, default=2, help="CPUs of the local Ray")
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING)

    import ray

    texts = sentences(args.sentences)
    chunk = args.batch_size * 4
    with tempfile.TemporaryDirectory() as tmp:
        model = build_marian(Path(tmp) / "model", TINY if args.shape == "tiny" else MID)
        # greedy, one thread per translator (an actor has one CPU), bounded output length
        cfg = TranslateSection(
            model=str(model), num_beams=1, threads=1, max_new_tokens_ratio=1.0, max_batch_size=args.batch_size
        )
        print(f"model: {args.shape} {TINY if args.shape == 'tiny' else MID}")
        print(
            f"{len(texts)} sentences, chunks of {chunk}, local Ray with {args.cpus} CPUs, {os.cpu_count()} cores here, "
            f"load average before: {os.getloadavg()[0]:.1f}"
        )
        ray.init(
            num_cpus=args.cpus,
            include_dashboard=False,
            object_store_memory=LOCAL_OBJECT_STORE_BYTES,
            log_to_driver=False,
            logging_level=logging.WARNING,
        )
        try:
            results = {}
            reference, wall, work = run_local(cfg, texts, chunk)
            results["local, 1 thread"] = (wall, len(texts) / work)
            for workers in (1, 2):
                got, wall, steady = run_ray(cfg, texts, chunk, workers)
                assert got == reference, f"ray with {workers} actor(s) differs from the local engine"
                results[f"ray, {workers} actor(s)"] = (wall, steady)
        finally:
            ray.shutdown()
    base = len(texts) / results["ray, 1 actor(s)"][0]
    print(f"{'engine':<18} {'wall s':>8} {'sent/s (wall)':>14} {'sent/s (steady)':>16} {'vs ray x1 (wall)':>17}")
    for name, (wall, steady) in results.items():
        rate = len(texts) / wall
        print(f"{name:<18} {wall:8.2f} {rate:14.2f} {steady:16.2f} {rate / base:17.2f}")
    print(f"all engines gave identical translations; load average after: {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
