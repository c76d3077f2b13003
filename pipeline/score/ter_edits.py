"""TER's segment statistics [edits, reference words], the same numbers as sacrebleu 2.6's
``TER().sentence_score(hyp, [ref])``, about ten times faster.

sacrebleu's ``lib_ter.translation_edit_rate`` greedily applies the best word-span shift until none
lowers the edit distance, and scores every candidate shift with a beam edit distance in pure Python
(a tuple per matrix cell): ~all of the score stage's time. This is the same search, heuristic for
heuristic and tie-break for tie-break, ported (lib_ter's constants and helpers are private, so they
are restated and the tests hold them equal):

- candidate shifts come in ``_find_shifted_pairs``' order (hypothesis start, then reference start, then
  length), visiting only the reference positions that hold the hypothesis word; the same filters
  (window sums of the error flags, from prefix sums) and the same ``MAX_SHIFT_CANDIDATES`` counting;
- the best candidate is the largest (edit gain, length, -hypothesis start, -target) tuple, the first
  of equal ones (equal tuples are the same shift), and is applied only if it gains and the candidate
  budget is not spent;
- the beam edit distance is ``BeamEditDistance``'s: the same pseudo-diagonal and beam width per row,
  cells outside the beam infinite, the operation of a cell chosen in the order substitution, deletion,
  insertion, each only if strictly cheaper; its trace gives the alignment as ``trace_to_alignment``.

What differs is how the distances are computed: words become integer ids; the current hypothesis'
matrix is kept in rows of plain ints (for its trace), and the candidates of one shift step are scored
together, one numpy row of the matrix at a time for all of them (a row's insertions are a running
minimum: ``cost[j] = j + min_{k<=j}(v[k] - k)``), in groups of at most ``BATCH_CELLS`` cells.
sacrebleu's prefix-row cache only saves work: a shift keeps the hypothesis length, so a row's beam
depends on its index alone and a row of the matrix on the words before it; the candidates therefore
start from the current hypothesis' row where the first of them diverges. ``tests/test_score_ter_edits.py``
holds the statistics equal to sacrebleu's (and sacrebleu's own equal with its cache off);
``benchmarks/bench_ter.py`` checks every MT output of the dev sets.
"""

from __future__ import annotations

import math
from bisect import bisect_left, bisect_right
from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np
from sacrebleu.metrics import TER

# sacrebleu 2.6's lib_ter constants, private there and so restated (tests/test_score_ter_edits.py holds
# them equal): the edit costs, Tercom's limits, sacrebleu's own candidate budget, its infinite cost
COST_INS, COST_DEL, COST_SUB = 1, 1, 1
MAX_SHIFT_SIZE = 10  # words in a shifted span
MAX_SHIFT_DIST = 50  # between a span's start in the hypothesis and in the reference
BEAM_WIDTH = 25  # matrix cells either side of the pseudo-diagonal
MAX_SHIFT_CANDIDATES = 1000  # candidate shifts scored per segment, after which the search stops
INFINITY = int(1e16)  # the cost of a cell outside the beam
OP_INS, OP_DEL, OP_NOP, OP_SUB, OP_UNDEF = "i", "d", " ", "s", "x"  # a cell's operation, hypothesis → reference

Shift = tuple[int, int, int]  # (length, hypothesis start, target index): a candidate shift
Row = list[int]  # a row of the edit-distance matrix: the costs of columns 0…len(reference)
BATCH_CELLS = 1 << 21  # matrix cells of candidates scored at once (int64: 16 MiB): bounds memory on long sentences


def ter_statistics(metric: TER, hyp: str, ref: str) -> list[float]:
    """[edits, reference words] of ``hyp`` against the one reference ``ref``, preprocessed as
    ``metric.sentence_score`` does (the reference twice: sacrebleu caches it preprocessed, then
    preprocesses it again)."""
    words_hyp = metric.tokenizer(hyp.rstrip()).split()
    words_ref = metric.tokenizer(metric.tokenizer(ref.rstrip()).rstrip()).split()
    edits, ref_length = translation_edit_rate(words_hyp, words_ref)
    return [edits, ref_length / 1]  # sacrebleu's average over one reference: a float


