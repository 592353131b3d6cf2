"""The contributor's path (issue 12): the site's and the repository's addresses from a deploy's environment,
checked before they reach a page; "edit this page" where a page is written by hand."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import parse_qs, urlsplit

import pytest
from bs4 import BeautifulSoup

from book_inputs import copy_book_inputs
from browsing import PHONE, lay_out_everything, visit
from conftest import ROOT, BuildFailed, build_both_sites, build_site
from edition.book import check
from edition.settings import settings_from_file
from static_server import serve

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

    from edition.book import Book

REPOSITORY = "https://github.com/example/edition"  # a fixture: no page of the edition names it
SITE = "https://example.org/edition/"


def addresses(**values: str) -> dict[str, str]:
    return {f"EDITION_{name.upper()}": value for name, value in values.items()}


def test_a_deploy_gives_the_addresses_through_the_environment() -> None:
    environ = addresses(site_url="https://example.org/book/", repo_url=REPOSITORY, edit_uri="edit/trunk/docs/")
    settings = settings_from_file(ROOT, environ)
    assert (settings.site_url, settings.repo_url, settings.branch) == ("https://example.org/book/", REPOSITORY, "trunk")
    assert check(ROOT, environ=environ) == []


def test_an_empty_variable_is_read_as_mkdocs_reads_it() -> None:
    """MkDocs reads an !ENV value as a YAML scalar: '' is null, and a GitHub repository without an edit_uri gets
    MkDocs' own edit/master/docs/; make check reads it the same, so the two never disagree."""
    settings = settings_from_file(ROOT, addresses(repo_url=REPOSITORY, edit_uri=""))
    assert (settings.edit_uri, settings.branch) == ("edit/master/docs/", "master")
    assert settings_from_file(ROOT, addresses(repo_url="~")).repo_url == ""
    # Unset, edit_uri keeps mkdocs.yml's "": a repository without the branch pull requests go to is refused.
    problems = check(ROOT, environ=addresses(repo_url=REPOSITORY))
    assert [(p.file, p.key) for p in problems] == [("mkdocs.yml", "edit_uri")]


def test_without_the_environment_the_site_names_no_repository() -> None:
    settings = settings_from_file(ROOT, {})
    assert (settings.site_url, settings.repo_url, settings.branch) == ("", "", "")


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("repo_url", 'https://github.com/a/b"><script>alert(1)</script>'),
        ("repo_url", "javascript:alert(1)//github.com/a/b"),
        ("repo_url", "https://evil.example/a/b"),
        ("repo_url", "https://github.com/a/b/../../c"),
        ("repo_url", "https://github.com/a/b.git"),
        ("repo_url", "http://github.com/a/b"),
        ("site_url", "javascript:alert(1)"),
        ("site_url", "https://example.org/a b/"),
        ("site_url", 'https://example.org/"onmouseover="x'),
        ("edit_uri", "edit/../../settings/docs/"),
        ("edit_uri", "edit/main/docs/?x=<b>"),
        ("edit_uri", "blob/main/"),
        ("edit_uri", "edit/./docs/"),
        ("edit_uri", "edit/-x/docs/"),
        ("edit_uri", "edit/main.lock/docs/"),
        ("edit_uri", "edit/main/docs/\n"),
        ("repo_url", "https://github.com/a/b\n"),
    ],
)
def test_a_hostile_or_malformed_address_stops_the_checks(name: str, value: str) -> None:
    environ = addresses(**{"repo_url": REPOSITORY, "edit_uri": "edit/main/docs/", name: value})
    problems = check(ROOT, environ=environ)
    assert [(p.file, p.key) for p in problems] == [("mkdocs.yml", name)], problems
    assert f"EDITION_{name.upper()}" in problems[0].message  # says where the value came from


def test_a_build_with_a_hostile_repository_address_stops(tmp_path: Path) -> None:
    with pytest.raises(BuildFailed) as failed:
        build_site(ROOT, tmp_path / "site", repo_url="https://github.com/a/b?x=<script>", edit_uri="edit/main/docs/")
    assert "repo_url" in str(failed.value) and "is not a GitHub repository's address" in str(failed.value)


