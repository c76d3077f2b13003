"""One jaen process per run directory, tested with real processes: a second run, a single stage and
a sweep point on a run directory in use stop at once naming the holder; ``--wait`` waits for it; a
lock left by a killed run is taken over."""

from __future__ import annotations

import json
import os
import signal
import socket
from pathlib import Path

import children
import pytest
import yaml

from pipeline.errors import RunLockedError
from pipeline.lock import lock_paths, read_holder, run_lock

REPO = Path(__file__).resolve().parent.parent
SMOKE = str(REPO / "configs" / "smoke.yaml")
DOC = "北京の会談\n\n習近平国家主席は2024年5月16日に会談した。\n\nXi Jinping held talks on May 16, 2024.\n"
# the random tiny model rarely ends a sentence: short outputs keep every translation fast
FAST = ("translate.num_beams=1", "translate.max_new_tokens_ratio=0.5", "translate.max_new_tokens_min=4")
LABEL = "method-lexical"  # the sweep's one point: align.method=lexical


def read_until(child: children.Child, marker: str) -> list[str]:
    """stderr lines of ``child`` up to the first holding ``marker``."""
    lines = []
    for line in child.lines():
        lines.append(line)
        if marker in line:
            return lines
    raise AssertionError(f"{marker!r} never appeared: {''.join(lines)}")


def one_error(stderr: str) -> str:
    assert "Traceback" not in stderr, stderr
    errors = [line for line in stderr.splitlines() if line.startswith("jaen: error: ")]
    assert len(errors) == 1, stderr
    return errors[0]


@pytest.fixture
def run_args(tmp_path: Path, tiny_model: Path) -> list[str]:
    doc = tmp_path / "doc.txt"
    doc.write_text(DOC, encoding="utf-8")
    return [
        SMOKE,
        f"input.path={doc}",
        f"translate.model={tiny_model}",
        f"translate.cache_dir={tmp_path / 'cache'}",
        f"run.output_dir={tmp_path / 'out' / 'locks'}",
        f"run.name={LABEL}",
        *FAST,
    ]


def test_a_run_in_progress_stops_a_second_run_a_stage_and_a_sweep_point_and_wait_waits(
    tmp_path: Path, run_args: list[str]
) -> None:
    run_dir = tmp_path / "out" / "locks" / LABEL
    sweep = tmp_path / "sweep.yaml"  # its one point is the same run directory
    spec = {"name": "locks", "base": SMOKE, "output_dir": str(tmp_path / "out"), "grid": {"align.method": ["lexical"]}}
    sweep.write_text(yaml.safe_dump({**spec, "overrides": [*run_args[1:4], *FAST]}))
    first = children.start("run", *run_args)
    try:
        read_until(first, "stage translate …")
        first.signal(signal.SIGSTOP)  # holds the lock for as long as the test needs
        holder = f"pid {first.pid} on {socket.gethostname()}, started 20"
        for args in (["run", *run_args], ["align", *run_args], ["sweep", str(sweep)]):
            code, stderr = children.run(*args)
            assert code == 2, stderr
            error = one_error(stderr)
            assert str(run_dir) in error and holder in error and "--wait" in error, error
        assert not (run_dir / "manifest.json").exists()  # nobody wrote over the first run
        waiting = children.start("run", *run_args, "--wait")
        try:
            read_until(waiting, "waiting for it to finish")
            first.signal(signal.SIGCONT)
            first.communicate()
            assert first.returncode == 0
            err = waiting.communicate()
            assert waiting.returncode == 0, err
        finally:
            waiting.kill()
    finally:
        if first.returncode is None:
            first.signal(signal.SIGCONT)
        first.kill()
        first.communicate()
    manifest = json.loads((run_dir / "manifest.json").read_text())
    assert manifest["complete"] and manifest["last_invocation"]["ran"] == []  # the waiting run found it all done
    assert read_holder(lock_paths(run_dir)[1]) is None  # each holder removed its record


def test_a_lock_left_by_a_killed_run_is_taken_over(tmp_path: Path, run_args: list[str]) -> None:
    killed = children.start("run", *run_args)
    try:
        read_until(killed, "stage segment …")
        killed.signal(signal.SIGKILL)
    finally:
        killed.kill()
        killed.communicate()
    run_dir = tmp_path / "out" / "locks" / LABEL
    left = read_holder(lock_paths(run_dir)[1])
    assert left is not None and left.pid == killed.pid and left.gone()
    code, stderr = children.run("run", *run_args)
    assert code == 0, stderr
    assert f"taking over the lock left by pid {killed.pid}" in stderr
    assert "no longer running" in stderr
    assert json.loads((run_dir / "manifest.json").read_text())["complete"]


def test_a_lock_held_in_this_process_stops_another_holder_and_a_failed_block_leaves_nothing(tmp_path: Path) -> None:
    run_dir = tmp_path / "out" / "run"
    with run_lock(run_dir):
        run_dir.mkdir()
        with pytest.raises(RunLockedError, match=f"pid {os.getpid()}"):
            with run_lock(run_dir):
                pass
    assert lock_paths(run_dir)[0].is_file() and not lock_paths(run_dir)[1].exists()
    with pytest.raises(RuntimeError), run_lock(tmp_path / "new" / "x" / "run"):  # made no run directory
        raise RuntimeError
    assert not (tmp_path / "new").exists()
