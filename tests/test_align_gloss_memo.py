"""The gloss memo gives back the texts it was given, across processes' connections; the lexicon's
glosses are the same read from it as from the dictionary; a memo that cannot be used is left alone."""

from __future__ import annotations

import logging
import sqlite3
import threading
from pathlib import Path

import pytest
from seedwords import seed_words

from pipeline.align import gloss_memo
from pipeline.align.gloss_index import GlossIndex
from pipeline.align.gloss_memo import FLUSH_EVERY, GlossMemo, memo_path
from pipeline.align.lexicon import Lexicon
from pipeline.align.params import GlossCaps

TEXTS = (("Beijing (China)", "Peking"), ("Beijing", "Pekin"))


def test_texts_come_back_from_another_connection(tmp_path: Path) -> None:
    path = tmp_path / "memo.sqlite"
    memo = GlossMemo(path)
    assert memo.on and memo.get("北京") is None
    memo.put("北京", TEXTS)
    memo.put("ない語", ((), ()))
    assert memo.get("北京") == TEXTS  # before it is written too
    memo.flush()
    other = GlossMemo(path)
    assert other.get("北京") == TEXTS and other.get("ない語") == ((), ()) and other.get("東京") is None
    memo.put("北京", ((), ()))  # the first texts stay (a word's texts never change for one file)
    memo.close()
    assert GlossMemo(path).get("北京") == TEXTS


def test_words_are_written_in_batches(tmp_path: Path) -> None:
    path = tmp_path / "memo.sqlite"
    memo = GlossMemo(path)
    for k in range(FLUSH_EVERY - 1):
        memo.put(f"語{k}", (("word",), ()))
    assert GlossMemo(path).get("語0") is None
    memo.put("語last", (("word",), ()))
    assert GlossMemo(path).get("語0") == (("word",), ())


def test_a_text_holding_the_separator_is_not_kept(tmp_path: Path) -> None:
    memo = GlossMemo(tmp_path / "memo.sqlite")
    memo.put("語", (("a\x1fb",), ()))
    memo.put("語2", ((), ("x", "\x1f")))
    memo.put_readings("語3", ("a\x1f", "b"))
    assert memo.get("語") is None and memo.get("語2") is None and memo.get_readings("語3") is None


def test_an_empty_memo_is_not_read_but_its_own_words_are(tmp_path: Path) -> None:
    """A memo empty when opened (a first run) answers from the words of its own process only; one that
    held words when opened reads the file."""
    path = tmp_path / "memo.sqlite"
    first, other = GlossMemo(path), GlossMemo(path)
    first.put("北京", TEXTS)
    first.put_readings("ロシア", ("roshia", "rosia"))
    first.flush()
    assert other.get("北京") is None and other.get_readings("ロシア") is None  # opened empty
    other.put("東京", (("Tokyo",), ()))
    assert other.get("東京") == (("Tokyo",), ())
    later = GlossMemo(path)
    assert later.get("北京") == TEXTS and later.get_readings("ロシア") == ("roshia", "rosia")


