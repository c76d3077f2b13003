"""Align speed on real text, old code against new, and proof that the beads are the same.

    python benchmarks/bench_align_dev.py                   # old: the tree of --old (a git revision)
    python benchmarks/bench_align_dev.py --old 29bcd51     # the commit before the chrF/lexicon caches
    python benchmarks/bench_align_dev.py --profile         # and where the new code spends its time
    python benchmarks/bench_align_dev.py --repeat 3        # each tree 3 times, alternated: the fastest runs
    python benchmarks/bench_align_dev.py --cold            # each run with an empty gloss memo (a first run)
    python benchmarks/bench_align_dev.py --built           # a first run after `jaen lexicon build`

Inputs (prepared once with the pipeline's own stages, kept under ``outputs/.bench-align-dev``):

* ``wmt21-full`` / ``wmt21-partial`` — the whole WMT21 dev set (both halves, 81 documents) segmented
  by the segment stage, against ``en/`` and ``en_partial/``, with real MT (``mt/Online-B.jsonl``
  mapped onto our sentences by the code of ``jaen translations import``, as ``eval_quality.py`` does);
* ``seed`` — ``configs/smoke.yaml`` on ``data/seed_ja.txt`` (segment and translate, tiny model);
* ``wmt23-full`` / ``wmt23-partial`` — the WMT23 dev set (100 blocks, many domains) likewise.

Each setting is aligned in a fresh process per tree (``git archive`` of ``--old`` in a temporary
folder, and this working tree), on one core, as the align stage does (the configured aligner per
document, ``order_gaps``), and the beads are written as alignment.jsonl is. Prints seconds per
source sentence old and new side by side (CPU time of the aligning process, which a busy machine
disturbs less than wall time; the wall time follows in brackets), the ratio of the CPU times, and
whether the two files are byte-identical. With ``--repeat N`` each tree runs N times, old and new
alternated, and the fastest run of each is shown (the ratio of those, then each pair's ratio): the
least disturbed by the rest of a busy machine. Setup (loading fugashi, pykakasi and the dictionary) is
timed apart. With ``--built`` the dictionary table is built once (``jaen lexicon build`` of this tree,
its time and size printed) and each run's user cache holds it alone: a machine's first run after the
build (the old tree has no table: its runs are cold). ``--profile`` profiles a run of the same kind.
"""

from __future__ import annotations

import argparse
import contextlib
import cProfile
import json
import logging
import os
import pstats
import resource
import shutil
import subprocess
import sys
import tarfile
import tempfile
import time
from io import BytesIO
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WORK = ROOT / "outputs" / ".bench-align-dev"
SETTINGS = ("wmt21-full", "wmt21-partial", "seed", "wmt23-full", "wmt23-partial")
DEFAULT_OLD = "29bcd51"  # the last commit before the per-sentence chrF statistics and the gloss index


# --- inputs (this tree's stages) ----------------------------------------------------------------------
def prepare(settings: list[str]) -> Path:
    """Per setting, per document: source sentences, their translations, reference sentences (the
    settings not prepared yet are added to ``inputs.json``)."""
    path = WORK / "inputs.json"
    out: dict[str, list[dict]] = json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}
    missing = [s for s in settings if s not in out]
    if not missing:
        return path
    sys.path.insert(0, str(ROOT))
    sys.path.insert(0, str(ROOT / "benchmarks"))
    from pipeline.io import write_json

    for name in missing:
        out[name] = _seed() if name == "seed" else _dev(*name.split("-"))
    write_json(path, out)
    return path


def _dev(dev_set: str, kind: str) -> list[dict]:
    """A dev set (``wmt21``, ``wmt23``) segmented by the segment stage, against its full or partial
    references, with real MT mapped onto our sentences."""
    from devset import WMT21, WMT23, DevSet, dev_dir
    from eval_quality import Docs, real_mt

    from pipeline.config import load_config
    from pipeline.runner import run_stages

    dev = DevSet(dev_dir(WMT21 if dev_set == "wmt21" else WMT23), "all")
    inputs = WORK / ("input-all" if dev_set == "wmt21" else f"input-{dev_set}")
    inputs.mkdir(parents=True, exist_ok=True)
    for doc in dev.docs:
        if not (inputs / f"{doc}.txt").exists():
            (inputs / f"{doc}.txt").symlink_to(dev.path("ja", doc))
    refs = "en" if kind == "full" else "en_partial"
    run = refs if dev_set == "wmt21" else f"{dev_set}-{refs}"  # the WMT21 runs keep their first names
    overrides = [f"input.path={inputs}", f"reference.path={dev.root / refs}", f"run.output_dir={WORK / 'runs'}"]
    cfg = load_config(ROOT / "configs" / "smoke.yaml", [*overrides, f"run.name={run}"])
    pairs = _pairs(run_stages(cfg, ["segment"], resume=True))
    mt = real_mt(dev, Docs(pairs, {}), "Online-B")
    return [_doc(src, [mt.get(s.seg_id, "") for s in src], ref) for src, ref in pairs]


