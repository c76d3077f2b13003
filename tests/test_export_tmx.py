"""bitext.tmx: TMX 1.4 from translate-toolkit that re-imports with every unit intact."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree
from rundirs import Unit, write_run
from translate.storage.tmx import tmxfile

from pipeline.config import ExportSection
from pipeline.export import tmx
from pipeline.export.base import ExportData
from pipeline.export.tmx import TmxExporter, build_tmx, xml_text
from pipeline.rows import Row
from pipeline.runner import run_stages

ROWS = [
    Row(
        "doc1",
        "ja00001",
        "東京は日本の首都です。",
        "Tokyo is Japan's capital.",
        "Tokyo is the capital of Japan.",
        "1-1",
        0.9,
    ),
    Row("doc1", "ja00002", '注記 <b>&amp;</b> "引用"', 'Note <b>&amp;</b> "quote"', "", "1-0", 0.0),
    Row("doc1", "ja00003+ja00004", "一文目。二文目。", "First. Second.", "First and second.", "2-1", 0.7),
    Row("doc1", "ja00005", "切れた文。", "A sentence that was cut.", "A sentence …", "1-1", 0.8, partial=True),
    Row("doc1", "en00009", "", "", "Orphan reference.", "0-1", 0.0),
]


def write(tmp_path: Path, rows: list[Row], mode: str = "reference_or_mt") -> Path:
    data = ExportData(rows, {}, {"signatures": {}}, {}, ExportSection(tmx_target=mode))
    return TmxExporter().write(data, tmp_path)


def units(path: Path) -> list[tuple[str, str, str, str]]:
    store = tmxfile(path.read_bytes())
    return [(u.getid(), u.source, u.target, u.getnotes()) for u in store.units]


def test_reimports_with_every_unit_intact(tmp_path: Path) -> None:
    path = write(tmp_path, ROWS)
    root = etree.parse(str(path)).getroot()
    assert root.tag == "tmx" and root.get("version") == "1.4"
    assert root.find("header").get("srclang") == "ja"
    got = units(path)
    assert [(i, s, t) for i, s, t, _ in got] == [
        ("ja00001", "東京は日本の首都です。", "Tokyo is the capital of Japan."),  # the reference where present
        ("ja00002", '注記 <b>&amp;</b> "引用"', 'Note <b>&amp;</b> "quote"'),  # the MT otherwise
        ("ja00003+ja00004", "一文目。二文目。", "First and second."),
        ("ja00005", "切れた文。", "A sentence that was cut."),  # a truncated reference is never a target
    ]
    assert [n.split(";")[0] for *_, n in got] == ["target: reference", "target: mt", "target: reference", "target: mt"]
    langs = {tuv.get("{http://www.w3.org/XML/1998/namespace}lang") for tuv in root.iter("tuv")}
    assert langs == {"ja", "en"}


def test_target_modes(tmp_path: Path) -> None:
    only_ref = units(write(tmp_path / "r", ROWS, "reference"))
    assert [u[0] for u in only_ref] == ["ja00001", "ja00003+ja00004"]
    only_mt = units(write(tmp_path / "m", ROWS, "mt"))
    assert [u[2] for u in only_mt] == [r.translation for r in ROWS if r.source]


def test_export_stage_writes_tmx(tmp_path: Path) -> None:
    config = write_run(
        tmp_path / "r",
        [Unit(["東京です。"], ["It is Tokyo."], ["This is Tokyo."]), Unit(["参照なし。"], ["No reference."])],
        {"export.tmx_target": "reference"},
    )
    run_stages(config, ["score", "export"])
    assert [u[1:3] for u in units(tmp_path / "r" / "bitext.tmx")] == [("東京です。", "This is Tokyo.")]


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.tuples(st.text(min_size=1, max_size=25), st.text(max_size=25), st.text(max_size=25)), min_size=1, max_size=5
    )
)
def test_round_trip_fuzz(texts: list[tuple[str, str, str]]) -> None:
    rows = [Row("d", f"ja{i}", src, mt, ref, "1-1" if ref else "1-0", 0.5) for i, (src, mt, ref) in enumerate(texts)]
    store, _ = build_tmx(rows)
    back = tmxfile(bytes(store))
    expected = [
        (xml_text(r.source), xml_text(r.reference if r.has_reference else r.translation))
        for r in rows
        if r.source and (r.has_reference or r.translation)
    ]
    assert [(u.source, u.target) for u in back.units] == expected


@pytest.mark.parametrize("per_piece", [1, 2, 3, 100])
def test_written_in_pieces_as_one_store_writes_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, per_piece: int
) -> None:
    """Pieces of rows (some making no unit, a whole piece making none) give the whole store's bytes."""
    monkeypatch.setattr(tmx, "ROWS_PER_PIECE", per_piece)
    rows = [
        Row("d", "ja1", "一。", "One.", "One!", "1-1", 0.9),
        Row("d", "ja2", "", "", "Reference only.", "0-1", 0.0),
        Row("d", "ja3", "", "", "Another one.", "0-1", 0.0),
        Row("d", "ja4", "二。", "Two\x07.", "", "1-0", 0.0, flags=["repeated"]),
        Row("d", "ja5", "三。", "Three.", "Three", "1-1", 0.8),
    ]
    for chosen in (rows, rows[1:3], []):
        store, _ = build_tmx(chosen)
        data = ExportData(chosen, {}, {"signatures": {}}, {})
        path = TmxExporter().write(data, tmp_path)
        assert path.read_bytes() == bytes(store)
