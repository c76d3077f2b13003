"""Build small run directories (segment, translate and align artifacts) without running the model.

Score and export tests start from these, so they are fast and their inputs are known exactly.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from pipeline import artifacts
from pipeline.config import Config, build_config
from pipeline.io import atomic_write_text, write_json, write_jsonl
from pipeline.records import Bead, Sentence, Translation


@dataclass
class Unit:
    """One bead: Japanese sentences with their MT, matched to English reference sentences."""

    ja: list[str]
    mt: list[str]
    ref: list[str] = field(default_factory=list)
    score: float = 0.9
    partial: bool = False
    flags: list[str] = field(default_factory=list)  # of each of its translations
    retried: str | None = None


def write_run(run_dir: Path, units: list[Unit], overrides: dict | None = None) -> Config:
    """Write config.yaml, sentences/translations/alignment and an empty manifest; return the config."""
    data: dict = {"run": {"name": run_dir.name, "output_dir": str(run_dir.parent)}}
    for key, value in (overrides or {}).items():
        section, _, name = key.partition(".")
        data.setdefault(section, {})[name] = value
    config = build_config(data)
    run_dir.mkdir(parents=True, exist_ok=True)
    sentences, translations, beads = [], [], []
    n_ja = n_en = 0
    for para, unit in enumerate(units):
        src_ids, ref_ids = [], []
        for text, mt in zip(unit.ja, unit.mt):
            n_ja += 1
            seg = f"ja{n_ja:05d}"
            src_ids.append(seg)
            sentences.append(Sentence(seg, "doc1", para, "ja", "body", text))
            translations.append(Translation(seg, mt, flags=list(unit.flags), retried=unit.retried))
        for text in unit.ref:
            n_en += 1
            seg = f"en{n_en:05d}"
            ref_ids.append(seg)
            sentences.append(Sentence(seg, "doc1", para, "en", "reference", text, unit.partial))
        beads.append(Bead(src_ids, ref_ids, unit.score if src_ids and ref_ids else 0.0, unit.partial))
    atomic_write_text(run_dir / artifacts.CONFIG, config.to_yaml())
    write_jsonl(run_dir / artifacts.SENTENCES, sentences)
    write_jsonl(run_dir / artifacts.TRANSLATIONS, translations)
    write_jsonl(run_dir / artifacts.ALIGNMENT, beads)
    write_json(run_dir / artifacts.MANIFEST, {"stages": {}})
    return config
