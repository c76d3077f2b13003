"""Link precision, recall and F1 of a predicted bitext TSV against a gold alignment.

GOLD.json is a list of beads ``{"ja": [sentences], "en": [sentences]}``; a bead with both sides
non-empty contributes every (ja, en) pair of its sentences as a gold *link*. A gold sentence is found
in the predicted cell (``source`` / ``reference`` of ``bitext.tsv``) that holds most of its
characters (≥ ``MATCH`` of its character n-grams, whitespace ignored; the best such cell when
several do), so that evaluation survives small changes of sentence boundaries. When several cells
hold it equally well (a repeated sentence, a byline found in every article's heading), it is found
in the one nearest after the cell of the gold sentence before it (:func:`resolve_ties`).
Each predicted row with both cells non-empty links every gold sentence found in its source with
every gold sentence found in its reference; a linked row whose side holds no gold sentence counts
as one wrong link (it pairs text the gold leaves unaligned).
"""

from __future__ import annotations

import csv
import json
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import InputError
from ..prf import PRF
from ..text import KANA, KANJI, squash

MATCH = 0.5
MIN_FOUND = 0.5  # share of the gold sentences found in the prediction below which eval-align warns
MAX_DOCUMENTS = 5  # doc_ids named in a warning


@dataclass
class LinkScores:
    precision: float
    recall: float
    f1: float
    correct: int
    predicted: int
    gold: int

    @classmethod
    def from_counts(cls, correct: int, predicted: int, gold: int, digits: int | None = 4) -> LinkScores:
        """P/R/F1 from the counts (:class:`pipeline.prf.PRF`), rounded to ``digits`` (None: not rounded,
        for sums of scores)."""
        prf = PRF(correct, predicted, gold)
        p, r, f = (x if digits is None else round(x, digits) for x in (prf.precision, prf.recall, prf.f1))
        return cls(p, r, f, correct, predicted, gold)

    def __str__(self) -> str:
        return (
            f"precision {self.precision:.4f} ({self.correct}/{self.predicted})  "
            f"recall {self.recall:.4f} ({self.correct}/{self.gold})  F1 {self.f1:.4f}"
        )


def _grams(text: str, n: int) -> set[str]:
    return {text[k : k + n] for k in range(max(1, len(text) - n + 1))}


_JAPANESE = re.compile(f"[{KANA}{KANJI}]")


def _gram_size(text: str) -> int:
    return 4 if _JAPANESE.search(text) else 6


def containment(sentence: str, cell: str) -> float:
    """Share of ``sentence``'s character n-grams found in ``cell`` (4-grams for Japanese, 6-grams for
    Latin script; case and whitespace ignored); 1.0 when it is a substring."""
    s, c = squash(sentence).lower(), squash(cell).lower()
    if not s or not c:
        return 0.0
    if s in c:
        return 1.0
    grams = _grams(s, _gram_size(s))
    return len(grams & _grams(c, _gram_size(s))) / len(grams)


class CellIndex:
    """The cells of one TSV column indexed by their character n-grams, so that finding the cells that
    hold a sentence touches only the cells sharing its n-grams (same result as :func:`containment`
    over every cell)."""

    def __init__(self, cells: list[str]) -> None:
        self.cells = [squash(c).lower() for c in cells]
        self._index: dict[int, dict[str, list[int]]] = {}

    def _postings(self, n: int) -> dict[str, list[int]]:
        if n not in self._index:
            index: dict[str, list[int]] = {}
            for k, c in enumerate(self.cells):
                for g in _grams(c, n) if c else ():
                    index.setdefault(g, []).append(k)
            self._index[n] = index
        return self._index[n]

    def best(self, sentence: str) -> set[int]:
        """The cells holding most of ``sentence`` (the best ones, when several do)."""
        s = squash(sentence).lower()
        if not s:
            return set()
        n = _gram_size(s)
        if len(s) < n:  # shorter than one n-gram: only a substring counts
            scores = {k: 1.0 for k, c in enumerate(self.cells) if s in c}
        else:
            grams = _grams(s, n)
            postings = self._postings(n)
            counts: dict[int, int] = {}
            for g in grams:
                for k in postings.get(g, ()):
                    counts[k] = counts.get(k, 0) + 1
            scores = {k: v / len(grams) for k, v in counts.items()}
        top = max(scores.values(), default=0.0)
        return {k for k, v in scores.items() if v == top} if top >= MATCH else set()


