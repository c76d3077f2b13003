"""The hf and ct2 backends: one interface, the same tokens out, conversion reused, clear load errors."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from pipeline.config import TranslateSection, load_config
from pipeline.errors import ConfigError, ModelLoadError
from pipeline.translate.base import translators
from pipeline.translate.ct2 import MARKER, CT2Translator, convert_ct2, default_ct2_dir
from pipeline.translate.hf import HFTranslator

TEXTS = [
    "北京で会談した。",
    "あ",
    "今日は天気がいいですね、散歩に行きましょう。",
    "東京都知事は記者会見で新しい政策を発表した。",
    "Hello, world — not Japanese at all.",
    "１２３４５😀",
]


@pytest.fixture(scope="module")
def varied_model(tiny_model: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The tiny model with larger random weights, so that its output depends on the source (the
    sinusoidal positions and the zero <pad> embedding the decoder starts from are kept)."""
    import torch

    from pipeline.translate.loading import load_marian

    model, tokenizer = load_marian(str(tiny_model))
    gen = torch.Generator().manual_seed(1)
    with torch.no_grad():
        for name, param in model.named_parameters():
            if param.dim() > 1 and "embed_positions" not in name:
                param.copy_(torch.randn(param.shape, generator=gen) * 0.3)
        model.model.shared.weight[model.config.pad_token_id].zero_()
    out = tmp_path_factory.mktemp("models") / "tiny-varied"
    model.save_pretrained(out)
    tokenizer.save_pretrained(out)
    return out


def section(model: Path, tmp_path: Path, **kw) -> TranslateSection:
    return TranslateSection(model=str(model), cache_dir=tmp_path / "cache", **kw)


@pytest.mark.parametrize("beams", [1, 3])
def test_hf_and_ct2_float32_give_identical_output(varied_model: Path, tmp_path: Path, beams: int) -> None:
    kw = dict(num_beams=beams, max_new_tokens_min=12, max_new_tokens_ratio=0.5, max_batch_size=4)
    hf = HFTranslator(section(varied_model, tmp_path, **kw)).translate(TEXTS)
    ct2 = CT2Translator(section(varied_model, tmp_path, compute_type="float32", **kw)).translate(TEXTS)
    assert len(set(hf)) >= 4  # the outputs depend on the source, so the comparison means something
    assert ct2 == hf


def test_min_new_tokens_fixes_the_output_length_in_both_backends(varied_model: Path, tmp_path: Path) -> None:
    kw = dict(num_beams=1, min_new_tokens=9, max_new_tokens_min=10, max_new_tokens_ratio=0.01)
    hf = HFTranslator(section(varied_model, tmp_path, **kw))
    ct2 = CT2Translator(section(varied_model, tmp_path, compute_type="float32", **kw))
    assert ct2.decoding_kwargs(5)["max_decoding_length"] == 9 == ct2.decoding_kwargs(5)["min_decoding_length"]
    out = ct2.model.translate_batch([ct2.source_tokens(t) for t in TEXTS], **ct2.decoding_kwargs(5))
    assert [len(r.hypotheses[0]) for r in out] == [9] * len(TEXTS)
    assert hf.translate(TEXTS) == ct2.translate(TEXTS)


def test_backends_come_from_the_registry_and_report_identity(tiny_model: Path, tmp_path: Path) -> None:
    assert {"hf", "ct2"} <= set(translators.names())
    cfg = section(tiny_model, tmp_path, backend="ct2")
    translator = translators.get(cfg.backend)(cfg)
    identity = translator.identity()
    assert identity["backend"] == "ct2" and identity["compute_type"].startswith("int8")  # int8 on CPU by default
    assert identity["weights"] == HFTranslator(section(tiny_model, tmp_path)).identity()["weights"]
    assert identity["num_beams"] == 4  # the model's generation config (opus-mt-ja-en's) is the default
    assert CT2Translator(
        section(tiny_model, tmp_path, num_beams=2, repetition_penalty=1.3, no_repeat_ngram_size=3, length_penalty=0.8)
    ).decoding_kwargs(4) == {
        "beam_size": 2,
        "length_penalty": 0.8,
        "no_repeat_ngram_size": 3,
        "repetition_penalty": 1.3,
        "max_decoding_length": 15,
        "min_decoding_length": 0,
        "max_input_length": 0,
    }
    with pytest.raises(ConfigError, match="translate.backend"):
        translators.get("nope", "translate.backend")


