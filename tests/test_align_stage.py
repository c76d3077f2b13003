"""End to end: ``jaen run configs/smoke.yaml reference.path=…`` then ``jaen eval-align`` (tiny model:
its MT is meaningless, so the lexical signals must carry the alignment)."""

from __future__ import annotations

import csv
import json
import logging
from pathlib import Path

import pytest
from conftest import FinishedRun
from typer.testing import CliRunner

from pipeline.align.params import PARAMS
from pipeline.align.signature import signature
from pipeline.cli import app
from pipeline.config import load_config

REPO = Path(__file__).resolve().parent.parent
SEED = REPO / "data" / "seed_ja.txt"
DATA = REPO / "tests" / "data" / "align"
runner = CliRunner()


@pytest.fixture(scope="module")
def jaen_run(
    tmp_path_factory: pytest.TempPathFactory,
    tiny_model: Path,
    fast_overrides: tuple[str, ...],
    finished_run: FinishedRun,
):
    base = tmp_path_factory.mktemp("align")
    finished_run.copy_cache_to(base / "cache")  # the seed page's translations, as these runs would make them

    def run(name: str, *overrides: str, commands: tuple[str, ...] = ("run",)) -> Path:
        for command in commands:
            result = runner.invoke(
                app,
                [
                    command,
                    str(REPO / "configs" / "smoke.yaml"),
                    f"input.path={SEED}",
                    f"run.output_dir={base}",
                    f"translate.model={tiny_model}",
                    f"translate.cache_dir={base / 'cache'}",
                    f"run.name={name}",
                    *fast_overrides,
                    *overrides,
                ],
            )
            assert result.exit_code == 0, result.output
        return base / name

    return run


def eval_align(run_dir: Path, gold: Path) -> dict[str, float]:
    result = runner.invoke(app, ["eval-align", str(run_dir / "bitext.tsv"), "--gold", str(gold)])
    assert result.exit_code == 0, result.output
    words = result.output.split()
    return {"precision": float(words[1]), "recall": float(words[4]), "f1": float(words[7])}


def rows(run_dir: Path) -> list[dict[str, str]]:
    with (run_dir / "bitext.tsv").open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f, delimiter="\t"))


def test_embedded_teaser(finished_run: FinishedRun) -> None:
    run_dir = finished_run.run_dir  # the seed page and the English teaser it embeds
    scores = eval_align(run_dir, DATA / "teaser_gold.json")
    assert scores == {"precision": 1.0, "recall": 1.0, "f1": 1.0}
    linked = [r for r in rows(run_dir) if r["source"] and r["reference"]]
    assert linked[-1]["reference"].endswith("…") and linked[-1]["partial"].lower() == "true"
    assert linked[-1]["source"].startswith("先週木曜日に北京で")
    assert all(0 < float(r["align_score"]) <= 1 for r in linked)  # the calibrated confidence
    # the aligner's signature: in the manifest's align entry, summary.md and report.html
    sig = json.loads((run_dir / "manifest.json").read_text())["stages"]["align"]["signature"]
    assert sig == signature(load_config(REPO / "configs" / "smoke.yaml").align, PARAMS)
    assert f"`{sig}`" in (run_dir / "summary.md").read_text(encoding="utf-8")
    assert f"aligner: {sig}" in (run_dir / "report.html").read_text(encoding="utf-8")


@pytest.mark.parametrize("name, min_f1", [("dev", 0.95), ("dev2", 0.95), ("seed3", 0.9)])
def test_partial_reference_of_both_articles(jaen_run, name: str, min_f1: float) -> None:
    # seed3 was written after the weights were tuned on dev and dev2 (it scored F1 0.97 at first sight)
    run_dir = jaen_run(name, f"reference.path={DATA / f'{name}_reference_en.txt'}")
    scores = eval_align(run_dir, DATA / f"{name}_gold.json")
    assert scores["f1"] >= min_f1 and scores["precision"] >= 0.95, scores
    beads = [json.loads(line) for line in (run_dir / "alignment.jsonl").read_text().splitlines()]
    assert any(b["partial"] and b["src_ids"] for b in beads)  # the truncated "…" sentence found its source
    linked = [b for b in beads if b["src_ids"] and b["ref_ids"]]
    assert all(set(b["signals"]) >= {"evidence", "length_logp", "anchored"} for b in linked)
    assert all(set(b["signals"]) >= {"lexical", "length"} for b in linked if b["signals"]["anchored"])


