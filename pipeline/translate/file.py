"""The ``file`` backend: translations brought from elsewhere (DeepL, an LLM, a WMT submission).

``translate.file`` is JSONL (``{"source": ..., "translation": ...}`` per line; other keys are
ignored) or a two-column TSV (``source<TAB>translation``). Each Japanese sentence is looked up by its
comparison form (:func:`pipeline.text.comparison_form`: NFKC, whitespace collapsed and stripped).
A sentence the file lacks is an error counting every missing sentence, unless
``translate.fallback`` names a model backend (``hf`` / ``ct2``) that translates those; the manifest
records how many came from where (``from_file``, ``from_model``).

Rows never go into the translation cache (``cacheable = False``); the file's SHA-256 goes into the
manifest (:meth:`FileTranslator.identity`) and, through :meth:`FileTranslator.source_identity`, into
the translate stage's resume key.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..config import TranslateSection
from ..errors import ConfigError, InputError, StageError
from ..io import jsonl_object, sha256_file
from ..text import comparison_form, normalize_newlines
from .base import Generation, Output, Translator, translators
from .splitting import split_to_fit

log = logging.getLogger(__name__)

SHOW_MISSING = 3
"""How many missing sentences an error shows."""


def _format_of(path: Path, first_line: str) -> str:
    if path.suffix.lower() in (".jsonl", ".json", ".ndjson"):
        return "jsonl"
    if path.suffix.lower() in (".tsv", ".tab"):
        return "tsv"
    return "jsonl" if first_line.lstrip().startswith("{") else "tsv"


@dataclass
class TranslationFile:
    """A translation file read into a lookup table (comparison form of the source → translation)."""

    path: Path
    table: dict[str, str]
    sha256: str

    @classmethod
    def read(cls, path: Path) -> TranslationFile:
        """Read and check the whole file; a malformed line is one error naming the file and line."""
        if not path.is_file():
            raise InputError(f"translate.file: {path} not found")
        data = path.read_bytes()  # read once: parsed and hashed
        try:
            lines = normalize_newlines(data.decode("utf-8-sig")).split("\n")
        except UnicodeDecodeError as exc:
            raise InputError(f"{path}: translation files must be UTF-8 ({exc.reason} at byte {exc.start})") from None
        fmt = _format_of(path, next((line for line in lines if line.strip()), ""))
        table: dict[str, str] = {}
        first_line: dict[str, int] = {}
        for lineno, line in enumerate(lines, 1):
            if not line.strip():
                continue
            source, translation = (_jsonl_row if fmt == "jsonl" else _tsv_row)(path, lineno, line)
            key = comparison_form(source)
            if not key:
                raise InputError(f"{path}:{lineno}: empty source sentence")
            if key in table and table[key] != translation:
                raise InputError(
                    f"{path}:{lineno}: source already translated differently at line {first_line[key]} "
                    f"({source[:40]!r})"
                )
            table.setdefault(key, translation)
            first_line.setdefault(key, lineno)
        if not table:
            raise InputError(f"{path}: no translations in the file")
        return cls(path, table, hashlib.sha256(data).hexdigest())

    def get(self, sentence: str) -> str | None:
        return self.table.get(comparison_form(sentence))


def _jsonl_row(path: Path, lineno: int, line: str) -> tuple[str, str]:
    row = jsonl_object(path, lineno, line)
    if not isinstance(row.get("source"), str) or not isinstance(row.get("translation"), str):
        raise InputError(f'{path}:{lineno}: expected {{"source": "...", "translation": "..."}} with two strings')
    return row["source"], row["translation"]


def _tsv_row(path: Path, lineno: int, line: str) -> tuple[str, str]:
    columns = line.rstrip("\r").split("\t")
    if len(columns) != 2:
        raise InputError(
            f"{path}:{lineno}: expected two tab-separated columns (source, translation), found {len(columns)}"
        )
    return columns[0], columns[1]


def missing_error(path: Path, missing: Sequence[str], total: int) -> StageError:
    shown = ", ".join(repr(s[:40]) for s in missing[:SHOW_MISSING])
    return StageError(
        f"{path}: {len(missing)} of {total} sentences have no translation in the file (first: {shown}); "
        "add them, or set translate.fallback=hf|ct2 to translate them with a model"
    )


@translators.register("file")
class FileTranslator(Translator):
    """Looks sentences up in ``translate.file``; the missing ones go to ``translate.fallback`` or fail."""

    name = "file"
    cacheable = False

    def __init__(self, cfg: TranslateSection) -> None:
        super().__init__(cfg)
        if cfg.file is None:
            raise ConfigError("translate.backend=file needs translate.file=PATH (JSONL source/translation or TSV)")
        self.file = TranslationFile.read(cfg.file)
        self._fallback: Translator | None = None
        self.from_file = 0
        self.from_model = 0

    @classmethod
    def source_identity(cls, cfg: TranslateSection) -> dict[str, Any]:
        """The file's hash, and the fallback model's identity when a fallback is set."""
        path = cfg.file
        found = {"file": str(path), "sha256": sha256_file(path) if path is not None and path.is_file() else None}
        if cfg.fallback is not None:
            found["fallback"] = translators.get(cfg.fallback, "translate.fallback").source_identity(cfg)
        return found

    def check_sources(self, sentences: Iterable[str]) -> None:
        unique = list(dict.fromkeys(s for s in sentences if s.strip()))
        missing = [s for s in unique if self.file.get(s) is None]
        if missing and self.cfg.fallback is None:
            raise missing_error(self.file.path, missing, len(unique))
        if missing:
            log.info(
                "%d of %d sentences are not in %s: translating them with translate.fallback=%s",
                len(missing),
                len(unique),
                self.file.path,
                self.cfg.fallback,
            )

    @property
    def fallback(self) -> Translator:
        if self._fallback is None:
            if self.cfg.fallback is None:
                raise StageError(f"{self.file.path}: a sentence has no translation and translate.fallback is not set")
            from . import ct2 as _ct2  # noqa: F401  (register the model backends)

            self._fallback = translators.get(self.cfg.fallback, "translate.fallback")(self.cfg)
        return self._fallback

    @property
    def generation(self) -> Generation:  # type: ignore[override]
        """The fallback model's decoding settings (file rows are not decoded here)."""
        return self.fallback.generation

    def translate_outputs(self, texts: Sequence[str], cap_scale: float = 1.0) -> list[Output]:
        found: list[Output | None] = [None if (f := self.file.get(t)) is None else Output(f) for t in texts]
        todo = [t for t, f in zip(texts, found) if f is None]
        if todo and self.cfg.fallback is None:
            raise missing_error(self.file.path, todo, len(texts))
        if todo:
            model = self.fallback
            limit = model.max_source_tokens
            pieces = [split_to_fit(t, lambda p: model.count_tokens(p) <= limit) for t in todo]
            flat = list(dict.fromkeys(p for ps in pieces for p in ps))
            done = dict(zip(flat, model.translate_outputs(flat, cap_scale))) if flat else {}
            translated = iter(Output.joined([done[p] for p in ps]) for ps in pieces)
            found = [f if f is not None else next(translated) for f in found]
        self.from_file += len(texts) - len(todo)
        self.from_model += len(todo)
        return [f for f in found if f is not None]

    def count_tokens(self, text: str) -> int:
        return 1  # a looked-up sentence is never split; the fallback splits what it translates

    @property
    def max_source_tokens(self) -> int:
        return 1 << 30

    def identity(self) -> dict[str, Any]:
        return {
            "backend": "file",
            "file": str(self.file.path),
            "sha256": self.file.sha256,
            "fallback": self.cfg.fallback,
        }

    def describe(self) -> dict[str, Any]:
        info: dict[str, Any] = {"from_file": self.from_file, "from_model": self.from_model}
        if self._fallback is not None:
            info["fallback_model"] = self._fallback.identity()
        return info
