"""The aligner's tuned numbers: one typed, frozen parameter set, :data:`PARAMS`.

Every number the aligner's decisions depend on is named here once, with what it does and on which
data it was set. The user-facing settings are the config's ``align.*`` section
(:class:`pipeline.config.AlignSection`); these are the ones underneath it. Both enter the aligner's
signature (:mod:`.signature`), and through it the align stage's resume key: changing a number here
re-aligns a run without a hand bump of the stage's version.

Where a number was set ("set on"):

* *seed page, by hand*: chosen with the first aligner on ``data/seed_ja.txt`` and its embedded
  English teaser (2026-11-25), before any gold existed;
* *seed golds*: checked against the seed's golds (``tests/data/align/``: teaser, dev, dev2;
  ``benchmarks/tune_align.py`` before the WMT21 dev set came);
* *tune half*: tuned on the tune half of the WMT21 dev set (the first 41 documents of
  ``../shared/dev/wmt21-ja-en``, ``benchmarks/tune_align.py``) and its variants
  (``benchmarks/variants.py``), then measured once on the test half (docs/alignment.md);
* *numeric*: a guard of the arithmetic, not tuned.
"""

from __future__ import annotations

from dataclasses import dataclass

from .confidence import Calibration
from .length_model import LengthModel


@dataclass(frozen=True)
class KindWeights:
    """How much a shared anchor weighs in the lexical score, by kind, on both sides: a shared number
    or acronym is stronger evidence than a shared name, a name stronger than a dictionary word.
    Set on: seed page, by hand."""

    number: float = 2.0  # a number (Japanese) / a word starting with a digit (English)
    latin: float = 2.0  # a Latin-script token (Japanese) / an all-capitals word of 2+ letters (English)
    name: float = 1.5  # a name or loanword (Japanese) / a capitalised word (English)
    word: float = 1.0  # a dictionary word (Japanese) / any other content word (English)

    def of(self, kind: str) -> float:
        return getattr(self, kind)


@dataclass(frozen=True)
class GlossCaps:
    """How much of a jamdict lookup becomes English stems: the first entries, their first senses,
    their first glosses (the later ones are rarer meanings). Set on: seed page, by hand."""

    word_entries: int = 3  # JMdict entries of a word
    word_senses: int = 4  # senses per JMdict entry
    word_glosses: int = 4  # glosses per JMdict sense
    name_entries: int = 3  # JMnedict entries of a name
    name_senses: int = 2  # senses per JMnedict entry
    name_glosses: int = 3  # transliterations per JMnedict sense


@dataclass(frozen=True)
class AnchorParams:
    """The lexical signal (:mod:`.lexicon`, :func:`.signals.anchor_score`)."""

    kind_weight: KindWeights = KindWeights()
    # A truncated reference renders a prefix of its source, so it is judged by precision, times
    # min(1, recall_floor + recall_slope · recall): a little recall is enough. Set on: seed page, by hand.
    truncated_recall_floor: float = 0.5
    truncated_recall_slope: float = 2.0
    # A romaji reading matches an English word (a name, a loanword) from this similarity
    # (difflib ratio after spelling folding, :func:`.translit.name_similarity`). Set on: seed page, by hand.
    name_min_similarity: float = 0.75
    # An English stem keeps this many letters (meet/meeting, Russia/Russian). Set on: seed page, by hand.
    stem_letters: int = 6
    glosses: GlossCaps = GlossCaps()


@dataclass(frozen=True)
class MTParams:
    """The MT signal: chrF of the MT output above the chrF unrelated pairs reach (:mod:`.signals`)."""

    # Against a truncated reference, the MT's prefix of this many times the reference's characters
    # (its "…" left out) is scored (+1 character). Set on: seed page, by hand.
    truncated_prefix: float = 1.2
    # The unrelated-pair baseline: this quantile of the chrF of this many random (MT, reference)
    # pairs of the document, drawn with this seed. Set on: seed page, by hand (the tiny model's
    # meaningless MT must add no evidence).
    baseline_quantile: float = 0.9
    baseline_samples: int = 200
    baseline_seed: int = 0