def test_an_unusable_file_turns_the_memo_off(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    (tmp_path / "file").write_text("not a directory")
    with caplog.at_level(logging.WARNING):
        memo = GlossMemo(tmp_path / "file" / "memo.sqlite")
    assert not memo.on and "gloss memo" in caplog.text
    memo.put("北京", TEXTS)
    memo.flush()
    assert memo.get("北京") is None
    broken = tmp_path / "broken.sqlite"
    broken.write_bytes(b"this is not a database" * 100)
    assert not GlossMemo(broken).on


def test_a_locked_file_keeps_the_words_for_the_next_batch(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(gloss_memo, "BUSY_TIMEOUT", 0.01)
    path = tmp_path / "memo.sqlite"
    memo = GlossMemo(path)
    other = sqlite3.connect(path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")  # another process writes
    memo.put("北京", TEXTS)
    memo.flush()
    assert memo.on and memo.get("北京") == TEXTS
    other.execute("COMMIT")
    memo.flush()
    assert GlossMemo(path).get("北京") == TEXTS


def test_opening_waits_for_another_process_creating_the_file(tmp_path: Path) -> None:
    path = tmp_path / "memo.sqlite"
    other = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    other.execute("BEGIN EXCLUSIVE")  # another worker is creating the memo
    other.execute("CREATE TABLE glosses (word TEXT PRIMARY KEY, words TEXT NOT NULL, names TEXT NOT NULL)")
    threading.Timer(0.5, lambda: other.execute("COMMIT")).start()  # longer than a batch waits
    memo = GlossMemo(path)
    assert memo.on  # not turned off: it waited
    memo.put("北京", TEXTS)
    memo.flush()
    assert GlossMemo(path).get("北京") == TEXTS


def test_one_file_per_dictionary_file_and_caps(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    db = tmp_path / "jamdict.db"
    db.write_bytes(b"x")
    first = memo_path(db, GlossCaps())
    assert first.parent == tmp_path / "cache" / "jaen" and first == memo_path(db, GlossCaps())
    assert memo_path(db, GlossCaps(word_entries=2)) != first
    db.write_bytes(b"xy")  # another dictionary install
    assert memo_path(db, GlossCaps()) != first


def memo_words() -> list[str]:
    """The seed's words, and words with several entries, names, patterns."""
    return [
        *seed_words(),
        "する",
        "はし",
        "かける",
        "東京",
        "田中",
        "北京",
        "Tokyo",
        "Kyūshū",
        "%",
        "東%",
        "id#1000000",
    ]


def test_the_lexicons_glosses_are_the_same_from_the_memo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    words = memo_words()
    assert len(words) > 1000
    want = [Lexicon(memo=False).glosses(w) for w in words]
    cold = Lexicon(memo=tmp_path / "memo.sqlite")
    assert [cold.glosses(w) for w in words] == want
    cold.flush()

    def no_lookup(*args, **kwargs):
        raise AssertionError("looked up in the dictionary")

    warm = Lexicon(memo=tmp_path / "memo.sqlite")
    warm._open()
    monkeypatch.setattr(GlossIndex, "lookup", no_lookup)
    assert [warm.glosses(w) for w in words if GlossIndex.covers(w)] == [
        g for w, g in zip(words, want) if GlossIndex.covers(w)
    ]


def test_transcriptions_come_back_from_another_connection(tmp_path: Path) -> None:
    path = tmp_path / "memo.sqlite"
    memo = GlossMemo(path)
    assert memo.get_readings("プーチン") is None
    memo.put_readings("プーチン", ("pu-chin", "pu-tin"))
    memo.put_readings("ー", ("",))
    memo.flush()
    other = GlossMemo(path)
    assert other.get_readings("プーチン") == ("pu-chin", "pu-tin") and other.get_readings("ー") == ("",)


def test_the_lexicons_readings_are_the_same_from_the_memo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from pipeline.align import lexicon
    from pipeline.align.translit import readings_of, transcribe

    words = [w for w in memo_words() if lexicon._KATAKANA.match(w)] + ["プーチン", "ラヴロフ", "ヴィ", "ッ", "ー・ー"]
    assert len(words) > 50
    cold = Lexicon(memo=tmp_path / "memo.sqlite")
    assert [cold.readings(w) for w in words] == [readings_of(transcribe(w)) for w in words]
    cold.flush()

    def no_transcription(text: str) -> tuple[str, ...]:
        raise AssertionError("transcribed again")

    monkeypatch.setattr(lexicon, "transcribe", no_transcription)
    warm = Lexicon(memo=tmp_path / "memo.sqlite")
    assert [warm.readings(w) for w in words] == [readings_of(transcribe(w)) for w in words]


def test_a_broken_dictionary_leaves_the_readings(monkeypatch: pytest.MonkeyPatch) -> None:
    """Where the dictionary cannot be opened, words get no glosses (with a warning) and katakana words
    their readings all the same."""
    from pipeline.align.translit import readings_of, transcribe

    lexicon = Lexicon(memo=False)

    def broken():
        raise OSError("no jamdict.db")

    monkeypatch.setattr(lexicon, "_jamdict", broken)
    assert lexicon.glosses("北京") == (frozenset(), frozenset())
    assert lexicon.readings("プーチン") == readings_of(transcribe("プーチン"))


def test_words_kept_for_a_busy_file_are_bounded(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(gloss_memo, "BUSY_TIMEOUT", 0.01)
    monkeypatch.setattr(gloss_memo, "FLUSH_EVERY", 4)
    monkeypatch.setattr(gloss_memo, "PENDING_BATCHES", 2)
    path = tmp_path / "memo.sqlite"
    memo = GlossMemo(path)
    other = sqlite3.connect(path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")  # another process holds the file all along
    for k in range(20):
        memo.put(f"語{k}", (("word",), ()))
        assert len(memo._pending) < 8
    assert memo.on
    other.execute("COMMIT")
