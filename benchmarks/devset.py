"""The development sets in ``../shared/dev/``, each split into a tune and a test half by document name.

* ``wmt21-ja-en`` (81 news articles): the tune half is the first 41 documents in sorted order, the
  test half the other 40;
* ``wmt23-ja-en`` (100 blocks of 20 segments, many domains): the tune half is the even-numbered
  blocks (``wmt23-000``, ``wmt23-002``, …), the test half the odd ones, as its README says.

Tune only on ``tune``; report ``test``. Every loader takes the half by name so no benchmark mixes
them up.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from pipeline.io import iter_jsonl, read_json

Half = Literal["tune", "test", "all"]
TUNE_DOCS = 41  # wmt21-ja-en: the first 41 documents are the tune half
WMT21, WMT23 = "wmt21-ja-en", "wmt23-ja-en"
SHARED_DEV = Path(__file__).resolve().parent.parent.parent / "shared" / "dev"
BLOCK = re.compile(r"-(\d+)$")  # wmt23-ja-en's documents are numbered blocks


def dev_dir(name: str = WMT21) -> Path:
    """A dev set by folder name: ``$JAEN_DEV_DIR`` (the wmt21-ja-en folder; the other sets are its
    siblings), else ``../shared/dev/NAME`` beside the checkout."""
    env = os.environ.get("JAEN_DEV_DIR")
    path = (Path(env) if name == WMT21 else Path(env).parent / name) if env else SHARED_DEV / name
    if not (path / "ja").is_dir():
        raise SystemExit(f"dev set not found at {path}: set JAEN_DEV_DIR to the wmt21-ja-en folder")
    return path


def split(names: list[str], half: Half) -> list[str]:
    """This half of a set's sorted document names: even/odd blocks when every name ends in a block
    number (wmt23-ja-en), else the first ``TUNE_DOCS`` / the rest (wmt21-ja-en)."""
    if half == "all":
        return names
    numbers = [BLOCK.search(n) for n in names]
    if names and all(numbers):
        parity = 0 if half == "tune" else 1
        return [n for n, m in zip(names, numbers) if int(m.group(1)) % 2 == parity]
    return names[:TUNE_DOCS] if half == "tune" else names[TUNE_DOCS:]


@dataclass
class DevSet:
    """One half of the dev set: documents, references, gold segmentation and gold beads."""

    root: Path
    half: Half = "test"
    docs: list[str] = field(init=False)
    _gold: dict[bool, list[tuple[str, dict[str, list[str]]]]] = field(init=False, default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        self.docs = split(sorted(p.stem for p in (self.root / "ja").glob("*.txt")), self.half)

    @property
    def name(self) -> str:
        """The set's folder name, e.g. ``wmt21-ja-en``."""
        return self.root.name

    def path(self, kind: str, doc: str) -> Path:
        """``kind`` is ``ja``, ``en``, ``en_partial`` or ``segmentation``."""
        return self.root / kind / f"{doc}.txt"

    def text(self, kind: str, doc: str) -> str:
        return self.path(kind, doc).read_text(encoding="utf-8")

    def gold_sentences(self, doc: str) -> list[str]:
        """The WMT segmentation of a document's Japanese, one sentence a line."""
        return [line for line in self.text("segmentation", doc).splitlines() if line.strip()]

    def _gold_file(self, partial: bool) -> list[tuple[str, dict[str, list[str]]]]:
        """Every bead of the gold file (both halves) with its document, read once."""
        if partial not in self._gold:
            name = "gold_alignment_partial.json" if partial else "gold_alignment.json"
            self._gold[partial] = place(read_json(self.root / name), self.mt_rows("Online-B"))
        return self._gold[partial]

    def gold_beads(self, partial: bool = False) -> list[dict[str, list[str]]]:
        """Gold beads of this half's documents, in the gold file's order."""
        keep = set(self.docs)
        return [b for doc, b in self._gold_file(partial) if doc in keep]

    def gold_beads_of(self, doc: str, partial: bool = False) -> list[dict[str, list[str]]]:
        """Gold beads of one document."""
        return [b for d, b in self._gold_file(partial) if d == doc]

    def mt_rows(self, system: str = "Online-B") -> list[dict]:
        """``{doc, seg, ja, translation}`` per WMT sentence of every document (both halves)."""
        return list(iter_jsonl(self.root / "mt" / f"{system}.jsonl"))

    def mt_systems(self) -> list[str]:
        return sorted(p.stem for p in (self.root / "mt").glob("*.jsonl"))


def place(beads: list[dict[str, list[str]]], rows: list[dict]) -> list[tuple[str, dict[str, list[str]]]]:
    """Each gold bead with its document. The gold files list their beads in the order of the WMT
    sentences (``mt/Online-B.jsonl``), a partial one a subsequence of them: a bead's document is that of
    the next WMT sentence in order with its first Japanese sentence (a short line such as 「日本製。」
    recurs in other documents, so the text alone does not say which). A bead out of that order (an
    edited gold of ``variants.py``) takes the first document with its sentence, one without Japanese
    the document of the bead before it."""
    order = [(row["ja"], row["doc"]) for row in rows]
    first: dict[str, str] = {}
    for ja, doc in order:
        first.setdefault(ja, doc)
    placed, k, doc = [], 0, ""
    for bead in beads:
        if bead["ja"]:
            ja = bead["ja"][0]
            j = next((i for i in range(k, len(order)) if order[i][0] == ja), None)
            if j is None:
                doc = first.get(ja, doc)
            else:
                k, doc = j + 1, order[j][1]
        placed.append((doc, bead))
    return placed


def load(half: Half = "test", root: Path | None = None) -> DevSet:
    return DevSet(root or dev_dir(), half)
