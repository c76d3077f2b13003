"""The ``ct2`` backend: CTranslate2 (int8 by default on CPU) with the Marian sentencepiece tokenizer.

The transformers model (hub id or directory, resolved by the same loading code as ``hf``) is
converted once with ``ctranslate2.converters.TransformersConverter`` into a directory keyed by the
model's identity and reused; ``jaen models convert-ct2 SRC DST`` does the same explicitly. Weights
are stored as float32 and quantized to ``translate.compute_type`` when loaded, so one converted
directory serves every compute type.
"""

from __future__ import annotations

import ctypes
import functools
import json
import logging
import re
import shutil
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from ..config import TranslateSection
from ..errors import ModelLoadError, one_line
from .base import Generation, Output, Translator, translators
from .batching import ModelShape, plan_batches
from .hf import free_gpu_bytes, length_batches
from .loading import TOKENIZER_FILES, load_tokenizer, model_identity, read_model_json, resolve_model_dir

log = logging.getLogger(__name__)

MARKER = "jaen_ct2.json"
COPIED_FILES = (*TOKENIZER_FILES, "generation_config.json")  # kept beside a conversion


def _slug(model: str) -> str:
    return re.sub(r"[^A-Za-z0-9._-]+", "_", Path(model).name or model).strip("_") or "model"


def default_ct2_dir(cfg: TranslateSection, identity: dict[str, Any]) -> Path:
    """Where the ct2 backend keeps the conversion of a model: keyed by its weights hash."""
    return cfg.cache_dir / "ct2" / f"{_slug(identity['model'])}-{identity['weights']}"


def read_marker(ct2_dir: Path) -> dict[str, Any] | None:
    try:
        data = json.loads((ct2_dir / MARKER).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError):
        return None
    return data if isinstance(data, dict) else None


def convert_ct2(
    model: str,
    dst: str | Path,
    revision: str | None = None,
    quantization: str | None = None,
    force: bool = False,
    keep_existing: bool = False,
) -> Path:
    """Convert a transformers Marian model to CTranslate2 at ``dst`` (atomically: a reader sees no
    half-written directory) and record the source model's identity in ``dst/jaen_ct2.json``.

    ``force`` replaces an existing ``dst``; ``keep_existing`` (first use by the backend, where
    several workers may convert at once) keeps a complete conversion another worker finished first."""
    from ctranslate2.converters import TransformersConverter

    model_dir = resolve_model_dir(model, revision)
    identity = model_identity(model, revision, model_dir)
    out = Path(dst)
    if out.exists() and not force and not (keep_existing and not any(out.iterdir())):
        raise ModelLoadError(f"{out} already exists (pass --force to replace it)")
    out.parent.mkdir(parents=True, exist_ok=True)
    copy = [f for f in COPIED_FILES if (model_dir / f).is_file()]
    with tempfile.TemporaryDirectory(prefix=f".{out.name}.", dir=out.parent) as tmp:
        work = Path(tmp) / "model"
        try:
            TransformersConverter(str(model_dir), copy_files=copy, low_cpu_mem_usage=True).convert(
                str(work), quantization=quantization, force=True
            )
        except Exception as exc:  # noqa: BLE001 - one clear line
            cause = one_line(exc)
            raise ModelLoadError(f"cannot convert translation model '{model}' to CTranslate2: {cause}") from None
        marker = {"source": identity, "quantization": quantization or "float32"}
        (work / MARKER).write_text(json.dumps(marker, indent=1), encoding="utf-8")
        if keep_existing and read_marker(out) is not None:
            log.info("%s was converted meanwhile by another worker; using it", out)
            return out
        if out.exists():
            shutil.rmtree(out)
        try:
            work.rename(out)
        except OSError:
            if not (keep_existing and read_marker(out) is not None):  # another worker finished first
                raise
    log.info("converted %s to CTranslate2 at %s", model, out)
    return out


@functools.lru_cache(maxsize=1)
def cuda_libraries() -> tuple[str, ...]:
    """The CUDA libraries the installed CTranslate2 loads at run time (named inside its shared
    library; the pip wheels of CTranslate2 4.x name libcublas.so.12 and link the CUDA runtime in)."""
    import ctranslate2

    names: set[str] = set()
    root = Path(ctranslate2.__file__).parent
    for lib in [*root.parent.glob("ctranslate2.libs/libctranslate2*"), *root.glob("libctranslate2*")]:
        try:
            names.update(m.decode() for m in re.findall(rb"libcublas\.so\.\d+", lib.read_bytes()))
        except OSError:
            continue
    return tuple(sorted(names or {"libcublas.so.12"}))


