"""A linked bead as the aligner decided it, and the bead it becomes (with its calibrated confidence)."""

from __future__ import annotations

from dataclasses import dataclass

from ..records import Bead
from .confidence import BeadFeatures
from .evidence import Evidence
from .paragraphs import starts_paragraph
from .split import Cut, piece


@dataclass(frozen=True)
class Link:
    """A linked bead as decided: sources i..i+di with references j..j+dj, or with the piece ``span``
    of reference j (:mod:`.split`)."""

    i: int
    di: int
    j: int
    dj: int
    evidence: float
    anchored: bool  # a link of the evidence chain (or a piece of one)
    span: tuple[int, int] | None = None
    signals: dict[str, float] | None = None  # a piece's signals, as scored when it was cut

    def reference(self, ev: Evidence) -> tuple[str, bool]:
        """(its English, whether that ends in a truncated reference's "…")."""
        refs = ev.ref[self.j : self.j + self.dj]
        if self.span is None:
            return " ".join(r.text for r in refs), refs[-1].partial
        return piece(refs[0], *self.span)

    def pieces(self, cut: Cut, length: int) -> tuple[Link, Link]:
        """The two 1-1 links a 2-1 link becomes when its reference (of ``length`` characters) is cut."""
        first, second = cut.pieces
        return (
            Link(self.i, 1, self.j, 1, first.evidence, self.anchored, (0, cut.end), first.signals),
            Link(self.i + 1, 1, self.j, 1, second.evidence, self.anchored, (cut.start, length), second.signals),
        )

    def features(self, ev: Evidence, ratio: float, agreement: float) -> BeadFeatures:
        """What its confidence is computed from; ``agreement``: how far the document's paragraphs
        correspond (:func:`.paragraphs.paragraph_agreement`), which a paragraph mismatch is weighed by."""
        en, truncated = self.reference(ev)
        ja = sum(len(s.text) for s in ev.src[self.i : self.i + self.di])
        return BeadFeatures(
            evidence=self.evidence,
            length_logp=ev.params.gaps.length.logp(ja, len(en), ratio, truncated),
            anchored=self.anchored,
            # the second piece of a cut sentence starts no paragraph
            paragraph_mismatch=agreement
            * (
                starts_paragraph(ev.src, self.i)
                != (starts_paragraph(ev.ref, self.j) and not (self.span and self.span[0]))
            ),
        )

    def bead(self, ev: Evidence, features: BeadFeatures) -> Bead:
        """The bead, its confidence from ``features`` (:meth:`features`)."""
        signals = self.signals if self.signals is not None else ev.signals(self.i, self.di, self.j, self.dj)
        conf = ev.params.confidence
        return Bead(
            src_ids=[s.seg_id for s in ev.src[self.i : self.i + self.di]],
            ref_ids=[r.seg_id for r in ev.ref[self.j : self.j + self.dj]],
            score=max(round(conf.calibration(features), conf.digits), conf.min_score),
            partial=self.reference(ev)[1],
            signals={k: round(v, conf.digits) for k, v in {**signals, **features.signals()}.items()},
            ref_span=list(self.span) if self.span else None,
        )
