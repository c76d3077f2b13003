"""The ``mt`` aligner: MT chrF and length, no lexicon, as Bleualign (:mod:`.signal_aligner`)."""

from __future__ import annotations

from .base import aligners
from .evidence import Signals
from .signal_aligner import SignalAligner


@aligners.register("mt")
class MTAligner(SignalAligner):
    use = Signals(lexical=False)
