"""The pages in a real Chromium: search, read, cite, browse the tree and the timeline, as a reader would.

Needs Chromium at /usr/bin/chromium.  Without it these tests are skipped,
unless FANGZHI_REQUIRE_BROWSER=1 (as in CI), where a missing browser fails
the run.  Screenshots of the main pages go to test-artifacts/screenshots/.
"""

from __future__ import annotations

import os
import re
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

import fangzhi
from fangzhi.knowledge_base import KnowledgeBase

pytestmark = pytest.mark.browser

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SCREENSHOTS = Path(__file__).resolve().parent.parent / "test-artifacts" / "screenshots"
YEARBOOK = "pingdingshan-yearbook-2024"
TIMEOUT_MS = 10_000


def _unavailable(reason: str) -> None:
    if os.environ.get("FANGZHI_REQUIRE_BROWSER") == "1":
        pytest.fail(f"{reason}, and FANGZHI_REQUIRE_BROWSER=1 requires the browser tests to run")
    pytest.skip(reason)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def kb(sample_db: Path) -> Iterator[KnowledgeBase]:
    knowledge_base = fangzhi.open(sample_db, create=False)
    yield knowledge_base
    knowledge_base.close()


@pytest.fixture(scope="module")
def base_url(kb: KnowledgeBase) -> Iterator[str]:
    """A real uvicorn server on a free port, in a thread, for the module's tests."""
    import uvicorn

    from fangzhi.web.app import create_app

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


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    if not CHROMIUM.exists():
        _unavailable(f"Chromium is not installed at {CHROMIUM}")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _unavailable("the playwright package is not installed")
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@pytest.fixture()
def page(browser, base_url: str):  # type: ignore[no-untyped-def]
    context = browser.new_context(base_url=base_url, viewport={"width": 1200, "height": 900}, locale="zh-CN")
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=base_url)
    context.set_default_timeout(TIMEOUT_MS)
    opened = context.new_page()
    yield opened
    context.close()


def screenshot(page, name: str) -> None:  # type: ignore[no-untyped-def]
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)


def test_search_open_first_hit_see_its_page_and_copy_its_citation(page, kb: KnowledgeBase) -> None:  # type: ignore[no-untyped-def]
    from playwright.sync_api import expect

    page.goto("/")
    expect(page.locator(".volume-card")).to_have_count(len(kb.volumes()))
    screenshot(page, "home")

    page.locator(".site-search input").fill("汝瓷")
    page.locator(".site-search input").press("Enter")
    page.wait_for_url(re.compile(r"/search\?q="))
    expected = kb.search("汝瓷", limit=20)
    expect(page.locator(".total")).to_have_text(str(expected.total))
    expect(page.locator("li.hit")).to_have_count(len(expected.hits))
    expect(page.locator("li.hit mark").first).to_have_text("汝瓷")
    screenshot(page, "search")

    first = expected.hits[0]
    page.locator("li.hit a.hit-title").first.click()
    page.wait_for_url(f"**/nodes/{first.id}")
    expect(page.locator(".printed-page")).to_have_attribute("data-page", str(first.page))
    expect(page.locator(".printed-page")).to_contain_text(f"第 {first.page}")

    citation = kb.cite(first.id).text
    page.locator("summary.cite-button").click()
    expect(page.locator("#citation-text")).to_be_visible()
    expect(page.locator("#citation-text")).to_have_text(citation)
    page.locator("button.copy-button").click()
    expect(page.locator(".copy-status")).to_have_text("已复制")
    copied = page.evaluate("navigator.clipboard.readText()")
    assert copied == citation
    assert re.search(rf"\b{first.page}(-\d+)?\.$", copied)
    screenshot(page, "node-cited")


def test_search_updates_as_you_type(page, kb: KnowledgeBase) -> None:  # type: ignore[no-untyped-def]
    from playwright.sync_api import expect

    page.goto("/search")
    box = page.locator(".search-form input[type=search]")
    box.press_sequentially("宝丰", delay=40)
    expect(page.locator(".total")).to_have_text(str(kb.search("宝丰").total))
    page.wait_for_url(re.compile(r"/search\?q=%E5%AE%9D%E4%B8%B0"))
    box.fill("汝瓷 宝丰")
    expect(page.locator(".total")).to_have_text(str(kb.search("汝瓷 宝丰").total))
    page.locator(".facet a", has_text="条目").first.click()
    expect(page.locator(".chip", has_text="类别：条目")).to_be_visible()
    expect(page.locator("li.hit .badge").first).to_have_text("条目")