@contextmanager
def read_errors(p: Path, what: str) -> Iterator[None]:
    """One-line errors for a file that is missing or not UTF-8."""
    try:
        yield
    except FileNotFoundError:
        raise InputError(f"{p}: {what} file not found") from None
    except UnicodeDecodeError as exc:
        raise InputError(f"{p}: not UTF-8 ({exc.reason} at byte {exc.start})") from None


def load_gold(path: str | Path) -> list[tuple[list[str], list[str]]]:
    p = Path(path)
    with read_errors(p, "gold"):
        try:
            data: Any = json.loads(p.read_text(encoding="utf-8"))
        except json.JSONDecodeError as exc:
            raise InputError(f"{p}:{exc.lineno}:{exc.colno}: invalid JSON: {exc.msg}") from None
    if not isinstance(data, list):
        raise InputError(f'{p}: gold must be a JSON list of {{"ja": [...], "en": [...]}} beads')
    beads = []
    for k, bead in enumerate(data):
        if not isinstance(bead, dict) or set(bead) - {"ja", "en"}:
            raise InputError(f"{p}: bead [{k}] must be an object with keys 'ja' and 'en' only")
        sides = []
        for key in ("ja", "en"):
            side = bead.get(key, [])
            if not isinstance(side, list) or not all(isinstance(s, str) for s in side):
                raise InputError(f"{p}: bead [{k}] key {key!r} must be a list of sentences (strings)")
            sides.append([s for s in side if s.strip()])
        beads.append((sides[0], sides[1]))
    if not any(ja and en for ja, en in beads):
        n = sum(len(ja) + len(en) for ja, en in beads)
        raise InputError(
            f"{p}: the gold has no link (no bead with sentences on both sides; {n} sentence(s) in all), so recall "
            'means nothing: give beads {"ja": [...], "en": [...]} that pair sentences'
        )
    return beads


def load_pred(path: str | Path) -> list[tuple[str, str]]:
    """(source, reference) of every row of a bitext TSV."""
    p = Path(path)
    with read_errors(p, "prediction"), p.open(encoding="utf-8", newline="") as f:
        try:
            reader = csv.DictReader(f, delimiter="\t")
            missing = {"source", "reference"} - set(reader.fieldnames or [])
            if missing:
                raise InputError(f"{p}:1: header lacks column(s) {', '.join(sorted(missing))}")
            return [(row["source"] or "", row["reference"] or "") for row in reader]
        except csv.Error as exc:
            raise InputError(f"{p}: unreadable TSV: {exc}") from None


def locate(
    pred: list[tuple[str, str]], gold: list[tuple[list[str], list[str]]]
) -> tuple[list[int | None], list[int | None]]:
    """The predicted row holding each gold Japanese sentence (in the source column) and each gold
    English sentence (in the reference column), in gold order; None where none holds it."""
    ja_gold = [s for ja, _ in gold for s in ja]
    en_gold = [s for _, en in gold for s in en]
    located = []
    for column, sentences in ((0, ja_gold), (1, en_gold)):
        index = CellIndex([row[column] for row in pred])
        located.append(resolve_ties([index.best(s) for s in sentences]))
    return located[0], located[1]


def gold_link_set(gold: list[tuple[list[str], list[str]]]) -> set[tuple[int, int]]:
    """The gold links: (ja, en) sentence index pairs of every bead with both sides."""
    links: set[tuple[int, int]] = set()
    a = b = 0
    for ja, en in gold:
        if ja and en:
            links |= {(x, y) for x in range(a, a + len(ja)) for y in range(b, b + len(en))}
        a, b = a + len(ja), b + len(en)
    return links


