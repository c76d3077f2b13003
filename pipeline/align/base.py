"""The aligner interface and its registry."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Sequence

from ..config import AlignSection
from ..records import Bead, Sentence
from ..registry import Registry
from .params import PARAMS, AlignParams


class Aligner(ABC):
    """Pairs source sentences with reference sentences, monotonically; everything else stays unaligned.

    The result covers every source and every reference sentence exactly once, in order.
    """

    def __init__(self, cfg: AlignSection, params: AlignParams = PARAMS) -> None:
        self.cfg = cfg
        self.params = params  # the tuned numbers underneath the config's settings (:mod:`.params`)

    @abstractmethod
    def align(self, src: Sequence[Sentence], mt: Sequence[str], ref: Sequence[Sentence]) -> list[Bead]:
        """``mt[i]`` is the machine translation of ``src[i]`` ('' when there is none)."""


aligners: Registry[type[Aligner]] = Registry("aligner")
