"""PDFs of the built book: the whole book and one per chapter, typeset by WeasyPrint.

Why WeasyPrint and not Chromium's print: a book needs a table of contents with page
numbers (CSS ``target-counter``), running heads and page numbers in the page margins
(``@page`` boxes) and PDF bookmarks from the headings; Chromium's ``page.pdf()`` has
none of the first three (its header/footer template can only number pages). Both
embed subsets of the Noto CJK fonts, so the text extracts as real Chinese.

Input is the strict build in ``site/``: each page's article, with its notes as the
chapter's endnotes and full URLs. Output goes to ``site/pdf/``. Dates in the PDF's
metadata come from ``SOURCE_DATE_EPOCH`` when it is set, so a commit gives the same PDF.

Paper: A4, the files the site links (``BOOK_PDF``, ``chapter-N.pdf``). ``--paper letter``
(``make pdf PAPER=letter``) writes US Letter copies as well, named ``…-letter.pdf``, so
both sets live side by side and the site's links stay good whichever was asked for.

    python -m edition.outputs.pdf [SITE_DIR] [--paper a4|letter]
"""

from __future__ import annotations

import html
import posixpath
import sys
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from bs4 import BeautifulSoup, Tag

from edition.book import load_book
from edition.dates import build_time
from edition.outputs.command import SITE_FRAME, make_downloads
from edition.paths import (
    ARTICLE_PAGES,
    BOOK_PDF,
    BOOK_PDF_EN,
    BOOK_PDF_PARALLEL,
    GLOSSARY_PAGE,
    REFERENCES_PAGE,
    TIMELINE_PAGE,
    page_stem,
    site_path,
)
from edition.problems import EditionError, Problem
from edition.reference.article import URL_PLACEHOLDER, citations, translation_citations
from edition.site.reader_tools import chapter_pdf
from edition.site.translation_views import VIEW_WRAPPERS
from edition.text.print_pages import chapter_pages

STYLESHEET = Path(__file__).resolve().parent.parent / "site" / "templates" / "pdf.css"
ROOT = Path(__file__).resolve().parent.parent.parent

# The paper sizes `make pdf` knows: the CSS page size, and what it adds to a file's name. A4 is what the pages link.
PAPERS = {"a4": ("A4", ""), "letter": ("letter", "-letter")}
DEFAULT_PAPER = "a4"
# Tagged, for screen readers and reflow: WeasyPrint's PDF/UA-1 variant writes the structure tree from the HTML
# (headings, paragraphs, lists, links, notes), MarkInfo, the document's language, its title as the title shown and
# the PDF/UA identification in the XMP metadata. (Checked by reading the files, tests/test_cite_and_pdf.py; no
# PDF/UA validator such as veraPDF or PAC runs here.)
PDF_VARIANT = "pdf/ua-1"


def paper_file(name: str, paper: str) -> str:
    """The file of ``name`` (an A4 file's name) in ``paper``: chapter-2.pdf → chapter-2-letter.pdf."""
    return name.removesuffix(".pdf") + PAPERS[paper][1] + ".pdf"


def papers_asked(argv: list[str]) -> tuple[list[str], list[str]]:
    """(the site folder and other arguments, the papers to write) from the command line: A4 always, since the pages
    link it, and Letter as well with ``--paper letter``. An unknown size raises EditionError saying which exist."""
    rest, papers = [], [DEFAULT_PAPER]
    arguments = iter(argv)
    for argument in arguments:
        if argument != "--paper" and not argument.startswith("--paper="):
            rest.append(argument)
            continue
        value = argument.partition("=")[2] if "=" in argument else next(arguments, "")
        paper = value.strip().lower()
        if paper not in PAPERS:
            message = (
                f"{value[:40]!r} is not a paper size this edition makes; use PAPER=a4 (the default) or "
                "PAPER=letter (US Letter, written beside the A4 files)"
            )
            raise EditionError([Problem("make pdf", None, "PAPER", message)])
        papers += [] if paper in papers else [paper]
    return rest, papers


def page_dir(page: str) -> str:
    return site_path(page).removesuffix("/")


