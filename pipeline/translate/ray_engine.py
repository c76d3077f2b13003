"""The ``ray`` engine: the sentences to translate become a Ray Dataset, translated by an actor pool.

Each actor loads one ``Translator`` (the configured backend, one model per actor, one GPU per actor
when the cluster has GPUs and ``translate.device`` is not ``cpu``; each actor sizes its batches for
its own GPU, see ``batching.py``). The dataset is built from the
same chunks the local engine translates, one block per chunk, and ``map_batches`` gets exactly one
chunk per call, so every sentence is translated in the same company as with ``engine: local`` and
the output is identical. Results stream back to the driver (which writes them to the cache as they
arrive) and are put back in order by row index; a lost or duplicated row is an error, never a
silently short file.

Actors that die (a crashed process, a lost node) are restarted and their batch is retried
(``max_restarts`` / ``max_task_retries``); a batch that keeps failing stops the run with one line.

Ray is an optional extra (``pip install -e ".[ray]"``) and is imported only here, only when used.
"""

from __future__ import annotations

import logging
import os
import socket
import warnings
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

from ..config import RunSection, TranslateSection
from ..errors import CAUSE_CHARS, JaenError, one_line
from ..workers import resolve_workers
from .base import Output

log = logging.getLogger(__name__)

INSTALL_HINT = 'pip install -e ".[ray]"  (or: pip install "ray[data,client]>=2.60,<2.64")'
FAULT_ENV = "JAEN_RAY_FAULT_ONCE"
"""Fault injection for tests: a marker file path; the first actor call that finds it missing creates
it and kills its own process (``os._exit``), as a crashed node would."""

MAX_RESTARTS = 3
MAX_TASK_RETRIES = 3
CONNECT_TIMEOUT_S = 5.0
GCS_CONNECT_ENV = {"RAY_gcs_server_port_wait_time_s": "1"}
LOCAL_OBJECT_STORE_BYTES = 128 * 1024**2


class RayEngineError(JaenError):
    """The Ray engine cannot start, reach its cluster or finish the translation."""


def import_ray() -> Any:
    """Import Ray (and Ray Data), or stop with one line saying how to install it."""
    try:
        import ray
        import ray.data  # noqa: F401  (needs pyarrow and pandas too)
    except ImportError as exc:
        raise RayEngineError(f"run.engine=ray needs Ray Data, which is not installed ({exc}): {INSTALL_HINT}") from None
    return ray


def resolve_address(run: RunSection) -> str | None:
    """``run.ray_address``, else the standard ``RAY_ADDRESS`` variable, else None (a local Ray)."""
    address = run.ray_address or os.environ.get("RAY_ADDRESS") or None
    return address.strip() if address else None


def _host_port(address: str) -> tuple[str, int] | None:
    """The TCP endpoint behind a Ray address, or None for ``auto``/``local`` (Ray resolves those)."""
    if address in ("auto", "local"):
        return None
    default_port = 6379
    rest = address
    if "://" in address:
        scheme, rest = address.split("://", 1)
        if scheme == "ray":
            default_port = 10001
        elif scheme not in ("http", "https"):
            raise RayEngineError(
                f"run.ray_address {address!r}: unknown scheme {scheme!r} (use host:port or ray://host:port)"
            )
    rest = rest.rstrip("/")
    host, sep, port = rest.rpartition(":")
    if not sep:
        host, port = rest, str(default_port)
    host = host.strip("[]")
    if not host or not (port.isascii() and port.isdigit()) or not 0 < int(port) < 65536:
        raise RayEngineError(f"run.ray_address {address!r}: expected host:port, ray://host:port or auto")
    return host, int(port)


def check_reachable(address: str, timeout: float = CONNECT_TIMEOUT_S) -> None:
    """Fail within ``timeout`` seconds, naming the address, when nothing listens there
    (Ray's own connect retries take minutes)."""
    endpoint = _host_port(address)
    if endpoint is None:
        return
    host, port = endpoint
    try:
        with socket.create_connection((host, port), timeout=timeout):
            pass
    except OSError as exc:
        reason = "timed out" if isinstance(exc, TimeoutError) else (exc.strerror or str(exc))
        raise RayEngineError(
            f"run.ray_address {address!r}: cannot reach a Ray cluster at {host}:{port} ({reason}); "
            "check the address (ray status on the head node) "
            "or leave run.ray_address and RAY_ADDRESS unset for a local Ray"
        ) from None


def local_cpus(run: RunSection) -> int:
    """The CPUs of a local Ray: one per translation actor (``run.num_workers``), and at least as many
    as the local engine's worker processes (``run.workers``) for the per-document stages' Ray tasks."""
    return max(run.num_workers, resolve_workers(run.workers))


