"""Romaji and name similarity: the threshold test with difflib's bounds agrees with the full ratio."""

from __future__ import annotations

from difflib import SequenceMatcher

from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.align.translit import _quick_bound, name_similarity, names_alike, readings_of, transcribe

WORDS = ["Putin", "Lavrov", "library", "Kyushu", "Niigata", "Tokyo", "Trump", "Pu", "P", "tokyoite", "Russia"]
READINGS = ["puuchin", "raburofu", "kyuushuu", "niigata", "toukyou", "toranpu", "roshia", "p", "xyz"]


def test_names_alike_is_the_threshold_on_name_similarity() -> None:
    for roman in READINGS:
        for word in WORDS:
            for threshold in (0.0, 0.5, 0.75, 0.9, 1.0):
                assert names_alike(roman, word, threshold) == (name_similarity(roman, word) >= threshold)


@settings(max_examples=300, deadline=None)
@given(st.text("aiueokstnhmrwgzbpfjcylv", max_size=12), st.text("aeioulrvwkcsthnmpbfdgjyqx", max_size=12))
def test_names_alike_property(roman: str, word: str) -> None:
    for threshold in (0.6, 0.75):
        assert names_alike(roman, word, threshold) == (name_similarity(roman, word) >= threshold)


def test_romaji_readings() -> None:
    assert "puutin" in readings_of(transcribe("プーチン"))


@settings(max_examples=300, deadline=None)
@given(
    st.text(alphabet="abkmnorstuz", min_size=1, max_size=12),
    st.text(alphabet="abkmnorstuz", min_size=1, max_size=12),
)
def test_quick_bound_is_difflibs_quick_ratio(a: str, b: str) -> None:
    assert _quick_bound(a, b) == SequenceMatcher(None, a, b, autojunk=False).quick_ratio()


def test_romaji_is_pykakasis_hepburn_and_kunrei() -> None:
    """transcribe + readings_of give what one pass over pykakasi's parts gave (the memo keeps the first)."""
    import re

    import pykakasi

    kakasi = pykakasi.kakasi()
    words = [
        "プーチン",
        "ラヴロフ",
        "ウクライナ",
        "ツイッター",
        "ヴィ",
        "ッ",
        "ー・ー",
        "チェ・ゲバラ",
        "ジャニーズ",
        "東京タワー",
    ]
    for word in words:
        parts = kakasi.convert(word)
        want: list[str] = []
        for system in ("hepburn", "kunrei"):
            r = re.sub(r"[^a-z]", "", "".join(p[system] for p in parts).lower())
            if r and r not in want:
                want.append(r)
        assert readings_of(transcribe(word)) == tuple(want), word
