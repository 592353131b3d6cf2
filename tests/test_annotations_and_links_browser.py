"""In a real browser: a teacher's range link, a paragraph's link and its copied address, every annotation's link,
the citation's copy button, the annotation filters. The annotations expected are those in annotations/."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from browsing import PHONE, visit

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

    from edition.book import Book

pytestmark = pytest.mark.browser

# The clipboard as a reader's paste would find it.
CLIPBOARD = ["clipboard-read", "clipboard-write"]
# Where a paragraph, or an annotation, sits on screen once a link has led to it.
TOP = "(selector) => document.querySelector(selector)?.getBoundingClientRect().top ?? null"
HEADER_BOTTOM = "document.querySelector('.md-header').getBoundingClientRect().bottom"


def _on_screen_below_the_header(page: Page, selector: str) -> tuple[bool, dict]:
    where = {
        "top": page.evaluate(TOP, selector),
        "header": page.evaluate(HEADER_BOTTOM),
        "screen": page.viewport_size["height"] if page.viewport_size else 0,
    }
    return where["top"] is not None and where["header"] - 1 <= where["top"] < where["screen"], where


def test_a_range_link_marks_the_assigned_paragraphs(browser: Browser, site_url: str) -> None:
    with visit(browser, site_url + "chapter-2/#p2-2-3") as v:
        marked = v.page.eval_on_selector_all(".edition-in-range", "nodes => nodes.map(n => n.id)")
        shown, where = _on_screen_below_the_header(v.page, "#p2-2")
    assert marked == ["p2-2", "p2-3"]
    assert shown, f"the range's first paragraph is not on screen below the header: {where}"


def test_a_paragraph_link_lands_on_screen_below_the_header(browser: Browser, site_url: str) -> None:
    with visit(browser, site_url + "chapter-3/#p3-4", viewport=PHONE) as v:
        shown, where = _on_screen_below_the_header(v.page, "#p3-4")
        errors = v.errors
    assert shown, f"#p3-4 is hidden by the header or off screen: {where}"
    assert errors == []


def test_clicking_a_paragraph_number_copies_its_address(browser: Browser, site_url: str) -> None:
    address = site_url + "chapter-2/#p2-4"
    with visit(browser, site_url + "chapter-2/", permissions=CLIPBOARD) as v:
        page = v.page
        page.click("a.edition-para-number[href='#p2-4']")
        page.wait_for_selector(".edition-status--shown")
        status = page.text_content("#edition-status") or ""
        pasted = page.evaluate("navigator.clipboard.readText()")
        hash_ = page.evaluate("location.hash")
    assert pasted == address
    assert address in status and "已复制" in status, status
    assert hash_ == "#p2-4"


def test_every_annotation_is_listed_and_its_link_opens_it(browser: Browser, site_url: str, book: Book) -> None:
    """Each file in annotations/ is on the annotations page; its link leads to the note, open and on screen:
    by a page load for the first note of a page, by the address's #fragment changing for the others."""
    names = sorted(annotation.name for annotation in book.annotations)
    with visit(browser, site_url + "annotations/") as v:
        page = v.page
        links = page.eval_on_selector_all(
            ".edition-annotation-item",
            "items => items.map(i => [i.id, i.querySelector('.edition-annotation-quote a').href])",
        )
        closed = []
        for item_id, href in sorted(links, key=lambda link: link[1]):
            page.goto(href)
            target = "#" + href.split("#", 1)[1]
            opened = page.evaluate("(s) => document.querySelector(s + ' details')?.open === true", target)
            shown, where = _on_screen_below_the_header(page, target)
            if not (opened and shown and page.locator(f"{target} details > :not(summary)").first.is_visible()):
                closed.append((item_id, href, where))
        errors = v.errors
    assert sorted(item_id.removeprefix("annotation-") for item_id, _ in links) == names
    assert closed == [], f"these links do not show their note: {closed}"
    assert errors == []


def test_the_citation_carries_the_pages_address_and_a_working_copy_button(browser: Browser, site_url: str) -> None:
    with visit(browser, site_url + "chapter-2/", permissions=CLIPBOARD) as v:
        page = v.page
        gbt = page.text_content("#cite-gbt") or ""
        page.click("details.edition-cite > summary")
        page.click("button[data-copy='cite-gbt']")
        page.wait_for_selector(".edition-status--shown")
        status = page.text_content("#edition-status") or ""
        pasted = page.evaluate("navigator.clipboard.readText()")
    assert gbt.endswith(site_url + "chapter-2/.") and "本页网址" not in gbt, gbt
    assert "已复制" in status, status
    assert pasted == gbt.strip()


def test_the_annotations_page_filters_by_chapter_type_and_author(browser: Browser, site_url: str, book: Book) -> None:
    chapter_of = {p.id: str(p.chapter) for p in book.paragraphs}
    facts = {
        f"annotation-{a.name}": {"chapter": chapter_of[a.target], "type": a.type, "author": a.author}
        for a in book.annotations
    }
    with visit(browser, site_url + "annotations/") as v:
        page = v.page
        shown_ids = "items => items.filter(i => i.checkVisibility()).map(i => i.id)"
        wrong = []
        for facet in ("chapter", "type", "author"):
            choices = page.eval_on_selector_all(
                f"select[name='{facet}'] option", "options => options.map(o => o.value)"
            )
            expected_choices = {fact[facet] for fact in facts.values()}
            if set(choices) != {"", *expected_choices}:
                wrong.append(f"{facet}: the choices are {choices}, not {sorted(expected_choices)}")
            for choice in choices:
                page.select_option(f"select[name='{facet}']", choice)
                shown = set(page.locator(".edition-annotation-item").evaluate_all(shown_ids))
                expected = {name for name, fact in facts.items() if choice in ("", fact[facet])}
                count = page.text_content(".edition-annotations-count") or ""
                if shown != expected or (choice and f"{len(expected)} / {len(facts)}" not in count):
                    wrong.append(f"{facet}={choice!r}: shows {sorted(shown)} ({count})")
            page.select_option(f"select[name='{facet}']", "")
    assert wrong == []