@pytest.fixture(scope="module")
def site_with_repository(tmp_path_factory: pytest.TempPathFactory) -> Path:
    site = tmp_path_factory.mktemp("site-with-repository")
    build_both_sites(ROOT, site, repo_url=REPOSITORY, edit_uri="edit/main/docs/", site_url=SITE)
    return site


def page(site: Path, path: str) -> BeautifulSoup:
    return BeautifulSoup((site / path / "index.html").read_text(encoding="utf-8"), "html.parser")


def edit_links(soup: BeautifulSoup) -> list[str]:
    return [str(a["href"]) for a in soup.select("a.md-content__button[rel=edit]")]


def test_hand_written_pages_link_to_their_source_and_generated_ones_do_not(site_with_repository: Path) -> None:
    assert edit_links(page(site_with_repository, "chapter-2")) == [f"{REPOSITORY}/edit/main/docs/chapter-2.md"]
    assert edit_links(page(site_with_repository, "colophon")) == [f"{REPOSITORY}/edit/main/docs/colophon.md"]
    for generated in ("glossary", "timeline", "references", "annotations", "emendations"):
        assert edit_links(page(site_with_repository, generated)) == [], generated


def test_with_a_repository_the_articles_pages_load_the_script_that_offers_annotate(site_with_repository: Path) -> None:
    for path in ("chapter-2", "en/chapter-2", ""):
        sources = [str(script["src"]) for script in page(site_with_repository, path).select("script[src]")]
        assert any(source.endswith("javascripts/contribute.js") for source in sources), path
    sources = [str(script["src"]) for script in page(site_with_repository, "glossary").select("script[src]")]
    assert not any(source.endswith("javascripts/contribute.js") for source in sources)


def test_the_sites_address_reaches_canonical_links_the_sitemap_and_the_cite_boxes(site_with_repository: Path) -> None:
    soup = page(site_with_repository, "chapter-2")
    assert soup.select_one("link[rel=canonical]")["href"] == f"{SITE}chapter-2/"
    assert f"<loc>{SITE}chapter-2/</loc>" in (site_with_repository / "sitemap.xml").read_text(encoding="utf-8")
    cited = soup.select_one("#cite-this").get_text()
    assert f"{SITE}chapter-2/" in cited and "〈本页网址" not in cited


def test_pages_name_the_repository_for_the_annotate_action_and_never_ask_githubs_api(
    site_with_repository: Path,
) -> None:
    soup = page(site_with_repository, "chapter-1")
    metas = {str(m["name"]): str(m["content"]) for m in soup.select("meta[name^=edition-]") if m.has_attr("content")}
    assert metas["edition-repository"] == REPOSITORY
    assert metas["edition-branch"] == "main"
    assert soup.select_one("a.md-source")["href"] == REPOSITORY
    for html in site_with_repository.rglob("*.html"):
        assert 'data-md-component="source"' not in html.read_text(encoding="utf-8"), html


def test_a_site_without_a_repository_offers_no_action_that_would_lead_nowhere(tmp_path: Path) -> None:
    site = tmp_path / "site"
    build_site(ROOT, site)
    soup = page(site, "chapter-1")
    assert soup.select("meta[name=edition-repository]") == []
    assert edit_links(soup) == []
    assert soup.select_one("a.md-source") is None
    assert re.search(r"github\.com", (site / "chapter-1" / "index.html").read_text(encoding="utf-8")) is None


# -- from a paragraph to a valid annotation file, in the browser -------------------------------------------------