def connect(run: RunSection) -> bool:
    """Join the configured cluster or start a lean local Ray; True when this call started Ray
    (the caller shuts it down, or the run does: ``pipeline.ray_tasks.ray_session``). A Ray already
    initialised in this process is reused."""
    ray = import_ray()
    address = resolve_address(run)
    if address:
        check_reachable(address)
    if ray.is_initialized():
        log.info("ray engine: reusing the Ray instance already running in this process")
        return False
    if address:
        log.info("ray engine: joining the cluster at %s", address)
        # Something answers TCP there, but it may not be a Ray head: Ray would then retry for minutes
        # (20 attempts of ~40 s each). Make it one attempt, unless the user set the Ray variable.
        # Ray Client (ray://) has its own ~30 s limit.
        own_env = {k: v for k, v in GCS_CONNECT_ENV.items() if k not in os.environ}
        os.environ.update(own_env)
        try:
            ray.init(address=address, log_to_driver=False, logging_level=logging.WARNING)
        except (ConnectionError, RuntimeError, TimeoutError, ValueError) as exc:
            raise RayEngineError(f"run.ray_address {address!r}: cannot join the Ray cluster: {one_line(exc)}") from None
        finally:
            for key in own_env:
                os.environ.pop(key, None)
    else:
        cpus = local_cpus(run)
        log.info("ray engine: starting a local Ray with %d CPU(s)", cpus)
        try:
            ray.init(
                address="local",  # a new instance of our own, even if `ray start` left one running here
                num_cpus=cpus,
                include_dashboard=False,
                object_store_memory=LOCAL_OBJECT_STORE_BYTES,
                log_to_driver=False,
                logging_level=logging.WARNING,
            )
        except Exception as exc:  # noqa: BLE001  (Ray raises many types for a failed start)
            raise RayEngineError(f"run.engine=ray: cannot start a local Ray: {ray_error_line(exc)}") from exc
    return True


class TranslateActor:
    """The ``map_batches`` callable: one loaded ``Translator`` per actor process."""

    def __init__(self, cfg: dict[str, Any], fault_marker: str | None = None) -> None:
        from . import stage as _stage  # noqa: F401  (registers every built-in backend)
        from .base import translators

        section = TranslateSection.model_validate(cfg)
        self.translator = translators.get(section.backend, "translate.backend")(section)
        self.fault_marker = fault_marker

    def _maybe_crash(self) -> None:
        if not self.fault_marker:
            return
        try:
            fd = os.open(self.fault_marker, os.O_CREAT | os.O_EXCL | os.O_WRONLY)
        except FileExistsError:
            return
        os.close(fd)
        log.warning("ray engine: injected crash (%s)", FAULT_ENV)
        os._exit(1)

    def __call__(self, batch: dict[str, Any]) -> dict[str, Any]:
        import numpy as np

        texts = [str(t) for t in batch["text"]]
        outputs = self.translator.translate_outputs(texts)
        self._maybe_crash()  # after the work, before the result: the batch is lost mid-way
        if len(outputs) != len(texts):
            raise RuntimeError(f"backend returned {len(outputs)} translations for {len(texts)} sentences")
        return {
            "idx": np.asarray(batch["idx"], dtype=np.int64),
            "translation": np.asarray([o.text for o in outputs], dtype=object),
            "truncated": np.asarray([o.truncated for o in outputs], dtype=bool),
            "unk": np.asarray([o.unk for o in outputs], dtype=bool),
        }


def actor_resources(device: str, cluster_gpus: float) -> dict[str, float]:
    """The Ray resources of one translation actor: one GPU each when ``translate.device`` is
    ``cuda``/``cuda:N``, or ``auto`` and the cluster has GPUs; ``cuda`` on a cluster without GPUs is
    an error (the actors would wait for a GPU forever)."""
    if device == "cpu" or (device == "auto" and cluster_gpus < 1):
        return {"num_cpus": 1}
    if cluster_gpus < 1:
        raise RayEngineError(
            f"translate.device={device} but the Ray cluster has no GPU "
            "(ray status lists its resources); use translate.device=auto or cpu"
        )
    return {"num_gpus": 1, "num_cpus": 1}


def translate_batches(
    cfg: TranslateSection, run: RunSection, texts: Sequence[str], chunk: int
) -> Iterator[tuple[list[str], list[Output]]]:
    """Translate ``texts`` on Ray in chunks of ``chunk``; yield ``(sources, outputs)`` pairs
    as they come back (in completion order), and check at the end that every text came back once."""
    if not texts:
        return
    ray = import_ray()
    started_here = connect(run)
    try:
        yield from _run(ray, cfg, run, list(texts), chunk)
    finally:
        if started_here:
            ray.shutdown()


