"""The one length model: how plausible an English length is for a Japanese length.

The log of (English characters / expected English characters) of a true bead is taken as Gaussian
with spread ``sigma``, the expected length being the Japanese characters times English characters
per Japanese character. A reference truncated with "…" renders only a prefix of its source: it is
expected at ``truncated_share`` of the full length, with its own spread ``truncated_sigma``, and with
``truncated_any_shorter`` any shorter length is as plausible as the expected one.

Two readouts of the same log ratio: :meth:`LengthModel.similarity` (the Gaussian's shape, in [0, 1],
a signal of the evidence, :mod:`.evidence`) and :meth:`LengthModel.logp` (log of its two-sided
tail, in nats, a cost of the gap DP and the cut search, :mod:`.gaps`, and a feature of the
confidence). Its two parameter sets are in :mod:`.params`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass


@dataclass(frozen=True)
class LengthModel:
    sigma: float  # spread of log(English length / expected length) for a true bead
    truncated_sigma: float  # the same for a truncated reference (where it is cut is less certain)
    truncated_share: float  # a truncated reference is expected at this share of the full length
    truncated_any_shorter: bool  # a truncated reference may be any shorter length at no cost
    empty_logp: float = -30.0  # logp of a bead with no characters on a side
    min_tail: float = 1e-13  # the tail probability is floored here (logp never −∞; numeric, not tuned)

    def log_ratio(self, ja: int, en: int, en_per_ja: float, truncated: bool) -> float:
        """log(en / expected); 0 for a truncated reference shorter than expected where any shorter
        length is plausible. ``ja``, ``en``: characters, both > 0."""
        ratio = en / (ja * en_per_ja * (self.truncated_share if truncated else 1.0))
        if truncated and self.truncated_any_shorter and ratio < 1:
            return 0.0
        return math.log(ratio)

    def spread(self, truncated: bool) -> float:
        """σ of the log ratio: ``truncated_sigma`` for a truncated reference, else ``sigma``."""
        return self.truncated_sigma if truncated else self.sigma

    def similarity(self, ja: int, en: int, en_per_ja: float, truncated: bool = False) -> float:
        """exp(−log ratio² / 2σ²) in [0, 1]: 1 at the expected length; 0 when a side is empty."""
        if not ja or not en:
            return 0.0
        return math.exp(-(self.log_ratio(ja, en, en_per_ja, truncated) ** 2) / (2 * self.spread(truncated) ** 2))

    def logp(self, ja: int, en: int, en_per_ja: float, truncated: bool = False) -> float:
        """log P(length ratio): the Gaussian's two-sided tail beyond the log ratio, in (−∞, 0]."""
        if not ja or not en:
            return self.empty_logp
        z = abs(self.log_ratio(ja, en, en_per_ja, truncated)) / self.spread(truncated)
        return math.log(max(math.erfc(z / math.sqrt(2)), self.min_tail))
