"""The aligner's signature, as sacrebleu prints one for a metric: method, version and every setting.

    hybrid|v:10|thr:0.35|lw:0.3|cand:10|merge:0.8|gaps:yes|anchors:2|gapmax:80|cov:0.7|skip:6.0/2.0|cut:yes|conf:0.5|band:20|en:0.15|params:1a2b3c4d

The config's ``align.*`` settings are spelled out under short keys; the tuned numbers underneath
them (:mod:`.params`, some forty) are summed up by ``params``, a stable hash of the whole parameter
set. It is recorded in the manifest's ``align`` entry, ``summary.md`` and ``report.html``, and it is
the align stage's identity: changing a setting or any tuned number changes the stage's resume key,
so the run re-aligns without a hand bump of :data:`ALIGNER_VERSION`, which changes only when the
aligner's code changes its beads.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict

from ..config import AlignSection
from .params import AlignParams

# 2: the partial-reference chrF prefix measured without the ellipsis (pipeline.text); 3: cut references
# (split.py); 4: glosses without diacritics, short long vowels in names, "July's" a month; confidence weighs a
# paragraph mismatch by how far the document's paragraphs correspond; 5: strays leave the chain, a 2-1 bead over a
# truncated reference is linked only when cut; 6: no cut inside brackets or a quotation (the parameter set and the
# signature came after it, beads unchanged); 7: a 1-1 link takes in an unaligned neighbour (extend.py), a source
# heading linked into the other side's body leaves the chain (paragraphs.without_lone_mismatches; in the gap DP it costs
# gaps.lone_per_agreement), swapped neighbours
# are linked crosswise (swap.py); 8: a chain link to a truncated reference off the line its neighbours draw leaves
# the chain (position.py); 9: an uncut merge into a truncated reference leaves the chain's candidates
# (signal_aligner.chain), a truncated link entering a source paragraph from inside its own leaves the chain
# (paragraphs.without_inside_entries), a chain link to a truncated reference is held to align.min_confidence,
# English number words are numbers (lexicon.NUMBER_WORDS); with lone_share_ratio 2.5 and the truncated spread;
# 10: in a whole reference, the links beside a sentence left unaligned are aligned again (orphans.py)
ALIGNER_VERSION = "10"

# config key → signature key, in the order they are printed (skip_full and skip_partial print as one)
SHORT_KEYS = {
    "threshold": "thr",
    "length_weight": "lw",
    "max_candidates": "cand",
    "merge_weight": "merge",
    "realign_gaps": "gaps",
    "min_anchors": "anchors",
    "gap_max": "gapmax",
    "full_coverage": "cov",
    "skip_full": "skip",
    "cut_references": "cut",
    "min_confidence": "conf",
    "band": "band",
    "min_english": "en",
}
NOT_PRINTED = {"method", "skip_partial"}  # the method heads the signature; skip_partial follows skip_full


def params_hash(params: AlignParams) -> str:
    """Eight hex digits of the SHA-256 of the whole parameter set, as sorted JSON."""
    blob = json.dumps(asdict(params), sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(blob.encode()).hexdigest()[:8]


def _value(value: object) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)


def signature(cfg: AlignSection, params: AlignParams, version: str = ALIGNER_VERSION) -> str:
    """``METHOD|v:VERSION|KEY:VALUE|…|params:HASH`` for these settings and tuned numbers."""
    missing = set(type(cfg).model_fields) - set(SHORT_KEYS) - NOT_PRINTED
    if missing:  # a new align.* key must be given a short key here
        raise ValueError(f"align.{sorted(missing)[0]} has no key in the aligner's signature (align/signature.py)")
    fields = [cfg.method, f"v:{version}"]
    for name, key in SHORT_KEYS.items():
        value = _value(getattr(cfg, name))
        if name == "skip_full":
            value += f"/{_value(cfg.skip_partial)}"
        fields.append(f"{key}:{value}")
    fields.append(f"params:{params_hash(params)}")
    return "|".join(fields)
