"""The book in a real browser: Debian's chromium driven by Playwright, the site served on 127.0.0.1.

Every page of the site is covered (tests/site_pages.py lists them from docs/), so a new
page is checked without editing this file. Tests of the glossary, timeline and
paragraph links skip, saying so, until those pages exist. What the pages should show is
read from the book's inputs (the `book` fixture), never counted here. Screenshots are left
in pytest's temporary folder (the `screenshots` fixture says where) to look at.
"""

from __future__ import annotations

import json
import re
from contextlib import suppress
from typing import TYPE_CHECKING
from urllib.parse import parse_qs, urlsplit

import pytest

from browsing import WIDTHS, Scheme, ink, lay_out_everything, sideways, visit
from conftest import Site
from edition.paths import site_path
from site_pages import node_tool, page_built, page_urls

if TYPE_CHECKING:
    from pathlib import Path

    from playwright.sync_api import Browser, Page

    from edition.book import Book

pytestmark = pytest.mark.browser

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


# What the reader is given to read: the page's title, or a paragraph of the article, without the edition's
# numbers and note calls; its box in page coordinates, to find it in a full-page screenshot.
SHOWN_JS = """
(selectors) => selectors.map((selector) => {
  const e = document.querySelector(selector);
  if (!e) return null;
  const words = e.cloneNode(true);
  words.querySelectorAll('a.edition-para-number, a.headerlink, sup').forEach((extra) => extra.remove());
  const r = e.getBoundingClientRect();
  return {text: words.textContent, box: [r.left + scrollX, r.top + scrollY, r.right + scrollX, r.bottom + scrollY]};
})
"""
# A paragraph of Chinese text draws on about a fifth of its box; at a quarter of that most of it is not drawn.
MIN_INK = 0.05


def _bare(text: str) -> str:
    return re.sub(r"[\s\u200b]+", "", text)


def _screenshot_name(url: str) -> str:
    return url.removesuffix(".html").strip("/").replace("/", "-") or "front"


@pytest.mark.parametrize("width", list(WIDTHS))
@pytest.mark.parametrize("url", page_urls())
def test_each_page_as_a_reader_sees_it(
    browser: Browser, site: Site, site_url: str, book: Book, screenshots: Path, url: str, width: str
) -> None:
    """At a phone's and a desktop's width: the title drawn on the first screen; on the article's pages every
    paragraph of the article there and drawn; nothing to scroll sideways for; on desktop, glossary terms'
    tooltips shown on screen. Screenshots: {page}-{width}.png, -full.png (article pages), -tooltip-N.png."""
    from PIL import Image

    skip_unless_built(site, url, url)
    paragraphs = {f"[id='{p.id}']": p.text for p in book.paragraphs if site_path(p.page) == url}
    name = f"{_screenshot_name(url)}-{width}"
    with visit(browser, site_url + url, viewport=WIDTHS[width]) as v:
        page = v.page
        page.evaluate("document.fonts.ready.then(() => true)")
        page.screenshot(path=screenshots / f"{name}.png")
        [title] = page.evaluate(SHOWN_JS, ["article h1"])
        lay_out_everything(page)  # the whole page as a reader who scrolled through it sees it
        shown = dict(zip(paragraphs, page.evaluate(SHOWN_JS, list(paragraphs)), strict=True))
        if paragraphs:
            page.screenshot(path=screenshots / f"{name}-full.png", full_page=True)
        too_wide = sideways(page)
        tooltips = _hover_terms(page, screenshots / f"{name}-tooltip.png") if width == "desktop" else []
    assert title is not None and title["box"][3] <= WIDTHS[width]["height"], f"{url}: no title on screen: {title}"
    with Image.open(screenshots / f"{name}.png") as image:
        assert ink(image, title["box"]) > MIN_INK, f"{url} ({width}): the title is not drawn in {name}.png"
    missing = [key for key, text in paragraphs.items() if not shown[key] or _bare(shown[key]["text"]) != _bare(text)]
    assert missing == [], f"{url}: these paragraphs of the article are missing or changed: {missing}"
    if paragraphs:
        with Image.open(screenshots / f"{name}-full.png") as image:
            blank = [key for key, found in shown.items() if ink(image, found["box"]) <= MIN_INK]
        assert blank == [], f"{url} ({width}): these paragraphs are drawn blank in {name}-full.png: {blank}"
    assert too_wide == [], f"{url} ({width}): {too_wide}"
    for tooltip in tooltips:
        assert tooltip["opacity"] > 0 and tooltip["width"] > 0 and tooltip["height"] > 0, tooltip
        assert tooltip["inside"], f"{url}: the tooltip of {tooltip['term']} leaves the screen: {tooltip}"
        assert tooltip["english"] in tooltip["text"], f"{url}: {tooltip['term']} shows {tooltip['text']!r}"


