"""HTML for readers' tools: the annotations list, an annotation beside its passage, and "Cite this"."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import Any

from markupsafe import Markup

from edition.escape import css_string, json_script
from edition.paths import (
    ANNOTATIONS_PAGE,
    ARTICLE_PAGES,
    BOOK_EPUB,
    BOOK_PDF,
    BOOK_PDF_EN,
    BOOK_PDF_PARALLEL,
    CHAPTER_LABELS,
    REFERENCES_PAGE,
    page_stem,
    site_path,
)
from edition.reference.annotations import TYPES, Annotation, render_body
from edition.reference.article import citations, print_identity, range_citations
from edition.site.templating import TEMPLATES
from edition.sources.bib import Bibliography
from edition.text.paragraphs import Paragraph, paragraph_place
from edition.text.print_pages import chapter_pages, pages_in_chapter


def chapter_pdf(page: str) -> str:
    """The PDF of one article page: chapter-2.md → chapter-2.pdf; the front page has the whole book's."""
    return "" if page == "index.md" else page_stem(page) + ".pdf"


def downloads_root(url: Callable[[str], str], up: str = "") -> str:
    """The relative address of the folder that holds pdf/ and epub/, from the page ``url`` resolves for: the site's
    root, or with ``up`` ("../") the folder above it (the English site in en/ links the files of the Chinese build)."""
    root = url("index.md")
    root = "" if root in (".", "./") else root if root.endswith("/") else root + "/"
    return root + up


def title_downloads(page: str, root: str, *, with_english: bool) -> str:
    """The download links placed beside an article page's title: the chapter's PDF and the book's, the English
    book's where there is a translation, and on the front page the EPUB."""
    return TEMPLATES.get_template("downloads.html").render(
        root=root,
        chapter_pdf=chapter_pdf(page),
        book_pdf=BOOK_PDF,
        book_pdf_en=BOOK_PDF_EN if with_english else "",
        book_pdf_parallel=BOOK_PDF_PARALLEL if with_english else "",
        book_epub=BOOK_EPUB if page == ARTICLE_PAGES[0] else "",
    )


def after_title(html: str, block: str) -> str:
    """``html`` with ``block`` right after its first heading (the page's title); unchanged when it has none."""
    end = html.find("</h1>")
    return html if end < 0 else html[: end + 5] + "\n" + block + html[end + 5 :]


def annotation_note(a: Annotation, bib: Bibliography, url: Callable[[str], str], *, english: bool = False) -> str:
    """An annotation below its paragraph; ``english``: the English site's, its labels English first."""
    body, sources = render_body(a, bib, url(REFERENCES_PAGE))
    kind_zh, kind_en = TYPES[a.type]
    return TEMPLATES.get_template("annotation.html").render(
        a=a,
        body=body,
        sources=sources,
        kind_zh=kind_zh,
        kind_en=kind_en,
        list_url=url(ANNOTATIONS_PAGE),
        english=english,
    )


# Each passage as edition.reference.annotations.mark_passage marks it (a passage across a link, in pieces).
MARKED = re.compile(r'<mark class="edition-annotated" data-annotation="([^"]+)"')


def in_passage_order(html: str, annotations: list[Annotation]) -> list[Annotation]:
    """``annotations`` in the order their passages come in ``html``: the first piece of a passage places it."""
    order: dict[str, int] = {}
    for anchor in MARKED.findall(html):
        order.setdefault(anchor, len(order))
    return sorted(annotations, key=lambda a: order.get(a.anchor, len(order)))


def annotation_endnotes(annotations: list[Annotation], bib: Bibliography, url: Callable[[str], str]) -> str:
    """The page's annotations as endnotes, in the order given (their passages' order in the text), for print."""
    items = []
    for a in annotations:
        body, sources = render_body(a, bib, url(REFERENCES_PAGE))
        kind_zh, kind_en = TYPES[a.type]
        place = paragraph_place(a.target) or a.target
        items.append({"a": a, "body": body, "sources": sources, "kind_zh": kind_zh, "kind_en": kind_en, "place": place})
    return TEMPLATES.get_template("annotation-endnotes.html").render(items=items)


