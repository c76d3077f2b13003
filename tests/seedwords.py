"""The seed page's dictionary words (and any text's), as the lexicon's tests look them up."""

from __future__ import annotations

import unicodedata
from pathlib import Path

from pipeline.align.lexicon import _tag

SEED = Path(__file__).resolve().parent.parent / "data" / "seed_ja.txt"


def seed_words() -> list[str]:
    """Every word of the seed, its lemma and each word joined with the next (as compounds are)."""
    return text_words(SEED.read_text(encoding="utf-8").splitlines())


def text_words(lines: list[str]) -> list[str]:
    """Every word of ``lines``, its lemma and each word joined with the next, in order, once each."""
    words: dict[str, None] = {}
    for line in lines:
        tokens = list(_tag(unicodedata.normalize("NFKC", line)))
        for k, w in enumerate(tokens):
            words[w.surface] = None
            if isinstance(w.feature.lemma, str):
                words[w.feature.lemma.partition("-")[0]] = None
            if k + 1 < len(tokens):
                words[w.surface + tokens[k + 1].surface] = None
    return list(words)
