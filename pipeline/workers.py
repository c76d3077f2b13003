"""Per-item work of a stage in worker processes (``run.workers``), results in the order of the tasks.

The stages that work per document or per row (align, score) hand their tasks to :func:`ordered_map`,
which runs them on a process pool and yields each task's result in task order, so what a stage
writes does not depend on the number of workers. One worker, or one task, runs in this process
without a pool: exactly the single-process path.

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
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import TypeVar

log = logging.getLogger(__name__)

START_METHOD = "spawn"  # fresh workers: fork would copy the parent's threads (torch, Ray) mid-lock
PARENT_POLL_S = 1.0  # how soon a worker notices that the process that started it is gone, and exits

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


def ordered_map(fn: Callable[[T], R], tasks: Sequence[T], workers: int, what: str) -> Iterator[R]:
    """``fn`` of each task, in task order, on up to ``workers`` processes (``fn`` and the tasks must pickle).

    ``what`` names the stage in the warning of a broken pool."""
    done = 0
    workers = min(workers, len(tasks))
    if workers > 1:
        context = multiprocessing.get_context(START_METHOD)
        try:
            start = {"initializer": start_worker, "initargs": (os.getpid(),)}
            with ProcessPoolExecutor(max_workers=workers, mp_context=context, **start) as pool:
                for result in pool.map(fn, tasks):
                    done += 1
                    yield result
        except BrokenProcessPool as e:
            log.warning("%s: the worker pool broke (%s); doing the remaining work in this process", what, e)
    yield from (fn(task) for task in tasks[done:])
