"""Lexical anchors that need no MT: the English words a Japanese sentence is likely to be rendered by.

A Japanese sentence is analysed once (fugashi + unidic-lite) into *concepts*: numbers, Latin-script
tokens, names (romaji through pykakasi, unidic's foreign-word lemma, JMnedict transliterations) and
dictionary words (JMdict glosses of jamdict's data, read by gloss_index.py). Each concept carries the
English stems it may be rendered by; an English sentence is reduced to its content stems. Dictionary
lookups are cached per word (a lookup costs ~30 µs of CPU, jamdict's own 1–15 ms; a cached one ~1 µs)
and kept on disk for the next processes with pykakasi's transcriptions (gloss_memo.py: ~5 µs a word),
and so are stems, English tokens, name comparisons and a word's concept; the analysis of a sentence is
kept for the last ``SENTENCES_KEPT`` sentences (a corpus repeats some).
"""

from __future__ import annotations

import atexit
import logging
import os
import re
import threading
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from . import unidic
from .gloss_index import Found, GlossIndex, texts_of
from .gloss_memo import GlossMemo, Texts, default_memo_path
from .params import PARAMS
from .translit import initial, names_alike, readings_of, transcribe

log = logging.getLogger(__name__)

MONTHS = {
    m: i
    for i, names in enumerate(
        [
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ],
        1,
    )
    for m in names
}
# English number words, read as numbers ("three weeks" ↔ ３週間, "zero" ↔ 0円; WMT21 and WMT23 tune halves);
# "one" stays a function word (a pronoun as often as a number).
_UNITS = """zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen
    seventeen eighteen nineteen""".split()
_TENS = "twenty thirty forty fifty sixty seventy eighty ninety hundred".split()
NUMBER_WORDS = {w: str(n) for n, w in enumerate(_UNITS) if w != "one"}
NUMBER_WORDS |= {w: str(n) for n, w in zip(range(20, 101, 10), _TENS)}
# Function words carry no alignment evidence (and let us tell English from other languages).
STOPWORDS = frozenset(
    """a about above after again against all also am an and any are as at be because been before being
    below between both but by can could did do does doing down during each few for from further had has
    have having he her here hers herself him himself his how i if in into is it its itself just me more
    most my myself no nor not now of off on once only or other our ours ourselves out over own same she
    should so some such than that the their theirs them themselves then there these they this those
    through to too under until up very was we were what when where which while who whom why will with
    would you your yours yourself yourselves one ones thing things something someone said says say
    according s t us""".split()
)
_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")
_EN_TOKEN = re.compile(r"[A-Za-z][A-Za-z'’]*|\d+(?:[.,]\d+)*")
_LATIN = re.compile(r"[A-Za-z][A-Za-z\-]*[A-Za-z]|[A-Z]")
_KATAKANA = re.compile(r"^[\u30a0-\u30ffー・]+$")
_PARENTHESES = re.compile(r"\([^)]*\)")
_LETTERS = re.compile(r"[A-Za-z]+")
_LONG_VOWEL = re.compile(r"(?<=o)u|(?<=u)u|(?<=o)o", flags=re.IGNORECASE)  # long_vowel_variants
_POSSESSIVE = re.compile(r"['’]s?$")
_CONTENT_POS = ("名詞", "動詞", "形容詞", "形状詞", "副詞")
# Formal nouns and the like: frequent, vague, and glossed with many unrelated English words.
_JA_SKIP = frozenset("こと もの ため よう ところ など 方 中 上 的 氏 事 物 時 為 訳 わけ 者 等 点 際 後 前 間 ".split())
_ALIASES = {"usa": "us", "americ": "us"}
# Sentences whose analysis (Japanese concepts, English content words) a process keeps: a corpus repeats
# some (boilerplate, datelines, copies), and each is analysed once per document that holds it.
SENTENCES_KEPT = 4096
# Words (surface, lemma, proper or not) whose concept a process keeps: a word recurs across a corpus's
# sentences, and its concept (frozen) is the same each time.
WORDS_KEPT = 65536


@lru_cache(maxsize=262144)
def stem(word: str) -> str:
    """A crude English stem: lower case, no possessive, its first letters (meet/meeting, Russia/Russian;
    ``PARAMS.anchors.stem_letters``)."""
    w = word.lower().replace("’", "'")
    if w.endswith("'s"):
        w = w[:-2]
    w = w.rstrip("'")
    if w.endswith("ies") and len(w) > 4:
        w = w[:-3] + "y"
    elif w.endswith("s") and not w.endswith("ss") and len(w) > 3:
        w = w[:-1]
    return w[: PARAMS.anchors.stem_letters] if w.isalpha() else w.replace(",", "")


