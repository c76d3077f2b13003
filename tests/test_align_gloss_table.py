"""The dictionary table answers every word as the gloss index does (texts, readings): every key of a small
jamdict file built of whole entries of the installed one, the seed's and the tests' sentences' words and
absent words, and the installed file's first keys; the lexicon reads it without lookups; `jaen lexicon
build` builds it once, atomically."""

from __future__ import annotations

import json
import logging
import sqlite3
from pathlib import Path

import pytest
from dictsubset import entries_of, write_subset
from seedwords import seed_words, text_words
from test_align_gloss_memo import memo_words
from typer.testing import CliRunner

from pipeline.align import gloss_table, lexicon
from pipeline.align.gloss_index import GlossIndex, texts_of
from pipeline.align.gloss_memo import GlossMemo, table_path
from pipeline.align.gloss_table import build_table, table_status
from pipeline.align.lexicon import Lexicon
from pipeline.align.params import PARAMS, GlossCaps
from pipeline.align.translit import transcribe
from pipeline.cli import app

SMALL_CAPS = GlossCaps(word_entries=1, word_senses=2, word_glosses=1, name_entries=2, name_senses=1, name_glosses=2)
ABSENT = ["ないない語", "zzqxv", "Tokyoo", "ヴァヴァヴァ", "東京東京", "a"]
# Each dictionary's first entries (by id) as well as the words' entries: words of every kind, names.
FIRST_ENTRIES = 1500
WINDOW = 1200  # keys of the installed file from each of three places on
KEY_TABLES = ("Kanji", "Kana", "SenseGloss", "NEKanji", "NEKana", "NETransGloss", "NETransType")
_KEYS = " UNION ".join(f"SELECT text FROM {t}" for t in KEY_TABLES)


def sentence_words() -> list[str]:
    """Every word of the tests' Japanese sentences (the align tests' gold beads and documents), as the seed's."""
    data = Path(__file__).resolve().parent / "data" / "align"
    lines = [
        ja for f in sorted(data.glob("*_gold.json")) for bead in json.loads(f.read_text("utf-8")) for ja in bead["ja"]
    ]
    lines += (data / "run_on_headings_ja.txt").read_text(encoding="utf-8").splitlines()
    return [w for w in text_words(lines) if GlossIndex.covers(w)]


def compared_words() -> list[str]:
    """The seed's words, the tests' sentences' words, words with several entries, names."""
    return [w for w in dict.fromkeys([*memo_words(), *sentence_words()]) if GlossIndex.covers(w)]


def katakana(word: str) -> bool:
    return lexicon._KATAKANA.match(word) is not None


def installed() -> Path:
    return Path(Lexicon(memo=False)._jamdict().db_file)


