"""scores.json and the bitext files are byte for byte what they were before the score and export stages
streamed (statistics kept as arrays, chrF from its statistics, rows written one by one): the digests
below were written by the code of commit e05364e, on this same run."""

from __future__ import annotations

import hashlib
from pathlib import Path

from rundirs import Unit, write_run
from test_score_resample import HYPS, REFS

from pipeline.config import RunSection
from pipeline.export.stage import ExportStage
from pipeline.score.stage import write_scores
from pipeline.stage import RunContext

FILES = ("scores.json", "bitext.tsv", "bitext.jsonl", "bitext.tmx")
BEFORE = {
    "scores.json": "8240ecf56afd4242339a97b47433c284c452536121ec26852d5bb9d9d985b21f",
    "bitext.tsv": "db53addd8bc0b004646694976cd3fafb86865376cab07876e93bbfaa4cc4c61f",
    "bitext.jsonl": "5a805ae29d5091b896e4629294a387aa90f0a9ebf2d7772205d82d49f7b0e10b",
    "bitext.tmx": "a0994e2d0a6e4d4540c06e69409ee33ef825c782ef923715d6c32dd64908a9ce",
}


def units() -> list[Unit]:
    """Scored rows, two Japanese sentences in one row, a truncated reference, a row without reference,
    a reference without source and flagged translations."""
    out = [Unit([f"文{i}。"], [h], [r]) for i, (h, r) in enumerate(zip(HYPS[:80], REFS[:80]))]
    out[3] = Unit(["前半。", "後半。"], [HYPS[3], HYPS[4]], [REFS[3]], score=0.71)
    out[7].flags = ["repeated"]
    summit = "The summit in Beijing last Thursday marked a turning point."
    out.append(Unit(["途中。"], [summit], ["The summit …"], partial=True))
    out.append(Unit(["参照なし。"], ["No reference here."]))
    out.append(Unit([], [], ["A reference sentence with no source."]))
    return out


def outputs(tmp_path: Path) -> dict[str, str]:
    overrides = {"score.bootstrap": 100, "score.partial": "prefix", "export.formats": ["tsv", "jsonl", "tmx"]}
    config = write_run(tmp_path / "run", units(), overrides)
    ctx = RunContext(config, tmp_path / "run")
    write_scores(ctx, RunSection(workers=1))
    ExportStage().run(ctx)
    return {name: hashlib.sha256((tmp_path / "run" / name).read_bytes()).hexdigest() for name in FILES}


def test_scores_and_bitext_are_as_before(tmp_path: Path) -> None:
    assert outputs(tmp_path) == BEFORE