def test_generation_settings_reach_transformers(tiny_model: Path, tmp_path: Path) -> None:
    hf = HFTranslator(
        section(
            tiny_model,
            tmp_path,
            no_repeat_ngram_size=2,
            repetition_penalty=1.2,
            length_penalty=0.5,
            max_new_tokens_ratio=1.5,
            max_new_tokens_min=4,
        )
    )
    kwargs = hf.generation_kwargs(10)
    assert kwargs == {
        "num_beams": 4,
        "length_penalty": 0.5,
        "no_repeat_ngram_size": 2,
        "repetition_penalty": 1.2,
        "max_new_tokens": 15,
    }
    assert hf.generation_kwargs(10_000)["max_new_tokens"] == 512  # never past the model's positions
    assert hf.identity()["repetition_penalty"] == 1.2
    assert hf.batch_size == 16  # 4 beams on CPU: about 64 hypotheses per generate call
    assert HFTranslator(section(tiny_model, tmp_path, num_beams=1, max_batch_size=8)).batch_size == 8


def test_ct2_converts_once_and_reuses(tiny_model: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    cfg = section(tiny_model, tmp_path, backend="ct2")
    first = CT2Translator(cfg)
    target = default_ct2_dir(cfg, first.identity())
    assert first.ct2_dir == target and (target / "model.bin").is_file()
    assert json.loads((target / MARKER).read_text())["source"]["weights"] == first.identity()["weights"]

    def no_conversion(*args, **kwargs):
        raise AssertionError("converted again")

    monkeypatch.setattr("pipeline.translate.ct2.convert_ct2", no_conversion)
    assert CT2Translator(cfg).translate(["北京で会談した。"]) == first.translate(["北京で会談した。"])


def test_ct2_dir_from_another_model_is_refused(tiny_model: Path, varied_model: Path, tmp_path: Path) -> None:
    other = convert_ct2(str(varied_model), tmp_path / "other-ct2")
    with pytest.raises(ModelLoadError, match="converted from"):
        CT2Translator(section(tiny_model, tmp_path, backend="ct2", ct2_dir=other))
    (other / MARKER).unlink()
    with pytest.raises(ModelLoadError, match=MARKER):
        CT2Translator(section(varied_model, tmp_path, backend="ct2", ct2_dir=other))
    with pytest.raises(ModelLoadError, match="already exists"):
        convert_ct2(str(varied_model), other)
    stray = tmp_path / "stray"
    stray.mkdir()
    (stray / "notes.txt").write_text("mine")
    with pytest.raises(ModelLoadError, match="holds no CTranslate2 model"):
        CT2Translator(section(varied_model, tmp_path, backend="ct2", ct2_dir=stray))
    assert (stray / "notes.txt").read_text() == "mine"  # never deleted
    empty = tmp_path / "empty"
    empty.mkdir()
    assert CT2Translator(section(varied_model, tmp_path, backend="ct2", ct2_dir=empty)).ct2_dir == empty


@pytest.mark.parametrize("missing", ["source.spm", "vocab.json", "model.safetensors", "config.json"])
@pytest.mark.parametrize("backend", [HFTranslator, CT2Translator])
def test_model_directory_with_files_missing(tiny_model: Path, tmp_path: Path, missing: str, backend) -> None:
    broken = tmp_path / "broken"
    shutil.copytree(tiny_model, broken)
    (broken / missing).unlink()
    with pytest.raises(ModelLoadError, match=missing.split(".")[0]) as err:
        backend(section(broken, tmp_path))
    assert "\n" not in str(err.value) and str(broken) in str(err.value)


def test_unknown_model_fails_fast_offline(tmp_path: Path) -> None:
    with pytest.raises(ModelLoadError, match="hub cannot be reached"):
        CT2Translator(section(Path("no-such-org/no-such-model"), tmp_path))


def test_config_rejects_bad_compute_type_and_device(tiny_model: Path, tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="translate.compute_type"):
        load_config(None, ["translate.compute_type=int4"])
    with pytest.raises(ModelLoadError, match="translate.device"):
        CT2Translator(section(tiny_model, tmp_path, device="tpu"))


def test_device_auto_picks_cpu_without_cuda(tiny_model: Path, tmp_path: Path) -> None:
    import torch

    before = torch.get_num_threads()
    try:
        hf = HFTranslator(section(tiny_model, tmp_path, device="auto", threads=1))
        assert hf.describe()["device"] == ("cuda" if torch.cuda.is_available() else "cpu")
        assert hf.describe()["threads"] == 1
    finally:
        torch.set_num_threads(before)


def test_cli_convert_ct2(tiny_model: Path, tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from pipeline.cli import app

    runner = CliRunner()
    dst = tmp_path / "tiny-ct2"
    result = runner.invoke(app, ["models", "convert-ct2", str(tiny_model), str(dst)])
    assert result.exit_code == 0, result.output
    assert (dst / "model.bin").is_file() and (dst / MARKER).is_file()
    translator = CT2Translator(section(tiny_model, tmp_path, ct2_dir=dst))
    assert translator.ct2_dir == dst and translator.translate(["猫。"])[0]
    again = runner.invoke(app, ["models", "convert-ct2", str(tiny_model), str(dst)])
    assert again.exit_code == 2 and "already exists" in again.output
    missing = runner.invoke(app, ["models", "convert-ct2", str(tmp_path / "nope"), str(tmp_path / "x")])
    assert missing.exit_code == 2 and "nope" in missing.output


def test_auto_batch_sizes_on_cpu_are_todays_and_reach_the_manifest_facts(tiny_model: Path, tmp_path: Path) -> None:
    hf = HFTranslator(section(tiny_model, tmp_path))
    assert (hf.batch_plan.max_batch_size, hf.batch_plan.max_batch_tokens) == (32, 4096)
    assert hf.describe()["batch_plan"] == {"max_batch_size": 32, "max_batch_tokens": 4096, "source": "cpu defaults"}
    assert hf.describe()["dtype"] == "float32" == hf.identity()["compute_type"]  # auto on CPU
    ct2 = CT2Translator(section(tiny_model, tmp_path, backend="ct2", max_batch_tokens=100))
    assert ct2.describe()["batch_plan"] == {"max_batch_size": 32, "max_batch_tokens": 100, "source": "cpu defaults"}


def test_dtype_is_in_the_cache_key_and_the_resume_key(varied_model: Path, tmp_path: Path) -> None:
    from pipeline.runner import stage_keys
    from pipeline.translate.cache import TranslationCache

    kw = dict(num_beams=1, max_new_tokens_min=8, max_new_tokens_ratio=0.5)
    full = HFTranslator(section(varied_model, tmp_path, dtype="float32", **kw))
    half = HFTranslator(section(varied_model, tmp_path, dtype="bfloat16", **kw))
    assert str(half.model.dtype) == "torch.bfloat16" and half.identity()["compute_type"] == "bfloat16"
    assert len(half.translate(TEXTS)) == len(TEXTS)
    keys = [TranslationCache(tmp_path / f"c{i}.sqlite", t.identity()).key(TEXTS[0]) for i, t in enumerate((full, half))]
    assert keys[0] != keys[1]
    before, after = (stage_keys(load_config(None, [f"translate.dtype={d}"]), {}) for d in ("auto", "bfloat16"))
    assert before["translate"] != after["translate"] and before["segment"] == after["segment"]
    with pytest.raises(ConfigError, match="translate.dtype"):
        load_config(None, ["translate.dtype=float64"])


def test_a_dtype_the_device_cannot_run_is_one_line_naming_the_key(tiny_model: Path) -> None:
    import torch

    from pipeline.translate.hf import check_dtype_runs
    from pipeline.translate.loading import load_marian

    model, _ = load_marian(str(tiny_model))
    check_dtype_runs(model, "cpu", "float32")
    model.to(torch.float8_e4m3fn)  # no CPU kernels for it
    with pytest.raises(ConfigError, match=r"translate\.dtype=float8_e4m3fn: .* on cpu") as err:
        check_dtype_runs(model, "cpu", "float8_e4m3fn")
    assert "\n" not in str(err.value)


def test_ct2_on_cuda_without_its_cuda_libraries_is_one_line_exit_2(
    tiny_model: Path, tmp_path: Path, smoke_config: str, run_overrides: list[str]
) -> None:
    import ctranslate2
    from typer.testing import CliRunner

    from pipeline.cli import app
    from pipeline.translate.ct2 import cuda_libraries, missing_libraries

    if ctranslate2.get_cuda_device_count() > 0:
        pytest.skip("CTranslate2 runs on a GPU here")
    assert cuda_libraries()[0].startswith("lib") and set(missing_libraries(cuda_libraries())) <= set(cuda_libraries())
    with pytest.raises(ModelLoadError, match="ct2 on cuda: CTranslate2 .*(not found|no CUDA device)") as err:
        CT2Translator(section(tiny_model, tmp_path, backend="ct2", device="cuda"))
    assert "\n" not in str(err.value) and "translate." in str(err.value)
    result = CliRunner().invoke(
        app, ["run", smoke_config, *run_overrides, "translate.backend=ct2", "translate.device=cuda"]
    )
    assert result.exit_code == 2, result.output
    assert result.output.strip().splitlines() == [f"jaen: error: {err.value}"]
