"""report.html: self-contained (no network), escaped, complete; renders in headless Chromium."""

from __future__ import annotations

import os
import re
import shutil
import struct
import subprocess
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree
from lxml import html as lxml_html
from rundirs import Unit, write_run

from pipeline.export.base import ExportData
from pipeline.export.report import model_label, render, score_colour
from pipeline.records import Bead, Sentence
from pipeline.rows import Row
from pipeline.runner import run_stages

REPO = Path(__file__).resolve().parent.parent
TEXT = st.characters(blacklist_categories=("Cs", "Cc"))  # HTML cannot carry control characters

UNITS = [
    Unit(["東京は日本の首都です。"], ["Tokyo is the capital of Japan."], ["Tokyo is the capital of Japan."], 0.95),
    Unit(
        ["<script>alert(1)</script>と書いた。"],
        ["He wrote <script>alert(1)</script>."],
        ["He wrote a script tag & left."],
        0.6,
    ),
    Unit(["一文目。", "二文目。"], ["First.", "Second."], ["First and second."], 0.7),
    Unit(["切れた文です。"], ["This sentence was cut short here."], ["This sentence …"], 0.8, partial=True),
    Unit(["参照なし。"], ["No reference."], flags=["truncated", "unk"], retried="split"),
    Unit([], [], ["An orphan reference."]),
]


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> Path:
    run_dir = tmp_path_factory.mktemp("report") / "demo"
    config = write_run(run_dir, UNITS, {"score.bootstrap": 100})
    run_stages(config, ["score", "export"])
    return run_dir / "report.html"


def test_self_contained(report: Path) -> None:
    text = report.read_text(encoding="utf-8")
    doc = lxml_html.fromstring(text)
    assert not doc.xpath("//script | //link | //iframe | //img | //object | //embed")
    refs = doc.xpath("//@src | //@href") + re.findall(r"url\(|@import|@font-face", text)
    assert refs == []
    assert "http://" not in text.replace('xmlns="http://www.w3.org/2000/svg"', "") and "https://" not in text


def test_escapes_text_and_shows_every_row(report: Path) -> None:
    text = report.read_text(encoding="utf-8")
    assert "<script>alert(1)</script>" not in text and "&lt;script&gt;alert(1)&lt;/script&gt;" in text
    doc = lxml_html.fromstring(text)
    body_rows = doc.xpath("//table/tbody/tr")
    assert len(body_rows) == len(UNITS)
    assert body_rows[0].xpath("string(td[3])") == "東京は日本の首都です。"
    assert [r.get("class") for r in body_rows] == ["scored", "scored", "scored", "scored", "unreferenced", "ref-only"]
    headers = [th.text_content() for th in doc.xpath("//thead//th")]
    assert headers[-2:] == ["BLEU", "chrF"]
    first_bleu = body_rows[0].xpath("td")[-2]
    assert first_bleu.text_content() == "100.0" and "hsl(130" in first_bleu.get("style")
    assert "scored prefix: This sentence" in body_rows[3].text_content() and "truncated" in body_rows[3].text_content()
    cards = doc.xpath("//div[contains(@class, 'metric')]")
    assert len(cards) == 6  # BLEU, chrF, TER over full references + the same over truncated ones, apart
    assert "95% CI" in cards[0].text_content() and "nrefs:1|bs:100|seed:12345" in cards[0].text_content()
    assert "lower is better" in cards[2].text_content()
    assert [s.xpath("string(span[1])") for s in doc.xpath("//div[@class='stage']")] == ["score"]


def test_translation_flags_show(report: Path) -> None:
    page = lxml_html.fromstring(report.read_text(encoding="utf-8"))
    pills = {p.text_content().strip() for p in page.xpath("//span[contains(@class, 'pill')]")}
    assert {"MT truncated 1", "MT unk 1", "MT repeated 0", "MT empty 0", "retried (split) 1"} <= pills
    flagged = page.xpath("//tbody/tr[5]/td[4]")[0]
    assert [t.text for t in flagged.xpath(".//span[contains(@class, 'flag')]")] == ["truncated", "unk"]
    assert "retried: split" in flagged.text_content()
    assert not page.xpath("//tbody/tr[1]//span[contains(@class, 'flag')]")