def translation_edit_rate(words_hyp: list[str], words_ref: list[str]) -> tuple[int, int]:
    """(edits, reference words) as ``lib_ter.translation_edit_rate`` counts them."""
    if not words_ref:
        return len(words_hyp), 0
    ids = {w: i for i, w in enumerate(dict.fromkeys(words_ref + words_hyp))}
    search = ShiftSearch([ids[w] for w in words_ref], len(words_hyp), len(ids))
    words = [ids[w] for w in words_hyp]
    rows = search.batch_rows(np.array([words], dtype=np.int64).reshape(1, -1), search.initial, 0)[:, 0].tolist()
    shifts, checked = 0, 0
    while True:
        gain, shifted, checked, shifted_rows = search.best_shift(words, rows, checked)
        if checked >= MAX_SHIFT_CANDIDATES or gain <= 0:
            break
        shifts += 1
        words, rows = shifted, shifted_rows
    return shifts + rows[-1][-1], len(words_ref)


@dataclass(frozen=True)
class Alignment:
    """The current hypothesis against the reference (``trace_to_alignment``'s), with prefix sums of the
    error flags for the window sums of ``_shift``'s filters."""

    align: dict[int, int]
    ref_err: list[int]
    hyp_err: list[int]

    def window_has_errors(self, start_h: int, start_r: int, length: int) -> bool:
        """Both the hypothesis span and the reference span hold an error (``_shift``'s first two filters)."""
        return (
            self.hyp_err[start_h + length] - self.hyp_err[start_h] != 0
            and self.ref_err[start_r + length] - self.ref_err[start_r] != 0
        )