def missing_libraries(names: Sequence[str]) -> list[str]:
    """The shared libraries among ``names`` that cannot be loaded. One installed by pip
    (``site-packages/nvidia/*/lib``, e.g. nvidia-cublas-cu12) is loaded from there, so that
    CTranslate2's own load by name finds it."""
    import site
    import sys

    missing = []
    for name in names:
        try:
            ctypes.CDLL(name)
            continue
        except OSError:
            pass
        dirs = [*site.getsitepackages(), site.getusersitepackages(), *sys.path]
        found = [p for d in dirs for p in Path(d).glob(f"nvidia/*/lib/{name}") if p.is_file()]
        for path in found:
            try:
                ctypes.CDLL(str(path), mode=ctypes.RTLD_GLOBAL)
                break
            except OSError:
                continue
        else:
            missing.append(name)
    return missing


def cuda_problem() -> str | None:
    """Why CTranslate2 cannot run on a GPU here, in words a user can act on; None when it can."""
    import ctranslate2

    needed = cuda_libraries()
    missing = missing_libraries(needed)
    version = ctranslate2.__version__
    if missing:
        major = needed[0].rsplit(".", 1)[1]
        return (
            f"CTranslate2 {version} needs CUDA {major} libraries ({', '.join(needed)}); "
            f"{', '.join(missing)} not found — pip install nvidia-cublas-cu{major}, or use translate.backend=hf"
        )
    if ctranslate2.get_cuda_device_count() == 0:
        return (
            f"CTranslate2 {version} finds no CUDA device (check nvidia-smi and CUDA_VISIBLE_DEVICES), "
            "or use translate.device=cpu"
        )
    return None


def resolve_ct2_device(name: str) -> tuple[str, int]:
    """``translate.device`` for CTranslate2: ``cuda`` where it cannot use a GPU is a one-line error,
    never a silent CPU run; ``auto`` on a machine whose GPU CTranslate2 cannot use says so and runs
    on the CPU."""
    import ctranslate2

    if name == "auto":
        if not gpu_present() and ctranslate2.get_cuda_device_count() == 0:
            return "cpu", 0
        problem = cuda_problem()
        if problem is None:
            return "cuda", 0
        log.warning(
            "translate.device=auto: a GPU is present but ct2 cannot use it (%s); translating on the CPU", problem
        )
        return "cpu", 0
    kind, _, index = name.partition(":")
    if kind not in ("cpu", "cuda") or (index and not index.isdigit()):
        raise ModelLoadError(f"translate.device: expected auto, cpu, cuda or cuda:N, not {name!r}")
    if kind == "cuda":
        problem = cuda_problem()
        if problem is not None:
            raise ModelLoadError(f"ct2 on {name}: {problem}")
        count = ctranslate2.get_cuda_device_count()
        if int(index or 0) >= count:
            raise ModelLoadError(
                f"translate.device={name}: CTranslate2 sees {count} CUDA device(s) (cuda:0 … cuda:{count - 1})"
            )
    return kind, int(index or 0)


def gpu_present() -> bool:
    """Whether torch sees a CUDA GPU (torch is installed with transformers)."""
    try:
        import torch

        return bool(torch.cuda.is_available())
    except ImportError:
        return False