def article_html(
    site: Path, page: str, number: int, *, english: bool = False, parallel: bool = False
) -> tuple[str, str]:
    """(chapter title, the chapter's HTML for print): the article's text and its notes, nothing of the site; with
    ``english``, the edition's English translation and its notes instead of the Chinese; with ``parallel``, both,
    as the 对照 · Parallel view shows them (each paragraph followed by its English)."""
    soup = BeautifulSoup((site / page_dir(page) / "index.html").read_text(encoding="utf-8"), "html.parser")
    article = soup.select_one("article")
    assert article is not None, f"{page}: no <article>"  # every page of the theme has one
    chinese_title = article.select_one("h1 > span.edition-zh")  # the contents and running heads: the Chinese title
    running_head = chinese_title.get_text().rstrip("*").strip() if parallel and chinese_title else ""

    if english:
        _keep_the_english(article)
    elif parallel:
        _keep_both(article)
    _remove_the_site(article)
    _ids_and_links_for_the_book(article, page)
    for link in article.select("a.edition-para-number"):
        link.name = "span"
        del link["href"]
    for footnotes in article.select("div.footnote"):
        hr = footnotes.select_one("hr")
        if hr:
            in_english = english or PARALLEL_EN in " ".join(footnotes.get_attribute_list("class")).split()
            notes = (
                '<h2 class="notes-heading" lang="en">Notes</h2>'
                if in_english
                else '<h2 class="notes-heading">注释</h2>'
            )
            hr.replace_with(BeautifulSoup(notes, "html.parser"))
        if not parallel:
            break  # (one list of notes: the view's)
    heading = article.select_one("h1")
    title = running_head or (heading.get_text().rstrip("*").strip() if heading else page)
    if heading is not None:
        heading["data-title"] = running_head or title  # the running head, without the note mark
    return title, "".join(str(child) for child in article.children)


# What the site adds around the article: none of it belongs on paper.
SITE_ONLY = (
    *SITE_FRAME,
    "section.edition-endnotes",  # the annotations again, for the browser's print; the PDFs leave them out
    "a.footnote-backref",
    "div.admonition",
)


def _keep_english_parts(article: Tag, mark: str = "") -> None:
    """The English parts kept, not taken away with the site's English view (_remove_the_site): their view class
    goes, and ``mark`` (the parallel book's) takes its place."""
    for node in article.select(".edition-en"):
        classes = [name for name in node.get_attribute_list("class") if name and name != "edition-en"]
        node["class"] = " ".join([*classes, mark] if mark else classes)


def _keep_the_english(article: Tag) -> None:
    """The article as the English view shows it: each paragraph's English, the English title and notes (the
    cover says whose translation it is, so the view switch and its note go)."""
    for node in article.select(
        ".edition-pair > :not(.edition-en), h1 > .edition-zh, div.footnote:not(.edition-en), .edition-views, "
        ".edition-en-notes-title"
    ):
        node.decompose()
    _keep_english_parts(article)


PARALLEL_EN = "parallel-en"  # the English of a paragraph, title or note list in the parallel book (pdf.css)


def _keep_both(article: Tag) -> None:
    """The article as the 对照 · Parallel view shows it: each Chinese paragraph, then its English; the title in both
    languages; the Chinese notes, then the English (the cover says whose translation it is, so the switch goes)."""
    for node in article.select(".edition-views, .edition-en-notes-title"):
        node.decompose()
    _keep_english_parts(article, mark=PARALLEL_EN)


def _remove_the_site(article: Tag) -> None:
    for selector in SITE_ONLY:
        for node in article.select(selector):
            node.decompose()
    for wrapper in article.select(", ".join(("mark", *VIEW_WRAPPERS))):
        wrapper.unwrap()