def _seed() -> list[dict]:
    """``configs/smoke.yaml`` on the seed page: segment and translate (tiny model)."""
    from pipeline.config import load_config
    from pipeline.io import read_records
    from pipeline.records import Translation
    from pipeline.runner import run_stages

    cfg = load_config(
        ROOT / "configs" / "smoke.yaml", [f"run.output_dir={WORK / 'runs'}", f"translate.model={WORK / 'tiny-marian'}"]
    )
    run_dir = run_stages(cfg, ["segment", "translate"], resume=True)
    tr = {t.seg_id: t.translation for t in read_records(run_dir / "translations.jsonl", Translation)}
    pairs = _pairs(run_dir)
    return [_doc(src, [tr.get(s.seg_id, "") for s in src], ref) for src, ref in pairs]


def _pairs(run_dir: Path) -> list:
    """(source sentences, reference sentences) per document of a run's ``sentences.jsonl``."""
    from pipeline.align.stage import by_document
    from pipeline.io import read_records
    from pipeline.records import Sentence

    sentences = read_records(run_dir / "sentences.jsonl", Sentence)
    return by_document([s for s in sentences if s.lang == "ja"], [s for s in sentences if s.lang == "en"])


def _doc(src: list, mt: list[str], ref: list) -> dict:
    return {"src": [s.to_dict() for s in src], "mt": mt, "ref": [r.to_dict() for r in ref]}


# --- one tree, one setting (a fresh process) ----------------------------------------------------------
def worker(tree: Path, inputs: Path, setting: str, out: Path, profile: Path | None) -> None:
    """Align one setting with the pipeline of ``tree``; print {setup, align (CPU seconds), wall, sentences}."""
    sys.path.insert(0, str(tree))
    logging.basicConfig(level=logging.ERROR)
    from pipeline.align.base import aligners
    from pipeline.align.lexicon import japanese
    from pipeline.align.stage import order_gaps
    from pipeline.align.translit import _converter
    from pipeline.config import load_config
    from pipeline.records import Sentence

    assert Path(sys.modules["pipeline"].__file__).resolve().is_relative_to(tree.resolve()), "wrong pipeline"
    docs = json.loads(inputs.read_text(encoding="utf-8"))[setting]
    cfg = load_config(tree / "configs" / "smoke.yaml").align
    t = time.perf_counter()
    japanese("東京でテストの会見")  # loads the tagger, opens the dictionary, loads pykakasi (a katakana word)
    _converter()  # pykakasi, where the dictionary table held テスト's romaji
    setup = time.perf_counter() - t
    aligner = aligners.get(cfg.method, "align.method")(cfg)
    prof = cProfile.Profile(time.process_time) if profile else None
    lines: list[str] = []
    t, cpu = time.perf_counter(), time.process_time()
    for doc in docs:
        src = [Sentence.from_dict(s) for s in doc["src"]]
        ref = [Sentence.from_dict(r) for r in doc["ref"]]
        position = {s.seg_id: i for i, s in enumerate([*src, *ref])}
        if prof:
            prof.enable()
        beads = aligner.align(src, doc["mt"], ref)
        if prof:
            prof.disable()
        lines += [json.dumps(b.to_dict(), ensure_ascii=False) + "\n" for b in order_gaps(beads, position)]
    elapsed, cpu = time.perf_counter() - t, time.process_time() - cpu
    out.write_text("".join(lines), encoding="utf-8")
    if prof and profile:
        prof.dump_stats(str(profile))
    sentences = sum(len(d["src"]) for d in docs)
    print(json.dumps({"setup": setup, "align": cpu, "wall": elapsed, "sentences": sentences}))


