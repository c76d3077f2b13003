"""Reading text with encoding detection, and atomic writing of artifacts."""

from __future__ import annotations

import json
import os
import re
import tempfile
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any, Generic, TypeVar

from .errors import InputError
from .records import Record, field_types
from .text import CJK_PUNCTUATION, FULLWIDTH_ASCII, KANA, KANJI, normalize_newlines

R = TypeVar("R", bound=Record)
T = TypeVar("T")

_BOMS = (
    (b"\xef\xbb\xbf", "utf-8-sig"),
    (b"\xff\xfe", "utf-16"),
    (b"\xfe\xff", "utf-16"),
)


def decode_bytes(data: bytes, source: str = "<bytes>", encoding: str = "auto") -> str:
    """Decode ``data``; with ``encoding="auto"`` detect UTF-8/16, Shift_JIS, EUC-JP and the rest."""
    if encoding != "auto":
        try:
            return data.decode(encoding)
        except (UnicodeDecodeError, LookupError) as exc:
            raise InputError(f"{source}: cannot decode as {encoding}: {exc}") from None
    for bom, codec in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(codec)
            except UnicodeDecodeError as exc:
                raise InputError(
                    f"{source}: starts with a {codec} byte-order mark but does not decode: {exc}"
                ) from None
    if any(esc in data for esc in (b"\x1b$B", b"\x1b$@", b"\x1b(J")):
        try:
            return data.decode("iso2022_jp")
        except UnicodeDecodeError:
            pass
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    japanese = _decode_japanese(data)
    if japanese is not None:
        return japanese
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is None:
        raise InputError(
            f"{source}: cannot detect the text encoding; pass input.encoding=ENCODING (e.g. shift_jis, euc_jp, utf-16)"
        )
    return str(best)


_JAPANESE_LOOKING = re.compile(f"[{KANA}{KANJI}{CJK_PUNCTUATION}{FULLWIDTH_ASCII}]")


def _japanese_share(text: str) -> float:
    """Share of kana, common kanji and Japanese punctuation among the non-ASCII characters of ``text`` (0..1)."""
    non_ascii = [c for c in text if ord(c) > 0x7F]
    if not non_ascii:
        return 0.0
    return sum(1 for c in non_ascii if _JAPANESE_LOOKING.match(c)) / len(non_ascii)


def _decode_japanese(data: bytes) -> str | None:
    """Try the legacy Japanese encodings strictly; keep the decoding that reads most like Japanese.

    Short Japanese texts are where generic detectors guess wrong (EUC-JP read as a Korean code page):
    a strict decode that yields mostly kana and kanji is the better evidence."""
    best: tuple[float, str] | None = None
    for codec in ("cp932", "euc_jis_2004"):
        try:
            text = data.decode(codec)
        except UnicodeDecodeError:
            continue
        share = _japanese_share(text)
        if share >= 0.8 and (best is None or share > best[0]):
            best = (share, text)
    return best[1] if best else None


def read_text(path: str | os.PathLike[str], encoding: str = "auto", what: str = "input") -> str:
    """Read a text file, normalising newlines; a clear one-line error when it cannot be read."""
    p = Path(path)
    if not p.exists():
        raise InputError(f"{what} file not found: {p}")
    if p.is_dir():
        raise InputError(f"{what} path is a directory, expected a text file: {p}")
    try:
        data = p.read_bytes()
    except OSError as exc:
        raise InputError(f"{what} file unreadable: {p}: {exc.strerror}") from None
    return normalize_newlines(decode_bytes(data, str(p), encoding))


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


@contextmanager
def naming(path: str | os.PathLike[str]) -> Iterator[None]:
    """An OSError without a file name (a full disk says "File too large") names ``path``."""
    try:
        yield
    except OSError as exc:
        if exc.filename is None:
            raise type(exc)(exc.errno, exc.strerror, str(path)) from None
        raise


