"""The character n-grams of a document, numbered once with numpy, and each text's as bit masks.

A document's MT sentences run together (whitespace removed) make one stream, its reference sentences
another. :meth:`Vocabulary.of` numbers the n-grams of both streams per order 1..6 (of the reference
stream alone where the references are far shorter, ``chrf.REFERENCES_SHARE``: the MT's are looked up
in it, and an MT n-gram no reference has matches nothing) and gives each n-gram as many bits as it has
occurrences in one numbered stream at most: the k-th occurrence of n-gram g in a text is bit
``start[g] + k - 1``. A text's occurrences of one order are then one Python int, and the
n-grams two texts share, counted as sacrebleu counts them (the smaller count of each), are the bits
their masks share. Every text an aligner compares — a sentence, two neighbours joined, a prefix, a
piece of one — is a piece of a stream, found from the streams' numbers (:func:`located`, no lookup;
a hypothesis's occurrences past the bits are left out: no reference has them); another text is looked
up (:func:`occurrences`), and its occurrences outside the vocabulary are kept as strings.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property, reduce
from itertools import accumulate

import numpy as np
from sacrebleu.metrics import CHRF

ORDERS = CHRF.CHAR_ORDER  # sentence_chrf's character n-gram orders (6)
NTH = "\x00"  # separates an n-gram outside the vocabulary from its occurrence number
# A document whose n-gram occurrences need more bits than this (all orders; ~9 per character) keeps
# each text's as a frozenset of their bit numbers instead of an int (the same counts: ``len(h & r)``).
MASK_BITS = 1 << 20
PACK_BYTES = 1 << 23  # texts whose masks are packed together: at most this many bytes of bits at once
# A table of one byte per bit is packed where it has at most this many bytes per bit set (numpy does
# that in bulk); a sparser one has each bit or-ed into its byte (slower per bit, but touches fewer bytes).
SPREAD_BITS = 64
NO_BIT = -1  # an occurrence past its n-gram's room (:func:`located`): in no mask

Keys = tuple  # per order: an int (bit mask) or a frozenset of bit numbers (a large vocabulary)


def codepoints(line: str) -> np.ndarray:
    """The code points of ``line`` (a lone surrogate as its own code point)."""
    return np.frombuffer(line.encode("utf-32-le", "surrogatepass"), dtype=np.uint32).astype(np.int64)


@dataclass(frozen=True)
class Vocabulary:
    """The character n-grams of some streams, numbered per order: ``codes[n - 1]`` sorted (order 1:
    code points; order n: number of the (n-1)-gram × characters + number of its last character);
    the occurrences of n-gram g take bits ``start[n - 1][g]`` to ``start + room[n - 1][g]``, its most
    occurrences in one stream (and ``room[n - 1][-1]``, 0: n-gram -1, none, has no bits); order n's
    bits start at ``offsets[n - 1]`` (a byte boundary), ``offsets[-1]`` bits in all."""

    codes: tuple[np.ndarray, ...] = ()
    start: tuple[np.ndarray, ...] = ()
    room: tuple[np.ndarray, ...] = ()
    offsets: tuple[int, ...] = (0,) * (ORDERS + 1)

    @classmethod
    def of(
        cls, streams: Sequence[np.ndarray], counted: Sequence[int] | None = None
    ) -> tuple[Vocabulary, list[list[np.ndarray]]]:
        """The vocabulary of ``streams`` (code points), and per stream and order the number of the
        n-gram at each position. ``counted``: the streams numbered (default: all; each n-gram's bits:
        its most occurrences in one of them); the others' n-grams are looked up in theirs (-1: none)."""
        if counted is not None:
            vocab, numbered = cls.of([streams[s] for s in counted])
            mine = dict(zip(counted, numbered))
            return vocab, [mine[s] if s in mine else vocab.numbers(stream) for s, stream in enumerate(streams)]
        chars, first = np.unique(np.concatenate(streams), return_inverse=True)
        first = _split(first, [len(s) for s in streams])
        ids, codes, numbers, offsets = first, [chars], [first], [0]
        start, room = [], []
        for n in range(1, ORDERS + 1):
            if n > 1:
                grams = [prev[: max(len(f) - n + 1, 0)] * len(chars) + f[n - 1 :] for prev, f in zip(ids, first)]
                found, inverse = np.unique(np.concatenate(grams), return_inverse=True)
                codes.append(found)
                ids = _split(inverse, [len(g) for g in grams])
                numbers.append(ids)
            most = reduce(np.maximum, [np.bincount(i, minlength=len(codes[-1])) for i in ids])
            start.append(np.append(offsets[-1] + np.cumsum(most) - most, 0))
            room.append(np.append(most, 0))  # n-gram -1 (none of the vocabulary's): no bits
            offsets.append(offsets[-1] - (-int(most.sum()) // 8) * 8)  # the next order starts on a byte
        per_stream = [[numbers[n][s] for n in range(ORDERS)] for s in range(len(streams))]
        return cls(tuple(codes), tuple(start), tuple(room), tuple(offsets)), per_stream

    @property
    def bits(self) -> int:
        return self.offsets[-1]

    def numbers(self, text: np.ndarray) -> list[np.ndarray]:
        """Per order n, the number of the n-gram at each position of ``text`` (code points), -1 where
        the vocabulary has none."""
        if not self.codes:
            return [np.full(max(len(text) - n + 1, 0), -1, dtype=np.int64) for n in range(1, ORDERS + 1)]
        out: list[np.ndarray] = []
        first = prev = self._find(1, text)
        for n in range(1, ORDERS + 1):
            if n > 1:
                head, tail = prev[: max(len(text) - n + 1, 0)], first[n - 1 :]
                query = head * len(self.codes[0]) + tail
                query[(head < 0) | (tail < 0)] = -1
                prev = self._find(n, query)
            out.append(prev)
        return out

    def _find(self, n: int, query: np.ndarray) -> np.ndarray:
        codes = self.codes[n - 1]
        if not len(codes):
            return np.full(len(query), -1, dtype=np.int64)
        at = np.minimum(np.searchsorted(codes, query), len(codes) - 1)
        return np.where(codes[at] == query, at, -1)


def _split(array: np.ndarray, sizes: Sequence[int]) -> list[np.ndarray]:
    """``array`` cut into consecutive pieces of ``sizes`` (as ``np.split`` at their running sums)."""
    ends = list(accumulate(sizes, initial=0))
    return [array[a:b] for a, b in zip(ends, ends[1:])]


def ranks(groups: np.ndarray) -> np.ndarray:
    """Each element's occurrence number among the equal elements before it (0 for the first)."""
    size = len(groups)
    out = np.empty(size, dtype=np.int64)
    if not size:
        return out
    shift = size.bit_length()  # bits of a position
    if int(groups.max()) >= 1 << (62 - shift):  # no room to sort (group, position) as one number
        order = np.argsort(groups, kind="stable")
        ordered = groups[order]
    else:
        keyed = np.sort((groups << shift) | np.arange(size))  # by group, then position: a plain sort
        ordered = keyed >> shift
        order = keyed & ((1 << shift) - 1)
    new = np.ones(size, dtype=bool)
    np.not_equal(ordered[1:], ordered[:-1], out=new[1:])
    first = np.maximum.accumulate(np.where(new, np.arange(size), 0))
    out[order] = np.arange(size) - first
    return out


@dataclass(frozen=True)
class Occurrences:
    """The n-gram occurrences of some texts: per order, the text and the bit of each occurrence in
    the vocabulary (texts in order, each text's in its order of position); per text and order, those
    outside the vocabulary, as strings."""

    owner: list[np.ndarray]
    bits: list[np.ndarray]
    extra: list[list[frozenset[str]]]

    def unbitted(self) -> set[int]:
        """The texts with an occurrence without a bit (``NO_BIT``, :func:`located`)."""
        found = np.zeros(len(self.extra), dtype=bool)  # one entry per text
        for owner, bits in zip(self.owner, self.bits):
            found[owner[bits < 0]] = True
        return set(np.flatnonzero(found).tolist())

    def of_text(self, t: int) -> list[np.ndarray]:
        """Text ``t``'s bits per order, in its order of position."""
        return [bits[ends[t] : ends[t + 1]] for ends, bits in zip(self._ends, self.bits)]

    @cached_property
    def _ends(self) -> list[list[int]]:
        """Per order, where each text's occurrences start, and the last's end (found once for all texts)."""
        count = len(self.extra)  # one entry per text
        return [np.searchsorted(owner, np.arange(count + 1)).tolist() for owner in self.owner]


def located(vocab: Vocabulary, numbers: list[np.ndarray], spans: Sequence[tuple[int, int]]) -> Occurrences:
    """The occurrences of the texts ``spans`` ((start, end) in a stream whose numbers per order are
    ``numbers``): one outside the vocabulary or past its n-gram's room (a stream not counted,
    :meth:`Vocabulary.of`) has bit ``NO_BIT``: it matches nothing."""
    owners, found = [], []
    for n in range(1, ORDERS + 1):
        pieces = [numbers[n - 1][a : max(b - n + 1, a)] for a, b in spans]
        ids = np.concatenate(pieces) if pieces else np.zeros(0, dtype=np.int64)
        owner = np.repeat(np.arange(len(spans)), [len(p) for p in pieces])
        rank = ranks(owner * (len(vocab.codes[n - 1]) + 2) + ids + 1)  # ids -1 (none): the room's last entry, 0
        found.append(np.where(rank < vocab.room[n - 1][ids], vocab.start[n - 1][ids] + rank, NO_BIT))
        owners.append(owner)
    return Occurrences(owners, found, [[frozenset()] * ORDERS for _ in spans])


def occurrences(vocab: Vocabulary, lines: Sequence[str]) -> Occurrences:
    """The occurrences of the n-grams of ``lines`` (texts without whitespace), looked up together."""
    sizes = np.array([len(line) for line in lines], dtype=np.int64)
    ends = np.cumsum(sizes)
    owner = np.repeat(np.arange(len(lines)), sizes)
    owners, found, outside = [], [], []
    for n, number in enumerate(vocab.numbers(codepoints("".join(lines))), 1):
        who = owner[: len(number)]
        valid = np.arange(len(number)) + n <= ends[who]  # the n-gram lies inside its text
        known = valid & (number >= 0)
        safe = np.where(known, number, 0)
        rank = ranks(who * (len(vocab.codes[n - 1]) + 1 if vocab.codes else 1) + number + 1)
        inside = known & (rank < (vocab.room[n - 1][safe] if vocab.codes else 0))
        owners.append(who[inside])
        found.append((vocab.start[n - 1][safe] + rank)[inside] if vocab.codes else who[:0])
        outside.append(np.flatnonzero(valid & ~inside))
    extra: list[list[frozenset[str]]] = [[frozenset()] * ORDERS for _ in lines]
    for n, positions in enumerate(outside, 1):
        for t in np.unique(owner[positions]).tolist():
            mine = positions[owner[positions] == t] - (ends[t] - sizes[t])
            extra[t][n - 1] = named(lines[t], n, mine.tolist())
    return Occurrences(owners, found, extra)


def named(line: str, n: int, positions: list[int]) -> frozenset[str]:
    """The occurrences at ``positions`` (n-grams of ``line``) as n-gram + ``NTH`` + occurrence number."""
    seen: dict[str, int] = {}
    numbered = []
    for p in range(len(line) - n + 1):
        g = line[p : p + n]
        seen[g] = seen.get(g, 0) + 1
        numbered.append(f"{g}{NTH}{seen[g]}")
    return frozenset(numbered[p] for p in positions)


def masks(vocab: Vocabulary, occ: Occurrences, count: int) -> list[Keys]:
    """Per text: each order's bits as one int (a frozenset of bit numbers in a large vocabulary);
    occurrences without a bit (``NO_BIT``) left out."""
    return masks_of(vocab, np.concatenate(occ.owner), np.concatenate(occ.bits), count)


def masks_of(vocab: Vocabulary, owner: np.ndarray, bits: np.ndarray, count: int) -> list[Keys]:
    """:func:`masks` of the occurrences of every order run together: the text and the bit of each (the bits
    tell the orders apart)."""
    if len(bits) and bits.min() < 0:
        kept = bits >= 0
        owner, bits = owner[kept], bits[kept]
    if vocab.bits > MASK_BITS:
        return _sets(vocab, owner, bits, count)
    out: list[Keys] = []
    rows = max(1, PACK_BYTES // max(vocab.bits, 8))
    ends = [o // 8 for o in vocab.offsets]
    cuts = list(zip(ends, ends[1:]))  # each order's bytes in a row
    for at in range(0, count, rows):
        last = min(at + rows, count)
        mine = slice(None) if last - at == count else (owner >= at) & (owner < last)
        table = _packed(owner[mine] - at, bits[mine], last - at, ends[-1])
        raw, width = table.tobytes(), table.shape[1]
        for row in range(0, (last - at) * width, width):
            out.append(tuple([int.from_bytes(raw[row + a : row + b], "little") for a, b in cuts]))
    return out


def _sets(vocab: Vocabulary, owner: np.ndarray, bits: np.ndarray, count: int) -> list[Keys]:
    """Per text, each order's bits as a frozenset of bit numbers (a large vocabulary's masks)."""
    order = np.searchsorted(np.array(vocab.offsets[1:]), bits, side="right")  # each bit's order (0: order 1)
    sets: list[list[list[int]]] = [[[] for _ in range(ORDERS)] for _ in range(count)]
    for t, n, b in zip(owner.tolist(), order.tolist(), bits.tolist()):
        sets[t][n].append(b)
    return [tuple(frozenset(bits) for bits in text) for text in sets]


def _packed(owner: np.ndarray, bits: np.ndarray, rows: int, width: int) -> np.ndarray:
    """A ``rows`` × ``width`` byte table with bit ``bits[k]`` of row ``owner[k]`` set (little-endian
    bits), made by whichever way touches fewer bytes: a table of one byte per bit, packed, where the
    texts are small against the vocabulary, else each bit or-ed into its byte."""
    if rows * width * 8 <= SPREAD_BITS * max(len(bits), 1):
        table = np.zeros((rows, max(width, 1) * 8), dtype=bool)
        table[owner, bits] = True
        return np.packbits(table, axis=1, bitorder="little")
    table = np.zeros(rows * width, dtype=np.uint8)
    np.bitwise_or.at(table, owner * width + (bits >> 3), np.left_shift(1, bits & 7).astype(np.uint8))
    return table.reshape(rows, width)