def canonical_number(token: str) -> str:
    n = token.replace(",", "")
    if "." in n:
        n = n.rstrip("0").rstrip(".")
    return n.lstrip("0") or "0"


def fold_accents(text: str) -> str:
    """Latin letters without their diacritics: JMdict's "Kyūshū" is the news's "Kyushu"."""
    if text.isascii():  # nothing to fold (NFKD leaves ASCII as it is)
        return text
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


def long_vowel_variants(word: str) -> set[str]:
    """A romanised name as JMnedict spells it and with its long vowels written short, as English news
    writes them (Kyuushuu → Kyushu, Hyougo → Hyogo, Ooita → Oita; "ii" stays: Niigata)."""
    return {word, _LONG_VOWEL.sub("", word)}


@lru_cache(maxsize=262144)
def gloss_stems(gloss: str) -> frozenset[str]:
    """Content stems of one dictionary gloss ('Beijing (China)' → {beijin}; 'to speak' → {speak})."""
    text = _PARENTHESES.sub(" ", fold_accents(gloss))
    return frozenset(st for w in _LETTERS.findall(text) if (st := _gloss_stem(w)) is not None)


@lru_cache(maxsize=262144)
def _gloss_stem(word: str) -> str | None:
    """The stem of a word of a gloss (letters only), None for a function word or a single letter."""
    return stem(word) if word.lower() not in STOPWORDS and len(word) > 1 else None


@dataclass(frozen=True)
class Concept:
    """One Japanese word (or number, acronym, name) and the English stems it may become."""

    surface: str
    kind: str  # number | latin | name | word
    stems: frozenset[str]
    readings: tuple[str, ...] = ()  # romaji, for fuzzy matching of names and loanwords


@dataclass
class EnglishSide:
    """An English sentence reduced to what anchors can match."""

    words: list[str]  # content words in order (numbers canonical)
    stems: list[str] = field(default_factory=list)
    initials: list[str | None] = field(default_factory=list)  # of the words a name can match (:func:`initial`)
    by_initial: dict[str, list[int]] = field(default_factory=dict)  # positions of the words per initial

    def __post_init__(self) -> None:
        keys = [_word_keys(w) for w in self.words]
        self.stems = [st for st, _ in keys]
        self.initials = [first for _, first in keys]
        self.by_initial = {}
        for k, first in enumerate(self.initials):
            if first is not None:
                self.by_initial.setdefault(first, []).append(k)


@lru_cache(maxsize=262144)
def _word_keys(word: str) -> tuple[str, str | None]:
    """A content word's stem (a number: itself) and the initial a name must share with it (:func:`initial`;
    None for a word that does not start with a letter)."""
    return stem(word) if not word[0].isdigit() else word, initial(word) if word[0].isalpha() else None


@lru_cache(maxsize=262144)
def vote_stem(word: str) -> str | None:
    """The stem an MT content word votes for reference sentences with (:meth:`.evidence.Evidence.pairs`);
    None for a function word in capitals (US)."""
    return None if word.lower() in STOPWORDS else stem(word)


def english(text: str) -> EnglishSide:
    return EnglishSide(list(content_words(text)))


@lru_cache(maxsize=SENTENCES_KEPT)
def content_words(text: str) -> tuple[str, ...]:
    """The content words of an English text, in order (numbers canonical, months as numbers)."""
    norm = fold_accents(unicodedata.normalize("NFKC", text))
    return tuple(filter(None, map(_content_word, _EN_TOKEN.findall(norm))))  # a content word is never empty


@lru_cache(maxsize=262144)
def _content_word(tok: str) -> str | None:
    """What an English token is among the content words (a canonical number, a number word's or a month's
    number, the word itself), or None for a function word."""
    if tok[0].isdigit():
        return canonical_number(tok)
    if number := NUMBER_WORDS.get(tok.lower()):
        return number
    month = MONTHS.get(_POSSESSIVE.sub("", tok.lower()))
    if month and tok[0].isupper():
        return str(month)
    if (tok.lower() not in STOPWORDS or tok.isupper()) and len(tok) > 1:  # US is not "us"
        return tok
    return None


def english_ratio(texts: Iterable[str]) -> float:
    """Share of Latin-script tokens that are English function words (~0.4 for English prose, ~0 else)."""
    total = hits = 0
    for t in texts:
        for tok in re.findall(r"[^\W\d_]+", t):
            total += 1
            hits += tok.lower() in STOPWORDS
    return hits / total if total else 0.0


