"""Reading a source file into raw lines, detecting its encoding.

Raw lines are kept exactly as decoded (only the line terminator is removed);
everything normalised is derived from them and points back by line number.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from fangzhi.errors import InputError

_ENCODINGS = ("utf-8", "gb18030")


@dataclass(frozen=True)
class SourcePage:
    """One page of a paginated source (a PDF): its lines and the number printed on it.

    ``number`` is the printed page, from the page label or the number in the
    page's margin, or ``None`` where the page prints none (covers, colour
    plates); ``furniture`` holds the margin lines (page number, running
    header) that were taken out of the text stream.  A page without text has
    ``last_line == first_line - 1``.
    """

    index: int
    first_line: int
    last_line: int
    number: int | None
    label: str | None = None
    furniture: tuple[str, ...] = ()


@dataclass(frozen=True)
class SourceText:
    """The decoded lines of one source file; line numbers are 1-based.

    ``pages`` is empty for plain text, whose pages the parsers infer; a PDF
    gives one :class:`SourcePage` per page, and the parsers prefer it.
    """

    path: str
    lines: tuple[str, ...]
    encoding: str
    sha256: str
    pages: tuple[SourcePage, ...] = ()

    def line(self, number: int) -> str:
        return self.lines[number - 1]

    def span(self, start: int, end: int) -> list[str]:
        """Raw lines ``start``..``end`` inclusive."""
        return list(self.lines[start - 1 : end])

    def __len__(self) -> int:
        return len(self.lines)


def _looks_binary(data: bytes) -> bool:
    sample = data[:8192]
    if b"\x00" in sample:
        return True
    controls = sum(1 for byte in sample if byte < 32 and byte not in (9, 10, 12, 13, 27))
    return controls > len(sample) * 0.05


def _plausible_text(text: str) -> bool:
    """GB18030 decodes almost any byte string; accept it only if it reads as text."""
    sample = text[:20000]
    if not sample:
        return False
    readable = sum(1 for ch in sample if ch.isprintable() or ch in "\n\r\t")
    cjk = sum(
        1
        for ch in sample
        if ch.isascii() or "\u4e00" <= ch <= "\u9fff" or "\u3000" <= ch <= "\u303f" or "\uff00" <= ch <= "\uffef"
    )
    return readable / len(sample) > 0.98 and cjk / len(sample) > 0.9


def decode_source(data: bytes, path: str) -> SourceText:
    """Decode bytes as UTF-8 (with or without BOM), UTF-16 with a BOM, or GB18030/GBK.

    Raises :class:`InputError` for empty, binary or undecodable input instead
    of guessing: a wrong guess would silently corrupt every name and figure.
    """
    if not data.strip():
        raise InputError(path, "the file is empty")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return _source(path, data.decode("utf-16"), "utf-16", data)
        except UnicodeDecodeError:
            raise InputError(path, "starts like UTF-16 but cannot be decoded as UTF-16") from None
    if _looks_binary(data):
        raise InputError(path, "the file is binary, neither text nor a PDF")
    for encoding in _ENCODINGS:
        try:
            text = data.decode("utf-8-sig" if encoding == "utf-8" else encoding)
        except UnicodeDecodeError:
            continue
        if encoding != "utf-8" and not _plausible_text(text):
            continue
        return _source(path, text, encoding, data)
    raise InputError(path, "cannot decode the text as UTF-8 or GB18030; convert it to UTF-8 and try again")


def _source(path: str, text: str, encoding: str, data: bytes) -> SourceText:
    if not text.strip():
        raise InputError(path, "the file is empty")
    lines = tuple(text.replace("\r\n", "\n").replace("\r", "\n").split("\n"))
    if lines and lines[-1] == "":
        lines = lines[:-1]
    return SourceText(path=path, lines=lines, encoding=encoding, sha256=hashlib.sha256(data).hexdigest())


def read_source(path: str | Path) -> SourceText:
    """Read and decode a file, turning I/O problems into :class:`InputError`."""
    name = str(path)
    try:
        data = Path(path).read_bytes()
    except FileNotFoundError:
        raise InputError(name, "no such file") from None
    except IsADirectoryError:
        raise InputError(name, "is a directory, not a text file") from None
    except OSError as error:
        raise InputError(name, f"cannot read the file ({error.strerror})") from None
    if is_pdf(data):
        from fangzhi.text.pdf import read_pdf

        return read_pdf(data, name)
    return decode_source(data, name)


def is_pdf(data: bytes) -> bool:
    """PDF files start with ``%PDF-``; the standard lets a little junk come first."""
    return b"%PDF-" in data[:1024]