@translators.register("ct2")
class CT2Translator(Translator):
    name = "ct2"

    def __init__(self, cfg: TranslateSection) -> None:
        super().__init__(cfg)
        import ctranslate2

        model_dir = resolve_model_dir(cfg.model, cfg.revision)
        self._model_identity = model_identity(cfg.model, cfg.revision, model_dir)
        self.tokenizer = load_tokenizer(model_dir, cfg.model)
        config = read_model_json(model_dir, "config.json", cfg.model)
        positions = int(config.get("max_position_embeddings") or self.tokenizer.model_max_length)
        self.model_positions = int(min(positions, self.tokenizer.model_max_length))
        gen_config = read_model_json(model_dir, "generation_config.json", cfg.model)
        if not gen_config:
            gen_config = {k: config[k] for k in ("num_beams", "forced_eos_token_id") if k in config}
        self.generation = Generation.resolve(cfg, gen_config, self.model_positions)
        self.ct2_dir = self._converted(cfg)
        self.device, index = resolve_ct2_device(cfg.device)
        compute = cfg.compute_type
        if compute == "auto":
            compute = "int8" if self.device == "cpu" else "int8_float16"
        try:
            self.model = ctranslate2.Translator(
                str(self.ct2_dir),
                device=self.device,
                device_index=index,
                compute_type=compute,
                inter_threads=1,
                intra_threads=cfg.threads,
            )
        except Exception as exc:  # noqa: BLE001 - one clear line
            cause = one_line(exc)
            if self.device == "cuda" and re.search(r"libcu|cuda|cudnn", cause, re.IGNORECASE):
                raise ModelLoadError(
                    f"ct2 on {cfg.device}: {cause} (CTranslate2 {ctranslate2.__version__} needs "
                    f"{', '.join(cuda_libraries())}); or use translate.backend=hf"
                ) from None
            raise ModelLoadError(f"cannot load CTranslate2 model {self.ct2_dir}: {cause}") from None
        if self.device == "cuda":
            self.batch_plan = plan_batches(
                ModelShape.of(config),
                self.generation.num_beams,
                self.generation.max_new_tokens,
                4 if compute in ("default", "float32", "int8", "int8_float32", "int16") else 2,  # activations
                free_gpu_bytes(f"cuda:{index}"),
                cfg.max_batch_size,
                cfg.max_batch_tokens,
            )
            log.info(
                "ct2 on cuda:%d, %s: batches of at most %d sentences and %d padded tokens (%s)",
                index,
                compute,
                self.batch_plan.max_batch_size,
                self.batch_plan.max_batch_tokens,
                self.batch_plan.source,
            )

    def _converted(self, cfg: TranslateSection) -> Path:
        target = cfg.ct2_dir or default_ct2_dir(cfg, self._model_identity)
        if (target / "model.bin").is_file():
            marker = read_marker(target)
            if marker is None:
                raise ModelLoadError(
                    f"translate.ct2_dir {target} lacks {MARKER}, so it cannot be checked against "
                    f"'{cfg.model}': convert with `jaen models convert-ct2 {cfg.model} {target} --force`"
                )
            source = marker.get("source", {})
            if source.get("weights") != self._model_identity["weights"]:
                raise ModelLoadError(
                    f"{target} was converted from '{source.get('model')}' (weights {source.get('weights')}), "
                    f"not from '{cfg.model}' (weights {self._model_identity['weights']}): "
                    f"convert again with `jaen models convert-ct2 {cfg.model} {target} --force`"
                )
            return target
        log.info("converting %s to CTranslate2 (once) at %s", cfg.model, target)
        if target.exists() and any(target.iterdir()):
            raise ModelLoadError(
                f"translate.ct2_dir {target} exists but holds no CTranslate2 model (model.bin): "
                f"remove it, or convert with `jaen models convert-ct2 {cfg.model} {target} --force`"
            )
        return convert_ct2(cfg.model, target, cfg.revision, keep_existing=True)

    @property
    def max_source_tokens(self) -> int:
        return min(self.model_positions, self.cfg.max_source_tokens or self.model_positions)

    def count_tokens(self, text: str) -> int:
        return len(self.tokenizer(text, truncation=False)["input_ids"])

    def source_tokens(self, text: str) -> list[str]:
        """``text`` as the source tokens CTranslate2 takes (the Marian tokenizer's pieces, end token included)."""
        return self.tokenizer.convert_ids_to_tokens(self.tokenizer(text, truncation=False)["input_ids"])

    def decoding_kwargs(self, longest_source: int, cap_scale: float = 1.0) -> dict[str, Any]:
        """The transformers settings in CTranslate2's terms: the same tokens come out."""
        gen = self.generation
        max_new = gen.max_new_tokens(longest_source, cap_scale)
        return {
            "beam_size": gen.num_beams,
            "length_penalty": gen.length_penalty,
            "no_repeat_ngram_size": gen.no_repeat_ngram_size,
            "repetition_penalty": gen.repetition_penalty,
            # transformers counts the end token in max_new_tokens and forces it on the last step
            "max_decoding_length": max(1, max_new - 1) if gen.forced_eos else max_new,
            "min_decoding_length": gen.min_new_tokens,
            "max_input_length": 0,  # never truncate: over-long sources are split before
        }

    def identity(self) -> dict[str, Any]:
        return {
            "backend": self.name,
            **self._model_identity,
            "compute_type": self.model.compute_type,
            **self.generation.as_dict(),
        }

    def describe(self) -> dict[str, Any]:
        return {
            "device": self.device,
            "threads": self.cfg.threads or None,
            "ct2_dir": str(self.ct2_dir),
            "batch_plan": self.batch_plan.as_dict(),
        }

    def translate_outputs(self, texts: Sequence[str], cap_scale: float = 1.0) -> list[Output]:
        if not texts:
            return []
        tokens = [self.source_tokens(t) for t in texts]
        lengths = [len(t) for t in tokens]
        results: list[Output] = [Output("")] * len(texts)
        unk = self.tokenizer.unk_token
        plan = self.batch_plan
        for batch in length_batches(lengths, plan.max_batch_size, plan.max_batch_tokens):
            kwargs = self.decoding_kwargs(max(lengths[i] for i in batch), cap_scale)
            out = self.model.translate_batch([tokens[i] for i in batch], **kwargs)
            for i, result in zip(batch, out):
                hyp = result.hypotheses[0]  # without the end token
                ids = self.tokenizer.convert_tokens_to_ids(hyp)
                results[i] = Output(
                    self.tokenizer.decode(ids, skip_special_tokens=True).strip(),
                    truncated=len(hyp) >= kwargs["max_decoding_length"],
                    unk=unk in hyp,
                )
        return results
