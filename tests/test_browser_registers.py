"""The subject index and the registers in a real Chromium (skipped without it, unless FANGZHI_REQUIRE_BROWSER=1)."""

from __future__ import annotations

import pytest

from fangzhi.knowledge_base import KnowledgeBase
from test_browser import SCREENSHOTS, YEARBOOK, base_url, browser, kb, page, screenshot  # noqa: F401  (fixtures)

pytestmark = pytest.mark.browser


def test_open_the_index_from_the_volume_and_follow_a_page_reference(page, kb: KnowledgeBase) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    from playwright.sync_api import expect

    index = kb.index(YEARBOOK)
    heading = next(h for h in index.headings if h.heading == "组织建设")
    page.goto(f"/volumes/{YEARBOOK}")
    page.get_by_role("link", name="主题索引").click()
    page.wait_for_url(f"**/volumes/{YEARBOOK}/index")
    expect(page.locator(".total")).to_have_text(str(len(index.headings)))
    expect(page.locator(".initials a")).to_have_count(len(index.groups()))
    line = page.locator(f"li#h-{heading.heading} > .index-line")
    expect(line.locator("a.page-ref")).to_have_text([str(p) for p in heading.pages])
    # The whole index is some 40 screens long: a full-page screenshot takes too long, so keep the first screen.
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "subject-index.png"))
    line.locator("a.page-ref", has_text="107").click()
    page.wait_for_url(f"**/nodes/{heading.targets[107]}")
    expect(page.locator("h1")).to_have_text("组织建设")
    expect(page.locator(".printed-page")).to_have_attribute("data-page", "107")


def test_a_person_page_shows_the_variants_posts_and_every_mention(page, kb: KnowledgeBase) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    from playwright.sync_api import expect

    chair = kb.person("黄庚倜")
    page.goto("/people")
    expect(page.locator(".total")).to_have_text(str(len(kb.people())))
    page.get_by_role("link", name="黄庚倜", exact=True).click()
    expect(page.locator("h1")).to_have_text("黄庚倜")
    expect(page.locator(".variants .chip")).to_have_text(chair.variants)
    expect(page.locator("li.mention")).to_have_count(len(chair.mentions))
    expect(page.locator("table.posts td").first).to_have_text("市政协主席")
    screenshot(page, "person")
    page.locator("table.posts a", has_text="中国人民政治协商会议平顶山市委员会").click()
    expect(page.locator("h1")).to_have_text("中国人民政治协商会议平顶山市委员会")
    expect(page.locator(".variants .chip").first).to_have_text("市政协")


def test_a_place_page_shows_its_code_and_the_traditional_form(page, kb: KnowledgeBase) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    from playwright.sync_api import expect

    page.goto("/places")
    page.locator("table.places td:first-child a", has_text="郏县").click()
    expect(page.locator("h1")).to_have_text("郏县")
    expect(page.locator(".meta code")).to_have_text("410425")
    expect(page.locator(".variants .chip")).to_have_text(["郟县"])
    expect(page.locator("li.mention")).to_have_count(len(kb.place("410425").mentions))
    screenshot(page, "place")