# Select the n-th occurrence of `exact` in a paragraph's words (its number, note calls and annotation marks left
# out, as the checks read it), the way a reader's drag would: a DOM range over the text nodes.
SELECT_JS = """
([id, exact, nth]) => {
  const skip = ".edition-para-number, sup, .edition-contribute, .edition-contribute-toggle";
  const p = document.getElementById(id);
  if (!p) return false;
  const walker = document.createTreeWalker(p, NodeFilter.SHOW_TEXT, {
    acceptNode: (t) => t.parentElement.closest(skip) ? NodeFilter.FILTER_REJECT : NodeFilter.FILTER_ACCEPT,
  });
  const nodes = [];
  let text = "";
  for (let t = walker.nextNode(); t; t = walker.nextNode()) { nodes.push([t, text.length]); text += t.data; }
  let at = -1;
  for (let i = 0; i <= nth; i++) at = text.indexOf(exact, at + 1);
  if (at < 0) return false;
  const point = (offset, end) => {
    for (const [t, start] of nodes) {
      if (offset < start + t.data.length || (end && offset === start + t.data.length)) return [t, offset - start];
    }
    return null;
  };
  const range = document.createRange();
  range.setStart(...point(at, false));
  range.setEnd(...point(at + exact.length, true));
  getSelection().removeAllRanges();
  getSelection().addRange(range);
  return true;
}
"""


@pytest.fixture(scope="module")
def served_with_repository(site_with_repository: Path) -> Iterator[str]:
    with serve(site_with_repository) as url:
        yield url


def annotate_link(page: Page, selector: str) -> tuple[str, str]:
    """(file name, file text) that the Annotate link at ``selector`` carries to GitHub's new-file form."""
    page.wait_for_selector(selector, state="visible")
    href = page.eval_on_selector(selector, "a => a.href")
    address = urlsplit(href)
    assert address.netloc == "github.com" and address.path == "/example/edition/new/main", href
    query = parse_qs(address.query)
    folder, name = query["filename"][0].split("/")
    assert folder == "annotations", query["filename"]
    return name, query["value"][0]


def report_link(page: Page, selector: str) -> dict[str, str]:
    href = page.eval_on_selector(selector, "a => a.href")
    address = urlsplit(href)
    assert address.path == "/example/edition/issues/new", href
    return {name: values[0] for name, values in parse_qs(address.query).items()}


def front_matter(text: str) -> dict[str, str]:
    import yaml

    return yaml.safe_load(text.split("---\n")[1])


def address(page: str) -> str:
    """A page's path on the site, as MkDocs makes it ('index.md' is the front page)."""
    return "" if page == "index.md" else page.removesuffix(".md") + "/"


def repeated_passage(book: Book) -> tuple[str, str]:
    """A paragraph and four characters that occur in it at least twice, found in the book, not pinned."""
    for paragraph in book.paragraphs:
        text = paragraph.text
        for start in range(len(text) - 4):
            part = text[start : start + 4]
            if part.strip() == part and text.count(part) >= 2 and "\n" not in part:
                return paragraph.id, part
    pytest.skip("no paragraph repeats four characters")


