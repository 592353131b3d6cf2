"""Glossary terms' glosses (javascripts/glossary-tap.js). On a touch screen the first tap shows the gloss beside the
term and leaves the reader in the chapter; a second tap follows the link; a tap elsewhere or Escape hides the gloss.
A mouse on a term, or the keyboard's focus, shows the gloss too, and a click or Enter follows the link, as before.
Screenshots: glossary-tap-*.png (the `screenshots` fixture says where). The payloads of a hostile glossary are
tapped in tests/test_attacks_output.py."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from browsing import DESKTOP, PHONE, visit

if TYPE_CHECKING:
    from pathlib import Path

    from playwright.sync_api import Browser, Locator, Page

    from edition.book import Book

pytestmark = pytest.mark.browser

CHAPTER = "chapter-1/"
GLOSS = "#edition-gloss"
# Where the gloss is, and whether anything of it is off the screen; whether the theme's tooltip shows as well.
GLOSS_JS = """
() => {
  const box = document.querySelector('#edition-gloss');
  const r = box.getBoundingClientRect();
  const width = document.documentElement.clientWidth, height = document.documentElement.clientHeight;
  const themes = [...document.querySelectorAll('.md-tooltip2--active')].filter((t) => t.checkVisibility());
  return {left: r.left, right: r.right, top: r.top, bottom: r.bottom, width, height, role: box.getAttribute('role'),
          themeTooltips: themes.length, tags: box.children.length};
}
"""


def _first_term(page: Page) -> tuple[Locator, str]:
    term = page.locator("article a.edition-term").first
    term.scroll_into_view_if_needed()
    href = term.get_attribute("href") or ""
    return term, href.rsplit("#", 1)[-1]


def _tooltip(book: Book, entry_id: str) -> str:
    entry = book.reference.glossary.by_id[entry_id]
    return " ".join(entry.tooltip.split())


def test_on_a_phone_a_first_tap_shows_the_gloss_and_a_second_tap_follows_the_term(
    browser: Browser, site_url: str, book: Book, screenshots: Path
) -> None:
    with visit(browser, site_url + CHAPTER, viewport=PHONE, touch=True) as v:
        page = v.page
        term, entry_id = _first_term(page)
        term.tap()
        gloss = page.locator(GLOSS)
        gloss.wait_for(state="visible", timeout=3_000)
        page.wait_for_timeout(300)  # the theme's own tooltip would be up by now
        page.screenshot(path=screenshots / "glossary-tap-phone.png")
        assert page.url == site_url + CHAPTER, "the first tap left the chapter"
        # The entry's English and short definition, from data/glossary.yml, as text.
        assert " ".join(gloss.inner_text().split()) == _tooltip(book, entry_id)
        found = page.evaluate(GLOSS_JS)
        assert found["role"] == "tooltip" and found["tags"] == 0, found
        assert found["left"] >= 0 and found["right"] <= found["width"], f"the gloss leaves the screen: {found}"
        assert found["top"] >= 0 and found["bottom"] <= found["height"], f"the gloss leaves the screen: {found}"
        assert found["themeTooltips"] == 0, "the theme's tooltip shows beside the gloss"
        assert term.get_attribute("aria-expanded") == "true"

        # A tap elsewhere hides it, and so does Escape.
        page.locator("article h1").tap()
        gloss.wait_for(state="hidden", timeout=3_000)
        assert term.get_attribute("aria-expanded") == "false"
        term.tap()
        gloss.wait_for(state="visible", timeout=3_000)
        page.keyboard.press("Escape")
        gloss.wait_for(state="hidden", timeout=3_000)
        assert page.url == site_url + CHAPTER

        # Tapped again after it was hidden: the gloss again; the tap after that follows the link.
        term.tap()
        gloss.wait_for(state="visible", timeout=3_000)
        term.tap()
        page.wait_for_url(f"**/glossary/#{entry_id}", timeout=5_000)
        assert v.errors == [] and v.outside_requests == []


def test_on_a_phone_each_term_shows_its_own_gloss_and_english_terms_show_the_chinese(
    browser: Browser, site_url: str, book: Book
) -> None:
    with visit(browser, site_url + "en/" + CHAPTER, viewport=PHONE, touch=True) as v:
        page = v.page
        terms = page.locator("article a.edition-term:visible")
        assert terms.count() >= 2, "the English chapter marks fewer than two terms"
        shown = []
        for index in (0, 1):
            term = terms.nth(index)
            term.scroll_into_view_if_needed()
            term.tap()
            page.locator(GLOSS).wait_for(state="visible", timeout=3_000)
            entry_id = (term.get_attribute("href") or "").rsplit("#", 1)[-1]
            entry = book.reference.glossary.by_id[entry_id]
            text = page.locator(GLOSS).inner_text()
            assert entry.zh in text and entry.en in text, f"{entry_id}: the gloss shows {text!r}"
            shown.append(text)
            page.locator(GLOSS).tap()  # a tap on the gloss puts it away: it may cover the next term
            page.locator(GLOSS).wait_for(state="hidden", timeout=3_000)
        assert shown[0] != shown[1], "the second term showed the first one's gloss"
        assert page.url == site_url + "en/" + CHAPTER, "tapping a second term left the chapter"


def test_with_a_mouse_or_the_keyboard_a_term_is_a_link_as_before(browser: Browser, site_url: str) -> None:
    with visit(browser, site_url + CHAPTER, viewport=DESKTOP) as v:
        page = v.page
        term, entry_id = _first_term(page)
        term.click()
        page.wait_for_url(f"**/glossary/#{entry_id}", timeout=5_000)
    with visit(browser, site_url + CHAPTER, viewport=PHONE, touch=True) as v:  # a keyboard beside the touch screen
        page = v.page
        term, entry_id = _first_term(page)
        page.locator("article h1").tap()
        term.focus()
        page.keyboard.press("Enter")
        page.wait_for_url(f"**/glossary/#{entry_id}", timeout=5_000)


def test_a_mouse_on_a_term_or_the_keyboards_focus_shows_its_gloss_once(
    browser: Browser, site_url: str, book: Book, screenshots: Path
) -> None:
    """The gloss the theme's tooltip gave before (issue 16 took the theme's per-element tooltips out): on hover and
    on keyboard focus, one box, the browser's own title tooltip held back while it shows, and gone again after."""
    with visit(browser, site_url + CHAPTER, viewport=DESKTOP) as v:
        page = v.page
        term, entry_id = _first_term(page)
        title = term.get_attribute("title")
        gloss = page.locator(GLOSS)
        page.mouse.move(0, 0)
        term.hover()
        gloss.wait_for(state="visible", timeout=3_000)
        page.screenshot(path=screenshots / "glossary-hover-desktop.png")
        assert " ".join(gloss.inner_text().split()) == _tooltip(book, entry_id)
        found = page.evaluate(GLOSS_JS)
        assert found["themeTooltips"] == 0 and found["tags"] == 0, found
        assert found["left"] >= 0 and found["right"] <= found["width"], f"the gloss leaves the screen: {found}"
        # One tooltip at a time: the browser would draw the title as well.
        assert term.get_attribute("title") is None
        assert term.get_attribute("aria-describedby") == "edition-gloss"
        page.mouse.move(0, 0)
        gloss.wait_for(state="hidden", timeout=3_000)
        assert term.get_attribute("title") == title, "the term lost its title"

        # The keyboard: a key pressed, then the focus moved onto the term, as Tab does.
        page.keyboard.press("Shift")
        term.focus()
        gloss.wait_for(state="visible", timeout=3_000)
        assert " ".join(gloss.inner_text().split()) == _tooltip(book, entry_id)
        page.keyboard.press("Escape")
        gloss.wait_for(state="hidden", timeout=3_000)
        term.focus()
        page.keyboard.press("Enter")
        page.wait_for_url(f"**/glossary/#{entry_id}", timeout=5_000)
        assert v.errors == [] and v.outside_requests == []
