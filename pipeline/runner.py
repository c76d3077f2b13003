"""Run stages in order inside one run directory, with a manifest, no stale artifacts, and resume."""

from __future__ import annotations

import hashlib
import json
import logging
import random
import time
from collections.abc import Sequence
from pathlib import Path

from . import artifacts
from .config import Config
from .io import atomic_write_text
from .manifest import Manifest, now
from .stage import STAGE_ORDER, RunContext, load_stages, stages

log = logging.getLogger(__name__)

# The config sections each stage reads; a stage's output depends on its own and every earlier stage's.
STAGE_SECTIONS: dict[str, tuple[str, ...]] = {
    "segment": ("input", "segment", "reference"),
    "translate": ("translate",),
    "align": ("align",),
    "score": ("score",),
    "export": ("export",),
}


def preflight(config: Config) -> dict[str, str]:
    """Check the inputs and the named components before anything is written; return input hashes."""
    from .inputs import check_inputs

    check_components(config)
    return check_inputs(config)


def check_components(config: Config) -> None:
    """Every registered name the config picks exists (one line naming the key otherwise)."""
    load_stages()
    from .align.base import aligners
    from .export.base import exporters
    from .score.base import metrics
    from .segment.base import segmenters
    from .translate.base import translators

    segmenters.get(config.segment.method, "segment.method")
    translators.get(config.translate.backend, "translate.backend")
    aligners.get(config.align.method, "align.method")
    for name in config.score.metrics:
        metrics.get(name, "score.metrics")
    for name in config.export.formats:
        exporters.get(name, "export.formats")


def component_inputs(config: Config) -> dict[str, dict]:
    """Per config section, the hashes of files its chosen component reads (``translate.file``)."""
    from .translate.base import translators

    load_stages()
    return {"translate": translators.get(config.translate.backend, "translate.backend").input_identity(config.translate)}


def stage_keys(config: Config, inputs: dict[str, str]) -> dict[str, str]:
    """A key per stage over the inputs and the config sections that stage and its predecessors read.

    Sections no stage claims (other than ``run``) count for the last stage, so nothing that may
    change an output is left out of every key.
    """
    data = config.to_dict()
    identity = component_inputs(config)
    claimed = {s for sections in STAGE_SECTIONS.values() for s in sections} | {"run"}
    extra = tuple(sorted(k for k in data if k not in claimed))
    keys: dict[str, str] = {}
    seen: list[str] = []
    for name in STAGE_ORDER:
        seen.extend(STAGE_SECTIONS.get(name, ()))
        if name == STAGE_ORDER[-1]:
            seen.extend(extra)
        payload = {"inputs": inputs, **{s: data.get(s) for s in seen}}
        payload.update({f"{s}_files": identity[s] for s in seen if identity.get(s)})
        blob = json.dumps(payload, sort_keys=True, ensure_ascii=False)
        keys[name] = hashlib.sha256(blob.encode()).hexdigest()[:16]
    return keys


def finished_stages(manifest: Manifest, run_dir: Path, keys: dict[str, str], names: Sequence[str]) -> list[str]:
    """The leading stages of ``names`` already complete in ``run_dir`` for the same key (safe to skip)."""
    done = []
    for name in names:
        entry = manifest.data.get("stages", {}).get(name)
        outputs_there = all((run_dir / f).exists() for f in stages.get(name)().produces)
        if not entry or entry.get("key") != keys[name] or not outputs_there:
            break
        done.append(name)
    return done


def seed_everything(seed: int) -> None:
    random.seed(seed)
    import torch

    torch.manual_seed(seed)


def run_stages(config: Config, names: Sequence[str] = STAGE_ORDER, resume: bool = False) -> Path:
    """Run ``names`` (in pipeline order) for ``config``; return the run directory.

    With ``resume``, leading stages whose manifest entry carries the same stage key (same inputs,
    same config sections) and whose artifacts exist are kept, not redone. A stage that runs always
    removes what it and every later stage wrote before, so nothing stale survives.
    """
    load_stages()
    names = [n for n in STAGE_ORDER if n in names]
    inputs = preflight(config) if "segment" in names else {}
    run_dir = config.run_dir
    ctx = RunContext(config, run_dir)
    run_dir.mkdir(parents=True, exist_ok=True)
    manifest = Manifest.open(run_dir / artifacts.MANIFEST)
    keys = stage_keys(config, inputs or manifest.data.get("inputs", {}))
    skipped = finished_stages(manifest, run_dir, keys, names) if resume else []
    todo = names[len(skipped) :]
    atomic_write_text(run_dir / artifacts.CONFIG, config.to_yaml())
    manifest.start(config.hash(), inputs or manifest.data.get("inputs", {}), config.to_dict())
    if skipped:
        log.info("resuming: %s already complete for this config and input", ", ".join(skipped))
    if todo:
        first = STAGE_ORDER.index(todo[0])
        stale = list(STAGE_ORDER[first:])
        for name in stale:  # whatever the re-run stages and their successors wrote is now out of date
            for filename in stages.get(name)().outputs():
                (run_dir / filename).unlink(missing_ok=True)
        manifest.forget(stale)
        manifest.save()
        if "translate" in todo:
            seed_everything(config.run.seed)
    for name in todo:
        stage = stages.get(name)()
        log.info("stage %s …", name)
        started = time.perf_counter()
        info = stage.run(ctx)
        seconds = time.perf_counter() - started
        manifest.record_stage(name, seconds, {"key": keys[name], **info})
        manifest.save()
        log.info("stage %s done in %.2fs", name, seconds)
    translated = manifest.data["stages"].get("translate", {}).get("translated", 0) if "translate" in todo else 0
    manifest.data["last_invocation"] = {"at": now(), "ran": todo, "kept": skipped, "translated": translated}
    manifest.finish(STAGE_ORDER)
    manifest.save()
    if "translate" in names:
        log.info("%d sentence piece(s) translated by this invocation", translated)
    return run_dir