def test_browse_volume_chapter_section_entry_with_next(page, kb: KnowledgeBase) -> None:  # type: ignore[no-untyped-def]
    from playwright.sync_api import expect

    chapter = next(node for node in kb.nodes(volume=YEARBOOK, kind="chapter") if node.title == "文化")
    section = next(child for child in kb.children(chapter.id) if child.kind == "section" and kb.children(child.id))
    entries = [child for child in kb.children(section.id) if child.kind == "entry"]
    volume = kb.volume(YEARBOOK)

    page.goto("/")
    page.get_by_role("link", name=volume.title).click()
    page.wait_for_url(f"**/volumes/{YEARBOOK}")
    screenshot(page, "volume")
    page.get_by_role("link", name=chapter.title, exact=True).click()
    page.wait_for_url(f"**/nodes/{chapter.id}")
    screenshot(page, "chapter")
    page.get_by_role("link", name=section.title, exact=True).click()
    page.wait_for_url(f"**/nodes/{section.id}")
    page.get_by_role("link", name=entries[0].title, exact=True).click()
    page.wait_for_url(f"**/nodes/{entries[0].id}")
    expect(page.locator("h1")).to_have_text(entries[0].title)
    expect(page.locator(".printed-page")).to_have_attribute("data-page", str(entries[0].page))
    expect(page.locator(".crumbs a")).to_have_text(["卷册", volume.title, chapter.title, section.title])
    screenshot(page, "entry")
    page.locator("a[rel=next]").click()
    page.wait_for_url(f"**/nodes/{entries[1].id}")
    expect(page.locator("h1")).to_have_text(entries[1].title)
    page.locator("a[rel=prev]").click()
    page.wait_for_url(f"**/nodes/{entries[0].id}")


def test_timeline_for_november_2023_and_by_person(page, kb: KnowledgeBase) -> None:  # type: ignore[no-untyped-def]
    from playwright.sync_api import expect

    november = kb.timeline("2023-11", "2023-11")
    page.goto("/timeline")
    page.locator("input[name=month]").fill("2023-11")
    page.get_by_role("button", name="筛选").click()
    page.wait_for_url(re.compile(r"/timeline\?month=2023-11"))
    expect(page.locator("h1")).to_have_text("大事记 · 2023年11月")
    expect(page.locator(".total")).to_have_text(str(len(november)))
    expect(page.locator("li.event")).to_have_count(len(november))
    expect(page.locator(".months a[aria-current=page]")).to_have_text("11月")
    screenshot(page, "timeline-2023-11")

    person = next(mention["name"] for event in november for mention in event.people)
    page.locator(".event-meta .chip", has_text=person).first.click()
    page.wait_for_url(re.compile(r"person="))
    expect(page.locator("li.event")).to_have_count(len(kb.timeline("2023-11", "2023-11", person=person)))


@pytest.mark.parametrize(
    ("url", "name", "selector"),
    [
        ("/documents", "documents", "td.doc-no"),
        ("/appointments", "appointments", "table.appointments td"),
        ("/tables", "tables", "table th"),
        ("/lists", "lists", "li.list-item"),
    ],
)
def test_record_pages_render(page, url: str, name: str, selector: str) -> None:  # type: ignore[no-untyped-def]
    from playwright.sync_api import expect

    page.goto(url)
    expect(page.locator(selector).first).to_be_visible()
    screenshot(page, name)


def test_reading_on_a_phone_needs_no_sideways_scrolling(browser, base_url: str, kb: KnowledgeBase) -> None:  # type: ignore[no-untyped-def]
    entry = next(node for node in kb.nodes(volume=YEARBOOK, kind="entry") if node.attributes.get("contributors"))
    context = browser.new_context(base_url=base_url, viewport={"width": 390, "height": 844}, is_mobile=True)
    phone = context.new_page()
    for url in ["/", f"/nodes/{entry.id}", "/search?q=汝瓷", "/timeline?month=2023-11"]:
        phone.goto(url)
        overflow = phone.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, f"{url} is {overflow}px wider than a phone"
    phone.goto(f"/nodes/{entry.id}")
    phone.screenshot(path=str(SCREENSHOTS / "entry-phone.png"), full_page=False)
    context.close()


