"""The segment stage writes each document's sentences as its task comes back, none held."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from pathlib import Path

import pytest

from pipeline.config import build_config
from pipeline.io import read_json, read_records
from pipeline.records import Dropped, Sentence
from pipeline.runner import run_stages
from pipeline.segment import stage as segment_stage

DOCUMENTS = 60


def corpus(tmp_path: Path) -> Path:
    docs = tmp_path / "docs"
    docs.mkdir()
    for i in range(DOCUMENTS):
        (docs / f"d{i:03d}.txt").write_text(f"東京は晴れです{i}。\n\n明日は雨が降るでしょう{i}。\n", encoding="utf-8")
    (docs / "empty.txt").write_text("\n", encoding="utf-8")  # one drop
    return docs


def test_sentences_are_written_as_documents_come_not_held(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(segment_stage, "CHARS_PER_TASK", 1)  # a task per document
    alive: list[int] = []
    segment_all = segment_stage.segment_all

    def sentences_alive() -> int:
        return sum(type(o) is Sentence for o in gc.get_objects())

    def watched(ctx) -> Iterator[tuple[list[Sentence], list[Dropped]]]:
        for k, done in enumerate(segment_all(ctx)):
            if k % 10 == 0:
                alive.append(sentences_alive() - before)
            yield done

    monkeypatch.setattr(segment_stage, "segment_all", watched)
    config = build_config(
        {"run": {"output_dir": str(tmp_path / "out"), "workers": 1}, "input": {"path": str(corpus(tmp_path))}}
    )
    before = sentences_alive()
    run_stages(config, ["segment"])
    assert len(alive) == 7 and max(alive) <= 4, alive  # this document's two, and the last one's
    sentences = read_records(config.run_dir / "sentences.jsonl", Sentence)
    assert [s.seg_id for s in sentences] == [f"ja{i:05d}" for i in range(1, 2 * DOCUMENTS + 1)]
    dropped = read_records(config.run_dir / "dropped.jsonl", Dropped)
    assert (
        len(dropped) == 1 and dropped[0].reason.startswith("empty input document") and "empty.txt" in dropped[0].reason
    )
    facts = read_json(config.run_dir / "manifest.json")["stages"]["segment"]
    assert facts["ja_sentences"] == 2 * DOCUMENTS and facts["en_sentences"] == 0
    assert facts["documents"] == DOCUMENTS and facts["input_documents"] == DOCUMENTS + 1 and facts["dropped"] == 1