def annotations_page(
    annotations: list[Annotation],
    paragraphs: list[Paragraph],
    bib: Bibliography,
    titles: dict[str, str],
    url: Callable[[str], str],
    *,
    english: bool = False,
) -> str:
    """The annotations page's list; ``english``: the English site's, English first."""
    pages = {p.id: p.page for p in paragraphs}
    order = {p.id: i for i, p in enumerate(paragraphs)}
    items: list[dict[str, Any]] = []
    for a in sorted(annotations, key=lambda a: (order.get(a.target, 0), a.name)):
        page = pages.get(a.target, "index.md")
        body, sources = render_body(a, bib, url(REFERENCES_PAGE))
        kind_zh, kind_en = TYPES[a.type]
        items.append(
            {
                "a": a,
                "body": body,
                "sources": sources,
                "kind_zh": kind_zh,
                "kind_en": kind_en,
                "url": url(page),
                "chapter": ARTICLE_PAGES.index(page) if page in ARTICLE_PAGES else 0,
                "chapter_title": titles.get(page, page),
                "number": a.target.split("-")[1],
            }
        )
    return TEMPLATES.get_template("annotations.html").render(items=items, english=english)


def cite_this(
    article: dict[str, Any],
    page: str,
    title: str,
    url: Callable[[str], str],
    site_url: str,
    with_pdf: bool = False,
    translation: tuple[str, str] = ("", ""),
    paragraph_pages: Mapping[str, tuple[int, int]] | None = None,
    up: str = "",
    *,
    english: bool = False,
) -> str:
    """The citation block; links to the PDFs and the EPUB only in a build that makes them (`make pdf`), in the
    folder ``up`` from the site's root (``downloads_root``). ``paragraph_pages``: the printed pages of this page's
    paragraphs, by id, for citing the chapter or a range of it by page; ``english``: the English site's, its
    labels English first."""
    chapter = ARTICLE_PAGES.index(page) if page in ARTICLE_PAGES else 0
    chapter_title = title if chapter else ""
    own = pages_in_chapter(paragraph_pages or {}, chapter)
    pages = chapter_pages(own, chapter)
    address = (site_url.rstrip("/") + "/" + site_path(page)) if site_url else ""
    root = downloads_root(url, up)
    ranges = {
        "place_zh": CHAPTER_LABELS[chapter],
        "place_en": f"ch. {chapter}" if chapter else "front page",
        "address": address,
        "styles": range_citations(article, chapter_title=chapter_title),
        "pages": {ident: list(span) for ident, span in own.items()},  # a range's pages: ranges.js
        "article_pages": [article["first_page"], article["last_page"]],
    }
    return TEMPLATES.get_template("cite.html").render(
        items=citations(
            article,
            chapter=chapter,
            chapter_title=chapter_title,
            url=address,
            translator=translation[0],
            english_title=translation[1] if chapter else "",
            pages=pages,
        ),
        range_citations=Markup(json_script(ranges)),  # noqa: S704 (escaped for its element; &quot; would not parse)
        chapter_title=chapter_title,
        first=article["first_page"],
        last=article["last_page"],
        chapter_pages=pages,
        site_url=site_url,
        pdf_root=root if with_pdf else None,
        book_pdf=BOOK_PDF,
        book_pdf_en=BOOK_PDF_EN if translation[0] else "",
        book_pdf_parallel=BOOK_PDF_PARALLEL if translation[0] else "",
        chapter_pdf=chapter_pdf(page) if chapter else "",
        book_epub=BOOK_EPUB,
        english=english,
    )


def print_page_css(article: Mapping[str, Any], chapter_title: str, address: str) -> Markup:
    """The @page rules that put the article's identity at the top of every printed page and its address at the
    bottom (stylesheets/print.css sets their type; javascripts/ranges.js adds the date printed and the address
    the reader is at, with a range's anchor)."""
    zh, en = print_identity(article, chapter_title)
    rules = [
        f'@top-center {{ content: {css_string(zh)} "\\A" {css_string(en)}; }}',
        '@bottom-right { content: counter(page) " / " counter(pages); }',
    ]
    if address:
        rules.append(f"@bottom-left {{ content: {css_string(address)}; }}")
    css = "@page { " + " ".join(rules) + " }"
    return Markup(css)  # noqa: S704 (each value from the data is a css_string, which escapes '<' and quotes)
