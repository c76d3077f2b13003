"""``run.workers``: the segment, align and score stages on worker processes write what one process writes."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from pipeline import workers as workers_module
from pipeline.align import stage as align_stage
from pipeline.config import build_config
from pipeline.errors import ConfigError, StageError
from pipeline.io import read_records, write_jsonl
from pipeline.records import Sentence, Translation
from pipeline.runner import run_stages
from pipeline.score import pool as score_pool
from pipeline.segment import stage as segment_stage
from pipeline.workers import available_cores, grouped, ordered_map, resolve_workers

DOCUMENTS = [  # (name, Japanese, English reference, machine translation)
    (
        "a",
        "東京は晴れです。\n\n明日は雨が降るでしょう。",
        "Tokyo is sunny.\n\nIt will rain tomorrow.",
        "Tokyo is fine.\tRain will fall tomorrow.",
    ),
    ("b", "大阪は雨です。", "Osaka has rain.", "It is raining in Osaka."),
    (
        "c",
        "京都の寺は古い。\n\n多くの観光客が訪れた。",
        "The temples of Kyoto are old.\n\nMany tourists visited.",
        "Kyoto's temples are old.\tMany tourists came.",
    ),
    ("d", "札幌で雪が降った。", "It snowed in Sapporo.", "Snow fell in Sapporo."),
]
COMPARED = ("sentences.jsonl", "dropped.jsonl", "alignment.jsonl", "scores.json", "bitext.tsv")


class CountedPool(workers_module.ProcessPoolExecutor):
    """The executor, counting the pools started (so the test knows the workers did the work)."""

    started = 0

    def __init__(self, *args, **kwargs) -> None:
        CountedPool.started += 1
        super().__init__(*args, **kwargs)


def run_with(tmp_path: Path, name: str, run: dict[str, object]) -> dict[str, bytes]:
    """The four documents (and an empty one) through segment, align, score and export under the ``run``
    settings, the MT written as translations.jsonl; the bytes of the files compared."""
    docs, refs = tmp_path / "docs", tmp_path / "refs"
    docs.mkdir(exist_ok=True)
    refs.mkdir(exist_ok=True)
    for doc, ja, en, _ in DOCUMENTS:
        (docs / f"{doc}.txt").write_text(ja, encoding="utf-8")
        (refs / f"{doc}.txt").write_text(en, encoding="utf-8")
    (docs / "empty.txt").write_text("\n", encoding="utf-8")  # a drop of its own, in document order
    cfg = build_config(
        {
            "run": {"output_dir": str(tmp_path / "out"), "name": name, **run},
            "input": {"path": str(docs)},
            "reference": {"path": str(refs)},
            "score": {"bootstrap": 50},
        }
    )
    run_stages(cfg, ["segment"])
    src = [s for s in read_records(cfg.run_dir / "sentences.jsonl", Sentence) if s.lang == "ja"]
    mt = [t for _, _, _, doc_mt in DOCUMENTS for t in doc_mt.split("\t")]
    assert len(src) == len(mt)
    write_jsonl(cfg.run_dir / "translations.jsonl", [Translation(s.seg_id, t) for s, t in zip(src, mt)])
    run_stages(cfg, ["align", "score", "export"])
    return {file: (cfg.run_dir / file).read_bytes() for file in COMPARED}


def test_two_workers_write_the_bytes_of_one(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(segment_stage, "CHARS_PER_TASK", 1)  # a task per document
    monkeypatch.setattr(align_stage, "SENTENCES_PER_TASK", 1)
    monkeypatch.setattr(score_pool, "ROWS_PER_TASK", 2)  # several score tasks from six rows
    monkeypatch.setattr(workers_module, "ProcessPoolExecutor", CountedPool)
    CountedPool.started = 0
    one = run_with(tmp_path, "w1", {"workers": 1})
    assert CountedPool.started == 0  # one worker: no pool at all
    two = run_with(tmp_path, "w2", {"workers": 2})
    assert CountedPool.started == 3  # segment's pool, align's and score's
    assert b"Tokyo is sunny." in one["bitext.tsv"] and b"Sapporo" in one["bitext.tsv"]
    assert b"empty input document" in one["dropped.jsonl"]
    for name in COMPARED:
        assert one[name] == two[name], name


def raise_on_odd(n: int) -> int:
    if n % 2:
        raise StageError(f"task {n} is odd")
    return n


def test_an_error_in_a_worker_is_the_error_in_process() -> None:
    with pytest.raises(StageError) as in_process:
        list(ordered_map(raise_on_odd, [0, 1], 1, "test"))
    with pytest.raises(StageError) as in_worker:
        list(ordered_map(raise_on_odd, [0, 2, 4, 1, 6], 2, "test"))
    assert str(in_worker.value) == str(in_process.value) == "task 1 is odd"


def test_results_come_back_in_task_order() -> None:
    assert list(ordered_map(abs, [-3, 2, -1, 0, 5], 2, "test")) == [3, 2, 1, 0, 5]


def test_workers_default_to_the_cores_and_are_never_negative() -> None:
    assert resolve_workers(0) == available_cores() >= 1 and resolve_workers(3) == 3
    assert build_config({}).run.workers == 0
    with pytest.raises(ConfigError, match="run.workers"):
        build_config({"run": {"workers": -1}})


def test_workers_are_not_in_any_resume_key() -> None:
    from pipeline.runner import stage_keys

    inputs = {"input": "x"}
    assert stage_keys(build_config({"run": {"workers": 1}}), inputs) == stage_keys(
        build_config({"run": {"workers": 2}}), inputs
    )


KILLED_PARENT = """
import os, time
from pipeline.workers import ordered_map
print(os.getpid(), flush=True)
list(ordered_map(time.sleep, [30.0] * 4, 2, "test"))
"""


def children(pid: int) -> list[int]:
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid and fields[0] != "Z":
            found.append(int(stat.parent.name))
    return found


def alive(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads /proc")
def test_kill_9_leaves_no_worker_behind() -> None:
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parent.parent)}
    with subprocess.Popen([sys.executable, "-c", KILLED_PARENT], stdout=subprocess.PIPE, text=True, env=env) as proc:
        assert proc.stdout is not None
        parent = int(proc.stdout.readline())
        workers = wait_for(lambda: [p for p in children(parent) if "spawn_main" in cmdline(p)], 2)
        proc.kill()
    assert len(workers) == 2
    assert not wait_for(lambda: [p for p in workers if alive(p)], 0)


def cmdline(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().decode(errors="replace")
    except OSError:
        return ""


def wait_for(found: Callable[[], list[int]], count: int, limit_s: float = 20.0) -> list[int]:
    """``found()`` once it has ``count`` items, or at ``limit_s`` seconds whatever it has."""
    deadline = time.monotonic() + limit_s
    while len(got := found()) != count and time.monotonic() < deadline:
        time.sleep(0.1)
    return got


def test_grouped_tasks_reach_their_size_and_keep_the_order() -> None:
    sizes = [5, 1, 1, 4, 2, 9, 1]
    groups = list(grouped(sizes, lambda n: n, 6))
    assert groups == [[5, 1], [1, 4, 2], [9], [1]] and [n for g in groups for n in g] == sizes
    assert list(grouped([], len, 3)) == []
