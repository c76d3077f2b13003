"""The ``lexical`` aligner: lexical anchors and length, no MT (:mod:`.signal_aligner`)."""

from __future__ import annotations

from .base import aligners
from .evidence import Signals
from .signal_aligner import SignalAligner


@aligners.register("lexical")
class LexicalAligner(SignalAligner):
    use = Signals(mt=False)