def _run(
    ray: Any, cfg: TranslateSection, run: RunSection, texts: list[str], chunk: int
) -> Iterator[tuple[list[str], list[Output]]]:
    import pandas as pd

    frames = [
        pd.DataFrame({"idx": range(start, min(start + chunk, len(texts))), "text": texts[start : start + chunk]})
        for start in range(0, len(texts), chunk)
    ]
    ray.data.DataContext.get_current().enable_progress_bars = False  # the stage has its own bar
    logging.getLogger("ray.data").setLevel(max(logging.WARNING, log.getEffectiveLevel()))
    ds = ray.data.from_pandas(frames)
    workers = max(1, min(run.num_workers, len(frames)))
    resources = actor_resources(cfg.device, float(ray.cluster_resources().get("GPU", 0)))
    log.info("ray engine: %d sentences in %d batches on %d actor(s) %s", len(texts), len(frames), workers, resources)
    with warnings.catch_warnings():
        # Ray Data takes an actor's max_restarts / max_task_retries only as ``**ray_remote_args``
        # (there is no named parameter for them yet), which it flags as deprecated.
        warnings.filterwarnings("ignore", message=".*ray_remote_args.*deprecated")
        out = _map(ray, ds, cfg, chunk, workers, resources)

    seen = [False] * len(texts)
    try:
        for batch in out.iter_batches(batch_size=None, batch_format="numpy"):
            idx = [int(i) for i in batch["idx"]]
            for i in idx:
                if not 0 <= i < len(texts) or seen[i]:
                    raise RayEngineError(f"ray engine: row {i} came back twice or out of range; stopping")
                seen[i] = True
            outputs = [
                Output(str(t), truncated=bool(c), unk=bool(u))
                for t, c, u in zip(batch["translation"], batch["truncated"], batch["unk"])
            ]
            yield [texts[i] for i in idx], outputs
    except JaenError:
        raise
    except Exception as exc:  # Ray wraps worker failures in its own exception types
        raise RayEngineError(f"ray engine: translation failed after retries: {ray_error_line(exc)}") from exc
    missing = seen.count(False)
    if missing:
        raise RayEngineError(f"ray engine: {missing} of {len(texts)} sentences did not come back from Ray")


def actor_config(cfg: TranslateSection, gpu: bool = False) -> dict[str, Any]:
    """The translate section as the actors get it: a model directory relative to the driver's
    working directory is made absolute (actors may run elsewhere); an actor given a GPU sees it as
    ``cuda`` (Ray sets its CUDA_VISIBLE_DEVICES)."""
    data = cfg.model_dump(mode="json")
    if gpu:
        data["device"] = "cuda"
    model = Path(cfg.model).expanduser()
    if not model.is_absolute() and model.exists():
        data["model"] = str(model.resolve())
    return data


def _map(ray: Any, ds: Any, cfg: TranslateSection, chunk: int, workers: int, resources: dict[str, float]) -> Any:
    return ds.map_batches(
        TranslateActor,
        fn_constructor_kwargs={
            "cfg": actor_config(cfg, gpu="num_gpus" in resources),
            "fault_marker": os.environ.get(FAULT_ENV) or None,
        },
        batch_size=chunk,
        batch_format="numpy",
        compute=ray.data.ActorPoolStrategy(size=workers),
        max_restarts=MAX_RESTARTS,
        max_task_retries=MAX_TASK_RETRIES,
        **resources,
    )


def ray_error_line(exc: BaseException) -> str:
    """A Ray task's error as one line: Ray wraps the task's exception with its traceback, so the
    innermost cause's type and the traceback's last line (cut at ``CAUSE_CHARS``), not ``one_line``."""
    cause: BaseException = exc
    while getattr(cause, "cause", None) is not None and isinstance(cause.cause, BaseException):  # RayTaskError
        cause = cause.cause
    text = str(cause).strip()
    lines = [line for line in text.splitlines() if line.strip()]
    return f"{type(cause).__name__}: {lines[-1] if lines else ''}"[:CAUSE_CHARS]


class RayBatches:
    """A translate-stage batch runner on Ray: connects on the first real work (a fully cached run
    never starts Ray) and keeps that Ray for the rest of the run, whose end shuts down a Ray the run
    started (``pipeline.ray_tasks.ray_session``): the later stages' Ray tasks use the same one."""

    def __init__(
        self, cfg: TranslateSection, run: RunSection, order: Callable[[list[str]], list[str]], chunk: int
    ) -> None:
        self.cfg, self.run, self.order, self.chunk = cfg, run, order, chunk

    def __call__(self, todo: list[str]) -> Iterator[tuple[list[str], list[Output]]]:
        connect(self.run)  # before translate_batches, which then reuses this Ray instead of shutting it down
        yield from translate_batches(self.cfg, self.run, self.order(todo), self.chunk)
