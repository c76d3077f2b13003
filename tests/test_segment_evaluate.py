"""The boundary scorer, the seed gold, and the F1 the issue asks for."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.config import SegmentSection
from pipeline.errors import InputError
from pipeline.io import read_text
from pipeline.segment.evaluate import boundaries, main, optional_boundaries, read_gold, score_boundaries
from pipeline.segment.ja import split_japanese
from pipeline.segment.rules import RulesSegmenter

DATA = Path(__file__).resolve().parent / "data"
SEED = Path(__file__).resolve().parent.parent / "data" / "seed_ja.txt"


def test_boundaries_ignore_whitespace() -> None:
    assert boundaries(["ab。 ", " cd。", "e"]) == ("ab。cd。e", {3, 6})


def test_scores() -> None:
    s = score_boundaries(["a。", "b。", "c。"], ["a。b。", "c。"])
    assert (s.tp, s.fp, s.fn) == (1, 0, 1) and s.precision == 1.0 and s.recall == 0.5
    assert abs(s.f1 - 2 / 3) < 1e-9
    s = score_boundaries(["a。", "b。"], ["a", "。", "b。"])
    assert (s.tp, s.fp, s.fn) == (1, 1, 0)
    assert score_boundaries(["x"], ["x"]).f1 == 1.0  # no boundaries at all: perfect, not 0/0


def test_scores_through_an_alignment_when_texts_differ() -> None:
    # a system that normalised a character and dropped one
    s = score_boundaries(["ＡＢ。", "ｃ。", "d。"], ["AB。", "ｃ。", "。"])
    assert s.coverage < 1.0 and (s.tp, s.fp, s.fn) == (2, 0, 0)
    s = score_boundaries(["ＡＢ。", "ｃ。", "d。"], ["AB。ｃ。d。"])
    assert (s.tp, s.fp, s.fn) == (0, 0, 2)


def test_read_gold_format(tmp_path: Path) -> None:
    gold = tmp_path / "g.txt"
    gold.write_text(
        "# c\n=== doc 1\ntitle\t見出し\n\n一文。\n二文。\n=== doc 2\nreference\tAn English one.\n", encoding="utf-8"
    )
    units = read_gold(gold)
    assert [(u.doc, u.para, u.kind, u.lang, u.text) for u in units] == [
        (1, 1, "title", "ja", "見出し"),
        (1, 2, "body", "ja", "一文。"),
        (1, 2, "body", "ja", "二文。"),
        (2, 3, "reference", "en", "An English one."),
    ]


@pytest.mark.parametrize(
    "content, message",
    [
        ("=== document\n", ":1: a document line must read"),
        ("titel\t見出し\n", ":1: unknown kind 'titel'"),
        ("title\t  \n", ":1: empty sentence"),
    ],
)
def test_read_gold_errors_name_file_and_line(tmp_path: Path, content: str, message: str) -> None:
    gold = tmp_path / "g.txt"
    gold.write_text(content, encoding="utf-8")
    with pytest.raises(InputError, match=message):
        read_gold(gold)
    with pytest.raises(InputError, match="not found"):
        read_gold(tmp_path / "missing.txt")


def test_seed_gold_f1_at_least_0_99_and_above_pysbd() -> None:
    gold = read_gold(DATA / "seed_gold.txt")
    text = read_text(SEED)
    result = RulesSegmenter(SegmentSection()).segment(text)
    ja_gold = [u.text for u in gold if u.lang == "ja"]
    ours = score_boundaries(ja_gold, [u.text for u in result.units if u.lang == "ja"])
    assert ours.f1 >= 0.99 and ours.coverage == 1.0
    en = score_boundaries([u.text for u in gold if u.lang == "en"], [u.text for u in result.units if u.lang == "en"])
    assert en.f1 >= 0.99
    # structure: kinds and documents agree with the gold unit by unit
    ja_units = [u for u in result.units if u.lang == "ja"]
    gold_ja = [u for u in gold if u.lang == "ja"]
    assert [(u.kind, u.doc) for u in ja_units] == [(g.kind, g.doc) for g in gold_ja]

    import pysbd

    sbd = pysbd.Segmenter(language="ja", clean=False)
    paragraphs: dict[tuple[int, int], list[str]] = {}
    for u in gold_ja:
        paragraphs.setdefault((u.doc, u.para), []).append(u.text)
    joined = [" ".join(p) for p in paragraphs.values()]
    theirs = score_boundaries(ja_gold, [s for p in joined for s in sbd.segment(p)])
    ours_same_input = score_boundaries(ja_gold, [s for p in joined for s in split_japanese(p)])
    assert ours_same_input.f1 >= 0.99 and ours_same_input.f1 > theirs.f1


def test_command_line(capsys: pytest.CaptureFixture[str]) -> None:
    assert main([str(DATA / "seed_gold.txt"), str(SEED)]) == 0
    out = capsys.readouterr().out
    assert out.startswith("ja: P=1.0000 R=1.0000 F1=1.0000") and "en: " in out
    assert main([]) == 2


def test_optional_boundaries_inside_a_quotation_and_before_a_quotative_to() -> None:
    gold = ["彼は「そうだ。", "違う」と言った。", "「本当か？」", "と聞いた。", "次だ。"]
    text, cuts = boundaries(gold)
    optional = optional_boundaries(gold)
    assert optional == {text.index("違う"), text.index("と聞いた")}
    # a system that leaves both optional cuts out loses nothing; one that makes them gains nothing it lacks
    skipping = ["彼は「そうだ。違う」と言った。", "「本当か？」と聞いた。", "次だ。"]
    s = score_boundaries(gold, skipping, optional)
    assert (s.tp, s.fp, s.fn) == (2, 0, 0)
    assert score_boundaries(gold, gold, optional).f1 == 1.0
    assert score_boundaries(gold, skipping).fn == 2  # without the optional set both are misses
