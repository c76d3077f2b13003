"""The translate stage: cached re-runs, resume after interruption, never truncating, odd inputs."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from pipeline.config import load_config
from pipeline.runner import run_stages
from pipeline.translate.base import Output
from pipeline.translate.cache import TranslationCache
from pipeline.translate.hf import HFTranslator
from pipeline.translate.stage import translate_missing


def manifest(run_dir: Path) -> dict:
    return json.loads((run_dir / "manifest.json").read_text())


def rows(run_dir: Path) -> list[dict]:
    return [json.loads(line) for line in (run_dir / "translations.jsonl").read_text().splitlines()]


# The tiny model never ends a sentence by itself: short caps keep these runs fast.
FAST = ["translate.max_new_tokens_ratio=0.1", "translate.max_new_tokens_min=4"]


def run(smoke_config: str, overrides: list[str], *more: str, stages=None) -> Path:
    config = load_config(smoke_config, [*overrides, *FAST, *more])
    return run_stages(config, stages) if stages else run_stages(config)


def test_second_run_translates_nothing(smoke_config: str, run_overrides: list[str]) -> None:
    run_dir = run(smoke_config, run_overrides)
    first = manifest(run_dir)["stages"]["translate"]
    assert first["translated"] == first["pieces"] > 90 and first["from_cache"] == 0
    assert first["sentences_per_second"] > 0 and first["translate_seconds"] > 0 and "load_seconds" in first
    before = rows(run_dir)
    assert not any(r["cached"] for r in before)

    run(smoke_config, run_overrides)
    second = manifest(run_dir)["stages"]["translate"]
    assert second["translated"] == 0 and second["from_cache"] == first["pieces"]
    after = rows(run_dir)
    assert [r["translation"] for r in after] == [r["translation"] for r in before]
    assert all(r["cached"] for r in after)

    run(smoke_config, run_overrides, "align.threshold=0.5", "run.name=sweep")  # only a later stage differs
    assert manifest(run_dir.parent / "sweep")["stages"]["translate"]["translated"] == 0

    run(smoke_config, run_overrides, "translate.num_beams=1", "run.name=greedy")  # another setting
    assert manifest(run_dir.parent / "greedy")["stages"]["translate"]["translated"] == first["pieces"]


def test_interrupted_run_resumes_without_redoing_finished_batches(
    smoke_config: str, run_overrides: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[int] = []
    real = HFTranslator.translate_outputs

    def flaky(self, texts, cap_scale=1.0):
        if len(calls) == 3:
            raise KeyboardInterrupt
        calls.append(len(texts))
        return real(self, texts, cap_scale)

    monkeypatch.setattr(HFTranslator, "translate_outputs", flaky)
    settings = ["translate.max_batch_size=2", "translate.stream_chunk=40"]  # 8 pieces per call
    with pytest.raises(KeyboardInterrupt):
        run(smoke_config, run_overrides, *settings)
    assert calls == [8, 8, 8]
    run_dir = Path(run_overrides[1].split("=", 1)[1]) / "smoke"
    assert not (run_dir / "translations.jsonl").exists()  # no half-written artifact

    monkeypatch.setattr(HFTranslator, "translate_outputs", real)
    run(smoke_config, run_overrides, *settings, stages=("translate",))
    stage = manifest(run_dir)["stages"]["translate"]
    assert stage["translated"] == stage["pieces"] - 24
    assert stage["from_cache"] == 24


def test_long_sentence_is_split_translated_and_rejoined(tiny_model: Path, tmp_path: Path) -> None:
    clause = "東京都の知事は記者会見で新しい政策を発表し"
    long = ("、".join([clause] * 250) + "。")[:5000]
    assert len(long) == 5000
    sentences = [
        {"seg_id": "ja00001", "doc_id": "doc1", "para_id": 1, "lang": "ja", "kind": "body", "text": long},
        {"seg_id": "ja00002", "doc_id": "doc1", "para_id": 1, "lang": "ja", "kind": "body", "text": "短い文。"},
    ]
    run_dir = translate_only(
        tmp_path, tiny_model, sentences, "translate.max_new_tokens_min=4", "translate.max_new_tokens_ratio=0.05"
    )
    out = rows(run_dir)
    assert [r["seg_id"] for r in out] == ["ja00001", "ja00002"]
    assert out[0]["split"] and out[0]["pieces"] >= 5 and out[0]["translation"]
    assert not out[1]["split"] and out[1]["pieces"] == 1
    assert manifest(run_dir)["stages"]["translate"]["split_sentences"] == 1


def translate_only(tmp_path: Path, model: Path, sentences: list[dict], *more: str) -> Path:
    config = load_config(
        None,
        [
            f"run.output_dir={tmp_path / 'out'}",
            "run.name=t",
            f"translate.model={model}",
            f"translate.cache_dir={tmp_path / 'cache'}",
            "translate.num_beams=1",
            *FAST,
            *more,
        ],
    )
    run_dir = config.run_dir
    run_dir.mkdir(parents=True)
    (run_dir / "sentences.jsonl").write_text("".join(json.dumps(s, ensure_ascii=False) + "\n" for s in sentences))
    run_stages(config, ("translate",))
    return run_dir


def test_no_japanese_sentences_gives_an_empty_artifact(tiny_model: Path, tmp_path: Path) -> None:
    english = [{"seg_id": "en00001", "doc_id": "doc1", "para_id": 1, "lang": "en", "kind": "body", "text": "Hi."}]
    run_dir = translate_only(tmp_path, tiny_model, english)
    assert (run_dir / "translations.jsonl").read_text() == ""
    assert manifest(run_dir)["stages"]["translate"]["translated"] == 0


def test_non_japanese_and_blank_text_get_a_row_each(tiny_model: Path, tmp_path: Path) -> None:
    texts = ["Hello there.", "１２３", "😀", "   ", "Ünïcödé ñ", "北京で会談した。"]
    sentences = [
        {"seg_id": f"ja{i:05d}", "doc_id": "doc1", "para_id": 1, "lang": "ja", "kind": "body", "text": t}
        for i, t in enumerate(texts, 1)
    ]
    out = rows(translate_only(tmp_path, tiny_model, sentences, "translate.backend=ct2"))
    assert [r["seg_id"] for r in out] == [s["seg_id"] for s in sentences]
    assert out[3]["translation"] == ""
    assert all(r["translation"] for i, r in enumerate(out) if i != 3)


def test_streams_in_chunks_and_dedupes(tiny_model: Path, tmp_path: Path) -> None:
    texts = ["北京で会談した。", "今日は晴れ。", "北京で会談した。"] * 5
    sentences = [
        {"seg_id": f"ja{i:05d}", "doc_id": "doc1", "para_id": 1, "lang": "ja", "kind": "body", "text": t}
        for i, t in enumerate(texts, 1)
    ]
    run_dir = translate_only(tmp_path, tiny_model, sentences, "translate.stream_chunk=4")
    out = rows(run_dir)
    assert len(out) == 15 and out[0]["translation"] == out[2]["translation"]
    assert manifest(run_dir)["stages"]["translate"]["translated"] == 2  # later chunks hit the cache


def test_bad_sentence_record_names_the_file(tiny_model: Path, tmp_path: Path) -> None:
    from pipeline.errors import StageError

    with pytest.raises(StageError, match=r"sentences.jsonl: record 1"):
        translate_only(tmp_path, tiny_model, [{"lang": "ja", "text": "猫"}])


def test_translate_missing_is_the_engine_seam(tmp_path: Path) -> None:
    cache = TranslationCache(tmp_path / "c.sqlite", {"model": "fake"})
    cache.put_many([("猫", Output("cat", truncated=True))])
    seen: list[list[str]] = []

    def runner(todo: list[str]):
        seen.append(list(todo))
        yield todo, [Output(t.upper(), unk=t == "b") for t in todo]

    done, todo = translate_missing(["猫", "a", "b", "a", " "], cache, runner)
    assert seen == [["a", "b"]] and todo == ["a", "b"]
    assert done == {"猫": Output("cat", truncated=True), "a": Output("A"), "b": Output("B", unk=True), " ": Output("")}
    assert cache.get_many(["a", "b"]) == {"a": Output("A"), "b": Output("B", unk=True)}

    def short(todo: list[str]):
        yield todo, []

    from pipeline.errors import StageError

    with pytest.raises(StageError, match="returned 0 translations for 1"):
        translate_missing(["c"], cache, short)