class Lexicon:
    """JMdict/JMnedict lookups through jamdict, cached per word, behind a lock (sqlite is per thread). The
    gloss texts of the words met are kept on disk between processes too (:mod:`.gloss_memo`): ``memo``
    True for the user cache's file of this dictionary, a path for another, False for none."""

    def __init__(self, memo: bool | Path = True) -> None:
        self._jam = None
        self._index: GlossIndex | None = None
        self._memo_at = memo
        self._memo: GlossMemo | None = None
        self._lock = threading.Lock()

    def _jamdict(self):
        if self._jam is None:
            from jamdict import Jamdict

            previous = logging.root.manager.disable
            logging.disable(logging.INFO)  # jamdict's config loader logs on the root logger
            try:
                self._jam = Jamdict()
            finally:
                logging.disable(previous)
        return self._jam

    def _open(self) -> tuple[GlossIndex, GlossMemo | None]:
        """The gloss index and the memo of this process (a connection is not shared across a fork)."""
        if self._index is None or self._index.pid != os.getpid():
            db_file = self._jamdict().db_file
            self._index = GlossIndex(db_file)
            if self._memo_at is not False:
                path = default_memo_path(db_file) if self._memo_at is True else Path(self._memo_at)
                self._memo = GlossMemo(path)
                atexit.register(self._memo.flush)
        return self._index, self._memo

    def _texts(self, word: str) -> Texts:
        """The gloss texts of ``word`` the lexicon reads: from the memo, else from the gloss index where it
        covers the word (else from jamdict's own LookupResult, of the same shape)."""
        if not GlossIndex.covers(word):
            return _texts_of(self._jamdict().lookup(word, strict_lookup=True, lookup_chars=False, lookup_ne=True))
        index, memo = self._open()
        if memo is not None and (kept := memo.get(word)) is not None:
            return kept
        caps = PARAMS.anchors.glosses  # only the entries glosses() reads
        texts = _texts_of(index.lookup(word, caps.word_entries, caps.name_entries))
        if memo is not None:
            memo.put(word, texts)
        return texts

    @lru_cache(maxsize=131072)  # noqa: B019  (one Lexicon per process: LEXICON)
    def glosses(self, word: str) -> tuple[frozenset[str], frozenset[str]]:
        """(stems of JMdict word glosses, stems of JMnedict name transliterations) of ``word``."""
        with self._lock:
            try:
                words, names = self._texts(word)
            except Exception as exc:  # a broken dictionary install must not stop alignment
                log.warning("jamdict lookup of %r failed (%s): dictionary anchors disabled for it", word, exc)
                return frozenset(), frozenset()
        name_stems = (gloss_stems(w) for text in names for w in long_vowel_variants(text))
        return frozenset().union(*map(gloss_stems, words)), frozenset().union(*name_stems)

    @lru_cache(maxsize=65536)  # noqa: B019  (one Lexicon per process: LEXICON)
    def readings(self, word: str) -> tuple[str, ...]:
        """The romaji readings of a katakana ``word`` (:func:`.translit.readings_of` its
        :func:`.translit.transcribe`), pykakasi's transcriptions kept in the memo."""
        with self._lock:
            try:
                memo = self._open()[1]
            except Exception:  # noqa: BLE001  (a broken dictionary install: glosses() says so; readings need none)
                memo = None
            if memo is None or (texts := memo.get_readings(word)) is None:
                texts = transcribe(word)
                if memo is not None:
                    memo.put_readings(word, texts)
        return readings_of(texts)

    def flush(self) -> None:
        """Write the words met since the memo's last batch (also done at exit)."""
        with self._lock:
            if self._memo is not None:
                self._memo.flush()


def _texts_of(res: Found) -> Texts:
    """The gloss texts a lookup's entries give the lexicon (:func:`.gloss_index.texts_of`, ``anchors.glosses``:
    the process-wide lexicon reads the default parameter set)."""
    return texts_of(res, PARAMS.anchors.glosses)


_tagger = None
LEXICON = Lexicon()


def _tag(text: str):
    global _tagger
    if _tagger is None:
        import fugashi

        _tagger = fugashi.Tagger()
    return _tagger(text)


def japanese(text: str, lexicon: Lexicon = LEXICON) -> list[Concept]:
    """The concepts of a Japanese sentence, in order."""
    return list(_concepts(text, lexicon))


@lru_cache(maxsize=SENTENCES_KEPT)
def _concepts(text: str, lexicon: Lexicon) -> tuple[Concept, ...]:
    norm = unicodedata.normalize("NFKC", text)
    concepts: list[Concept] = []
    for tok in _LATIN.findall(norm):
        concepts.append(Concept(tok, "latin", frozenset({stem(tok)})))
    for tok in _NUMBER.findall(norm):
        n = canonical_number(tok)
        concepts.append(Concept(tok, "number", frozenset({n})))
    words = list(_tag(norm))
    surfaces, features = [w.surface for w in words], unidic.features(words)
    used = _compounds(surfaces, features, lexicon, concepts)
    for k, (surface, f) in enumerate(zip(surfaces, features)):
        if k in used or surface in _JA_SKIP:
            continue
        if k and features[k - 1].pos2 == "数詞" and f.pos1 in ("名詞", "接尾辞"):
            continue  # a counter after a number: 2024年, 6日, 7,000語
        if f.pos1 not in _CONTENT_POS or f.pos2 in ("数詞", "非自立可能") or surface.isascii():
            continue
        c = _word_concept(surface, f.lemma, lexicon, f.pos2 == "固有名詞")  # positional: a cheaper cache key
        if c is not None:
            concepts.append(c)
    return tuple(concepts)


