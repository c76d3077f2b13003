"""Fault injection: kill -9 in every stage and in a sweep, a full disk, an unwritable output directory,
corrupt artifacts, manifest and cache. Each ends, after resuming, with the bitext of an uninterrupted
run, or with one line naming the file and exit status 2; never a traceback, never the loss of the
previous good result.

A "good" run A (one input) is in place when a re-run B (another input) is hurt, so every test also
checks that A survived. The reference bitexts of A and B come from uninterrupted runs; all runs
share one translation cache, so the tiny model translates each sentence once per session.
"""

from __future__ import annotations

import json
import logging
import random
import shutil
import signal
import sqlite3
import time
from dataclasses import dataclass
from pathlib import Path

import children
import pytest
import yaml
from typer.testing import CliRunner

from pipeline.artifacts import PARTIAL_DIR
from pipeline.cli import app
from pipeline.partial import KILL_ENV
from pipeline.translate.cache import TABLE

REPO = Path(__file__).resolve().parent.parent
SMOKE = str(REPO / "configs" / "smoke.yaml")
DOC_A = "北京の会談\n\n習近平国家主席は2024年5月16日に会談した。\n\nXi Jinping held talks on May 16, 2024.\n"
DOC_B = DOC_A + "\n会談は成功した。\n\nThe talks were a success.\n"
STAGES = ("segment", "translate", "align", "score", "export")
cli = CliRunner()


@dataclass
class World:
    root: Path
    model: Path
    cache: Path
    doc_a: Path
    doc_b: Path
    ref_a: Path  # uninterrupted run directories
    ref_b: Path
    fast: tuple[str, ...]  # conftest's fast overrides

    def args(self, out: Path, doc: Path, *extra: str) -> list[str]:
        return [
            SMOKE,
            f"input.path={doc}",
            f"translate.model={self.model}",
            "translate.build_tiny=false",
            f"translate.cache_dir={self.cache}",
            f"run.output_dir={out}",
            *self.fast,
            *extra,
        ]

    def good_run(self, tmp: Path) -> Path:
        """A copy of the good run A, in ``tmp/out/smoke``."""
        run_dir = tmp / "out" / "smoke"
        shutil.copytree(self.ref_a, run_dir)
        return run_dir


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory, tiny_model: Path, fast_overrides: tuple[str, ...]) -> World:
    root = tmp_path_factory.mktemp("faults")
    (root / "a.txt").write_text(DOC_A, encoding="utf-8")
    (root / "b.txt").write_text(DOC_B, encoding="utf-8")
    w = World(
        root,
        tiny_model,
        root / "cache",
        root / "a.txt",
        root / "b.txt",
        root / "ref-a" / "smoke",
        root / "ref-b" / "smoke",
        fast_overrides,
    )
    for doc, out in ((w.doc_a, root / "ref-a"), (w.doc_b, root / "ref-b")):
        result = cli.invoke(app, ["run", *w.args(out, doc)])
        assert result.exit_code == 0, result.output
    return w


def snapshot(run_dir: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(run_dir.iterdir()) if p.is_file()}


def translations(run_dir: Path) -> list[tuple[str, str]]:  # whether a row came from the cache may differ
    rows = [json.loads(line) for line in (run_dir / "translations.jsonl").read_text(encoding="utf-8").splitlines()]
    return [(r["seg_id"], r["translation"]) for r in rows]


def assert_same_bitext(run_dir: Path, ref: Path) -> None:
    for name in ("bitext.tsv", "alignment.jsonl", "scores.json"):
        assert (run_dir / name).read_bytes() == (ref / name).read_bytes(), name
    assert translations(run_dir) == translations(ref)
    manifest = json.loads((run_dir / "manifest.json").read_text())
    assert manifest["complete"] and not (run_dir / ".staging").exists()


def assert_one_line_error(stderr: str, *needles: str) -> None:
    assert "Traceback" not in stderr, stderr
    errors = [line for line in stderr.splitlines() if line.startswith("jaen: error: ")]
    assert len(errors) == 1, stderr
    for needle in needles:
        assert needle in errors[0], errors[0]


def kill_when(cmd: list[str], marker: str, delay: float) -> int:
    """Start ``jaen`` in a child process and SIGKILL it ``delay`` seconds after ``marker`` appears on stderr."""
    child = children.start(*cmd)
    try:
        for line in child.lines():
            if marker in line:
                time.sleep(delay)
                child.signal(signal.SIGKILL)
                break
    finally:
        child.kill()
        child.communicate()
    assert child.returncode is not None
    return child.returncode