def test_alignment_picture(report: Path) -> None:
    text = report.read_text(encoding="utf-8")
    svg = etree.fromstring(re.search(r"<svg.*?</svg>", text, re.S).group(0).encode())
    ns = "{http://www.w3.org/2000/svg}"
    boxes = [r for r in svg.iter(f"{ns}rect") if r.find(f"{ns}title") is not None and "↔" in r.find(f"{ns}title").text]
    assert len(boxes) == 4  # one per bead with both sides
    titles = [b.find(f"{ns}title").text for b in boxes]
    assert titles[2].startswith("ja00003+ja00004 ↔ en00003  2-1") and "truncated reference" in titles[3]
    widths = [float(b.get("width")) for b in boxes]
    assert widths[2] == pytest.approx(2 * widths[0], abs=0.02)  # a 2-1 bead spans two source positions


def test_score_colours() -> None:
    assert score_colour(None) == "transparent"
    assert score_colour(0).startswith("hsl(0,") and score_colour(100).startswith("hsl(130,")
    assert score_colour(0, lower_is_better=True).startswith("hsl(130,")


def test_the_header_names_the_model_or_the_translations_file() -> None:
    assert model_label({"backend": "hf", "model": "Helsinki-NLP/opus-mt-ja-en"}) == {
        "model_kind": "model",
        "model_name": "Helsinki-NLP/opus-mt-ja-en",
    }
    assert model_label({"backend": "file", "file": "/data/mt/Online-B.jsonl", "sha256": "f7"}) == {
        "model_kind": "translations from",
        "model_name": "Online-B.jsonl",
    }


def png_size(path: Path) -> tuple[int, int]:
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", data[16:24])


def chromium() -> str:
    """The browser, or skip; under CI (``CI=true``) a missing browser fails instead of skipping."""
    browser = shutil.which("chromium") or shutil.which("chromium-browser")
    if browser is None:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail("CI=true but chromium is not installed (apt-get install -y chromium fonts-noto-cjk)")
        pytest.skip("no chromium")
    return browser


def test_missing_chromium_fails_under_ci(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(shutil, "which", lambda name: None)
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="chromium is not installed"):
        chromium()
    monkeypatch.delenv("CI")
    with pytest.raises(pytest.skip.Exception):
        chromium()


JAPANESE_FONTS = {"Noto Sans CJK JP", "Noto Sans JP", "Hiragino Sans", "Yu Gothic", "Meiryo"}


def test_japanese_text_names_fonts_that_cover_it(report: Path) -> None:
    text = report.read_text(encoding="utf-8")
    ja_stack = re.search(r"--ja:([^;]+);", text)
    assert ja_stack is not None
    assert JAPANESE_FONTS <= {f.strip().strip('"') for f in ja_stack.group(1).split(",")}
    body = re.search(r"body \{[^}]*font:[^;]*var\(--ja\)", text)  # Japanese anywhere on the page
    assert body is not None and re.search(r"td\.ja \{ font-family: var\(--ja\)", text)
    cells = lxml_html.fromstring(text).xpath("//td[@class='ja']")
    assert cells and all(c.get("lang") == "ja" for c in cells)


