"""More references to tune on, built from the TUNE half only (the test half stays unseen).

The dev set's ``en_partial`` keeps every other paragraph of each reference and cuts its last sentence
to ~60 % with "…". A rule tuned on that one layout can fit it alone, so :func:`build` rebuilds the
tune half's partial references eight other ways — the other paragraphs, random paragraphs with random
truncation, every third paragraph, a teaser (the first two paragraphs, as the seed's snippet), most
paragraphs with some last sentences left whole, and two whose paragraphs are re-flowed (the dev set's
correspond one to one, which rules may come to lean on) — and its whole references four ways, edited
as a translator might (sentences left out, run together, or brought in from other documents; the
tune half's own whole references are nearly solved) — each a folder shaped like the dev set (``ja/``,
``en/``, ``mt/`` … linked to the original; ``en_partial/`` and ``gold_alignment_partial.json``
written anew, the gold cut, merged or thinned exactly as the reference is). ``tune_align.py
--variants`` scores them.
"""

from __future__ import annotations

import json
import random
from collections.abc import Callable
from pathlib import Path

from devset import DevSet

from pipeline.align.lexicon import STOPWORDS
from pipeline.text import squash

Keep = Callable[[int, random.Random], bool]  # (paragraph index, rng) → keep the paragraph
Share = Callable[[random.Random], float]  # rng → share of the last sentence kept (1: whole)

VARIANTS: dict[str, tuple[Keep, Share]] = {
    "even": (lambda k, rng: k % 2 == 1, lambda rng: 0.6),
    "random-half": (lambda k, rng: rng.random() < 0.5, lambda rng: rng.uniform(0.4, 0.8)),
    "random-sparse": (lambda k, rng: rng.random() < 0.4, lambda rng: rng.uniform(0.3, 0.9)),
    "third": (lambda k, rng: k % 3 == 1, lambda rng: 0.6),
    "teaser": (lambda k, rng: k < 2, lambda rng: rng.uniform(0.4, 0.8)),
    "dense": (lambda k, rng: rng.random() < 0.75, lambda rng: 1.0 if rng.random() < 0.5 else 0.6),
}
# paragraphs that no longer correspond (the dev set's do, one to one): a kept paragraph joined to the
# one before where a draw says so; each variant's share of paragraph breaks kept
REFLOWED: dict[str, tuple[str, float]] = {
    "reflowed-full": ("all", 0.4),
    "reflowed-half": ("random-half", 0.4),
}
LAYOUTS: dict[str, tuple[Keep, Share]] = {**VARIANTS, "all": (lambda k, rng: True, lambda rng: 1.0)}
# whole references a translator has edited: per gold sentence, the chance it is left out (its Japanese
# then has no English), run into the next sentence of its paragraph with "; " (a 2-1 gold bead), or
# followed by a sentence from another document (English with no Japanese)
EDITED: dict[str, tuple[float, float, float]] = {
    "omitted-full": (0.1, 0.0, 0.0),
    "merged-full": (0.0, 0.15, 0.0),
    "inserted-full": (0.0, 0.0, 0.1),
    "edited-full": (0.05, 0.08, 0.05),
}
NAMES = (*VARIANTS, *REFLOWED, *EDITED)
LINKED = ("ja", "en", "segmentation", "mt", "gold_alignment.json")


def truncate(sentence: str, share: float) -> str:
    """The sentence cut to about ``share`` of its characters at a space, ended with "…"."""
    prefix = sentence[: int(len(sentence) * share)]
    space = prefix.rfind(" ")
    return (prefix[:space] if space > 0 else prefix).rstrip() + "…"


def paragraph_beads(dev: DevSet, doc: str) -> list[tuple[str, list[dict[str, list[str]]]]]:
    """The document's English paragraphs, each with its gold beads (full reference), in order."""
    paragraphs = [p for p in dev.text("en", doc).split("\n\n") if p.strip()]
    groups: list[list[dict[str, list[str]]]] = [[] for _ in paragraphs]
    k = 0
    for bead in dev.gold_beads_of(doc):
        english = squash(" ".join(bead["en"]))
        while k < len(paragraphs) and english not in squash(paragraphs[k]):
            k += 1
        if k == len(paragraphs):
            raise ValueError(f"{doc}: gold English not found in en/{doc}.txt: {english[:60]}")
        groups[k].append(bead)
    return list(zip(paragraphs, groups))


