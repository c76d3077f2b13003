"""The translation backend interface, its registry, and the settings every backend shares."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass
from typing import Any

from ..config import TranslateSection
from ..registry import Registry
from .batching import BatchPlan, default_plan
from .splitting import join_pieces


@dataclass(frozen=True)
class Output:
    """One translation as the decoder left it."""

    text: str
    truncated: bool = False  # generation stopped at the new-token cap, not at an end token
    unk: bool = False  # the model produced its unknown token (the tokenizer drops it from ``text``)

    def flags(self) -> list[str]:
        return [name for name, on in (("truncated", self.truncated), ("unk", self.unk)) if on]

    @classmethod
    def with_flags(cls, text: str, flags: Sequence[str]) -> Output:
        """The inverse of ``flags()``."""
        return cls(text, truncated="truncated" in flags, unk="unk" in flags)

    @classmethod
    def joined(cls, outputs: Sequence[Output]) -> Output:
        """The outputs of consecutive pieces as one: texts joined, decoder flags of any piece kept."""
        return cls(
            join_pieces([o.text for o in outputs]),
            truncated=any(o.truncated for o in outputs),
            unk=any(o.unk for o in outputs),
        )


@dataclass(frozen=True)
class Generation:
    """Decoding settings: the config's where set, else the model's generation config, else the
    transformers defaults. Every backend decodes with exactly these."""

    num_beams: int
    length_penalty: float
    no_repeat_ngram_size: int
    repetition_penalty: float
    min_new_tokens: int
    max_new_tokens_ratio: float
    max_new_tokens_min: int
    max_positions: int
    forced_eos: bool

    @classmethod
    def resolve(cls, cfg: TranslateSection, model_gen: dict[str, Any], max_positions: int) -> Generation:
        def pick(value: Any, key: str, default: Any) -> Any:
            if value is not None:
                return value
            found = model_gen.get(key)
            return default if found is None else found

        return cls(
            num_beams=int(pick(cfg.num_beams, "num_beams", 1)),
            length_penalty=float(pick(cfg.length_penalty, "length_penalty", 1.0)),
            no_repeat_ngram_size=int(pick(cfg.no_repeat_ngram_size, "no_repeat_ngram_size", 0)),
            repetition_penalty=float(pick(cfg.repetition_penalty, "repetition_penalty", 1.0)),
            min_new_tokens=cfg.min_new_tokens,
            max_new_tokens_ratio=cfg.max_new_tokens_ratio,
            max_new_tokens_min=cfg.max_new_tokens_min,
            max_positions=max_positions,
            forced_eos=model_gen.get("forced_eos_token_id") is not None,
        )

    def max_new_tokens(self, longest_source: int, scale: float = 1.0) -> int:
        """New tokens (end of sentence included) allowed for a batch whose longest source has
        ``longest_source`` tokens: relative to the source (times ``scale``, for a retry of a cut
        output), never beyond the model's positions."""
        wanted = max(self.max_new_tokens_min, int(longest_source * self.max_new_tokens_ratio), self.min_new_tokens + 1)
        return min(int(wanted * scale), self.max_positions)

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


class Translator(ABC):
    """A loaded model that turns a list of source sentences into translations, order kept.

    Built from a ``TranslateSection`` alone (``translators.get(cfg.backend)(cfg)``), so an engine can
    build one per worker; ``translate`` is the unit of work."""

    name: str = "base"
    generation: Generation  # set by each backend once its model is loaded
    cacheable: bool = True
    """Whether the stage keeps this backend's output in the translation cache."""

    def __init__(self, cfg: TranslateSection) -> None:
        self.cfg = cfg
        self.batch_plan: BatchPlan = default_plan(cfg.max_batch_size, cfg.max_batch_tokens)

    def check_sources(self, sentences: Iterable[str]) -> None:  # noqa: B027  (optional hook: no-op by default)
        """Called once with every source sentence before translating (a backend that can only
        translate some of them says so here, counting all)."""

    @abstractmethod
    def translate_outputs(self, texts: Sequence[str], cap_scale: float = 1.0) -> list[Output]:
        """Translate ``texts`` (each must already fit the model's source limit), saying per output
        whether it hit the new-token cap (``Generation.max_new_tokens`` times ``cap_scale``)."""

    def translate(self, texts: Sequence[str]) -> list[str]:
        """Just the translated texts of ``translate_outputs``."""
        return [o.text for o in self.translate_outputs(texts)]

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

    @classmethod
    def source_identity(cls, cfg: TranslateSection) -> dict[str, Any]:
        """What the output depends on outside the config, known without loading the model: it
        enters the translate stage's resume key. Default: the identity of ``translate.model``
        (weights, tokenizer, config files, revision), resolved by the quick offline check; a
        backend that reads other files (e.g. translations from a file) returns their hashes."""
        from .loading import model_identity, resolve_model_dir

        return model_identity(cfg.model, cfg.revision, resolve_model_dir(cfg.model, cfg.revision))

    def describe(self) -> dict[str, Any]:
        """Facts for the manifest that do not change the output (device, threads)."""
        return {}


translators: Registry[type[Translator]] = Registry("translation backend")
