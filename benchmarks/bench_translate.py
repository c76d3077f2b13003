"""Translation speed: naive loop vs the ``hf`` and ``ct2`` backends vs raw CTranslate2 (a benchmark, not a test).

Builds offline a random MarianMT of opus-mt-ja-en's exact shape (``pipeline.translate.tiny.FULL``;
random weights, so only speed means anything), converts it to CTranslate2, and on the same Japanese
sentences of varied length from ``data/seed_ja.txt`` times, at 6 beams and greedy:

  (a) naive: one ``model.generate`` per sentence (transformers, inference mode);
  (b) hf:    the ``hf`` backend's ``translate`` on the whole list (length-sorted batches);
  (c) ct2:   the ``ct2`` backend (int8) ``translate`` on the whole list (tokenize, batch, decode);
  (d) raw:   one CTranslate2 ``translate_batch`` call (int8) on the pre-tokenized input.

Every sentence's output length is fixed (end of sentence forbidden until the cap), so every variant
does identical decoding work; tokens/s counts the decoder steps each variant actually made. The
naive loop may run on a subset (``--naive-n``); its rate is still tokens/s of identical per-sentence
work. Peak RSS of a ct2 int8 run is measured in a child process of its own.

    python benchmarks/bench_translate.py            # a few minutes on 2 cores
    python benchmarks/bench_translate.py --n 64 --tokens 24 --naive-n 8 --rounds 2
    python benchmarks/bench_translate.py --dtypes-only --beams 1   # CPU: half precision vs float32

With ``--device cuda`` (defaults: 1,024 sentences, 32 steps each, naive loop on 32) it prints, per
beam count, tokens/s of the naive loop, the ``hf`` defaults (auto batch plan, auto dtype), a grid of
batch sizes, each dtype (with its agreement with float32) and ct2 on CUDA where its libraries load;
the ratio of the defaults to the best grid point, the card's name and the peak GPU memory of each
variant. Estimated at about 3 minutes on an H100 (not yet run on one):

    python benchmarks/bench_translate.py --device cuda
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

EXPECTED = {  # Helsinki-NLP/opus-mt-ja-en's config.json
    "encoder_layers": 6,
    "decoder_layers": 6,
    "d_model": 512,
    "encoder_attention_heads": 8,
    "decoder_attention_heads": 8,
    "encoder_ffn_dim": 2048,
    "decoder_ffn_dim": 2048,
    "vocab_size": 60716,
    "activation_function": "swish",
}


def peak_rss_mb() -> float:
    """This process's peak resident set (VmHWM: unlike ru_maxrss, not inherited from the parent)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def sentences(n: int) -> list[str]:
    from pipeline.config import SegmentSection
    from pipeline.io import read_text
    from pipeline.segment import rules  # noqa: F401
    from pipeline.segment.base import segmenters

    segmenter = segmenters.get("rules")(SegmentSection())
    found = [
        s.text for s in segmenter.segment(read_text(REPO / "data" / "seed_ja.txt")).to_sentences() if s.lang == "ja"
    ]
    return [found[i % len(found)] for i in range(n)]  # the seed's sentences, repeated where n is larger


def build(models: Path) -> tuple[Path, Path]:
    from pipeline.translate.ct2 import convert_ct2, read_marker
    from pipeline.translate.tiny import FULL, build_marian

    hf_dir, ct2_dir = models / "full-marian", models / "full-marian-ct2"
    if not (hf_dir / "model.safetensors").is_file():
        print(f"building the full-size random model at {hf_dir} …", flush=True)
        build_marian(hf_dir, FULL)
    config = json.loads((hf_dir / "config.json").read_text())
    wrong = {k: (config.get(k), v) for k, v in EXPECTED.items() if config.get(k) != v}
    if wrong:
        raise SystemExit(f"model shape differs from opus-mt-ja-en: {wrong}")
    if read_marker(ct2_dir) is None:
        print(f"converting to CTranslate2 at {ct2_dir} …", flush=True)
        convert_ct2(str(hf_dir), ct2_dir, force=True)
    return hf_dir, ct2_dir


