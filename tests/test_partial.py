"""pipeline/partial.py: item by item into a partial file, checkpointed, taken up only under the same key."""

from __future__ import annotations

import json
import logging
from pathlib import Path

import pytest

from pipeline import partial
from pipeline.io import write_jsonl
from pipeline.partial import CHECKPOINT_SUFFIX, PartialJsonl, kill_after
from pipeline.records import Bead

ITEMS = [[Bead([f"ja{i}"], [f"en{i}"], 0.5)] + [Bead([], [f"en{i}b"], 0.0)] * (i % 2) for i in range(6)]


def write_items(path: Path, key: str, items: list[list[Bead]], resume: bool = False, checkpoint_at: int = 0) -> int:
    """Open, write ``items`` (a checkpoint after the ``checkpoint_at``-th), and leave the file as a kill would."""
    out = PartialJsonl(path, key, "align")
    kept = out.open(resume)
    for n, beads in enumerate(items, 1):
        out.write(beads)
        if n == checkpoint_at:
            out.checkpoint()
    out.fh.flush()  # written but not checkpointed: what a kill leaves behind the checkpoint
    out.fh.close()
    return kept


def finish(path: Path, key: str, resume: bool, rest: list[list[Bead]], target: Path) -> tuple[int, list[dict]]:
    with PartialJsonl(path, key, "align") as out:
        kept = out.open(resume)
        lines = list(out.kept())
        for beads in rest:
            out.write(beads)
        out.finish(target)
    return kept, lines


def expected(tmp_path: Path) -> bytes:
    write_jsonl(tmp_path / "expected.jsonl", [b for beads in ITEMS for b in beads])
    return (tmp_path / "expected.jsonl").read_bytes()


def test_a_resumed_file_drops_what_followed_the_checkpoint_and_a_torn_line(tmp_path: Path) -> None:
    path, target = tmp_path / ".partial" / "alignment.jsonl", tmp_path / "alignment.jsonl"
    write_items(path, "k1", ITEMS[:4], checkpoint_at=3)
    with path.open("ab") as fh:
        fh.write(b'{"src_ids": ["ja9')  # a torn last line
    kept, lines = finish(path, "k1", True, ITEMS[3:], target)
    assert kept == 3
    assert [Bead.from_dict(d) for d in lines] == [b for beads in ITEMS[:3] for b in beads]
    assert target.read_bytes() == expected(tmp_path)
    assert not path.parent.exists()  # the partial file and its checkpoint are gone, and their directory


@pytest.mark.parametrize("change", ["key", "no resume", "bytes", "checkpoint", "short file"])
def test_a_partial_file_that_does_not_match_starts_afresh(tmp_path: Path, change: str) -> None:
    path, target = tmp_path / ".partial" / "alignment.jsonl", tmp_path / "alignment.jsonl"
    write_items(path, "k1", ITEMS[:3], checkpoint_at=3)
    checkpoint = path.with_name(path.name + CHECKPOINT_SUFFIX)
    if change == "bytes":
        path.write_bytes(path.read_bytes().replace(b"ja1", b"ja7"))
    elif change == "checkpoint":
        checkpoint.write_text('{"key": "k1", "items": ')
    elif change == "short file":
        path.write_bytes(path.read_bytes()[:10])
    key = "k2" if change == "key" else "k1"
    kept, lines = finish(path, key, change != "no resume", ITEMS, target)
    assert (kept, lines) == (0, [])
    assert target.read_bytes() == expected(tmp_path)


def test_a_mismatch_says_so(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    path = tmp_path / "alignment.jsonl"
    write_items(path, "k1", ITEMS[:2], checkpoint_at=2)
    path.write_bytes(b"x" + path.read_bytes()[1:])
    with caplog.at_level(logging.WARNING, logger="pipeline"), PartialJsonl(path, "k1", "align") as out:
        assert out.open(True) == 0
    assert "does not match its checkpoint" in caplog.text and str(path) in caplog.text


def test_no_key_takes_nothing_up(tmp_path: Path) -> None:
    """Outside the runner a stage has no key: what it finds is not taken up."""
    path = tmp_path / "alignment.jsonl"
    write_items(path, "", ITEMS[:2], checkpoint_at=2)
    with PartialJsonl(path, "", "align") as out:
        assert out.open(True) == 0


def test_checkpoints_come_at_most_every_interval(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "alignment.jsonl"
    checkpoint = path.with_name(path.name + CHECKPOINT_SUFFIX)
    monkeypatch.setattr(partial, "CHECKPOINT_EVERY_S", 3600.0)
    write_items(path, "k1", ITEMS[:2])
    assert not checkpoint.exists()
    monkeypatch.setattr(partial, "CHECKPOINT_EVERY_S", 0.0)
    write_items(path, "k1", ITEMS[:2])
    assert json.loads(checkpoint.read_text())["items"] == 2


def test_kill_after_names_a_stage_and_an_item(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(partial.KILL_ENV, "align:3")
    assert kill_after("align") == 3 and kill_after("score") is None
    monkeypatch.delenv(partial.KILL_ENV)
    assert kill_after("align") is None


def test_a_full_disk_names_the_partial_file(tmp_path: Path) -> None:
    path = tmp_path / "alignment.jsonl"
    with pytest.raises(OSError) as raised, PartialJsonl(path, "k1", "align") as out:
        out.open(False)
        out.fh.close()
        out.fh = open("/dev/full", "wb")  # noqa: SIM115  (every write fails with ENOSPC)
        out.write(ITEMS[0])
        out.checkpoint()
    assert raised.value.filename == str(path)  # also when leaving the stage closes (flushes) the file again
