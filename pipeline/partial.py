"""A JSONL artifact written item by item (a document's beads) that a killed run takes up where it stopped.

A stage that works through many items appends each finished item's lines to a partial file
(``RunContext.partial``: ``<run dir>/.partial/<artifact>``, outside the staging directory) and, at
most every :data:`CHECKPOINT_EVERY_S` seconds, makes them durable (``fsync``) and records a
checkpoint beside it, ``<artifact>.checkpoint``: the stage's resume key, the items complete, the
bytes they fill and the sha256 of those bytes. When the stage ends the partial file becomes the
artifact in one rename, so the artifact holds exactly the lines an uninterrupted run writes.

A resumed invocation (``jaen run``) whose stage has the same key cuts the partial file back to its
checkpoint — a torn last line, or lines written after the checkpoint, go — checks the hash of what is
left and goes on from the next item. A checkpoint of another key, a damaged one, or bytes that do not
match start the file afresh.
"""

from __future__ import annotations

import hashlib
import logging
import os
import signal
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import IO, Any

from .errors import JaenError
from .io import iter_jsonl, jsonl_line, naming, read_json, write_json
from .records import Record

log = logging.getLogger(__name__)

CHECKPOINT_EVERY_S = 2.0  # at most this much of a stage's finished work is lost to a kill -9
CHECKPOINT_SUFFIX = ".checkpoint"
READ_CHUNK = 1 << 20
UNREADABLE = (JaenError, AttributeError, TypeError, ValueError)  # no checkpoint, or not a Checkpoint
KILL_ENV = "JAEN_KILL_AFTER"
"""Fault injection for tests: ``STAGE:K`` makes the process kill itself (SIGKILL) as soon as item K of
that stage is checkpointed, a kill -9 at a known place."""


@dataclass
class Checkpoint(Record):
    """How far a partial file got: its first ``size`` bytes hold the first ``items`` items."""

    key: str  # the resume key of the stage that wrote it
    items: int
    size: int
    sha256: str  # of the first ``size`` bytes


def kill_after(stage: str) -> int | None:
    """The item after which :data:`KILL_ENV` asks ``stage`` to kill its process (None: never)."""
    name, _, item = os.environ.get(KILL_ENV, "").partition(":")
    return int(item) if name == stage and item.isdigit() else None


def prefix_digest(path: Path, size: int) -> Any | None:
    """The sha256 (a running hash object) of the first ``size`` bytes of ``path``; None when it is shorter."""
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        while size:
            chunk = fh.read(min(size, READ_CHUNK))
            if not chunk:
                return None
            digest.update(chunk)
            size -= len(chunk)
    return digest


class PartialJsonl:
    """The partial file of one artifact: :meth:`open`, :meth:`write` each item, :meth:`finish`."""

    def __init__(self, path: Path, key: str, stage: str) -> None:
        self.path = path
        self.checkpoint_path = path.with_name(path.name + CHECKPOINT_SUFFIX)
        self.key = key
        self.stage = stage
        self.items = 0
        self.size = 0
        self.digest = hashlib.sha256()
        self.fh: IO[bytes] | None = None
        self.saved = time.monotonic()
        self.kill_after = kill_after(stage)

    def __enter__(self) -> PartialJsonl:
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        fh, self.fh = self.fh, None
        if fh is None:
            return
        try:
            with naming(self.path):
                fh.close()  # flushes what is buffered: on a full disk it fails again
        except OSError:
            if exc is None:
                raise

    def open(self, resume: bool) -> int:
        """Open the file for appending; return the items kept: those of a partial file left under the
        same key when ``resume`` (its lines are :meth:`kept`), else 0 (the file starts empty)."""
        with naming(self.path):
            self.path.parent.mkdir(parents=True, exist_ok=True)
            if resume and self.key and self._take_up():
                self.fh = self.path.open("r+b")
                self.fh.truncate(self.size)
                self.fh.seek(self.size)
            else:
                self.checkpoint_path.unlink(missing_ok=True)
                self.fh = self.path.open("wb")
        return self.items

    def _take_up(self) -> bool:
        """Whether a checkpoint of this key is there and the partial file's bytes match it (then its state is ours)."""
        try:
            checkpoint = Checkpoint.from_dict(read_json(self.checkpoint_path))
        except UNREADABLE:  # none, or damaged (a kill never leaves one half-written: it is replaced atomically)
            return False
        if checkpoint.key != self.key:
            return False
        try:
            digest = prefix_digest(self.path, checkpoint.size)
        except OSError:
            digest = None
        if digest is None or digest.hexdigest() != checkpoint.sha256:
            log.warning("%s: %s does not match its checkpoint: starting the stage afresh", self.stage, self.path)
            return False
        self.items, self.size, self.digest = checkpoint.items, checkpoint.size, digest
        return True

    def kept(self) -> Iterator[dict[str, Any]]:
        """The objects of the lines kept by :meth:`open` (read back from the file)."""
        yield from iter_jsonl(self.path)  # after open(): exactly the kept lines

    def write(self, records: Iterable[Record]) -> None:
        """One item's lines; checkpointed when :data:`CHECKPOINT_EVERY_S` have passed since the last checkpoint."""
        assert self.fh is not None, "open() first"
        data = "".join(jsonl_line(r) for r in records).encode("utf-8")
        digest = self.digest.copy()
        digest.update(data)
        with naming(self.path):
            self.fh.write(data)
        self.digest, self.size, self.items = digest, self.size + len(data), self.items + 1
        if self.items == self.kill_after:
            self.checkpoint()
            log.warning("%s: killing this process after item %d (%s)", self.stage, self.items, KILL_ENV)
            os.kill(os.getpid(), signal.SIGKILL)
        if time.monotonic() - self.saved >= CHECKPOINT_EVERY_S:
            self.checkpoint()

    def checkpoint(self) -> None:
        """Make the lines written so far durable, then record how far they go."""
        assert self.fh is not None, "open() first"
        with naming(self.path):
            self.fh.flush()
            os.fsync(self.fh.fileno())
        write_json(self.checkpoint_path, Checkpoint(self.key, self.items, self.size, self.digest.hexdigest()).to_dict())
        self.saved = time.monotonic()

    def finish(self, target: Path) -> None:
        """Put the partial file in place as ``target`` (one rename, once durable); the checkpoint goes."""
        assert self.fh is not None, "open() first"
        with naming(self.path):
            self.fh.flush()
            os.fsync(self.fh.fileno())
            self.fh.close()
            self.fh = None
            os.replace(self.path, target)
        self.checkpoint_path.unlink(missing_ok=True)
        try:
            self.path.parent.rmdir()  # the last partial file of the run directory
        except OSError:
            pass