def section(
    hf_dir: Path, ct2_dir: Path, beams: int, tokens: int, threads: int, backend: str, device: str = "cpu", **extra
):
    from pipeline.config import TranslateSection

    # min_new_tokens = tokens - 1 and a cap of `tokens` new tokens (the last one the forced end
    # token): every sentence is decoded for exactly `tokens` steps in transformers, `tokens - 1`
    # in CTranslate2 (which stops at its cap without emitting the end token).
    return TranslateSection(
        backend=backend,
        model=str(hf_dir),
        ct2_dir=ct2_dir,
        num_beams=beams,
        min_new_tokens=tokens - 1,
        max_new_tokens_min=tokens,
        max_new_tokens_ratio=1e-6,
        threads=threads,
        device=device,
        cache=False,
        **extra,
    )


def agreement(outputs: list[str], reference: list[str]) -> tuple[float, float]:
    """Share of outputs identical to the float32 ones, and chrF of the outputs against them."""
    import sacrebleu

    same = sum(a == b for a, b in zip(outputs, reference)) / len(reference)
    return same, sacrebleu.corpus_chrf(outputs, [reference]).score


def dtype_rows(
    hf_dir: Path,
    ct2_dir: Path,
    texts: list[str],
    beams: int,
    tokens: int,
    threads: int,
    device: str,
    dtypes: tuple[str, ...] = ("float32", "bfloat16", "float16"),
) -> list[tuple[str, float, float, float]]:
    """Per dtype of the hf backend: tokens/s and agreement with float32 (identical share, chrF)."""
    from pipeline.translate.hf import HFTranslator

    rows, reference = [], None
    for dtype in dtypes:
        translator = HFTranslator(section(hf_dir, ct2_dir, beams, tokens, threads, "hf", device, dtype=dtype))
        translator.translate(texts[:2])
        outputs, (wall, _) = timed(lambda: translator.translate(texts))
        reference = outputs if reference is None else reference
        same, chrf = agreement(outputs, reference)
        rows.append((dtype, hf_steps(translator, texts) / wall, same, chrf))
        print(
            f"  beams={beams} {dtype}: {rows[-1][1]:.1f} tok/s, identical to float32 {same:.1%}, chrF {chrf:.1f}",
            flush=True,
        )
        translator = None  # free the model before the next dtype loads
    return rows


def timed(fn):
    """``fn()``'s result and its (wall, process CPU) seconds: CPU seconds are what a variant cost
    even when other people's jobs share the cores (all threads, ours and the libraries', count)."""
    wall, cpu = time.perf_counter(), time.process_time()
    out = fn()
    return out, (time.perf_counter() - wall, time.process_time() - cpu)


def run_naive(translator, texts: list[str]) -> tuple[int, float]:
    import torch

    model, tok = translator.model, translator.tokenizer
    steps = 0
    wall, cpu = time.perf_counter(), time.process_time()
    for text in texts:
        enc = tok([text], return_tensors="pt", truncation=False).to(model.device)
        with torch.inference_mode():
            out = model.generate(**enc, max_length=None, **translator.generation_kwargs(enc["input_ids"].shape[1]))
        tok.batch_decode(out, skip_special_tokens=True)
        steps += out.shape[1] - 1  # decoder start token excluded, end token included
    return steps, (time.perf_counter() - wall, time.process_time() - cpu)


def hf_steps(translator, texts: list[str]) -> int:
    """Decoder steps the hf backend makes per sentence (identical for all, by construction)."""
    return len(texts) * translator.generation.max_new_tokens(0)


def ct2_steps(texts: list[str], tokens: int) -> int:
    return len(texts) * (tokens - 1)


