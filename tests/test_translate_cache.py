"""The SQLite translation cache: keyed by everything that determines the output, robust to damage."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.translate.base import Output as O
from pipeline.translate.cache import TABLE, TranslationCache

IDENTITY = {"backend": "hf", "model": "m", "revision": None, "weights": "abc", "num_beams": 6}


def test_round_trip_and_persistence(tmp_path: Path) -> None:
    path = tmp_path / "c.sqlite"
    cache = TranslationCache(path, IDENTITY)
    cache.put_many([("猫", O("a cat")), ("犬", O("a dog"))])
    cache.close()
    again = TranslationCache(path, IDENTITY)
    assert again.get_many(["猫", "犬", "鳥"]) == {"猫": O("a cat"), "犬": O("a dog")}


def test_never_returns_a_translation_of_another_model_or_setting(tmp_path: Path) -> None:
    path = tmp_path / "c.sqlite"
    TranslationCache(path, IDENTITY).put_many([("猫", O("a cat"))])
    for change in (
        {"weights": "abd"},
        {"backend": "ct2"},
        {"num_beams": 1},
        {"model": "n"},
        {"revision": "r1"},
        {"compute_type": "int8"},
    ):
        assert TranslationCache(path, {**IDENTITY, **change}).get_many(["猫"]) == {}, change
    assert TranslationCache(path, dict(reversed(list(IDENTITY.items())))).get_many(["猫"]) == {"猫": O("a cat")}


def test_garbage_file_is_set_aside(tmp_path: Path) -> None:
    path = tmp_path / "c.sqlite"
    path.write_bytes(b"this is not a database" * 100)
    cache = TranslationCache(path, IDENTITY)
    assert cache.usable and cache.get_many(["猫"]) == {}
    cache.put_many([("猫", O("a cat"))])
    assert cache.get_many(["猫"]) == {"猫": O("a cat")}
    assert len(list(tmp_path.glob("c.sqlite.corrupt-*"))) == 1


def test_truncated_database_never_breaks_a_lookup(tmp_path: Path) -> None:
    path = tmp_path / "c.sqlite"
    cache = TranslationCache(path, IDENTITY)
    cache.put_many([(f"文{i}" * 20, O(f"sentence {i}" * 20)) for i in range(2000)])
    cache.close()
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    cache = TranslationCache(path, IDENTITY)
    found = cache.get_many([f"文{i}" * 20 for i in range(2000)])
    assert all(found[f"文{i}" * 20] == O(f"sentence {i}" * 20) for i in range(2000) if f"文{i}" * 20 in found)
    cache.put_many([("猫", O("a cat"))])  # goes on (with a fresh file if this one is damaged), never raises
    assert cache.get_many(["猫"]) == {"猫": O("a cat")}


def test_damaged_row_reads_as_a_miss(tmp_path: Path) -> None:
    path = tmp_path / "c.sqlite"
    cache = TranslationCache(path, IDENTITY)
    cache.put_many([("猫", O("a cat")), ("犬", O("a dog"))])
    cache.close()
    with sqlite3.connect(path) as conn:
        conn.execute(f"UPDATE {TABLE} SET translation = 'a dog' WHERE translation = 'a cat'")
    cache = TranslationCache(path, IDENTITY)
    assert cache.get_many(["猫", "犬"]) == {"犬": O("a dog")}
    assert cache.rejected == 1


def test_flags_survive_the_cache_and_are_checksummed(tmp_path: Path) -> None:
    path = tmp_path / "c.sqlite"
    cache = TranslationCache(path, IDENTITY)
    cache.put_many([("猫", O("cat cat", truncated=True, unk=True)), ("犬", O("a dog", truncated=True))])
    cache.close()
    assert TranslationCache(path, IDENTITY).get_many(["猫", "犬"]) == {
        "猫": O("cat cat", truncated=True, unk=True),
        "犬": O("a dog", truncated=True),
    }
    with sqlite3.connect(path) as conn:  # a flag lost on disk is damage, never a silently clean row
        conn.execute(f"UPDATE {TABLE} SET flags = '' WHERE translation = 'a dog'")
    cache = TranslationCache(path, IDENTITY)
    assert cache.get_many(["犬"]) == {} and cache.rejected == 1


@settings(max_examples=40, deadline=None)
@given(
    st.lists(
        st.tuples(st.text(max_size=30), st.builds(O, st.text(max_size=30), st.booleans(), st.booleans())), max_size=20
    )
)
def test_any_text_round_trips(tmp_path_factory, pairs: list[tuple[str, O]]) -> None:
    path = tmp_path_factory.mktemp("cache") / "c.sqlite"
    cache = TranslationCache(path, IDENTITY)
    cache.put_many(pairs)
    expected = dict(pairs)
    assert cache.get_many(list(expected)) == expected
    cache.close()