@pytest.mark.parametrize("stage", STAGES)
def test_kill_9_in_each_stage_keeps_the_good_run_and_resumes(tmp_path: Path, world: World, stage: str) -> None:
    run_dir = world.good_run(tmp_path)
    before = snapshot(run_dir)
    delay = random.Random(stage).uniform(0.0, 0.3)
    code = kill_when(["run", *world.args(tmp_path / "out", world.doc_b)], f"stage {stage} …", delay)
    assert code in (-signal.SIGKILL, 0), code
    after = snapshot(run_dir)
    claimed = json.loads(after["manifest.json"]).get("complete")
    # A is untouched, or the kill hit the swap (nothing claimed), or it came after the swap (B complete)
    assert after == before or not claimed or after["bitext.tsv"] == (world.ref_b / "bitext.tsv").read_bytes(), (
        f"killed {delay:.2f}s into {stage}"
    )
    result = cli.invoke(app, ["run", *world.args(tmp_path / "out", world.doc_b)])
    assert result.exit_code == 0, result.output
    assert_same_bitext(run_dir, world.ref_b)


def test_kill_9_in_a_sweep_resumes_to_the_same_results(tmp_path: Path, world: World) -> None:
    sweep = tmp_path / "sweep.yaml"
    sweep.write_text(
        yaml.safe_dump(
            {
                "name": "faults",
                "base": SMOKE,
                "metric": "chrf",
                "overrides": [
                    f"translate.model={world.model}",
                    "translate.build_tiny=false",
                    f"translate.cache_dir={world.cache}",
                    f"run.output_dir={tmp_path}",
                    *world.fast,
                ],
                "grid": {"input.path": [str(world.doc_a), str(world.doc_b)]},
            }
        )
    )
    # within 0.3 s, as in a stage: point 2 (its translations cached) is over in about a second
    code = kill_when(["sweep", str(sweep)], "point 2/2", random.Random(2).uniform(0.0, 0.3))
    assert code in (-signal.SIGKILL, 0), code
    points = [Path(p["run_dir"]) for p in json.loads((tmp_path / "faults" / "sweep.json").read_text())["points"]]
    first = snapshot(points[0])
    result = cli.invoke(app, ["sweep", str(sweep)])
    assert result.exit_code == 0, result.output
    assert snapshot(points[0]) == first  # the finished point was kept as it was
    assert_same_bitext(points[0], world.ref_a)
    assert_same_bitext(points[1], world.ref_b)
    status = [p["status"] for p in json.loads((tmp_path / "faults" / "sweep.json").read_text())["points"]]
    assert status[0] == "kept" and status[1] in ("kept", "ran")


CITIES = [
    ("東京", "Tokyo"),
    ("大阪", "Osaka"),
    ("京都", "Kyoto"),
    ("札幌", "Sapporo"),
    ("福岡", "Fukuoka"),
    ("神戸", "Kobe"),
]


def corpus(root: Path) -> list[str]:
    """A document per city, each with its reference, and its translations as a ``translate.file``: no
    model to load, so a run in a child process takes a few seconds. Overrides of configs/smoke.yaml."""
    (root / "docs").mkdir()
    (root / "refs").mkdir()
    mt = {}
    for n, (ja, en) in enumerate(CITIES):
        source = [f"{ja}は晴れです。", f"{ja}で{n + 2}人が会った。", "明日は雨が降るでしょう。"]
        reference = [f"{en} is sunny.", f"{n + 2} people met in {en}.", "It will rain tomorrow."]
        (root / "docs" / f"d{n}.txt").write_text("\n\n".join(source), encoding="utf-8")
        (root / "refs" / f"d{n}.txt").write_text("\n\n".join(reference), encoding="utf-8")
        mt.update(zip(source, [f"{en} is fine.", f"{n + 2} people met in {en}.", "Rain tomorrow."]))
    lines = [json.dumps({"source": s, "translation": t}, ensure_ascii=False) + "\n" for s, t in mt.items()]
    (root / "mt.jsonl").write_text("".join(lines), encoding="utf-8")
    files = {"input.path": "docs", "reference.path": "refs", "translate.file": "mt.jsonl"}
    return [
        *(f"{key}={root / name}" for key, name in files.items()),
        "translate.backend=file",
        "translate.build_tiny=false",
        "export.formats=[tsv]",
        "score.bootstrap=0",
    ]


