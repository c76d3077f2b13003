"""File names of the artifacts in a run directory (the contract between stages).

Which stage writes which file is declared by the stage classes (``Stage.produces``); :func:`producer`
and :func:`stage_files` derive from those declarations. A new stage may name its own files in its
own package: nothing here needs to change for it.
"""

from __future__ import annotations

from collections.abc import Sequence

CONFIG = "config.yaml"  # written by the runner
MANIFEST = "manifest.json"  # written by the runner
SENTENCES = "sentences.jsonl"
DROPPED = "dropped.jsonl"
TRANSLATIONS = "translations.jsonl"
ALIGNMENT = "alignment.jsonl"
SCORES = "scores.json"
BITEXT_TSV = "bitext.tsv"
BITEXT_JSONL = "bitext.jsonl"
SUMMARY = "summary.md"
BITEXT_TMX = "bitext.tmx"
REPORT = "report.html"
PARTIAL_DIR = ".partial"  # partial outputs of an interrupted stage, kept for a resume (pipeline/partial.py)


def stage_files(names: Sequence[str]) -> list[str]:
    """Every file the stages ``names`` may write, in their order."""
    from .stage import stages

    return [f for name in names for f in stages.get(name)().outputs()]


def producer(artifact: str) -> str:
    """The stage that writes ``artifact`` (``run`` for the runner's own files)."""
    from .stage import stage_classes

    for cls in stage_classes():
        if artifact in cls().outputs():
            return cls.name
    return "run"
