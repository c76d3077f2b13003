"""Run stages in order inside one run directory, with a manifest and no stale artifacts."""

from __future__ import annotations

import logging
import time
from collections.abc import Sequence
from pathlib import Path

from . import artifacts
from .config import Config
from .errors import InputError
from .io import atomic_write_text, read_text, sha256_file
from .manifest import Manifest
from .stage import STAGE_ORDER, RunContext, load_stages, stages

log = logging.getLogger(__name__)


def preflight(config: Config) -> dict[str, str]:
    """Check the inputs before anything is written; return their hashes for the manifest."""
    text = read_text(config.input.path, config.input.encoding, what="input")
    if not text.strip():
        raise InputError(f"input file is empty: {config.input.path}")
    hashes = {str(config.input.path): sha256_file(config.input.path)}
    if config.reference.path is not None:
        ref = read_text(config.reference.path, config.reference.encoding, what="reference")
        if not ref.strip():
            log.warning("reference file is empty: %s (every sentence stays unaligned)", config.reference.path)
        hashes[str(config.reference.path)] = sha256_file(config.reference.path)
    return hashes


def run_stages(config: Config, names: Sequence[str] = STAGE_ORDER) -> Path:
    """Run ``names`` (in pipeline order) for ``config``; return the run directory."""
    load_stages()
    names = [n for n in STAGE_ORDER if n in names]
    inputs = preflight(config) if "segment" in names else {}
    run_dir = config.run_dir
    ctx = RunContext(config, run_dir)
    run_dir.mkdir(parents=True, exist_ok=True)
    atomic_write_text(run_dir / artifacts.CONFIG, config.to_yaml())
    manifest = Manifest.open(run_dir / artifacts.MANIFEST)
    manifest.start(config.hash(), inputs or manifest.data.get("inputs", {}))
    first = STAGE_ORDER.index(names[0])
    stale = list(STAGE_ORDER[first:])
    for name in stale:  # whatever the re-run stages and their successors wrote is now out of date
        for filename in stages.get(name)().outputs():
            (run_dir / filename).unlink(missing_ok=True)
    manifest.forget(stale)
    manifest.save()
    for name in names:
        stage = stages.get(name)()
        log.info("stage %s …", name)
        started = time.perf_counter()
        info = stage.run(ctx)
        seconds = time.perf_counter() - started
        manifest.record_stage(name, seconds, info)
        manifest.save()
        log.info("stage %s done in %.2fs", name, seconds)
    return run_dir