def test_headless_chromium_renders_it(report: Path, tmp_path: Path) -> None:
    browser = chromium()
    out = tmp_path / "report.png"
    done = subprocess.run(
        [str(REPO / "scripts" / "screenshot_report.sh"), str(report.parent), str(out), "1200x900"],
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert done.returncode == 0, done.stderr
    assert png_size(out) == (1200, 900) and out.stat().st_size > 20_000
    dom = subprocess.run(
        [
            browser,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-first-run",
            f"--user-data-dir={tmp_path / 'profile'}",
            "--host-resolver-rules=MAP * ~NOTFOUND",
            "--dump-dom",
            report.as_uri(),
        ],
        capture_output=True,
        text=True,
        timeout=180,
    ).stdout
    parsed = lxml_html.fromstring(dom)
    assert len(parsed.xpath("//table/tbody/tr")) == len(UNITS) and parsed.xpath("//*[local-name()='svg']")


@settings(max_examples=40, deadline=None)
@given(
    st.lists(
        st.tuples(st.text(TEXT, min_size=1, max_size=20), st.text(TEXT, max_size=20), st.text(TEXT, max_size=20)),
        min_size=1,
        max_size=4,
    )
)
def test_any_text_comes_back_from_the_table(texts: list[tuple[str, str, str]]) -> None:
    rows = [Row("d", f"ja{i}", s, m, r, "1-1" if r else "1-0", 0.5) for i, (s, m, r) in enumerate(texts)]
    scores = {"signatures": {"bleu": "x"}, "row_metrics": ["bleu"], "corpus": {"bleu": None}}
    page = render(ExportData(rows, {r.seg_id: {"bleu": 12.5} for r in rows}, scores, {}), "fuzz")
    body = lxml_html.fromstring(page).xpath("//table/tbody/tr")
    assert [(tr.xpath("string(td[3])"), tr.xpath("string(td[4])"), tr.xpath("string(td[5])")) for tr in body] == texts


def corpus_run(n_rows: int, rows_per_doc: int = 10) -> ExportData:
    """A synthetic scored corpus: realistic sentence lengths, some flagged, unreferenced and low-confidence rows."""
    rows, scores, sentences, beads = [], {}, [], []
    for i in range(n_rows):
        doc, ja, en = f"news-{i // rows_per_doc:05d}/doc1", f"ja{i:06d}", f"en{i:06d}"
        referenced = i % 9 != 4
        rows.append(
            Row(
                doc,
                ja,
                f"東京都は{i}日、新型コロナウイルスの感染者が新たに確認されたと発表した。",
                f"The Tokyo Metropolitan Government announced on the {i}th that new coronavirus cases were confirmed.",
                f"Tokyo said on day {i} that it had confirmed new infections with the novel coronavirus."
                if referenced
                else "",
                "1-1" if referenced else "1-0",
                0.5 if i % 13 == 0 else 0.97,
                flags=["repeated"] if i % 11 == 0 else [],
            )
        )
        scores[ja] = {"bleu": float(i % 100), "chrf": float((i * 7) % 100)}
        sentences.append(Sentence(ja, doc, 0, "ja", "body", rows[-1].source))
        sentences.append(Sentence(en, doc, 0, "en", "reference", rows[-1].reference))
        beads.append(Bead([ja], [en] if referenced else [], rows[-1].align_score))
    meta = {"signatures": {"bleu": "x", "chrf": "y"}, "row_metrics": ["bleu", "chrf"], "corpus": {"bleu": None}}
    return ExportData(rows, scores, meta, {}, sentences=sentences, beads=beads)


def test_report_size_is_bounded_at_corpus_scale() -> None:
    data = corpus_run(20_000)
    cfg = data.export
    page = render(data, "corpus")
    assert len(page.encode()) <= 3_000_000
    doc = lxml_html.fromstring(page)
    assert len(doc.xpath("//table[@class='docs']/tbody/tr")) == cfg.report_documents  # 2,000 documents, capped
    sections = {h.get("id"): h.text_content() for h in doc.xpath("//h2[@id]")}
    assert list(sections) == ["worst", "flagged", "low-confidence"]
    assert sections["flagged"].endswith(f"{cfg.report_rows_per_section} of {len(range(0, 20_000, 11))}")
    tables = doc.xpath("//h2[@id]/following-sibling::table[1]")
    assert [len(t.xpath("tbody/tr")) for t in tables] == [
        cfg.report_worst_documents * 10,
        *[cfg.report_rows_per_section] * 2,
    ]
    assert "bitext.tsv" in doc.xpath("string(//p[contains(@class, 'rest')])")
    assert not doc.xpath("//*[local-name()='svg']") and "export.report_picture_beads" in page


def test_small_run_shows_every_row_and_the_picture() -> None:
    data = corpus_run(120, rows_per_doc=40)
    doc = lxml_html.fromstring(render(data, "small"))
    assert len(doc.xpath("//table[not(@class)]/tbody/tr")) == 120 and not doc.xpath("//h2[@id]")
    assert len(doc.xpath("//table[@class='docs']/tbody/tr")) == 3 and doc.xpath("//*[local-name()='svg']")
