"""Artifacts checked against each other (issue 24.2): each inconsistent artifact of the issue, reproduced
as its `sed` did, is one `FILE:LINE` (or `FILE: ids`) error with the fix and exit 2, never a traceback
and never a silent hole; a hand-corrected alignment that passes the checks is accepted."""

from __future__ import annotations

import csv
import json
from collections.abc import Callable
from pathlib import Path

import pytest
from rundirs import Unit, write_run
from typer.testing import CliRunner

from pipeline.cli import app
from pipeline.config import Config
from pipeline.consistency import ArtifactError, load_checked, load_for_align, load_streamed, tiles
from pipeline.errors import JaenError
from pipeline.runner import run_stages
from pipeline.stage import RunContext

HEADING = "Royal Visit Ends Today The couple left Tokyo in the morning."
UNITS = [
    Unit(["東京は日本の首都です。"], ["Tokyo is the capital of Japan."], ["Tokyo is the capital of Japan."]),
    Unit(["会談は北京で行われた。"], ["The talks were held in Beijing."], ["The talks were held in Beijing."]),
    Unit(["天気は晴れ。"], ["It is sunny."]),  # 1-0
    Unit([], [], ["An orphan reference."]),  # 0-1
    Unit(["王室訪問が終了", "夫妻は朝、東京を発った。"], ["Royal visit ends", "The couple left Tokyo."], [HEADING]),
]
# alignment.jsonl: line 1 ja00001/en00001, 2 ja00002/en00002, 3 ja00003, 4 en00003, 5 ja00004+ja00005/en00004


@pytest.fixture
def run(tmp_path: Path) -> tuple[Config, Path]:
    config = write_run(tmp_path / "c", UNITS)
    return config, tmp_path / "c"


def edit(path: Path, number: int, change: Callable[[str], str | None]) -> None:
    """`sed -i 'Ns/…/…/'` (``change`` returns the new line) or `sed -i Nd` (it returns None)."""
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    new = change(lines[number - 1])
    lines[number - 1 : number] = [] if new is None else [new]
    path.write_text("".join(lines), encoding="utf-8")


def bead(line: str, **changes: object) -> str:
    return json.dumps({**json.loads(line), **changes}, ensure_ascii=False) + "\n"


def fails(run_dir: Path, command: str, *needles: str) -> str:
    """`jaen COMMAND RUN` exits 2 with one error line holding ``needles``, no traceback; that line."""
    result = CliRunner().invoke(app, [command, str(run_dir)])
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output and isinstance(result.exception, SystemExit)
    errors = [line for line in result.output.splitlines() if line.startswith("jaen: error:")]
    assert len(errors) == 1, result.output
    for needle in needles:
        assert needle in errors[0], errors[0]
    return errors[0]


def test_an_id_that_does_not_exist(run: tuple[Config, Path]) -> None:
    """`sed -i '56s/en00001/en99999/' alignment.jsonl; jaen score` used to end in a KeyError traceback."""
    _, run_dir = run
    edit(run_dir / "alignment.jsonl", 2, lambda line: line.replace("en00002", "en99999"))
    fails(run_dir, "score", f"{run_dir / 'alignment.jsonl'}:2: ref_ids names 'en99999'", "jaen align")
    assert not (run_dir / "scores.json").exists()


def test_src_ids_given_as_a_string(run: tuple[Config, Path]) -> None:
    _, run_dir = run
    edit(run_dir / "alignment.jsonl", 1, lambda line: bead(line, src_ids="ja00001"))
    fails(run_dir, "score", 'alignment.jsonl:1: not a bead record (src_ids must be a list of strings, not "ja00001")')


def test_a_deleted_bead_loses_no_sentence_silently(run: tuple[Config, Path]) -> None:
    """`sed -i 10d alignment.jsonl; jaen score && jaen export` used to drop a Japanese sentence from bitext.tsv."""
    config, run_dir = run
    run_stages(config, ["score"])
    edit(run_dir / "alignment.jsonl", 3, lambda line: None)
    fails(run_dir, "export", f"{run_dir / 'alignment.jsonl'}: 1 source sentence(s) in no bead: ja00003", "jaen align")
    assert not (run_dir / "bitext.tsv").exists()
    fails(run_dir, "score", "in no bead: ja00003")


