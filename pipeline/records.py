"""Records passed between stages, one dataclass per artifact line."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass, field, fields
from typing import Any, TypeVar

R = TypeVar("R", bound="Record")


class Record:
    """Mixin: lossless dict round trip that ignores keys a newer writer may have added."""

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)  # type: ignore[call-overload]

    @classmethod
    def from_dict(cls: type[R], data: dict[str, Any]) -> R:
        known = {f.name for f in fields(cls)}  # type: ignore[arg-type]
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