def rss_child(hf_dir: Path, ct2_dir: Path, beams: int, tokens: int, threads: int, n: int) -> None:
    from pipeline.translate.ct2 import CT2Translator

    texts = sentences(n)
    translator = CT2Translator(section(hf_dir, ct2_dir, beams, tokens, threads, "ct2"))
    out = translator.translate(texts)
    assert len(out) == len(texts)
    print(json.dumps({"peak_rss_mb": round(peak_rss_mb(), 1), "compute_type": translator.model.compute_type}))


GRID = (32, 64, 128, 256, 512)  # sentences per generate call (no token limit: 512 tokens each)


def cuda_timed(fn):
    """``fn()``'s result, its wall seconds and the peak GPU memory (GB) torch allocated meanwhile."""
    import torch

    torch.cuda.synchronize()
    torch.cuda.reset_peak_memory_stats()
    out, (wall, _) = timed(fn)
    torch.cuda.synchronize()
    return out, wall, torch.cuda.max_memory_allocated() / 1e9


def alternating(names: list[str], rounds: int):
    """Each name once per round, the order reversed every other round, so that load drifts hit every variant."""
    for round_ in range(rounds):
        yield from (names if round_ % 2 == 0 else list(reversed(names)))


def cuda_grid(args: argparse.Namespace, hf, texts: list[str]) -> tuple[dict[str, float], dict[str, float]]:
    """tokens/s and peak GPU memory of the naive loop, the ``hf`` defaults and each grid batch size."""
    import dataclasses

    default_plan = hf.batch_plan

    def with_plan(plan):
        def run():
            hf.batch_plan = plan
            return hf.translate(texts)

        return run

    variants = {"defaults": with_plan(default_plan)}
    for size in GRID:
        variants[f"batch {size}"] = with_plan(
            dataclasses.replace(
                default_plan, max_batch_size=size, max_batch_tokens=size * hf.model_positions, source="grid"
            )
        )
    best: dict[str, tuple[float, float]] = {}
    for name in alternating(list(variants), args.rounds):
        _, wall, peak = cuda_timed(variants[name])
        old = best.get(name, (wall, peak))
        best[name] = (min(old[0], wall), max(old[1], peak))
    hf.batch_plan = default_plan
    steps = hf_steps(hf, texts)
    naive_texts = texts[: args.naive_n]
    (naive_steps, (naive_wall, _)), _, naive_peak = cuda_timed(lambda: run_naive(hf, naive_texts))
    rates = {"naive": naive_steps / naive_wall, **{k: steps / w for k, (w, _) in best.items()}}
    peaks = {"naive": naive_peak, **{k: p for k, (_, p) in best.items()}}
    return rates, peaks


def cuda_ct2(args: argparse.Namespace, hf_dir: Path, ct2_dir: Path, texts: list[str], beams: int) -> dict[str, float]:
    """tokens/s of the ``ct2`` backend on CUDA per compute type, where its CUDA libraries load."""
    from pipeline.errors import JaenError
    from pipeline.translate.ct2 import CT2Translator

    rates = {}
    for compute in ("int8_float16", "float16"):
        try:
            ct2 = CT2Translator(section(hf_dir, ct2_dir, beams, args.tokens, 0, "ct2", "cuda", compute_type=compute))
        except JaenError as exc:
            print(f"  beams={beams} ct2 {compute}: not run: {exc}", flush=True)
            break
        ct2.translate(texts[:2])
        _, (wall, _) = timed(lambda: ct2.translate(texts))
        rates[compute] = ct2_steps(texts, args.tokens) / wall
        print(
            f"  beams={beams} ct2 {compute}: {rates[compute]:.0f} tok/s (plan {ct2.batch_plan.as_dict()})", flush=True
        )
        ct2 = None
    return rates


