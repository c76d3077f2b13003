"""Resolving ``translate.model`` (hub id or local directory) and loading it with clear errors."""

from __future__ import annotations

import functools
import hashlib
import json
import logging
import os
import socket
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

from ..errors import ModelLoadError, one_line
from ..io import user_cache_dir

log = logging.getLogger(__name__)

REQUIRED_FILES = ("config.json", "source.spm", "target.spm", "vocab.json")
WEIGHT_FILES = ("model.safetensors", "pytorch_model.bin")
# Besides the weights, what decides a model's output: its tokenizer and its (generation) config.
TOKENIZER_FILES = ("source.spm", "target.spm", "vocab.json", "tokenizer_config.json", "special_tokens_map.json")
CONFIG_FILES = ("config.json", "generation_config.json")
FETCH = ["*.json", "*.spm", "*.safetensors", "pytorch_model.bin"]  # not the TF / Flax / Rust weights


def _fixes(model: str) -> str:
    return (
        "Fixes: download it once on a machine with network "
        f'(python -c "from transformers import MarianMTModel, MarianTokenizer; '
        f"MarianMTModel.from_pretrained('{model}'); MarianTokenizer.from_pretrained('{model}')\"), "
        "or set translate.model=DIR to a local copy, "
        "or run offline with the tiny model: jaen run configs/smoke.yaml"
    )


def check_local_dir(path: Path) -> None:
    missing = [f for f in REQUIRED_FILES if not (path / f).is_file()]
    if not any((path / f).is_file() for f in WEIGHT_FILES):
        missing.append(" or ".join(WEIGHT_FILES))
    if missing:
        raise ModelLoadError(
            f"cannot load translation model '{path}': directory lacks {', '.join(missing)}. " + _fixes(str(path))
        )


def hub_reachable(timeout: float = 3.0) -> bool:
    """One quick TCP connect to the hub endpoint, so an unreachable hub fails in seconds, not minutes."""
    if os.environ.get("HF_HUB_OFFLINE", "").lower() in {"1", "true", "yes", "on"}:
        return False
    url = urlparse(os.environ.get("HF_ENDPOINT", "https://huggingface.co"))
    port = url.port or (443 if url.scheme == "https" else 80)
    try:
        with socket.create_connection((url.hostname or "huggingface.co", port), timeout=timeout):
            return True
    except OSError:
        return False


def resolve_model(model: str, revision: str | None) -> tuple[str, bool]:
    """Return ``(name_or_path, local_files_only)`` for ``from_pretrained``, or raise a clear error."""
    path = Path(model).expanduser()
    if path.exists():
        if not path.is_dir():
            raise ModelLoadError(f"cannot load translation model '{model}': not a directory. " + _fixes(model))
        check_local_dir(path)
        return str(path), True
    try:
        from huggingface_hub import snapshot_download

        snapshot_download(model, revision=revision, local_files_only=True)
        return model, True
    except Exception:  # noqa: BLE001 - any miss means "not cached"
        pass
    if not hub_reachable():
        raise ModelLoadError(
            f"cannot load translation model '{model}': it is not a local directory, not in the "
            "Hugging Face cache, and the hub cannot be reached (offline or HF_HUB_OFFLINE=1). " + _fixes(model)
        )
    return model, False


def load_marian(model: str, revision: str | None = None, dtype: str = "float32") -> tuple[Any, Any]:
    """Load a MarianMT model (weights in ``dtype``: float32, float16 or bfloat16) and its tokenizer
    through ``from_pretrained``; any failure is a ModelLoadError."""
    import torch
    from transformers import MarianMTModel, MarianTokenizer

    name, local_only = resolve_model(model, revision)
    kwargs: dict[str, Any] = {"revision": revision, "local_files_only": local_only}
    try:
        tokenizer = MarianTokenizer.from_pretrained(name, **kwargs)
        net = MarianMTModel.from_pretrained(name, dtype=getattr(torch, dtype), **kwargs)
    except Exception as exc:  # noqa: BLE001 - turn library errors into one clear line
        cause = one_line(exc)
        raise ModelLoadError(f"cannot load translation model '{model}': {cause}. " + _fixes(model)) from None
    net.eval()
    return net, tokenizer


def resolve_model_dir(model: str, revision: str | None = None) -> Path:
    """The local directory holding ``model`` (a directory, or a hub id's cached or downloaded
    snapshot), checked for the files a Marian model needs; anything else is a ModelLoadError."""
    name, local_only = resolve_model(model, revision)
    path = Path(name)
    if path.is_dir():
        return path
    try:
        from huggingface_hub import snapshot_download

        path = Path(snapshot_download(name, revision=revision, local_files_only=local_only, allow_patterns=FETCH))
    except Exception as exc:  # noqa: BLE001 - one clear line
        cause = one_line(exc)
        raise ModelLoadError(f"cannot load translation model '{model}': {cause}. " + _fixes(model)) from None
    check_local_dir(path)
    return path