def test_a_deleted_translation_is_no_blank_row(run: tuple[Config, Path]) -> None:
    """`sed -i 10d translations.jsonl; jaen align; jaen score; jaen export` used to give a blank, unflagged row."""
    _, run_dir = run
    edit(run_dir / "translations.jsonl", 3, lambda line: None)
    message = f"{run_dir / 'translations.jsonl'}: no translation for 1 source sentence(s) of sentences.jsonl: ja00003"
    fails(run_dir, "align", message, "jaen translate")
    fails(run_dir, "score", message)


def test_a_translation_of_no_sentence_or_twice(run: tuple[Config, Path]) -> None:
    _, run_dir = run
    path = run_dir / "translations.jsonl"
    first = path.read_text(encoding="utf-8").splitlines(keepends=True)[0]
    edit(path, 2, lambda line: line + first)
    fails(run_dir, "align", "translations.jsonl:3: seg_id 'ja00001' is already translated on line 1")
    edit(path, 3, lambda line: bead(line, seg_id="en00001"))
    fails(run_dir, "align", "translations.jsonl:3: seg_id 'en00001' is not a Japanese sentence of sentences.jsonl")


def test_a_sentence_in_two_beads(run: tuple[Config, Path]) -> None:
    _, run_dir = run
    edit(run_dir / "alignment.jsonl", 3, lambda line: bead(line, src_ids=["ja00001"]))
    fails(run_dir, "score", "alignment.jsonl:3: source sentence 'ja00001' is already in the bead on line 1")
    edit(run_dir / "alignment.jsonl", 3, lambda line: bead(line, src_ids=["ja00003"]))
    edit(run_dir / "alignment.jsonl", 4, lambda line: bead(line, ref_ids=["en00002"]))
    fails(run_dir, "score", "alignment.jsonl:4: reference sentence 'en00002' is already in the bead on line 2")


def test_ids_on_the_wrong_side_and_empty_beads(run: tuple[Config, Path]) -> None:
    _, run_dir = run
    edit(run_dir / "alignment.jsonl", 3, lambda line: bead(line, src_ids=["en00003"]))
    fails(run_dir, "score", "alignment.jsonl:3: src_ids names 'en00003', a en sentence")
    edit(run_dir / "alignment.jsonl", 3, lambda line: bead(line, src_ids=[]))
    fails(run_dir, "score", "alignment.jsonl:3: a bead with no sentence on either side")


def test_a_duplicate_sentence_id(run: tuple[Config, Path]) -> None:
    _, run_dir = run
    edit(run_dir / "sentences.jsonl", 2, lambda line: bead(line, seg_id="ja00001"))
    fails(run_dir, "align", "sentences.jsonl:2: seg_id 'ja00001' is already on line 1", "jaen segment")


def cut(run_dir: Path, first: list[int], second: list[int]) -> None:
    """Hand-correct line 5's 2-1 bead into two 1-1 beads over pieces of en00004."""
    line5 = (run_dir / "alignment.jsonl").read_text(encoding="utf-8").splitlines(keepends=True)[4]
    pieces = [bead(line5, src_ids=["ja00004"], ref_span=first), bead(line5, src_ids=["ja00005"], ref_span=second)]
    edit(run_dir / "alignment.jsonl", 5, lambda line: "".join(pieces))


def test_a_hand_corrected_alignment_is_accepted(run: tuple[Config, Path]) -> None:
    """Pairs moved, a 2-1 bead cut by hand: consistent, so scored and exported as written."""
    config, run_dir = run
    end = HEADING.index(" The")
    cut(run_dir, [0, end], [end + 1, len(HEADING)])
    edit(run_dir / "alignment.jsonl", 3, lambda line: bead(line, ref_ids=["en00003"], score=1.0))
    edit(run_dir / "alignment.jsonl", 4, lambda line: None)  # the orphan now renders the sunny sentence
    run_stages(config, ["score", "export"])
    with (run_dir / "bitext.tsv").open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh, delimiter="\t"))
    assert [(r["seg_id"], r["reference"], r["align_type"]) for r in rows[2:]] == [
        ("ja00003", "An orphan reference.", "1-1"),
        ("ja00004", "Royal Visit Ends Today", "1-1"),
        ("ja00005", "The couple left Tokyo in the morning.", "1-1"),
    ]