def test_kill_9_mid_align_resumes_at_the_next_document(
    tmp_path: Path, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Issue 21.7: a kill -9 after document 3 of 6 (``JAEN_KILL_AFTER``, once it is checkpointed), a torn
    line after it; the resumed run aligns documents 4 to 6 only, into the bitext of an uninterrupted run.
    (One worker: a pool's start would triple the test's time; ``tests/test_workers.py`` shows the pool
    writes what one process writes, and the resumed documents go through the same ``align_documents``.)"""
    args = [SMOKE, *corpus(tmp_path), "run.workers=1"]
    result = cli.invoke(app, ["run", *args, f"run.output_dir={tmp_path / 'ref'}"])
    assert result.exit_code == 0, result.output
    out = tmp_path / "out"
    monkeypatch.setenv(KILL_ENV, "align:3")
    code, stderr = children.run("run", *args, f"run.output_dir={out}")
    monkeypatch.delenv(KILL_ENV)
    assert code == -signal.SIGKILL, stderr
    run_dir = out / "smoke"
    with (run_dir / PARTIAL_DIR / "alignment.jsonl").open("ab") as fh:
        fh.write(b'{"src_ids": ["ja000')  # what a kill in the middle of a write leaves
    with caplog.at_level(logging.INFO, logger="pipeline"):
        result = cli.invoke(app, ["run", *args, f"run.output_dir={out}"])
    assert result.exit_code == 0, result.output
    assert "align: resuming at document 4 of 6" in caplog.text
    manifest = json.loads((run_dir / "manifest.json").read_text())
    assert manifest["last_invocation"]["ran"] == ["align", "score", "export"]
    assert manifest["stages"]["align"]["resumed_at_document"] == 4
    for name in ("alignment.jsonl", "scores.json", "bitext.tsv"):
        assert (run_dir / name).read_bytes() == (tmp_path / "ref" / "smoke" / name).read_bytes(), name
    assert not (run_dir / PARTIAL_DIR).exists() and not (run_dir / ".staging").exists()


@pytest.mark.parametrize("limit", [100, 8000])  # the first write fails / the report (10 kB) fails in export
def test_full_disk_is_one_line_and_keeps_the_good_run(tmp_path: Path, world: World, limit: int) -> None:
    run_dir = world.good_run(tmp_path)
    before = snapshot(run_dir)

    # a write past `limit` bytes fails with EFBIG, as on a full disk
    code, stderr = children.run("run", *world.args(tmp_path / "out", world.doc_b), file_size_limit=limit)
    assert code == 2, stderr
    assert_one_line_error(stderr, "File too large", str(run_dir))
    assert snapshot(run_dir) == before
    result = cli.invoke(app, ["run", *world.args(tmp_path / "out", world.doc_b)])
    assert result.exit_code == 0, result.output
    assert_same_bitext(run_dir, world.ref_b)


def test_unwritable_output_or_cache_directory_is_one_line(tmp_path: Path, world: World) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a directory")  # even root cannot make a directory under a regular file
    result = cli.invoke(app, ["run", *world.args(blocker / "out", world.doc_a)])
    assert result.exit_code == 2
    assert_one_line_error(result.output, str(blocker / "out"))
    run_dir = world.good_run(tmp_path)
    before = snapshot(run_dir)
    result = cli.invoke(app, ["run", *world.args(tmp_path / "out", world.doc_b, f"translate.cache_dir={blocker}/c")])
    assert result.exit_code == 2
    assert_one_line_error(result.output, str(blocker / "c"))
    assert snapshot(run_dir) == before


def truncate(path: Path) -> None:
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])


@pytest.mark.parametrize("damage", ["translations", "alignment", "manifest", "staging", "cache"])
def test_a_damaged_file_is_redone_on_resume(tmp_path: Path, world: World, damage: str) -> None:
    run_dir = world.good_run(tmp_path)
    cache = tmp_path / "cache"
    shutil.copytree(world.cache, cache)
    if damage in ("translations", "alignment", "manifest"):
        truncate(run_dir / f"{damage}.{'json' if damage == 'manifest' else 'jsonl'}")
    elif damage == "staging":  # what a kill in the middle of a manifest write could never leave, but a disk might
        (run_dir / ".staging" / "smoke").mkdir(parents=True)
        (run_dir / ".staging" / "smoke" / "manifest.json").write_bytes(b'{"stages": {"segment": ')
    else:  # a new run, which must translate, finds its cache unreadable
        (cache / "translations.sqlite").write_bytes(b"SQLite format 3\0" + bytes(range(256)) * 8)
        run_dir = tmp_path / "out" / "fresh"
    result = cli.invoke(
        app,
        ["run", *world.args(tmp_path / "out", world.doc_a, f"translate.cache_dir={cache}", f"run.name={run_dir.name}")],
    )
    assert result.exit_code == 0, result.output
    assert_same_bitext(run_dir, world.ref_a)
    ran = json.loads((run_dir / "manifest.json").read_text())["last_invocation"]["ran"]
    expected = {"translations": STAGES[1:], "alignment": STAGES[2:], "manifest": STAGES, "staging": (), "cache": STAGES}
    assert tuple(ran) == expected[damage]
    if damage == "cache":  # the unreadable cache was moved aside, not deleted, and a fresh one filled
        assert len(list(cache.glob("translations.sqlite.corrupt-*"))) == 1
        assert sqlite3.connect(cache / "translations.sqlite").execute(f"SELECT count(*) FROM {TABLE}").fetchone()[0]


@pytest.mark.parametrize(
    "line, message",
    [
        (b'{"seg_id": "ja00001", "translation": "x"\n', "translations.jsonl:2: invalid JSON"),
        (b'{"seg_id": "ja00001", "translation": "\xff\xfe"}\n', "translations.jsonl:2: not UTF-8"),
        (b'{"translation": "no id"}\n', "translations.jsonl:2: not a translation record"),
        (b'["a", "list"]\n', "translations.jsonl:2: expected a JSON object"),
    ],
)
def test_a_malformed_artifact_is_file_line_and_exit_2(tmp_path: Path, world: World, line: bytes, message: str) -> None:
    run_dir = world.good_run(tmp_path)
    lines = (run_dir / "translations.jsonl").read_bytes().splitlines(keepends=True)
    (run_dir / "translations.jsonl").write_bytes(lines[0] + line + b"".join(lines[2:]))
    before = snapshot(run_dir)
    result = cli.invoke(app, ["align", str(run_dir)])
    assert result.exit_code == 2, result.output
    assert_one_line_error(result.output, str(run_dir / message.split(":")[0]) + ":" + message.split(":", 1)[1])
    assert snapshot(run_dir) == before


def test_a_typo_in_the_model_keeps_every_result(tmp_path: Path, world: World) -> None:
    """Issue 12.3: a re-run whose model cannot load used to delete the run's results first."""
    run_dir = world.good_run(tmp_path)
    before = snapshot(run_dir)
    result = cli.invoke(app, ["run", *world.args(tmp_path / "out", world.doc_a, f"translate.model={world.model}x")])
    assert result.exit_code == 2
    assert_one_line_error(result.output, f"{world.model}x")
    assert snapshot(run_dir) == before and not (run_dir / ".staging").exists()


def test_build_tiny_refuses_a_non_empty_directory_without_force(tmp_path: Path) -> None:
    """Issue 12.3: `jaen models build-tiny DIR` used to delete the files in DIR."""
    target = tmp_path / "precious"
    target.mkdir()
    (target / "notes.txt").write_text("keep me")
    result = cli.invoke(app, ["models", "build-tiny", str(target)])
    assert result.exit_code == 2
    assert_one_line_error(result.output, str(target), "--force")
    assert (target / "notes.txt").read_text() == "keep me"
    empty = tmp_path / "empty"
    empty.mkdir()
    assert cli.invoke(app, ["models", "build-tiny", str(empty)]).exit_code == 0
    assert (empty / "config.json").is_file()
    assert cli.invoke(app, ["models", "build-tiny", str(target), "--force"]).exit_code == 0
    assert (target / "config.json").is_file()
    assert (target / "notes.txt").read_text() == "keep me"  # issue 24.7: --force replaces only what it wrote
    result = cli.invoke(app, ["models", "build-tiny", str(target / "notes.txt"), "--force"])
    assert result.exit_code == 2
    assert_one_line_error(result.output, str(target / "notes.txt"), "is a file, not a directory")
