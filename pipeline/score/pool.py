"""Per-row metric work (sentence scores and segment statistics) in worker processes, in row order.

Rows go to the workers in tasks of ``ROWS_PER_TASK`` and come back in order, so the results do not
depend on the number of workers (``run.workers``) or the engine (``run.engine``: local processes or Ray);
one worker scores in this process, without a pool. The pool is :mod:`pipeline.workers`', shared with the
other stages.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence, Sized
from dataclasses import dataclass

from ..config import RunSection, ScoreSection
from ..progress import progress
from ..workers import grouped, map_tasks
from .base import Metric, Segment

ROWS_PER_TASK = 32  # small enough to spread TER's uneven cost over the workers, large enough to amortise a task

Pair = tuple[str, str]  # (hypothesis, reference)


@dataclass(frozen=True)
class ScoreTask:
    """One task: ``ROWS_PER_TASK`` pairs and what scores them."""

    kinds: dict[str, type[Metric]]
    section: ScoreSection
    pairs: Sequence[Pair]


def run_task(task: ScoreTask) -> list[dict[str, Segment]]:
    """What a worker runs (``pipeline.workers.map_tasks``): :func:`score_task` of one task."""
    return score_task(task.kinds, task.section, task.pairs)


def score_task(
    kinds: dict[str, type[Metric]], section: ScoreSection, pairs: Sequence[Pair]
) -> list[dict[str, Segment]]:
    """One task: every metric's ``segment`` of each pair."""
    chosen = {name: kind(section) for name, kind in kinds.items()}
    return [{name: m.segment(hyp, ref) for name, m in chosen.items()} for hyp, ref in pairs]


def tasks_of(kinds: dict[str, type[Metric]], section: ScoreSection, pairs: Iterable[Pair]) -> Iterator[ScoreTask]:
    """The pairs in tasks of ``ROWS_PER_TASK``, as they are read."""
    return (ScoreTask(kinds, section, chunk) for chunk in grouped(pairs, lambda _: 1, ROWS_PER_TASK))


def score_segments(
    chosen: dict[str, Metric], section: ScoreSection, pairs: Iterable[Pair], run: RunSection, total: int | None = None
) -> Iterator[dict[str, Segment]]:
    """Every metric's ``segment`` of every pair, in pair order, where ``run`` says (local processes or Ray),
    with a progress bar over ``total`` pairs (default: ``len(pairs)``); the pairs are read as the work goes
    and the results yielded as they come back, so the caller keeps only what it needs of them."""
    kinds = {name: type(m) for name, m in chosen.items()}
    if total is None and isinstance(pairs, Sized):
        total = len(pairs)
    with progress(total, "score", "row") as bar:
        for done in map_tasks(run_task, tasks_of(kinds, section, pairs), run, "score"):
            yield from done
            bar.update(len(done))
