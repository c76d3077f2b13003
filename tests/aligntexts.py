"""Sentences of one small document for the aligner's unit tests, written as text."""

from __future__ import annotations

from collections.abc import Sequence

from pipeline.records import Sentence


def sentences(lang: str, texts: Sequence[tuple[int, str] | str]) -> list[Sentence]:
    """``ja1``, ``ja2``, … (or ``en1``, …) of ``doc1``: each text with its paragraph (``(2, "…")``) or in
    paragraph 1; a reference sentence ending in "…" is a truncated (partial) one."""
    kind = "body" if lang == "ja" else "reference"
    out = []
    for k, item in enumerate(texts, 1):
        para, text = item if isinstance(item, tuple) else (1, item)
        out.append(Sentence(f"{lang}{k}", "doc1", para, lang, kind, text, partial=text.endswith("…")))
    return out