# The gloss on screen: the edition's box (javascripts/glossary-tap.js) and what it is seen through (opacities
# multiply).
TOOLTIP_JS = """
() => {
  const tip = document.querySelector('#edition-gloss:not([hidden])');
  if (!tip) return null;
  let opacity = 1;
  for (let e = tip; e; e = e.parentElement) opacity *= Number(getComputedStyle(e).opacity);
  const r = tip.getBoundingClientRect();
  const inside = r.left >= 0 && r.top >= 0 && r.right <= document.documentElement.clientWidth
                 && r.bottom <= innerHeight;
  return {opacity, width: r.width, height: r.height, inside, box: [r.left, r.top, r.right, r.bottom],
          text: tip.innerText};
}
"""
# The first term, and the one furthest right, whose tooltip has the least room beside it; of the terms on one
# line (a term broken across two is hovered at its middle, which may be another word). Their titles are read
# first: the gloss takes a term's title away while it shows it.
TERMS_JS = """
(terms) => {
  // Terms a reader can see: not those of the language the reading view hides (visibility: hidden).
  const single = terms.map((t, i) => [i, t.getClientRects(), t.title, t.checkVisibility({visibilityProperty: true})])
    .filter(([, rects, title, visible]) => rects.length === 1 && title && visible);
  if (!single.length) return [];
  const rightmost = single.reduce((a, b) => (b[1][0].right > a[1][0].right ? b : a));
  return [...new Set([single[0], rightmost])].map(([i, , title]) => [i, title]);
}
"""


