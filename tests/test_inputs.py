"""Inputs beyond one text file: directories, globs, JSONL, Hugging Face datasets, per-document references."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipeline.config import build_config
from pipeline.errors import InputError
from pipeline.inputs import check_inputs, iter_documents
from pipeline.io import read_records, write_jsonl
from pipeline.records import Bead, Sentence, Translation
from pipeline.runner import run_stages

DOC_A = "北京の会談\n\n習近平国家主席は2024年5月16日に会談した。\n"
DOC_B = "東京の天気\n\n東京は今日3月3日、晴れです。気温は20度です。\n"
REF_A = "Xi Jinping held talks on May 16, 2024.\n"
REF_B = "Tokyo is sunny today, March 3. The temperature is 20 degrees.\n"


def config(tmp_path: Path, **sections: dict) -> object:
    data = {"run": {"output_dir": str(tmp_path / "out"), "name": "r"}, **sections}
    return build_config(data)


def sentences_of(tmp_path: Path, cfg: object) -> list[Sentence]:
    run_dir = run_stages(cfg, ["segment"])
    return read_records(run_dir / "sentences.jsonl", Sentence)


def two_docs(tmp_path: Path) -> Path:
    docs = tmp_path / "docs"
    (docs / "sub").mkdir(parents=True)
    (docs / "a.txt").write_text(DOC_A, encoding="utf-8")
    (docs / "sub" / "b.txt").write_text(DOC_B, encoding="utf-16")
    (docs / "notes.md").write_text("ignored: not *.txt", encoding="utf-8")
    return docs


def test_directory_of_documents_gets_prefixed_doc_ids_and_unique_seg_ids(tmp_path: Path) -> None:
    cfg = config(tmp_path, input={"path": str(two_docs(tmp_path))})
    sentences = sentences_of(tmp_path, cfg)
    assert {s.document for s in sentences} == {"a", "sub/b"}
    assert {s.doc_id for s in sentences} == {"a/doc1", "sub/b/doc1"}
    assert len({s.seg_id for s in sentences}) == len(sentences)
    assert [s.text for s in sentences if s.document == "sub/b"][1] == "東京は今日3月3日、晴れです。"  # UTF-16 read
    manifest = json.loads((cfg.run_dir / "manifest.json").read_text())
    assert manifest["stages"]["segment"]["input_documents"] == 2
    assert len(manifest["inputs"]) == 2


def test_glob_and_reference_directory_align_within_each_document(tmp_path: Path) -> None:
    docs = two_docs(tmp_path)
    refs = tmp_path / "refs"
    (refs / "sub").mkdir(parents=True)
    # b's reference matches a's sentence (same names and date); a has no reference file at all
    (refs / "sub" / "b.txt").write_text(REF_A, encoding="utf-8")
    cfg = config(tmp_path, input={"path": str(docs / "**" / "*.txt")}, reference={"path": str(refs)})
    sentences = sentences_of(tmp_path, cfg)
    by_id = {s.seg_id: s for s in sentences}
    assert [(s.document, s.text) for s in sentences if s.lang == "en"] == [("sub/b", REF_A.strip())]
    ja = [s for s in sentences if s.lang == "ja"]
    write_jsonl(
        cfg.run_dir / "translations.jsonl",
        [Translation(seg_id=s.seg_id, translation=REF_A.strip() if s.document == "a" else "") for s in ja],
    )
    run_stages(cfg, ["align"])
    beads = read_records(cfg.run_dir / "alignment.jsonl", Bead)
    for bead in beads:  # a's sentence would be the best match, but it is in another document
        assert len({by_id[i].document for i in bead.src_ids + bead.ref_ids}) == 1, bead
    covered = [i for b in beads for i in b.src_ids + b.ref_ids]
    assert sorted(covered) == sorted(by_id)  # every sentence exactly once


def test_jsonl_with_text_id_and_reference_fields(tmp_path: Path) -> None:
    path = tmp_path / "docs.jsonl"
    lines = [{"id": "x1", "ja": DOC_A, "en": REF_A}, {"id": "x2", "ja": DOC_B, "en": None}]
    path.write_text("\n".join(json.dumps(x, ensure_ascii=False) for x in lines) + "\n\n", encoding="utf-8")
    cfg = config(tmp_path, input={"path": str(path), "text_field": "ja", "id_field": "id"}, reference={"field": "en"})
    docs = list(iter_documents(cfg))
    assert [(d.name, d.reference) for d in docs] == [("x1", REF_A), ("x2", None)]
    sentences = sentences_of(tmp_path, cfg)
    assert [s.doc_id for s in sentences if s.lang == "en"] == ["x1/doc1"]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ('{"text": "一"}\n{"text": \n', "docs.jsonl:2: invalid JSON"),
        ('{"text": "一"}\n{"body": "二"}\n', "docs.jsonl:2: no field 'text' (input.text_field; fields: body)"),
        ('["一"]\n', "docs.jsonl:1: expected a JSON object"),
        ('{"text": 3}\n', "docs.jsonl:1: field 'text' (input.text_field) is not a string"),
        ('{"text": ""}\n{"text": " "}\n', "every input document is empty"),
    ],
)
def test_bad_jsonl_is_one_line_naming_file_and_line(tmp_path: Path, content: str, message: str) -> None:
    path = tmp_path / "docs.jsonl"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(InputError) as err:
        check_inputs(config(tmp_path, input={"path": str(path)}))
    assert message in str(err.value) and "\n" not in str(err.value)
    assert not (tmp_path / "out").exists()


def test_duplicate_document_ids_and_empty_directories(tmp_path: Path) -> None:
    path = tmp_path / "docs.jsonl"
    path.write_text('{"id": 1, "text": "一。"}\n{"id": 1, "text": "二。"}\n', encoding="utf-8")
    with pytest.raises(InputError, match="docs.jsonl:2: document name '1' is not unique"):
        check_inputs(config(tmp_path, input={"path": str(path), "id_field": "id"}))
    (tmp_path / "empty").mkdir()
    with pytest.raises(InputError, match=r"holds no file matching '\*.txt' \(input.pattern\)"):
        check_inputs(config(tmp_path, input={"path": str(tmp_path / "empty")}))
    with pytest.raises(InputError, match="no file matches"):
        check_inputs(config(tmp_path, input={"path": str(tmp_path / "nothing" / "*.txt")}))


def test_hf_dataset_from_disk_with_reference_column(tmp_path: Path) -> None:
    from datasets import Dataset, DatasetDict

    ds = Dataset.from_dict({"ja": [DOC_A, DOC_B], "en": [REF_A, REF_B], "key": ["a", "b"]})
    DatasetDict({"test": ds}).save_to_disk(str(tmp_path / "ds"))
    cfg = config(
        tmp_path,
        input={"hf_dataset": str(tmp_path / "ds"), "split": "test", "column": "ja", "id_field": "key"},
        reference={"field": "en"},
    )
    sentences = sentences_of(tmp_path, cfg)
    assert [s.doc_id for s in sentences if s.lang == "en"] == ["a/doc1", "b/doc1", "b/doc1"]
    manifest = json.loads((cfg.run_dir / "manifest.json").read_text())
    assert any(k.startswith("hf_dataset:") for k in manifest["inputs"])
    with pytest.raises(InputError, match="input.split: dataset .* has no split 'train' \\(splits: test\\)"):
        check_inputs(config(tmp_path, input={"hf_dataset": str(tmp_path / "ds"), "column": "ja"}))
    with pytest.raises(
        InputError, match="reference.field: dataset .* has no column 'english' \\(columns: ja, en, key\\)"
    ):
        check_inputs(
            config(
                tmp_path,
                input={"hf_dataset": str(tmp_path / "ds"), "split": "test", "column": "ja"},
                reference={"field": "english"},
            )
        )


def test_hf_dataset_from_a_local_data_file(tmp_path: Path) -> None:
    path = tmp_path / "rows.csv"
    path.write_text("text\n今日は晴れです。\n明日は雨です。\n", encoding="utf-8")
    cfg = config(tmp_path, input={"hf_dataset": str(path)})
    assert [d.name for d in iter_documents(cfg)] == ["train:0", "train:1"]
    with pytest.raises(InputError, match="input.column: dataset .* has no column 'body'"):
        check_inputs(config(tmp_path, input={"hf_dataset": str(path), "column": "body"}))


texts = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=30)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(docs=st.lists(st.tuples(texts, st.one_of(st.none(), texts)), max_size=5))
def test_jsonl_reading_is_lossless(tmp_path: Path, docs: list[tuple[str, str | None]]) -> None:
    path = tmp_path / "fuzz.jsonl"
    path.write_text("".join(json.dumps({"text": t, "ref": r}) + "\n" for t, r in docs), encoding="utf-8")
    cfg = config(tmp_path, input={"path": str(path)}, reference={"field": "ref"})
    got = list(iter_documents(cfg))
    assert [(d.text, d.reference) for d in got] == [(t.replace("\r\n", "\n").replace("\r", "\n"), r) for t, r in docs]
    assert [d.name for d in got] == [f"fuzz:{i}" for i in range(1, len(docs) + 1)]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(blob=st.binary(max_size=60))
def test_arbitrary_jsonl_bytes_give_documents_or_one_line_error(tmp_path: Path, blob: bytes) -> None:
    path = tmp_path / "fuzz.jsonl"
    path.write_bytes(blob)
    try:
        docs = list(iter_documents(config(tmp_path, input={"path": str(path)})))
    except InputError as exc:
        assert "\n" not in str(exc) and str(path) in str(exc)
    else:
        assert all(isinstance(d.text, str) for d in docs)
