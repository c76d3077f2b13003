"""Resolving ``translate.model`` (hub id or local directory) and loading it with clear errors."""

from __future__ import annotations

import hashlib
import logging
import os
import socket
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

from ..errors import ModelLoadError

log = logging.getLogger(__name__)

REQUIRED_FILES = ("config.json", "source.spm", "target.spm", "vocab.json")
WEIGHT_FILES = ("model.safetensors", "pytorch_model.bin")


def _fixes(model: str) -> str:
    return (
        "Fixes: download it once on a machine with network "
        f"(python -c \"from transformers import MarianMTModel, MarianTokenizer; "
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
            f"cannot load translation model '{path}': directory lacks {', '.join(missing)}. "
            + _fixes(str(path))
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
            "Hugging Face cache, and the hub cannot be reached (offline or HF_HUB_OFFLINE=1). "
            + _fixes(model)
        )
    return model, False


def load_marian(model: str, revision: str | None = None) -> tuple[Any, Any]:
    """Load a MarianMT model and tokenizer through ``from_pretrained``; any failure is a ModelLoadError."""
    from transformers import MarianMTModel, MarianTokenizer

    name, local_only = resolve_model(model, revision)
    kwargs: dict[str, Any] = {"revision": revision, "local_files_only": local_only}
    try:
        tokenizer = MarianTokenizer.from_pretrained(name, **kwargs)
        net = MarianMTModel.from_pretrained(name, **kwargs)
    except Exception as exc:  # noqa: BLE001 - turn library errors into one clear line
        cause = " ".join(str(exc).split())[:300]
        raise ModelLoadError(f"cannot load translation model '{model}': {cause}. " + _fixes(model)) from None
    net.eval()
    return net, tokenizer


def weights_hash(model: Any) -> str:
    """A short hash of the weights, so a cache never mixes two models saved under one name."""
    h = hashlib.sha256()
    for name, tensor in sorted(model.state_dict().items()):
        h.update(name.encode())
        h.update(tensor.detach().cpu().contiguous().view(-1)[:4096].float().numpy().tobytes())
    return h.hexdigest()[:16]
