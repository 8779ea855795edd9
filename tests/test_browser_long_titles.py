"""Pages over volumes with the long titles official documents have, in a real Chromium.

The sample's titles are short; a 关于印发…的通知 title of 83 characters once
pushed the 校对 page's volume filter past the right edge of a desktop window.
Skipped without Chromium, unless FANGZHI_REQUIRE_BROWSER=1.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

import fangzhi
from conftest import GOV_DOCS
from test_browser import _free_port, browser  # noqa: F401  (fixture)

pytestmark = pytest.mark.browser

LONG_TITLED = GOV_DOCS / "anhui_2022_opening_up.txt"


@pytest.fixture(scope="module")
def long_title_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    import uvicorn

    from fangzhi.web.app import create_app

    path: Path = tmp_path_factory.mktemp("long-titles") / "kb.db"
    with fangzhi.open(path) as kb:
        kb.ingest(LONG_TITLED)
    kb = fangzhi.open(path, create=False, read_only=True)
    port = _free_port()
    server = uvicorn.Server(uvicorn.Config(create_app(kb), host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            pytest.fail("the web server did not start within 10 seconds")
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=10)
    kb.close()


@pytest.mark.parametrize("width", [1280, 390])
def test_a_long_volume_title_never_makes_the_check_page_scroll_sideways(
    browser,  # noqa: F811
    long_title_url: str,
    width: int,
) -> None:  # type: ignore[no-untyped-def]
    context = browser.new_context(base_url=long_title_url, viewport={"width": width, "height": 900})
    page = context.new_page()
    page.goto("/check")
    title = page.locator("select[name=volume] option").nth(1).text_content()
    assert title is not None and len(title) == 83
    assert page.evaluate("document.documentElement.scrollWidth - window.innerWidth") == 0
    context.close()
