"""Boilerplate removal and English trailer stripping for scraped pages."""

from __future__ import annotations

import re

BOILERPLATE = [
    (re.compile(r"^Attention Required!.*Cloudflare\s*$", re.I), "bot-check page title"),
    (re.compile(r"^(Just a moment\.\.\.|Access denied.*|Please enable (JavaScript|cookies).*)$", re.I), "bot-check page title"),
    (re.compile(r"^スポンサーリンク$"), "advertising label"),
    (re.compile(r"^(コメント|コメントを書く|関連記事|この記事をシェアする|シェアする)$"), "page widget"),
    (re.compile(r"^タイトルとURLをコピーしました$"), "page widget"),
    (re.compile(r"^.{0,20}(の要約|の原文|の全文)?はこちら[。.]?$"), "link text"),
]

_EN_TITLE_TRAILER = re.compile(r"\s+[-–—|]\s+[A-Z][\w .&'’]{2,40}$")
_CONTINUE = re.compile(r"\s*(…|\.\.\.)?\s*(Continue reading|Read more)\b.*$", re.S)


def boilerplate_reason(line: str) -> str | None:
    """Why ``line`` is boilerplate, or None if it is content."""
    stripped = line.strip()
    for pattern, reason in BOILERPLATE:
        if pattern.match(stripped):
            return reason
    return None


def strip_english_trailers(text: str) -> tuple[str, list[str], bool]:
    """Remove " - Site Name" title trailers and "… Continue reading" teasers.

    Returns (text, removed pieces, truncated) where truncated means the text now ends in "…".
    """
    removed: list[str] = []
    truncated = False
    m = _CONTINUE.search(text)
    if m and m.start() > 0:
        removed.append(text[m.start():].strip())
        ellipsis = m.group(1)
        text = text[: m.start()].rstrip()
        if ellipsis:
            text += " …"
            truncated = True
    m = _EN_TITLE_TRAILER.search(text)
    if m and not re.search(r"[.!?…]$", text) and len(text) - len(m.group(0)) > 10:
        removed.append(m.group(0).strip())
        text = text[: m.start()].rstrip()
    if text.endswith(("…", "...")):
        truncated = True
    return text, removed, truncated


_TRAILING_LINK = re.compile(r"(?<=[。！？」』）)])\s*([^。！？」』\n]{0,20}はこちら[。.]?)\s*$")


def strip_trailing_link(text: str) -> tuple[str, str | None]:
    """Split a trailing link text ("…を続けた。ロシア語の要約はこちら") off a Japanese paragraph."""
    m = _TRAILING_LINK.search(text)
    if not m:
        return text, None
    return text[: m.start()].rstrip(), m.group(1)
