"""The WMT21 ja-en development set (``../shared/dev/wmt21-ja-en``), split by document name.

The tune half is the first 41 documents in sorted order, the test half the other 40. Tune only on
``tune``; report ``test``. Every loader takes the half by name so no benchmark mixes them up.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Literal

from pipeline.io import iter_jsonl, read_json

Half = Literal["tune", "test", "all"]
TUNE_DOCS = 41
DEFAULT_DIR = Path(__file__).resolve().parent.parent.parent / "shared" / "dev" / "wmt21-ja-en"


def dev_dir() -> Path:
    """The dev set: ``$JAEN_DEV_DIR``, else ``../shared/dev/wmt21-ja-en`` beside the checkout."""
    path = Path(os.environ.get("JAEN_DEV_DIR", DEFAULT_DIR))
    if not (path / "ja").is_dir():
        raise SystemExit(f"dev set not found at {path}: set JAEN_DEV_DIR to the wmt21-ja-en folder")
    return path


@dataclass
class DevSet:
    """One half of the dev set: documents, references, gold segmentation and gold beads."""

    root: Path
    half: Half = "test"
    docs: list[str] = field(init=False)
    _gold: dict[bool, list[dict[str, list[str]]]] = field(init=False, default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        names = sorted(p.stem for p in (self.root / "ja").glob("*.txt"))
        if self.half == "tune":
            names = names[:TUNE_DOCS]
        elif self.half == "test":
            names = names[TUNE_DOCS:]
        self.docs = names

    def path(self, kind: str, doc: str) -> Path:
        """``kind`` is ``ja``, ``en``, ``en_partial`` or ``segmentation``."""
        return self.root / kind / f"{doc}.txt"

    def text(self, kind: str, doc: str) -> str:
        return self.path(kind, doc).read_text(encoding="utf-8")

    def gold_sentences(self, doc: str) -> list[str]:
        """The WMT segmentation of a document's Japanese, one sentence a line."""
        return [line for line in self.text("segmentation", doc).splitlines() if line.strip()]

    @cached_property
    def _doc_of_ja(self) -> dict[str, str]:
        """Every WMT Japanese sentence → its document (the sentences are unique across the set)."""
        out: dict[str, str] = {}
        for row in self.mt_rows("Online-B"):
            out[row["ja"]] = row["doc"]
        return out

    def _gold_file(self, partial: bool) -> list[dict[str, list[str]]]:
        """Every bead of the gold file (both halves), read once."""
        if partial not in self._gold:
            name = "gold_alignment_partial.json" if partial else "gold_alignment.json"
            self._gold[partial] = read_json(self.root / name)
        return self._gold[partial]

    def gold_beads(self, partial: bool = False) -> list[dict[str, list[str]]]:
        """Gold beads of this half's documents, in the gold file's order."""
        keep = set(self.docs)
        return [b for b in self._gold_file(partial) if any(self._doc_of_ja.get(s) in keep for s in b["ja"])]

    def gold_beads_of(self, doc: str, partial: bool = False) -> list[dict[str, list[str]]]:
        """Gold beads of one document."""
        return [b for b in self._gold_file(partial) if any(self._doc_of_ja.get(s) == doc for s in b["ja"])]

    def mt_rows(self, system: str = "Online-B") -> list[dict]:
        """``{doc, seg, ja, translation}`` per WMT sentence of every document (both halves)."""
        return list(iter_jsonl(self.root / "mt" / f"{system}.jsonl"))

    def mt_systems(self) -> list[str]:
        return sorted(p.stem for p in (self.root / "mt").glob("*.jsonl"))


def load(half: Half = "test", root: Path | None = None) -> DevSet:
    return DevSet(root or dev_dir(), half)
