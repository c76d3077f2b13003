"""The config defaults typed in the docs (README.md, docs/*.md) are the schema's (pipeline/config.py).

A default is stated in a ``| key | default | … |`` table under a heading that names its section
(``## Settings (`translate.*`)``, ``## Scores (`score:` section)``), or inline next to a key:
``segment.max_reference_chars`` (2000), ``segment.max_chars``, default 400, ``formats`` (default
``[tsv, …]``) under a section's heading, ``tmx_target``: ``reference_or_mt`` (default: …).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml

from pipeline.config import Config

REPO = Path(__file__).resolve().parent.parent
# a dated log (docs/*-log.md) records the settings of its day, not the defaults of today
DOCS = [REPO / "README.md", *sorted(p for p in (REPO / "docs").glob("*.md") if not p.stem.endswith("-log"))]
DEFAULTS: dict[str, dict[str, Any]] = Config().to_dict()

KEY = r"`(?:(?P<section>[a-z_]+)\.)?(?P<key>[a-z_]+)`"
VALUE = r"(?P<value>`[^`]+`|\d{1,3}(?:,\d{3})+(?!\d)|[^\s`),;:]+)"  # a number may group its digits: 2,000
INLINE = [  # (pattern, whether a bare key under a section's heading counts)
    (re.compile(KEY + r"\s*\(\s*default:?\s+" + VALUE), True),  # `key` (default 400
    (re.compile(KEY + r",\s*default:?\s+" + VALUE), True),  # `key`, default 400
    (re.compile(KEY + r":\s*" + VALUE + r"\s*\(default\b"), True),  # `key`: `value` (default: …)
    (re.compile(KEY + r"\s*\(\s*" + VALUE + r"\s*[):;,]"), False),  # `section.key` (2000)
]
HEADING = re.compile(r"^#{1,6} .*$", re.MULTILINE)
HEADING_SECTION = re.compile(r"`([a-z_]+)(?:\.\*|:)?`")
TABLE_HEADER = re.compile(r"^\|\s*key\s*\|\s*default\s*\|", re.MULTILINE | re.IGNORECASE)


@dataclass(frozen=True)
class Stated:
    """One default stated in the docs: where, for which key, and the text of the value."""

    where: str
    section: str | None
    key: str
    text: str


def section_at(text: str, offset: int) -> str | None:
    """The config section the last heading before ``offset`` names (`align.*`, `score:`, `run`), if any."""
    headings = [m for m in HEADING.finditer(text) if m.start() < offset]
    if not headings:
        return None
    names = [n for n in HEADING_SECTION.findall(headings[-1].group()) if n in DEFAULTS]
    return names[0] if names else None


def line_of(text: str, offset: int) -> int:
    return text.count("\n", 0, offset) + 1


def split_top_level(cell: str) -> list[str]:
    """``2.0, 16`` / ```6.0` / `2.0``` → the values; commas inside backticks or brackets do not split."""
    parts, depth, ticks, start = [], 0, False, 0
    for i, ch in enumerate(cell):
        ticks ^= ch == "`"
        depth += (ch in "[(") - (ch in "])")
        if ch in ",/" and not ticks and depth == 0:
            parts.append(cell[start:i])
            start = i + 1
    return [p.strip() for p in [*parts, cell[start:]]]


def table_rows(path: Path, text: str) -> list[Stated]:
    stated = []
    for header in TABLE_HEADER.finditer(text):
        section = section_at(text, header.start())
        where = f"{path.relative_to(REPO)}:{line_of(text, header.start())}"
        assert section, f"{where}: a `| key | default |` table under a heading that names no config section"
        body = text[header.end() :].split("\n", 2)[2]  # past the header's line and the |---| line
        for offset, row in enumerate(body.split("\n")):
            if not row.startswith("|"):
                break
            cells = [c.strip() for c in row.strip().strip("|").split("|")]
            keys = re.findall(KEY, cells[0])
            values = split_top_level(cells[1]) if len(keys) > 1 else [cells[1]]
            values = values if len(values) == len(keys) else [cells[1]] * len(keys)
            row_where = f"{path.relative_to(REPO)}:{line_of(text, header.start()) + 2 + offset}"
            stated += [Stated(row_where, s or section, k, v) for (s, k), v in zip(keys, values)]
    return stated


def inline_mentions(path: Path, text: str) -> list[Stated]:
    stated = []
    for pattern, bare_ok in INLINE:
        for m in pattern.finditer(text):
            if m["section"] and m["section"] not in DEFAULTS:
                continue  # a file name (`bitext.tmx`), not a key
            section = m["section"] or (section_at(text, m.start()) if bare_ok else None)
            if section is None or (not m["section"] and m["key"] not in DEFAULTS[section]):
                continue  # a bare name that is no key of the section the text is about
            stated.append(Stated(f"{path.relative_to(REPO)}:{line_of(text, m.start())}", section, m["key"], m["value"]))
    return stated


def documented_defaults() -> list[Stated]:
    found = []
    for path in DOCS:
        text = path.read_text(encoding="utf-8")
        found += table_rows(path, text) + inline_mentions(path, text)
    return found


def parse_value(text: str) -> Any:
    """The value as YAML would read it: backticks and a trailing remark in brackets dropped; none → null."""
    text = re.sub(r"\s*\([^`]*\)$", "", text.strip()).strip("`").strip()
    if re.fullmatch(r"\d{1,3}(?:,\d{3})+", text):
        text = text.replace(",", "")  # 2,000 is the number 2000
    return None if text.lower() == "none" else yaml.safe_load(text)


STATED = documented_defaults()


def test_the_docs_state_defaults_of_every_section_the_parser_knows() -> None:
    # the parser still finds what the docs state: tables for align, translate, score and run, and inline defaults
    assert {s.section for s in STATED} >= {"align", "translate", "score", "run", "segment", "export"}
    assert len(STATED) >= 40


@pytest.mark.parametrize("stated", STATED, ids=[f"{s.where}:{s.section}.{s.key}" for s in STATED])
def test_a_documented_default_is_the_schema_default(stated: Stated) -> None:
    assert stated.section in DEFAULTS, f"{stated.where}: no config section {stated.section!r}"
    section = DEFAULTS[stated.section]
    assert stated.key in section, f"{stated.where}: {stated.section}.{stated.key} is no config key"
    assert parse_value(stated.text) == section[stated.key], (
        f"{stated.where}: the docs say {stated.section}.{stated.key} defaults to {stated.text}, "
        f"the schema says {section[stated.key]!r}"
    )


@pytest.mark.parametrize(
    "text, expected",
    [
        ("`segment.max_reference_chars` (2000), not the Japanese cap", [("segment", "max_reference_chars", "2000")]),
        ("`align.min_confidence` (0.5: more likely wrong than right)", [("align", "min_confidence", "0.5")]),
        ("`segment.max_chars`,\n   default 400, for Japanese", [("segment", "max_chars", "400")]),
        ("`align.merge_weight` (most beads are 1-1; a merge must earn", []),
        ("## Exports (`export:` section)\n\n`formats` (default `[tsv]`; …)", [("export", "formats", "`[tsv]`")]),
        ("## Exports (`export:` section)\n\n`nope` (default 3)", []),
    ],
)
def test_inline_defaults_are_found(text: str, expected: list[tuple[str, str, str]]) -> None:
    found = inline_mentions(REPO / "x.md", text)
    assert [(s.section, s.key, s.text) for s in found] == expected


def test_table_rows_split_several_keys_and_values() -> None:
    text = (
        "## Settings (`translate.*`)\n\n| key | default | meaning |\n|---|---|---|\n"
        "| `max_new_tokens_ratio`, `max_new_tokens_min` | 2.0, 16 | caps |\n"
        "| `num_beams`, `length_penalty` | `null` | the model's |\n"
        "| `cache`, `cache_dir` | true, `outputs/.cache` | the cache |\n\nAfter the table.\n"
    )
    got = [(s.key, parse_value(s.text)) for s in table_rows(REPO / "x.md", text)]
    assert got == [
        ("max_new_tokens_ratio", 2.0),
        ("max_new_tokens_min", 16),
        ("num_beams", None),
        ("length_penalty", None),
        ("cache", True),
        ("cache_dir", "outputs/.cache"),
    ]
    assert parse_value("`null` (auto)") is None and parse_value("none") is None
    assert parse_value("`[bleu, chrf, ter]`") == ["bleu", "chrf", "ter"]