def row_links(
    pred: list[tuple[str, str]], gold: list[tuple[list[str], list[str]]]
) -> tuple[list[list[tuple[int, int] | None]], set[tuple[int, int]]]:
    """(the links each predicted row makes — a gold (ja, en) index pair, or None for a link to text
    the gold does not hold — , the gold links)."""
    src_of: dict[int, list[int]] = {}
    ref_of: dict[int, list[int]] = {}
    for rows, found in zip(locate(pred, gold), (src_of, ref_of)):
        for x, row in enumerate(rows):
            if row is not None:
                found.setdefault(row, []).append(x)
    links: list[list[tuple[int, int] | None]] = []
    for row, (source, reference) in enumerate(pred):
        made: list[tuple[int, int] | None] = []
        if source.strip() and reference.strip():
            for x in src_of.get(row) or [None]:
                for y in ref_of.get(row) or [None]:
                    made.append((x, y) if x is not None and y is not None else None)
        links.append(made)
    return links, gold_link_set(gold)


def resolve_ties(cells: list[set[int]]) -> list[int | None]:
    """One cell per gold sentence from the cells holding it best (in gold order): a sentence that
    several cells hold equally well goes to the first of them at or after the cell of the nearest
    gold sentence before it (else to the last one before that cell), so that a
    repeated sentence is found in its own place."""
    out: list[int | None] = [min(c) if len(c) == 1 else None for c in cells]
    anchor = -1
    for x, candidates in enumerate(cells):
        if len(candidates) > 1:
            after = [k for k in candidates if k >= anchor]
            out[x] = min(after) if after else max(candidates)
        if candidates:
            anchor = out[x]  # type: ignore[assignment]
    return out


def score_links(pred: list[tuple[str, str]], gold: list[tuple[list[str], list[str]]]) -> LinkScores:
    return link_scores(*row_links(pred, gold))


def link_scores(links: list[list[tuple[int, int] | None]], gold_links: set[tuple[int, int]]) -> LinkScores:
    """P/R/F1 of the links each row makes (:func:`row_links`) against the gold links."""
    predicted = sum(len(made) for made in links)
    found = {link for made in links for link in made if link in gold_links}
    return LinkScores.from_counts(len(found), predicted, len(gold_links))


def evaluate(pred_path: str | Path, gold_path: str | Path) -> LinkScores:
    return score_links(load_pred(pred_path), load_gold(gold_path))


@dataclass
class GoldFit:
    """How much of a gold alignment a prediction holds: its sentences found in the bitext's cells."""

    pred: Path
    gold: Path
    found: int
    sentences: int
    documents: list[str]  # the prediction's doc_id values
    first: str  # the gold's first sentence, to name its document

    def compared(self) -> str:
        shown = ", ".join(self.documents[:MAX_DOCUMENTS]) or "none"
        more = f", … ({len(self.documents)} in all)" if len(self.documents) > MAX_DOCUMENTS else ""
        return f"documents compared: {self.pred} (doc_id {shown}{more}) and {self.gold} (first sentence {self.first!r})"

    def check(self) -> str | None:
        """An InputError when no gold sentence is found; a warning line when fewer than ``MIN_FOUND`` are."""
        if not self.found:
            raise InputError(
                f"none of the {self.sentences} gold sentences is found in the prediction ({self.compared()}): "
                "is the gold for other documents? give a bitext of the documents the gold aligns"
            )
        if self.found < MIN_FOUND * self.sentences:
            return (
                f"only {self.found} of the {self.sentences} gold sentences are found in the prediction "
                f"({self.compared()}): the others count as missed; is the gold for other documents?"
            )
        return None


def pred_documents(path: Path) -> list[str]:
    """The distinct ``doc_id`` values of a bitext TSV, in order (none when it has no such column)."""
    with read_errors(path, "prediction"), path.open(encoding="utf-8", newline="") as f:
        return list(dict.fromkeys(row.get("doc_id") or "" for row in csv.DictReader(f, delimiter="\t")))


def evaluate_fit(pred_path: str | Path, gold_path: str | Path) -> tuple[LinkScores, GoldFit]:
    """The link scores and how well the gold fits the prediction (:meth:`GoldFit.check`)."""
    pred, gold = load_pred(pred_path), load_gold(gold_path)
    ja_rows, en_rows = locate(pred, gold)
    rows = ja_rows + en_rows
    first = next(s for ja, en in gold for s in [*ja, *en])  # load_gold: the gold has a link
    documents = [d for d in pred_documents(Path(pred_path)) if d]
    fit = GoldFit(Path(pred_path), Path(gold_path), sum(r is not None for r in rows), len(rows), documents, first[:40])
    return score_links(pred, gold), fit