class ShiftSearch:
    """One reference's shift search: the beam of each matrix row and the reference word index."""

    def __init__(self, ref: list[int], n_hyp: int, n_vocab: int) -> None:
        self.ref, self.n_hyp = ref, n_hyp
        n_ref = len(ref)
        self.ins_cost = np.arange(n_ref + 1, dtype=np.int64) * COST_INS  # j insertions
        self.initial = self.ins_cost.tolist()  # row 0
        # sub_cost[w, j]: substituting word id w for reference word j - 1 (column 0 unused)
        vocab = np.arange(n_vocab, dtype=np.int64)[:, None]
        self.sub_cost = np.concatenate(
            [np.zeros((n_vocab, 1), np.int64), (vocab != np.array(ref, dtype=np.int64)) * COST_SUB], axis=1
        )
        self.beams = beam_bounds(n_hyp, n_ref)
        self.positions: dict[int, list[int]] = {}
        for j, w in enumerate(ref):
            self.positions.setdefault(w, []).append(j)

    def batch_rows(self, hyps: np.ndarray, start: Row, first: int) -> np.ndarray:
        """Rows ``first``…``n_hyp`` of the beam edit-distance matrices of the hypotheses ``hyps`` (one per
        row of it, all ``n_hyp`` long, the same words before ``first``), row ``first`` being ``start``:
        ``[row - first, hypothesis, column]``."""
        out = np.full((self.n_hyp + 1 - first, len(hyps), len(start)), INFINITY, dtype=np.int64)
        out[0] = start
        for i in range(first + 1, self.n_hyp + 1):
            self.next_row(out[i - first - 1], out[i - first], hyps[:, i - 1], i)
        return out

    def next_row(self, prev: np.ndarray, row: np.ndarray, words: np.ndarray, i: int) -> None:
        """Row ``i`` from row ``i - 1`` (``row`` holds infinities), as ``BeamEditDistance._edit_distance``
        fills it: in the beam, each cell the least of infinity, substitution, deletion and insertion (a
        running minimum)."""
        lo, hi = self.beams[i]
        j0 = max(lo, 1)
        v = prev[:, j0 - 1 : hi - 1] + self.sub_cost[words, j0:hi]
        np.minimum(v, prev[:, j0:hi] + COST_DEL, out=v)
        np.minimum(v, INFINITY, out=v)
        if lo == 0:  # the first column: a deletion whatever it costs
            v = np.concatenate([prev[:, :1] + COST_DEL, v], axis=1)
        cols = self.ins_cost[lo:hi]
        v -= cols
        np.minimum.accumulate(v, axis=1, out=row[:, lo:hi])
        row[:, lo:hi] += cols

    def best_shift(self, words: list[int], rows: list[Row], checked: int) -> tuple[int, list[int], int, list[Row]]:
        """``_shift``: (gain, shifted words, candidates checked, their matrix rows) of the best candidate."""
        shifts, checked = self.candidates(words, self.alignment(words, rows), checked)
        best: tuple[tuple[int, int, int, int], list[int], list[Row]] | None = None
        group = max(1, BATCH_CELLS // ((self.n_hyp + 1) * (len(self.ref) + 1)))
        for at in range(0, len(shifts), group):
            best = self.best_of(words, rows, shifts[at : at + group], best)
        if best is None:
            return 0, words, checked, rows
        return best[0][0], best[1], checked, best[2]

    def best_of(
        self,
        words: list[int],
        rows: list[Row],
        shifts: list[Shift],
        best: tuple[tuple[int, int, int, int], list[int], list[Row]] | None,
    ) -> tuple[tuple[int, int, int, int], list[int], list[Row]]:
        """(ranking key, words, matrix rows) of the best of ``best`` and the candidates ``shifts``, scored
        together; the ranking is Tercom's, and of equal keys (the same shift) the first stays."""
        shifted = [perform_shift(words, start_h, length, idx) for length, start_h, idx in shifts]
        first = min(min(start_h, idx) for _, start_h, idx in shifts)
        cand_rows = self.batch_rows(np.array(shifted), rows[first], first)
        pre_score, chosen = rows[-1][-1], None
        for k, (cost, (length, start_h, idx)) in enumerate(zip(cand_rows[-1, :, -1].tolist(), shifts)):
            key = (pre_score - cost, length, -start_h, -idx)
            if best is None or key > best[0]:
                best, chosen = (key, shifted[k], rows), k
        if chosen is None:
            return best
        return best[0], best[1], rows[:first] + cand_rows[:, chosen].tolist()

    def alignment(self, words: list[int], rows: list[Row]) -> Alignment:
        """``trace_to_alignment`` of the flipped trace of ``words``' matrix (the reference rewritten into
        the hypothesis): each reference position's hypothesis position, and the error flags' prefix sums."""
        align: dict[int, int] = {}
        ref_err, hyp_err = [0], [0]
        pos_hyp = pos_ref = -1
        for op in self.trace(words, rows):
            if op != OP_INS:  # a hypothesis word: matched, substituted or deleted
                pos_hyp += 1
                hyp_err.append(hyp_err[-1] + (op != OP_NOP))
            if op != OP_DEL:  # a reference word: matched, substituted or inserted
                pos_ref += 1
                align[pos_ref] = pos_hyp
                ref_err.append(ref_err[-1] + (op != OP_NOP))
        return Alignment(align, ref_err, hyp_err)

    def trace(self, words: list[int], rows: list[Row]) -> str:
        """``BeamEditDistance``'s trace of edit operations, back from the last cell of the matrix."""
        ops: list[str] = []
        i, j = self.n_hyp, len(self.ref)
        while i > 0 or j > 0:
            op = self.cell_op(words, rows, i, j)
            ops.append(op)
            if op in (OP_SUB, OP_NOP):
                i, j = i - 1, j - 1
            elif op == OP_INS:
                j -= 1
            elif op == OP_DEL:
                i -= 1
            else:
                raise ValueError(f"TER: unknown operation {op!r} in the edit-distance trace")
        return "".join(reversed(ops))

    def cell_op(self, words: list[int], rows: list[Row], i: int, j: int) -> str:
        """The operation ``BeamEditDistance`` records in cell (i, j): of substitution, deletion, insertion
        the first strictly cheaper than what the cell holds (infinity at first)."""
        if i == 0:
            return OP_INS
        lo, hi = self.beams[i]
        if not lo <= j < hi:
            return OP_UNDEF
        prev, cur = rows[i - 1], rows[i]
        if j == 0:
            return OP_DEL
        match = words[i - 1] == self.ref[j - 1]
        cost, op = INFINITY, OP_UNDEF
        for op_cost, name in (
            (prev[j - 1] + (0 if match else COST_SUB), OP_NOP if match else OP_SUB),
            (prev[j] + COST_DEL, OP_DEL),
            (cur[j - 1] + COST_INS, OP_INS),
        ):
            if cost > op_cost:
                cost, op = op_cost, name
        return op

    def candidates(self, words: list[int], alignment: Alignment, checked: int) -> tuple[list[Shift], int]:
        """``_shift``'s candidate shifts in its order, filtered and counted as it does."""
        shifts: list[Shift] = []
        align = alignment.align
        for start_h, start_r, length in self.shifted_pairs(words):
            if not alignment.window_has_errors(start_h, start_r, length):
                continue
            if start_h <= align[start_r] < start_h + length:
                continue  # not within the subsequence
            prev_idx = -1
            for offset in range(-1, length):
                if start_r + offset == -1:
                    idx = 0
                elif start_r + offset in align:
                    idx = align[start_r + offset] + 1
                else:
                    break
                if idx == prev_idx:
                    continue
                prev_idx = idx
                shifts.append((length, start_h, idx))
                checked += 1
            if checked >= MAX_SHIFT_CANDIDATES:
                break
        return shifts, checked

    def shifted_pairs(self, words: list[int]) -> Iterator[Shift]:
        """``_find_shifted_pairs``' (hypothesis start, reference start, length), in its order, from the
        reference positions of each hypothesis word within ``MAX_SHIFT_DIST``."""
        ref, n_h, n_r = self.ref, len(words), len(self.ref)
        for start_h, word in enumerate(words):
            at = self.positions.get(word)
            if not at:
                continue
            for start_r in at[bisect_left(at, start_h - MAX_SHIFT_DIST) : bisect_right(at, start_h + MAX_SHIFT_DIST)]:
                length = 0
                while words[start_h + length] == ref[start_r + length] and length < MAX_SHIFT_SIZE:
                    length += 1
                    yield start_h, start_r, length
                    if n_h == start_h + length or n_r == start_r + length:
                        break


def perform_shift(words: list[int], start: int, length: int, target: int) -> list[int]:
    """``lib_ter._perform_shift``: ``words`` with the span at ``start`` moved before ``target``."""
    span = words[start : start + length]
    if target < start:
        return words[:target] + span + words[target:start] + words[start + length :]
    if target > start + length:
        return words[:start] + words[start + length : target] + span + words[target:]
    return words[:start] + words[start + length : length + target] + span + words[length + target :]


def beam_bounds(n_hyp: int, n_ref: int) -> list[tuple[int, int]]:
    """Per matrix row (index 1…n_hyp; row 0 is the initial row) the columns [lo, hi) that
    ``BeamEditDistance`` computes: around the pseudo-diagonal, the last row whole."""
    length_ratio = n_ref / n_hyp if n_hyp else 1
    beam_width = math.ceil(length_ratio / 2 + BEAM_WIDTH) if BEAM_WIDTH < length_ratio / 2 else BEAM_WIDTH
    bounds = [(0, n_ref + 1)]
    for i in range(1, n_hyp + 1):
        pseudo_diag = math.floor(i * length_ratio)
        hi = n_ref + 1 if i == n_hyp else min(n_ref + 1, pseudo_diag + beam_width)
        bounds.append((max(0, pseudo_diag - beam_width), hi))
    return bounds
