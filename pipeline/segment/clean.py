"""Control characters, boilerplate removal and English trailer stripping for scraped pages.

Patterns are matched against a width- and whitespace-normalised copy of a line (NFKC, runs of spaces
collapsed), so "ＵＲＬ" and "URL" or a stray double space make no difference; the text written out is
always the original.
"""

from __future__ import annotations

import re
from collections import Counter

from ..records import Dropped
from ..text import ELLIPSIS_CHARS, comparison_form, ends_with_ellipsis

# C0 and C1 control characters (Unicode category Cc) but tab, line feed and carriage return, and whole
# terminal colour / cursor sequences (ESC [ … m): NUL bytes and terminal escapes in a scraped page are no
# text, and a TSV or TMX must not carry them (XML forbids most)
CONTROL = re.compile(r"\x1b\[[0-?]*[ -/]*[@-~]|[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")

BOILERPLATE = [
    (re.compile(r"^Attention Required!.*Cloudflare$", re.I), "bot-check page title"),
    (
        re.compile(
            r"^(Just a moment\.*|Access denied.*|Please enable (JavaScript|cookies).*|"
            r"Checking (if the site connection is secure|your browser).*|Verifying you are human.*|"
            r"Enable JavaScript and cookies to continue|Ray ID: ?[0-9a-f]+.*)$",
            re.I,
        ),
        "bot-check page title",
    ),
    (
        re.compile(r"^(スポンサーリンク|スポンサードリンク|広告|PR|Advertisement|Sponsored( links?)?)$", re.I),
        "advertising label",
    ),
    (
        re.compile(
            r"^(コメント|コメントを書く|コメントする|コメントを残す|関連記事|関連する記事|人気記事|おすすめ記事|"
            r"この記事をシェアする|シェアする|シェア|ツイート|ブックマーク|いいね!?|続きを読む|もっと見る|"
            r"トップページ|ホーム|メニュー|目次|前の記事|次の記事|カテゴリー?|タグ|アーカイブ|検索|"
            r"ログイン|新規登録|会員登録|プライバシーポリシー|お問い合わせ|利用規約|サイトマップ|ページの先頭へ|"
            r"(このページの)?(トップ|先頭)へ(戻る)?)[:：]?$"
        ),
        "page widget",
    ),
    (re.compile(r"^(タイトルとURLをコピーしました|URLをコピーしました!?|コピーしました!?)$"), "page widget"),
    (
        re.compile(
            r"^(Home|Menu|Search|Share( this)?|Tweet|Log ?in|Sign ?up|Subscribe|Comments?|Related( articles| posts)?|"
            r"Skip to (main )?content|Read more|Continue reading|Previous|Next|Print|Email)$",
            re.I,
        ),
        "page widget",
    ),
    (re.compile(r"^(Copyright|©|\(c\)).{0,80}$", re.I), "copyright notice"),
    (re.compile(r"^.{0,20}(の要約|の原文|の全文|の詳細|の記事)?はこちら[。.]?$"), "link text"),
    (re.compile(r"^(https?://|www\.)\S+$", re.I), "bare URL"),
    (re.compile(r"^[^。.!?！？]{1,25}( ?[>›»＞] ?[^。.!?！？>›»＞]{1,25}){2,}$"), "breadcrumb navigation"),
]

_EN_TITLE_TRAILER = re.compile(r"\s+[-–—|]\s+[A-Z][\w .&'’]{2,40}$")
# a Japanese title's last part after a title separator ("…サロン - 美容師を楽しく自由に", "…｜南海日日新聞"): where
# the Japanese carries one, an English " - …" ending is its translation (a subtitle or the site's name rendered
# in the text), not a trailer the scraper added (WMT23 and WMT21 tune halves: every such ending has one)
_JA_TITLE_PART = re.compile(r"(?:\s[-－―–—]|[-－―–—]\s|[|｜])[^。！？!?\n]{1,40}$", re.M)
_CONTINUE = re.compile(
    r"(Continue reading|Read more|Read the full (article|story)|The post .{1,200} appeared first on)\b.*$", re.S | re.I
)


def boilerplate_reason(line: str) -> str | None:
    """Why ``line`` is boilerplate, or None if it is content."""
    if len(line) > 300:
        return None  # boilerplate is short; never match patterns against a long paragraph
    form = comparison_form(line)
    for pattern, reason in BOILERPLATE:
        if pattern.match(form):
            return reason
    return None


def has_title_part(japanese: str) -> bool:
    """Whether a line of ``japanese`` ends in a title's separated part (:data:`_JA_TITLE_PART`)."""
    return _JA_TITLE_PART.search(japanese) is not None


def strip_english_trailers(text: str, keep_title_part: bool = False) -> tuple[str, list[str], bool]:
    """Remove " - Site Name" title trailers and "… Continue reading …" teasers; ``keep_title_part``
    (the Japanese carries a title's separated part, :func:`has_title_part`) keeps the " - …" ending.

    Returns (text, removed pieces, truncated): truncated means the text was cut off by the page (it
    ends in "…"); the ellipsis itself stays in the text, so nothing is duplicated or lost.
    """
    removed: list[str] = []
    m = _CONTINUE.search(text)
    if m and m.start() > 0:
        removed.append(text[m.start() :].strip())
        text = text[: m.start()].rstrip()
    m = _EN_TITLE_TRAILER.search(text)
    stopped = re.search(rf"[.!?{ELLIPSIS_CHARS}]$", text)
    if m and not keep_title_part and not stopped and len(text) - len(m.group(0)) > 10:
        removed.append(m.group(0).strip())
        text = text[: m.start()].rstrip()
    truncated = ends_with_ellipsis(text)
    return text, removed, truncated


_TRAILING_LINK = re.compile(r"(?<=[。！？」』）)])\s*([^。！？」』\n]{0,20}はこちら[。.]?)\s*$")


def strip_trailing_link(text: str) -> tuple[str, str | None]:
    """Split a trailing link text ("…を続けた。ロシア語の要約はこちら") off a Japanese paragraph."""
    m = _TRAILING_LINK.search(text)
    if not m:
        return text, None
    return text[: m.start()].rstrip(), m.group(1)


def control_reason(found: list[str]) -> str:
    """``control character(s) U+0000 ×2, U+000C removed``: what :func:`strip_controls` took out of a line."""
    counts = Counter(f"U+{ord(m):04X}" if len(m) == 1 else f"ESC{m[1:]!r} (a terminal escape)" for m in found)
    names = ", ".join(name + (f" ×{n}" if n > 1 else "") for name, n in counts.items())
    spaced = " (those that separate words replaced by a space)" if any(m.isspace() for m in found) else ""
    return f"control character(s) {names} removed{spaced}"


def strip_controls(text: str) -> tuple[str, list[Dropped]]:
    """``text`` without its control characters (:data:`CONTROL`), and one drop record per line that had
    some (what was removed, in order, and their codes). A control character that Python counts
    as whitespace (form feed, vertical tab, the information separators, NEL) becomes a space, so that
    words and lines stay apart and every line keeps its number."""
    if not CONTROL.search(text):
        return text, []
    lines = text.split("\n")
    dropped = []
    for lineno, line in enumerate(lines, 1):
        found = CONTROL.findall(line)
        if found:
            dropped.append(Dropped(text="".join(found), reason=control_reason(found), line=lineno))
            lines[lineno - 1] = CONTROL.sub(lambda m: " " if m.group().isspace() else "", line)
    return "\n".join(lines), dropped
