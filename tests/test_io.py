"""pipeline.io: a JsonArray is written by write_json item by item, as the list of its items would be."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from pipeline.io import JsonArray, write_json


@pytest.mark.parametrize("items", [[], [{"seg_id": "ja00001", "bleu": 12.5}], [{"a": [1, {"b": None}]}, 2, "三"]])
def test_a_json_array_is_written_as_its_list(tmp_path: Path, items: list) -> None:
    made = 0

    def make() -> Iterator:
        nonlocal made
        made += 1
        yield from items

    write_json(tmp_path / "streamed.json", {"n": len(items), "rows": JsonArray(make, len(items)), "after": True})
    write_json(tmp_path / "list.json", {"n": len(items), "rows": items, "after": True})
    assert (tmp_path / "streamed.json").read_bytes() == (tmp_path / "list.json").read_bytes()
    assert made == (1 if items else 0)  # read once, as it was written (an empty one is "[]" at once)
    assert json.loads((tmp_path / "streamed.json").read_text(encoding="utf-8"))["rows"] == items
