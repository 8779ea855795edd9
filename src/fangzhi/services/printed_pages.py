"""The printed page of any raw line of a stored volume.

A yearbook's parser records where each printed page starts (``page_starts``
on the volume, from :func:`fangzhi.parse.pages.recover_pages`), so a quote
cut out of a long entry can be cited on the page that prints it, not the one
the entry starts on, without reading the whole source again.  Volumes without
printed pages (gazettes, documents) fall back to the node's own page.
"""

from __future__ import annotations

from fangzhi.parse.pages import PageMap
from fangzhi.services.computed import computed
from fangzhi.store.base import Store


class PrintedPages:
    """Page starts of one volume; :meth:`page_of` a line."""

    def __init__(self, page_starts: list[list[int]] | None) -> None:
        pairs = sorted((int(start), int(page)) for start, page in (page_starts or []))
        self._map = PageMap(starts=[start for start, _ in pairs], numbers=[page for _, page in pairs])

    def page_of(self, line: int, default: int | None = None) -> int | None:
        """The printed page of a raw line, or ``default`` (the citing node's page) where none is known."""
        page = self._map.page_of_line(line)
        return default if page is None else page


def printed_pages(store: Store, volume_id: str) -> PrintedPages:
    """The volume's page starts, read once per store while its volumes stay the same."""
    return computed(
        store, f"printed_pages.{volume_id}", lambda: PrintedPages(store.volume(volume_id).attributes.get("page_starts"))
    )