@contextmanager
def atomic_open(path: str | os.PathLike[str]) -> Iterator[IO[str]]:
    """A text file written through a temporary beside it and put in place only when complete:
    readers see the old file or the new one, never half; an error leaves the old file as it was."""
    p = Path(path)
    p.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{p.name}.", suffix=".tmp", dir=p.parent)
    try:
        with naming(p):
            os.fchmod(fd, 0o666 & ~_umask())  # the permissions a plain open() would give, not mkstemp's 0600
            with os.fdopen(fd, "w", encoding="utf-8", newline="") as fh:
                yield fh
                fh.flush()
                os.fsync(fh.fileno())
            os.replace(tmp, p)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def atomic_write_text(path: str | os.PathLike[str], text: str) -> Path:
    """Write ``text`` to ``path`` atomically (see :func:`atomic_open`)."""
    with atomic_open(path) as fh:
        fh.write(text)
    return Path(path)


def write_json(path: str | os.PathLike[str], data: Any) -> Path:
    """``data`` as indented JSON, written as it is encoded (no copy of the whole text in memory; a
    :class:`JsonArray` in it is read as it is written)."""
    with atomic_open(path) as fh:
        json.dump(data, fh, ensure_ascii=False, indent=2)
        fh.write("\n")
    return Path(path)


class JsonArray(list):  # type: ignore[type-arg]
    """A JSON array that :func:`write_json` writes item by item as ``make()`` yields them (``size`` of
    them), none held: to ``json``'s encoder it is a list, which an indenting encoder (``write_json``'s)
    iterates. Only for :func:`write_json`: a compact ``json.dumps`` reads a list's items directly."""

    def __init__(self, make: Callable[[], Iterator[Any]], size: int) -> None:
        super().__init__()
        self.make, self.size = make, size

    def __iter__(self) -> Iterator[Any]:
        return self.make()

    def __len__(self) -> int:
        return self.size


@contextmanager
def json_read_errors(p: Path, line: Callable[[], int] | None = None) -> Iterator[None]:
    """Turn what reading JSON from ``p`` can raise into one-line InputErrors naming the file, and the
    line ``line()`` when reading line by line (else the JSON error's own line)."""
    try:
        yield
    except FileNotFoundError:
        raise InputError(f"file not found: {p}") from None
    except OSError as exc:
        raise InputError(f"{p}: cannot read: {exc.strerror}") from None
    except UnicodeDecodeError as exc:
        where = f"{p}:{line()}" if line else str(p)
        of_line = " of the line" if line else ""
        raise InputError(f"{where}: not UTF-8 (byte {exc.start}{of_line}): the file is damaged") from None
    except json.JSONDecodeError as exc:
        raise InputError(f"{p}:{line() if line else exc.lineno}: invalid JSON: {exc.msg}") from None


def read_json(path: str | os.PathLike[str]) -> Any:
    p = Path(path)
    with json_read_errors(p):
        return json.loads(p.read_text(encoding="utf-8"))


def jsonl_line(record: Record | dict[str, Any]) -> str:
    """One line of a JSONL artifact, its newline included: the record (or object) as JSON."""
    data = record.to_dict() if isinstance(record, Record) else record
    return json.dumps(data, ensure_ascii=False) + "\n"


def write_jsonl(path: str | os.PathLike[str], records: Iterable[Record | dict[str, Any]]) -> Path:
    """One JSON object a line, written as ``records`` yields them (an iterator is never held whole)."""
    with atomic_open(path) as fh:
        for rec in records:
            fh.write(jsonl_line(rec))
    return Path(path)


def jsonl_object(path: str | os.PathLike[str], lineno: int, line: str) -> dict[str, Any]:
    """The object on line ``lineno`` of a JSONL file; anything else is ``FILE:LINE: …`` (an InputError)."""
    try:
        data = json.loads(line)
    except json.JSONDecodeError as exc:
        raise InputError(f"{path}:{lineno}: invalid JSON: {exc.msg}") from None
    if not isinstance(data, dict):
        raise InputError(f"{path}:{lineno}: expected a JSON object, got {type(data).__name__}")
    return data


