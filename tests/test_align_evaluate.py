"""Link precision/recall/F1 of a bitext TSV against a gold alignment, and its input errors."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.align.evaluate import MATCH, CellIndex, containment, evaluate, load_gold, row_links, score_links
from pipeline.errors import InputError

GOLD = [
    (["北京で会談した。"], ["They met in Beijing."]),
    (["プーチン大統領が訪問した。"], ["Putin visited.", "It was his first trip."]),
    (["関係のない文。"], []),
]


def test_perfect_prediction() -> None:
    pred = [
        ("北京で会談した。", "They met in Beijing."),
        ("プーチン大統領が訪問した。", "Putin visited. It was his first trip."),
        ("関係のない文。", ""),
    ]
    s = score_links(pred, GOLD)
    assert (s.precision, s.recall, s.f1, s.correct, s.predicted, s.gold) == (1.0, 1.0, 1.0, 3, 3, 3)


def test_wrong_and_missing_links() -> None:
    pred = [
        ("北京で会談した。", ""),
        ("", "They met in Beijing."),
        ("プーチン大統領が訪問した。", "Putin visited."),
        ("", "It was his first trip."),
        ("関係のない文。", "Something else entirely."),
    ]
    s = score_links(pred, GOLD)
    assert (s.correct, s.predicted, s.gold) == (1, 2, 3)
    assert s.precision == 0.5 and s.recall == pytest.approx(0.3333, abs=1e-4)


def test_boundaries_may_shift() -> None:
    # the predicted cell holds the gold sentence without its final stop, plus a neighbour
    pred = [
        ("北京で会談した その後", "They met in Beijing"),
        ("プーチン大統領が訪問した。", "Putin visited. It was his first trip."),
    ]
    assert score_links(pred, GOLD).f1 == 1.0
    assert containment("They met in Beijing.", "Putin visited.") < 0.5


def test_empty_prediction_scores_zero_recall() -> None:
    s = score_links([], GOLD)
    assert s.recall == 0.0 and s.f1 == 0.0


def write_tsv(path: Path, rows: list[tuple[str, str]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, delimiter="\t")
        w.writerow(["doc_id", "seg_id", "source", "translation", "reference"])
        w.writerows(["1", str(k), s, "", r] for k, (s, r) in enumerate(rows))
    return path


def test_files(tmp_path: Path) -> None:
    gold = tmp_path / "gold.json"
    gold.write_text(json.dumps([{"ja": ja, "en": en} for ja, en in GOLD], ensure_ascii=False))
    pred = write_tsv(tmp_path / "pred.tsv", [("北京で会談した。", "They met in Beijing.")])
    s = evaluate(pred, gold)
    assert (s.correct, s.predicted, s.gold) == (1, 1, 3)


@pytest.mark.parametrize(
    "content, message",
    [
        ('[{"ja": ["a"], "en": ["b"]},\n  {"ja": ]', "gold.json:2:"),
        ('{"ja": ["a"]}', "JSON list"),
        ('[{"ja": "a", "en": ["b"]}]', "bead [0] key 'ja'"),
        ('[{"ja": ["a"], "fr": ["b"]}]', "bead [0]"),
    ],
)
def test_bad_gold_is_one_clear_error(tmp_path: Path, content: str, message: str) -> None:
    gold = tmp_path / "gold.json"
    gold.write_text(content)
    with pytest.raises(InputError, match=message.replace("[", r"\[").replace("]", r"\]")):
        load_gold(gold)


def test_bad_prediction_is_one_clear_error(tmp_path: Path) -> None:
    gold = tmp_path / "gold.json"
    gold.write_text("[]")
    bad = tmp_path / "pred.tsv"
    bad.write_text("doc_id\tsource\n1\tx\n")
    with pytest.raises(InputError, match="pred.tsv:1: header lacks column"):
        evaluate(bad, gold)
    with pytest.raises(InputError, match="not found"):
        evaluate(tmp_path / "missing.tsv", gold)


@settings(max_examples=60, deadline=None)
@given(
    st.recursive(
        st.none() | st.booleans() | st.integers() | st.text(max_size=5),
        lambda inner: (
            st.lists(inner, max_size=3) | st.dictionaries(st.sampled_from(["ja", "en", "x"]), inner, max_size=3)
        ),
        max_leaves=8,
    )
)
def test_any_json_gold_loads_or_fails_clearly(tmp_path_factory: pytest.TempPathFactory, data: object) -> None:
    gold = tmp_path_factory.mktemp("g") / "gold.json"
    gold.write_text(json.dumps(data))
    try:
        beads = load_gold(gold)
    except InputError as exc:
        assert "\n" not in str(exc) and "gold.json" in str(exc)
    else:
        assert 0.0 <= score_links([("a", "b")], beads).f1 <= 1.0


def test_cli_prints_scores_and_reports_bad_gold(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from pipeline.cli import app

    gold = tmp_path / "gold.json"
    gold.write_text(json.dumps([{"ja": ja, "en": en} for ja, en in GOLD], ensure_ascii=False))
    pred = write_tsv(tmp_path / "pred.tsv", [("北京で会談した。", "They met in Beijing.")])
    result = CliRunner().invoke(app, ["eval-align", str(pred), "--gold", str(gold)])
    assert result.exit_code == 0, result.output
    assert result.stdout.split()[:2] == ["precision", "1.0000"] and "F1 0.5000" in result.stdout  # and a warning
    gold.write_text("[{")
    result = CliRunner().invoke(app, ["eval-align", str(pred), "--gold", str(gold)])
    assert result.exit_code == 2 and result.output.count("\n") == 1 and "gold.json:1:" in result.output


def brute_force_best(sentence: str, cells: list[str]) -> set[int]:
    """The matching rule as the README states it, cell by cell: the cells holding the largest share
    (at least MATCH) of the sentence's character n-grams."""
    scores = [containment(sentence, c) for c in cells]
    top = max(scores, default=0.0)
    return {k for k, v in enumerate(scores) if v == top} if top >= MATCH else set()


