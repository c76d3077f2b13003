"""The ``length`` aligner: the length ratio in a band around the diagonal, no gap pass; a baseline
(:mod:`.signal_aligner`)."""

from __future__ import annotations

from .base import aligners
from .evidence import Signals
from .signal_aligner import SignalAligner


@aligners.register("length")
class LengthAligner(SignalAligner):
    use = Signals(mt=False, lexical=False, length_only=True)
