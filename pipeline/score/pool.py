"""Per-row metric work (sentence scores and segment statistics) in worker processes, in row order.

Rows go to the workers in tasks of ``ROWS_PER_TASK`` and come back in order, so the results do not
depend on the number of workers; one worker scores in this process, without a pool.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
from collections.abc import Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool

from tqdm import tqdm

from ..config import ScoreSection
from .base import Metric, Segment

log = logging.getLogger(__name__)

ROWS_PER_TASK = 32  # small enough to spread TER's uneven cost over the workers, large enough to amortise a task
START_METHOD = "spawn"  # fresh workers: the parent may hold threads (torch, Ray) that fork would copy mid-lock
PROGRESS_INTERVAL_S = 0.5  # as the translate stage's bar

Pair = tuple[str, str]  # (hypothesis, reference)


def available_cores() -> int:
    """The CPU cores this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def score_task(
    kinds: dict[str, type[Metric]], section: ScoreSection, pairs: Sequence[Pair]
) -> list[dict[str, Segment]]:
    """One task: every metric's ``segment`` of each pair."""
    chosen = {name: kind(section) for name, kind in kinds.items()}
    return [{name: m.segment(hyp, ref) for name, m in chosen.items()} for hyp, ref in pairs]


def score_segments(
    chosen: dict[str, Metric], section: ScoreSection, pairs: Sequence[Pair], workers: int
) -> list[dict[str, Segment]]:
    """Every metric's ``segment`` of every pair, in pair order, on ``workers`` processes, with a progress bar."""
    kinds = {name: type(m) for name, m in chosen.items()}
    tasks = [pairs[i : i + ROWS_PER_TASK] for i in range(0, len(pairs), ROWS_PER_TASK)]
    rows: list[dict[str, Segment]] = []
    bar_settings = {"unit": "row", "desc": "score", "dynamic_ncols": True, "mininterval": PROGRESS_INTERVAL_S}
    with tqdm(total=len(pairs), disable=not pairs, **bar_settings) as bar:
        for done in _results(kinds, section, tasks, min(workers, len(tasks))):
            rows.extend(done)
            bar.update(len(done))
    return rows


def _results(
    kinds: dict[str, type[Metric]], section: ScoreSection, tasks: list[Sequence[Pair]], workers: int
) -> Iterator[list[dict[str, Segment]]]:
    """Each task's results, in task order; a pool that breaks (a worker killed, or a ``__main__`` that a
    fresh process cannot import, such as a script read from stdin) leaves the rest to this process."""
    done = 0
    if workers > 1:
        context = multiprocessing.get_context(START_METHOD)
        try:
            with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
                for result in pool.map(score_task, [kinds] * len(tasks), [section] * len(tasks), tasks):
                    done += 1
                    yield result
        except BrokenProcessPool as e:
            log.warning("score: the worker pool broke (%s); scoring the remaining rows in this process", e)
    yield from (score_task(kinds, section, task) for task in tasks[done:])
