"""The ``ray`` engine on this machine: translation with 1 and 2 actors, align with 1 and 2 Ray workers.

    python benchmarks/bench_ray.py                  # both parts: translation (mid-size Marian, 96 sentences), align
    python benchmarks/bench_ray.py --part translate --shape tiny --sentences 200
    JAEN_DEV_DIR=/path/to/wmt21-ja-en python benchmarks/bench_ray.py --part align

Translation: one local Ray (``num_cpus`` = 2 by default) is started once; each engine translates the
same sentences in the same chunks (no cache), and the script checks that all of them give identical
translations. Wall time includes the actors' start (process, imports, model load), which a real job
pays once per run; the "steady" figure leaves out the first batch that comes back, so it
approximates the rate once the actors are up.

Align: the WMT21 dev set (81 documents) is segmented and given its real MT (``mt/Online-B.jsonl``,
brought in as ``bench_corpus.py`` does, under ``outputs/.bench-ray``; not timed), then the align
stage runs three times on it: in this process (``engine: local``, ``run.workers=1``), and as Ray
tasks (``engine: ray``) on a local Ray with 1 CPU, then on one with 2 CPUs (``--repeat`` times,
alternating; each Ray started before the clock starts; the Ray workers' start, imports and
dictionary loading are timed, as a run pays them). The script prints the stage's wall seconds, the
ratio 2 workers / 1 (of the best runs), the CPU seconds of this process and its descendants (Ray's
workers: the work done, which a busy machine's share of the cores does not change), and checks that
every ``alignment.jsonl`` is byte-identical.
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
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from proctree import tree_cpu_seconds  # noqa: E402

from pipeline.align.stage import AlignStage  # noqa: E402
from pipeline.artifacts import ALIGNMENT  # noqa: E402
from pipeline.config import Config, RunSection, TranslateSection, load_config  # noqa: E402
from pipeline.runner import run_stages  # noqa: E402
from pipeline.stage import RunContext  # noqa: E402
from pipeline.translate.hf import HFTranslator  # noqa: E402
from pipeline.translate.ray_engine import LOCAL_OBJECT_STORE_BYTES, translate_batches  # noqa: E402
from pipeline.translate.tiny import TINY, MarianShape, build_marian, corpus_lines  # noqa: E402

ALIGN_WORK = ROOT / "outputs" / ".bench-ray"
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


def start_ray(cpus: int) -> None:
    import ray

    ray.init(
        num_cpus=cpus,
        include_dashboard=False,
        object_store_memory=LOCAL_OBJECT_STORE_BYTES,
        log_to_driver=False,
        logging_level=logging.WARNING,
    )


def bench_translate(args: argparse.Namespace) -> None:
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
        start_ray(args.cpus)
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


def dev_run(args: argparse.Namespace) -> Config:
    """The dev set segmented and translated (its real MT) under ``outputs/.bench-ray``: align's input."""
    from bench_corpus import build_corpus, import_mt
    from devset import DevSet, dev_dir

    dev = DevSet(args.dev or dev_dir(), "all")
    build_corpus(dev, 1, "en", args.system, ALIGN_WORK)
    translations = ALIGN_WORK / f"{args.system}.jsonl"
    if not translations.exists():
        import_mt(ALIGN_WORK / f"{args.system}.segments.jsonl", ALIGN_WORK / "ja", translations)
    config = load_config(
        ROOT / "configs" / "default.yaml",
        [
            f"input.path={ALIGN_WORK / 'ja'}",
            f"reference.path={ALIGN_WORK / 'en'}",
            "reference.from_input=false",
            "translate.backend=file",
            f"translate.file={translations}",
            f"run.output_dir={ALIGN_WORK}",
            "run.name=run",
        ],
    )
    run_stages(config, ["segment", "translate"], resume=True)
    return config


def timed_align(config: Config, run: RunSection) -> tuple[float, float, bytes]:
    """Wall and CPU seconds (this process and its descendants) of the align stage on ``config``'s run
    directory under ``run``, and what it wrote."""
    ctx = RunContext(config.model_copy(update={"run": run}), config.run_dir)
    cpu, started = tree_cpu_seconds(os.getpid()), time.perf_counter()
    AlignStage().run(ctx)
    seconds, cpu = time.perf_counter() - started, tree_cpu_seconds(os.getpid()) - cpu
    return seconds, cpu, ctx.path(ALIGNMENT).read_bytes()


def bench_align(args: argparse.Namespace) -> None:
    import ray

    config = dev_run(args)
    base = config.run
    print(f"align: the WMT21 dev set ({args.system} MT), {os.cpu_count()} cores here, load {os.getloadavg()[0]:.1f}")
    local = base.model_copy(update={"engine": "local", "workers": 1})
    results: dict[str, list[tuple[float, float, bytes]]] = {"local, 1 process": [timed_align(config, local)]}
    for _ in range(args.repeat):  # alternating 1, 2, 1, 2, …: a change of the machine's load hits both
        for cpus in (1, 2):
            start_ray(cpus)
            try:
                run = base.model_copy(update={"engine": "ray"})
                results.setdefault(f"ray, {cpus} worker(s)", []).append(timed_align(config, run))
            finally:
                ray.shutdown()
    best = {name: min(s for s, _, _ in runs) for name, runs in results.items()}
    one = best["ray, 1 worker(s)"]
    print(f"{'engine':<18} {'align wall s (each run)':>24} {'CPU s (each run)':>20} {'best':>7} {'vs ray x1':>10}")
    for name, runs in results.items():
        each, cpu = ", ".join(f"{s:.2f}" for s, _, _ in runs), ", ".join(f"{c:.1f}" for _, c, _ in runs)
        print(f"{name:<18} {each:>24} {cpu:>20} {best[name]:7.2f} {best[name] / one:10.2f}")
    outputs = {out for runs in results.values() for _, _, out in runs}
    assert len(outputs) == 1, "the engines wrote different alignments"
    print(f"ray 2 workers / 1 (best): {best['ray, 2 worker(s)'] / one:.2f} of the time; identical alignment.jsonl")
    print(f"load average after: {os.getloadavg()[0]:.1f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--part", choices=["translate", "align", "all"], default="all")
    parser.add_argument("--shape", choices=["tiny", "mid"], default="mid")
    parser.add_argument("--sentences", type=int, default=96)
    parser.add_argument("--batch-size", type=int, default=4, help="translate.max_batch_size (a chunk is 4x this)")
    parser.add_argument("--cpus", type=int, default=2, help="CPUs of the local Ray (translation)")
    parser.add_argument("--dev", type=Path, default=None, help="the wmt21-ja-en folder (default: $JAEN_DEV_DIR)")
    parser.add_argument("--system", default="Online-B", help="MT system of the dev set's mt/ folder (align)")
    parser.add_argument("--repeat", type=int, default=1, help="align runs per Ray size, alternating 1 and 2 workers")
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING)
    if args.part in ("translate", "all"):
        bench_translate(args)
    if args.part in ("align", "all"):
        bench_align(args)


if __name__ == "__main__":
    main()
