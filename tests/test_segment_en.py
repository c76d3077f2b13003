"""English splitting of reference text, and reference trailers."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.config import SegmentSection
from pipeline.segment.clean import strip_english_trailers
from pipeline.segment.en import split_english
from pipeline.segment.rules import RulesSegmenter


@pytest.mark.parametrize(
    "text, expected",
    [
        (
            "Lavrov addressing the Council, Moscow, May 18, 2024 In international diplomacy, summits matter.",
            ["Lavrov addressing the Council, Moscow, May 18, 2024", "In international diplomacy, summits matter."],
        ),
        (
            "Xi greets Putin, Beijing, 16 May 2024 The talks began.",
            ["Xi greets Putin, Beijing, 16 May 2024", "The talks began."],
        ),
        ("In 2024 The firm grew.", ["In 2024 The firm grew."]),  # a bare year is not a caption
        ("Mr. Smith met Dr. Jones. They talked.", ["Mr. Smith met Dr. Jones.", "They talked."]),
        ('He said "No." Then he left.', ['He said "No."', "Then he left."]),
        ("See No. 5 here. Fine.", ["See No. 5 here.", "Fine."]),
        (
            "U.S. officials met at 3 p.m. on Jan. 5. It rained.",
            ["U.S. officials met at 3 p.m. on Jan. 5.", "It rained."],
        ),
        ("He said: “We are ready.” The talks ended.", ["He said: “We are ready.”", "The talks ended."]),
        ("Is it? Yes! Fine.", ["Is it?", "Yes!", "Fine."]),
        # a "!" that belongs to a name: a WMT21 heading ended in a sentence "News"
        (
            'Manager Yano "Looking dignified" (Sankei Sports) --Yahoo! News',
            ['Manager Yano "Looking dignified" (Sankei Sports) --Yahoo! News'],
        ),
        ("He won! Yahoo! Japan reported it.", ["He won!", "Yahoo! Japan reported it."]),
        ("The price rose 4.5% to $3.20. Next.", ["The price rose 4.5% to $3.20.", "Next."]),
        ("The summit between Chinese President …", ["The summit between Chinese President …"]),
        # a unit or decade glued to a number is no initial (WMT21 dev, tune half: "per 200g. The event …")
        (
            "It costs 1,500 yen per 200g. The event runs daily.",
            ["It costs 1,500 yen per 200g.", "The event runs daily."],
        ),
        (
            "They are in their 50s and 60s. Immediately after, it rained.",
            ["They are in their 50s and 60s.", "Immediately after, it rained."],
        ),
        ("Signed by J. Smith. Fine.", ["Signed by J. Smith.", "Fine."]),
        # interview turns open with dashes
        (
            'They told me they "don\'t say that". ― ― Does it mean that? ― ― Yes.',
            ['They told me they "don\'t say that".', "― ― Does it mean that?", "― ― Yes."],
        ),
        ("He agreed. -- What next? — Nothing.", ["He agreed.", "-- What next?", "— Nothing."]),
        ("", []),
    ],
)
def test_split_english(text: str, expected: list[str]) -> None:
    assert split_english(text) == expected


def test_trailers_removed_and_truncation_marked() -> None:
    assert strip_english_trailers("The ‘inside track’ of Putin-Xi Jinping talks - Indian Punchline") == (
        "The ‘inside track’ of Putin-Xi Jinping talks",
        ["- Indian Punchline"],
        False,
    )
    text, removed, truncated = strip_english_trailers(
        'Summits matter. The meeting between Chinese President … Continue reading "X"'
    )
    assert text.endswith("President …") and removed == ['Continue reading "X"'] and truncated
    assert strip_english_trailers("A complete sentence.") == ("A complete sentence.", [], False)


def test_reference_units_are_partial_only_at_the_cut() -> None:
    seg = RulesSegmenter(SegmentSection())
    result = seg.segment_reference("First one. Second one …\n\nA new paragraph.\n")
    assert [(u.text, u.partial, u.para, u.kind, u.lang) for u in result.units] == [
        ("First one.", False, 1, "reference", "en"),
        ("Second one …", True, 1, "reference", "en"),
        ("A new paragraph.", False, 2, "reference", "en"),
    ]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(list('abAB .!?…"”’)(,19 20May') + ["Mr.", "No.", " In ", ", 2024 "]), max_size=40))
def test_english_properties(parts: list[str]) -> None:
    text = "".join(parts)
    assert re.sub(r"\s+", "", "".join(split_english(text))) == re.sub(r"\s+", "", text)


def test_wordpress_feed_trailer() -> None:
    text, removed, truncated = strip_english_trailers(
        "Summits matter [...] The post Inside track appeared first on Site."
    )
    assert text == "Summits matter [...]" and removed == ["The post Inside track appeared first on Site."] and truncated
