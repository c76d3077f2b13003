"""The unidic fields read from fugashi's raw features are the ones its named tuple holds."""

from __future__ import annotations

import csv
import unicodedata
from pathlib import Path

from pipeline.align.lexicon import _tag
from pipeline.align.unidic import Features, features, parsed

SEED = Path(__file__).resolve().parent.parent / "data" / "seed_ja.txt"
# an unknown word (its features short: no lemma), a quoted accent field ("2,1"), a foreign-word lemma
SAMPLES = ["ニャホニャホタマクロー氏が風呂に入った。", "ロシアのニュース、東京で会見", "ｘｙｚ１２３と、「」…"]


def test_the_same_fields_as_fugashi() -> None:
    lines = [*SEED.read_text(encoding="utf-8").splitlines(), *SAMPLES]
    seen = {"quoted": 0, "no lemma": 0}
    for line in lines:
        nodes = list(_tag(unicodedata.normalize("NFKC", line)))
        want = [(n.feature.pos1, n.feature.pos2, n.feature.lemma) for n in nodes]
        assert [tuple(f) for f in features(nodes)] == want, line
        seen["quoted"] += sum('"' in n.feature_raw for n in nodes)
        seen["no lemma"] += sum(n.feature.lemma is None for n in nodes)
    assert all(seen.values()), seen  # both of fugashi's special cases were met


def test_no_words_no_features() -> None:
    assert features([]) == []
    assert Features._fields == ("pos1", "pos2", "lemma")


def test_a_quote_among_the_fields_read_is_read_as_csv() -> None:
    """Split by commas up to the first quote, as CSV from a quote among the fields read: the CSV reading's."""
    layout = ("pos1", "pos2", "x", "lemma", "accent")
    raws = ['a,b,c,d,"1,2"', 'a,"b,1",c,d,e', '"a,b",c,d,e,f', "a,b,c,d", 'a,b,c,"d,e"', "a,b", 'a,"b', 'a,b,c,d,"']
    for raw in raws:
        fields = next(csv.reader([raw]))
        want = Features(fields[0], fields[1], fields[3] if len(fields) > 3 else None)
        assert parsed([raw], layout) == [want], raw