# The reference pages the whole book prints after the article, in this order (the EPUB's order), and what of them
# is the site's alone: the filters (hidden until a script shows them), the data downloads, the glossary's category
# links (the contents list does their work on paper).
BACK_PAGES = (REFERENCES_PAGE, GLOSSARY_PAGE, TIMELINE_PAGE)
BACK_SITE_ONLY = (".edition-downloads", "[hidden]", "fieldset", "nav.edition-glossary-categories")
# Every page the whole book holds, by its folder in the site ('.' for the front page).
BOOK_PAGES = {site_path(page).removesuffix("/") or ".": page for page in (*ARTICLE_PAGES, *BACK_PAGES)}


def book_id(page: str, fragment: str) -> str:
    """The id in the whole book of the element ``fragment`` of ``page`` (its section's when empty): a chapter keeps
    its ids but numbers its notes (each chapter's notes start at 1), a reference page prefixes its own."""
    if page in ARTICLE_PAGES:
        number = ARTICLE_PAGES.index(page)
        if not fragment:
            return f"chapter-{number}"
        return f"c{number}-{fragment}" if fragment.startswith("fn") else fragment
    return f"{page_stem(page)}-{fragment}" if fragment else f"back-{page_stem(page)}"


def _ids_and_links_for_the_book(article: Tag, page: str) -> None:
    """The page's ids made unique across the book, and its links to pages of the book made links inside the PDF
    (a link to a page the book leaves out, or to a download, loses its address: a PDF cannot follow it)."""
    for node in article.select("[id]"):
        node["id"] = book_id(page, str(node["id"]))
    here = site_path(page) or "./"
    for link in article.select("a[href]"):
        href = str(link["href"])
        parts = urlsplit(href)
        if parts.scheme or parts.netloc:  # the sources' addresses, printed in full
            continue
        target = page if not parts.path else BOOK_PAGES.get(posixpath.normpath(posixpath.join(here, parts.path)))
        if target is None:
            del link["href"]
        else:
            link["href"] = "#" + book_id(target, unquote(parts.fragment))


def back_html(site: Path, page: str) -> tuple[str, str]:
    """(title, HTML for print) of a reference page of the site: its generated list as the site shows it, without
    the site's controls."""
    soup = BeautifulSoup((site / page_dir(page) / "index.html").read_text(encoding="utf-8"), "html.parser")
    article = soup.select_one("article")
    assert article is not None, f"{page}: no <article>"  # every page of the theme has one
    _remove_the_site(article)
    for selector in BACK_SITE_ONLY:
        for node in article.select(selector):
            node.decompose()
    _ids_and_links_for_the_book(article, page)
    heading = article.select_one("h1")
    title = heading.get_text().strip() if heading else page
    if heading is not None:
        heading["data-title"] = title
    return title, "".join(str(child) for child in article.children)


def _without_dead_links(document: str) -> str:
    """``document`` with each link to a place it does not hold made plain text (a chapter's PDF links to the notes
    and paragraphs it holds, not to another chapter's)."""
    soup = BeautifulSoup(document, "html.parser")
    ids = {str(node["id"]) for node in soup.select("[id]")}
    for link in soup.select("a[href^='#']"):
        if str(link["href"])[1:] not in ids:
            del link["href"]
    return str(soup)


def metadata_date() -> str:
    return build_time().strftime("%Y-%m-%dT%H:%M:%SZ")


