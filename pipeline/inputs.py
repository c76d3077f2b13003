"""Input documents: one text file, a directory or glob of ``.txt`` files, JSONL, or a Hugging Face dataset.

Every source yields :class:`Document` records one at a time (a JSONL file is read line by line, a
dataset row by row from its memory-mapped Arrow table), each with a name that is unique in the run
and, where configured, its own English reference. :func:`check_inputs` validates the whole input
before a run writes anything and returns the hashes recorded in the manifest.
"""

from __future__ import annotations

import glob
import hashlib
import json
import logging
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .config import Config
from .errors import InputError, one_line
from .io import numbered_jsonl, read_text, sha256_file
from .text import normalize_newlines

log = logging.getLogger(__name__)

_GLOB_CHARS = set("*?[")
_DATA_BUILDERS = {".json": "json", ".jsonl": "json", ".csv": "csv", ".parquet": "parquet", ".txt": "text"}


@dataclass
class Document:
    """One input document: ``name`` is unique in the run; ``reference`` is None when it has none of its own."""

    name: str
    text: str
    reference: str | None = None
    source: str = ""  # where it came from, for messages ("a.jsonl:3", "dataset row 7")


def is_multi(config: Config) -> bool:
    """Whether the input can hold several documents (then doc ids carry the document name)."""
    cfg = config.input
    if cfg.hf_dataset is not None:
        return True
    return _is_pattern(cfg.path) or cfg.path.is_dir() or _format(cfg.path, cfg.format) == "jsonl"


def _is_pattern(path: Path) -> bool:
    return any(c in str(path) for c in _GLOB_CHARS)


def _format(path: Path, fmt: str) -> str:
    if fmt != "auto":
        return fmt
    return "jsonl" if path.suffix.lower() in (".jsonl", ".ndjson") else "text"


def input_files(config: Config) -> list[tuple[str, Path]]:
    """``(name, path)`` of every input file, sorted; names are paths relative to the directory or glob root."""
    cfg = config.input
    path = cfg.path
    if _is_pattern(path):
        matches = sorted(Path(p) for p in glob.glob(str(path), recursive=True) if Path(p).is_file())
        if not matches:
            raise InputError(f"input.path: no file matches {path}")
        root = Path(*path.parts[: _first_glob_part(path)]) if _first_glob_part(path) else Path(".")
        return [(_name(p, root), p) for p in matches]
    if path.is_dir():
        matches = sorted(p for p in path.rglob(cfg.pattern) if p.is_file())
        if not matches:
            raise InputError(f"input.path: directory {path} holds no file matching {cfg.pattern!r} (input.pattern)")
        return [(_name(p, path), p) for p in matches]
    if not path.exists():
        raise InputError(f"input file not found: {path}")
    return [(path.stem, path)]


def _first_glob_part(path: Path) -> int:
    for i, part in enumerate(path.parts):
        if set(part) & _GLOB_CHARS:
            return i
    return len(path.parts)


def _name(path: Path, root: Path) -> str:
    try:
        rel = path.relative_to(root)
    except ValueError:
        rel = Path(path.name)
    return rel.with_suffix("").as_posix()


def iter_documents(config: Config) -> Iterator[Document]:
    """Yield the configured input documents in a stable order, each with its reference if configured."""
    if config.input.hf_dataset is not None:
        yield from _dataset_documents(config)
        return
    seen: set[str] = set()
    for name, path in input_files(config):
        docs = (
            _jsonl_documents(config, name, path)
            if _format(path, config.input.format) == "jsonl"
            else iter([_text_document(config, name, path)])
        )
        for doc in docs:
            if doc.name in seen:
                raise InputError(f"{doc.source}: document name {doc.name!r} is not unique in the input")
            seen.add(doc.name)
            yield doc


def document_count(config: Config) -> int | None:
    """How many documents :func:`iter_documents` yields, where the file list tells (text files: one
    each); None for JSONL and datasets, whose count only reading them tells."""
    if config.input.hf_dataset is not None:
        return None
    files = input_files(config)
    return None if any(_format(path, config.input.format) == "jsonl" for _, path in files) else len(files)


