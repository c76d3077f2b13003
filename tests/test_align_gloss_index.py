"""The gloss index finds what jamdict's lookup finds: the same entries, senses and glosses, in order."""

from __future__ import annotations

import pytest
from seedwords import seed_words

from pipeline.align.gloss_index import GlossIndex
from pipeline.align.lexicon import Lexicon


@pytest.fixture(scope="module")
def jam():
    from jamdict import Jamdict

    return Jamdict()


def shape(entries) -> list[list[list[str]]]:
    return [[[g.text for g in s.gloss] for s in e.senses] for e in entries]


def covered_seed_words() -> list[str]:
    """The seed's words the gloss index answers (not patterns or ids)."""
    return [w for w in seed_words() if GlossIndex.covers(w)]


def test_same_entries_as_jamdict(jam) -> None:
    index = GlossIndex(jam.db_file)
    # many entries (する, はし), names (田中), a gloss that equals the query (Tokyo), diacritics
    words = [*covered_seed_words()[::3], "する", "はし", "かける", "東京", "田中", "Tokyo", "Kyūshū", "ぁ"]
    assert len(words) > 300
    for word in words:
        want = jam.lookup(word, strict_lookup=True, lookup_chars=False, lookup_ne=True)
        got = index.lookup(word)
        assert shape(got.entries) == shape(want.entries), word
        assert shape(got.names) == shape(want.names), word


def test_the_first_entries_only(jam) -> None:
    index = GlossIndex(jam.db_file)
    for word in ("する", "はし", "かける", "東京", "田中", "日本", "Tokyo", "ない語"):
        full = index.lookup(word)
        for cap in (0, 1, 3):
            first = index.lookup(word, cap, cap)
            for got, want in ((first.entries, full.entries), (first.names, full.names)):
                if len(want) > cap:  # which entries are read: jamdict's first ones, in its order
                    assert shape(got) == shape(want[:cap]), word
                else:  # all of them, in any order
                    assert sorted(map(repr, shape(got))) == sorted(map(repr, shape(want))), word


def test_patterns_and_ids_are_left_to_jamdict() -> None:
    assert GlossIndex.covers("東京")
    for query in ("", "%", "東%", "a_b", "x@y", "id#1000000"):
        assert not GlossIndex.covers(query)
    lexicon = Lexicon()
    assert lexicon.glosses("%") == (frozenset(), frozenset())  # jamdict refuses it: no anchors, no error
    words, names = lexicon.glosses("北京")
    assert "beijin" in words and "beijin" in names


def test_capped_lookups_read_the_glosses_of_the_full_ones_first_entries(jam) -> None:
    """Where all entries are read their order is not asked for: the glosses read are the same."""
    index = GlossIndex(jam.db_file)
    for word in [*covered_seed_words()[::2], "する", "はし", "かける", "東京", "田中", "日本"]:
        full = index.lookup(word)
        for cap in (1, 3):
            first = index.lookup(word, cap, cap)
            assert sorted(map(repr, shape(first.entries))) == sorted(map(repr, shape(full.entries[:cap]))), word
            assert sorted(map(repr, shape(first.names))) == sorted(map(repr, shape(full.names[:cap]))), word


def test_kana_and_kanji_words_skip_the_gloss_parts_with_the_same_entries(jam) -> None:
    """No gloss starts at U+3000 or above, so a kana or kanji word's query leaves out the parts that
    compare glosses; with them it finds the same."""
    fast, full = GlossIndex(jam.db_file), GlossIndex(jam.db_file)
    assert fast.gloss_free
    full.gloss_free = False  # every word through all the parts
    for word in [
        *covered_seed_words()[1::3],
        "する",
        "はし",
        "東京",
        "田中",
        "日本",
        "Tokyo",
        "ｔｏｋｙｏ",
        "Kyūshū",
        "ー",
    ]:
        for cap in (None, 3):
            got, want = fast.lookup(word, cap, cap), full.lookup(word, cap, cap)
            assert (shape(got.entries), shape(got.names)) == (shape(want.entries), shape(want.names)), word
