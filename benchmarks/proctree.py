"""Sums over a process and its live descendants, read from ``/proc``: the benchmarks' memory and CPU
figures for a run whose work is spread over worker processes (``run.workers``, Ray)."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

PAGE_BYTES = os.sysconf("SC_PAGE_SIZE")
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def tree_sum(root: int, measure: Callable[[str, list[str]], float]) -> float:
    """``measure(proc_dir, stat_fields)`` summed over ``root`` and its live descendants (0 once it is
    gone); ``stat_fields`` are ``/proc/PID/stat``'s fields after the command name (state, ppid, …)."""
    children: dict[int, list[int]] = {}
    value: dict[int, float] = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            stat = Path(entry.path, "stat").read_text()
            fields = stat[stat.rindex(")") + 2 :].split()
            value[int(entry.name)] = measure(entry.path, fields)
        except (OSError, ValueError, IndexError):
            continue  # the process ended while we read it
        children.setdefault(int(fields[1]), []).append(int(entry.name))
    total, todo = 0.0, [root]
    while todo:
        pid = todo.pop()
        total += value.get(pid, 0.0)
        todo.extend(children.get(pid, []))
    return total


def tree_rss(root: int) -> int:
    """Resident bytes of ``root`` and all its live descendants."""
    return int(tree_sum(root, lambda proc, _: int(Path(proc, "statm").read_text().split()[1]) * PAGE_BYTES))


def tree_cpu_seconds(root: int) -> float:
    """CPU seconds (user + system) used so far by ``root`` and its live descendants."""
    return tree_sum(root, lambda _, fields: (int(fields[11]) + int(fields[12])) / CLOCK_TICKS)
