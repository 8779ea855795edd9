"""Reading a source file into raw lines, detecting its encoding.

Raw lines are kept as decoded (only the line terminator is removed), except
for control characters such as NUL, which no text means and which would
break whatever prints or stores the line: they are removed, and the source
records where, so that ingest can say so.  Everything normalised is derived
from the raw lines and points back by line number.

Input is bounded (:class:`InputLimits`): a file larger than ``max_bytes`` is
refused before it is read, and a line longer than ``max_line_characters`` (a
text that lost its line breaks, which every line-based parser would read as
one enormous paragraph) is refused with a message saying so.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

from fangzhi.errors import InputError

_ENCODINGS = ("utf-8", "gb18030")
# C0 controls except tab, line feed, form feed (page breaks) and carriage return; DEL; C1 controls.
_CONTROL = re.compile("[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f]")
# What a Chinese text is made of besides ASCII: general punctuation (“” — …),
# circled and parenthesised numbers (① ㈠), CJK symbols, ideographs, full-width forms.
_CHINESE_TEXT_RANGES = (
    ("\u2000", "\u206f"),
    ("\u2460", "\u24ff"),
    ("\u3000", "\u303f"),
    ("\u3200", "\u32ff"),
    ("\u4e00", "\u9fff"),
    ("\uff00", "\uffef"),
)
MEGABYTE = 1_000_000
DEFAULT_MAX_BYTES = 100 * MEGABYTE
DEFAULT_MAX_LINE_CHARACTERS = 200_000


@dataclass(frozen=True)
class InputLimits:
    """How large a source file and each of its lines may be."""

    max_bytes: int = DEFAULT_MAX_BYTES
    max_line_characters: int = DEFAULT_MAX_LINE_CHARACTERS


DEFAULT_INPUT_LIMITS = InputLimits()


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
    cleaned_lines: tuple[int, ...] = ()
    removed_characters: int = 0

    def line(self, number: int) -> str:
        return self.lines[number - 1]

    def span(self, start: int, end: int) -> list[str]:
        """Raw lines ``start``..``end`` inclusive."""
        return list(self.lines[start - 1 : end])

    def __len__(self) -> int:
        return len(self.lines)

    def cleaning_note(self) -> tuple[str, int] | None:
        """What was removed from the raw text, as a sentence and the first line concerned, or None."""
        if not self.removed_characters:
            return None
        shown = ", ".join(str(number) for number in self.cleaned_lines[:5])
        if len(self.cleaned_lines) > 5:
            shown += ", …"
        characters = "character" if self.removed_characters == 1 else "characters"
        lines = "line" if len(self.cleaned_lines) == 1 else "lines"
        return (
            f"removed {self.removed_characters:,} control {characters} (NUL and the like) from "
            f"{len(self.cleaned_lines):,} {lines} ({shown}); the rest of each line is kept",
            self.cleaned_lines[0],
        )


def _looks_binary(data: bytes) -> bool:
    sample = data[:8192]
    if b"\x00" in sample:
        return True
    controls = sum(1 for byte in sample if byte < 32 and byte not in (9, 10, 12, 13, 27))
    return controls > len(sample) * 0.05


def _plausible_text(text: str) -> bool:
    """GB18030 decodes almost any byte string; accept it only if it reads as text.

    Whitespace counts as readable: Chinese documents indent with the
    ideographic space U+3000 (and en spaces), which ``isprintable`` rejects.
    """
    sample = text[:20000]
    if not sample:
        return False
    readable = sum(1 for ch in sample if ch.isprintable() or ch.isspace())
    cjk = sum(1 for ch in sample if ch.isascii() or any(low <= ch <= high for low, high in _CHINESE_TEXT_RANGES))
    return readable / len(sample) > 0.98 and cjk / len(sample) > 0.9


def decode_source(data: bytes, path: str, limits: InputLimits = DEFAULT_INPUT_LIMITS) -> SourceText:
    """Decode bytes as UTF-8 (with or without BOM), UTF-16 with a BOM, or GB18030/GBK.

    Raises :class:`InputError` for empty, binary, undecodable or oversized
    input instead of guessing: a wrong guess would silently corrupt every
    name and figure.
    """
    if not data:
        raise InputError(path, "the file is empty")
    if not data.strip():
        raise InputError(path, "the file holds only blank lines, no text")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return _source(path, data.decode("utf-16"), "utf-16", data, limits)
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
        return _source(path, text, encoding, data, limits)
    raise InputError(path, "cannot decode the text as UTF-8 or GB18030; convert it to UTF-8 and try again")


def _source(path: str, text: str, encoding: str, data: bytes, limits: InputLimits) -> SourceText:
    if not text.strip():
        raise InputError(path, "the file is empty")
    has_controls = _CONTROL.search(text) is not None
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    del text
    if lines and lines[-1] == "":
        lines.pop()
    longest = max(range(len(lines)), key=lambda index: len(lines[index]), default=0)
    if lines and len(lines[longest]) > limits.max_line_characters:
        raise InputError(
            path,
            f"line {longest + 1:,} is {len(lines[longest]):,} characters long, more than the "
            f"{limits.max_line_characters:,} a line may have: the text seems to have lost its line breaks; "
            "extract it again keeping them (or raise the limit with --max-line-length)",
        )
    cleaned, removed = _remove_controls(lines) if has_controls else ((), 0)
    if removed > max(16, sum(map(len, lines)) // 100):
        raise InputError(path, f"has {removed:,} control characters (NUL and the like): it looks binary, not text")
    return SourceText(
        path=path,
        lines=tuple(lines),
        encoding=encoding,
        sha256=hashlib.sha256(data).hexdigest(),
        cleaned_lines=cleaned,
        removed_characters=removed,
    )


def _remove_controls(lines: list[str]) -> tuple[tuple[int, ...], int]:
    """Take control characters out of the lines in place; the numbers of the lines changed, and how many went."""
    cleaned: list[int] = []
    removed = 0
    for index, line in enumerate(lines):
        if _CONTROL.search(line):
            lines[index], count = _CONTROL.subn("", line)
            cleaned.append(index + 1)
            removed += count
    return tuple(cleaned), removed


def read_source(path: str | Path, limits: InputLimits = DEFAULT_INPUT_LIMITS) -> SourceText:
    """Read and decode a file, turning I/O problems and oversized files into :class:`InputError`."""
    name = str(path)
    try:
        size = Path(path).stat().st_size
        if size > limits.max_bytes and Path(path).is_file():
            raise InputError(
                name,
                f"is {size / MEGABYTE:,.1f} MB, more than the {limits.max_bytes / MEGABYTE:g} MB a source file "
                "may have; split it, or raise the limit with --max-size",
            )
        with open(path, "rb") as handle:  # at most one byte past the limit, whatever stat said (a pipe, a device)
            data = handle.read(limits.max_bytes + 1)
        if len(data) > limits.max_bytes:
            raise InputError(
                name,
                f"is more than the {limits.max_bytes / MEGABYTE:g} MB a source file may have; "
                "split it, or raise the limit with --max-size",
            )
    except FileNotFoundError:
        raise InputError(name, "no such file") from None
    except IsADirectoryError:
        raise InputError(name, "is a directory, not a text file") from None
    except OSError as error:
        raise InputError(name, f"cannot read the file ({error.strerror})") from None
    if is_pdf(data):
        from fangzhi.text.pdf import read_pdf

        return read_pdf(data, name)
    if name.lower().endswith(".pdf") and data.strip():
        raise InputError(name, "is named .pdf but does not start like a PDF (%PDF-): damaged, cut short or misnamed")
    return decode_source(data, name, limits)


def is_pdf(data: bytes) -> bool:
    """PDF files start with ``%PDF-``; the standard lets a little junk come first."""
    return b"%PDF-" in data[:1024]