def main_cuda(args: argparse.Namespace, hf_dir: Path, ct2_dir: Path) -> None:
    import torch

    from pipeline.translate.hf import HFTranslator

    texts = sentences(args.n)
    card = torch.cuda.get_device_name()
    print(
        f"{card}; {len(texts)} sentences ({len(set(texts))} distinct, {min(map(len, texts))}–{max(map(len, texts))} "
        f"characters), {args.tokens} decoder steps each; naive loop on {min(args.naive_n, len(texts))}; best of "
        f"{args.rounds} alternating rounds",
        flush=True,
    )
    summary = []
    for beams in args.beams:
        hf = HFTranslator(section(hf_dir, ct2_dir, beams, args.tokens, 0, "hf", "cuda"))
        print(f"beams={beams}: defaults dtype {hf.dtype}, plan {hf.batch_plan.as_dict()}", flush=True)
        hf.translate(texts[:2])
        rates, peaks = cuda_grid(args, hf, texts)
        for name, rate in rates.items():
            print(f"  beams={beams} {name}: {rate:.0f} tok/s, peak {peaks[name]:.1f} GB", flush=True)
        hf = None  # free the model before the next beam setting
        torch.cuda.empty_cache()
        dtypes = dtype_rows(hf_dir, ct2_dir, texts, beams, args.tokens, 0, "cuda")
        summary.append((beams, rates, peaks, dtypes, cuda_ct2(args, hf_dir, ct2_dir, texts, beams)))
        torch.cuda.empty_cache()
    print_cuda_summary(card, len(texts), args.tokens, summary)


def print_cuda_summary(card: str, n: int, tokens: int, summary: list) -> None:
    print()
    print(
        f"{card}, backend hf, {n} sentences × {tokens} steps, target tokens per second "
        "(peak GPU memory allocated by torch):"
    )
    print(
        "| beams | naive | defaults | "
        + " | ".join(f"batch {s}" for s in GRID)
        + " | defaults / best | defaults / naive |"
    )
    print("|---" * (len(GRID) + 5) + "|")
    for beams, rates, peaks, _, _ in summary:
        grid_best = max(rates[f"batch {s}"] for s in GRID)
        cells = " | ".join(
            f"{rates[k]:,.0f} ({peaks[k]:.1f} GB)" for k in ["naive", "defaults", *(f"batch {s}" for s in GRID)]
        )
        print(f"| {beams} | {cells} | {rates['defaults'] / grid_best:.2f} | {rates['defaults'] / rates['naive']:.1f} |")
    print()
    print("| beams | dtype | tok/s | identical to float32 | chrF vs float32 |")
    print("|---|---|---|---|---|")
    for beams, _, _, dtypes, _ in summary:
        for dtype, rate, same, chrf in dtypes:
            print(f"| {beams} | {dtype} | {rate:,.0f} | {same:.1%} | {chrf:.1f} |")
    for beams, _, _, _, ct2_rates in summary:
        if ct2_rates:
            print(f"ct2 on CUDA, beams={beams}: " + ", ".join(f"{k} {v:,.0f} tok/s" for k, v in ct2_rates.items()))
    for beams, rates, _, _, _ in summary:
        grid_best = max(rates[f"batch {s}"] for s in GRID)
        verdict = {"defaults >= 0.9x best grid point": rates["defaults"] / grid_best >= 0.9}
        if beams == 6:
            verdict["defaults >= 50x naive"] = rates["defaults"] / rates["naive"] >= 50
        print_verdict(f"targets at {beams} beam(s)", verdict)