@pytest.fixture(scope="module")
def subset(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The entries of the seed's and the tests' words and each dictionary's first entries."""
    real = installed()
    entries, names = entries_of(real, compared_words())
    db = sqlite3.connect(real)
    entries |= {i for (i,) in db.execute("SELECT idseq FROM Entry ORDER BY idseq LIMIT ?", (FIRST_ENTRIES,))}
    names |= {i for (i,) in db.execute("SELECT idseq FROM NEEntry ORDER BY idseq LIMIT ?", (FIRST_ENTRIES,))}
    db.close()
    return write_subset(real, tmp_path_factory.mktemp("dict") / "jamdict.db", entries, names)


def words_of(db_file: Path) -> list[str]:
    """Every key of ``db_file``, the seed's and the tests' words, and words the dictionary lacks."""
    db = sqlite3.connect(db_file)
    keys = [k for (k,) in db.execute(_KEYS)]
    db.close()
    return [w for w in dict.fromkeys([*keys, *compared_words(), *ABSENT]) if GlossIndex.covers(w)]


def lookup_texts(index: GlossIndex, word: str, caps: GlossCaps) -> tuple:
    """The texts the lexicon reads of ``word`` looking it up (what the table must hold)."""
    return texts_of(index.lookup(word, caps.word_entries, caps.name_entries), caps)


def built(db_file: Path, tmp_path: Path, caps: GlossCaps) -> tuple[GlossMemo, gloss_table.Built]:
    """The memo at ``tmp_path`` with the table of ``db_file`` under ``caps`` built beside it."""
    memo = tmp_path / "memo.sqlite"
    done = build_table(db_file, table_path(memo), caps, katakana)
    return GlossMemo(memo), done


@pytest.mark.parametrize("caps", [PARAMS.anchors.glosses, SMALL_CAPS], ids=["default caps", "small caps"])
def test_the_table_answers_as_the_gloss_index(subset: Path, tmp_path: Path, caps: GlossCaps) -> None:
    memo, done = built(subset, tmp_path, caps)
    assert memo.complete and done.looked_up > 0 and done.keys > 1000  # some keys' entries are ordered by jamdict
    index = GlossIndex(subset)
    words = words_of(subset)
    assert len(words) > 5000
    mismatches = [
        w for w in words if memo.get(w) != texts_of(index.lookup(w, caps.word_entries, caps.name_entries), caps)
    ]
    assert not mismatches, mismatches[:10]
    assert memo.get(ABSENT[0]) == ((), ())
    memo.put("ないない語", (("nothing",), ()))  # the table holds every word: nothing is added
    assert memo.get("ないない語") == ((), ())


def test_the_installed_dictionarys_first_keys(tmp_path: Path) -> None:
    """The first keys of the installed file, from Latin glosses on, from た, from 東: the table built of
    their entries answers as the gloss index reads the installed file."""
    real = installed()
    db = sqlite3.connect(real)
    types = {t for (t,) in db.execute("SELECT DISTINCT text FROM NETransType")}  # tens of thousands of entries
    keys: list[str] = []
    for start in ("", "た", "東"):  # each table's first keys from there, through its text index
        window: set[str] = set()
        for table in KEY_TABLES:
            query = f"SELECT DISTINCT text FROM {table} WHERE text >= ? ORDER BY text LIMIT {WINDOW}"
            window |= {k for (k,) in db.execute(query, (start,))}
        keys += [k for k in sorted(window)[:WINDOW] if k not in types and GlossIndex.covers(k)]
    db.close()
    subset = write_subset(real, tmp_path / "jamdict.db", *entries_of(real, keys))
    memo, _ = built(subset, tmp_path, PARAMS.anchors.glosses)
    index, caps = GlossIndex(real), PARAMS.anchors.glosses
    assert len(keys) > 3000
    mismatches = [
        k for k in keys if memo.get(k) != texts_of(index.lookup(k, caps.word_entries, caps.name_entries), caps)
    ]
    assert not mismatches, mismatches[:10]


def test_the_table_holds_the_katakana_forms_readings(subset: Path, tmp_path: Path) -> None:
    memo, done = built(subset, tmp_path, PARAMS.anchors.glosses)
    db = sqlite3.connect(subset)
    forms = {f for t in ("Kanji", "Kana", "NEKanji", "NEKana") for (f,) in db.execute(f"SELECT text FROM {t}")}
    db.close()
    katakana_forms = sorted(f for f in forms if katakana(f))
    assert len(katakana_forms) > 100 and done.readings == len(katakana_forms)
    assert [memo.get_readings(w) for w in katakana_forms] == [transcribe(w) for w in katakana_forms]
    others = [w for w in words_of(subset) if katakana(w) and w not in forms]  # glosses, the seed's compounds
    assert others and all(memo.get_readings(w) is None for w in others)  # not forms: the memo keeps them
    memo.put_readings("ヴァヴァヴァ", transcribe("ヴァヴァヴァ"))
    memo.flush()
    assert GlossMemo(tmp_path / "memo.sqlite").get_readings("ヴァヴァヴァ") == transcribe("ヴァヴァヴァ")


class _Jam:
    def __init__(self, db_file: Path) -> None:
        self.db_file = str(db_file)


def test_the_lexicon_reads_the_table_without_lookups(
    subset: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    words = [*compared_words(), *ABSENT]
    plain = Lexicon(memo=False)
    monkeypatch.setattr(plain, "_jamdict", lambda: _Jam(subset))
    want = [plain.glosses(w) for w in words]
    build_table(subset, table_path(tmp_path / "memo.sqlite"), PARAMS.anchors.glosses, katakana)

    def no_lookup(*args, **kwargs):
        raise AssertionError("looked up in the dictionary")

    monkeypatch.setattr(GlossIndex, "lookup", no_lookup)
    with_table = Lexicon(memo=tmp_path / "memo.sqlite")
    monkeypatch.setattr(with_table, "_jamdict", lambda: _Jam(subset))
    assert [with_table.glosses(w) for w in words] == want


def test_without_a_table_align_says_how_to_build_one(
    subset: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    path = table_path(tmp_path / "memo.sqlite")
    monkeypatch.setattr(gloss_table, "installed_table", lambda: (subset, path))
    with caplog.at_level(logging.INFO, logger="pipeline.align.gloss_table"):
        gloss_table.say_if_no_table()
        assert caplog.text.count("jaen lexicon build") == 1
        build_table(subset, path, SMALL_CAPS, katakana)
        gloss_table.say_if_no_table()
    assert caplog.text.count("jaen lexicon build") == 1


def test_an_unusable_table_leaves_the_memo(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    table_path(tmp_path / "memo.sqlite").write_bytes(b"not a database" * 100)
    with caplog.at_level(logging.WARNING):
        lex = Lexicon(memo=tmp_path / "memo.sqlite")
        words, names = lex.glosses("北京")
    assert "dictionary table" in caplog.text and "beijin" in words and "beijin" in names
    assert lex._open()[1] is not None and lex._open()[1].on and not lex._open()[1].complete


def test_a_failed_build_leaves_the_table_as_it_was(
    subset: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = table_path(tmp_path / "memo.sqlite")
    build_table(subset, path, SMALL_CAPS, katakana)
    before = path.read_bytes()

    def broken(text: str) -> tuple[str, ...]:
        raise RuntimeError("pykakasi broke")

    monkeypatch.setattr(gloss_table, "transcribe", broken)
    with pytest.raises(RuntimeError):
        build_table(subset, path, PARAMS.anchors.glosses, katakana)
    assert path.read_bytes() == before and sorted(p.name for p in tmp_path.iterdir()) == [path.name]


def test_jaen_lexicon_build_once_then_says_it_is_built(
    subset: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = table_path(tmp_path / "memo.sqlite")
    monkeypatch.setattr(gloss_table, "installed_table", lambda: (subset, path))
    runner = CliRunner()
    status = runner.invoke(app, ["lexicon", "status"])
    assert status.exit_code == 0 and "not built" in status.output and "jaen lexicon build" in status.output
    first = runner.invoke(app, ["lexicon", "build"])
    assert first.exit_code == 0 and "words" in first.output and table_status(path).complete, first.output
    made = path.stat().st_mtime_ns
    again = runner.invoke(app, ["lexicon", "build"])
    assert again.exit_code == 0 and "already built" in again.output and path.stat().st_mtime_ns == made
    forced = runner.invoke(app, ["lexicon", "build", "--force"])
    assert forced.exit_code == 0 and "words" in forced.output and "already" not in forced.output
    status = runner.invoke(app, ["lexicon", "status"])
    assert "built for this dictionary" in status.output and "MB" in status.output


def test_the_parity_covers_the_words_align_meets(subset: Path) -> None:
    """The words compared hold the seed's and the tests' sentences' words."""
    words = set(words_of(subset))
    assert {w for w in seed_words() if GlossIndex.covers(w)} <= words and set(sentence_words()) <= words
    assert len(sentence_words()) > 500


def test_a_build_that_cannot_write_says_so_in_one_line(
    subset: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "file").write_text("not a directory")
    monkeypatch.setattr(gloss_table, "installed_table", lambda: (subset, tmp_path / "file" / "table.sqlite"))
    result = CliRunner().invoke(app, ["lexicon", "build"])
    assert result.exit_code == 2 and "jaen: error:" in result.output and "Traceback" not in result.output
    broken = tmp_path / "broken.db"
    broken.write_bytes(b"not a database" * 100)
    monkeypatch.setattr(gloss_table, "installed_table", lambda: (broken, tmp_path / "table.sqlite"))
    result = CliRunner().invoke(app, ["lexicon", "build"])
    assert result.exit_code == 2 and "could not be built" in result.output and len(result.output.splitlines()) == 1