@pytest.mark.browser
def test_the_annotate_links_carry_files_that_pass_the_checks(
    browser: Browser, served_with_repository: str, book: Book, tmp_path: Path
) -> None:
    project = copy_book_inputs(tmp_path / "project")
    written: dict[str, dict[str, str]] = {}

    def keep(name: str, text: str) -> dict[str, str]:
        assert name not in written, f"two links named one file {name}"
        (project / "annotations" / name).write_text(text, encoding="utf-8")
        written[name] = front_matter(text)
        return written[name]

    # The paragraph's own action, without a selection: the first paragraph of every chapter.
    firsts = [p for p in book.paragraphs if p.number == 1 and p.chapter >= 1]
    for paragraph in firsts:
        with visit(browser, f"{served_with_repository}{address(paragraph.page)}") as seen:
            seen.page.click(f"#{paragraph.id} .edition-contribute-toggle")
            fields = keep(*annotate_link(seen.page, f"#{paragraph.id} .edition-contribute .edition-annotate"))
            assert fields["target"] == paragraph.id and paragraph.text.strip().startswith(fields["exact"])
            assert seen.errors == []

    # A selection unique in its paragraph, one that occurs twice, one across a glossary term's link.
    ident, twice = repeated_passage(book)
    paragraph = next(p for p in book.paragraphs if p.id == ident)
    with visit(browser, f"{served_with_repository}{address(paragraph.page)}") as seen:
        selection = f"#{ident} .edition-contribute--selection"
        assert seen.page.evaluate(SELECT_JS, [ident, twice, 1])
        fields = keep(*annotate_link(seen.page, f"{selection} .edition-annotate"))
        assert fields["exact"] == twice and (fields.get("prefix") or fields.get("suffix")), fields
        report = report_link(seen.page, f"{selection} .edition-report")
        assert report["paragraph"] == ident and twice in report["passage"]
        assert report["template"] == "text-error.yml"

    with visit(browser, f"{served_with_repository}chapter-1/") as seen:
        term = seen.page.query_selector("p[id^=p1-] a.edition-term")
        assert term is not None, "a chapter without a glossary term in its text"
        ident, passage = term.evaluate(
            "a => [a.closest('p').id,"
            " a.previousSibling.data.slice(-3) + a.textContent + a.nextSibling.data.slice(0, 2)]"
        )
        assert seen.page.evaluate(SELECT_JS, [ident, passage, 0])
        fields = keep(*annotate_link(seen.page, f"#{ident} .edition-contribute--selection .edition-annotate"))
        assert (fields["target"], fields["exact"]) == (ident, passage)
        unique = next(p.text for p in book.paragraphs if p.id == ident).count(passage) == 1
        assert unique == ("prefix" not in fields and "suffix" not in fields)

        # A drag that ends just after the term's link ends at the link element, not in a text node.
        ended_at_link = term.evaluate(
            """a => { const r = document.createRange(), before = a.previousSibling;
                      r.setStart(before, before.data.length - 2); r.setEnd(a, a.childNodes.length);
                      getSelection().removeAllRanges(); getSelection().addRange(r);
                      return before.data.slice(-2) + a.textContent; }"""
        )
        seen.page.wait_for_function(
            "want => { const a = document.querySelector('.edition-contribute--selection .edition-annotate');"
            " return a && decodeURIComponent(a.href).includes(want); }",
            arg=f'exact: "{ended_at_link}"',
        )

    assert check(project) == []


# Where each paragraph's first and last characters stand on the screen (its number, the pencil and the notes'
# digits left out): what a reader sees move when something is put in the line.
WORDS_AT_JS = """
() => {
  const skip = ".edition-para-number, sup, .edition-contribute, .edition-contribute-toggle";
  const at = (node, offset) => {
    const range = document.createRange();
    range.setStart(node, offset);
    range.setEnd(node, offset + 1);
    const box = range.getBoundingClientRect();
    return [Math.round(box.left * 10) / 10, Math.round(box.top * 10) / 10];
  };
  const found = {};
  for (const p of document.querySelectorAll(".md-content p[id]")) {
    const walker = document.createTreeWalker(p, NodeFilter.SHOW_TEXT, {
      acceptNode: (t) => t.parentElement.closest(skip) || !t.data.trim()
        ? NodeFilter.FILTER_REJECT : NodeFilter.FILTER_ACCEPT,
    });
    const nodes = [];
    for (let t = walker.nextNode(); t; t = walker.nextNode()) nodes.push(t);
    if (!nodes.length) continue;
    const last = nodes[nodes.length - 1];
    found[p.id] = [at(nodes[0], 0), at(last, last.data.length - 1)];
  }
  return found;
}
"""


@pytest.mark.browser
def test_the_pencil_comes_without_moving_a_word_on_a_phone(
    browser: Browser, served_with_repository: str, book: Book
) -> None:
    """On a phone the pencil stands in the line after the ¶ number. Added as the page loads, it pushed every
    paragraph on screen along and re-broke its lines (Lighthouse: a layout shift of 0.14 on chapter 1); the line
    keeps its room from the first paint instead. The words are where they would be without it."""
    pages = sorted({paragraph.page for paragraph in book.paragraphs})
    for name in pages:
        with visit(browser, f"{served_with_repository}{address(name)}", viewport=PHONE) as seen:
            seen.page.wait_for_selector(".edition-contribute-toggle", state="attached")
            lay_out_everything(seen.page)
            with_pencils = seen.page.evaluate(WORDS_AT_JS)
            pencils = seen.page.eval_on_selector_all(".edition-contribute-toggle", "all => all.length")
            seen.page.eval_on_selector_all(".edition-contribute-toggle", "all => all.forEach((b) => b.remove())")
            without = seen.page.evaluate(WORDS_AT_JS)
            assert pencils > 0 and with_pencils, name
            moved = {ident: (without[ident], where) for ident, where in with_pencils.items() if without[ident] != where}
            assert moved == {}, f"{name}: the pencil moved these paragraphs' words: {moved}"
            assert seen.errors == []