def test_check_page_lists_findings_side_by_side_and_links_into_the_book(page, kb: KnowledgeBase) -> None:  # type: ignore[no-untyped-def]
    from playwright.sync_api import expect

    report = kb.check()
    page.goto("/")
    page.get_by_role("link", name="校对").click()
    page.wait_for_url("**/check")
    expect(page.locator(".total")).to_have_text(str(len(report.findings)))
    expect(page.locator("section.finding")).to_have_count(len(report.findings))
    screenshot(page, "check")

    page.locator("select[name=kind]").select_option("name_variant")
    page.get_by_role("button", name="筛选").click()
    page.wait_for_url(re.compile(r"kind=name_variant"))
    variants = [finding for finding in report.findings if finding.kind == "name_variant"]
    expect(page.locator("section.finding")).to_have_count(len(variants))
    first = page.locator("section.finding").first
    expect(first.locator(".location")).to_have_count(len(variants[0].locations))
    expect(first.locator(".location mark").first).to_have_text(variants[0].locations[0].value)
    first.locator(".location .where a").first.click()
    page.wait_for_url(f"**/nodes/{variants[0].locations[0].node}")
    expect(page.locator(".text")).to_contain_text(variants[0].locations[0].value)


def test_alert_form_then_targets_of_one_owner(page, kb: KnowledgeBase) -> None:  # type: ignore[no-untyped-def]
    from playwright.sync_api import expect

    page.goto("/rules")
    page.get_by_role("link", name="按空气质量预报查预警级别").click()
    page.wait_for_url("**/alert")
    page.locator("input[name=forecast]").fill("160,210,220")
    page.get_by_role("button", name="查询").click()
    page.wait_for_url(re.compile(r"/alert\?forecast=160%2C210%2C220"))
    expect(page.locator(".alert-level")).to_have_text("橙色预警 · 启动Ⅱ级应急响应")
    expect(page.locator("table.units tbody tr")).to_have_count(len(kb.alert("160,210,220").responsible_units))
    screenshot(page, "alert")

    page.goto("/targets")
    page.locator("select[name=owner]").select_option("市红十字会")
    page.get_by_role("button", name="筛选").click()
    page.wait_for_url(re.compile(r"owner="))
    expect(page.locator("tr.target")).to_have_count(len(kb.targets(owner="市红十字会")))
    expect(page.locator("tr.target td").nth(1)).to_have_text("配置AED")
    screenshot(page, "targets")


def test_a_question_typed_into_search_gets_an_answer_card_with_its_quote(page, kb: KnowledgeBase) -> None:  # type: ignore[no-untyped-def]
    """Issue 11: the answer above the hits, its page and source, the quote marked in the text around it."""
    from playwright.sync_api import expect

    question = "2023年平顶山市的第三产业增加值是多少？"
    answer = kb.ask(question)
    page.goto("/")
    page.locator(".site-search input").fill(question)
    page.locator(".site-search input").press("Enter")
    page.wait_for_url(re.compile(r"/search\?q="))
    card = page.locator(".answer-card")
    expect(card.locator(".answer-text")).to_have_text("1380.48亿元")
    expect(card.locator(".answer-source .page")).to_have_text(f"第 {answer.citations[0].page} 页")
    expect(card.locator(".answer-context mark")).to_have_text(answer.citations[0].quote)
    expect(page.locator("li.hit").first).to_be_visible()
    screenshot(page, "ask-answer-card")
    card.locator(".answer-source a").click()
    page.wait_for_url(f"**/nodes/{answer.citations[0].node}")

    page.goto("/search?q=" + "平顶山市有多少个地铁站？")
    expect(page.locator(".answer-card.not-found .answer-text")).to_have_text("这些卷册中没有找到这个问题的答案。")


def test_no_page_breaks_the_content_security_policy(page, kb: KnowledgeBase) -> None:  # type: ignore[no-untyped-def]
    """Issue 16: with scripts and styles only from the site itself, every page still works and Chromium reports nothing."""
    from playwright.sync_api import expect

    violations: list[str] = []
    page.on(
        "console",
        lambda message: violations.append(message.text) if "Content Security Policy" in message.text else None,
    )
    page.add_init_script(
        "document.addEventListener('securitypolicyviolation', e => console.error("
        "'Content Security Policy violation: ' + e.violatedDirective + ' ' + e.blockedURI));"
    )
    entry = next(iter(kb.nodes(volume=YEARBOOK, kind="entry")))
    for url in ["/", f"/volumes/{YEARBOOK}", f"/nodes/{entry.id}", "/timeline?month=2023-11", "/documents", "/tables"]:
        response = page.goto(url)
        assert response is not None and "script-src 'self'" in response.headers["content-security-policy"]
        expect(page.locator("main")).to_be_visible()
    page.goto("/search")
    page.locator(".search-form input[type=search]").press_sequentially("汝瓷", delay=40)
    expect(page.locator(".total")).to_have_text(str(kb.search("汝瓷").total))
    page.goto("/docs")
    expect(page.locator(".opblock-summary-path", has_text="/api/search")).to_be_visible()
    assert violations == []
