"""The rules segmenter on whole pages: cleaning, repeats, structure, routing, bad input, properties."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.config import SegmentSection
from pipeline.io import read_text
from pipeline.segment.base import SegmentResult
from pipeline.segment.clean import CONTROL
from pipeline.segment.rules import RulesSegmenter, choose_repeat_keepers, split_blocks, wrap_width

SEED = Path(__file__).resolve().parent.parent / "data" / "seed_ja.txt"


def seg(text: str, **cfg: object) -> SegmentResult:
    return RulesSegmenter(SegmentSection(**cfg)).segment(text)


def squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def assert_nothing_lost(text: str, result: SegmentResult) -> None:
    """Every non-space character of the input is in a unit or in a drop record, and units keep input order."""
    out = "".join(u.text for u in result.units) + "".join(d.text for d in result.dropped)
    assert Counter(squash(out)) == Counter(squash(text))
    # units and drops put back by input line (drops of a line after its units) give back the input
    # (control characters aside: they are removed from inside a line and recorded apart, clean.strip_controls)
    pieces = [((u.line or 0), 0, i, u.text) for i, u in enumerate(result.units)]
    pieces += [((d.line or 0), 1, i, d.text) for i, d in enumerate(result.dropped)]
    assert squash(CONTROL.sub("", "".join(p[3] for p in sorted(pieces)))) == squash(CONTROL.sub("", text))


def test_seed_cleaning_and_structure() -> None:
    text = read_text(SEED)
    result = seg(text)
    assert_nothing_lost(text, result)
    reasons = {d.text: d.reason for d in result.dropped}
    for junk in (
        "Attention Required! | Cloudflare",
        "スポンサーリンク",
        "コメント",
        "タイトルとURLをコピーしました",
        "ロシア語の要約はこちら",
        "- Indian Punchline",
    ):
        assert junk in reasons, junk
    # the teaser copies (lines 1, 5, 7) go, the copies inside the full article (11, 57, 59) stay
    repeats = sorted(d.line for d in result.dropped if d.reason.startswith("repeat"))
    assert repeats == [1, 5, 7]
    ja = [u for u in result.units if u.lang == "ja"]
    assert [u.doc for u in ja].count(1) > 40 and {u.doc for u in ja} == {1, 2}
    titles = [(u.doc, u.text) for u in ja if u.kind == "title"]
    assert titles == [(1, "中露協商が世界政治の地殻変動を引き起こす"), (2, "プーチン・習近平会談の「内部路線」")]
    assert [u.kind for u in ja if u.kind == "caption"] == ["caption", "caption"]
    en = [u for u in result.units if u.lang == "en"]
    assert all(u.kind == "reference" and u.doc == 2 for u in en)
    assert en[1].text.endswith("May 18, 2024") and en[2].text.startswith("In international diplomacy")
    assert en[-1].partial and en[-1].text.endswith("…") and not any(u.partial for u in en[:-1])
    paras = [u.para for u in result.units]
    assert paras == sorted(paras)


def test_dedupe_off_keeps_every_copy() -> None:
    text = read_text(SEED)
    result = seg(text, dedupe=False)
    assert not any(d.reason.startswith("repeat") for d in result.dropped)
    assert sum(u.text == "中露協商が世界政治の地殻変動を引き起こす" for u in result.units) == 2


def test_repeat_keeper_prefers_the_copy_among_unique_paragraphs() -> None:
    keys = [
        "title-xxxx",
        "teaser-aa",
        "teaser-bb",
        "title-xxxx",
        "p1-unique",
        "p2-unique",
        "teaser-aa",
        "p3-unique",
        "teaser-bb",
        "p4-unique",
    ]
    keeper = choose_repeat_keepers(keys)
    assert keeper[0] == keeper[3] == 3 and keeper[1] == keeper[6] == 6 and keeper[2] == keeper[8] == 8
    assert 4 not in keeper
    # ties keep the first copy; short paragraphs never count as repeats
    assert choose_repeat_keepers(["same-para", "same-para"]) == {0: 0, 1: 0}
    assert choose_repeat_keepers(["はい。", "はい。"]) == {}


def test_hard_wrapped_lines_are_joined_but_paragraphs_are_not() -> None:
    body = (
        "これは固定幅で折り返された長い段落の一行目であり、文は次の行に続いて",
        "いく。二つ目の文もまた長く書かれていて、固定幅の折り返しで",
        "切れてしまう。三つ目の文は短い。四つ目の文はここで終わる段落だ。ここで",
        "終わる。",
    )
    width = max(len(x) for x in body)
    lines = [x.ljust(width, "あ") if i < 3 else x for i, x in enumerate(body)]
    text = "見出しの行\n" + "\n".join(lines) + "\n\n　次の段落です。\n"
    assert wrap_width(text.split("\n")) == width
    result = seg(text)
    assert_nothing_lost(text, result)
    kinds = [(u.kind, u.para) for u in result.units]
    assert kinds[0] == ("title", 1)
    assert len({p for k, p in kinds[1:-1]}) == 1  # the wrapped lines form one paragraph
    assert any(u.text.startswith("これは固定幅") and u.text.endswith("いく。") for u in result.units)
    assert result.units[-1].text == "次の段落です。" and result.units[-1].para == 3


def test_unwrapped_title_line_then_body_line_are_separate() -> None:
    result = seg("見出しです\n本文の一文目。本文の二文目。\n")
    assert [(u.kind, u.text) for u in result.units] == [
        ("title", "見出しです"),
        ("body", "本文の一文目。"),
        ("body", "本文の二文目。"),
    ]


def test_comma_at_line_end_joins_the_next_line() -> None:
    result = seg("しかし、この問題は、\n簡単ではない。\n")
    assert [u.text for u in result.units] == ["しかし、この問題は、簡単ではない。"]


def test_list_items_are_body_not_titles_and_do_not_start_documents() -> None:
    result = seg("記事の見出し\n\n本文です。\n\n・東京\n・大阪\n\n続きです。\n")
    assert {u.doc for u in result.units} == {1}
    assert [u.kind for u in result.units] == ["title", "body", "body", "body", "body"]


def test_second_article_starts_a_document() -> None:
    text = (
        "第一の記事\n\n本文です。\n\n第二の記事の見出し\n\nロシア外相が演説、モスクワ、2024年5月18日\n\n本文二です。\n"
    )
    result = seg(text)
    assert [(u.doc, u.kind) for u in result.units] == [
        (1, "title"),
        (1, "body"),
        (2, "title"),
        (2, "caption"),
        (2, "body"),
    ]


def test_byline_in_a_heading_run() -> None:
    result = seg("共同通信\n\n政府が新しい経済対策を発表へ\n\n政府は発表した。\n")
    assert [u.kind for u in result.units] == ["byline", "title", "body"]


def test_empty_text() -> None:
    for text in ("", "\n\n", "   \n\u3000\n"):
        result = seg(text)
        assert result.units == [] and result.dropped == []


def test_text_without_japanese_becomes_reference_or_noise() -> None:
    text = "Moscow, May 18, 2024 In international diplomacy, summits matter. They do.\n\n12:30 ★★★\n"
    result = seg(text)
    assert_nothing_lost(text, result)
    assert [u.text for u in result.units] == [
        "Moscow, May 18, 2024",
        "In international diplomacy, summits matter.",
        "They do.",
    ]
    assert all(u.lang == "en" and u.kind == "reference" for u in result.units)
    assert result.dropped[0].reason == "no letters (noise)" and result.dropped[0].line == 3


def test_one_megabyte_line_without_punctuation_is_split_and_recorded() -> None:
    text = "あいうえおかきくけこ" * 100_000
    result = seg(text)
    assert all(len(u.text) <= 400 for u in result.units)
    assert "".join(u.text for u in result.units) == text
    notes = [d for d in result.dropped if "segment.max_chars" in d.reason]
    assert len(notes) == 1 and "1000000 characters" in notes[0].reason and notes[0].line == 1


def test_long_sentence_is_cut_at_a_comma() -> None:
    text = ("これは長い文節であり、" * 60) + "終わり。"
    result = seg(text, max_chars=100)
    assert all(u.text.endswith("、") for u in result.units[:-1])
    assert "".join(u.text for u in result.units) == text


def test_english_paragraph_split_over_lines_is_joined() -> None:
    blocks, _ = split_blocks("The summit was held in\nthe capital last week.\nNext line.\n")
    assert [b.text for b in blocks] == ["The summit was held in the capital last week.", "Next line."]


def test_full_width_boilerplate_matches() -> None:
    result = seg("タイトルとＵＲＬをコピーしました\n\n本文です。\n")
    assert [u.text for u in result.units] == ["本文です。"]
    assert result.dropped[0].reason == "page widget"


@settings(max_examples=150, deadline=None)
@given(
    st.lists(
        st.one_of(
            st.sampled_from(
                [
                    "見出し",
                    "本文です。次の文！",
                    "「引用。」と言った。",
                    "Attention Required! | Cloudflare",
                    "",
                    "The title - Site Name",
                    "An English line… Continue reading",
                    "スポンサーリンク",
                    "★★",
                    "ロシア語の要約はこちら",
                    "続く、",
                    "  ",
                    "4,209.3キロ。",
                    "（括弧。",
                ]
            ),
            st.text(max_size=30),
        ),
        max_size=12,
    )
)
def test_properties_on_pages(lines: list[str]) -> None:
    text = "\n".join(lines)
    result = seg(text)
    assert_nothing_lost(text, result)


@settings(max_examples=100, deadline=None)
@given(st.text(max_size=200))
def test_arbitrary_unicode_never_raises(text: str) -> None:
    result = seg(text)
    assert_nothing_lost(text, result)
    sentences = result.to_sentences()
    assert len({s.seg_id for s in sentences}) == len(sentences)


def test_wrapped_prose_with_kinsoku_widths_and_dialogue() -> None:
    text = (
        "　吾輩は猫である。名前はまだ無い。\n"
        "　どこで生れたかとんと見当がつかぬ。何でも薄暗いじめじめした所でニャーニャー泣いていた事だけは記憶し\n"
        "ている。吾輩はここで始めて人間というものを見た。しかもあとで聞くとそれは書生という人間中で一番獰悪\n"
        "な種族であったそうだ。この書生というのは時々我々を捕えて煮て食うという話である。しかしその当時は何と\n"
        "いう考もなかったから別段恐しいとも思わなかった。\n"
        "「おい、どこへ行くんだ」\n"
        "「ちょっとそこまで。すぐ戻るよ」\n"
        "と彼は言った。\n"
    )
    result = seg(text)
    assert_nothing_lost(text, result)
    texts = [u.text for u in result.units]
    assert "何でも薄暗いじめじめした所でニャーニャー泣いていた事だけは記憶している。" in texts
    assert "しかしその当時は何という考もなかったから別段恐しいとも思わなかった。" in texts
    assert texts[-2:] == ["「おい、どこへ行くんだ」", "「ちょっとそこまで。すぐ戻るよ」と彼は言った。"]
    assert {u.kind for u in result.units} == {"body"} and {u.doc for u in result.units} == {1}


def test_news_page_with_breadcrumb_byline_list_and_footer() -> None:
    text = (
        "ホーム > 経済 > 金融\n日銀、追加利上げを決定　物価上昇を受け\n2024年7月31日 15:30\n共同通信\n\n"
        "日本銀行は31日、追加利上げを決めた。総裁は「注意が必要だ」と述べた。\n\n【ポイント】\n・金利を引き上げ\n・買い入れを減額\n\n"
        "賛成多数だった！？　一部は反対したという……。次回は9月。\n\nこの記事をシェアする\nツイート\n"
        "Copyright © 2024 Example News. All rights reserved.\n"
    )
    result = seg(text)
    assert_nothing_lost(text, result)
    assert [d.reason for d in result.dropped] == [
        "breadcrumb navigation",
        "page widget",
        "page widget",
        "copyright notice",
    ]
    kinds = [(u.kind, u.text) for u in result.units]
    assert kinds[:3] == [
        ("title", "日銀、追加利上げを決定　物価上昇を受け"),
        ("byline", "2024年7月31日 15:30"),
        ("byline", "共同通信"),
    ]
    assert ("body", "・金利を引き上げ") in kinds and {u.doc for u in result.units} == {1}
    assert [t for k, t in kinds[-3:]] == ["賛成多数だった！？", "一部は反対したという……。", "次回は9月。"]


def test_truncated_teaser_is_a_repeat_of_the_full_paragraph() -> None:
    full = "ロシアのウラジーミル・プーチン大統領の中国国賓訪問は、両国の超大国による選択を示した。"
    text = f"記事のタイトル行\n\n{full[:30]}…\n\n本文の最初です。\n\n{full}\n"
    result = seg(text)
    assert_nothing_lost(text, result)
    assert [u.text for u in result.units] == ["記事のタイトル行", "本文の最初です。", full]
    assert result.dropped[0].reason == "truncated repeat (teaser ending in an ellipsis) of the paragraph at line 7"
    # a short paragraph ending in an ellipsis is not a teaser
    assert len(seg("そうか…\n\nそうか…でも違う。\n").units) == 2


def test_sentence_broken_after_a_particle_is_joined() -> None:
    result = seg("見出しの行\n北京は、これが\n戦争の決定的瞬間であることを認識している。次の文。\n")
    assert [(u.kind, u.text) for u in result.units] == [
        ("title", "見出しの行"),
        ("body", "北京は、これが戦争の決定的瞬間であることを認識している。"),
        ("body", "次の文。"),
    ]


def test_korean_and_chinese_lines_are_dropped_with_a_reason() -> None:
    text = "本文です。\n\n这是一个关于经济发展的新闻报道。\n\n이것은 한국어 문장입니다.\n\n習近平国家主席、北京\n"
    result = seg(text)
    assert_nothing_lost(text, result)
    assert [u.text for u in result.units] == ["本文です。", "習近平国家主席、北京"]
    assert [d.line for d in result.dropped if d.reason.startswith("neither Japanese nor English")] == [3, 5]


def test_heading_after_boilerplate_starts_a_document_but_a_lone_subheading_does_not() -> None:
    text = (
        "第一の記事\n\n本文です。\n\n小見出し\n\n続きです。\n\n"
        "Attention Required! | Cloudflare\n\n第二の記事\n\n本文二です。\n"
    )
    result = seg(text)
    assert [(u.doc, u.kind, u.text) for u in result.units] == [
        (1, "title", "第一の記事"),
        (1, "body", "本文です。"),
        (1, "title", "小見出し"),
        (1, "body", "続きです。"),
        (2, "title", "第二の記事"),
        (2, "body", "本文二です。"),
    ]


def test_a_long_reference_sentence_is_not_cut_at_the_japanese_cap() -> None:
    """English is never translated: a caption run into a long sentence (WMT21 dev set, tune half) stays
    one unit up to segment.max_reference_chars, for the aligner to cut where its sources imply."""
    sentence = (
        "Lines of cars at Tatsuyamacho (Photo partially altered) " + "heavy rains hit the area, " * 16 + "it said."
    )
    assert 400 < len(sentence) < 2000
    units = RulesSegmenter(SegmentSection()).segment_reference(sentence).units
    assert [u.text for u in units] == [sentence]
    long = "word " * 1000
    capped = RulesSegmenter(SegmentSection()).segment_reference(long)
    assert all(len(u.text) <= 2000 for u in capped.units) and len(capped.units) == 3
    assert "segment.max_reference_chars=2000" in capped.dropped[0].reason
