"""Per-item work of a stage on worker processes or Ray, results in the order of the tasks.

The stages that work per document or per row (segment, align, score) hand their tasks to
:func:`map_tasks`, the one place that picks where they run: with ``run.engine: ray`` as Ray tasks
(:mod:`pipeline.ray_tasks`), else on ``run.workers`` local processes (:func:`ordered_map`). Either
way each task's result comes back in task order, so what a stage writes depends neither on the
engine nor on the number of workers. One task, or one local worker, runs in this process without a
pool: exactly the single-process path. Tasks are read as the work goes, a bounded number ahead, so
a stage that streams its input (segment) never holds all of it.

Workers are started fresh (``spawn``): the parent may hold threads (torch, Ray's gRPC) that ``fork``
would copy mid-lock. Each worker loads what it needs once (fugashi, the dictionary index) through
the per-process caches the stages already use. A pool that breaks (a worker killed, or a
``__main__`` that a fresh process cannot import, such as a script read from stdin) leaves the
remaining tasks to this process; an error a task raises in a worker (a JaenError: one line) is
raised here as it would be in-process. The pool is a context manager, and leaving it early (an
error, Ctrl-C) cancels the tasks not yet started and waits for the running ones (a task is short),
so no worker outlives the stage. Workers leave Ctrl-C to this process, and exit on their own when
it is gone (``kill -9``).
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import signal
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from itertools import chain, islice
from typing import TypeVar

from .config import RunSection

log = logging.getLogger(__name__)

START_METHOD = "spawn"  # fresh workers: fork would copy the parent's threads (torch, Ray) mid-lock
PARENT_POLL_S = 1.0  # how soon a worker notices that the process that started it is gone, and exits
TASKS_AHEAD = 2  # tasks submitted per worker ahead of the one awaited: no worker waits, the input is read as needed

T = TypeVar("T")
R = TypeVar("R")


def available_cores() -> int:
    """The CPU cores this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def resolve_workers(configured: int) -> int:
    """``run.workers``: the number of worker processes; 0 means the cores available."""
    return configured or available_cores()


def start_worker(parent: int) -> None:
    """In each worker, first: ignore Ctrl-C (the parent handles it: it cancels the tasks left and shuts
    the pool down) and exit as soon as ``parent`` is gone, so that a killed ``jaen`` leaves no worker."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    threading.Thread(target=exit_with, args=(parent,), daemon=True, name="exit-with-parent").start()


def exit_with(parent: int) -> None:
    """Return never: exit this process once it is no longer ``parent``'s child."""
    while os.getppid() == parent:
        time.sleep(PARENT_POLL_S)
    os._exit(1)


def grouped(items: Iterable[T], size: Callable[[T], int], at_least: int) -> Iterator[list[T]]:
    """Consecutive items in groups whose ``size`` adds up to at least ``at_least`` (the last may fall
    short), as read: the tasks of a stage whose items (documents) vary in size."""
    current: list[T] = []
    total = 0
    for item in items:
        current.append(item)
        total += size(item)
        if total >= at_least:
            yield current
            current, total = [], 0
    if current:
        yield current


def map_tasks(fn: Callable[[T], R], tasks: Iterable[T], run: RunSection, what: str) -> Iterator[R]:
    """``fn`` of each task, in task order, where ``run.engine`` says: Ray tasks (``ray``) or up to
    ``run.workers`` local processes (``local``); one task, or one local worker, runs in this process.

    The one place that picks the engine of a stage's per-item work (segment, align, score). ``fn`` and
    the tasks must pickle; ``tasks`` is read as the work goes, a bounded number ahead. ``what`` names
    the stage in warnings and errors."""
    pending = iter(tasks)
    head = list(islice(pending, 2))
    tasks = chain(head, pending)
    if len(head) < 2:
        yield from map(fn, tasks)
    elif run.engine == "ray":
        from .ray_tasks import ray_map

        yield from ray_map(fn, tasks, run, what)
    else:
        yield from ordered_map(fn, tasks, resolve_workers(run.workers), what)


def ordered_map(fn: Callable[[T], R], tasks: Iterable[T], workers: int, what: str) -> Iterator[R]:
    """``fn`` of each task, in task order, on up to ``workers`` processes (``fn`` and the tasks must pickle),
    at most ``TASKS_AHEAD`` tasks a worker submitted ahead of the one awaited.

    ``what`` names the stage in the warning of a broken pool, which leaves the tasks not done to this process."""
    pending: deque[tuple[T, Future[R]]] = deque()
    tasks = iter(tasks)
    if workers > 1:
        context = multiprocessing.get_context(START_METHOD)
        start = {"initializer": start_worker, "initargs": (os.getpid(),)}
        try:
            with ProcessPoolExecutor(max_workers=workers, mp_context=context, **start) as pool:
                try:
                    for task in tasks:
                        try:
                            future = pool.submit(fn, task)
                        except BrokenProcessPool:
                            tasks = chain([task], tasks)  # not sent: it goes with the rest to this process
                            raise
                        pending.append((task, future))
                        if len(pending) >= workers * TASKS_AHEAD:
                            yield pending[0][1].result()
                            pending.popleft()
                    while pending:
                        yield pending[0][1].result()
                        pending.popleft()
                finally:
                    pool.shutdown(cancel_futures=True)  # leaving early (an error, Ctrl-C): start no more tasks
        except BrokenProcessPool as e:
            log.warning("%s: the worker pool broke (%s); doing the remaining work in this process", what, e)
    yield from (fn(task) for task, _ in pending)
    yield from map(fn, tasks)
