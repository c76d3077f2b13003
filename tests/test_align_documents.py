"""The align stage reads its input one document at a time (pipeline.align.documents), in the order
``by_document`` gives, and writes the alignment it wrote when it held the corpus."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from pipeline import artifacts
from pipeline.align.documents import document_sentences, documents, layout
from pipeline.align.stage import AlignStage, by_document
from pipeline.config import build_config
from pipeline.io import atomic_write_text, read_records, write_json, write_jsonl
from pipeline.records import Bead, Sentence, Translation
from pipeline.stage import RunContext

PAIRS = [
    ("東京は晴れです。", "Tokyo is sunny."),
    ("明日は雨が降るでしょう。", "It will rain tomorrow."),
    ("大阪は雨です。", "Osaka has rain."),
    ("京都の寺は古い。", "The temples of Kyoto are old."),
    ("多くの観光客が訪れた。", "Many tourists visited."),
    ("札幌で雪が降った。", "It snowed in Sapporo."),
]


def pair(doc: str, k: int) -> tuple[str, str]:
    """The k-th sentence pair of a document (its Japanese, and the English that renders it)."""
    return PAIRS[(ord(doc) * 2 + k - 1) % len(PAIRS)]


def sentences_of(plan: list[tuple[str, str]]) -> list[Sentence]:
    """One sentence per (document, lang), in that file order, numbered per language."""
    out: list[Sentence] = []
    counts: dict[tuple[str, str], int] = {}
    for doc, lang in plan:
        k = counts[doc, lang] = counts.get((doc, lang), 0) + 1
        n = sum(s.lang == lang for s in out) + 1
        text = pair(doc, k)[lang == "en"]
        out.append(Sentence(f"{lang}{n:05d}", f"{doc}/doc1", k, lang, "body", text, document=doc))
    return out


CONSECUTIVE = [("A", "ja"), ("A", "ja"), ("A", "en"), ("B", "en"), ("C", "ja"), ("C", "en"), ("C", "en")]
INTERLEAVED = [("A", "ja"), ("C", "ja"), ("B", "en"), ("A", "en"), ("C", "en"), ("A", "ja"), ("C", "en")]


@pytest.mark.parametrize("plan", [CONSECUTIVE, INTERLEAVED], ids=["consecutive", "interleaved"])
def test_the_documents_come_as_by_document_orders_them(plan: list[tuple[str, str]]) -> None:
    sentences = sentences_of(plan)
    got = layout(sentences)
    assert got.order == ["A", "C", "B"] and got.with_japanese == 2  # English only: last
    assert got.consecutive == (plan is CONSECUTIVE) and got.references == 4
    docs = list(document_sentences(sentences, got))
    expected = by_document([s for s in sentences if s.lang == "ja"], [s for s in sentences if s.lang == "en"])
    assert [([s for s in d if s.lang == "ja"], [s for s in d if s.lang == "en"]) for d in docs] == expected
    assert all([sentences.index(s) for s in d] == sorted(sentences.index(s) for s in d) for d in docs)  # file order


def test_a_document_is_read_when_it_is_aligned() -> None:
    """The first document comes having read its own sentences and translations and one sentence more."""
    sentences = sentences_of([(doc, lang) for doc in "PQRS" for lang in ("ja", "ja", "en")])
    translations = [Translation(s.seg_id, f"MT of {s.seg_id}") for s in sentences if s.lang == "ja"]
    read = {"sentences": 0, "translations": 0}

    def counted(items: list, name: str) -> Iterator:
        for item in items:
            read[name] += 1
            yield item

    plan = layout(sentences)
    first, (src, hyps, ref) = next(
        documents(counted(sentences, "sentences"), counted(translations, "translations"), plan, True)
    )
    assert [s.document for s in first] == ["P"] * 3 and hyps == ["MT of ja00001", "MT of ja00002"]
    assert read == {"sentences": 4, "translations": 2}
    _, (_, _, unused) = next(documents(sentences, translations, plan, False))
    assert unused == []  # a reference that is not English is not aligned


def write_inputs(run_dir: Path, sentences: list[Sentence]) -> RunContext:
    config = build_config(
        {"run": {"name": run_dir.name, "output_dir": str(run_dir.parent)}, "align": {"method": "length"}}
    )
    run_dir.mkdir(parents=True)
    atomic_write_text(run_dir / artifacts.CONFIG, config.to_yaml())
    write_jsonl(run_dir / artifacts.SENTENCES, sentences)
    mt = [Translation(s.seg_id, pair(s.document, s.para_id)[1]) for s in sentences if s.lang == "ja"]
    write_jsonl(run_dir / artifacts.TRANSLATIONS, mt)
    write_json(run_dir / artifacts.MANIFEST, {"stages": {}})
    return RunContext(config, run_dir)


def test_the_stage_aligns_a_file_edited_by_hand_as_one_in_document_order(tmp_path: Path) -> None:
    """Documents whose sentences are not on consecutive lines (held whole) align as the same documents
    written one after another, and a document with English only comes last."""
    interleaved = sentences_of(INTERLEAVED)
    consecutive = [s for doc in document_sentences(interleaved, layout(interleaved)) for s in doc]
    beads = []
    for name, sentences in (("edited", interleaved), ("written", consecutive)):
        ctx = write_inputs(tmp_path / name, sentences)
        facts = AlignStage().run(ctx)
        assert facts["documents"] == 3 and facts["beads"] == 5 and facts["linked"] == 2, facts
        beads.append(read_records(ctx.path(artifacts.ALIGNMENT), Bead))
    assert beads[0] == beads[1]
    assert beads[0][-1].ref_ids == ["en00001"] and not beads[0][-1].src_ids  # document B's, last
