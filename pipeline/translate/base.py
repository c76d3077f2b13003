"""The translation backend interface and its registry."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Sequence
from typing import Any

from ..config import TranslateSection
from ..registry import Registry


class Translator(ABC):
    """A loaded model that turns a list of source sentences into translations, order kept."""

    name: str = "base"

    def __init__(self, cfg: TranslateSection) -> None:
        self.cfg = cfg

    @abstractmethod
    def translate(self, texts: Sequence[str]) -> list[str]:
        """Translate ``texts``; each must already fit the model's source limit."""

    @abstractmethod
    def count_tokens(self, text: str) -> int:
        """Source tokens of ``text`` as the model sees them (special tokens included)."""

    @property
    @abstractmethod
    def max_source_tokens(self) -> int:
        """The longest source the model accepts, in tokens."""

    @abstractmethod
    def identity(self) -> dict[str, Any]:
        """Everything that determines the output: model id and weights hash, backend, settings."""


translators: Registry[type[Translator]] = Registry("translation backend")
