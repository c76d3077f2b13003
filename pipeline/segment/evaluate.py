"""Boundary precision / recall / F1 of a sentence segmentation against a gold segmentation.

A segmentation is a sequence of sentences covering a text. Its *boundaries* are the offsets, in the
text with all whitespace removed, where one sentence ends and the next begins (the end of the last
sentence is not a boundary). Comparing on whitespace-free offsets makes the score independent of
how a segmenter trims spaces. When the system's text differs from the gold text (a segmenter that
normalises characters, or cleaning that kept or dropped something else), the two texts are aligned
with :class:`difflib.SequenceMatcher` and system boundaries are mapped through the alignment;
boundaries inside unaligned stretches count as errors, and ``coverage`` reports how much of the gold
text was matched.

Gold file format (see docs/segmentation.md)::

    # comment                      (only at column 0)
    === doc 1                      starts a document
    title<TAB>見出し                 one sentence per line, optional KIND<TAB> prefix
    一文目です。                     (no prefix: kind body, Japanese)
                                   blank line: paragraph break
    reference<TAB>An English one.   kind reference: an English reference sentence

Usage: ``python -m pipeline.segment.evaluate GOLD INPUT`` segments INPUT with the ``rules``
segmenter and prints the scores.
"""

from __future__ import annotations

import difflib
import re
import sys
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from pathlib import Path

from ..errors import InputError
from ..prf import PRF
from ..text import squash

KINDS = ("title", "byline", "caption", "body", "reference")


@dataclass
class GoldUnit:
    doc: int
    para: int
    kind: str
    text: str

    @property
    def lang(self) -> str:
        return "en" if self.kind == "reference" else "ja"


def read_gold(path: str | Path) -> list[GoldUnit]:
    """Read a gold segmentation file; a malformed line is an error naming the file and line."""
    p = Path(path)
    try:
        lines = p.read_text(encoding="utf-8").split("\n")
    except FileNotFoundError:
        raise InputError(f"gold file not found: {p}") from None
    except UnicodeDecodeError as exc:
        raise InputError(f"{p}: gold files must be UTF-8 ({exc.reason} at byte {exc.start})") from None
    units: list[GoldUnit] = []
    doc, para = 0, 0
    new_para = True
    for lineno, line in enumerate(lines, 1):
        if line.startswith("#"):
            continue
        if line.startswith("==="):
            m = re.fullmatch(r"===\s*doc\s+(\d+)\s*", line)
            if not m:
                raise InputError(f"{p}:{lineno}: a document line must read '=== doc N', not {line!r}")
            doc = int(m.group(1))
            new_para = True
            continue
        if not line.strip():
            new_para = True
            continue
        kind, text = "body", line
        if "\t" in line:
            head, rest = line.split("\t", 1)
            if head in KINDS:
                kind, text = head, rest
            elif re.fullmatch(r"[a-z]+", head):
                raise InputError(f"{p}:{lineno}: unknown kind {head!r}; expected one of {', '.join(KINDS)}")
        if not text.strip():
            raise InputError(f"{p}:{lineno}: empty sentence after kind {kind!r}")
        if doc == 0:
            doc = 1
        if new_para:
            para += 1
            new_para = False
        units.append(GoldUnit(doc, para, kind, text))
    return units


def boundaries(sentences: Sequence[str]) -> tuple[str, set[int]]:
    """(whitespace-free text, boundary offsets) of a segmentation."""
    offsets: set[int] = set()
    total = 0
    parts = []
    for sentence in sentences:
        s = squash(sentence)
        if not s:
            continue
        if total:
            offsets.add(total)
        parts.append(s)
        total += len(s)
    return "".join(parts), offsets


@dataclass
class BoundaryScore:
    tp: int
    fp: int
    fn: int
    coverage: float = 1.0  # share of the gold text (whitespace-free) matched by the system text

    @property
    def prf(self) -> PRF:
        """The boundary P/R/F1 (:mod:`pipeline.prf`: its convention for empty sets)."""
        return PRF(self.tp, self.tp + self.fp, self.tp + self.fn)

    @property
    def precision(self) -> float:
        return self.prf.precision

    @property
    def recall(self) -> float:
        return self.prf.recall

    @property
    def f1(self) -> float:
        return self.prf.f1

    def __str__(self) -> str:
        return (
            f"P={self.precision:.4f} R={self.recall:.4f} F1={self.f1:.4f} "
            f"(tp={self.tp} fp={self.fp} fn={self.fn}, coverage={self.coverage:.4f})"
        )


_QUOTE_OPENERS = "「『“"
_CONTINUES_QUOTE = re.compile(r"(と|って)")


def optional_boundaries(gold: Sequence[str]) -> set[int]:
    """Gold boundaries a segmenter may leave out: cuts inside a quotation (``「…。|…」``) and cuts before
    a と / って that continues a quotation (``「…？」|と``), which WMT's segmentation makes now and then.
    Offsets as in :func:`boundaries`."""
    from .ja import matched_spans

    text, cuts = boundaries(gold)
    spans = [(a, b) for a, b in matched_spans(text) if text[a] in _QUOTE_OPENERS]
    inside = {c for c in cuts for a, b in spans if a < c <= b}
    before_to = {c for c in cuts if text[c - 1] in "」』”" and _CONTINUES_QUOTE.match(text, c)}
    return inside | before_to


def score_boundaries(gold: Sequence[str], system: Sequence[str], optional: Collection[int] = ()) -> BoundaryScore:
    """Boundary precision/recall/F1 of ``system`` against ``gold`` (both lists of sentences).

    ``optional`` gold boundaries (e.g. :func:`optional_boundaries`) count when the system makes them and
    are no error when it does not."""
    gold_text, gold_b = boundaries(gold)
    sys_text, sys_b = boundaries(system)
    required = gold_b - set(optional)
    if gold_text == sys_text:
        tp = len(gold_b & sys_b)
        return BoundaryScore(tp, len(sys_b) - tp, len(required - sys_b))
    matcher = difflib.SequenceMatcher(None, gold_text, sys_text, autojunk=False)
    mapped: set[int] = set()
    unmapped = 0
    blocks = matcher.get_matching_blocks()
    matched = sum(b.size for b in blocks)
    for b in sys_b:
        for block in blocks:
            # a boundary maps when it falls inside or at either edge of an aligned stretch
            if block.b <= b <= block.b + block.size and block.size:
                mapped.add(block.a + (b - block.b))
                break
        else:
            unmapped += 1
    tp = len(gold_b & mapped)
    return BoundaryScore(
        tp, len(mapped) - tp + unmapped, len(required - mapped), matched / len(gold_text) if gold_text else 1.0
    )


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 2:
        print("usage: python -m pipeline.segment.evaluate GOLD INPUT", file=sys.stderr)
        return 2
    from ..config import SegmentSection
    from ..io import read_text
    from . import rules as _rules  # noqa: F401
    from .base import segmenters

    gold = read_gold(args[0])
    result = segmenters.get("rules")(SegmentSection()).segment(read_text(args[1]))
    for lang in ("ja", "en"):
        g = [u.text for u in gold if u.lang == lang]
        s = [u.text for u in result.units if u.lang == lang]
        if g:
            print(f"{lang}: {score_boundaries(g, s)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