def _hover_terms(page: Page, screenshot: Path) -> list[dict]:
    """Hover glossary terms as a reader with a mouse does; what each tooltip looked like once shown."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    terms = page.locator("article a.edition-term")
    seen = []
    for index, title in terms.evaluate_all(TERMS_JS):
        term = terms.nth(index)
        page.mouse.move(0, 0)
        term.hover()
        # A gloss that never comes is reported below with what was there.
        with suppress(PlaywrightTimeout):
            page.wait_for_function(f"({TOOLTIP_JS})()?.opacity >= 1", timeout=5_000)
        found = page.evaluate(TOOLTIP_JS) or {"opacity": 0, "width": 0, "height": 0, "inside": False, "text": ""}
        seen.append({**found, "term": term.inner_text(), "english": title.split(" — ")[0]})
        page.screenshot(path=screenshot.with_stem(f"{screenshot.stem}-{index}"))
    return seen


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("url", page_urls())
def test_axe_finds_no_accessibility_violations(
    browser: Browser, site: Site, site_url: str, url: str, scheme: Scheme
) -> None:
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
                items.nth(i).locator("a").first.get_attribute("href") or "",
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
    assert hits[0], f"{term}: a result without an address"
    with visit(browser, hits[0]) as v:
        lay_out_everything(v.page)  # the glossary's and timeline's entries far from the screen are laid out too
        assert term in v.page.locator("article").inner_text().replace("\u200b", "")


# The theme's search assets: the index, the worker, and the lunr scripts the worker loads.
SEARCH_ASSETS = re.compile(r"/search/search_index\.json|/assets/javascripts/(?:workers/search\.|lunr/)")


def test_search_loads_when_the_reader_turns_to_it_and_then_works_offline(browser: Browser, site_url: str) -> None:
    """A first visit does not fetch the search index or start the worker (most of its weight, for the few readers
    who search); the keyboard's / opens search, which then loads and finds a term; with the network gone, the
    loaded search still finds another."""
    first, second = SEARCH_TERMS[0], SEARCH_TERMS[2]
    with visit(browser, site_url + "chapter-2/") as v:
        page = v.page
        requested: list[str] = []
        page.context.on("request", lambda request: requested.append(request.url))
        page.wait_for_load_state("networkidle")
        page.wait_for_timeout(500)
        assert [url for url in requested if SEARCH_ASSETS.search(url)] == []
        page.keyboard.press("/")
        page.keyboard.type(first)
        page.keyboard.press("End")
        page.wait_for_selector(".md-search-result__item", timeout=10_000)
        assert first in page.locator(".md-search-result__item").first.inner_text().replace("\u200b", "")
        assert any(url.endswith("/search/search_index.json") for url in requested), requested
        page.context.set_offline(True)
        page.fill("input.md-search__input", "")
        page.keyboard.type(second)
        page.keyboard.press("End")
        page.wait_for_function(
            "term => [...document.querySelectorAll('.md-search-result__item')]"
            ".some(e => e.innerText.replaceAll('\u200b', '').includes(term))",
            arg=second,
            timeout=10_000,
        )
        errors = [e for e in v.errors if "ERR_INTERNET_DISCONNECTED" not in e]
    assert errors == []


def test_an_address_from_a_search_result_highlights_the_term(browser: Browser, site_url: str) -> None:
    """A search result leads to ?h=TERM, and the page marks the term on arrival: the index loads at once there."""
    term = SEARCH_TERMS[0]
    with visit(browser, site_url + "chapter-2/?h=" + term) as v:
        v.page.wait_for_selector("article mark[data-md-highlight]", timeout=10_000)
        marked = v.page.locator("article mark[data-md-highlight]").all_inner_texts()
    assert term in [text.replace("\u200b", "") for text in marked], marked[:8]


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


def test_the_timeline_filter_shows_only_the_chosen_categories(
    browser: Browser, site: Site, site_url: str, book: Book
) -> None:
    skip_unless_built(site, "timeline/", "timeline")
    if site.page("timeline/").select_one("fieldset.edition-filter") is None:
        pytest.skip("the timeline has no filter yet")
    events = book.reference.timeline.events
    with visit(browser, site_url + "timeline/") as v:
        page = v.page
        boxes = page.locator("fieldset.edition-filter input[type=checkbox]")
        boxes.first.wait_for(state="visible")
        shown_ids = "events => events.filter(e => e.checkVisibility()).map(e => e.id)"
        every = set(page.locator(".edition-event").evaluate_all(shown_ids))
        # Each category alone, as a reader who wants only that kind of event would tick it.
        alone = {}
        categories = boxes.evaluate_all("boxes => boxes.map(b => b.value)")
        ticked = set(categories)
        for kept in categories:
            for index, category in enumerate(categories):
                if (category == kept) != (category in ticked):
                    boxes.nth(index).click()
                    ticked ^= {category}
            alone[kept] = set(page.locator(".edition-event").evaluate_all(shown_ids))
        for index, category in enumerate(categories):
            if category not in ticked:
                boxes.nth(index).click()
        again = set(page.locator(".edition-event").evaluate_all(shown_ids))
    assert every == {e.id for e in events}, "before filtering, every event of the timeline is shown"
    assert set(categories) == {e.category for e in events}
    for kept, shown in alone.items():
        assert shown == {e.id for e in events if e.category == kept}, kept
    assert again == every


@pytest.mark.parametrize("path", ["glossary/", "en/glossary/"])
def test_the_glossary_filter_finds_each_entry_by_all_its_names_at_once_and_hides_the_rest(
    browser: Browser, site_url: str, book: Book, path: str
) -> None:
    entries = book.reference.glossary.entries
    with visit(browser, site_url + path) as v:
        page = v.page
        box = page.locator(".edition-glossary .edition-filter input")
        box.wait_for(state="visible")
        shown_ids = "entries => entries.filter(e => e.checkVisibility()).map(e => e.id)"
        missed = []
        for entry in entries:
            # Its Chinese, aliases, English and pinyin with and without tones, in one query: no element holds them so.
            box.fill(" ".join([entry.zh, *entry.aliases, entry.en, entry.pinyin, *entry.search_pinyin]).lower())
            if page.locator(".edition-glossary-entry").evaluate_all(shown_ids) != [entry.id]:
                missed.append(entry.id)
        box.fill("不在术语表中的词")
        none = page.locator(".edition-glossary-entry").evaluate_all(shown_ids)
        box.fill("")
        every = page.locator(".edition-glossary-entry").evaluate_all(shown_ids)
        assert v.errors == []
    assert missed == [] and none == [] and set(every) == {entry.id for entry in entries}


def test_on_a_phone_the_front_page_reaches_the_text_within_two_screens(browser: Browser, site_url: str) -> None:
    """Title, author and abstract, then the article's first paragraph: the edition's notes and the citation wait,
    closed, for the reader who asks for them."""
    with visit(browser, site_url, viewport=WIDTHS["phone"]) as v:
        first = v.page.locator("p[id^='p0-'], p[id^='p1-']").first
        top = first.evaluate("p => p.getBoundingClientRect().top + window.scrollY")
        assert top < 2 * WIDTHS["phone"]["height"], f"the text starts {top:.0f} px down"
        assert v.page.locator("#cite-this").evaluate("d => d.open") is False


TAP_TARGETS = "a.edition-para-number, sup a.footnote-ref, .edition-annotation-ref a, button.edition-contribute-toggle"


@pytest.mark.parametrize("url", ["chapter-1/", "chapter-2/", "chapter-3/", "chapter-4/"])
def test_on_a_phone_paragraph_numbers_and_note_calls_are_targets_a_finger_can_hit(
    browser: Browser, site_url: str, url: str
) -> None:
    """WCAG 2.2, 2.5.8: at least 24 × 24 CSS px for each small link in the text."""
    with visit(browser, site_url + url, viewport=WIDTHS["phone"]) as v:
        sizes = v.page.eval_on_selector_all(
            TAP_TARGETS,
            "els => els.filter(e => e.checkVisibility()).map(e => {"
            " const r = e.getBoundingClientRect();"
            " return [e.className || e.parentElement.className, r.width, r.height]; })",
        )
        assert sizes, "no paragraph number or note call on the page"
        small = [(name, round(w, 1), round(h, 1)) for name, w, h in sizes if w < 24 or h < 24]
        assert small == [], small


@pytest.mark.parametrize("path", ["", "glossary/"])  # an article's page, and one without the article's scripts
def test_a_query_pasted_with_the_mouse_is_searched(browser: Browser, site_url: str, path: str) -> None:
    """A paste or a drop sends no key event; the search must still run on what is in the box."""
    term = SEARCH_TERMS[0]
    with visit(browser, site_url + path) as v:
        page = v.page
        page.wait_for_load_state("networkidle")
        page.click("input.md-search__input")
        page.evaluate(
            """term => { const box = document.querySelector('input.md-search__input'); box.value = term;
                const pasted = {bubbles: true, inputType: 'insertFromPaste', data: term};
                box.dispatchEvent(new InputEvent('input', pasted)); }""",
            term,
        )
        page.wait_for_selector(".md-search-result__item", timeout=10_000)
        assert term in page.locator(".md-search-result__item").first.inner_text().replace("\u200b", "")
