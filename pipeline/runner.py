"""Run stages in order inside one run directory: resumable, never stale, nothing lost.

**Keys.** Each stage has a resume key (:func:`stage_keys`): a hash over the previous stage's key
(the first stage's: the input and reference file hashes), the package version, the config sections
the stage reads, the stage's ``version`` and its ``identity(ctx)`` (the model's weights, tokenizer
and config hashes for translate; the dictionary data versions for align). A stage is kept on resume
only when its manifest entry carries the same key and every file it recorded still has the hash it
recorded. :func:`current_stages` is that decision; sweeps use the same function.

**Staging.** The stages that run write into ``<run dir>/.staging/<run name>/`` (the files of the
stages before them are hard-linked in). Only when every stage of the invocation has succeeded are
the new files put in place (one ``os.replace`` each), the files the new run no longer makes
removed, and the new manifest installed last. Before that swap the run directory's manifest stops
claiming the stages being replaced, so a kill in the middle of it leaves nothing a resume takes for
consistent. A failed or killed invocation leaves the run directory as it was; the staging
directory it leaves is resumed by the next run when it got further than the run directory.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import random
import shutil
import time
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

from . import __version__, artifacts
from .config import Config
from .errors import JaenError
from .io import atomic_write_text, sha256_file
from .manifest import Manifest, now
from .ray_tasks import ray_session
from .stage import STAGE_ORDER, RunContext, load_stages, stage_classes, stages

log = logging.getLogger(__name__)

STAGING = ".staging"


def preflight(config: Config) -> dict[str, str]:
    """Check the inputs and the named components before anything is written; return input hashes."""
    from .inputs import check_inputs

    check_components(config)
    return check_inputs(config)


def check_components(config: Config) -> None:
    """Every registered name the config picks exists (one line naming the key otherwise): the keys
    and their registries are the stages' ``components``."""
    for cls in stage_classes():
        for key, registry in cls.components.items():
            value: Any = config
            for part in key.split("."):
                value = getattr(value, part)
            for name in value if isinstance(value, list | tuple) else [value]:
                registry.get(name, key)


def stage_keys(
    config: Config,
    inputs: dict[str, str],
    identities: dict[str, dict[str, Any]] | None = None,
    fixed: dict[str, str] | None = None,
) -> dict[str, str]:
    """A key per stage, chained: the previous stage's key (the first's: ``inputs``), the package
    version, the stage's config sections, ``version`` and identity. ``fixed`` gives keys taken as
    they are (stages an invocation does not run: their key from the manifest).

    Sections no stage claims (other than ``run``) count for the last stage, so nothing that may
    change an output is left out of every key.
    """
    declared = {cls.name: cls for cls in stage_classes()}
    data = config.to_dict()
    for key in (k for cls in declared.values() for k in cls.unkeyed):
        section, _, name = key.partition(".")
        data[section] = {k: v for k, v in data.get(section, {}).items() if k != name}
    claimed = {s for cls in declared.values() for s in cls.sections} | {"run"}
    extra = tuple(sorted(k for k in data if k not in claimed))
    keys: dict[str, str] = {}
    previous = json.dumps(inputs, sort_keys=True, ensure_ascii=False)
    for name in STAGE_ORDER:
        if fixed and name in fixed:
            keys[name] = previous = fixed[name]
            continue
        sections = declared[name].sections + (extra if name == STAGE_ORDER[-1] else ())
        blob = json.dumps(
            {
                "after": previous,
                "jaen": __version__,
                "stage": name,
                "version": declared[name].version,
                "config": {s: data.get(s) for s in sections},
                "identity": (identities or {}).get(name, {}),
            },
            sort_keys=True,
            ensure_ascii=False,
            default=str,
        )
        keys[name] = previous = hashlib.sha256(blob.encode()).hexdigest()[:16]
    return keys


def expected_keys(config: Config, names: Sequence[str], manifest: Manifest) -> tuple[dict[str, str], dict[str, str]]:
    """Preflight, then ``(inputs, keys)`` for running ``names``: identities are resolved for the
    stages of ``names`` only (``jaen segment`` needs no model); earlier stages keep the key the
    manifest recorded. A later stage's key is never recorded by this invocation."""
    if STAGE_ORDER[0] in names:  # the first stage reads the inputs
        inputs = preflight(config)
    else:
        check_components(config)
        inputs = manifest.data.get("inputs", {})
    first = STAGE_ORDER.index(names[0]) if names else len(STAGE_ORDER)
    recorded = manifest.data.get("stages", {})
    fixed = {
        n: recorded[n]["key"] for n in STAGE_ORDER[:first] if isinstance(recorded.get(n), dict) and "key" in recorded[n]
    }
    probe = RunContext(config, config.run_dir)
    identities = {n: stages.get(n)().identity(probe) for n in STAGE_ORDER[first:] if n in names}
    return inputs, stage_keys(config, inputs, identities, fixed)


