"""``run.engine: ray``: segment, align and score run as Ray tasks and write what the local engine writes.

One local Ray with two CPUs is started for the module (the stages reuse it)."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from test_workers import COMPARED, DOCUMENTS, run_with

from pipeline import ray_tasks
from pipeline import workers as workers_module
from pipeline.align import stage as align_stage
from pipeline.config import RunSection
from pipeline.errors import StageError
from pipeline.score import pool as score_pool
from pipeline.segment import stage as segment_stage
from pipeline.translate import ray_engine
from pipeline.translate.ray_engine import RayEngineError
from pipeline.workers import map_tasks

RAY = RunSection(engine="ray")
CPUS = 2


@pytest.fixture(scope="module")
def local_ray() -> Iterator[None]:
    """A lean local Ray with two CPUs, started once for the module (the stages reuse it)."""
    ray = pytest.importorskip("ray")
    ray.init(
        num_cpus=CPUS,
        include_dashboard=False,
        object_store_memory=ray_engine.LOCAL_OBJECT_STORE_BYTES,
        log_to_driver=False,
    )
    ray.cloudpickle.register_pickle_by_value(sys.modules[__name__])  # the workers cannot import tests/
    yield
    ray.shutdown()


def test_ray_writes_the_bytes_of_the_local_engine(
    local_ray: None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(segment_stage, "CHARS_PER_TASK", 1)  # a task per document
    monkeypatch.setattr(align_stage, "SENTENCES_PER_TASK", 1)
    monkeypatch.setattr(score_pool, "ROWS_PER_TASK", 2)  # several score tasks from six rows
    on_ray: dict[str, int] = {}
    ray_map = ray_tasks.ray_map

    def counted(fn: Callable[[Any], Any], tasks: Iterable[Any], run: RunSection, what: str) -> Iterator[Any]:
        for result in ray_map(fn, tasks, run, what):
            on_ray[what] = on_ray.get(what, 0) + 1
            yield result

    monkeypatch.setattr(ray_tasks, "ray_map", counted)
    local = run_with(tmp_path, "local", {"workers": 1})
    assert not on_ray
    distributed = run_with(tmp_path, "ray", {"engine": "ray"})
    assert on_ray == {"segment": len(DOCUMENTS) + 1, "align": len(DOCUMENTS), "score": 3}
    assert b"Tokyo is sunny." in local["bitext.tsv"] and b"empty input document" in local["dropped.jsonl"]
    for name in COMPARED:
        assert distributed[name] == local[name], name


def pid_of(_: int) -> int:
    return os.getpid()


def test_tasks_run_in_ray_workers_and_come_back_in_order(local_ray: None) -> None:
    assert list(map_tasks(abs, [-3, 2, -1, 0, 5, -8], RAY, "test")) == [3, 2, 1, 0, 5, 8]
    assert os.getpid() not in set(map_tasks(pid_of, range(4), RAY, "test"))
    assert list(map_tasks(pid_of, [0], RAY, "test")) == [os.getpid()]  # one task: in this process, as locally


def raise_on_odd(n: int) -> int:
    if n % 2:
        raise StageError(f"task {n} is odd")
    return n


def test_an_error_in_a_ray_task_is_the_error_in_process(local_ray: None) -> None:
    with pytest.raises(StageError) as on_ray:
        list(map_tasks(raise_on_odd, [0, 2, 4, 1, 6], RAY, "test"))
    assert str(on_ray.value) == "task 1 is odd"


@pytest.mark.parametrize("run", [RAY, RunSection(workers=CPUS)], ids=["ray", "local"])
def test_tasks_are_read_as_the_work_goes_not_all_at_once(local_ray: None, run: RunSection) -> None:
    read: list[int] = []

    def tasks() -> Iterator[int]:
        for n in range(50):
            read.append(n)
            yield n

    results = map_tasks(abs, tasks(), run, "test")
    assert next(results) == 0
    ahead = ray_tasks.TASKS_PER_CPU * CPUS if run.engine == "ray" else workers_module.TASKS_AHEAD * CPUS
    assert len(read) == ahead
    assert list(results) == list(range(1, 50))


def dies_once(marker: str) -> int:
    """Kill the worker process running it, the first time (``marker`` records that it did)."""
    try:
        fd = os.open(marker, os.O_CREAT | os.O_EXCL | os.O_WRONLY)
    except FileExistsError:
        return os.getpid()
    os.close(fd)
    os._exit(1)


def test_a_task_whose_worker_dies_runs_again(local_ray: None, tmp_path: Path) -> None:
    markers = [str(tmp_path / f"m{i}") for i in range(3)]
    pids = list(map_tasks(dies_once, markers, RAY, "test"))
    assert len(pids) == 3 and os.getpid() not in pids and all(Path(m).exists() for m in markers)


def always_dies(_: int) -> int:
    os._exit(1)


def test_a_task_that_keeps_killing_its_worker_stops_with_one_line(
    local_ray: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(ray_tasks, "MAX_RETRIES", 1)
    with pytest.raises(RayEngineError, match="^align on Ray: a task failed after 1 retries") as info:
        list(map_tasks(always_dies, [0, 1], RAY, "align"))
    assert "\n" not in str(info.value)


class FakeRay(SimpleNamespace):
    def is_initialized(self) -> bool:
        return self.up

    def shutdown(self) -> None:
        self.up = False


@pytest.mark.parametrize(
    ("running_before", "engine", "up_after"),
    [(False, "ray", False), (True, "ray", True), (False, "local", True)],
)
def test_a_run_shuts_down_the_ray_it_started_and_only_that(
    monkeypatch: pytest.MonkeyPatch, running_before: bool, engine: str, up_after: bool
) -> None:
    fake = FakeRay(up=running_before)
    monkeypatch.setitem(sys.modules, "ray", fake)
    with ray_tasks.ray_session(RunSection(engine=engine)):
        fake.up = True  # a stage connected
    assert fake.up is up_after
