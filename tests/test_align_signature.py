"""The aligner's signature (align/signature.py): every setting and tuned number in it, and the align
stage's resume key derived from it."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from pipeline.align.params import PARAMS
from pipeline.align.signature import ALIGNER_VERSION, params_hash, signature
from pipeline.align.stage import AlignStage
from pipeline.config import AlignSection, load_config
from pipeline.runner import stage_keys
from pipeline.stage import STAGE_ORDER, RunContext

REPO = Path(__file__).resolve().parent.parent


def test_the_main_settings_are_readable() -> None:
    sig = signature(AlignSection(), PARAMS)
    assert sig.startswith(f"hybrid|v:{ALIGNER_VERSION}|thr:0.35|lw:0.3|cand:10|merge:0.8|gaps:yes|")
    assert "|skip:6.0/2.0|" in sig and "|cut:yes|" in sig
    assert sig.endswith(f"|params:{params_hash(PARAMS)}") and len(params_hash(PARAMS)) == 8
    assert signature(AlignSection(), PARAMS) == sig  # stable
    assert signature(AlignSection(method="lexical"), PARAMS).startswith("lexical|")


def changed_value(value: object) -> object:
    if isinstance(value, bool):
        return not value
    if isinstance(value, str):
        return "lexical"
    return value + 1 if isinstance(value, int) else value / 2


@pytest.mark.parametrize("name", sorted(AlignSection.model_fields))
def test_every_setting_changes_the_signature(name: str) -> None:
    cfg = AlignSection()
    other = cfg.model_copy(update={name: changed_value(getattr(cfg, name))})
    assert signature(other, PARAMS) != signature(cfg, PARAMS)


@pytest.mark.parametrize(
    "params",
    [
        dataclasses.replace(PARAMS, gaps=dataclasses.replace(PARAMS.gaps, paragraph_jump=2.5)),
        dataclasses.replace(PARAMS, cuts=dataclasses.replace(PARAMS.cuts, max_cuts=25)),
        dataclasses.replace(
            PARAMS,
            evidence=dataclasses.replace(
                PARAMS.evidence, length=dataclasses.replace(PARAMS.evidence.length, sigma=0.4)
            ),
        ),
        dataclasses.replace(
            PARAMS,
            anchors=dataclasses.replace(
                PARAMS.anchors, glosses=dataclasses.replace(PARAMS.anchors.glosses, word_senses=5)
            ),
        ),
    ],
    ids=["gap-cost", "cut-count", "length-sigma", "gloss-cap"],
)
def test_a_tuned_number_changes_the_signature_and_the_resume_key(
    params, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = load_config(REPO / "configs" / "smoke.yaml")
    ctx = RunContext(config, tmp_path)
    before = AlignStage().identity(ctx)
    keys = stage_keys(config, {"in.txt": "abc"}, {"align": before})
    monkeypatch.setattr(AlignStage, "params", params)
    after = AlignStage().identity(ctx)
    assert after["signature"] != before["signature"]
    again = stage_keys(config, {"in.txt": "abc"}, {"align": after})
    assert [keys[n] != again[n] for n in STAGE_ORDER] == [False, False, True, True, True]


def test_a_new_setting_without_a_short_key_is_an_error() -> None:
    class Wider(AlignSection):
        new_knob: float = 1.0

    with pytest.raises(ValueError, match="align.new_knob"):
        signature(Wider(), PARAMS)
