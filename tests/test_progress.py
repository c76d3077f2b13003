"""Progress of the long stages (pipeline/progress.py): documents per second and the time left, on stderr."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from pipeline import progress as progress_module
from pipeline.config import build_config
from pipeline.inputs import document_count
from pipeline.io import read_records, write_jsonl
from pipeline.progress import LOG_REFRESH_S, TERMINAL_REFRESH_S, progress
from pipeline.records import Sentence, Translation
from pipeline.runner import run_stages


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_a_bar_counts_items_with_rate_and_time_left(monkeypatch: pytest.MonkeyPatch) -> None:
    log = io.StringIO()
    monkeypatch.setattr(progress_module.sys, "stderr", log)
    with progress(3, "align", "doc") as bar:
        # a log: a line now and then, not a redraw every half second (nor tqdm's monitor every 10 s)
        assert bar.mininterval == LOG_REFRESH_S and bar.maxinterval >= LOG_REFRESH_S
        for _ in range(3):
            bar.update()
    assert "align: 100%" in log.getvalue() and "3/3" in log.getvalue() and "doc/s]" in log.getvalue()
    monkeypatch.setattr(progress_module.sys, "stderr", Terminal())
    with progress(None, "segment", "doc") as bar:
        assert bar.mininterval == TERMINAL_REFRESH_S and bar.total is None


def test_segment_and_align_show_documents(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    docs, refs = tmp_path / "docs", tmp_path / "refs"
    docs.mkdir()
    refs.mkdir()
    for name, ja, en in [("a", "東京は晴れです。", "Tokyo is sunny."), ("b", "大阪は雨です。", "Osaka has rain.")]:
        (docs / f"{name}.txt").write_text(ja, encoding="utf-8")
        (refs / f"{name}.txt").write_text(en, encoding="utf-8")
    cfg = build_config(
        {
            "run": {"output_dir": str(tmp_path / "out"), "name": "r"},
            "input": {"path": str(docs)},
            "reference": {"path": str(refs)},
        }
    )
    assert document_count(cfg) == 2
    run_stages(cfg, ["segment"])
    sentences = read_records(cfg.run_dir / "sentences.jsonl", Sentence)
    write_jsonl(cfg.run_dir / "translations.jsonl", [Translation(s.seg_id, "") for s in sentences if s.lang == "ja"])
    run_stages(cfg, ["align"])
    err = capsys.readouterr().err
    assert "segment: 100%" in err and "align: 100%" in err and err.count("2/2") == 2 and "doc/s]" in err


def test_document_count_is_unknown_for_jsonl(tmp_path: Path) -> None:
    path = tmp_path / "docs.jsonl"
    path.write_text('{"text": "一。"}\n', encoding="utf-8")
    assert document_count(build_config({"input": {"path": str(path)}})) is None


def test_a_single_item_shows_no_bar(monkeypatch: pytest.MonkeyPatch) -> None:
    """A one-page run's one document: a bar would only add noise around an error line."""
    log = io.StringIO()
    monkeypatch.setattr(progress_module.sys, "stderr", log)
    with progress(1, "segment", "doc") as bar:
        bar.update()
    assert log.getvalue() == ""
