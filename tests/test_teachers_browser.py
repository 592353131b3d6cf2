"""Tried as a teacher would, in Chromium: assign chapter 2 ¶3–4, copy its link and its citation, print just those
paragraphs with the article named on every page, and print a whole chapter with its annotations as endnotes."""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
import subprocess
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from bs4 import BeautifulSoup

from browsing import DESKTOP, PHONE, Scheme, visit
from conftest import Site
from site_pages import node_tool, pages_of_paragraphs

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

    from edition.book import Book

pytestmark = pytest.mark.browser

CLIPBOARD = ["clipboard-read", "clipboard-write"]
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December"]  # fmt: skip
# What every printed page must carry to say what it is (data/article.yml, as printed by the journal).
IDENTITY = ["吴心伯", "特朗普归来与中美博弈的新阶段", "国际问题研究", "2026年第2期", "第35–48页"]
# The browser's own print call would wait for a dialog: the tests note it instead, and print with page.pdf().
NO_PRINT_DIALOG = "window.print = function () { window.editionPrinted = (window.editionPrinted || 0) + 1; };"


def today() -> dt.date:
    return dt.datetime.now().astimezone().date()  # the browser runs on this machine, in its time zone


def select_range(page: Page, first: int, last: int) -> None:
    page.click(f"a.edition-para-number[href='#p2-{first}']")
    page.click(f"a.edition-para-number[href='#p2-{last}']", modifiers=["Shift"])


def marked(page: Page) -> list[str]:
    return page.eval_on_selector_all(".edition-in-range", "nodes => nodes.map(n => n.id)")


def printed_pages(page: Page, path: Path) -> tuple[str, list[str]]:
    """The page printed to PDF as the print stylesheet lays it out: its text in reading order, and each printed
    page's text in the order the page draws it (where a running head's Latin-face digits stay in their line)."""
    pdftotext = shutil.which("pdftotext")
    if pdftotext is None:
        pytest.skip("pdftotext (poppler-utils) is not installed: run scripts/install-system-packages.sh as root")
    page.emulate_media(media="print")
    page.pdf(path=str(path), format="A4")

    def read(*options: str) -> str:
        return subprocess.run([pdftotext, *options, str(path), "-"], capture_output=True, text=True, check=True).stdout

    return read(), [p for p in read("-raw").split("\f") if p.strip()]


def flat(text: str) -> str:
    """Printed text without the line breaks and the spaces that layout puts between Chinese characters."""
    return re.sub(r"\s+", "", text)


def notes_called_from(site: Site, paragraphs: list[str]) -> list[str]:
    """The text of the notes (the article's) called from these paragraphs of chapter 2, from the built page."""
    page: BeautifulSoup = site.page("chapter-2/")
    notes = []
    for ident in paragraphs:
        for ref in page.select(f"#{ident} a.footnote-ref"):
            note = page.select_one(f"li[id='{str(ref['href'])[1:]}']")
            assert note is not None
            notes.append(note.get_text().replace("↩", "").strip())
    return notes


def test_a_teacher_selects_chapter_2_paragraphs_3_to_4_and_copies_the_link(
    browser: Browser, site_url: str, screenshots: Path
) -> None:
    for name, viewport in (("phone", PHONE), ("desktop", DESKTOP)):
        with visit(browser, site_url + "chapter-2/", viewport=viewport, permissions=CLIPBOARD) as v:
            page = v.page
            select_range(page, 3, 4)
            panel = page.locator(".edition-range-panel")
            label = page.text_content(".edition-range-label") or ""
            live = page.get_attribute(".edition-range-label", "aria-live")
            page.screenshot(path=str(screenshots / f"range-panel-{name}.png"))
            box = panel.bounding_box()
            page.click(".edition-range-panel button[data-action='link']")
            pasted = page.evaluate("navigator.clipboard.readText()")
            selected = marked(page)
            pages_open = len(page.context.pages)
            errors = v.errors
        assert "第二章第3—4段" in label and "ch. 2, paras. 3–4" in label, label
        assert live == "polite"
        assert selected == ["p2-3", "p2-4"]
        assert pasted == site_url + "chapter-2/#p2-3-4"
        assert pages_open == 1, "a shift-click opened the link in a new window"
        assert box is not None and box["y"] + box["height"] <= viewport["height"] + 1 and box["x"] >= 0
        assert box["width"] <= viewport["width"], name
        assert errors == []


