"""Map segment-level translations (WMT's ``{doc, seg, ja, translation}``) onto our sentences.

Our segmenter does not always cut where the translation's provider did. Per document, both
segmentations cover the same text; on the whitespace-free text they share some boundaries. Between
two shared boundaries lies a *block* of p of our sentences and q provider segments:

- p = q = 1: the segment is our sentence (``direct``);
- p = 1, q > 1: we joined segments; the translation is theirs joined with spaces (``joined``);
- p > 1: we split (or re-cut) the block; its translation (joined if q > 1) is re-segmented with our
  English splitter. Same number of English sentences as ours: one each, in order (``split``). More
  English sentences than ours: consecutive runs, cut where the running share of English characters
  best matches the running share of Japanese characters. Fewer: the block cannot be divided without
  inventing a cut, so its sentences are left out (``unmapped``; ``translate.fallback`` translates
  them, or the run names them).

A document whose text differs from the segments' (cleaning dropped something) maps only the
sentences equal to one segment; the others are ``unmapped``.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import InputError
from ..io import numbered_jsonl, write_jsonl
from ..segment.en import split_english
from ..text import comparison_form, squash


@dataclass
class Segment:
    doc: str
    seg: int
    ja: str
    translation: str


@dataclass
class Mapped:
    source: str
    translation: str
    doc: str
    how: str  # direct | joined | split


@dataclass
class ImportResult:
    rows: list[Mapped] = field(default_factory=list)
    unmapped: list[tuple[str, str]] = field(default_factory=list)  # (doc, sentence)
    segments: int = 0

    @property
    def counts(self) -> Counter[str]:
        return Counter(r.how for r in self.rows)


def read_segments(path: Path) -> dict[str, list[Segment]]:
    """Segments by document, in ``seg`` order; a malformed line is one error naming file and line."""
    if not path.is_file():
        raise InputError(f"{path}: not found")
    docs: dict[str, list[Segment]] = {}
    for lineno, row in numbered_jsonl(path):
        if not (
            isinstance(row.get("doc"), str)
            and isinstance(row.get("seg"), int)
            and isinstance(row.get("ja"), str)
            and isinstance(row.get("translation"), str)
        ):
            raise InputError(f'{path}:{lineno}: expected {{"doc": str, "seg": int, "ja": str, "translation": str}}')
        docs.setdefault(row["doc"], []).append(Segment(row["doc"], row["seg"], row["ja"], row["translation"]))
    if not docs:
        raise InputError(f"{path}: no segments")
    for segments in docs.values():
        segments.sort(key=lambda s: s.seg)
    return docs


def _ends(texts: Sequence[str]) -> list[int]:
    out, total = [], 0
    for t in texts:
        total += len(squash(t))
        out.append(total)
    return out


def divide(english: str, japanese: Sequence[str]) -> list[str] | None:
    """``english`` cut into ``len(japanese)`` runs of its sentences, or None if it has too few."""
    if len(japanese) == 1:
        return [english.strip()]
    sentences = split_english(english)
    if len(sentences) < len(japanese):
        return None
    if len(sentences) == len(japanese):
        return sentences
    en_ends = _ends(sentences)
    ja_ends = _ends(japanese)
    cuts, lo = [], 1
    for k, end in enumerate(ja_ends[:-1]):
        share = end / ja_ends[-1]
        hi = len(sentences) - (len(japanese) - 1 - k)  # leave a sentence for each later one
        best = min(range(lo, hi + 1), key=lambda c: abs(en_ends[c - 1] / en_ends[-1] - share))
        cuts.append(best)
        lo = best + 1
    bounds = [0, *cuts, len(sentences)]
    return [" ".join(sentences[a:b]) for a, b in zip(bounds, bounds[1:])]


def map_document(doc: str, ours: Sequence[str], segments: Sequence[Segment], result: ImportResult) -> None:
    """Map one document's segments onto our sentences (appends to ``result``)."""
    result.segments += len(segments)
    if "".join(map(squash, ours)) != "".join(squash(s.ja) for s in segments):
        by_form = {comparison_form(s.ja): s.translation for s in segments}
        for sentence in ours:
            found = by_form.get(comparison_form(sentence))
            if found is None:
                result.unmapped.append((doc, sentence))
            else:
                result.rows.append(Mapped(sentence, found, doc, "direct"))
        return
    our_ends, seg_ends = _ends(ours), _ends([s.ja for s in segments])
    shared = sorted(set(our_ends) & set(seg_ends))
    i = j = 0
    for end in shared:
        block = []
        while i < len(ours) and our_ends[i] <= end:
            block.append(ours[i])
            i += 1
        segs = []
        while j < len(segments) and seg_ends[j] <= end:
            segs.append(segments[j])
            j += 1
        if not block:
            continue
        english = " ".join(s.translation.strip() for s in segs)
        parts = divide(english, block)
        if parts is None:
            result.unmapped.extend((doc, s) for s in block)
            continue
        how = "split" if len(block) > 1 else "direct" if len(segs) == 1 else "joined"
        result.rows.extend(Mapped(s, t, doc, how) for s, t in zip(block, parts))


def write_rows(rows: Sequence[Mapped], out: Path) -> tuple[int, int]:
    """Write ``{source, translation, doc, how}`` JSONL, one row per distinct comparison form (the
    first kept); returns (written, duplicates left out)."""
    seen: set[str] = set()
    unique = []
    for r in rows:
        key = comparison_form(r.source)
        if key not in seen:
            seen.add(key)
            unique.append({"source": r.source, "translation": r.translation, "doc": r.doc, "how": r.how})
    write_jsonl(out, unique)
    return len(unique), len(rows) - len(unique)
