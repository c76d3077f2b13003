"""The ``hybrid`` aligner: lexical anchors, MT chrF and length (:mod:`.signal_aligner`)."""

from __future__ import annotations

from .base import aligners
from .signal_aligner import SignalAligner


@aligners.register("hybrid")
class HybridAligner(SignalAligner):
    pass