@pytest.mark.parametrize(
    "text, warning",
    [
        ("", "no reference sentences"),
        (
            "Le sommet de Pékin entre Xi Jinping et Vladimir Poutine a eu lieu jeudi dernier, le 16 mai 2024.\n\n"
            "La Russie et la Chine ont signé une déclaration commune sur l'OTAN.",
            "does not look like English",
        ),
        ("北京で首脳会談が行われた。\n\nプーチン大統領が演説した。", "does not look like English"),
        (
            "Preheat the oven and butter a baking dish.\n\nWhisk the eggs with the sugar until pale, then fold in "
            "the flour.\n\nBake for forty minutes and let the cake cool on a rack.",
            "could be aligned",
        ),
    ],
    ids=["empty", "french", "japanese", "no-overlap"],
)
def test_bad_reference_leaves_everything_unaligned(jaen_run, tmp_path: Path, caplog, text: str, warning: str) -> None:
    ref = tmp_path / "ref.txt"
    ref.write_text(text, encoding="utf-8")
    with caplog.at_level(logging.WARNING):
        run_dir = jaen_run(f"bad-{abs(hash(text))}", f"reference.path={ref}")
    assert warning in caplog.text
    beads = [json.loads(line) for line in (run_dir / "alignment.jsonl").read_text().splitlines()]
    assert not [b for b in beads if b["src_ids"] and b["ref_ids"]]
    sentences = [json.loads(line) for line in (run_dir / "sentences.jsonl").read_text().splitlines()]
    # nothing lost: every sentence of both sides is in exactly one bead
    assert sorted(i for b in beads for i in b["src_ids"] + b["ref_ids"]) == sorted(s["seg_id"] for s in sentences)
    table = rows(run_dir)  # and the run goes on to the end: every row unaligned
    assert table and not [r for r in table if r["source"] and r["reference"]]


def test_methods(jaen_run) -> None:
    ref = f"reference.path={DATA / 'dev_reference_en.txt'}"
    run_dir = jaen_run("m-lexical", "align.method=lexical", ref)
    assert eval_align(run_dir, DATA / "dev_gold.json")["f1"] >= 0.95
    for method in ("mt", "length"):  # stage by stage, each alone (a stage command re-runs the later ones without it)
        stages = ("segment", "translate", "align")
        run_dir = jaen_run(f"m-{method}", f"align.method={method}", ref, "--only", commands=stages)
        beads = [json.loads(line) for line in (run_dir / "alignment.jsonl").read_text().splitlines()]
        linked = [b for b in beads if b["src_ids"] and b["ref_ids"]]
        if method == "mt":  # the tiny model's MT is no better than chance: calibrated to no evidence at all
            assert not linked
        else:  # bare length pairs sentences, but the signal it records is length alone
            assert linked and all(
                "length" in b["signals"] and not {"lexical", "mt"} & set(b["signals"]) for b in linked
            )
    result = runner.invoke(app, ["align", str(run_dir), "align.method=nope"])
    assert result.exit_code == 2 and "align.method: unknown aligner 'nope'" in result.output


def test_a_heading_run_into_a_sentence_is_cut_end_to_end(jaen_run, tmp_path: Path) -> None:
    """The TSV carries each cut piece as its row's reference, the manifest counts the cut sentences
    and `jaen eval-align` scores the pieces (WMT21 dev set, tune half, as in test_align_split)."""
    run_dir = jaen_run(
        "cut", f"input.path={DATA / 'run_on_headings_ja.txt'}", f"reference.path={DATA / 'run_on_headings_en.txt'}"
    )
    got = rows(run_dir)
    assert [r["align_type"] for r in got] == ["1-1"] * 6
    assert got[0]["reference"].endswith("is Flawless") and got[1]["reference"].startswith("This week,")
    manifest = json.loads((run_dir / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["stages"]["align"]["cut_references"] == 1  # the other heading: the English splitter's
    gold = [{"ja": [r["source"]], "en": [r["reference"]]} for r in got]
    (tmp_path / "gold.json").write_text(json.dumps(gold, ensure_ascii=False), encoding="utf-8")
    assert eval_align(run_dir, tmp_path / "gold.json") == {"precision": 1.0, "recall": 1.0, "f1": 1.0}
