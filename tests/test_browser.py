"""The book in a real browser: Debian's chromium driven by Playwright, the site served on 127.0.0.1.

Every page of the site is covered (tests/site_pages.py lists them from docs/), so a new
page is checked without editing this file. Tests of the glossary, timeline and
paragraph links skip, saying so, until those pages exist.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING
from urllib.parse import parse_qs, urlsplit

import pytest

from book_inputs import CHROMIUM_ARGS
from conftest import ROOT, Site
from site_pages import executable, node_tool, page_built, page_urls, tool_missing

if TYPE_CHECKING:
    from playwright.sync_api import Page

pytestmark = pytest.mark.browser

ARTIFACTS = ROOT / "tests" / "artifacts"
PHONE = {"width": 375, "height": 812}
DESKTOP = {"width": 1280, "height": 800}
SEARCH_TERMS = ["稀土", "实体清单", "对等关税", "穿透性规则"]
# WCAG AA: 4.5:1 for text; the header title is large bold text, still held to 4.5 here.
MIN_CONTRAST = 4.5

# Contrast of an element's text against what is painted behind it: the backgrounds of its
# ancestors, translucent ones blended over those beneath, and the text colour blended over that.
CONTRAST_JS = """
(selector) => {
  const el = document.querySelector(selector);
  if (!el) return null;
  const rgba = (s) => { const m = s.match(/[\\d.]+/g).map(Number);
                       return [m[0], m[1], m[2], m.length > 3 ? m[3] : 1]; };
  const over = (top, below) => top.slice(0, 3).map((v, i) => v * top[3] + below[i] * (1 - top[3])).concat([1]);
  const layers = [];
  for (let node = el; node && node.nodeType === 1; node = node.parentElement) {
    const c = rgba(getComputedStyle(node).backgroundColor);
    if (c[3] > 0) layers.push(c);
    if (c[3] >= 1) break;
  }
  let bg = [255, 255, 255, 1];
  for (const layer of layers.reverse()) bg = over(layer, bg);
  const fg = over(rgba(getComputedStyle(el).color), bg);
  const lum = (c) => { const f = (v) => { v /= 255;
                                         return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); };
                       return 0.2126 * f(c[0]) + 0.7152 * f(c[1]) + 0.0722 * f(c[2]); };
  const [hi, lo] = [lum(fg), lum(bg)].sort((a, b) => b - a);
  const show = (c) => `rgb(${c.slice(0, 3).map(Math.round).join(', ')})`;
  return {ratio: Math.round((hi + 0.05) / (lo + 0.05) * 100) / 100, fg: show(fg), bg: show(bg)};
}
"""


@pytest.fixture(scope="session")
def browser():
    path = executable("chromium", os.environ.get("CHROMIUM_PATH", ""), "/usr/bin/chromium", "/usr/bin/chromium-browser")
    if path is None:
        tool_missing("chromium", "run scripts/install-system-packages.sh as root (installs Debian's chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=path, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@dataclass
class Visit:
    page: Page | None  # None only until visit() opens it
    errors: list[str] = field(default_factory=list)
    outside_requests: list[str] = field(default_factory=list)


@contextmanager
def visit(browser, url: str, *, viewport: dict[str, int] = DESKTOP, scheme: str = "light") -> Iterator[Visit]:
    """Open a page with every request recorded: anything not for 127.0.0.1 is blocked and noted."""
    context = browser.new_context(viewport=viewport, color_scheme=scheme)
    result = Visit(page=None)

    def route(route) -> None:
        if urlsplit(route.request.url).hostname == "127.0.0.1":
            route.continue_()
        else:
            result.outside_requests.append(route.request.url)
            route.abort()

    context.route("**/*", route)
    page = context.new_page()
    result.page = page
    page.on(
        "console", lambda message: result.errors.append(f"console: {message.text}") if message.type == "error" else None
    )
    page.on("pageerror", lambda error: result.errors.append(f"script error: {error}"))
    try:
        page.goto(url, wait_until="load")
        yield result
    finally:
        context.close()


def skip_unless_built(site: Site, url: str, what: str) -> None:
    if not page_built(site.root, url):
        pytest.skip(f"{what} page not built yet")


# -- every page ------------------------------------------------------------------------------------


@pytest.mark.parametrize("url", page_urls())
def test_page_loads_without_console_errors_or_requests_leaving_the_machine(
    browser, site: Site, site_url: str, url: str
) -> None:
    skip_unless_built(site, url, url)
    with visit(browser, site_url + url) as v:
        v.page.wait_for_load_state("networkidle")
        # Open the search, which loads the index and its worker: their requests count too.
        v.page.click("input.md-search__input")
        v.page.keyboard.type("中美")
        v.page.keyboard.press("End")
        v.page.wait_for_selector(".md-search-result__item", timeout=10_000)
        errors, outside = list(v.errors), list(v.outside_requests)
    assert errors == [], f"{url}: {errors}"
    assert outside == [], f"{url}: requests left 127.0.0.1: {outside}"


def lay_out_everything(page) -> None:
    """Long pages skip laying out sections far from the screen (content-visibility: auto) until a reader
    scrolls near them; measure them as the reader will see them, not as skipped boxes without size or colour."""
    page.add_style_tag(content="* { content-visibility: visible !important; }")


@pytest.mark.parametrize("url", page_urls())
def test_no_page_scrolls_sideways_on_a_phone(browser, site: Site, site_url: str, url: str) -> None:
    skip_unless_built(site, url, url)
    with visit(browser, site_url + url, viewport=PHONE) as v:
        lay_out_everything(v.page)
        widths = v.page.evaluate("() => [document.scrollingElement.scrollWidth, window.innerWidth]")
        wide = v.page.evaluate("""() => [...document.querySelectorAll('article *')]
            .filter(e => e.getBoundingClientRect().right > window.innerWidth + 1 && e.getClientRects().length)
            .slice(0, 5).map(e => e.tagName.toLowerCase() + (e.className ? '.' + e.className : '') + ': '
                               + (e.textContent || '').trim().slice(0, 40))""")
    assert widths[0] <= widths[1], f"{url}: {widths[0]} px wide in a {widths[1]} px screen; too wide: {wide}"


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("url", page_urls())
def test_axe_finds_no_accessibility_violations(browser, site: Site, site_url: str, url: str, scheme: str) -> None:
    skip_unless_built(site, url, url)
    axe = node_tool("axe-core/axe.min.js")
    with visit(browser, site_url + url, scheme=scheme) as v:
        lay_out_everything(v.page)
        v.page.add_script_tag(path=str(axe))
        violations = v.page.evaluate("""async () => (await axe.run(document, {resultTypes: ['violations']}))
            .violations.map(v => ({rule: v.id, impact: v.impact, help: v.help,
                                   where: v.nodes.slice(0, 3).map(n => n.target.join(' '))}))""")
    serious = [v for v in violations if v["impact"] in ("serious", "critical")]
    assert serious == [], f"{url} ({scheme}): {json.dumps(serious, ensure_ascii=False, indent=1)}"
    assert violations == [], f"{url} ({scheme}): {json.dumps(violations, ensure_ascii=False, indent=1)}"


# -- reading ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("term", SEARCH_TERMS)
def test_search_finds_the_passages_that_contain_a_term(browser, site_url: str, term: str) -> None:
    with visit(browser, site_url) as v:
        page = v.page
        page.wait_for_load_state("networkidle")
        page.click("input.md-search__input")
        page.keyboard.type(term)
        # Typed Chinese arrives as text input without key events; a reader's IME sends keys, so send one.
        page.keyboard.press("End")
        page.wait_for_selector(".md-search-result__item", timeout=10_000)
        items = page.locator(".md-search-result__item")
        results = [
            (
                items.nth(i).inner_text().replace("\u200b", ""),
                items.nth(i).locator("a").first.get_attribute("href"),
                items.nth(i).locator("mark").all_inner_texts(),
            )
            for i in range(items.count())
        ]
    hits = [href for text, href, _ in results if term in text]
    assert hits, f"{term}: no result shows it: {[text[:60] for text, _, _ in results]}"
    # The whole term is what was searched: the top result highlights it and passes it on to the page
    # (Material's own worker dropped a word ending the query, and 对等关税 highlighted only 等).
    _, top_href, top_marks = results[0]
    assert term in top_marks, f"{term}: the top result highlights {top_marks[:8]}"
    assert parse_qs(urlsplit(top_href).query).get("h") == [term], top_href
    # A result showing the term leads to a page where the term is.
    assert hits[0] is not None  # (for the type checker: a result without an address fails here, not in visit)
    with visit(browser, hits[0]) as v:
        assert term in v.page.locator("article").inner_text().replace("\u200b", "")


def test_hovering_a_note_reference_shows_the_note(browser, site_url: str) -> None:
    with visit(browser, site_url + "chapter-2/") as v:
        page = v.page
        reference = page.locator("article sup a.footnote-ref").first
        note_id = reference.get_attribute("href").removeprefix("#")
        note = page.locator(f"[id='{note_id}']").inner_text().replace("↩", "").strip()
        reference.hover()
        tooltip = page.locator(".md-tooltip2--active")
        tooltip.wait_for(state="visible", timeout=5_000)
        shown = tooltip.inner_text().replace("↩", "").strip()
    assert note and note[:30] in shown


def test_hovering_a_glossary_term_shows_its_english(browser, site: Site, site_url: str) -> None:
    skip_unless_built(site, "glossary/", "glossary")
    term_link = site.page("chapter-1/").select_one("article a.edition-term[title]")
    if term_link is None:
        pytest.skip("glossary terms are not marked in the chapters yet")
    english = term_link["title"].split(" — ")[0]
    with visit(browser, site_url + "chapter-1/") as v:
        v.page.locator("article a.edition-term[title]").first.hover()
        tooltip = v.page.locator(".md-tooltip2--active")
        tooltip.wait_for(state="visible", timeout=5_000)
        shown = tooltip.inner_text()
    assert english in shown, f"hovering {term_link.get_text()} shows {shown!r}, not {english!r}"


def _contrast(page, selector: str) -> dict:
    result = page.evaluate(CONTRAST_JS, selector)
    assert result is not None, f"nothing matches {selector}"
    return result


READABLE = {
    "running text": "article p",
    "a link in the text": "article p a:not(.headerlink):not(.edition-para-number)",
    "a note": "div.footnote li p",
    "the header title": ".md-header__topic .md-ellipsis",
    "the footer credit": ".md-copyright",
}


def test_light_and_dark_schemes_are_both_readable(browser, site_url: str) -> None:
    with visit(browser, site_url + "chapter-2/", scheme="light") as v:
        page = v.page
        schemes = {}
        for _ in range(2):
            scheme = page.get_attribute("body", "data-md-color-scheme")
            schemes[scheme] = {name: _contrast(page, selector) for name, selector in READABLE.items()}
            # The reader's switch in the header, as a reader would use it.
            page.locator("form[data-md-component=palette] label:not([hidden])").first.click()
            page.wait_for_function(f"document.body.getAttribute('data-md-color-scheme') !== '{scheme}'")
    assert set(schemes) == {"default", "slate"}, schemes.keys()
    faint = {
        f"{scheme}: {name}": r
        for scheme, found in schemes.items()
        for name, r in found.items()
        if r["ratio"] < MIN_CONTRAST
    }
    assert faint == {}, faint


def test_paragraph_links_open_the_paragraph_and_give_its_address(browser, site: Site, site_url: str) -> None:
    number = site.page("chapter-2/").select_one("article p[id] a.edition-para-number")
    if number is None:
        pytest.skip("paragraph links not built yet")
    last = site.page("chapter-2/").select("article p[id] a.edition-para-number")[-1]
    target = str(last["href"])  # one value (only class-like attributes are lists)
    assert target.startswith("#")
    with visit(browser, site_url + "chapter-2/" + target, viewport=PHONE) as v:
        page = v.page
        page.wait_for_load_state("networkidle")
        box = page.locator(f"[id='{target[1:]}']").bounding_box()
        viewport_height = page.viewport_size["height"]
        assert box is not None and 0 <= box["y"] < viewport_height, f"{target} is not on screen: {box}"
        page.locator(f"[id='{target[1:]}'] a.edition-para-number").click()
        status = page.locator("[role=status]")
        status.wait_for(state="attached", timeout=5_000)
        assert site_url + "chapter-2/" + target in status.inner_text()
        assert v.errors == []


def test_the_timeline_filter_shows_only_the_chosen_categories(browser, site: Site, site_url: str) -> None:
    skip_unless_built(site, "timeline/", "timeline")
    if site.page("timeline/").select_one("fieldset.edition-filter") is None:
        pytest.skip("the timeline has no filter yet")
    with visit(browser, site_url + "timeline/") as v:
        page = v.page
        boxes = page.locator("fieldset.edition-filter input[type=checkbox]")
        boxes.first.wait_for(state="visible")
        every = page.locator(".edition-event:visible").count()
        kept = boxes.first.get_attribute("value")
        for i in range(1, boxes.count()):
            boxes.nth(i).uncheck()
        visible = page.locator(".edition-event:visible")
        categories = {visible.nth(i).get_attribute("data-category") for i in range(visible.count())}
        shown = visible.count()
        for i in range(1, boxes.count()):
            boxes.nth(i).check()
        again = page.locator(".edition-event:visible").count()
    assert every == page_events(site) and 0 < shown < every
    assert categories == {kept}
    assert again == every


def page_events(site: Site) -> int:
    return len(site.page("timeline/").select(".edition-event"))


# -- screenshots to look at ------------------------------------------------------------------------

SCREENSHOTS = {"front": "", "chapter": "chapter-2/", "glossary": "glossary/", "timeline": "timeline/"}


@pytest.mark.parametrize("width_name, viewport", [("phone", PHONE), ("desktop", DESKTOP)])
@pytest.mark.parametrize("name", list(SCREENSHOTS))
def test_screenshots_of_the_main_pages(
    browser, site: Site, site_url: str, name: str, width_name: str, viewport: dict[str, int]
) -> None:
    url = SCREENSHOTS[name]
    skip_unless_built(site, url, name)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with visit(browser, site_url + url, viewport=viewport) as v:
        v.page.wait_for_load_state("networkidle")
        first_screen = ARTIFACTS / f"{name}-{width_name}.png"
        whole = ARTIFACTS / f"{name}-{width_name}-full.png"
        v.page.screenshot(path=str(first_screen))
        lay_out_everything(v.page)  # the whole page as a reader who scrolled through it sees it
        v.page.screenshot(path=str(whole), full_page=True)
    assert first_screen.stat().st_size > 10_000 and whole.stat().st_size > 10_000
