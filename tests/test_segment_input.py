"""Reading Japanese pages in legacy encodings (pipeline.io.decode_bytes / read_text) and `jaen segment`."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from pipeline.cli import app
from pipeline.errors import InputError
from pipeline.io import decode_bytes, read_text

SEED = Path(__file__).resolve().parent.parent / "data" / "seed_ja.txt"
SHORT = "見出し\n\n一文目です。二文目です。\n"


def legacy_safe(text: str) -> str:
    """The seed minus the few characters that Shift_JIS/EUC-JP cannot encode."""
    for a, b in (("\u00a0", " "), ("‘", "'"), ("’", "'"), ("—", "-"), ("…", "...")):
        text = text.replace(a, b)
    return text


@pytest.mark.parametrize(
    "encoding", ["shift_jis", "cp932", "euc_jp", "iso2022_jp", "utf-16", "utf-16-le", "utf-16-be", "utf-8-sig"]
)
@pytest.mark.parametrize("which", ["seed", "short"])
def test_detects_japanese_encodings(tmp_path: Path, encoding: str, which: str) -> None:
    text = legacy_safe(SEED.read_text(encoding="utf-8")) if which == "seed" else SHORT
    path = tmp_path / f"{which}.{encoding}.txt"
    path.write_bytes(text.encode(encoding))
    assert read_text(path) == text


def test_crlf_is_normalised(tmp_path: Path) -> None:
    path = tmp_path / "crlf.txt"
    path.write_bytes(SHORT.replace("\n", "\r\n").encode("shift_jis"))
    assert read_text(path) == SHORT


def test_undecodable_bytes_name_the_file() -> None:
    with pytest.raises(InputError, match=r"^page\.bin: cannot detect the text encoding"):
        decode_bytes(bytes(range(256)) * 8, "page.bin")
    with pytest.raises(InputError, match=r"^page\.txt: cannot decode as shift_jis"):
        decode_bytes("見出し".encode() + b"\xff", "page.txt", "shift_jis")


runner = CliRunner()


def test_jaen_segment_prints_one_json_object_per_unit(tmp_path: Path) -> None:
    path = tmp_path / "page.sjis.txt"
    path.write_bytes("記事の見出し\n\n本文です。「引用。」と述べた。\n\nスポンサーリンク\n".encode("shift_jis"))
    result = runner.invoke(app, ["segment", str(path)])
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in result.output.splitlines()]
    assert [(r["kind"], r["text"], r["doc_id"], r["para_id"]) for r in rows] == [
        ("title", "記事の見出し", "doc1", 1),
        ("body", "本文です。", "doc1", 2),
        ("body", "「引用。」と述べた。", "doc1", 2),
    ]


def test_jaen_segment_english_and_bad_lang(tmp_path: Path) -> None:
    path = tmp_path / "ref.txt"
    path.write_text("One. Two …\n", encoding="utf-16")
    result = runner.invoke(app, ["segment", str(path), "--lang", "en"])
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in result.output.splitlines()]
    assert [(r["text"], r["partial"], r["kind"]) for r in rows] == [
        ("One.", False, "reference"),
        ("Two …", True, "reference"),
    ]
    bad = runner.invoke(app, ["segment", str(path), "--lang", "fr"])
    assert bad.exit_code == 2 and "--lang must be ja or en" in bad.output


def test_jaen_segment_empty_file(tmp_path: Path) -> None:
    path = tmp_path / "empty.txt"
    path.write_bytes(b"")
    result = runner.invoke(app, ["segment", str(path)])
    assert result.exit_code == 0 and result.output == ""


def test_jaen_segment_dropped_goes_to_stderr(tmp_path: Path) -> None:
    path = tmp_path / "page.txt"
    path.write_text("本文です。\n\nスポンサーリンク\n", encoding="utf-8")
    result = runner.invoke(app, ["segment", str(path), "--dropped"])
    assert result.exit_code == 0, result.output
    assert [json.loads(line)["text"] for line in result.stdout.splitlines()] == ["本文です。"]
    assert json.loads(result.stderr) == {
        "text": "スポンサーリンク",
        "reason": "advertising label",
        "line": 3,
        "doc_id": None,
    }
