"""translate.backend=file: lookup, normalisation, errors, fallback, resume key, and `jaen translations import`."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from pipeline.cli import app
from pipeline.config import TranslateSection, load_config
from pipeline.errors import InputError, StageError
from pipeline.runner import stage_keys
from pipeline.stage import RunContext, load_stages, stages
from pipeline.translate.file import FileTranslator, TranslationFile
from pipeline.translate.segment_import import ImportResult, Segment, divide, map_document, read_segments

runner = CliRunner()
REPO = Path(__file__).resolve().parent.parent


def write_jsonl(path: Path, rows: list[dict]) -> Path:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    return path


def test_jsonl_and_tsv_look_up_by_normalised_source(tmp_path: Path) -> None:
    jsonl = write_jsonl(
        tmp_path / "t.jsonl", [{"source": " 今日は　ＡＢＣ  晴れ。", "translation": "Sunny.", "doc": "x"}]
    )
    tsv = tmp_path / "t.tsv"
    tsv.write_text("今日は ABC 晴れ。\tSunny.\n\n明日。\t\n", encoding="utf-8")
    for path in (jsonl, tsv):
        table = TranslationFile.read(path)
        assert table.get("今日は ABC 晴れ。") == "Sunny."  # NFKC, whitespace collapsed and stripped
        assert table.get("今日は\nＡＢＣ 晴れ。 ") == "Sunny."
        assert table.get("今日はABC晴れ。") is None  # spaces are collapsed, not removed
    assert TranslationFile.read(tsv).get("明日。") == ""  # an empty translation is a translation


@pytest.mark.parametrize(
    "name, text, message",
    [
        ("a.jsonl", '{"source": "あ。", "translation": "A."}\n{"source": "い。"\n', "a.jsonl:2: invalid JSON"),
        ("b.jsonl", '{"source": "あ。", "text": "A."}\n', "b.jsonl:1: expected"),
        ("c.tsv", "あ。\tA.\nい。\n", "c.tsv:2: expected two tab-separated columns"),
        ("d.tsv", "あ。\tA.\n あ。 \tB.\n", "d.tsv:2: source already translated differently at line 1"),
        ("e.tsv", "\t A.\n", "e.tsv:1: empty source sentence"),
        ("f.tsv", "\n\n", "f.tsv: no translations"),
    ],
)
def test_malformed_files_name_file_and_line(tmp_path: Path, name: str, text: str, message: str) -> None:
    (tmp_path / name).write_text(text, encoding="utf-8")
    with pytest.raises(InputError, match=message):
        TranslationFile.read(tmp_path / name)


def test_missing_sentences_are_counted_and_shown(tmp_path: Path) -> None:
    path = write_jsonl(tmp_path / "t.jsonl", [{"source": "あ。", "translation": "A."}])
    translator = FileTranslator(TranslateSection(backend="file", file=path))
    with pytest.raises(StageError, match=r"3 of 4 sentences have no translation .*first: 'い。', 'う。', 'え。'"):
        translator.check_sources(["あ。", "い。", "う。", "え。", "い。"])
    assert translator.translate(["あ。", " あ。"]) == ["A.", "A."]
    assert translator.describe() == {"from_file": 2, "from_model": 0}


def test_fallback_translates_what_the_file_lacks_and_counts_both(tmp_path: Path, tiny_model: Path) -> None:
    path = write_jsonl(tmp_path / "t.jsonl", [{"source": "あ。", "translation": "A."}])
    cfg = TranslateSection(backend="file", file=path, fallback="hf", model=str(tiny_model))
    translator = FileTranslator(cfg)
    translator.check_sources(["あ。", "今日は晴れ。"])  # no error: the fallback covers it
    out = translator.translate(["今日は晴れ。", "あ。"])
    assert out[1] == "A." and out[0] and out[0] != "A."
    info = translator.describe()
    assert (info["from_file"], info["from_model"]) == (1, 1) and info["fallback_model"]["backend"] == "hf"


def test_file_hash_enters_the_translate_key_only(tmp_path: Path) -> None:
    path = tmp_path / "t.tsv"
    path.write_text("あ。\tA.\n", encoding="utf-8")
    config = load_config(None, ["translate.backend=file", f"translate.file={path}"])

    load_stages()

    def keys() -> dict[str, str]:  # as the runner computes them: the translate stage's identity in the key
        identity = stages.get("translate")().identity(RunContext(config, tmp_path))
        return stage_keys(config, {"input": "x"}, {"translate": identity})

    before = keys()
    path.write_text("あ。\tB.\n", encoding="utf-8")
    after = keys()
    assert before["segment"] == after["segment"]
    assert all(before[s] != after[s] for s in ("translate", "align", "score", "export"))
    assert (
        FileTranslator(config.translate).identity()["sha256"]
        == FileTranslator.source_identity(config.translate)["sha256"]
    )


def test_backend_file_without_a_file_is_a_config_error() -> None:
    from pipeline.errors import ConfigError

    with pytest.raises(ConfigError, match="translate.file=PATH"):
        FileTranslator(TranslateSection(backend="file"))


def _segments(*pairs: tuple[str, str]) -> list[Segment]:
    return [Segment("d", i, ja, en) for i, (ja, en) in enumerate(pairs, 1)]


def test_import_maps_direct_joined_split_and_leaves_undividable_blocks_out() -> None:
    segments = _segments(
        ("見出し", "Headline"),
        ("一文目。", "One."),
        ("二文目。三文目。", "Two. Three."),
        ("「四。」", '"Four."'),
        ("五文目", "Five"),
        ("です。", "it is."),
        ("六。七。", "Six and seven."),
    )
    ours = ["見出し", "一文目。", "二文目。", "三文目。", "「四。」 五文目です。", "六。", "七。"]
    result = ImportResult()
    map_document("d", ours, segments, result)
    got = {r.source: (r.translation, r.how) for r in result.rows}
    assert got == {
        "見出し": ("Headline", "direct"),
        "一文目。": ("One.", "direct"),
        "二文目。": ("Two.", "split"),
        "三文目。": ("Three.", "split"),
        "「四。」 五文目です。": ('"Four." Five it is.', "joined"),
    }
    assert result.unmapped == [("d", "六。"), ("d", "七。")] and result.segments == 7


def test_import_of_a_document_with_other_text_maps_equal_sentences_only() -> None:
    result = ImportResult()
    map_document("d", ["あ。", "違う文。"], _segments(("あ。", "A."), ("い。", "I.")), result)
    assert [(r.source, r.how) for r in result.rows] == [("あ。", "direct")] and result.unmapped == [("d", "違う文。")]


def test_divide_by_character_share_when_english_has_more_sentences() -> None:
    long_ja = "とても長い長い長い文です。"
    assert divide("Yes. It is. Then it rained all day long.", ["短。", long_ja]) == [
        "Yes.",
        "It is. Then it rained all day long.",
    ]
    assert divide("Then it rained all day long. It is. Yes.", [long_ja, "短。"]) == [
        "Then it rained all day long. It is.",
        "Yes.",
    ]
    assert divide("One only.", ["あ。", "い。"]) is None


def test_cli_import_then_run_with_the_file(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "d1.txt").write_text(
        "今日は晴れ。明日は雨だ。\n\nIt is sunny today. It will rain tomorrow.\n", encoding="utf-8"
    )
    src = write_jsonl(
        tmp_path / "mt.jsonl",
        [
            {
                "doc": "d1",
                "seg": 1,
                "ja": "今日は晴れ。明日は雨だ。",
                "translation": "It's sunny today. Tomorrow it rains.",
            },
            {"doc": "elsewhere", "seg": 1, "ja": "別の記事。", "translation": "Another article."},
        ],
    )  # not in --docs
    out = tmp_path / "translations.jsonl"
    result = runner.invoke(app, ["translations", "import", str(src), str(out), "--docs", str(docs)])
    assert result.exit_code == 0, result.output
    assert "1 of 2 documents" in result.output and "elsewhere.txt" in result.output and "skipped" in result.output
    assert "2 sentences from 1 segments: 0 direct, 0 joined, 2 split" in result.output
    rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [(r["source"], r["translation"]) for r in rows] == [
        ("今日は晴れ。", "It's sunny today."),
        ("明日は雨だ。", "Tomorrow it rains."),
    ]

    overrides = [
        f"input.path={docs / 'd1.txt'}",
        f"run.output_dir={tmp_path / 'out'}",
        "run.name=f",
        "translate.backend=file",
        f"translate.file={out}",
        "translate.build_tiny=false",
        "translate.model=does-not-exist",
        f"translate.cache_dir={tmp_path / 'cache'}",
        "score.bootstrap=0",
    ]
    result = runner.invoke(app, ["run", str(REPO / "configs" / "smoke.yaml"), *overrides])
    assert result.exit_code == 0, result.output
    run_dir = tmp_path / "out" / "f"
    translations = [json.loads(line)["translation"] for line in (run_dir / "translations.jsonl").open(encoding="utf-8")]
    assert translations == ["It's sunny today.", "Tomorrow it rains."]
    stage = json.loads((run_dir / "manifest.json").read_text(encoding="utf-8"))["stages"]["translate"]
    assert (stage["from_file"], stage["from_model"]) == (2, 0) and stage["model"]["sha256"]
    assert not (tmp_path / "cache" / "translations.sqlite").exists()  # file rows stay out of the cache

    out.write_text(out.read_text(encoding="utf-8").splitlines()[0] + "\n", encoding="utf-8")
    result = runner.invoke(app, ["run", str(REPO / "configs" / "smoke.yaml"), *overrides])
    assert result.exit_code == 2
    assert "1 of 2 sentences have no translation in the file (first: '明日は雨だ。')" in result.output
    assert "Traceback" not in result.output


def test_translations_help() -> None:
    for cmd in (["translations", "--help"], ["translations", "import", "--help"]):
        result = runner.invoke(app, cmd)
        assert result.exit_code == 0 and "Usage" in result.output and "import" in result.output


def test_cli_import_errors_are_one_line(tmp_path: Path) -> None:
    bad = tmp_path / "mt.jsonl"
    bad.write_text('{"doc": "d", "seg": "1", "ja": "あ", "translation": "A"}\n', encoding="utf-8")
    result = runner.invoke(app, ["translations", "import", str(bad), str(tmp_path / "o.jsonl")])
    assert result.exit_code == 2 and "mt.jsonl:1: expected" in result.output
    write_jsonl(bad, [{"doc": "nodoc", "seg": 1, "ja": "あ。", "translation": "A."}])
    result = runner.invoke(
        app, ["translations", "import", str(bad), str(tmp_path / "o.jsonl"), "--docs", str(tmp_path)]
    )
    assert result.exit_code == 2 and "nodoc" in result.output and not (tmp_path / "o.jsonl").exists()


def test_segment_files_read_through_the_one_jsonl_reader(tmp_path: Path) -> None:
    """A byte-order mark is no error; a malformed line is one error naming the file and line."""
    path = tmp_path / "sys.jsonl"
    row = {"doc": "d", "seg": 2, "ja": "あ。", "translation": "A."}
    first = {**row, "seg": 1, "translation": "First."}
    path.write_bytes(b"\xef\xbb\xbf" + (json.dumps(row) + "\n" + json.dumps(first) + "\n").encode())
    assert [s.translation for s in read_segments(path)["d"]] == ["First.", "A."]  # in seg order
    for bad, message in (('{"doc": 1}', "expected {"), ("[1]", "expected a JSON object"), ("{bad", "invalid JSON")):
        path.write_text(json.dumps(row) + "\n" + bad + "\n", encoding="utf-8")
        with pytest.raises(InputError, match=rf"sys\.jsonl:2: {re.escape(message)}"):
            read_segments(path)