def _outputs_intact(entry: dict[str, Any], directory: Path, name: str) -> bool:
    """Every file the stage recorded is there with the recorded hash (old manifests: its files exist)."""
    recorded = entry.get("outputs")
    if not isinstance(recorded, dict):
        return all((directory / f).is_file() for f in stages.get(name)().produces)
    try:
        return all((directory / f).is_file() and sha256_file(directory / f) == digest for f, digest in recorded.items())
    except OSError:
        return False


def finished_stages(
    manifest: Manifest, directory: Path, keys: dict[str, str] | None, names: Sequence[str]
) -> list[str]:
    """The leading stages of ``names`` complete in ``directory`` for the same key (safe to skip);
    with ``keys`` None, whatever their key."""
    done = []
    for name in names:
        entry = manifest.data.get("stages", {}).get(name)
        if not isinstance(entry, dict) or (keys is not None and entry.get("key") != keys[name]):
            break
        if not _outputs_intact(entry, directory, name):
            break
        done.append(name)
    return done


def current_stages(config: Config) -> list[str]:
    """The stages of ``config``'s run directory that are up to date: the resume decision of
    :func:`run_stages`, also the sweep's completeness check."""
    load_stages()
    manifest = Manifest.open(config.run_dir / artifacts.MANIFEST)
    _, keys = expected_keys(config, STAGE_ORDER, manifest)
    return finished_stages(manifest, config.run_dir, keys, STAGE_ORDER)


def is_current(config: Config) -> bool:
    """Every stage of the run directory is complete and up to date for ``config``."""
    return len(current_stages(config)) == len(STAGE_ORDER)


def seed_everything(seed: int) -> None:
    random.seed(seed)
    import torch

    torch.manual_seed(seed)


def _put(src: Path, dst: Path) -> None:
    """Put a copy of ``src`` at ``dst`` in one rename (a hard link where possible; ``src`` stays)."""
    tmp = dst.with_name(f".{dst.name}.swap")
    tmp.unlink(missing_ok=True)
    try:
        os.link(src, tmp)
    except OSError:
        shutil.copy2(src, tmp)
    os.replace(tmp, dst)


def _open_staging(run_dir: Path, staging: Path, home: Manifest, first: str) -> Manifest:
    """A fresh staging directory holding (as links) the files of the stages before ``first``."""
    shutil.rmtree(run_dir / STAGING, ignore_errors=True)
    staging.mkdir(parents=True)
    for filename in artifacts.stage_files(STAGE_ORDER[: STAGE_ORDER.index(first)]):
        if (run_dir / filename).is_file():
            _put(run_dir / filename, staging / filename)
    return Manifest(staging / artifacts.MANIFEST, json.loads(json.dumps(home.data)))


def _first_changed(home: Manifest, staged: Manifest) -> int:
    """Index of the first stage whose entry in the staging manifest differs from the run directory's."""
    for index, name in enumerate(STAGE_ORDER):
        if home.data["stages"].get(name) != staged.data["stages"].get(name):
            return index
    return len(STAGE_ORDER)


def install(staged: Manifest, home: Manifest, first: int) -> None:
    """Swap a finished staging directory into the run directory whose manifest is ``home`` (see the
    module docstring): the stages from ``first`` on, and any earlier one the staging manifest
    records differently."""
    staging = staged.path.parent
    run_dir = home.path.parent
    stale = list(STAGE_ORDER[min(first, _first_changed(home, staged)) :])
    home.forget(stale)
    home.data["complete"] = False
    home.save()  # from here until the new manifest is in, nothing claims the files being replaced
    for filename in artifacts.stage_files(stale):
        if (staging / filename).is_file():
            _put(staging / filename, run_dir / filename)
        else:  # made by the old run only (e.g. an export format no longer configured)
            (run_dir / filename).unlink(missing_ok=True)
    _put(staging / artifacts.CONFIG, run_dir / artifacts.CONFIG)
    _put(staging / artifacts.MANIFEST, run_dir / artifacts.MANIFEST)
    shutil.rmtree(run_dir / STAGING, ignore_errors=True)


def _base_manifest(names: Sequence[str], home: Manifest, staging: Path) -> Manifest:
    """Where the stages before the first of ``names`` come from: the run directory, or a staging
    directory an interrupted run left that got further (e.g. `jaen translate` after it)."""
    staged_manifest = staging / artifacts.MANIFEST
    if names and staged_manifest.is_file():
        staged = Manifest.open(staged_manifest)
        prior = STAGE_ORDER[: STAGE_ORDER.index(names[0])]
        there = finished_stages(staged, staging, None, prior)
        if len(there) > len(finished_stages(home, home.path.parent, None, prior)):
            return staged
    return home


