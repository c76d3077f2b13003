from pathlib import Path

import pytest

from pipeline.config import apply_overrides, load_config, parse_override
from pipeline.errors import ConfigError


def test_defaults_and_overrides(smoke_config: str) -> None:
    cfg = load_config(smoke_config, ["run.name=trial", "translate.num_beams=2", "reference.path=ref.txt"])
    assert cfg.run.name == "trial"
    assert cfg.translate.num_beams == 2
    assert cfg.reference.path == Path("ref.txt")
    assert cfg.run_dir == Path("outputs/trial")


def test_override_values_are_yaml() -> None:
    assert parse_override("score.metrics=[bleu, chrf]") == (["score", "metrics"], ["bleu", "chrf"])
    assert parse_override("translate.num_beams=null") == (["translate", "num_beams"], None)
    assert parse_override("run.name=a=b") == (["run", "name"], "a=b")


def test_unknown_key_names_key_and_valid_keys(smoke_config: str) -> None:
    with pytest.raises(ConfigError) as err:
        load_config(smoke_config, ["translate.beams=2"])
    msg = str(err.value)
    assert "translate.beams" in msg and "num_beams" in msg and "\n" not in msg


def test_unknown_section() -> None:
    with pytest.raises(ConfigError, match="unknown key 'nope'.*valid: run, input"):
        apply_overrides({}, ["nope.x=1"])


def test_wrong_type(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("translate:\n  num_beams: many\n")
    with pytest.raises(ConfigError, match=r"bad.yaml: invalid value for 'translate.num_beams'"):
        load_config(bad)


def test_bad_yaml_names_file_and_line(tmp_path: Path) -> None:
    bad = tmp_path / "broken.yaml"
    bad.write_text("run:\n  name: [unclosed\n")
    with pytest.raises(ConfigError, match=r"broken.yaml: invalid YAML at line \d"):
        load_config(bad)


def test_missing_config_file(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="config file not found"):
        load_config(tmp_path / "none.yaml")


def test_top_level_must_be_mapping(tmp_path: Path) -> None:
    bad = tmp_path / "list.yaml"
    bad.write_text("- a\n- b\n")
    with pytest.raises(ConfigError, match="top level must be a mapping"):
        load_config(bad)


def test_override_into_scalar_is_error() -> None:
    with pytest.raises(ConfigError, match="not a section"):
        apply_overrides({"run": {"name": "x"}}, ["run.name.sub=1"])
