"""Lexical anchors: numbers and dates, Latin tokens, transliterated names, JMdict words."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.align.evidence import Evidence, Signals
from pipeline.align.lexicon import (
    LEXICON,
    STOPWORDS,
    _compound_concept,
    _runs,
    _tag,
    _word_concept,
    concept_matches,
    content_words,
    english,
    english_ratio,
    gloss_stems,
    japanese,
    long_vowel_variants,
    name_matches,
    stem,
    vote_stem,
)
from pipeline.align.translit import initial, name_similarity, readings_of, transcribe
from pipeline.records import Sentence

SEED = Path(__file__).resolve().parent.parent / "data" / "seed_ja.txt"


def lexical(ja: str, en: str, partial: bool = False) -> float | None:
    """The lexical signal the aligner computes for the bead (ja, en)."""
    src = [Sentence("ja1", "doc1", 1, "ja", "body", ja)]
    ref = [Sentence("en1", "doc1", 1, "en", "reference", en, partial=partial)]
    return Evidence(src, [""], ref, Signals(mt=False), length_weight=0.0).lexical(0, 1, 0, 1)


def matched(ja: str, en: str) -> dict[str, list[str]]:
    side = english(en)
    return {c.surface: [side.words[k] for k in sorted(concept_matches(c, side))] for c in japanese(ja)}


def test_dates_and_numbers() -> None:
    m = matched("モスクワ、2024年5月18日", "Moscow, May 18, 2024")
    assert m["2024"] == ["2024"] and m["5"] == ["5"] and m["18"] == ["18"]
    assert matched("7,000語に及ぶ", "the 7,000-word document")["7,000"] == ["7000"]


def test_number_words() -> None:
    # wmt23-010 (WMT23 tune half), a truncated ad line; sanyo_shimbun-ja.6157 (WMT21 tune half)
    assert matched("追加料金も0円で安心", "No worries with zero…")["0"] == ["0"]
    assert lexical("追加料金も0円で安心", "No worries with zero…", partial=True) > 0
    assert english("it took about two or three weeks").words == ["took", "2", "3", "weeks"]
    assert english("Twenty-five of the Hundred").words == ["20", "5", "100"]
    # "one" stays a function word: a pronoun as often as a number
    assert english("one of the students").words == ["students"]


def test_month_with_a_possessive() -> None:
    assert english("July's heavy rains").words[0] == "7"
    assert matched("７月の豪雨", "July's heavy rains")["7"] == ["7"]
    assert "7" not in english("Julyan Street").words


def test_glosses_without_diacritics() -> None:
    # JMdict glosses write macrons (Kyūshū); news writes none
    assert gloss_stems("Kyūshū (southernmost of the four main islands)") == {"kyushu"}
    assert english("rain in Kyūshū").stems == ["rain", "kyushu"]


def test_names_with_long_vowels_written_short() -> None:
    # JMnedict spells long vowels out (Kyuushuu, Hyougo, Ooita); English news does not; "ii" stays
    assert long_vowel_variants("Kyuushuu") == {"Kyuushuu", "Kyushu"}
    assert long_vowel_variants("Hyougo") == {"Hyougo", "Hyogo"}
    assert long_vowel_variants("Ooita") == {"Ooita", "Oita"}
    assert long_vowel_variants("Niigata") == {"Niigata"}
    m = matched("九州と兵庫と大分で", "in Kyushu, Hyogo and Oita")
    assert m["九州"] == ["Kyushu"] and m["兵庫"] == ["Hyogo"] and m["大分"] == ["Oita"]


def test_latin_tokens() -> None:
    m = matched("NATOとSCOとAP通信", "NATO, the SCO and AP")
    assert m["NATO"] == ["NATO"] and m["SCO"] == ["SCO"] and m["AP"] == ["AP"]


def test_names_through_romaji() -> None:
    assert max(name_similarity(r, "Putin") for r in readings_of(transcribe("プーチン"))) >= 0.75
    assert max(name_similarity(r, "Lavrov") for r in readings_of(transcribe("ラヴロフ"))) >= 0.75
    assert max(name_similarity(r, "library") for r in readings_of(transcribe("ラブロフ"))) < 0.75
    m = matched("プーチン大統領とラブロフ外相", "President Putin and Foreign Minister Lavrov")
    assert m["プーチン"] == ["Putin"] and m["ラブロフ"] == ["Lavrov"]


def test_dictionary_words() -> None:
    m = matched("木曜日に北京で外相が演説", "On Thursday in Beijing the Foreign Minister gave a speech")
    assert m["北京"] == ["Beijing"]
    assert m["木曜日"] == ["Thursday"]
    assert m["外相"] == ["Foreign", "Minister"]


def test_similarity_separates_a_translation_from_another_sentence() -> None:
    ja = "ロシアのセルゲイ・ラブロフ外相が外交防衛政策会議で演説、モスクワ、2024年5月18日"
    right = (
        "Russian Foreign Minister Sergey Lavrov addressing the Council for Foreign and Defence Policy, "
        "Moscow, May 18, 2024"
    )
    wrong = "China expects all of this to be good for international security in the short term."
    assert lexical(ja, right) > 0.7 > 0.2 > lexical(ja, wrong)


def test_truncated_reference_is_judged_by_precision() -> None:
    ja = "ロシアのセルゲイ・ラブロフ外相が外交防衛政策会議で演説、モスクワ、2024年5月18日"
    prefix = "Russian Foreign Minister Sergey Lavrov…"
    assert lexical(ja, prefix, partial=True) > lexical(ja, prefix, partial=False)


def test_english_ratio() -> None:
    assert english_ratio(["The summit meeting at Beijing last Thursday was one of the most important."]) > 0.3
    assert english_ratio(["Le sommet de Pékin a eu lieu jeudi dernier entre les présidents."]) < 0.15
    assert english_ratio(["北京で首脳会談が行われた。"]) == 0.0


@settings(max_examples=60, deadline=None)
@given(st.text(max_size=80))
def test_analysers_accept_any_text(text: str) -> None:
    sim = lexical(text, text)
    assert sim is None or 0.0 <= sim <= 1.0
    assert 0.0 <= english_ratio([text]) <= 1.0


def test_cached_stems_are_the_same() -> None:
    assert gloss_stems("Beijing (China)") == {"beijin"}
    assert gloss_stems("Beijing (China)") is gloss_stems("Beijing (China)")
    assert isinstance(gloss_stems("to speak"), frozenset)  # shared between callers: not to be changed


def test_a_sentence_analysed_again_is_the_same() -> None:
    ja = "ロシアのラブロフ外相は18日、モスクワで会見した。"
    en = "Russian Foreign Minister Lavrov met in Moscow on May 18."
    first, again = japanese(ja), japanese(ja)
    assert first == again and first is not again  # each caller gets its own list
    one, two = english(en), english(en)
    assert one == two and one.words is not two.words
    assert one.initials == [initial(w) if w[0].isalpha() else None for w in one.words]


def test_name_matches_compare_only_words_of_a_readings_initial() -> None:
    """Name matching by initial finds what comparing every word of the side finds."""
    ja = "プーチン大統領とラヴロフ外相、ゼレンスキー氏、ハリス副大統領が北京でニュースを見た"
    en = "President Putin, Foreign Minister Lavrov, Zelensky, Vice President Harris, Beijing news, Lavrova, 2024"
    side = english(en)
    names = [c for c in japanese(ja) if c.readings]
    assert len(names) >= 4
    assert sum(bool(name_matches(c, side, 0.75)) for c in names) >= 2  # Putin, Lavrov, …
    for c in names:
        firsts = {initial(r) for r in c.readings}
        every = {
            k
            for k, (w, first) in enumerate(zip(side.words, side.initials))
            if first in firsts and any(name_similarity(r, w) >= 0.75 for r in c.readings)
        }
        assert name_matches(c, side, 0.75) == every, c.surface
    assert side.by_initial == {
        f: [k for k, g in enumerate(side.initials) if g == f] for f in set(side.initials) if f is not None
    }


def test_runs_count_true_flags_in_a_row() -> None:
    assert _runs([]) == [0]
    assert _runs([True, True, False, True, True, True]) == [2, 1, 0, 3, 2, 1, 0]


@given(st.lists(st.booleans(), max_size=12), st.integers(1, 4))
def test_a_run_covers_a_window_where_all_its_flags_are_true(flags: list[bool], size: int) -> None:
    runs = _runs(flags)
    for k in range(len(flags) - size + 1):
        assert (runs[k] >= size) == all(flags[k : k + size])


def test_a_compound_probe_is_the_word_concept_with_stems() -> None:
    """A compound the dictionary does not gloss is None without its romaji; any other is the concept
    _word_concept gives it (on every noun pair and triple of the seed page, and the split-off forms)."""
    lines = [line for line in SEED.read_text(encoding="utf-8").splitlines() if line.strip()]
    probes: set[str] = {"木曜日", "習近平", "シリコングリス", "クリアカラ"}
    for line in lines:
        surfaces = [w.surface for w in _tag(line)]
        for size in (2, 3):
            probes |= {"".join(surfaces[k : k + size]) for k in range(len(surfaces) - size + 1)}
    probes |= {p[:-1] for p in list(probes) if len(p) > 1}
    for probe in sorted(probes):
        c = _word_concept(probe, None, LEXICON)
        assert _compound_concept(probe, LEXICON) == (c if c is not None and c.stems else None), probe
    assert _compound_concept("木曜日", LEXICON) is not None and _compound_concept("シリコングリス", LEXICON) is None


def test_an_mt_words_vote_stem_is_its_stem_unless_a_function_word() -> None:
    text = "The US and Japan's talks in Tokyo: IT firms, 2,024 Yen, THE news of ONE week."
    words = content_words(text)
    assert [vote_stem(w) for w in words] == [None if w.lower() in STOPWORDS else stem(w) for w in words]
    assert vote_stem("US") is None and vote_stem("Japan's") == stem("Japan's")