@pytest.mark.parametrize("first, second", [([0, 10], [30, len(HEADING)]), ([0, 30], [20, len(HEADING)])])
def test_pieces_that_do_not_cover_a_reference_once(
    run: tuple[Config, Path], first: list[int], second: list[int]
) -> None:
    _, run_dir = run
    cut(run_dir, first, second)
    fails(run_dir, "score", "alignment.jsonl:5: reference sentence 'en00004' is cut into pieces", "line(s) 5, 6")


def test_tiles() -> None:
    assert tiles("ab cd", [[3, 5], [0, 2]]) and tiles("ab cd", [[0, 5]]) and tiles(" ab ", [[1, 3]])
    assert not tiles("ab cd", [[0, 2]]) and not tiles("ab cd", [[0, 3], [2, 5]]) and not tiles("ab", [[0, 3]])


def test_the_export_refuses_rows_that_break_the_invariants(
    run: tuple[Config, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The export checks the rows it writes, not only the artifacts: a row lost or doubled on the way is refused."""
    from pipeline.export import base
    from pipeline.rows import build_rows

    config, run_dir = run
    run_stages(config, ["score"])
    for broken in (lambda rows: rows[:-1], lambda rows: [*rows[:2], rows[0], *rows[3:]]):
        monkeypatch.setattr(base, "iter_rows", lambda *a, b=broken: b(build_rows(*a)))
        with pytest.raises(ArtifactError, match="refusing to write a bitext that breaks the README's invariants"):
            run_stages(config, ["export"])
        # checked as the formats are written: none is put in place, no temporary file is left
        assert not [p.name for p in run_dir.iterdir() if "bitext" in p.name or "report" in p.name]


FAULTS = {
    "unknown id": ("alignment.jsonl", 2, lambda line: line.replace("en00002", "en99999")),
    "not a bead": ("alignment.jsonl", 1, lambda line: bead(line, src_ids="ja00001")),
    "bead deleted": ("alignment.jsonl", 3, lambda line: None),
    "sentence in two beads": ("alignment.jsonl", 3, lambda line: bead(line, src_ids=["ja00001"])),
    "wrong side": ("alignment.jsonl", 3, lambda line: bead(line, src_ids=["en00003"])),
    "cut reference uncovered": ("alignment.jsonl", 5, lambda line: bead(line, ref_span=[0, 3])),
    "translation deleted": ("translations.jsonl", 3, lambda line: None),
    "translation of no sentence": ("translations.jsonl", 1, lambda line: bead(line, seg_id="en00001")),
    "duplicate sentence": ("sentences.jsonl", 2, lambda line: bead(line, seg_id="ja00001")),
    "unknown lang": ("sentences.jsonl", 1, lambda line: bead(line, lang="fr")),
}


def refusal(load: Callable[[RunContext], object], config: Config, run_dir: Path) -> str:
    """The one line with which ``load`` refuses the run's artifacts."""
    with pytest.raises(JaenError) as refused:
        load(RunContext(config, run_dir))
    return str(refused.value)


@pytest.mark.parametrize("fault", list(FAULTS))
def test_the_stages_stream_the_artifacts_with_the_checks_of_the_held_ones(run: tuple[Config, Path], fault: str) -> None:
    """Score and export read the artifacts afresh on each pass (consistency.load_streamed), align the
    sentences and translations (load_for_align), holding none, and refuse what load_checked (which
    holds them) refuses, with the same line; the commands print it."""
    config, run_dir = run
    run_stages(config, ["score"])
    name, number, change = FAULTS[fault]
    edit(run_dir / name, number, change)
    held = refusal(load_checked, config, run_dir)
    assert refusal(load_streamed, config, run_dir) == held
    assert fails(run_dir, "export") == fails(run_dir, "score") == f"jaen: error: {held}"
    if name != "alignment.jsonl":  # what align reads
        assert refusal(load_for_align, config, run_dir) == held
        assert fails(run_dir, "align") == f"jaen: error: {held}"
