"""The bitext.tsv contract: reads back losslessly with csv and pandas, whatever the text holds."""

from __future__ import annotations

import csv
from pathlib import Path

import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.export.base import ExportData
from pipeline.export.tsv import COLUMNS, TsvExporter, normalize_newlines
from pipeline.rows import Row

TRICKY = ["a\tb", "line1\nline2", 'say "hi"', '"quoted"', "trailing space ", "\nmixed\n", "「引用」", ""]


def export(tmp_path: Path, texts: list[str]) -> Path:
    rows = [
        Row(
            doc_id="doc1",
            seg_id=f"ja{i:05d}",
            source=t or "x",
            translation=t,
            reference=t,
            align_type="1-1",
            align_score=0.5,
        )
        for i, t in enumerate(texts)
    ]
    scores = {r.seg_id: {"bleu": 1.5, "chrf": 2.5} for r in rows}
    data = ExportData(rows, scores, {"signatures": {"bleu": "", "chrf": ""}}, {})
    return TsvExporter().write(data, tmp_path)


def test_round_trip_csv_and_pandas(tmp_path: Path) -> None:
    path = export(tmp_path, TRICKY)
    with path.open(encoding="utf-8", newline="") as fh:
        got = list(csv.DictReader(fh, delimiter="\t"))
    assert [r["translation"] for r in got] == TRICKY
    assert list(got[0]) == COLUMNS
    frame = pd.read_csv(path, sep="\t", keep_default_na=False, dtype=str)
    assert frame["translation"].tolist() == TRICKY
    bleu = pd.read_csv(path, sep="\t")["bleu"].tolist()
    assert bleu[:-1] == [1.5] * (len(TRICKY) - 1) and pd.isna(bleu[-1])  # no reference, no score


@settings(max_examples=60, deadline=None)
@given(st.lists(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=30), min_size=1, max_size=5))
def test_round_trip_fuzz(tmp_path_factory, texts: list[str]) -> None:
    path = export(tmp_path_factory.mktemp("tsv"), texts)
    with path.open(encoding="utf-8", newline="") as fh:
        got = list(csv.DictReader(fh, delimiter="\t"))
    assert [r["translation"] for r in got] == [normalize_newlines(t) for t in texts]


def test_stage_keeps_the_contract_with_corpus_only_metrics(tmp_path: Path) -> None:
    """TER is corpus-only: the TSV header stays the contract; JSONL has the same rows."""
    import json

    from rundirs import Unit, write_run

    from pipeline.runner import run_stages

    units = [
        Unit(["東京です。"], ["It is Tokyo."], ["This is Tokyo."]),
        Unit(["参照なし。"], ["No reference."]),
        Unit(["切れた。"], ["It was cut off there."], ["It was …"], partial=True),
    ]
    config = write_run(tmp_path / "r", units, {"score.metrics": ["bleu", "chrf", "ter"], "score.bootstrap": 0})
    run_stages(config, ["score", "export"])
    with (tmp_path / "r" / "bitext.tsv").open(encoding="utf-8", newline="") as fh:
        got = list(csv.DictReader(fh, delimiter="\t"))
    assert list(got[0]) == COLUMNS
    assert [r["partial"] for r in got] == ["false", "false", "true"]
    assert got[0]["bleu"] and got[1]["bleu"] == "" and got[2]["bleu"]  # the cut row carries its prefix score
    records = [json.loads(line) for line in (tmp_path / "r" / "bitext.jsonl").read_text().splitlines()]
    assert [r["seg_id"] for r in records] == [r["seg_id"] for r in got] and records[1]["bleu"] is None
    assert records[2]["partial"] is True and "ter" not in records[0]


def test_flags_column_jsonl_summary_and_tmx(tmp_path: Path) -> None:
    """Nothing silent: a flagged translation says so in every export, blank where nothing is wrong."""
    import json

    from rundirs import Unit, write_run

    from pipeline.runner import run_stages

    units = [
        Unit(["東京です。"], ["It is Tokyo."], ["This is Tokyo."]),
        Unit(["長い文。"], ["the the the the"], ["A long sentence."], flags=["truncated", "repeated"], retried="cap"),
        Unit(["一。", "二。"], ["One.", ""], flags=["empty"]),
        Unit([], [], ["An orphan reference."]),
    ]
    config = write_run(tmp_path / "r", units, {"score.bootstrap": 0, "export.tmx_target": "mt"})
    run_stages(config, ["score", "export"])
    run_dir = tmp_path / "r"
    with (run_dir / "bitext.tsv").open(encoding="utf-8", newline="") as fh:
        got = list(csv.DictReader(fh, delimiter="\t"))
    assert COLUMNS[-2:] == ["partial", "flags"] and list(got[0])[: len(COLUMNS)] == COLUMNS
    assert [r["flags"] for r in got] == ["", "truncated,repeated", "empty", ""]
    records = [json.loads(line) for line in (run_dir / "bitext.jsonl").read_text().splitlines()]
    assert [r["flags"] for r in records] == [[], ["truncated", "repeated"], ["empty"], []]
    assert [r["retried"] for r in records] == [None, "cap", None, None]
    summary = (run_dir / "summary.md").read_text(encoding="utf-8")
    assert "| truncated | 1 |" in summary and "| empty | 1 |" in summary and "| unk | 0 |" in summary
    assert "redid 1 row(s) with a higher cap" in summary
    from translate.storage.tmx import tmxfile

    notes = {u.getid(): u.getnotes() for u in tmxfile((run_dir / "bitext.tmx").read_bytes()).units}
    assert "mt flags: truncated,repeated" in notes["ja00002"] and "mt flags" not in notes["ja00001"]
    assert "mt flags: empty" in notes["ja00003+ja00004"]
