"""One jaen process at a time per run directory: a file lock (``filelock``) beside the run directory.

``<output_dir>/.<run name>.lock`` is an OS file lock (``flock``): the kernel releases it when its
process ends, however it ends, so a lock left by a killed run is simply taken over by the next one.
``<output_dir>/.<run name>.lock.json`` beside it names the holder (pid, host, start time, command)
for the one line a second process prints; the holder removes it when it lets go. The lock sits
beside the run directory, not in it, so that nothing in a run directory changes for the lock, and a
run that fails before writing anything leaves nothing behind (not even the lock file).
"""

from __future__ import annotations

import logging
import os
import socket
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from filelock import FileLock, Timeout

from .errors import JaenError, RunLockedError
from .io import read_json, write_json
from .manifest import now
from .records import Record

log = logging.getLogger(__name__)

LOCK_SUFFIX = ".lock"
HOLDER_SUFFIX = ".lock.json"
# A holder writes its JSON just after taking the lock: a second process reads it for up to this long.
HOLDER_READ_SECONDS = 2.0
HOLDER_READ_PAUSE = 0.1


@dataclass
class Holder(Record):
    """Who holds a run directory's lock."""

    pid: int
    host: str
    started: str
    command: str = ""

    @classmethod
    def this_process(cls) -> Holder:
        return cls(os.getpid(), socket.gethostname(), now(), " ".join(["jaen", *sys.argv[1:]]))

    def __str__(self) -> str:
        return f"pid {self.pid} on {self.host}, started {self.started}"

    def gone(self) -> bool:
        """The holder ran on this host and its process no longer exists."""
        if self.host != socket.gethostname():
            return False
        try:
            os.kill(self.pid, 0)
        except ProcessLookupError:
            return True
        except PermissionError:  # alive, another user's
            return False
        return False


def lock_paths(run_dir: Path) -> tuple[Path, Path]:
    """The lock file and the holder's JSON of ``run_dir``: ``.<name>.lock(.json)`` beside it (beside
    the real directory, so that two paths to one run directory share its lock)."""
    run_dir = Path(os.path.realpath(run_dir))
    return run_dir.with_name(f".{run_dir.name}{LOCK_SUFFIX}"), run_dir.with_name(f".{run_dir.name}{HOLDER_SUFFIX}")


def read_holder(path: Path) -> Holder | None:
    """The holder recorded at ``path``, or None when there is none (or it is unreadable)."""
    if not path.is_file():
        return None
    try:
        data = read_json(path)
        return Holder.from_dict(data) if isinstance(data, dict) else None
    except (JaenError, TypeError):
        return None


def _wait_for_holder(path: Path) -> Holder | None:
    deadline = time.monotonic() + HOLDER_READ_SECONDS
    while (holder := read_holder(path)) is None and time.monotonic() < deadline:
        time.sleep(HOLDER_READ_PAUSE)
    return holder


def _missing_dirs(directory: Path) -> list[Path]:
    """``directory`` and its ancestors that do not exist, deepest first."""
    missing = []
    for d in (directory, *directory.parents):
        if d.exists():
            break
        missing.append(d)
    return missing


def _acquire(lock: FileLock, run_dir: Path, holder_path: Path, wait: bool) -> None:
    try:
        lock.acquire(blocking=False)
        return
    except Timeout:
        pass
    holder = _wait_for_holder(holder_path)
    who = f"another jaen process ({holder})" if holder else "another jaen process"
    if not wait:
        raise RunLockedError(
            f"{run_dir} is in use by {who}: wait for it to finish (pass --wait to wait), or use another run.name"
        )
    log.info("%s is in use by %s: waiting for it to finish", run_dir, who)
    lock.acquire()


def _record(holder_path: Path) -> None:
    """Write this process as the holder: best effort, the lock holds without it (a full disk then
    fails the run itself, at its first write, with the run's own error)."""
    try:
        write_json(holder_path, Holder.this_process().to_dict())
    except OSError as exc:
        log.warning("cannot record the lock's holder in %s: %s", holder_path, exc.strerror or exc)


@contextmanager
def run_lock(run_dir: Path, wait: bool = False) -> Iterator[None]:
    """Hold ``run_dir``'s lock for the block: a second holder stops at once with one line naming the
    first (``wait``: waits for it). When the block leaves no run directory (it failed before
    writing one), the lock file and the directories made for it are removed again."""
    lock_path, holder_path = lock_paths(run_dir)
    created = _missing_dirs(lock_path.parent)
    lock_path.parent.mkdir(parents=True, exist_ok=True)
    lock = FileLock(lock_path)
    _acquire(lock, run_dir, holder_path, wait)
    try:
        left = read_holder(holder_path)
        if left is not None and left.pid != os.getpid():
            why = "is no longer running" if left.gone() else "ended without releasing it"
            log.info("%s: taking over the lock left by %s (that process %s)", run_dir, left, why)
        _record(holder_path)
        yield
    finally:
        holder_path.unlink(missing_ok=True)
        made_nothing = not run_dir.exists()
        if made_nothing:
            lock_path.unlink(missing_ok=True)
        lock.release()
        if made_nothing:
            for d in created:
                try:
                    d.rmdir()
                except OSError:
                    break
