"""The run config: one validated schema (pydantic), YAML loading and dotted ``key=value`` overrides."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from .errors import ConfigError


class Section(BaseModel):
    """Base of every config section: unknown keys are errors, values are validated on assignment."""

    model_config = ConfigDict(extra="forbid", validate_assignment=True)


class RunSection(Section):
    name: str = Field("default", description="run directory name under output_dir")
    output_dir: Path = Field(Path("outputs"), description="parent of run directories")
    engine: Literal["local", "ray"] = Field(
        "local", description="local | ray (translation on Ray Data; segment, align, score as Ray tasks)"
    )
    ray_address: str | None = Field(
        None, description="join this Ray cluster (host:port, ray://host:port, auto); None: RAY_ADDRESS or a local Ray"
    )
    num_workers: int = Field(
        1, ge=1, description="translation actors (engine: ray); a local Ray gets this many CPUs, at least run.workers"
    )
    workers: int = Field(
        0,
        ge=0,
        description="worker processes of segment, align and score (engine: local; engine: ray: a local Ray's CPUs);"
        " 0: the cores available (never changes output)",
    )
    seed: int = 0
    resume: bool = Field(True, description="skip stages already complete for the same config and inputs")


class InputSection(Section):
    path: Path = Field(Path("data/seed_ja.txt"), description="Japanese input: a file, a directory or a glob")
    encoding: str = Field("auto", description="'auto' detects UTF-8/16, Shift_JIS, EUC-JP, …")
    format: Literal["auto", "text", "jsonl"] = Field("auto", description="auto: by suffix (.jsonl → jsonl)")
    pattern: str = Field("*.txt", description="documents taken from a directory `path`")
    text_field: str = Field("text", description="JSONL: the field holding a document's text")
    id_field: str | None = Field(None, description="JSONL / dataset: field naming a document (default: its line/row)")
    hf_dataset: str | None = Field(None, description="a datasets.load_from_disk dir, a data file, or a hub id")
    split: str = Field("train", description="dataset split")
    column: str = Field("text", description="dataset column holding a document's text")


class SegmentSection(Section):
    method: str = Field("rules", description="registered segmenter")
    dedupe: bool = Field(True, description="keep one copy of repeated paragraphs")
    max_chars: int = Field(400, gt=20, description="split Japanese sentences longer than this at a safe point")
    max_reference_chars: int = Field(
        2000,
        gt=20,
        description="split English reference sentences longer than this (they are compared, never translated)",
    )


class ReferenceSection(Section):
    from_input: bool = Field(True, description="use English text embedded in the input as reference")
    path: Path | None = Field(
        None, description="external English reference (paragraphs by blank lines); a directory: DIR/<document>.txt"
    )
    encoding: str = "auto"
    field: str | None = Field(None, description="per-document references: JSONL field or dataset column")


class TranslateSection(Section):
    backend: str = Field("hf", description="registered translation backend (hf, ct2, file)")
    file: Path | None = Field(
        None,
        description="backend file: JSONL {source, translation} or source<TAB>translation TSV, by normalised source",
    )
    fallback: Literal["hf", "ct2"] | None = Field(
        None, description="backend file: translate sentences missing from the file with this backend (None: error)"
    )
    model: str = Field("Helsinki-NLP/opus-mt-ja-en", description="hub id or local directory")
    revision: str | None = None
    build_tiny: bool = Field(False, description="build the tiny offline model at `model` if it is missing")
    num_beams: int | None = Field(None, ge=1, description="None: the model's generation config")
    max_new_tokens_ratio: float = Field(2.0, gt=0, description="max new tokens per source token")
    max_new_tokens_min: int = Field(16, ge=1)
    max_batch_size: int | None = Field(
        None, ge=1, description="sentences per generate call; None: auto (32 on CPU, sized by GPU memory on CUDA)"
    )
    max_batch_tokens: int | None = Field(
        None, ge=16, description="padded-token budget of one length-sorted batch; None: auto (4096 on CPU)"
    )
    dtype: Literal["auto", "float32", "float16", "bfloat16"] = Field(
        "auto", description="hf: weights and activations; auto = float32 on CPU, float16 on CUDA"
    )
    max_source_tokens: int | None = Field(None, ge=8, description="None: the model's limit")
    device: str = Field("auto", description="auto | cpu | cuda | cuda:N")
    threads: int = Field(0, ge=0, description="0: library default")
    cache: bool = True
    cache_dir: Path = Field(Path("outputs/.cache"), description="translation cache shared by runs")
    compute_type: Literal[
        "auto",
        "default",
        "int8",
        "int8_float32",
        "int8_float16",
        "int8_bfloat16",
        "int16",
        "float16",
        "bfloat16",
        "float32",
    ] = Field("auto", description="ct2: auto = int8 on CPU, int8_float16 on CUDA")
    ct2_dir: Path | None = Field(None, description="ct2: a converted model; None: convert once into cache_dir/ct2")
    length_penalty: float | None = Field(None, description="None: the model's generation config")
    no_repeat_ngram_size: int | None = Field(None, ge=0, description="None: the model's generation config")
    repetition_penalty: float | None = Field(None, gt=0, description="None: the model's generation config")
    min_new_tokens: int = Field(0, ge=0, description="forbid end of sentence before this many tokens")
    stream_chunk: int = Field(5000, ge=1, description="sentences read, translated and written per chunk")
    on_truncation: Literal["flag", "retry"] = Field(
        "flag", description="an output cut at the new-token cap: flag it, or retry (2x the cap, then split at a clause)"
    )


class AlignSection(Section):
    method: str = Field("hybrid", description="registered aligner")
    threshold: float = Field(
        0.35, ge=0, le=1, description="evidence chain: beads scoring at or below are no confident link"
    )
    length_weight: float = Field(0.3, ge=0, le=1, description="how much the length ratio modulates the evidence")
    max_candidates: int = Field(10, ge=1, description="reference sentences compared with each source sentence")
    realign_gaps: bool = Field(True, description="re-align the sentences between confident links by length + evidence")
    merge_weight: float = Field(
        0.8, ge=0, le=1, description="evidence chain: a 2-1 / 1-2 bead's score is weighed by this"
    )
    min_anchors: int = Field(2, ge=1, description="confident links a document needs before its gaps are filled")
    gap_max: int = Field(
        80,
        ge=1,
        description="gaps with more sentences than this on a side are not re-aligned (the gap DP is quadratic)",
    )
    full_coverage: float = Field(
        0.7, ge=0, description="reference/source length share above which a document counts as fully translated"
    )
    skip_full: float = Field(
        6.0, ge=0, description="gap DP: cost of leaving a sentence unaligned, fully translated document"
    )
    skip_partial: float = Field(
        2.0, ge=0, description="gap DP: cost of leaving a sentence unaligned, partial reference"
    )
    cut_references: bool = Field(
        True,
        description="cut a reference sentence that renders two source sentences where they imply"
        " (a heading run into the next sentence)",
    )
    min_confidence: float = Field(
        0.5,
        ge=0,
        le=1,
        description="gap links (and chain links to a truncated reference) whose calibrated confidence is below"
        " stay unaligned",
    )
    band: int = Field(20, ge=1, description="method=length: half-width of the band around the diagonal")
    min_english: float = Field(
        0.15, ge=0, le=1, description="share of English function words below which the reference is not English"
    )


class ScoreSection(Section):
    metrics: list[str] = Field(default_factory=lambda: ["bleu", "chrf", "ter"], description="registered metrics")
    chrf_word_order: int = Field(0, ge=0, le=6, description="chrF word n-gram order: 2 gives chrF++")
    bootstrap: int = Field(1000, ge=0, description="bootstrap resamples for 95% confidence intervals (0: none)")
    seed: int = Field(12345, description="bootstrap RNG seed (sacrebleu's default)")
    partial: Literal["prefix", "exclude"] = Field(
        "prefix", description="truncated references: score against the translation's prefix, or leave out"
    )
    on_empty_reference: Literal["error", "skip"] = Field(
        "skip", description="no row has a reference: warn and write scores.json without scores, or stop with an error"
    )


class ExportSection(Section):
    formats: list[str] = Field(default_factory=lambda: ["tsv", "jsonl", "summary", "tmx", "report"])
    tmx_target: Literal["reference_or_mt", "reference", "mt"] = Field(
        "reference_or_mt", description="English side of TMX units: the full reference where present, else the MT"
    )
    report_all_rows: int = Field(
        500, ge=0, description="report.html shows every row of a run with at most this many; above, a corpus view"
    )
    report_documents: int = Field(
        1000, ge=1, description="report.html: documents in the per-document table at most (beyond: the worst)"
    )
    report_worst_documents: int = Field(
        5, ge=0, description="report.html, corpus view: documents with the lowest chrF whose rows are shown"
    )
    report_rows_per_section: int = Field(
        300, ge=1, description="report.html, corpus view: rows per section (worst documents, flagged, low confidence)"
    )
    report_low_confidence: float = Field(
        0.9, ge=0, le=1, description="report.html: a link whose alignment confidence is below counts as low-confidence"
    )
    report_picture_beads: int = Field(
        2000, ge=0, description="report.html draws the alignment picture of a run with at most this many units"
    )


class Config(Section):
    run: RunSection = Field(default_factory=RunSection)
    input: InputSection = Field(default_factory=InputSection)
    segment: SegmentSection = Field(default_factory=SegmentSection)
    reference: ReferenceSection = Field(default_factory=ReferenceSection)
    translate: TranslateSection = Field(default_factory=TranslateSection)
    align: AlignSection = Field(default_factory=AlignSection)
    score: ScoreSection = Field(default_factory=ScoreSection)
    export: ExportSection = Field(default_factory=ExportSection)

    @property
    def run_dir(self) -> Path:
        return self.run.output_dir / self.run.name

    def to_dict(self) -> dict[str, Any]:
        return self.model_dump(mode="json")

    def to_yaml(self) -> str:
        return yaml.safe_dump(self.to_dict(), sort_keys=False, allow_unicode=True)

    def hash(self, *sections: str) -> str:
        """Stable hash of the whole config or of the named sections."""
        data = self.to_dict()
        if sections:
            data = {s: data[s] for s in sections}
        blob = json.dumps(data, sort_keys=True, ensure_ascii=False).encode()
        return hashlib.sha256(blob).hexdigest()[:16]


def model_at(path: tuple[str | int, ...]) -> type[BaseModel] | None:
    """The section model at a dotted key's ``path`` (``("align",)`` → AlignSection); None where the
    path names a plain value or nothing."""
    model: type[BaseModel] = Config
    for part in path:
        field = model.model_fields.get(str(part))
        ann = field.annotation if field else None
        if not (isinstance(ann, type) and issubclass(ann, BaseModel)):
            return None
        model = ann
    return model


def valid_keys(prefix: str = "") -> list[str]:
    """The keys valid under a dotted prefix ('' for the top level)."""
    parts = tuple(p for p in prefix.split(".") if p)
    model = model_at(parts)
    return list(model.model_fields) if model else []


def _format_validation_error(exc: ValidationError, source: str) -> str:
    messages = []
    for err in exc.errors():
        loc = tuple(str(p) for p in err["loc"])
        key = ".".join(loc)
        if err["type"] == "extra_forbidden":
            keys = valid_keys(".".join(loc[:-1]))
            messages.append(f"unknown key '{key}' (valid: {', '.join(keys)})")
        else:
            got = err.get("input")
            shown = json.dumps(got, ensure_ascii=False, default=str)
            if len(shown) > 60:
                shown = shown[:57] + "..."
            messages.append(f"invalid value for '{key}': {err['msg']} (got {shown})")
    return f"{source}: " + "; ".join(messages)


def parse_override(text: str) -> tuple[list[str], Any]:
    """Parse ``a.b=value``: the value is read as YAML (``2`` → int, ``null`` → None, ``[1, 2]`` → list)."""
    key, sep, raw = text.partition("=")
    key = key.strip()
    if not sep or not key:
        raise ConfigError(f"override {text!r}: expected key.sub=value")
    parts = key.split(".")
    if any(not p for p in parts):
        raise ConfigError(f"override {text!r}: empty part in key '{key}'")
    try:
        value = yaml.safe_load(raw) if raw.strip() else ""
    except yaml.YAMLError:
        value = raw
    return parts, value


def apply_overrides(data: dict[str, Any], overrides: list[str]) -> dict[str, Any]:
    """Set dotted ``key=value`` overrides into a nested config dict (a copy)."""
    result = json.loads(json.dumps(data, default=str))
    for text in overrides:
        parts, value = parse_override(text)
        node = result
        for i, part in enumerate(parts[:-1]):
            child = node.get(part)
            if child is None:
                if model_at(tuple(parts[: i + 1])) is None:
                    prefix = ".".join(parts[:i])
                    raise ConfigError(
                        f"override '{text}': unknown key '{'.'.join(parts[: i + 1])}' "
                        f"(valid: {', '.join(valid_keys(prefix))})"
                    )
                child = node[part] = {}
            elif not isinstance(child, dict):
                raise ConfigError(f"override '{text}': '{'.'.join(parts[: i + 1])}' is not a section")
            node = child
        node[parts[-1]] = value
    return result


def read_config_file(path: str | Path) -> dict[str, Any]:
    p = Path(path)
    if not p.is_file():
        raise ConfigError(f"config file not found: {p}")
    try:
        data = yaml.safe_load(p.read_text(encoding="utf-8"))
    except UnicodeDecodeError:
        raise ConfigError(f"{p}: config is not UTF-8 text") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}" if mark is not None else ""
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise ConfigError(f"{p}: invalid YAML{where}: {problem}") from None
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise ConfigError(f"{p}: top level must be a mapping of sections (valid: {', '.join(valid_keys())})")
    return data


def build_config(data: dict[str, Any], source: str = "config") -> Config:
    try:
        return Config.model_validate(data)
    except ValidationError as exc:
        raise ConfigError(_format_validation_error(exc, source)) from None


def load_config(path: str | Path | None, overrides: list[str] | None = None) -> Config:
    """Load a YAML config (or the defaults when ``path`` is None) and apply overrides."""
    data = read_config_file(path) if path is not None else {}
    data = apply_overrides(data, list(overrides or []))
    return build_config(data, str(path) if path is not None else "config")