def document(
    article: dict[str, Any],
    chapters: list[tuple[int, str, str]],
    *,
    whole: bool,
    pages: tuple[int, int] | None = None,
    back: list[tuple[str, str, str]] | None = None,
    translator: str = "",
) -> str:
    """The PDF's HTML: a cover, with ``whole`` the contents, the chapters, and the reference pages ``back`` (their
    section id, title and HTML); ``pages``, a chapter's printed pages, which its citation gives (GB/T 7714's
    引文页码); with ``translator``, the parallel book: its cover says whose the English is."""
    a, t, j = article["author"], article["title"], article["journal"]
    gbt = next(c for c in citations(article) if c.style == "gbt").text.replace(" 〈本页网址 URL of this page〉.", "")
    if not whole:
        number, title, _ = chapters[0]
        cited = citations(article, chapter=number, chapter_title=title, pages=pages)
        gbt = next(c for c in cited if c.style == "gbt").text
        gbt = gbt.replace(" 〈本页网址 URL of this page〉.", "")
    parts = [
        "<!DOCTYPE html><html lang='zh-Hans'><head><meta charset='utf-8'>",
        f"<title>{html.escape(t['zh'] if whole else chapters[0][1] + ' · ' + t['zh'])}</title>",
        f"<meta name='author' content='{html.escape(a['zh'])}'>",
        f"<meta name='dcterms.created' content='{metadata_date()}'>",
        f"<meta name='dcterms.modified' content='{metadata_date()}'>",
        "<meta name='generator' content='edition.outputs.pdf (WeasyPrint)'>",
        "</head><body>",
        "<section class='cover'>",
        f"<p class='cover-journal'>《{html.escape(j['zh'])}》{article['year']}年第{article['issue']}期</p>",
        f"<h1 class='cover-title'>{html.escape(t['zh'])}</h1>",
    ]
    if not whole:
        parts.append(f"<p class='cover-chapter'>{html.escape(chapters[0][1])}</p>")
    parts += [
        f"<p class='cover-author'>{html.escape(a['zh'])}</p>",
        f"<p class='cover-en' lang='en'>{html.escape(t['en'])} <span>(editorial translation of the title)</span></p>",
        "<div class='cover-cite'><p class='cover-cite-label'>引用本文 · How to cite</p>",
        f"<p>{html.escape(gbt)}</p>",
        (
            f"<p class='cover-pages'>本章在原刊第{pages[0]}–{pages[1]}页，"
            f"全文为第{article['first_page']}–{article['last_page']}页；原刊每页的起点在正文中以 |页码| 标出。</p>"
            if not whole and pages
            else ""
        ),
        "</div>",
        "<p class='cover-edition'>网络校勘本：正文与注释逐字照录，注释据参考文献生成。</p>",
        _parallel_note(translator) if translator else "",
        "</section>",
    ]
    if whole:
        parts.append("<nav class='toc'><h2>目录 · Contents</h2><ol>")
        for number, title, _ in chapters:
            parts.append(f"<li><a href='#chapter-{number}'>{html.escape(title)}</a></li>")
        parts += [f"<li><a href='#{ident}'>{html.escape(title)}</a></li>" for ident, title, _ in back or []]
        parts.append("</ol></nav>")
    for number, _title, body in chapters:
        parts.append(f"<section class='chapter' id='chapter-{number}'>{body}</section>")
    parts += [f"<section class='chapter back' id='{ident}'>{body}</section>" for ident, _, body in back or []]
    parts.append("</body></html>")
    return _without_dead_links("".join(parts))


def _parallel_note(translator: str) -> str:
    """The parallel book's cover: the English after each paragraph is the edition's translation, and by whom."""
    zh, _, en = translator.rpartition(" · ")
    return (
        "<p class='cover-parallel'>中英对照本：每段原文之后是它的英文，为本版译文（"
        f"{html.escape(zh or translator)}译），非作者或期刊所译；以中文原文为准。 "
        "<span lang='en'>Chinese–English parallel text: after each paragraph, its English, the edition's own "
        f"translation (by {html.escape(en or translator)}), not the author's or the journal's; the Chinese is "
        "the original.</span></p>"
    )


