"""Progress bars of the long stages: items per second and the time left, on stderr (tqdm).

On a terminal a bar redraws every ``TERMINAL_REFRESH_S``; when stderr is a file or a pipe (a log,
CI) it writes a line every ``LOG_REFRESH_S`` and one at the end (count, elapsed time, rate), so a
long stage still shows its pace in the log without flooding it. A bar over a single item (a one-page
run's one document) says nothing and is not shown.
"""

from __future__ import annotations

import sys

from tqdm import tqdm

TERMINAL_REFRESH_S = 0.5
LOG_REFRESH_S = 30.0
TQDM_MAX_INTERVAL_S = 10.0  # tqdm's own default


def progress(total: int | None, desc: str, unit: str) -> tqdm:
    """A bar over ``total`` items (None: unknown, then a count and a rate without time left)."""
    stream = sys.stderr
    refresh = TERMINAL_REFRESH_S if stream.isatty() else LOG_REFRESH_S
    return tqdm(
        total=total,
        desc=desc,
        unit=unit,
        dynamic_ncols=True,
        mininterval=refresh,
        maxinterval=max(refresh, TQDM_MAX_INTERVAL_S),  # else tqdm's monitor redraws a slow bar every 10 s
        file=stream,
        disable=total is not None and total < 2,
    )
