"""Nothing silent: what can be wrong with one machine translation, named by a flag.

``truncated`` (generation stopped at the new-token cap) and ``unk`` (the model produced its unknown
token) come from the decoder, per output (see ``base.Output``); ``repeated`` (a repeated n-gram loop)
and ``empty`` (no text for a non-blank source) are read off the text here. A record carries its
flags as a list in the canonical order of ``FLAGS``; the TSV writes them comma-separated.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

FLAGS = ("truncated", "repeated", "empty", "unk")

# A loop: one n-gram of up to MAX_N words repeated back to back; a single word must come four times
# in a row ("very very very" is English), a longer n-gram three times.
MAX_N = 8
MIN_REPEATS = {1: 4}
DEFAULT_REPEATS = 3
# ...or a run of two or more characters repeated four times with no space between (防衛防衛防衛防衛)
_CHARACTER_LOOP = re.compile(r"(\S{2,}?)\1{3,}")


def ordered(flags: Iterable[str]) -> list[str]:
    """The distinct flags in the canonical order of ``FLAGS``."""
    given = set(flags)
    unknown = given - set(FLAGS)
    if unknown:
        raise ValueError(f"unknown translation flag(s): {', '.join(sorted(unknown))} (valid: {', '.join(FLAGS)})")
    return [f for f in FLAGS if f in given]


def repeated_ngram(text: str, max_n: int = MAX_N) -> bool:
    """True when some n-gram of words (n ≤ ``max_n``) repeats back to back often enough to be a loop,
    or a run of characters does within a word."""
    if _CHARACTER_LOOP.search(text):
        return True
    words = text.lower().split()
    for n in range(1, max_n + 1):
        need = MIN_REPEATS.get(n, DEFAULT_REPEATS)
        if len(words) < n * need:
            break
        for start in range(len(words) - n * need + 1):
            gram = words[start : start + n]
            if all(words[start + k * n : start + (k + 1) * n] == gram for k in range(1, need)):
                return True
    return False


def text_flags(source: str, translation: str) -> list[str]:
    """The flags read off the text of one translation."""
    found = []
    if source.strip() and not translation.strip():
        found.append("empty")
    if repeated_ngram(translation):
        found.append("repeated")
    return ordered(found)


def format_flags(flags: Iterable[str]) -> str:
    """The TSV cell: comma-separated, blank for none."""
    return ",".join(ordered(flags))


def count_flags(flag_lists: Iterable[Iterable[str]]) -> dict[str, int]:
    """How many records carry each flag (every flag listed, zeros included)."""
    counts = dict.fromkeys(FLAGS, 0)
    for flags in flag_lists:
        for f in set(flags):
            counts[f] += 1
    return counts


# What ``translate.on_truncation: retry`` did to a cut translation: translated it again with a higher
# cap, or split its source at a clause. A record names them "+"-joined ("cap+split"), none: None.
RETRIES = ("cap", "split")


def join_retried(hows: Iterable[str]) -> str | None:
    """The record's ``retried`` value for what was done to its pieces."""
    return "+".join(sorted(set(hows))) or None


def split_retried(retried: str | None) -> list[str]:
    return retried.split("+") if retried else []


def count_retried(values: Iterable[str | None]) -> dict[str, int]:
    """How many records each retry was done for (every retry listed, zeros included)."""
    counts = dict.fromkeys(RETRIES, 0)
    for value in values:
        for how in split_retried(value):
            counts[how] = counts.get(how, 0) + 1
    return counts
