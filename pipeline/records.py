"""Records passed between stages, one dataclass per artifact line."""

from __future__ import annotations

import functools
import json
import types
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field, fields
from typing import Any, TypeVar, Union, get_args, get_origin, get_type_hints

R = TypeVar("R", bound="Record")


def matches(value: Any, hint: Any) -> bool:
    """Whether a value read from JSON has the type ``hint`` (an int passes for a float, a bool for nothing else)."""
    origin, args = get_origin(hint), get_args(hint)
    if hint is Any:
        return True
    if origin in (Union, types.UnionType):
        return any(matches(value, a) for a in args)
    if hint is type(None):
        return value is None
    if hint is float:
        return type(value) in (int, float)
    if hint in (int, bool, str):
        return type(value) is hint
    if origin is list:
        return isinstance(value, list) and all(matches(v, args[0]) for v in value)
    if origin is dict:
        return isinstance(value, dict) and all(matches(k, args[0]) and matches(v, args[1]) for k, v in value.items())
    return isinstance(value, hint)


def describe(hint: Any) -> str:
    """``list[str] | None`` → "a list of strings or null": how a type reads in an error message."""
    origin, args = get_origin(hint), get_args(hint)
    if origin in (Union, types.UnionType):
        return " or ".join(describe(a) for a in args)
    if origin is list:
        return f"a list of {describe(args[0]).split(' ', 1)[1]}s"
    if origin is dict:
        return f"an object of {describe(args[1]).split(' ', 1)[1]}s"
    names = {type(None): "null", float: "a number", int: "an integer", bool: "a boolean", str: "a string"}
    return names.get(hint, f"a {getattr(hint, '__name__', hint)}")


def json_repr(value: Any, limit: int = 40) -> str:
    """A value as JSON, cut to ``limit`` characters, for an error message."""
    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= limit else text[: limit - 1] + "…"


@functools.cache
def field_types(cls: type) -> dict[str, Any]:
    """A record class's field names and their types (resolved once per class)."""
    hints = get_type_hints(cls)
    return {f.name: hints[f.name] for f in fields(cls)}


class Record:
    """Mixin: lossless dict round trip that ignores keys a newer writer may have added."""

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)  # type: ignore[call-overload]

    @classmethod
    def from_dict(cls: type[R], data: dict[str, Any]) -> R:
        """The record of ``data``; a TypeError naming the key where a value has the wrong type
        (``"src_ids": "ja00001"`` instead of a list), a missing required key or an extra one ignored."""
        known = field_types(cls)
        for key, value in data.items():
            if key in known and not matches(value, known[key]):
                raise TypeError(f"{key} must be {describe(known[key])}, not {json_repr(value)}")
        return cls(**{k: v for k, v in data.items() if k in known})


@dataclass
class Sentence(Record):
    """One sentence unit of the segmented input (Japanese source or English reference)."""

    seg_id: str
    doc_id: str
    para_id: int
    lang: str  # "ja" | "en"
    kind: str  # "title" | "byline" | "caption" | "body" | "reference"
    text: str
    partial: bool = False  # an English reference truncated with "…"
    document: str = ""  # the input document (file, JSONL line, dataset row) it came from; align works within it


@dataclass
class Dropped(Record):
    """A piece of the input that was removed, and why."""

    text: str
    reason: str
    line: int | None = None
    doc_id: str | None = None


@dataclass
class Translation(Record):
    """The machine translation of one source sentence."""

    seg_id: str
    translation: str
    split: bool = False  # translated in pieces because it exceeded the model's source limit
    pieces: int = 1
    cached: bool = False
    flags: list[str] = field(default_factory=list)  # translate/flags.py: truncated, repeated, empty, unk
    retried: str | None = None  # translate.on_truncation=retry: "cap" (a higher cap) or "split" (at a clause)


@dataclass
class Bead(Record):
    """One alignment unit: source sentences paired with reference sentences (either side may be empty)."""

    src_ids: list[str]
    ref_ids: list[str]
    score: float
    partial: bool = False
    signals: dict[str, float] = field(default_factory=dict)
    # [start, end) of its one reference sentence, when the aligner cut that sentence in two (align/split.py)
    ref_span: list[int] | None = None

    def __post_init__(self) -> None:
        span = self.ref_span
        if span is not None and not (
            isinstance(span, list)
            and len(span) == 2
            and all(type(x) is int for x in span)
            and 0 <= span[0] < span[1]
            and len(self.ref_ids) == 1
        ):
            raise ValueError(f"ref_span must be [start, end) of its one reference sentence, not {span!r}")

    @property
    def type(self) -> str:
        return f"{len(self.src_ids)}-{len(self.ref_ids)}"

    def reference(self, text: Mapping[str, str]) -> str:
        """Its reference text (``text``: sentence id → text): its sentences joined, or its piece of one."""
        if self.ref_span:
            start, end = self.ref_span
            return text[self.ref_ids[0]][start:end].strip()
        return " ".join(text[i] for i in self.ref_ids)

    def to_dict(self) -> dict[str, Any]:
        data = super().to_dict()
        if self.ref_span is None:
            del data["ref_span"]
        data["type"] = self.type
        return data