def english_document(article: dict[str, Any], chapters: list[tuple[int, str, str]], translator: str) -> str:
    """The whole book in the edition's English translation, said to be the edition's on its cover. Not the reference
    pages: the site's are Chinese first, with English beside, and this book is the English alone."""
    a, t, j = article["author"], article["title"], article["journal"]
    cite = next(c for c in translation_citations(article, "", URL_PLACEHOLDER, translator) if c.style == "apa-en")
    parts = [
        "<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'>",
        f"<title>{html.escape(t['en'])}</title>",
        f"<meta name='author' content='{html.escape(a['pinyin'])}'>",
        f"<meta name='dcterms.created' content='{metadata_date()}'>",
        f"<meta name='dcterms.modified' content='{metadata_date()}'>",
        "<meta name='generator' content='edition.outputs.pdf (WeasyPrint)'>",
        "</head><body>",
        "<section class='cover'>",
        (
            f"<p class='cover-journal'>{html.escape(j['en'])} (<i>{html.escape(j['pinyin'])}</i>), "
            f"{article['year']}, no. {article['issue']}, pp. {article['first_page']}–{article['last_page']}</p>"
        ),
        f"<h1 class='cover-title'>{html.escape(t['en'])}</h1>",
        f"<p class='cover-author'>{html.escape(a['pinyin'])}</p>",
        (
            f"<p class='cover-en'>Translated by {html.escape(translator.rsplit(' · ', 1)[-1])}: a draft. This is "
            "the edition's own translation, not the author's or the journal's; the Chinese text is the original.</p>"
        ),
        "<div class='cover-cite'><p class='cover-cite-label'>How to cite this translation</p>",
        f"<p>{html.escape(cite.text.replace(' ' + URL_PLACEHOLDER, ''))}</p></div>",
        "</section>",
        "<nav class='toc'><h2>Contents</h2><ol>",
    ]
    parts += [f"<li><a href='#chapter-{n}'>{html.escape(title)}</a></li>" for n, title, _ in chapters]
    parts.append("</ol></nav>")
    parts += [f"<section class='chapter' id='chapter-{n}'>{body}</section>" for n, _, body in chapters]
    parts.append("</body></html>")
    return _without_dead_links("".join(parts))


def build_pdfs(
    site: Path, out: Path | None = None, root: Path = ROOT, papers: tuple[str, ...] = (DEFAULT_PAPER,)
) -> list[Path]:
    from weasyprint import CSS, HTML  # noqa: PLC0415 (imported here: only `make pdf` and its test need it)

    out = out or site / "pdf"
    out.mkdir(parents=True, exist_ok=True)
    book = load_book(root)  # the book checked whole, as the build that made the site
    article = dict(book.article)
    chapters = []
    for number, page in enumerate(ARTICLE_PAGES):
        title, body = article_html(site, page, number)
        chapters.append((number, title if number else "导言 · " + title, body))
    back = [(book_id(page, ""), *back_html(site, page)) for page in BACK_PAGES]
    css = CSS(filename=str(STYLESHEET))
    jobs = [(BOOK_PDF, document(article, chapters, whole=True, back=back))] + [
        (chapter_pdf(page), document(article, [chapters[n]], whole=False, pages=chapter_pages(book.paragraph_pages, n)))
        for n, page in enumerate(ARTICLE_PAGES)
        if n
    ]
    translator = book.translation[ARTICLE_PAGES[0]].front.get("translator", "") if book.translation else ""
    if translator:
        english = [(n, *article_html(site, page, n, english=True)) for n, page in enumerate(ARTICLE_PAGES)]
        english = [(n, title if n else "Introduction · " + title, body) for n, title, body in english]
        jobs.append((BOOK_PDF_EN, english_document(article, english, translator)))
        both = [(n, *article_html(site, page, n, parallel=True)) for n, page in enumerate(ARTICLE_PAGES)]
        both = [(n, title if n else "导言 · " + title, body) for n, title, body in both]
        jobs.append((BOOK_PDF_PARALLEL, document(article, both, whole=True, translator=translator)))
    written = []
    for paper in papers:
        size = CSS(string=f"@page {{ size: {PAPERS[paper][0]}; }}")
        for name, text in jobs:
            target = out / paper_file(name, paper)
            HTML(string=text, base_url=str(site)).write_pdf(
                target,
                stylesheets=[css, size],
                pdf_identifier=target.name.encode(),
                uncompressed_pdf=False,
                pdf_variant=PDF_VARIANT,
            )
            written.append(target)
    return written


def main(argv: list[str]) -> int:
    try:
        rest, papers = papers_asked(argv)
    except EditionError as error:
        for problem in error.problems:
            print(problem, file=sys.stderr)
        print("make pdf: no PDF written.", file=sys.stderr)
        return 1
    return make_downloads("pdf", "PDF", rest, lambda site: build_pdfs(site, papers=tuple(papers)))


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