@pytest.mark.parametrize("style", ["GB/T 7714-2015", "APA 7", "Chicago"])
def test_the_citation_of_a_range_names_the_paragraphs_their_pages_the_anchor_and_today(
    browser: Browser, site_url: str, site: Site, style: str
) -> None:
    with visit(browser, site_url + "chapter-2/", permissions=CLIPBOARD) as v:
        page = v.page
        select_range(page, 3, 4)
        page.select_option(".edition-range-panel select[name='style']", label=style)
        page.click(".edition-range-panel button[data-action='cite']")
        pasted = page.evaluate("navigator.clipboard.readText()")
        status = page.text_content("#edition-status") or ""
    day = today()
    pages = pages_of_paragraphs(site.root, 35)
    first, last = pages["p2-3"][0], pages["p2-4"][1]
    assert site_url + "chapter-2/#p2-3-4" in pasted
    assert "二、特朗普第二任期对华政策走向" in pasted and "2026" in pasted
    # Where a note cites pages, the range's own (read off the |N| marks); APA's reference entry, the article's.
    cited = {"GB/T 7714-2015": f"2026(2): {first}-{last}（", "APA 7": "(2), 35–48 (", "Chicago": f": {first}–{last},"}
    assert cited[style] in pasted
    if style.startswith("GB/T"):
        assert pasted.startswith(
            "吴心伯. 特朗普归来与中美博弈的新阶段：二、特朗普第二任期对华政策走向[J/OL]. 国际问题研究"
        )
        assert f"（第二章第3—4段）[{day.isoformat()}]" in pasted
    else:
        assert "ch. 2, paras. 3–4" in pasted
        assert f"{MONTHS[day.month - 1]} {day.day}, {day.year}" in pasted
    assert "已复制" in status


def test_the_panel_works_from_the_keyboard_and_escape_clears_it(browser: Browser, site_url: str) -> None:
    with visit(browser, site_url + "chapter-2/") as v:
        page = v.page
        page.focus("a.edition-para-number[href='#p2-3']")
        page.keyboard.press("Enter")
        page.select_option(".edition-range-panel select[name='to']", "4")
        extended = marked(page)
        label = page.text_content(".edition-range-label") or ""
        page.focus(".edition-range-panel button[data-action='link']")
        page.keyboard.press("Escape")
        cleared = marked(page)
        hidden = page.is_hidden(".edition-range-panel")
    assert extended == ["p2-3", "p2-4"] and "第二章第3—4段" in label
    assert cleared == [] and hidden


def test_printing_a_range_prints_only_it_and_its_notes_with_the_article_named_on_every_page(
    browser: Browser, site_url: str, site: Site, book: Book, tmp_path: Path
) -> None:
    starts = {p.id: p.start for p in book.paragraphs if p.page == "chapter-2.md"}
    with visit(browser, site_url + "chapter-2/") as v:
        page = v.page
        page.add_init_script(NO_PRINT_DIALOG)
        page.reload()
        select_range(page, 3, 4)
        page.click(".edition-range-panel button[data-action='print']")
        asked = page.evaluate("window.editionPrinted")
        reading, pages = printed_pages(page, tmp_path / "range.pdf")
        page.emulate_media(media="screen")
        page.evaluate("window.dispatchEvent(new Event('afterprint'))")
        after = page.evaluate("document.body.classList.contains('edition-printing-range')")
    assert asked == 1
    text = flat(reading)
    for ident, start in starts.items():
        inside = ident in ("p2-3", "p2-4")
        assert (flat(start) in text) == inside, ident
    for note in notes_called_from(site, ["p2-3", "p2-4"]):
        assert flat(note)[:30] in text, note
    for note in notes_called_from(site, [i for i in starts if i not in ("p2-3", "p2-4")]):
        assert flat(note)[:30] not in text, note
    for a in book.annotations:
        assert (flat(a.exact) in text.split("本版注释")[-1]) == (a.target in ("p2-3", "p2-4")), a.name
    for number, printed in enumerate(pages, 1):
        for expected in IDENTITY:
            assert expected in flat(printed), (number, expected)
        assert site_url + "chapter-2/#p2-3-4" in flat(printed), number
        assert f"打印于Printed{today().isoformat()}" in flat(printed), number
    assert not after, "after printing, the page is whole again"


def test_the_browsers_own_print_with_a_range_selected_prints_the_range_and_escape_restores_the_page(
    browser: Browser, site_url: str, book: Book, tmp_path: Path
) -> None:
    starts = {p.id: flat(p.start) for p in book.paragraphs if p.page == "chapter-2.md"}
    with visit(browser, site_url + "chapter-2/") as v:
        page = v.page
        select_range(page, 3, 4)
        page.evaluate("window.dispatchEvent(new Event('beforeprint'))")  # what Ctrl+P or the menu sends first
        ranged = flat(printed_pages(page, tmp_path / "ctrl-p.pdf")[0])
        page.emulate_media(media="screen")
        page.evaluate("window.dispatchEvent(new Event('afterprint'))")
        page.keyboard.press("Escape")
        page.evaluate("window.dispatchEvent(new Event('beforeprint'))")
        whole = flat(printed_pages(page, tmp_path / "whole.pdf")[0])
    assert [i for i, start in starts.items() if start in ranged] == ["p2-3", "p2-4"]
    assert site_url + "chapter-2/#p2-3-4" in ranged
    assert all(start in whole for start in starts.values())


