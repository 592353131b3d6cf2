"""Search that lands, in the browser: results link to the paragraph, entry or event they found, show a short
piece of text around the match (edition/site/search_snippets.js), and a click opens the page there."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING
from urllib.parse import unquote, urlsplit

import pytest

from browsing import WIDTHS, visit
from edition.paths import CHAPTER_LABELS, GLOSSARY_PAGE, TIMELINE_PAGE, site_path
from edition.site.search_worker import SNIPPETS
from edition.text.chapters import PARAGRAPH_ID
from site_pages import ENGLISH_SITE

if TYPE_CHECKING:
    from pathlib import Path

    from playwright.sync_api import Browser, Page

    from edition.book import Book

pytestmark = pytest.mark.browser

TERM = "稀土"
LENGTH = 80  # search_snippets.js: characters shown in all, the match included, and an ellipsis either side
TAG = re.compile(r"<(/?)([a-z][a-z0-9]*)>")
HAN = re.compile(r"[\u3400-\u9fff]")

# Each result as the reader sees it: its address, its title, and its text without the title and the icon.
RESULTS_JS = """() => [...document.querySelectorAll('.md-search-result__link')].map(link => {
  const article = link.querySelector('article').cloneNode(true);
  const title = article.querySelector('h1, h2');
  for (const el of article.querySelectorAll('h1, h2, .md-search-result__icon, .md-search-result__terms, nav'))
    el.remove();
  return {href: link.href, title: title ? title.textContent.replace(/\\u200b/g, '') : '',
          text: article.textContent.replace(/\\u200b/g, '').trim(), marks: article.querySelectorAll('mark').length};
})"""


def search(page: Page, term: str) -> list[dict]:
    page.wait_for_load_state("networkidle")
    if page.viewport_size and page.viewport_size["width"] < 700:
        page.click("label.md-header__button[for=__search]")
    page.click("input.md-search__input")
    page.keyboard.type(term)
    page.keyboard.press("End")  # typed Chinese arrives without key events; a reader's IME sends keys
    page.wait_for_selector(".md-search-result__item", timeout=10_000)
    return page.evaluate(RESULTS_JS)


def anchor(href: str) -> tuple[str, str]:
    """('chapter-1/', 'p1-2') for http://127.0.0.1:…/chapter-1/?h=…#p1-2."""
    parts = urlsplit(href)
    return parts.path.lstrip("/"), unquote(parts.fragment)


def test_a_term_finds_the_paragraphs_that_hold_it_each_at_its_anchor(
    browser: Browser, site_url: str, book: Book
) -> None:
    paragraphs = {(site_path(p.page), p.id): p for p in book.paragraphs}
    with visit(browser, site_url) as v:
        results = search(v.page, TERM)
    landed = [anchor(r["href"]) for r in results if anchor(r["href"]) in paragraphs]
    assert landed, f"no result links to a paragraph: {[r['href'] for r in results]}"
    for place in landed:
        assert TERM in paragraphs[place].text, f"{place}: a result for {TERM} links to a paragraph without it"
    # Each paragraph that holds the term is offered (its own result, not its chapter's).
    holding = {place for place, p in paragraphs.items() if TERM in p.text}
    assert holding <= set(landed), sorted(holding - set(landed))


def test_glossary_and_timeline_results_link_to_the_entry_and_the_event(
    browser: Browser, site_url: str, book: Book
) -> None:
    entries = {e.id for e in book.reference.glossary.entries if TERM in e.zh}
    events = {e.id for e in book.reference.timeline.events if TERM in e.title_zh}
    assert entries and events, "the glossary and the timeline no longer name the term: choose another"
    with visit(browser, site_url) as v:
        results = search(v.page, TERM)
    places = {anchor(r["href"]) for r in results}
    assert {(site_path(GLOSSARY_PAGE), ident) for ident in entries} <= places, sorted(places)
    assert {(site_path(TIMELINE_PAGE), ident) for ident in events} <= places, sorted(places)
    # A match in the glossary or the timeline leads to its entry or event, never to a category's heading.
    ids = {e.id for e in book.reference.glossary.entries} | {e.id for e in book.reference.timeline.events}
    pages = {site_path(GLOSSARY_PAGE), site_path(TIMELINE_PAGE)}
    elsewhere = [r["href"] for r in results if anchor(r["href"])[0] in pages and r["marks"]]
    assert [href for href in elsewhere if anchor(href)[1] not in ids] == []