def _compounds(surfaces: list[str], features: list, lexicon: Lexicon, concepts: list[Concept]) -> set[int]:
    """Add the concepts of compound nouns (木曜+日 → 木曜日 Thursday, 国家+主席 → head of state),
    longest match first, to ``concepts``; the positions of the words they take."""
    used: set[int] = set()
    # a compound's words are nouns or suffixes, none a numeral; it starts with a noun
    runs = _runs([(f.pos1 == "名詞" or f.pos1 == "接尾辞") and f.pos2 != "数詞" for f in features])
    for size in (3, 2):
        for k in range(len(surfaces) - size + 1):
            if runs[k] < size or features[k].pos1 != "名詞" or not used.isdisjoint(range(k, k + size)):
                continue
            surface = "".join(surfaces[k : k + size])
            c = _compound_concept(surface, lexicon)
            if c is None and size == 2 and len(surfaces[k + 1]) > 1:
                # a word the tokenizer split across a boundary: 習近|平氏 → 習近平 (+ 氏)
                c = _compound_concept(surface[:-1], lexicon)
            if c is not None:
                concepts.append(c)
                used.update(range(k, k + size))
    return used


def _runs(flags: list[bool]) -> list[int]:
    """For each position, how many of ``flags`` from it on are true in a row."""
    runs = [0] * (len(flags) + 1)
    for k in range(len(flags) - 1, -1, -1):
        runs[k] = runs[k + 1] + 1 if flags[k] else 0
    return runs


def _compound_concept(surface: str, lexicon: Lexicon) -> Concept | None:
    """The concept of a compound the dictionary knows (with stems), or None: a word without glosses is
    none (its romaji, a katakana word's, are not made)."""
    words, names = lexicon.glosses(surface)
    if not words and not names:  # no stems: _word_concept(surface, None) would have none either
        return None
    return _word_concept(surface, None, lexicon)  # its glosses' stems (or names') are its stems


@lru_cache(maxsize=WORDS_KEPT)
def _word_concept(surface: str, lemma: str | None, lexicon: Lexicon, proper: bool = False) -> Concept | None:
    origin = None
    base = surface
    if lemma:
        base, _, origin = lemma.partition("-")
    stems: set[str] = set()
    names: set[str] = set()
    for key in dict.fromkeys((surface, base)):
        w, n = lexicon.glosses(key)
        stems |= w
        names |= n
    readings: tuple[str, ...] = ()
    katakana = bool(_KATAKANA.match(surface))
    if origin and _LETTERS.fullmatch(origin):  # unidic: ニュース-news, ロシア-Rossiya
        stems.add(stem(origin))
        readings += (origin.lower(),)
    if katakana:
        readings += lexicon.readings(surface)
    if names and (proper or katakana or not stems):
        stems |= names
        kind = "name"
    else:
        kind = "name" if proper or katakana else "word"
    stems |= {_ALIASES[x] for x in _ALIASES.keys() & stems}
    if not stems and not readings:
        return None
    return Concept(surface, kind, frozenset(stems), readings)


def concept_matches(
    c: Concept, en: EnglishSide, min_similarity: float = PARAMS.anchors.name_min_similarity
) -> set[int]:
    """Positions of the English words that render ``c`` (a reading matches a word from ``min_similarity``)."""
    hits = {k for k, s in enumerate(en.stems) if s in c.stems}
    if not hits and c.readings:
        hits = name_matches(c, en, min_similarity)
    return hits


def name_matches(c: Concept, en: EnglishSide, min_similarity: float) -> set[int]:
    """Positions of the English words alike a reading of ``c`` (only words of a reading's initial can be)."""
    words, readings = en.words, c.readings
    hits: set[int] = set()
    for first in initials(readings):
        for k in en.by_initial.get(first, ()):
            word = words[k]
            for r in readings:
                if names_alike(r, word, min_similarity):
                    hits.add(k)
                    break
    return hits


@lru_cache(maxsize=65536)
def initials(readings: tuple[str, ...]) -> frozenset[str]:
    """The initials of ``readings`` (:func:`.translit.initial`): the English words a name can match start so."""
    return frozenset(initial(r) for r in readings)