@settings(max_examples=200, deadline=None)
@given(
    cells=st.lists(st.text(alphabet="北京で会談した。ab cdef", max_size=14), max_size=6),
    sentence=st.text(alphabet="北京で会談した。ab cdef", max_size=10),
)
def test_indexed_matching_equals_scanning_every_cell(cells: list[str], sentence: str) -> None:
    assert CellIndex(cells).best(sentence) == brute_force_best(sentence, cells)


def test_a_sentence_shorter_than_an_ngram_matches_only_as_a_substring() -> None:
    index = CellIndex(["北京で会談", "東京", "北"])
    assert index.best("北京") == {0}
    assert index.best("大阪") == set()


def test_row_links_name_each_rows_links() -> None:
    pred = [
        ("北京で会談した。", "They met in Beijing."),
        ("関係のない文。", "Putin visited."),
        ("プーチン大統領が訪問した。", ""),
    ]
    links, gold = row_links(pred, GOLD)
    assert links == [[(0, 0)], [(2, 1)], []]
    assert gold == {(0, 0), (1, 1), (1, 2)}
    assert [all(x in gold for x in made) for made in links if made] == [True, False]


def test_a_repeated_sentence_is_found_in_its_own_place() -> None:
    """A byline repeated in every heading, and one English sentence rendering two Japanese ones
    (WMT21 dev set), are each found once, next to their neighbours, not in every cell holding them."""
    gold = [
        (["会談の記事 "], ["On the talks"]),
        (["（通信 ）"], ["(News Agency)"]),
        (["家計は誰が握る？"], ["Who holds the purse?"]),
        (["別の記事 （通信 ）"], ["Another story (News Agency)"]),
        (["家計を握るのは？"], ["Who holds the purse?"]),
    ]
    pred = [
        ("会談の記事 （通信 ）", "On the talks (News Agency)"),
        ("家計は誰が握る？", "Who holds the purse?"),
        ("別の記事 （通信 ）", "Another story (News Agency)"),
        ("家計を握るのは？", "Who holds the purse?"),
    ]
    links, gold_links = row_links(pred, gold)
    assert links == [[(0, 0), (0, 1), (1, 0), (1, 1)], [(2, 2)], [(3, 3)], [(4, 4)]]
    s = score_links(pred, gold)
    assert (s.correct, s.predicted, s.gold) == (5, 7, 5)


def eval_align(pred: Path, gold: Path) -> tuple[int, str, str]:
    from typer.testing import CliRunner

    from pipeline.cli import app

    result = CliRunner().invoke(app, ["eval-align", str(pred), "--gold", str(gold)])
    assert "Traceback" not in result.output
    return result.exit_code, result.stdout, result.stderr


def write_gold(path: Path, gold: list[tuple[list[str], list[str]]]) -> Path:
    path.write_text(json.dumps([{"ja": ja, "en": en} for ja, en in gold], ensure_ascii=False), encoding="utf-8")
    return path


def test_a_gold_for_other_documents_is_an_error_naming_them(tmp_path: Path) -> None:
    """Issue 24.6: a gold for other documents used to print P/R/F1 = 0 and exit 0 with no word."""
    pred = write_tsv(tmp_path / "pred.tsv", [("全く別の記事の文です。", "A sentence of another article entirely.")])
    code, out, err = eval_align(pred, write_gold(tmp_path / "gold.json", GOLD))
    assert code == 2 and not out and err.count("\n") == 1
    assert "none of the 6 gold sentences is found in the prediction" in err
    assert f"{pred} (doc_id 1)" in err and f"{tmp_path / 'gold.json'} (first sentence '北京で会談した。')" in err


def test_fewer_than_half_found_warns_and_still_scores(tmp_path: Path) -> None:
    pred = write_tsv(tmp_path / "pred.tsv", [("北京で会談した。", "They met in Beijing.")])  # 2 of 6 sentences
    code, out, err = eval_align(pred, write_gold(tmp_path / "gold.json", GOLD))
    assert code == 0 and out.startswith("precision 1.0000 (1/1)")
    assert err.startswith("jaen: warning: only 2 of the 6 gold sentences are found") and err.count("\n") == 1
    assert "documents compared:" in err


def test_half_or_more_found_is_quiet(tmp_path: Path) -> None:
    rows = [("北京で会談した。", "They met in Beijing."), ("プーチン大統領が訪問した。", "Putin visited.")]
    code, out, err = eval_align(write_tsv(tmp_path / "pred.tsv", rows), write_gold(tmp_path / "gold.json", GOLD))
    assert code == 0 and not err and out.startswith("precision")


@pytest.mark.parametrize("gold", [[], [(["関係のない文。"], [])], [([], [])]])
def test_an_empty_gold_is_an_error(tmp_path: Path, gold: list[tuple[list[str], list[str]]]) -> None:
    """An empty gold used to print "recall 1.0000 (0/0)"."""
    pred = write_tsv(tmp_path / "pred.tsv", [("北京で会談した。", "They met in Beijing.")])
    with pytest.raises(InputError, match="gold.json: the gold has no link"):
        load_gold(write_gold(tmp_path / "gold.json", gold))
    code, out, err = eval_align(pred, tmp_path / "gold.json")
    assert code == 2 and not out and "the gold has no link" in err and err.count("\n") == 1
