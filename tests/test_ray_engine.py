"""The ``ray`` engine: same result as the local engine, retried crashes, clear errors. Ray starts once."""

from __future__ import annotations

import json
import socket
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from pipeline.cli import app
from pipeline.config import RunSection, TranslateSection, load_config
from pipeline.errors import JaenError
from pipeline.runner import run_stages
from pipeline.translate import ray_engine
from pipeline.translate.ray_engine import RayEngineError, translate_batches

TEXTS = [
    "北京で会談した。",
    "東京は晴れです。",
    "今日は雨が降っている。",
    "会議は明日の午後に開かれる。",
    "彼は本を読んだ。",
    "新しい駅が完成した。",
    "電車が遅れています。",
    "市長が記者会見を開いた。",
    "大阪の人口が増えた。",
    "春の花が咲いた。",
    "政府は計画を発表した。",
]


@pytest.fixture(scope="module")
def local_ray() -> Iterator[None]:
    """A lean local Ray with two CPUs, started once for the module (the engine reuses it)."""
    ray = pytest.importorskip("ray")
    pytest.importorskip("ray.data")
    ray.init(
        num_cpus=2,
        include_dashboard=False,
        object_store_memory=ray_engine.LOCAL_OBJECT_STORE_BYTES,
        log_to_driver=False,
    )
    yield
    ray.shutdown()


def config(smoke_config: str, overrides: list[str], *extra: str):
    return load_config(smoke_config, [*overrides, *extra])


def closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_ray_engine_gives_the_same_bitext_as_local_though_an_actor_crashes_mid_batch(
    local_ray: None, smoke_config: str, fast_run_overrides: list[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # several chunks, so both actors work; one thread each to stay fast on 2 cores (greedy, short outputs)
    common = [*fast_run_overrides, "translate.max_batch_size=4", "translate.threads=1"]
    local = config(smoke_config, common, "run.name=local", f"translate.cache_dir={tmp_path / 'cache-local'}")
    distributed = config(
        smoke_config,
        common,
        "run.name=ray",
        "run.engine=ray",
        "run.num_workers=2",
        f"translate.cache_dir={tmp_path / 'cache-ray'}",
    )
    local_dir = run_stages(local)
    marker = tmp_path / "crashed"  # an actor dies after translating a batch, before returning it
    monkeypatch.setenv(ray_engine.FAULT_ENV, str(marker))
    ray_dir = run_stages(distributed)
    assert marker.exists(), "the injected crash did not happen"
    # the lost batch was retried, nothing lost or duplicated (a row back twice stops the run)
    for name in ("translations.jsonl", "bitext.tsv"):
        assert (ray_dir / name).read_bytes() == (local_dir / name).read_bytes(), name
    stats = json.loads((ray_dir / "manifest.json").read_text())["stages"]["translate"]
    assert stats["translated"] > 16 and stats["from_cache"] == 0  # Ray really translated, in several batches
    # the results went to the cache: a second Ray run translates nothing (and needs no Ray at all)
    again = run_stages(distributed.model_copy(update={"run": distributed.run.model_copy(update={"name": "again"})}))
    stats = json.loads((again / "manifest.json").read_text())["stages"]["translate"]
    assert stats["translated"] == 0 and stats["from_cache"] > 16
    assert (again / "bitext.tsv").read_bytes() == (local_dir / "bitext.tsv").read_bytes()


def test_unreachable_cluster_address_fails_fast_with_one_line(
    local_ray: None, tiny_model: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    port = closed_port()
    cfg = TranslateSection(model=str(tiny_model))
    with pytest.raises(RayEngineError) as info:
        list(translate_batches(cfg, RunSection(engine="ray", ray_address=f"127.0.0.1:{port}"), TEXTS, chunk=4))
    message = str(info.value)
    assert "\n" not in message and f"127.0.0.1:{port}" in message and "run.ray_address" in message
    monkeypatch.setenv("RAY_ADDRESS", f"ray://localhost:{port}")  # the standard variable is honoured
    with pytest.raises(RayEngineError, match=f"localhost:{port}"):
        list(translate_batches(cfg, RunSection(engine="ray"), TEXTS, chunk=4))


def test_unreachable_address_through_the_cli_exits_2(
    local_ray: None, smoke_config: str, run_overrides: list[str]
) -> None:
    port = closed_port()
    result = CliRunner().invoke(
        app, ["run", smoke_config, *run_overrides, "run.engine=ray", f"run.ray_address=127.0.0.1:{port}"]
    )
    assert result.exit_code == 2, result.output
    assert f"127.0.0.1:{port}" in result.output


def test_without_ray_installed_the_error_says_how_to_install(
    smoke_config: str, run_overrides: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in [m for m in sys.modules if m == "ray" or m.startswith("ray.")]:
        monkeypatch.delitem(sys.modules, name)
    monkeypatch.setitem(sys.modules, "ray", None)  # `import ray` now raises ImportError
    with pytest.raises(RayEngineError, match=r'pip install -e "\.\[ray\]"') as info:
        run_stages(config(smoke_config, run_overrides, "run.engine=ray"))
    assert "\n" not in str(info.value)
    assert isinstance(info.value, JaenError)


@pytest.mark.parametrize(
    ("address", "endpoint"),
    [
        ("10.0.0.5:6379", ("10.0.0.5", 6379)),
        ("ray://head:10001", ("head", 10001)),
        ("ray://head", ("head", 10001)),
        ("head", ("head", 6379)),
        ("[::1]:6380", ("::1", 6380)),
        ("auto", None),
    ],
)
def test_address_forms(address: str, endpoint: tuple[str, int] | None) -> None:
    assert ray_engine._host_port(address) == endpoint


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=40))
def test_any_address_text_parses_or_gives_a_one_line_error(text: str) -> None:
    try:
        endpoint = ray_engine._host_port(text)
    except RayEngineError as exc:
        assert "\n" not in str(exc)
        return
    if endpoint is not None:
        host, port = endpoint
        assert host and 0 < port < 65536


def test_actor_config_makes_a_relative_model_dir_absolute_and_maps_the_gpu(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "models" / "m").mkdir(parents=True)
    monkeypatch.chdir(tmp_path)
    cfg = TranslateSection(model="models/m", device="cuda:1")
    assert ray_engine.actor_config(cfg)["model"] == str(tmp_path / "models" / "m")
    assert ray_engine.actor_config(cfg)["device"] == "cuda:1"
    assert ray_engine.actor_config(cfg, gpu=True)["device"] == "cuda"  # the one GPU Ray gave the actor
    hub = TranslateSection(model="Helsinki-NLP/opus-mt-ja-en")
    assert ray_engine.actor_config(hub)["model"] == "Helsinki-NLP/opus-mt-ja-en"
    TranslateSection.model_validate(ray_engine.actor_config(cfg))  # the actors can rebuild it


@pytest.mark.parametrize(
    ("device", "gpus", "expected"),
    [
        ("auto", 0, {"num_cpus": 1}),
        ("auto", 4, {"num_gpus": 1, "num_cpus": 1}),
        ("cuda", 1, {"num_gpus": 1, "num_cpus": 1}),
        ("cuda:1", 2, {"num_gpus": 1, "num_cpus": 1}),
        ("cpu", 8, {"num_cpus": 1}),
    ],
)
def test_each_actor_takes_one_gpu_when_the_device_and_the_cluster_allow(
    device: str, gpus: float, expected: dict
) -> None:
    assert ray_engine.actor_resources(device, gpus) == expected


def test_cuda_on_a_cluster_without_gpus_is_one_line_not_a_hang() -> None:
    with pytest.raises(RayEngineError, match="translate.device=cuda but the Ray cluster has no GPU"):
        ray_engine.actor_resources("cuda", 0)
