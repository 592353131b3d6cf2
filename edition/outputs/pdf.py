"""PDFs of the built book: the whole book and one per chapter, typeset by WeasyPrint.

Why WeasyPrint and not Chromium's print: a book needs a table of contents with page
numbers (CSS ``target-counter``), running heads and page numbers in the page margins
(``@page`` boxes) and PDF bookmarks from the headings; Chromium's ``page.pdf()`` has
none of the first three (its header/footer template can only number pages). Both
embed subsets of the Noto CJK fonts, so the text extracts as real Chinese.

Input is the strict build in ``site/``: each page's article, with its notes as the
chapter's endnotes and full URLs. Output goes to ``site/pdf/``. Dates in the PDF's
metadata come from ``SOURCE_DATE_EPOCH`` when it is set, so a commit gives the same PDF.

    python -m edition.outputs.pdf [SITE_DIR]
"""

from __future__ import annotations

import html
import sys
from pathlib import Path
from typing import Any

from bs4 import BeautifulSoup, Tag

from edition.book import load_book
from edition.dates import build_time
from edition.paths import ARTICLE_PAGES, BOOK_PDF, site_path
from edition.problems import EditionError
from edition.reference.article import citations
from edition.site.reader_tools import chapter_pdf
from edition.site.translation_views import ENGLISH_VIEW, VIEW_WRAPPERS

STYLESHEET = Path(__file__).resolve().parent.parent / "site" / "templates" / "pdf.css"
ROOT = Path(__file__).resolve().parent.parent.parent


def page_dir(page: str) -> str:
    return site_path(page).removesuffix("/")


def article_html(site: Path, page: str, number: int) -> tuple[str, str]:
    """(chapter title, the chapter's HTML for print): the article's text and its notes, nothing of the site."""
    soup = BeautifulSoup((site / page_dir(page) / "index.html").read_text(encoding="utf-8"), "html.parser")
    article = soup.select_one("article")
    assert article is not None, f"{page}: no <article>"  # every page of the theme has one
    _remove_the_site(article)
    _number_notes_for_the_book(article, number)
    for link in article.select("a.edition-para-number"):
        link.name = "span"
        del link["href"]
    footnotes = article.select_one("div.footnote")
    if footnotes is not None:
        hr = footnotes.select_one("hr")
        if hr:
            hr.replace_with(BeautifulSoup('<h2 class="notes-heading">注释</h2>', "html.parser"))
    heading = article.select_one("h1")
    title = heading.get_text().rstrip("*").strip() if heading else page
    if heading is not None:
        heading["data-title"] = title  # the running head, without the note mark
    return title, "".join(str(child) for child in article.children)


# What the site adds around the article: none of it belongs on paper.
SITE_ONLY = (
    "a.headerlink",
    ".md-source-file",
    "details.edition-cite",
    "div.edition-cite",
    "aside.edition-annotation",
    "sup.edition-annotation-ref",
    "section.edition-endnotes",  # the annotations again, for the browser's print; the PDFs leave them out
    "a.footnote-backref",
    ".md-content__button",
    "div.admonition",
    # The PDFs are of the Chinese text: the English view's parts go (edition/site/translation_views.py).
    *ENGLISH_VIEW,
)


def _remove_the_site(article: Tag) -> None:
    for selector in SITE_ONLY:
        for node in article.select(selector):
            node.decompose()
    for wrapper in article.select(", ".join(("mark", *VIEW_WRAPPERS))):
        wrapper.unwrap()


def _number_notes_for_the_book(article: Tag, number: int) -> None:
    """Notes are numbered per chapter; the book needs ids unique across chapters."""
    for node in article.select("[id]"):
        ident = node.get("id")
        if isinstance(ident, str) and ident.startswith("fn"):  # (an id is one value, never a list)
            node["id"] = f"c{number}-{ident}"
    for link in article.select("a[href^='#fn']"):
        link["href"] = f"#c{number}-{link['href'][1:]}"


def metadata_date() -> str:
    return build_time().strftime("%Y-%m-%dT%H:%M:%SZ")


def document(article: dict[str, Any], chapters: list[tuple[int, str, str]], *, whole: bool) -> str:
    a, t, j = article["author"], article["title"], article["journal"]
    gbt = next(c for c in citations(article) if c.style == "gbt").text.replace(" 〈本页网址 URL of this page〉.", "")
    if not whole:
        number, title, _ = chapters[0]
        gbt = next(c for c in citations(article, chapter=number, chapter_title=title) if c.style == "gbt").text
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
            f"<p class='cover-pages'>本章页码未知，"
            f"所列为全文页码（第{article['first_page']}–{article['last_page']}页）。</p>"
            if not whole
            else ""
        ),
        "</div>",
        "<p class='cover-edition'>网络校勘本：正文与注释逐字照录，注释据参考文献生成。</p>",
        "</section>",
    ]
    if whole:
        parts.append("<nav class='toc'><h2>目录 · Contents</h2><ol>")
        for number, title, _ in chapters:
            parts.append(f"<li><a href='#chapter-{number}'>{html.escape(title)}</a></li>")
        parts.append("</ol></nav>")
    for number, _title, body in chapters:
        parts.append(f"<section class='chapter' id='chapter-{number}'>{body}</section>")
    parts.append("</body></html>")
    return "".join(parts)


def build_pdfs(site: Path, out: Path | None = None, root: Path = ROOT) -> list[Path]:
    from weasyprint import CSS, HTML  # noqa: PLC0415 (imported here: only `make pdf` and its test need it)

    out = out or site / "pdf"
    out.mkdir(parents=True, exist_ok=True)
    article = dict(load_book(root).article)  # the book checked whole, as the build that made the site
    chapters = []
    for number, page in enumerate(ARTICLE_PAGES):
        title, body = article_html(site, page, number)
        chapters.append((number, title if number else "导言 · " + title, body))
    css = CSS(filename=str(STYLESHEET))
    written = []
    jobs = [(BOOK_PDF, chapters, True)] + [
        (chapter_pdf(page), [chapters[n]], False) for n, page in enumerate(ARTICLE_PAGES) if n
    ]
    for name, parts, whole in jobs:
        target = out / name
        HTML(string=document(article, parts, whole=whole), base_url=str(site)).write_pdf(
            target, stylesheets=[css], pdf_identifier=name.encode(), uncompressed_pdf=False
        )
        written.append(target)
    return written


def main(argv: list[str]) -> int:
    site = Path(argv[0] if argv else "site")
    if not (site / "index.html").exists():
        print(f"make pdf: {site}/index.html not found; run `make build` first", file=sys.stderr)
        return 1
    try:
        written = build_pdfs(site)
    except EditionError as error:
        for problem in error.problems:
            print(problem, file=sys.stderr)
        print(f"make pdf: {len(error.problems)} problem(s); no PDF written.", file=sys.stderr)
        return 1
    for path in written:
        print(f"make pdf: wrote {path} ({path.stat().st_size // 1024} KiB)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