def print_verdict(title: str, verdict: dict[str, bool]) -> None:
    print(f"{title}: " + ", ".join(f"{k}: {'met' if ok else 'MISSED'}" for k, ok in verdict.items()))


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--device", choices=["cpu", "cuda"], default="cpu")
    parser.add_argument("--n", type=int, default=None, help="sentences (from data/seed_ja.txt; cpu 64, cuda 1024)")
    parser.add_argument(
        "--naive-n", type=int, default=None, help="sentences the slow naive loop times (cpu 8, cuda 32)"
    )
    parser.add_argument("--tokens", type=int, default=None, help="decoder steps per sentence (cpu 24, cuda 32)")
    parser.add_argument(
        "--dtypes-only",
        action="store_true",
        help="only the dtype comparison (tokens/s, agreement with float32) on this device",
    )
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--rounds", type=int, default=2, help="timings per variant (best kept), order alternated")
    parser.add_argument("--beams", type=int, nargs="+", default=[6, 1])
    parser.add_argument("--models", type=Path, default=REPO / "models" / "bench")
    parser.add_argument("--rss-child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    cuda = args.device == "cuda"
    args.n = args.n or (1024 if cuda else 64)
    args.naive_n = args.naive_n or (32 if cuda else 8)
    args.tokens = args.tokens or (32 if cuda else 24)
    return args


def main() -> None:
    args = parse_args()
    import logging

    logging.basicConfig(level=logging.WARNING)
    from transformers.utils import logging as hf_logging

    hf_logging.set_verbosity_error()
    hf_logging.disable_progress_bar()
    hf_dir, ct2_dir = build(args.models)
    if args.rss_child:
        rss_child(hf_dir, ct2_dir, args.beams[0], args.tokens, args.threads, args.n)
    elif args.dtypes_only:
        print(
            f"{args.device}: {args.n} sentences, {args.tokens} decoder steps each, {args.threads} threads", flush=True
        )
        for beams in args.beams:
            dtype_rows(hf_dir, ct2_dir, sentences(args.n), beams, args.tokens, args.threads, args.device)
    elif args.device == "cuda":
        main_cuda(args, hf_dir, ct2_dir)
    else:
        main_cpu(args, hf_dir, ct2_dir)


def main_cpu(args: argparse.Namespace, hf_dir: Path, ct2_dir: Path) -> None:
    import ctranslate2
    import torch

    torch.set_num_threads(args.threads)
    texts = sentences(args.n)
    naive_texts = texts[:: max(1, len(texts) // args.naive_n)][: args.naive_n]
    print(
        f"{len(texts)} sentences ({min(map(len, texts))}–{max(map(len, texts))} characters), "
        f"{args.tokens} decoder steps each; naive loop on {len(naive_texts)} of them; "
        f"{args.threads} threads; best of {args.rounds} alternating rounds; "
        f"cpu count {os.cpu_count()}, load average {os.getloadavg()[0]:.2f}",
        flush=True,
    )
    raw = ctranslate2.Translator(
        str(ct2_dir), device="cpu", compute_type="int8", inter_threads=1, intra_threads=args.threads
    )
    rows = [cpu_row(args, hf_dir, ct2_dir, raw, texts, naive_texts, beams) for beams in args.beams]
    print_cpu_summary(args, rows, rss_of_child(args))


def cpu_row(args, hf_dir: Path, ct2_dir: Path, raw, texts: list[str], naive_texts: list[str], beams: int):
    """(beams, tokens per wall second, tokens per CPU second) of the naive loop, hf, ct2 and raw CTranslate2."""
    from pipeline.translate.ct2 import CT2Translator
    from pipeline.translate.hf import HFTranslator

    hf = HFTranslator(section(hf_dir, ct2_dir, beams, args.tokens, args.threads, "hf"))
    ct2 = CT2Translator(section(hf_dir, ct2_dir, beams, args.tokens, args.threads, "ct2"))
    tokenized = [ct2.source_tokens(t) for t in texts]
    for warm in (lambda: hf.translate(texts[:2]), lambda: ct2.translate(texts[:2])):
        warm()
    kwargs = ct2.decoding_kwargs(0)

    def raw_run():
        out, seconds = timed(
            lambda: raw.translate_batch(tokenized, max_batch_size=ct2.batch_plan.max_batch_size, **kwargs)
        )
        return sum(len(r.hypotheses[0]) for r in out), seconds

    variants = {
        "naive": lambda: run_naive(hf, naive_texts),
        "hf": lambda: (hf_steps(hf, texts), timed(lambda: hf.translate(texts))[1]),
        "ct2": lambda: (ct2_steps(texts, args.tokens), timed(lambda: ct2.translate(texts))[1]),
        "raw": raw_run,
    }
    best: dict[str, tuple[float, float]] = {}
    steps: dict[str, int] = {}
    for name in alternating(list(variants), args.rounds):
        steps[name], seconds = variants[name]()
        old = best.get(name, seconds)
        best[name] = (min(old[0], seconds[0]), min(old[1], seconds[1]))
    assert steps["raw"] == ct2_steps(texts, args.tokens), (steps["raw"], ct2_steps(texts, args.tokens))
    assert steps["naive"] == hf_steps(hf, naive_texts), (steps["naive"], hf_steps(hf, naive_texts))
    rates = {name: steps[name] / best[name][0] for name in variants}
    cpu_rates = {name: steps[name] / best[name][1] for name in variants}
    print(
        f"beams={beams}: "
        + "  ".join(f"{k} {v:.1f} tok/s ({cpu_rates[k]:.1f} per CPU-s)" for k, v in rates.items())
        + f"  (load avg {os.getloadavg()[0]:.2f})",
        flush=True,
    )
    return beams, rates, cpu_rates


def rss_of_child(args: argparse.Namespace) -> dict:
    """Peak RSS of a ct2 int8 full-size run at 6 beams, in a process of its own."""
    command = [sys.executable, __file__, "--rss-child", "--n", str(args.n), "--tokens", str(args.tokens)]
    command += ["--threads", str(args.threads), "--beams", "6", "--models", str(args.models)]
    child = subprocess.run(command, capture_output=True, text=True, check=True)
    return json.loads(child.stdout.strip().splitlines()[-1])


def print_cpu_summary(args: argparse.Namespace, rows: list, rss: dict) -> None:
    for title, column in (
        ("Per wall-clock second (what a user waits):", 1),
        ("Per CPU second of this process (robust to other jobs on the cores; spin-waiting threads count):", 2),
    ):
        unit = " tok/s" if column == 1 else ""
        print()
        print(title)
        print(
            f"| beams | naive{unit} (a) | hf{unit} (b) | ct2 int8{unit} (c) | raw ct2 int8{unit} (d) "
            "| b/a | c/a | c/d |"
        )
        print("|---|---|---|---|---|---|---|---|")
        for row in rows:
            r = row[column]
            print(
                f"| {row[0]} | {r['naive']:.1f} | {r['hf']:.1f} | {r['ct2']:.1f} | {r['raw']:.1f} | "
                f"{r['hf'] / r['naive']:.2f} | {r['ct2'] / r['naive']:.2f} | {r['ct2'] / r['raw']:.2f} |"
            )
    print()
    print(
        f"peak RSS of a ct2 {rss['compute_type']} full-size run (own process, {args.n} sentences, 6 beams): "
        f"{rss['peak_rss_mb']:.0f} MB"
    )
    print(f"peak RSS of this process (transformers model + ct2 models): {peak_rss_mb():.0f} MB")
    for beams, r, c in rows:
        if beams != 6:
            continue
        for name, rates in (("wall clock", r), ("CPU seconds", c)):
            verdict = {
                "ct2 >= 10x naive": rates["ct2"] / rates["naive"] >= 10,
                "ct2 >= 0.9x raw": rates["ct2"] / rates["raw"] >= 0.9,
                "hf >= 3x naive": rates["hf"] / rates["naive"] >= 3,
            }
            if rates is r:
                verdict["ct2 int8 peak RSS <= 1 GB"] = rss["peak_rss_mb"] <= 1024
            print_verdict(f"targets at 6 beams ({name})", verdict)


if __name__ == "__main__":
    main()