def test_a_printed_chapter_carries_its_annotations_as_endnotes(
    browser: Browser, site_url: str, book: Book, tmp_path: Path
) -> None:
    chapters = sorted({a.target.split("-")[0][1:] for a in book.annotations if not a.target.startswith("p0-")})
    assert chapters, "annotations/ holds annotations on the chapters"
    for chapter in chapters:
        here = [a for a in book.annotations if a.target.startswith(f"p{chapter}-")]
        last = [p for p in book.paragraphs if p.page == f"chapter-{chapter}.md"][-1]
        with visit(browser, site_url + f"chapter-{chapter}/") as v:
            reading, pages = printed_pages(v.page, tmp_path / f"chapter-{chapter}.pdf")
        text = flat(reading)
        assert "本版注释" in text and text.index(flat(last.start)) < text.index("本版注释"), chapter
        endnotes = text[text.index("本版注释") :]
        for a in here:
            assert flat(a.exact) in endnotes, a.name
        assert "注1" in text[: text.index("本版注释")], "the text calls the first endnote"
        for number, printed in enumerate(pages, 1):
            assert all(expected in flat(printed) for expected in IDENTITY), (chapter, number)
            assert site_url + f"chapter-{chapter}/" in flat(printed), (chapter, number)


@pytest.mark.parametrize(
    "fragment",
    ["#p2-9-3", "#p2-1-99999", "#p2-1-99999999999999999999", "#p2-500-600", "#p3-1-2", "#p2-0-0", "#p2-3-3"],
)
def test_a_reversed_or_absurd_range_link_does_not_break_the_page(
    browser: Browser, site_url: str, book: Book, fragment: str
) -> None:
    numbers = [int(p.id.split("-")[1]) for p in book.paragraphs if p.page == "chapter-2.md"]
    chapter, first, last = (int(n) for n in fragment[2:].split("-"))
    low, high = min(first, last), max(first, last)
    expected = [f"p2-{n}" for n in numbers if chapter == 2 and low <= n <= high]
    with visit(browser, site_url + "chapter-2/" + fragment) as v:
        got = marked(v.page)
        panel = v.page.is_visible(".edition-range-panel")
        answered = v.page.evaluate("1 + 1")
        errors = v.errors
    assert got == expected
    assert panel == bool(expected)
    assert answered == 2 and errors == []


AXE_PANEL = """async () => (await axe.run('.edition-range-panel', {resultTypes: ['violations']})).violations
    .map(v => ({rule: v.id, impact: v.impact, where: v.nodes.slice(0, 3).map(n => n.target.join(' '))}))"""


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_open_panel_passes_axe(browser: Browser, site_url: str, scheme: Scheme) -> None:
    axe = node_tool("axe-core/axe.min.js")
    with visit(browser, site_url + "chapter-2/#p2-3-4", scheme=scheme) as v:
        v.page.wait_for_selector(".edition-range-panel")
        v.page.add_script_tag(path=str(axe))
        violations = v.page.evaluate(AXE_PANEL)
    assert violations == [], f"{scheme}: {json.dumps(violations, ensure_ascii=False, indent=1)}"


@pytest.mark.parametrize("address", ["chapter-2/?view=en", "en/chapter-2/"])
def test_a_range_printed_in_the_english_view_prints_its_english_and_says_the_translation_is_ours(
    browser: Browser, site_url: str, book: Book, tmp_path: Path, address: str
) -> None:
    english = {block.id: block.text for block in book.translation["chapter-2.md"].blocks}
    with visit(browser, site_url + address) as v:
        page = v.page
        page.add_init_script(NO_PRINT_DIALOG)
        page.reload()
        # The English paragraphs' own numbers: the Chinese ones are hidden in this view.
        page.click("p.edition-en a.edition-para-number[href='#p2-3']")
        page.click("p.edition-en a.edition-para-number[href='#p2-4']", modifiers=["Shift"])
        assert marked(page) == ["p2-3", "p2-4"]
        page.click(".edition-range-panel button[data-action='print']")
        reading, _ = printed_pages(page, tmp_path / "range.pdf")
    text = flat(reading)

    def opening(ident: str) -> str:
        return flat(re.sub(r"\[[^\]]*\]|[*_]", "", english[ident]))[:40]

    for ident in english:
        if ident.startswith("p2-"):
            assert (opening(ident) in text) == (ident in ("p2-3", "p2-4")), ident
    assert flat("The English is this edition's own translation") in text