def test_each_result_shows_a_short_piece_around_the_term(browser: Browser, site_url: str) -> None:
    with visit(browser, site_url) as v:
        results = search(v.page, TERM)
    shown = [r for r in results if r["text"]]
    assert shown
    for result in shown:
        assert len(result["text"]) <= LENGTH + 2, result  # 80 characters and an ellipsis either side
        if result["marks"]:
            assert TERM in result["text"], result
    # A paragraph much longer than the piece is cut, and says so.
    assert any(r["text"].endswith("…") or r["text"].startswith("…") for r in shown if anchor(r["href"])[1][:1] == "p")


@pytest.mark.parametrize("width", ["phone", "desktop"])
def test_clicking_a_paragraph_result_lands_on_the_paragraph_with_the_term_highlighted(
    browser: Browser, site_url: str, width: str, screenshots: Path
) -> None:
    with visit(browser, site_url, viewport=WIDTHS[width]) as v:
        page = v.page
        search(page, TERM)
        link = page.locator(".md-search-result__link[href*='#p']").first
        ident = anchor(link.get_attribute("href") or "")[1]
        link.click()
        page.wait_for_url(re.compile(f"#{ident}$"))
        page.wait_for_load_state("load")
        # The theme marks the words once it has started and has the index (asked for at once with ?h=).
        page.locator(f"[id='{ident}'] mark").first.wait_for(state="attached", timeout=10_000)
        box = page.evaluate(
            "id => { const r = document.getElementById(id).getBoundingClientRect();"
            " return {top: r.top, bottom: r.bottom, height: innerHeight}; }",
            ident,
        )
        marked = page.locator(f"[id='{ident}'] mark").all_inner_texts()
        page.screenshot(path=str(screenshots / f"search-landing-{width}.png"))
        assert v.errors == []
    assert 0 <= box["top"] < box["height"] / 2, f"{ident} is not at the top of the screen: {box}"
    assert any(TERM in m.replace("\u200b", "") for m in marked), marked


# -- the snippet script on its own, with hostile text -------------------------------------------------------------


@pytest.fixture(scope="module")
def script_page(browser: Browser):
    context = browser.new_context()
    page = context.new_page()
    page.set_content("<!doctype html><title>snippets</title>")
    page.add_script_tag(content=SNIPPETS.read_text(encoding="utf-8"))
    yield page
    context.close()


def snippet(page: Page, html: str) -> str:
    return page.evaluate("html => editionSearchSnippets.snippet(html)", html)


def visible(html: str) -> str:
    return re.sub(r"&[a-z#0-9]+;", "x", TAG.sub("", html)).replace("\u200b", "")


def balanced(html: str) -> bool:
    stack: list[str] = []
    for closing, name in TAG.findall(html):
        if not closing:
            stack.append(name)
        elif not stack or stack.pop() != name:
            return False
    return not stack


def test_a_long_text_is_cut_around_its_first_match_and_stays_well_formed(script_page: Page) -> None:
    text = "<p>" + "前文" * 60 + "\u200b<mark>稀土</mark>\u200b" + "后文" * 60 + "</p>"
    out = snippet(script_page, text)
    assert out.startswith("<p>…") and out.endswith("…</p>") and "<mark>稀土</mark>" in out
    assert len(visible(out)) <= LENGTH + 2 and balanced(out)


def test_the_piece_shows_the_term_as_typed_rather_than_a_longer_word_holding_it(script_page: Page) -> None:
    """A whole glossary term is one word of the index, so 稀土 also marks 稀土全链条管控; the piece goes to where
    稀土 itself is marked, when it is."""
    text = "<p><mark>稀土\u200b全链条管控</mark>" + "字" * 100 + "中方对<mark>稀土</mark>实施" + "字" * 100 + "</p>"
    typed = script_page.evaluate("html => editionSearchSnippets.snippet(html, {'稀土': true})", text)
    assert "<mark>稀土</mark>实施" in typed and "全链条" not in typed
    assert snippet(script_page, text).startswith("<p><mark>稀土\u200b全链条管控</mark>")