def _text_document(config: Config, name: str, path: Path) -> Document:
    text = read_text(path, config.input.encoding, what="input")
    return Document(name=name, text=text, reference=_reference_file(config, name), source=str(path))


def _reference_file(config: Config, name: str) -> str | None:
    ref = config.reference.path
    if ref is None or not ref.is_dir():
        return None
    candidate = ref / f"{name}.txt"
    if not candidate.is_file():
        log.warning("no reference for document %s (%s is missing)", name, candidate)
        return None
    return read_text(candidate, config.reference.encoding, what="reference")


def _jsonl_documents(config: Config, name: str, path: Path) -> Iterator[Document]:
    cfg = config.input
    field = cfg.text_field
    for lineno, obj in numbered_jsonl(path, cfg.encoding):
        where = f"{path}:{lineno}"
        text = _field(obj, field, where, "input.text_field")
        if not isinstance(text, str):
            raise InputError(f"{where}: field {field!r} (input.text_field) is not a string")
        doc_name = _doc_name(obj, cfg.id_field, where, f"{name}:{lineno}")
        reference = None
        if config.reference.field is not None:
            value = _field(obj, config.reference.field, where, "reference.field")
            if value is not None and not isinstance(value, str):
                raise InputError(f"{where}: field {config.reference.field!r} (reference.field) is not a string")
            reference = value
        elif config.reference.path is not None and config.reference.path.is_dir():
            reference = _reference_file(config, doc_name)
        yield Document(name=doc_name, text=normalize_newlines(text), reference=reference, source=where)


def _field(obj: dict[str, Any], field: str, where: str, key: str) -> Any:
    if field not in obj:
        shown = ", ".join(sorted(obj)) or "none"
        raise InputError(f"{where}: no field {field!r} ({key}; fields: {shown})")
    return obj[field]


def _doc_name(obj: dict[str, Any], id_field: str | None, where: str, default: str) -> str:
    if id_field is None:
        return default
    value = _field(obj, id_field, where, "input.id_field")
    if value is None or str(value).strip() == "":
        raise InputError(f"{where}: empty document id in field {id_field!r} (input.id_field)")
    return str(value)


def load_dataset_split(config: Config) -> Any:
    """The configured dataset split (``datasets.Dataset``), with a one-line error naming the key on failure."""
    cfg = config.input
    name = cfg.hf_dataset
    assert name is not None
    import datasets

    datasets.logging.set_verbosity_error()
    datasets.disable_progress_bars()
    path = Path(name)
    try:
        if path.is_dir() and ((path / "dataset_info.json").exists() or (path / "dataset_dict.json").exists()):
            loaded = datasets.load_from_disk(str(path))
            if isinstance(loaded, datasets.DatasetDict):
                if cfg.split not in loaded:
                    raise InputError(
                        f"input.split: dataset {name} has no split {cfg.split!r} (splits: {', '.join(loaded)})"
                    )
                loaded = loaded[cfg.split]
            return loaded
        if path.is_file():
            builder = _DATA_BUILDERS.get(path.suffix.lower())
            if builder is None:
                raise InputError(f"input.hf_dataset: cannot read {path} (expected {', '.join(sorted(_DATA_BUILDERS))})")
            return datasets.load_dataset(builder, data_files={cfg.split: str(path)}, split=cfg.split)
        return datasets.load_dataset(name, split=cfg.split)
    except InputError:
        raise
    except Exception as exc:  # datasets raises many types (offline, missing split, bad files)
        raise InputError(f"input.hf_dataset: cannot load {name!r} split {cfg.split!r}: {one_line(exc)}") from None


def check_dataset_columns(config: Config, ds: Any) -> None:
    cols = list(ds.column_names)
    wanted = [
        ("input.column", config.input.column),
        ("input.id_field", config.input.id_field),
        ("reference.field", config.reference.field),
    ]
    for key, column in wanted:
        if column is not None and column not in cols:
            raise InputError(
                f"{key}: dataset {config.input.hf_dataset} has no column {column!r} (columns: {', '.join(cols)})"
            )


