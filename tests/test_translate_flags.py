"""Nothing silent: truncated, repeated, empty and unk outputs are flagged by the code production runs,
kept through the cache, and translate.on_truncation=retry redoes a cut output and says what it did."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path

import pytest

from pipeline.config import TranslateSection, load_config
from pipeline.runner import run_stages
from pipeline.translate.base import Generation, Output, Translator
from pipeline.translate.ct2 import CT2Translator
from pipeline.translate.flags import FLAGS, count_flags, format_flags, ordered, repeated_ngram, text_flags
from pipeline.translate.hf import HFTranslator
from pipeline.translate.stage import local_batches, retry_cut, translate_missing

TEXTS = ["北京で会談した。", "今日は天気がいいですね、散歩に行きましょう。", "猫。"]


@pytest.mark.parametrize(
    ("text", "loop"),
    [
        ("the the the the", True),
        ("of the of the of the war", True),
        ("He said that the president of the president of the president of", True),
        ("防衛防衛防衛防衛防衛", True),
        ("very very very good", False),
        ("Tokyo is the capital of Japan, and Osaka is not the capital of Japan.", False),
        ("", False),
    ],
)
def test_repeated_ngram(text: str, loop: bool) -> None:
    assert repeated_ngram(text) is loop


def test_text_flags_and_format() -> None:
    assert text_flags("猫。", "") == ["empty"]
    assert text_flags("   ", "") == []  # a blank source has nothing to lose
    assert text_flags("猫。", "cat cat cat cat") == ["repeated"]
    assert text_flags("猫。", "A cat.") == []
    assert format_flags(["unk", "truncated", "unk"]) == "truncated,unk" and format_flags([]) == ""
    assert count_flags([["truncated"], ["truncated", "unk"], []]) == dict(zip(FLAGS, [2, 0, 0, 1]))
    with pytest.raises(ValueError, match="unknown translation flag"):
        ordered(["cut"])


def biased_model(tiny_model: Path, out: Path, token: str) -> Path:
    """The tiny model pushed to emit one token always (its end token, or <unk>)."""
    from pipeline.translate.loading import load_marian

    model, tokenizer = load_marian(str(tiny_model))
    token_id = tokenizer.convert_tokens_to_ids(token)
    model.final_logits_bias[0, token_id] = 1e4
    model.save_pretrained(out)
    tokenizer.save_pretrained(out)
    return out


@pytest.mark.parametrize("backend", [HFTranslator, CT2Translator])
def test_backends_report_cap_hits_and_unk(backend: type[Translator], tiny_model: Path, tmp_path: Path) -> None:
    def outputs(model: Path) -> list[Output]:
        cfg = TranslateSection(model=str(model), cache_dir=tmp_path / "cache", compute_type="float32", num_beams=2)
        return backend(cfg).translate_outputs(TEXTS)

    # the tiny model never emits its end token: every output runs to the cap
    assert all(o.truncated and not o.unk and o.text for o in outputs(tiny_model))
    ends = outputs(biased_model(tiny_model, tmp_path / "ends", "</s>"))
    assert ends == [Output("", truncated=False, unk=False)] * len(TEXTS)
    unk = outputs(biased_model(tiny_model, tmp_path / "unk", "<unk>"))
    assert all(o.unk and o.truncated for o in unk)


def run_translate(tmp_path: Path, model: Path, texts: Sequence[str], *more: str, name: str = "t") -> Path:
    config = load_config(
        None,
        [
            f"run.output_dir={tmp_path / 'out'}",
            f"run.name={name}",
            f"translate.model={model}",
            f"translate.cache_dir={tmp_path / 'cache'}",
            "translate.num_beams=1",
            "translate.max_new_tokens_min=4",
            "translate.max_new_tokens_ratio=0.2",
            *more,
        ],
    )
    config.run_dir.mkdir(parents=True)
    sentences = [
        {"seg_id": f"ja{i:05d}", "doc_id": "doc1", "para_id": 1, "lang": "ja", "kind": "body", "text": t}
        for i, t in enumerate(texts, 1)
    ]
    (config.run_dir / "sentences.jsonl").write_text(
        "".join(json.dumps(s, ensure_ascii=False) + "\n" for s in sentences)
    )
    run_stages(config, ("translate",))
    return config.run_dir


def records(run_dir: Path) -> list[dict]:
    return [json.loads(line) for line in (run_dir / "translations.jsonl").read_text().splitlines()]


def stage_info(run_dir: Path) -> dict:
    return json.loads((run_dir / "manifest.json").read_text())["stages"]["translate"]


def test_every_tiny_row_is_truncated_and_cached_rows_keep_their_flags(tiny_model: Path, tmp_path: Path) -> None:
    first = run_translate(tmp_path, tiny_model, TEXTS, name="first")
    assert [r["flags"][0] for r in records(first)] == ["truncated"] * 3
    assert stage_info(first)["flags"]["truncated"] == 3 and stage_info(first)["retried"] == {"cap": 0, "split": 0}
    again = run_translate(tmp_path, tiny_model, TEXTS, name="again")  # all from the shared cache
    assert stage_info(again)["from_cache"] == 3
    assert [r["flags"] for r in records(again)] == [r["flags"] for r in records(first)]
    assert all(r["cached"] for r in records(again))


def test_retry_splits_at_a_clause_and_says_so(tiny_model: Path, tmp_path: Path) -> None:
    run_dir = run_translate(tmp_path, tiny_model, TEXTS, "translate.on_truncation=retry")
    got = records(run_dir)
    # the tiny model is cut at any cap: 2x the cap does not help; the sentence with a clause is split
    assert [r["retried"] for r in got] == [None, "split", None]
    assert all("truncated" in r["flags"] for r in got)  # still cut: the flag stays, that is the truth
    assert stage_info(run_dir)["retried"] == {"cap": 0, "split": 1}
    assert stage_info(run_dir)["on_truncation"] == "retry"


class CapBound(Translator):
    """Cut unless the cap is raised (cap_scale > 1) or the text is short: what retry is for."""

    name = "capbound"

    def __init__(self) -> None:
        super().__init__(TranslateSection())
        self.generation = Generation.resolve(self.cfg, {}, max_positions=512)
        self.calls: list[tuple[list[str], float]] = []

    def translate_outputs(self, texts: Sequence[str], cap_scale: float = 1.0) -> list[Output]:
        self.calls.append((list(texts), cap_scale))
        return [Output(t.upper(), truncated=cap_scale == 1.0 and len(t) > 6) for t in texts]

    def count_tokens(self, text: str) -> int:
        return len(text)

    @property
    def max_source_tokens(self) -> int:
        return 512

    def identity(self) -> dict:
        return {"model": "capbound"}


def test_retry_raises_the_cap_first(tmp_path: Path) -> None:
    translator = CapBound()
    done, _ = translate_missing(["long text here", "short"], None, local_batches(translator, 8))
    cut = [p for p, o in done.items() if o.truncated]
    assert cut == ["long text here"]

    def longer(pieces: list[str]) -> dict[str, Output]:
        return translate_missing(pieces, None, local_batches(translator, 8, 2.0))[0]

    retried = retry_cut(cut, translator, longer, longer)
    assert retried == {"long text here": (Output("LONG TEXT HERE"), "cap")}
    assert translator.calls[-1] == (["long text here"], 2.0)