def test_markup_characters_and_tags_are_never_cut_in_half(script_page: Page) -> None:
    text = "<p>" + "&lt;script&gt;a&amp;b" * 30 + "<sup>" + "注" * 50 + "<mark>稀土</mark>" + "注" * 50 + "</sup></p>"
    out = snippet(script_page, text)
    assert balanced(out), out
    assert out.startswith("<p><sup>…"), out  # the note's <sup> is reopened where the piece starts inside it
    assert re.search(r"&(?!(?:lt|gt|amp);)", out) is None, out
    assert "<script" not in out


def test_short_texts_and_texts_without_a_match(script_page: Page) -> None:
    assert snippet(script_page, "<p>短<mark>稀土</mark>文</p>") == "<p>短<mark>稀土</mark>文</p>"
    head = snippet(script_page, "<p>" + "字" * 200 + "</p>")
    assert head == "<p>" + "字" * LENGTH + "…</p>"
    assert snippet(script_page, "") == ""


def test_characters_outside_the_basic_plane_are_never_split(script_page: Page) -> None:
    out = snippet(script_page, "<p>" + "𠀀" * 100 + "<mark>稀土</mark>" + "𠀀" * 100 + "</p>")
    assert "\ufffd" not in out and re.search(r"[\ud800-\udfff]", out) is None
    assert set(visible(out)) <= {"𠀀", "稀", "土", "…"}


def test_the_results_message_is_shortened_and_a_page_heading_gets_the_query(script_page: Page) -> None:
    """What the worker sends, through the wrapped postMessage: each text shortened, the page that heads its
    results (added by Material without terms) given the terms of its best result; other messages untouched."""
    long = "<p>" + "字" * 100 + "<mark>稀土</mark>" + "字" * 100 + "</p>"
    received = script_page.evaluate(
        """long => new Promise(resolve => {
          const got = [];
          addEventListener('message', ev => { got.push(ev.data); if (got.length === 2) resolve(got); });
          postMessage({type: 3, data: {items: [[{location: 'chapter-1/#p1-2', text: long, terms: {'稀土': true}},
                                               {location: 'chapter-1/', text: '', terms: {}}]]}}, '*');
          postMessage({type: 1, data: {text: long}}, '*');
        })""",
        long,
    )
    result, ready = received
    best, heading = result["data"]["items"][0]
    assert len(visible(best["text"])) <= LENGTH + 2 and "<mark>稀土</mark>" in best["text"]
    assert heading["terms"] == {"稀土": True}
    assert ready == {"type": 1, "data": {"text": long}}


# -- the English site ---------------------------------------------------------------------------------------------

TERM_EN = "rare earths"


def english_paragraphs(book: Book) -> dict[tuple[str, str], str]:
    """(the page's path on the English site, the paragraph's id) → its English, for every translated paragraph."""
    return {
        (f"{ENGLISH_SITE}/{site_path(page)}", block.id): block.text
        for page, english in book.translation.items()
        for block in english.blocks
        if PARAGRAPH_ID.match(block.id)
    }