def _dataset_documents(config: Config) -> Iterator[Document]:
    ds = load_dataset_split(config)
    check_dataset_columns(config, ds)
    cfg = config.input
    seen: set[str] = set()
    for i, row in enumerate(ds):
        where = f"dataset {cfg.hf_dataset} split {cfg.split} row {i}"
        text = row[cfg.column]
        if text is None:
            text = ""
        if not isinstance(text, str):
            raise InputError(f"{where}: column {cfg.column!r} (input.column) is not text")
        doc_name = _doc_name(row, cfg.id_field, where, f"{cfg.split}:{i}")
        if doc_name in seen:
            raise InputError(f"{where}: document name {doc_name!r} is not unique in the input")
        seen.add(doc_name)
        reference = None
        if config.reference.field is not None:
            reference = row[config.reference.field]
            if reference is not None and not isinstance(reference, str):
                raise InputError(f"{where}: column {config.reference.field!r} (reference.field) is not text")
        elif config.reference.path is not None and config.reference.path.is_dir():
            reference = _reference_file(config, doc_name)
        yield Document(name=doc_name, text=normalize_newlines(text), reference=reference, source=where)


def check_inputs(config: Config) -> dict[str, str]:
    """Validate the whole input (and references) before anything is written; return input hashes.

    Reads every document once (one at a time), so a bad line, a missing column or an empty input
    stops the run with one line naming the file, line or key.
    """
    hashes: dict[str, str] = {}
    ref = config.reference
    if ref.path is not None and not ref.path.exists():
        raise InputError(f"reference file not found: {ref.path}")
    if ref.path is not None and ref.field is not None:
        raise InputError("reference.path and reference.field are both set: choose one")
    multi = is_multi(config)
    if ref.path is not None and ref.path.is_dir() and not multi:
        raise InputError(f"reference.path {ref.path} is a directory but the input is a single document")
    if ref.field is not None and not (config.input.hf_dataset is not None or _is_jsonl_input(config)):
        raise InputError("reference.field needs a JSONL or dataset input (input.hf_dataset or a .jsonl input.path)")
    if config.input.hf_dataset is not None:
        ds = load_dataset_split(config)
        check_dataset_columns(config, ds)
        hashes[f"hf_dataset:{config.input.hf_dataset}:{config.input.split}"] = _dataset_hash(config, ds)
        if Path(config.input.hf_dataset).is_file():
            hashes[config.input.hf_dataset] = sha256_file(config.input.hf_dataset)
    else:
        for _, path in input_files(config):
            hashes[str(path)] = sha256_file(path)
    if ref.path is not None and ref.path.is_file():
        text = read_text(ref.path, ref.encoding, what="reference")
        if not text.strip():
            log.warning("reference file is empty: %s (every sentence stays unaligned)", ref.path)
        hashes[str(ref.path)] = sha256_file(ref.path)
    elif ref.path is not None:
        for p in sorted(ref.path.rglob("*.txt")):
            hashes[str(p)] = sha256_file(p)
    documents = nonempty = 0
    for doc in iter_documents(config):
        documents += 1
        nonempty += bool(doc.text.strip())
    if not nonempty:
        what = config.input.hf_dataset or config.input.path
        raise InputError(f"input file is empty: {what}" if documents <= 1 else f"every input document is empty: {what}")
    return hashes


def _is_jsonl_input(config: Config) -> bool:
    try:
        return any(_format(p, config.input.format) == "jsonl" for _, p in input_files(config))
    except InputError:
        return False


def _dataset_hash(config: Config, ds: Any) -> str:
    fingerprint = getattr(ds, "_fingerprint", None)
    if fingerprint:
        return f"fingerprint:{fingerprint}"
    h = hashlib.sha256()
    for row in ds:
        h.update(json.dumps(row, sort_keys=True, ensure_ascii=False, default=str).encode())
    return h.hexdigest()