@dataclass(frozen=True)
class CandidateParams:
    """Which beads are scored for the evidence chain (:mod:`.evidence`, :mod:`.signal_aligner`)."""

    # An English stem in more than max(max_df_floor, m ** max_df_power) of a document's m reference
    # sentences is too vague to propose candidates by. Set on: seed golds and benchmarks/bench_align.py
    # (10,000 × 10,000 synthetic sentences; a speed-up).
    max_df_floor: int = 50
    max_df_power: float = 0.5
    # The 2-1 / 1-2 beads around a 1-1 pair are scored only when the pair scores above this share of
    # align.threshold (a merged bead needs evidence in one of its parts). Set on: seed golds and
    # benchmarks/bench_align.py (a speed-up).
    merge_seed_share: float = 0.5


@dataclass(frozen=True)
class BeadPrior:
    """Prior probability of a linked bead's shape in the gap DP and the cut search: Gale & Church
    (1993)'s 0.89 for 1-1 and half their 0.089 for each merge (deletions are priced by align.skip_*
    instead), kept on the tune half. The order is the order the gap DP tries the shapes in (ties go
    to the first)."""

    one_one: float = 0.89
    two_one: float = 0.0445
    one_two: float = 0.0445

    def items(self) -> tuple[tuple[tuple[int, int], float], ...]:
        return (((1, 1), self.one_one), ((2, 1), self.two_one), ((1, 2), self.one_two))

    def of(self, shape: tuple[int, int]) -> float:
        for known, prior in self.items():
            if known == shape:
                return prior
        raise KeyError(f"no prior for a {shape[0]}-{shape[1]} bead")


@dataclass(frozen=True)
class GapParams:
    """The gap DP between confident links (:mod:`.gaps`) and the paragraph model (:mod:`.paragraphs`);
    costs in nats. Set on: tune half."""

    bead_prior: BeadPrior = BeadPrior()
    # The gap DP's (and the cut search's, and the confidence's) length model: σ 0.35 around a ratio
    # measured on the document's own links (tune half); a truncated reference expected at 60 % of its
    # length (the dev set's partial references cut their last sentence to ~60 %), with σ 0.525 (1.5 × 0.35,
    # align v9: cut at a word boundary, a short sentence keeps 10–60 % of its characters; WMT23 / WMT21 tune
    # partial references and the WMT21 tune variants, all gain but WMT23 Online-B −0.001; 2 × loses WMT23
    # tiny); the floors: LengthModel's defaults.
    length: LengthModel = LengthModel(
        sigma=0.35,
        truncated_sigma=0.525,
        truncated_share=0.6,
        truncated_any_shorter=False,
    )
    evidence_weight: float = 4.0  # a link's cost falls by this × its evidence (nats per unit of evidence)
    paragraph_cross: float = 6.0  # a bead whose sentences lie in different paragraphs (a heading merged)
    paragraph_start: float = 2.0  # a bead starting a paragraph on one side only
    # a bead in the same paragraph as a bounding link on one side only (a reference paragraph split
    # between two source paragraphs): the middle of a plateau from 1 to 3 on the tune half
    paragraph_jump: float = 2.0
    # a jump that lands inside a paragraph costs this × the document's paragraph agreement more
    # (set on the tune half's variants, align stage version 5)
    stray_per_agreement: float = 6.0
    # English characters per Japanese character are measured on the chain's untruncated links when
    # it has at least this many (else EvidenceParams.en_per_ja)
    ratio_min_links: int = 3
    # the document's paragraph agreement needs at least this many chain links that start a
    # paragraph on either side (fewer say nothing: agreement 1)
    agreement_min_links: int = 2
    # where paragraphs correspond, no sentence alone in its paragraph (a heading) is linked into the other
    # side's body, except a reference one where the reference has more than this times the source's share
    # of lone sentences (the seed's seed3 gold: single sentences picked from the body, 0.5 against 0.16, 3.1×).
    # Set on: the seed golds and the WMT23 / WMT21 tune halves; 2.0 → 2.5 (align v9): a short partial reference
    # keeps its truncated title alone (WMT21 tune sanyo_shimbun-ja.6157: 0.25 against 0.11, 2.25×, the title
    # linked into the body); 3.0 the same on the tune halves and variants, kept below seed3
    lone_share_ratio: float = 2.5
    # the gap DP's cost of a 1-1 bead pairing a heading with the other side's body, × the document's paragraph
    # agreement (paragraphs.lone_mismatch): the same tune F1 from 3 to 10 (2 less). Set on: WMT23 and WMT21
    # tune halves (a truncated English heading filled with the first sentence of a Japanese paragraph: wmt23-010)
    lone_per_agreement: float = 4.0
    # where paragraphs correspond, a chain link to a truncated reference (whose evidence is the precision of a
    # few words) leaves the chain when its source lies more than this many paragraphs from where the links
    # either side of it expect it (position.without_off_line). Set on: WMT23 tune wmt23-072 ("What should I do
    # to become a…" linked three paragraphs late) and the WMT21 tune half's variants (tune_align --variants):
    # 1.5 gains on random-half and WMT23 and loses nowhere; 0.5 to 1 lose random-half / random-sparse (they fit
    # every-other-paragraph layouts only), 2 to 2.5 gain nothing. Untruncated links held to it lose seed golds
    truncated_off_line: float = 1.5
    # in a full reference, the links this many each way of a sentence left unaligned are aligned again by the
    # gap DP (orphans.realign_orphans). Set on: WMT23 tune wmt23-016, -074 (a merge or a link one sentence off
    # that won the chain by a few hundredths, its neighbour left out) and the WMT21 tune half's variants: 1 loses
    # edited-full (0.984 → 0.980), 3 gives the same figures as 2
    orphan_links: int = 2