def test_on_the_english_site_an_english_query_finds_the_english_paragraphs_titled_in_english(
    browser: Browser, site_url: str, book: Book
) -> None:
    paragraphs = english_paragraphs(book)
    holding = {place for place, text in paragraphs.items() if TERM_EN in text.lower()}
    assert holding, f"the translation no longer says {TERM_EN!r}: choose another term"
    with visit(browser, f"{site_url}{ENGLISH_SITE}/") as v:
        results = search(v.page, TERM_EN)
    landed = {anchor(r["href"]): r["title"] for r in results if anchor(r["href"]) in paragraphs}
    assert holding <= set(landed), sorted(holding - set(landed))
    for (_path, ident), title in landed.items():
        chapter = int(ident[1 : ident.index("-")])
        number = ident.split("-")[1]
        assert title == (f"Chapter {chapter}" if chapter else "Front page") + f", paragraph {number}", (ident, title)
    # Glossary entries and events are titled by their English too, and never by a Chinese title alone.
    entries = {e.id: e for e in book.reference.glossary.entries}
    events = {e.id: e for e in book.reference.timeline.events}
    glossary, timeline = f"{ENGLISH_SITE}/{site_path(GLOSSARY_PAGE)}", f"{ENGLISH_SITE}/{site_path(TIMELINE_PAGE)}"
    titled = [(anchor(r["href"]), r["title"]) for r in results if anchor(r["href"])[0] in (glossary, timeline)]
    assert titled, [r["href"] for r in results]
    for (path, ident), title in titled:
        if path == glossary and ident in entries:
            assert title.startswith(f"{entries[ident].en} · {entries[ident].zh}"), (ident, title)
        elif ident in events:
            assert title.endswith(events[ident].title_en) and not HAN.search(title), (ident, title)


def test_on_the_chinese_site_results_stay_titled_in_chinese(browser: Browser, site_url: str, book: Book) -> None:
    with visit(browser, site_url) as v:
        results = search(v.page, TERM)
    titles = {anchor(r["href"])[1]: r["title"] for r in results}
    paragraphs = {ident: title for ident, title in titles.items() if PARAGRAPH_ID.fullmatch(ident)}
    assert paragraphs, titles
    for ident, title in paragraphs.items():
        chapter, number = ident[1:].split("-")
        assert title == f"{CHAPTER_LABELS[int(chapter)]}第{number}段", (ident, title)
    entry = next(e for e in book.reference.glossary.entries if TERM in e.zh)
    assert titles.get(entry.id, "").startswith(f"{entry.zh} · "), titles


@pytest.mark.parametrize("width", ["phone", "desktop"])
def test_an_english_result_lands_on_the_english_paragraph_with_the_words_highlighted(
    browser: Browser, site_url: str, width: str, screenshots: Path
) -> None:
    with visit(browser, f"{site_url}{ENGLISH_SITE}/", viewport=WIDTHS[width]) as v:
        page = v.page
        search(page, TERM_EN)
        link = page.locator(".md-search-result__link[href*='#p']").first
        ident = anchor(link.get_attribute("href") or "")[1]
        link.click()
        page.wait_for_url(re.compile(f"#{ident}$"))
        page.wait_for_load_state("load")
        # The theme marks the words once it has started and has the index (asked for at once with ?h=).
        page.locator(f"[data-en-for='{ident}'] mark").first.wait_for(state="attached", timeout=10_000)
        english = page.locator(f"[data-en-for='{ident}']")
        box = english.evaluate(
            "el => { const r = el.getBoundingClientRect(); return {top: r.top, height: innerHeight}; }"
        )
        marked = english.locator("mark").all_inner_texts()
        visible_english = english.is_visible()
        page.screenshot(path=str(screenshots / f"search-landing-en-{width}.png"))
        assert v.errors == []
    assert visible_english, f"{ident}: the English paragraph is not shown"
    assert 0 <= box["top"] < box["height"] / 2, f"{ident}'s English is not at the top of the screen: {box}"
    assert any(word in " ".join(marked).lower() for word in TERM_EN.split()), marked


def test_on_the_english_site_a_chinese_query_still_finds_the_paragraphs_that_hold_it(
    browser: Browser, site_url: str, book: Book
) -> None:
    """The English site's index keeps the Chinese site's word separator (mkdocs.yml): with the theme's English
    default, its Chinese words, split by zero-width spaces, were one long word each and a Chinese query found
    only titles."""
    holding = {(f"{ENGLISH_SITE}/{site_path(p.page)}", p.id) for p in book.paragraphs if TERM in p.text}
    with visit(browser, f"{site_url}{ENGLISH_SITE}/") as v:
        results = search(v.page, TERM)
    assert holding <= {anchor(r["href"]) for r in results}, [r["href"] for r in results]
