"""The printed page of any raw line of a stored volume.

A yearbook's parser records where each printed page starts (``page_starts``
on the volume), so a quote cut out of a long entry can be cited on the page
that prints it, not the one the entry starts on, without reading the whole
source again.  Where no page starts were recorded, a caller that needs pages
anyway (the subject index) may have them recovered from the raw lines; ask
falls back to the node's own page instead.
"""

from __future__ import annotations

from fangzhi.parse.pages import PageMap, page_map_from_starts, pages_of_text
from fangzhi.services.computed import computed
from fangzhi.store.base import Store
from fangzhi.text.source import SourceText


class PrintedPages:
    """The page map of one volume, if it has one; :meth:`page_of` a line."""

    def __init__(self, pages: PageMap | None) -> None:
        self._pages = pages

    def page_of(self, line: int, default: int | None = None) -> int | None:
        """The printed page of a raw line, or ``default`` (the citing node's page) where none is known."""
        page = self._pages.page_of_line(line) if self._pages is not None else None
        return default if page is None else page

    def before_first_page(self, line: int) -> bool:
        """Whether a line is printed before the volume's first numbered page (its cover and colour plates), in a
        volume that numbers its pages: summaries whose figures the body and its communiqué print as of record."""
        return self._pages is not None and bool(self._pages.starts) and line < self._pages.starts[0]


def printed_pages(store: Store, volume_id: str, *, recover: bool = False) -> PrintedPages:
    """The volume's pages, read once per store while its volumes stay the same.

    With ``recover``, a volume whose parser recorded no page starts has them
    recovered from its raw lines, which reads the whole source.
    """
    return computed(store, f"printed_pages.{volume_id}.{recover}", lambda: _read(store, volume_id, recover))


def _read(store: Store, volume_id: str, recover: bool) -> PrintedPages:
    volume = store.volume(volume_id)
    pages = page_map_from_starts(volume.attributes.get("page_starts"))
    if pages is None and recover:
        raw = store.source_lines(volume_id, 1, 1 << 62)
        pages = pages_of_text(SourceText(volume.source_file, tuple(raw), "utf-8", volume.source_sha256))
    return PrintedPages(pages)