@dataclass(frozen=True)
class CutParams:
    """Cutting a reference sentence that renders two source sentences (:mod:`.split`). Set on: tune
    half (every true cut there gains ≥ 4.2 nats at zero cost)."""

    before_function_word: float = 2.5  # cost of a boundary with no punctuation: "… is Flawless | This week, …"
    before_name: float = 4.0  # "… Karatsu city | Masuda Shrine, located …"
    min_piece: int = 8  # characters: a shorter piece is not a sentence of its own
    # candidate cuts scored per sentence, those nearest where the source lengths put the cut (a
    # sentence of 600 capitals: 6 s → 0.5 s; a speed-up)
    max_cuts: int = 24


@dataclass(frozen=True)
class ConfidenceParams:
    """A linked bead's calibrated confidence (:mod:`.confidence`)."""

    # logistic weights for (bias, evidence, length_logp, anchored, paragraph_mismatch), fitted on the
    # tune half and the seed's golds (``benchmarks/tune_align.py --calibrate``); see docs/alignment.md
    calibration: Calibration = Calibration((3.91, 1.994, 0.443, 0.423, -8.055))
    digits: int = 4  # a bead's score and signals are rounded to this many decimals (numeric)
    min_score: float = 0.0001  # a linked bead's score is at least this (0 means unaligned; numeric)


@dataclass(frozen=True)
class EvidenceParams:
    """The length signal of the evidence (:mod:`.evidence`)."""

    # English characters per Japanese character: the length signal's ratio, and the gap DP's where the
    # chain has too few links to measure one. Set on: seed page, by hand.
    en_per_ja: float = 2.6
    # The evidence's length model: σ 0.45 around the fixed en_per_ja (the gap DP's is measured on the
    # document), a truncated reference may be any shorter length; only its similarity readout is used
    # (the floors serve logp). Set on: seed page, by hand. Kept apart from the gap DP's set: one set for
    # both would change every bead's length signal, and so alignment.jsonl.
    length: LengthModel = LengthModel(
        sigma=0.45,
        truncated_sigma=0.45,
        truncated_share=1.0,
        truncated_any_shorter=True,
    )


@dataclass(frozen=True)
class AlignParams:
    """Every tuned number of the aligner, by the step that uses it."""

    evidence: EvidenceParams = EvidenceParams()
    anchors: AnchorParams = AnchorParams()
    mt: MTParams = MTParams()
    candidates: CandidateParams = CandidateParams()
    gaps: GapParams = GapParams()
    cuts: CutParams = CutParams()
    confidence: ConfidenceParams = ConfidenceParams()


PARAMS = AlignParams()
"""The parameter set every aligner uses unless given another."""
