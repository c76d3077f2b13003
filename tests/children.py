"""``jaen`` in a child process, started in a fraction of a second instead of several.

A child of ``python -m pipeline`` spends most of its life importing torch and transformers. These
children are forked instead from one server process that has imported them already (multiprocessing's
``forkserver``, started once per session). Each child is still a process of its own, running
``pipeline.cli.main`` with its own pid, file lock, signals, file-size limit and exit status, so the
fault and lock tests kill, stop and limit it as they would ``python -m pipeline`` (``test_cli`` runs
the real ``python -m pipeline``).
"""

from __future__ import annotations

import multiprocessing
import os
import resource
import socket
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from multiprocessing.process import BaseProcess
from pathlib import Path
from typing import TextIO

REPO = Path(__file__).resolve().parent.parent
# what a run of the seed page imports, the heavy part first (a module missing here is skipped)
PRELOAD = [
    "torch",
    "transformers",
    "transformers.models.marian.modeling_marian",
    "transformers.models.marian.tokenization_marian",
    "torch._dynamo",
    "sympy",
    "jamdict",
    "fugashi",
    "sacremoses",
    "pipeline.cli",
    "pipeline.runner",
    "pipeline.lock",
    "pipeline.translate.hf",
    "pipeline.align.stage",
]
START_METHOD = "forkserver"
WAIT_S = 300  # the longest a test waits for a child to end


def _main(args: list[str], env: dict[str, str], stderr: socket.socket, file_size_limit: int | None) -> None:
    """The child: the caller's environment, stderr to the caller's socket, stdout nowhere, then ``jaen ARGS``
    in the repository. (What the server imported read the environment at the server's start: the session's.)"""
    os.environ.clear()
    os.environ.update(env)
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 1)
    os.dup2(stderr.fileno(), 2)
    os.close(devnull)
    stderr.close()
    if file_size_limit is not None:  # RLIMIT_FSIZE: a write past the limit fails with EFBIG, as on a full disk
        resource.setrlimit(resource.RLIMIT_FSIZE, (file_size_limit, file_size_limit))
    os.chdir(REPO)
    sys.argv = ["jaen", *args]
    from pipeline.cli import main

    main()


@dataclass
class Child:
    """A running ``jaen``: its process and the reading end of its stderr."""

    process: BaseProcess
    stderr: TextIO

    @property
    def pid(self) -> int:
        assert self.process.pid is not None
        return self.process.pid

    def lines(self) -> Iterator[str]:
        """Its stderr, line by line, as it comes (to leave the loop keeps the rest for ``communicate``)."""
        return iter(self.stderr)

    def signal(self, signum: int) -> None:
        """Send it ``signum``; nothing once it has ended (as ``subprocess``'s ``send_signal``)."""
        try:
            os.kill(self.pid, signum)
        except ProcessLookupError:
            pass

    def communicate(self, timeout: float = WAIT_S) -> str:
        """The rest of its stderr, once it has ended (see ``returncode``); "" after the first call."""
        rest = "" if self.stderr.closed else self.stderr.read()
        self.process.join(timeout)
        self.stderr.close()
        assert self.process.exitcode is not None, f"jaen (pid {self.pid}) did not end within {timeout}s"
        return rest

    def kill(self) -> None:
        if self.process.exitcode is None:
            self.process.kill()

    @property
    def returncode(self) -> int | None:
        """Its exit status, or minus the signal that ended it (as ``subprocess``'s)."""
        return self.process.exitcode


def start(*args: str, file_size_limit: int | None = None) -> Child:
    """``jaen ARGS`` in a child process, its stderr to read."""
    context = multiprocessing.get_context(START_METHOD)
    context.set_forkserver_preload(PRELOAD)
    ours, theirs = socket.socketpair()
    process = context.Process(target=_main, args=(list(args), dict(os.environ), theirs, file_size_limit), name="jaen")
    process.start()
    theirs.close()
    stderr = ours.makefile("r", encoding="utf-8")
    ours.close()  # the file keeps the socket open
    return Child(process, stderr)


def run(*args: str, file_size_limit: int | None = None) -> tuple[int, str]:
    """``jaen ARGS`` in a child process, to its end: the exit status and stderr."""
    child = start(*args, file_size_limit=file_size_limit)
    try:
        stderr = child.communicate()
    finally:
        child.kill()
    assert child.returncode is not None
    return child.returncode, stderr
