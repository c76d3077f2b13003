"""The package-wide ellipsis definition."""

from __future__ import annotations

import pytest

from pipeline.text import ellipsis_end, ends_with_ellipsis, strip_ellipsis


@pytest.mark.parametrize("mark", ["…", "……", "‥", "...", "....", "。。。", "... ...", "… …", "…\u3000…"])
def test_every_ellipsis_form_is_one_ellipsis(mark: str) -> None:
    text = f"品質{mark}次"
    assert ellipsis_end(text, 2) == 2 + len(mark)
    assert ends_with_ellipsis(f"The cut {mark}") and strip_ellipsis(f"The cut {mark} ") == "The cut"


@pytest.mark.parametrize("text", ["終わり。", "U.S.", "4.5", "..", "。。", "end."])
def test_not_an_ellipsis(text: str) -> None:
    assert not ends_with_ellipsis(text)
    assert strip_ellipsis(text + " ") == text
    assert all(ellipsis_end(text, i) == i for i in range(len(text) + 1))


def test_bracketed_editorial_cut_is_a_trailing_ellipsis() -> None:
    assert strip_ellipsis("He said [...]") == "He said"
    assert strip_ellipsis("He said […]") == "He said"
    assert ellipsis_end("[...]", 0) == 0  # inside a text only the mark itself counts