def _kept_stages(
    names: Sequence[str], keys: dict[str, str], home: Manifest, staging: Path
) -> tuple[list[str], Manifest | None]:
    """On resume: the leading stages of ``names`` kept, and the staging manifest to go on from when an
    interrupted run's staging directory got further than the run directory (else None)."""
    skipped = finished_stages(home, home.path.parent, keys, names)
    if (staging / artifacts.MANIFEST).is_file():
        staged = Manifest.open(staging / artifacts.MANIFEST)
        further = finished_stages(staged, staging, keys, names)
        if len(further) > len(skipped):
            return further, staged
    return skipped, None


def _run_each(ctx: RunContext, todo: Sequence[str], manifest: Manifest, keys: dict[str, str], run_dir: Path) -> None:
    """Run the stages ``todo`` in the staging directory ``ctx.run_dir``, recording each in ``manifest``."""
    for name in todo:
        stage = stages.get(name)()
        log.info("stage %s …", name)
        started = time.perf_counter()
        try:
            info = stage.run(replace(ctx, key=keys[name]))
        except JaenError as exc:  # name the run directory's files, not their staged links
            exc.args = (str(exc).replace(str(ctx.run_dir), str(run_dir)),)
            raise
        seconds = time.perf_counter() - started
        outputs = {f: sha256_file(ctx.path(f)) for f in stage.outputs() if ctx.path(f).is_file()}
        manifest.record_stage(name, seconds, {"key": keys[name], **info, "outputs": outputs})
        manifest.save()
        log.info("stage %s done in %.2fs", name, seconds)


def run_stages(config: Config, names: Sequence[str] = STAGE_ORDER, resume: bool = False) -> Path:
    """Run ``names`` (in pipeline order) for ``config``; return the run directory.

    With ``resume``, leading stages whose manifest entry carries the same key and whose recorded
    files are intact are kept, not redone (in the run directory, or in a staging directory an
    interrupted invocation left, whichever got further). Every stage that runs and every later one
    is replaced; nothing in the run directory changes until all of them have succeeded.
    """
    load_stages()
    names = [n for n in STAGE_ORDER if n in names]
    run_dir = config.run_dir
    home = Manifest.open(run_dir / artifacts.MANIFEST)
    staging = run_dir / STAGING / run_dir.name
    base = home if resume else _base_manifest(names, home, staging)
    inputs, keys = expected_keys(config, names, base)  # may fail: nothing has been written yet
    run_dir.mkdir(parents=True, exist_ok=True)

    skipped, staged = _kept_stages(names, keys, home, staging) if resume else ([], None)
    manifest = staged if staged is not None else base
    resumed_staging = manifest is not home
    todo = names[len(skipped) :]
    if skipped:
        log.info("resuming: %s already complete for this config and input", ", ".join(skipped))
    if not todo and not resumed_staging:
        manifest.data["last_invocation"] = {"at": now(), "ran": [], "kept": skipped, "translated": 0}
        manifest.save()
        shutil.rmtree(run_dir / STAGING, ignore_errors=True)
        return run_dir

    first = STAGE_ORDER.index(todo[0]) if todo else len(STAGE_ORDER)
    stale = list(STAGE_ORDER[first:])
    if not resumed_staging:
        manifest = _open_staging(run_dir, staging, home, todo[0])
    for filename in artifacts.stage_files(stale):
        (staging / filename).unlink(missing_ok=True)
    manifest.forget(stale)
    manifest.start(config.hash(), inputs, config.to_dict())
    atomic_write_text(staging / artifacts.CONFIG, config.to_yaml())
    manifest.save()
    if any(stages.get(name).seeded for name in todo):
        seed_everything(config.run.seed)
    ctx = RunContext(config, staging, resume=resume, partial_dir=run_dir / artifacts.PARTIAL_DIR)
    with ray_session(config.run):  # engine ray: one Ray for all the stages, shut down at the end
        _run_each(ctx, todo, manifest, keys, run_dir)
    translated = manifest.data["stages"].get("translate", {}).get("translated", 0) if "translate" in todo else 0
    manifest.data["last_invocation"] = {"at": now(), "ran": todo, "kept": skipped, "translated": translated}
    manifest.finish(STAGE_ORDER)
    manifest.save()
    install(manifest, home, first)
    if "translate" in names:
        log.info("%d sentence piece(s) translated by this invocation", translated)
    return run_dir