def run_worker(
    tree: Path,
    inputs: Path,
    setting: str,
    out: Path,
    profile: Path | None = None,
    cold: bool = False,
    table: Path | None = None,
) -> dict:
    """One worker process; ``cold``: with an empty user cache (the lexicon's gloss memo), as on a first run;
    ``table``: with a user cache holding this built dictionary table alone (a first run after the build)."""
    cmd = [sys.executable, __file__, "--worker", str(tree), str(inputs), setting, str(out)]
    if profile:
        cmd += ["--profile-out", str(profile)]
    fresh = cold or table is not None
    with tempfile.TemporaryDirectory() if fresh else contextlib.nullcontext() as cache:
        if table is not None:
            _link(table, Path(cache) / "jaen" / table.name)
        env = {**os.environ, "XDG_CACHE_HOME": cache} if fresh else None
        done = subprocess.run(cmd, capture_output=True, text=True, cwd=tree, env=env)
    if done.returncode:
        raise SystemExit(f"worker ({tree}, {setting}) failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def _link(table: Path, to: Path) -> None:
    """``table`` at ``to`` (a hard link where it can be: the table is never written in place)."""
    to.parent.mkdir(parents=True)
    try:
        os.link(table, to)
    except OSError:
        shutil.copyfile(table, to)


def build_table(into: Path) -> Path:
    """``jaen lexicon build`` of this tree with ``into`` as the user cache; prints its time and size."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t = time.perf_counter()
    env = {**os.environ, "XDG_CACHE_HOME": str(into), "PYTHONPATH": str(ROOT)}
    cmd = [sys.executable, "-m", "pipeline", "lexicon", "build"]
    done = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT, env=env)
    if done.returncode:
        raise SystemExit(f"jaen lexicon build failed:\n{done.stderr[-3000:]}")
    wall, after = time.perf_counter() - t, resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
    (table,) = (into / "jaen").glob("*-table.sqlite")
    print(f"dictionary table built in {wall:.1f} s wall ({cpu:.1f} s CPU), {table.stat().st_size / 1e6:.1f} MB\n")
    return table


def old_tree(rev: str, into: Path) -> Path:
    """The ``pipeline`` package and configs of revision ``rev`` (git archive), unpacked in ``into``."""
    data = subprocess.run(
        ["git", "archive", "--format=tar", rev, "pipeline", "configs"], cwd=ROOT, capture_output=True, check=False
    )
    if data.returncode:
        raise SystemExit(f"--old {rev}: {data.stderr.decode().strip()}")
    with tarfile.open(fileobj=BytesIO(data.stdout)) as tar:
        tar.extractall(into, filter="data")
    return into


# --- report ------------------------------------------------------------------------------------------
def compare(
    rev: str, settings: list[str], profile: bool, repeat: int = 1, cold: bool = False, built: bool = False
) -> None:
    inputs = prepare(settings)
    with tempfile.TemporaryDirectory() as tmp:
        table = build_table(Path(tmp) / "built") if built else None
        print(f"| setting | source sentences | old CPU/sentence ({rev}) | new CPU/sentence ", end="")
        print("| old ÷ new | beads identical |")
        print("|---|---|---|---|---|---|")
        old = old_tree(rev, Path(tmp) / "old")
        for setting in settings:
            olds, news, same = _alternated(old, inputs, setting, Path(tmp), repeat, cold, table)
            a, b = min(olds, key=lambda r: r["align"]), min(news, key=lambda r: r["align"])
            n = a["sentences"]
            spread = "" if repeat == 1 else f" (runs ×{_ratios(olds, news)})"
            print(
                f"| {setting} | {n} | {_ms(a, n)} | {_ms(b, n)} | ×{a['align'] / b['align']:.1f}{spread} "
                f"| {'yes' if same else 'NO'} |"
            )
        if profile:
            stats = Path(tmp) / "new.prof"
            run_worker(ROOT, inputs, settings[0], Path(tmp) / "profiled.jsonl", stats, cold, table)
            print(f"\nProfile of the new code, {settings[0]} (align calls only), by own time:\n")
            pstats.Stats(str(stats)).sort_stats("tottime").print_stats(15)


def _alternated(
    old: Path, inputs: Path, setting: str, tmp: Path, repeat: int, cold: bool = False, table: Path | None = None
) -> tuple[list, list, bool]:
    """``repeat`` runs of the old and the new tree, alternated (a busy machine disturbs both alike);
    whether every run's beads were byte-identical."""
    olds, news, same = [], [], True
    for _ in range(repeat):
        olds.append(run_worker(old, inputs, setting, tmp / f"{setting}-old.jsonl", cold=cold, table=table))
        news.append(run_worker(ROOT, inputs, setting, tmp / f"{setting}-new.jsonl", cold=cold, table=table))
        same &= (tmp / f"{setting}-old.jsonl").read_bytes() == (tmp / f"{setting}-new.jsonl").read_bytes()
    return olds, news, same


def _ratios(olds: list[dict], news: list[dict]) -> str:
    ratios = [a["align"] / b["align"] for a, b in zip(olds, news)]
    return "/".join(f"{r:.1f}" for r in ratios)


def _ms(run: dict, n: int) -> str:
    return f"{run['align'] / n * 1000:.2f} ms ({run['wall'] / n * 1000:.2f} ms wall; setup {run['setup']:.2f} s)"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--old", default=DEFAULT_OLD, help=f"git revision of the old code (default {DEFAULT_OLD})")
    ap.add_argument("--settings", nargs="+", choices=SETTINGS, default=list(SETTINGS))
    ap.add_argument("--profile", action="store_true", help="also profile the new code on the first setting")
    ap.add_argument("--repeat", type=int, default=1, help="runs of each tree, alternated; the fastest of each is shown")
    ap.add_argument("--cold", action="store_true", help="each run with an empty gloss memo (XDG_CACHE_HOME)")
    ap.add_argument(
        "--built", action="store_true", help="build the dictionary table once; each run's user cache holds it alone"
    )
    ap.add_argument("--worker", nargs=4, metavar=("TREE", "INPUTS", "SETTING", "OUT"), help=argparse.SUPPRESS)
    ap.add_argument("--profile-out", type=Path, default=None, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.worker:
        tree, inputs, setting, out = args.worker
        worker(Path(tree), Path(inputs), setting, Path(out), args.profile_out)
        return
    compare(args.old, args.settings, args.profile, max(1, args.repeat), args.cold, args.built)


if __name__ == "__main__":
    main()
