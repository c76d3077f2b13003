"""Per-item work of a stage as Ray tasks (``run.engine: ray``), results in the order of the tasks.

:func:`pipeline.workers.map_tasks` sends the segment, align and score stages' tasks here when the
engine is ray. Each task is one Ray task with one CPU; at most ``TASKS_PER_CPU`` × the cluster's
CPUs are in flight, the oldest is awaited first (``ray.get``) and a new one is submitted as each
comes back, so results come back in task order (what a stage writes is what the local engine
writes) and a large input is never all submitted at once.

A task whose worker dies (a crash, an OOM kill, a lost node) runs again, up to ``MAX_RETRIES`` times;
an error a task raises (a JaenError: one line) is raised here as it would be in-process. Leaving early
(an error, Ctrl-C) lets the few tasks still in flight finish and drops their results: ``ray.cancel``
of a task that is just finishing aborts the driver in Ray 2.60 ("Tried to complete task that was not
pending", seen in ``tests/test_ray_tasks.py``), and the run's end shuts a local Ray down anyway.

The run holds one Ray for all its stages (:func:`ray_session`): translation's actors and these tasks
connect to it when they first need it (``ray_engine.connect``: the configured cluster, or a lean local
Ray), and the run's end shuts down a Ray the run started.
"""

from __future__ import annotations

import logging
import sys
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

from .config import RunSection
from .translate.ray_engine import RayEngineError, connect, import_ray, ray_error_line

log = logging.getLogger(__name__)

TASKS_PER_CPU = 2  # tasks in flight per cluster CPU: each CPU has the next task waiting, the input is read as needed
MAX_RETRIES = 3  # a task whose worker process dies is run again up to this many times

T = TypeVar("T")
R = TypeVar("R")


def call(fn: Callable[[T], R], task: T) -> R:
    """What a Ray task runs: ``fn(task)``."""
    return fn(task)


def ray_map(fn: Callable[[T], R], tasks: Iterable[T], run: RunSection, what: str) -> Iterator[R]:
    """``fn`` of each task, in task order, as Ray tasks on the run's Ray (``fn`` and the tasks must pickle)."""
    ray = import_ray()
    connect(run)
    remote = ray.remote(num_cpus=1, max_retries=MAX_RETRIES)(call)
    window = TASKS_PER_CPU * max(1, int(ray.cluster_resources().get("CPU", 1)))
    log.info("%s: tasks on Ray, up to %d in flight", what, window)
    pending: deque[Any] = deque()
    for task in tasks:
        pending.append(remote.remote(fn, task))
        if len(pending) >= window:
            yield result(ray, pending.popleft(), what)
    while pending:
        yield result(ray, pending.popleft(), what)


def result(ray: Any, ref: Any, what: str) -> Any:
    """The value of one task: the task's own exception where it raised one, one line where Ray failed it."""
    try:
        return ray.get(ref)
    except ray.exceptions.RayTaskError as exc:
        if isinstance(exc.cause, Exception):
            raise exc.cause from None  # the error the task raised, as in-process (a JaenError is one line)
        raise RayEngineError(f"{what} on Ray: a task failed: {ray_error_line(exc)}") from None
    except ray.exceptions.RayError as exc:  # a worker that kept dying, a lost object, a cancelled task
        why = ray_error_line(exc)
        raise RayEngineError(f"{what} on Ray: a task failed after {MAX_RETRIES} retries: {why}") from None


def ray_running() -> bool:
    """Whether this process is connected to a Ray (without importing Ray)."""
    ray = sys.modules.get("ray")
    return ray is not None and ray.is_initialized()


@contextmanager
def ray_session(run: RunSection) -> Iterator[None]:
    """One Ray for a whole run (engine ray): the stages connect to it when they first need it; leaving
    shuts down a Ray started inside (a Ray that was running before, such as a caller's, stays)."""
    before = ray_running()
    try:
        yield
    finally:
        if run.engine == "ray" and not before and ray_running():
            log.info("ray engine: shutting down the Ray this run started")
            sys.modules["ray"].shutdown()