def numbered_jsonl(path: str | os.PathLike[str], encoding: str = "utf-8") -> Iterator[tuple[int, dict[str, Any]]]:
    """``(line number, object)`` per non-blank line; anything else is ``FILE:LINE: …`` (an InputError).

    UTF-8 (``encoding`` "utf-8" or "auto"), a byte-order mark allowed; another ``encoding`` (an
    input's ``input.encoding``) decodes each line as :func:`decode_bytes` does."""
    p = Path(path)
    lineno = 0
    utf8 = encoding in ("utf-8", "auto")
    with json_read_errors(p, lambda: lineno), p.open("rb") as fh:
        for lineno, raw in enumerate(fh, 1):
            if utf8:
                line = raw.decode("utf-8-sig" if lineno == 1 else "utf-8")  # a byte-order mark may open the file
            else:
                line = decode_bytes(raw, f"{p}:{lineno}", encoding)
            if line.strip():
                yield lineno, jsonl_object(p, lineno, line)


def iter_jsonl(path: str | os.PathLike[str]) -> Iterator[dict[str, Any]]:
    for _, data in numbered_jsonl(path):
        yield data


def iter_numbered_records(path: str | os.PathLike[str], cls: type[R]) -> Iterator[tuple[int, R]]:
    """``(line number, record)`` per line of a JSONL artifact, read as they are asked for; a line that
    is not a ``cls`` (a key missing, a value of the wrong type) is ``FILE:LINE: …`` (an InputError)."""
    for lineno, data in numbered_jsonl(path):
        try:
            record = cls.from_dict(data)
        except (TypeError, ValueError) as exc:
            raise InputError(
                f"{path}:{lineno}: not a {cls.__name__.lower()} record ({exc}): correct the line, or re-run the stage"
                " that wrote the file"
            ) from None
        yield lineno, record


def numbered_records(path: str | os.PathLike[str], cls: type[R]) -> list[tuple[int, R]]:
    """Every ``(line number, record)`` of a JSONL artifact (see :func:`iter_numbered_records`)."""
    return list(iter_numbered_records(path, cls))


def reread_numbered(path: str | os.PathLike[str], cls: type[R]) -> Iterator[tuple[int, R]]:
    """``(line number, record)`` per line of a JSONL artifact that :func:`iter_numbered_records` has read
    whole once (every line checked then), read again without checking each value's type again."""
    known = field_types(cls)
    for lineno, data in numbered_jsonl(path):
        yield lineno, cls(**{k: v for k, v in data.items() if k in known})


def reread_records(path: str | os.PathLike[str], cls: type[R]) -> Iterator[R]:
    """The records of a checked JSONL artifact, read again (see :func:`reread_numbered`)."""
    return (record for _, record in reread_numbered(path, cls))


@dataclass(frozen=True)
class Reread(Generic[T]):
    """An iterable made afresh by ``make`` on every pass (a file read again): none of it is held.
    ``size``: its length, where known."""

    make: Callable[[], Iterator[T]]
    size: int | None = None

    def __iter__(self) -> Iterator[T]:
        return self.make()

    def __len__(self) -> int:
        if self.size is None:
            raise TypeError("the length of this Reread is not known")
        return self.size


def read_records(path: str | os.PathLike[str], cls: type[R]) -> list[R]:
    """The records of a JSONL artifact (see :func:`numbered_records`)."""
    return [record for _, record in numbered_records(path, cls)]


def sha256_file(path: str | os.PathLike[str]) -> str:
    import hashlib

    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def user_cache_dir() -> Path:
    """This user's cache folder for jaen, shared by its runs: ``$XDG_CACHE_HOME/jaen`` (``~/.cache/jaen``)."""
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "jaen"
