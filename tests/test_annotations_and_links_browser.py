"""In a real browser: a teacher's range link, a copied paragraph link, an annotation link, the filters.

Playwright's sync API allows one instance per thread at a time, and tests/test_browser.py keeps
a session-wide one; this module's browser is closed at the end of the module, which runs first
(alphabetical order), so the two never overlap.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from book_inputs import CHROMIUM_ARGS
from conftest import Site

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")


@pytest.fixture(scope="module")
def browser():
    if not Path(CHROMIUM).exists():
        if os.environ.get("CI"):
            pytest.fail(f"{CHROMIUM} missing; scripts/install-system-packages.sh installs chromium")
        pytest.skip(f"{CHROMIUM} missing; run scripts/install-system-packages.sh")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


def open_page(browser, site: Site, path: str, width: int = 1280):
    page = browser.new_page(viewport={"width": width, "height": 900})
    page.goto((site.root / path).as_uri().replace("%23", "#"))
    return page


def test_a_range_link_marks_the_assigned_paragraphs(browser, site: Site) -> None:
    page = open_page(browser, site, "chapter-2/index.html#p2-2-3")
    marked = page.eval_on_selector_all(".edition-in-range", "nodes => nodes.map(n => n.id)")
    assert marked == ["p2-2", "p2-3"]
    assert page.evaluate("document.getElementById('p2-2').getBoundingClientRect().top") < 200
    page.close()


def test_a_paragraph_link_lands_below_the_header(browser, site: Site) -> None:
    page = open_page(browser, site, "chapter-3/index.html#p3-4", width=375)
    top = page.evaluate("document.getElementById('p3-4').getBoundingClientRect().top")
    header = page.evaluate("document.querySelector('.md-header').getBoundingClientRect().bottom")
    assert top >= header - 1
    page.close()


def test_clicking_a_paragraph_number_copies_its_address(browser, site: Site) -> None:
    page = open_page(browser, site, "chapter-2/index.html")
    page.click("a.edition-para-number[href='#p2-4']")
    page.wait_for_selector(".edition-status--shown")
    status = page.text_content("#edition-status")
    assert status.endswith("chapter-2/index.html#p2-4") and ("已复制" in status or "Link:" in status)
    assert page.evaluate("location.hash") == "#p2-4"
    page.close()


def test_a_link_to_an_annotation_opens_it(browser, site: Site) -> None:
    page = open_page(browser, site, "chapter-1/index.html#annotation-p1-3-penetration-rule")
    assert page.evaluate("document.querySelector('#annotation-p1-3-penetration-rule details').open")
    page.close()


def test_the_citation_carries_the_pages_address_and_a_working_copy_button(browser, site: Site) -> None:
    page = open_page(browser, site, "chapter-2/index.html")
    gbt = page.text_content("#cite-gbt")
    assert gbt.endswith("chapter-2/.") and "本页网址" not in gbt
    page.click("details.edition-cite > summary")
    page.click("button[data-copy='cite-gbt']")
    page.wait_for_selector(".edition-status--shown")
    assert "已复制" in page.text_content("#edition-status") or "手动" in page.text_content("#edition-status")
    page.close()


def test_the_annotations_page_filters_by_type(browser, site: Site) -> None:
    page = open_page(browser, site, "annotations/index.html")
    page.select_option("select[name='type']", "translation")
    visible = page.eval_on_selector_all(
        ".edition-annotation-item", "items => items.filter(i => !i.hidden).map(i => i.id)"
    )
    assert visible == ["annotation-p2-4-policy-substance"]
    page.close()