def build(dev: DevSet, name: str, out: Path) -> DevSet:
    """Variant ``name`` of the tune half's references (``en_partial/``) under ``out``; returns it as a DevSet."""
    if dev.half != "tune":
        raise ValueError("variants are built from the tune half only")
    out.mkdir(parents=True, exist_ok=True)
    for link in LINKED:
        if not (out / link).exists():
            (out / link).symlink_to(dev.root / link)
    (out / "en_partial").mkdir(exist_ok=True)
    gold = edited(dev, name, out) if name in EDITED else laid_out(dev, name, out)
    (out / "gold_alignment_partial.json").write_text(json.dumps(gold, ensure_ascii=False), encoding="utf-8")
    return DevSet(out, "tune")


def laid_out(dev: DevSet, name: str, out: Path) -> list[dict[str, list[str]]]:
    """Some paragraphs of each reference, the last sentence of each cut, re-flowed where ``name`` is;
    writes ``en_partial/`` and returns the gold."""
    base, breaks = REFLOWED.get(name, (name, 1.0))
    keep, share = LAYOUTS[base]
    joins = random.Random(f"{name}/breaks")
    gold: list[dict[str, list[str]]] = []
    for doc in dev.docs:
        rng = random.Random(f"{base}/{doc}")
        kept = []
        for k, (paragraph, beads) in enumerate(paragraph_beads(dev, doc)):
            if not beads or not keep(k, rng):
                continue
            last = " ".join(beads[-1]["en"])
            cut = share(rng)  # drawn for every kept paragraph, so that each draw stays where it was
            end = last
            if last in paragraph:
                end = truncate(last, cut) if cut < 1 else last
                paragraph = paragraph[: paragraph.rfind(last)] + end
            kept.append(paragraph)
            gold.extend(beads[:-1])
            gold.append({"ja": beads[-1]["ja"], "en": [end]})
        text = kept[0] if kept else ""
        for paragraph in kept[1:]:
            # a heading (no final stop) keeps its break: joined, it would be run into the next sentence
            joined = joins.random() >= breaks and text.rstrip()[-1:] in ".!?\"'”’)…"
            text += (" " if joined else "\n\n") + paragraph
        (out / "en_partial" / f"{doc}.txt").write_text(text + "\n", encoding="utf-8")
    return gold


def edited(dev: DevSet, name: str, out: Path) -> list[dict[str, list[str]]]:
    """Each whole reference with sentences left out, run together or brought in from other documents
    at the rates of ``EDITED[name]``; writes ``en_partial/`` and returns the gold."""
    omit, merge, insert = EDITED[name]
    gold: list[dict[str, list[str]]] = []
    english_of = {doc: [e for b in dev.gold_beads_of(doc) for e in b["en"]] for doc in dev.docs}
    for doc in dev.docs:
        rng = random.Random(f"{name}/{doc}")
        foreign = [e for other in dev.docs if other != doc for e in english_of[other]]
        paragraphs = []
        for _, beads in paragraph_beads(dev, doc):
            kept: list[dict[str, list[str]]] = []
            for bead in beads:
                draw = rng.random()  # one draw a sentence, so that each variant's edits stay apart
                if draw < omit:
                    continue
                english = " ".join(bead["en"])
                if kept and kept[-1]["ja"] and omit <= draw < omit + merge and kept[-1]["en"][0][-1:] == ".":
                    previous = kept.pop()
                    first, rest = english.split(" ", 1) if " " in english else (english, "")
                    if first.lower() in STOPWORDS:  # "…; the …", a name keeps its capital
                        english = " ".join((first.lower(), rest)).rstrip()
                    bead = {"ja": previous["ja"] + bead["ja"], "en": [previous["en"][0][:-1] + "; " + english]}
                kept.append(bead)
                if omit + merge <= draw < omit + merge + insert:
                    kept.append({"ja": [], "en": [rng.choice(foreign)]})
            if kept:
                paragraphs.append(" ".join(b["en"][0] for b in kept))
            gold.extend(b for b in kept if b["ja"])
        (out / "en_partial" / f"{doc}.txt").write_text("\n\n".join(paragraphs) + "\n", encoding="utf-8")
    return gold
