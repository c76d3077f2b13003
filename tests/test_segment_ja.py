"""Japanese sentence splitting: the cases of issue 3, and hypothesis properties."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.segment.ja import matched_spans, split_japanese


def squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


@pytest.mark.parametrize(
    "text, expected",
    [
        ("今日は晴れ。明日は雨！明後日は？", ["今日は晴れ。", "明日は雨！", "明後日は？"]),
        ("本当に！？　はい。", ["本当に！？", "はい。"]),
        ("そうだ!! 違う?? いや。", ["そうだ!!", "違う??", "いや。"]),
        ("終わり．次の文．", ["終わり．", "次の文．"]),  # full-width period
        ("そうか…… でも違う。", ["そうか……", "でも違う。"]),  # ellipsis then a space
        ("根付いている…また、続く。", ["根付いている…また、続く。"]),  # ellipsis inside a sentence
        ("彼は「行く。」と言った。次だ。", ["彼は「行く。」と言った。", "次だ。"]),
        ("（注：例です。）次の文。", ["（注：例です。）", "次の文。"]),
        ("彼はこう書いた。“Yes.”次。", ["彼はこう書いた。", "“Yes.”", "次。"]),
        ("共同声明は「米国は考える。米国は放棄しなければならない」と述べている。",
         ["共同声明は「米国は考える。米国は放棄しなければならない」と述べている。"]),
        ("「はい。」「いいえ。」", ["「はい。」", "「いいえ。」"]),
        ("彼は「準備ができた。そして、いつも。”彼がそう語った。", ["彼は「準備ができた。そして、いつも。”", "彼がそう語った。"]),
        ("彼は「前日だ。再選後初だ。 」 これが二番目だ。", ["彼は「前日だ。再選後初だ。 」", "これが二番目だ。"]),
        ("彼は「始まり。ところで「来た。」ところで雨だ。", ["彼は「始まり。", "ところで「来た。」", "ところで雨だ。"]),
        ("これで終わりだ。」次の段落。", ["これで終わりだ。」", "次の段落。"]),  # stray closer stays with its sentence
        ("広大な4,209.3キロの国境だ。7,000語の文書。", ["広大な4,209.3キロの国境だ。", "7,000語の文書。"]),
        ("１．５倍になった。", ["１．５倍になった。"]),
        ("U.S.とE.U.の関係は深い。Mr. Smithが来た。", ["U.S.とE.U.の関係は深い。", "Mr. Smithが来た。"]),
        ("Yahoo!ニュースで見た。本当だ.次に行く。", ["Yahoo!ニュースで見た。", "本当だ.", "次に行く。"]),
        ("『3』『4』『AUKUS』などが作られた。", ["『3』『4』『AUKUS』などが作られた。"]),
        ("終わりのない文", ["終わりのない文"]),
        # a whole-sentence quotation without a stop, then a space or another quotation
        ("「そこにブロックが導入されている」 ラブロフ外相はそう述べた。",
         ["「そこにブロックが導入されている」", "ラブロフ外相はそう述べた。"]),
        ("「おい、どこへ行くんだよ」「ちょっとそこまで行くよ」", ["「おい、どこへ行くんだよ」", "「ちょっとそこまで行くよ」"]),
        ("「北京会談の重要部分」 が始まった。", ["「北京会談の重要部分」 が始まった。"]),
        ("「北京会談の重要部分」が始まった。", ["「北京会談の重要部分」が始まった。"]),
        ("", []),
        ("   \n ", []),
    ],
)
def test_split_cases(text: str, expected: list[str]) -> None:
    assert split_japanese(text) == expected


def test_unclosed_quote_does_not_swallow_the_paragraph() -> None:
    text = "通信は「議題は危機になり、お茶会が「最も重要な部分」となると報じた。会談後、彼は述べた。次だ。"
    assert split_japanese(text) == [
        "通信は「議題は危機になり、お茶会が「最も重要な部分」となると報じた。", "会談後、彼は述べた。", "次だ。"]


def test_quote_closed_by_other_quote_mark_counts_as_closed() -> None:
    assert matched_spans("「あ。”") == [(0, 3)]
    assert matched_spans("（あ」") == []


def test_deep_unmatched_nesting_is_linear() -> None:
    text = "（" * 200_000 + "」" * 200_000 + "。あ"
    assert squash("".join(split_japanese(text))) == squash(text)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("あい漢字。、！？!?.．…「」『』（）()“”” \n　0123456789AbZ")), max_size=80))
def test_properties_on_japanese_like_text(text: str) -> None:
    pieces = split_japanese(text)
    assert squash("".join(pieces)) == squash(text)  # nothing lost, nothing reordered
    assert all(p == p.strip() and p for p in pieces)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=60))
def test_properties_on_arbitrary_unicode(text: str) -> None:
    assert squash("".join(split_japanese(text))) == squash(text)


def test_stray_closer_after_a_space_stays_with_its_sentence() -> None:
    assert split_japanese("と述べた。 」これが次だ。") == ["と述べた。 」", "これが次だ。"]


def test_stray_opener_and_far_stray_closer_do_not_make_one_quotation() -> None:
    middle = "これは文です。" * 100  # 700 characters of ordinary sentences
    text = "彼は「行くと言った。" + middle + "終わりだ。」次。"
    pieces = split_japanese(text)
    assert len(pieces) == 103 and pieces[-2] == "終わりだ。」"