# Each ¶ number on screen, and the room between it and what follows it in the line: the pencil where
# contribute.js put one, else the paragraph's first word (skipped when that word starts the next line).
ROOM_AFTER_NUMBERS_JS = """
() => {
  const room = {};
  for (const number of document.querySelectorAll(".md-content a.edition-para-number")) {
    if (!number.getClientRects().length) continue;  // in a reading view not shown
    const box = number.getBoundingClientRect();
    const next = number.nextElementSibling;
    let left = null;
    if (next && next.matches(".edition-contribute-toggle")) {
      left = next.getBoundingClientRect().left;
    } else {
      const walker = document.createTreeWalker(number.parentElement, NodeFilter.SHOW_TEXT);
      for (let t = walker.nextNode(); t; t = walker.nextNode()) {
        if (number.contains(t) || !(number.compareDocumentPosition(t) & Node.DOCUMENT_POSITION_FOLLOWING)) continue;
        const at = t.data.search(/\\S/);
        if (at < 0) continue;
        const range = document.createRange();
        range.setStart(t, at);
        range.setEnd(t, at + 1);
        const word = range.getBoundingClientRect();
        if (word.top < box.bottom) left = word.left;
        break;
      }
    }
    const where = `${number.getAttribute("href")} (${number.parentElement.className || "zh"})`;
    if (left !== null) room[where] = left - box.right;
  }
  return room;
}
"""


@pytest.mark.browser
def test_a_number_no_pencil_follows_keeps_no_room_for_one_on_a_phone(
    browser: Browser, served_with_repository: str, book: Book
) -> None:
    """The room kept for the pencil on a phone is for the paragraphs that get one (the article's, by their
    id). The English beside them (the English site's reading view, and "English" or "both" on the Chinese
    site) carries the same ¶ number but no pencil: a blank the pencil's width stood after each of its numbers."""
    pages = sorted({paragraph.page for paragraph in book.paragraphs})
    for site in ("", "en/"):
        for name in pages:
            with visit(browser, f"{served_with_repository}{site}{address(name)}", viewport=PHONE) as seen:
                seen.page.wait_for_selector(".edition-contribute-toggle", state="attached")
                seen.page.eval_on_selector("#edition-view-both", "input => input.click()")
                lay_out_everything(seen.page)
                room = seen.page.evaluate(ROOM_AFTER_NUMBERS_JS)
                assert seen.errors == []
            assert any("edition-en" in number for number in room), f"{site}{name}: no English paragraph shown"
            wide = {number: round(gap, 1) for number, gap in room.items() if gap > 12}  # half the pencil's 24 px
            assert wide == {}, f"{site}{name}: room for a pencil that never comes after these numbers: {wide}"


@pytest.mark.browser
def test_without_javascript_no_room_is_kept_for_a_pencil_on_a_phone(
    browser: Browser, served_with_repository: str
) -> None:
    """A reader without JavaScript never gets the pencil (contribute.js adds it): its room stood blank after
    every ¶ number of the article on a phone."""
    context = browser.new_context(java_script_enabled=False, viewport=PHONE)
    try:
        page = context.new_page()
        page.goto(f"{served_with_repository}chapter-1/")
        room = page.evaluate(ROOM_AFTER_NUMBERS_JS)
    finally:
        context.close()
    assert room, "no ¶ number on screen"
    wide = {number: round(gap, 1) for number, gap in room.items() if gap > 12}  # half the pencil's 24 px
    assert wide == {}, f"room for a pencil that never comes after these numbers: {wide}"