# Files at least this big (weights) keep their hash on disk between runs, keyed by path, size and
# mtime: hashing opus-mt-ja-en's 300 MB of weights takes about a second (docs/experiments.md).
MEMO_MIN_BYTES = 32 << 20


def hash_memo_path() -> Path:
    """Where big files' hashes are remembered: ``$XDG_CACHE_HOME/jaen/file-hashes.json``."""
    return user_cache_dir() / "file-hashes.json"


def _read_memo(path: Path) -> dict[str, str]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError):
        return {}
    return data if isinstance(data, dict) else {}


@functools.lru_cache(maxsize=256)
def _file_hash(path: str, size: int, mtime_ns: int) -> str:
    memo_key = f"{path}\0{size}\0{mtime_ns}"
    memo_path = hash_memo_path()
    if size >= MEMO_MIN_BYTES and isinstance(found := _read_memo(memo_path).get(memo_key), str):
        return found
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 22), b""):
            h.update(chunk)
    digest = h.hexdigest()[:16]
    if size >= MEMO_MIN_BYTES:
        from ..io import write_json

        memo = _read_memo(memo_path)
        memo = {k: v for k, v in memo.items() if not k.startswith(f"{path}\0")}  # the file's older versions
        memo[memo_key] = digest
        try:
            write_json(memo_path, memo)
        except OSError as exc:  # a memo that cannot be written costs time, never the run
            log.debug("cannot remember the hash of %s in %s: %s", path, memo_path, exc)
    return digest


def weights_file_hash(model_dir: Path) -> str:
    """A short hash of the weight file's bytes (memoised per path, size and mtime)."""
    for name in WEIGHT_FILES:
        path = model_dir / name
        if path.is_file():
            stat = path.stat()
            return _file_hash(str(path.resolve()), stat.st_size, stat.st_mtime_ns)
    raise ModelLoadError(f"cannot load translation model '{model_dir}': no {' or '.join(WEIGHT_FILES)}")


def files_hash(model_dir: Path, names: tuple[str, ...]) -> str:
    """A short hash over the named files of ``model_dir`` that exist (each memoised like the weights)."""
    h = hashlib.sha256()
    for name in names:
        path = model_dir / name
        if path.is_file():
            stat = path.stat()
            h.update(f"{name}\0{_file_hash(str(path.resolve()), stat.st_size, stat.st_mtime_ns)}\0".encode())
    return h.hexdigest()[:16]


def snapshot_revision(model_dir: Path, revision: str | None) -> str | None:
    """The commit of a hub snapshot directory (``.../snapshots/<commit>``), else ``revision``."""
    if model_dir.parent.name == "snapshots":
        return model_dir.name
    return revision


def model_identity(model: str, revision: str | None, model_dir: Path) -> dict[str, Any]:
    """What names a model: the configured name, the resolved revision, and hashes of its weights,
    tokenizer files and configs. The one identity of a model: the translation cache keys by it and
    the translate stage's resume key includes it."""
    return {
        "model": model,
        "revision": snapshot_revision(model_dir, revision),
        "weights": weights_file_hash(model_dir),
        "tokenizer": files_hash(model_dir, TOKENIZER_FILES),
        "config": files_hash(model_dir, CONFIG_FILES),
    }


def load_tokenizer(model_dir: Path, model: str) -> Any:
    """The Marian sentencepiece tokenizer of a resolved model directory."""
    from transformers import MarianTokenizer

    try:
        return MarianTokenizer.from_pretrained(str(model_dir), local_files_only=True)
    except Exception as exc:  # noqa: BLE001 - one clear line
        cause = one_line(exc)
        raise ModelLoadError(f"cannot load the tokenizer of translation model '{model}': {cause}") from None


def read_model_json(model_dir: Path, name: str, model: str) -> dict[str, Any]:
    """``config.json`` / ``generation_config.json`` of a model directory ({} when optional and absent)."""
    path = model_dir / name
    if not path.is_file():
        if name == "config.json":
            raise ModelLoadError(f"cannot load translation model '{model}': {path} is missing")
        return {}
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ModelLoadError(f"cannot load translation model '{model}': {path}: {exc}") from None
    if not isinstance(data, dict):
        raise ModelLoadError(f"cannot load translation model '{model}': {path} is not a JSON object")
    return data
