"""The book as an EPUB 3: front matter, the four chapters with their notes as pop-up footnotes, the edition's
校勘记, references, glossary and timeline, a cover, and a subset of Noto Serif CJK SC embedded.

Why from the built site and not from the ``Book``: the site is the text readers know, after every emendation,
with the notes as mkdocs-bibtex wrote them from refs.bib and the glossary's links in place; making the notes again
outside MkDocs would be a second renderer that could disagree with the first. This is the PDF's choice too
(``edition.outputs.pdf``). The ``Book`` still gives the article's record (title, author, journal) for the metadata.

Why our own container and not a library (ebooklib): an EPUB is a zip of a few XML files; writing it with
``zipfile`` keeps the output byte for byte the same for a commit (fixed order, times from ``SOURCE_DATE_EPOCH``,
fixed permissions), which a library's writer does not promise, and every element that reaches the book goes
through one allowlist (``_serialize``) instead of a library's own HTML handling.

Nothing from a page is trusted: elements outside the allowlist are unwrapped or (scripts, forms, media) dropped,
attributes are kept only from a short list, links only to http(s) or to a place inside the book, and text and
attributes are escaped by ``edition.escape``. A missing or malformed page stops with ``file: what; what to do``.

    python -m edition.outputs.epub [SITE_DIR]     # writes SITE_DIR/epub/<BOOK_EPUB>
"""

from __future__ import annotations

import datetime as dt
import io
import posixpath
import re
import sys
import unicodedata
import uuid
import zipfile
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from bs4 import BeautifulSoup, NavigableString, Tag
from bs4.element import Comment, Doctype, ProcessingInstruction
from fontTools import subset
from fontTools.ttLib import TTCollection, TTFont

from edition.book import load_book
from edition.dates import build_time
from edition.escape import html_attribute, html_text, safe_url
from edition.outputs.card import COVER, card_png
from edition.outputs.command import SITE_FRAME, make_downloads
from edition.paths import ARTICLE_PAGES, ARTICLE_RECORD, BOOK_EPUB, site_path
from edition.problems import EditionError, Problem
from edition.site.translation_views import VIEW_WRAPPERS

ROOT = Path(__file__).resolve().parent.parent.parent
STYLESHEET = Path(__file__).resolve().parent.parent / "site" / "templates" / "epub.css"
# Noto Serif CJK from Debian's fonts-noto-cjk (scripts/install-system-packages.sh), its Simplified Chinese face.
FONT_COLLECTION = Path("/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc")
FONT_FAMILY = "Noto Serif CJK SC"
FONT_FILE = "fonts/NotoSerifCJKsc-Regular-subset.woff2"
# The family the book's stylesheet names it by: not the font's own name, so that a reading system (or a test's
# browser) with Noto Serif CJK installed still shows the embedded subset, never the installed font.
CSS_FAMILY = "Edition Noto Serif CJK SC subset"

# The pages after the article, by the name MkDocs gives them, with how the contents list names them.
BACK_PAGES = ("emendations.md", "references.md", "glossary.md", "timeline.md")

# What the site adds around the text that a book has no use for: scripts' controls, copy buttons, the cite box
# (its addresses are the site's), contributors' annotations (the site's, not the article's), downloads.
SITE_ONLY = (*SITE_FRAME, ".edition-downloads", "[hidden]", "fieldset")
# Dropped with everything inside: active or embedded content, forms, anything a reading system might run.
DROPPED = frozenset(
    {
        "script",
        "style",
        "noscript",
        "template",
        "iframe",
        "object",
        "embed",
        "form",
        "input",
        "button",
        "select",
        "textarea",
        "label",
        "svg",
        "math",
        "img",
        "picture",
        "video",
        "audio",
        "source",
        "canvas",
        "link",
        "meta",
        "base",
        "title",
        "head",
    }
)
# Kept as they are (with the attributes below); any other element is unwrapped, its text kept.
ALLOWED = frozenset(
    {
        "section",
        "div",
        "p",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "a",
        "span",
        "em",
        "strong",
        "i",
        "b",
        "sup",
        "sub",
        "small",
        "code",
        "pre",
        "blockquote",
        "ol",
        "ul",
        "li",
        "dl",
        "dt",
        "dd",
        "table",
        "thead",
        "tbody",
        "tr",
        "th",
        "td",
        "br",
        "hr",
        "time",
        "aside",
        "nav",
        "cite",
        "abbr",
    }
)
VOID = frozenset({"br", "hr"})
ATTRIBUTES = frozenset({"id", "href", "class", "lang", "datetime", "colspan", "rowspan", "epub:type", "role", "title"})
_DATETIME = re.compile(r"^\d{4}(?:-\d{2}(?:-\d{2})?)?\Z")
_SPAN = re.compile(r"^[1-9]\d{0,2}\Z")
_CLASS = re.compile(r"^[A-Za-z0-9_ -]{1,200}\Z")
_LANG = re.compile(r"^[A-Za-z]{2,3}(?:-[A-Za-z0-9]{1,8}){0,3}\Z")
# XML 1.0's Name (as an id): a letter, '_' or a non-ASCII name character first, then those, digits, '-' and '.'.
_XML_ID = re.compile(
    "^[A-Za-z_\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u02ff\u0370-\u037d\u037f-\u1fff\u200c\u200d\u2070-\u218f"
    "\u2c00-\u2fef\u3001-\ud7ff\uf900-\ufdcf\ufdf0-\ufffd]"
    "[A-Za-z0-9_.\u00b7\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u037d\u037f-\u1fff\u200c\u200d\u203f\u2040"
    "\u2070-\u218f\u2c00-\u2fef\u3001-\ud7ff\uf900-\ufdcf\ufdf0-\ufffd-]{0,200}\\Z"
)
# What XML 1.0 cannot hold at all: C0 controls but tab and line breaks, lone surrogates, U+FFFE and U+FFFF.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
XHTML_NS = "http://www.w3.org/1999/xhtml"
EPUB_NS = "http://www.idpf.org/2007/ops"


@dataclass
class Document:
    """One XHTML file of the book: its page in the site, its title and its body as a tree until it is written."""

    page: str  # index.md, chapter-1.md …; '' for the pages the EPUB makes itself
    name: str  # file name in the EPUB: chapter-1.xhtml
    title: str
    body: Tag
    kind: str  # the body's epub:type: frontmatter, bodymatter, backmatter
    # The printed article's pages that begin in this document (their markers' ids are page-N), in order.
    print_pages: list[int] = field(default_factory=list)
    ids: set[str] = field(default_factory=set)


def _problem(site: Path, page: str, message: str) -> Problem:
    return Problem((site / page_dir(page) / "index.html").as_posix(), None, page, message)


def page_dir(page: str) -> str:
    return site_path(page).removesuffix("/")


def xhtml_name(page: str) -> str:
    return ("title-page" if page == "index.md" else page.removesuffix(".md")) + ".xhtml"


# -- reading the site ---------------------------------------------------------------------------------------


def read_article(site: Path, page: str) -> Tag:
    """The page's ``<article>`` from the strict build, or a problem that says to build first."""
    path = site / page_dir(page) / "index.html"
    if not path.is_file() or path.is_symlink():
        raise EditionError(
            [_problem(site, page, "this page is missing from the built site; run `make build` (strict) first")]
        )
    soup = BeautifulSoup(path.read_text(encoding="utf-8", errors="strict"), "html.parser")
    articles = soup.find_all("article")
    if len(articles) != 1 or articles[0].find("h1") is None:
        raise EditionError(
            [
                _problem(
                    site,
                    page,
                    "the page has no single <article> with a heading, as the theme writes it; rebuild the site "
                    "with `make build`",
                )
            ]
        )
    return articles[0]


def _heading_text(article: Tag) -> str:
    heading = article.find("h1")
    assert isinstance(heading, Tag)  # read_article checked it
    for mark in heading.find_all(["a", "sup"], class_=["headerlink"]):
        mark.decompose()
    text = "".join(s for s in heading.find_all(string=True) if not _inside(s, "sup"))
    return " ".join(text.split())


def _inside(node: Any, name: str) -> bool:
    return any(parent.name == name for parent in node.parents)


def _remove_the_site(article: Tag) -> None:
    for selector in SITE_ONLY:
        for node in article.select(selector):
            node.decompose()
    for node in article.select(", ".join(("mark", "a.edition-term-off", *VIEW_WRAPPERS))):
        node.unwrap()
    for link in article.select("a.edition-para-number"):
        link.name = "span"
        link.attrs = {"class": "para-number"}
    for box in article.select("details"):  # the edition's own boxes (本版说明): open, with their title
        box.name = "div"
        box.attrs = {"class": "edition-box"}
        for summary in box.find_all("summary"):
            summary.name = "p"
            summary.attrs = {"class": "edition-box-title"}


def _notes_as_footnotes(article: Tag, prefix: str, site: Path, page: str) -> None:
    """Python-Markdown's notes (``sup#fnref:x > a[href=#fn:x]`` and ``div.footnote li#fn:x``) as EPUB 3 pop-up
    footnotes: ``<a epub:type="noteref">`` to ``<aside epub:type="footnote">`` whose first child is the link back."""
    block = article.select_one("div.footnote")
    items = block.select("li[id]") if block else []
    notes: dict[str, str] = {}  # the site's note id → the book's
    for number, item in enumerate(items, 1):
        notes[str(item["id"])] = f"{prefix}fn{number}"
    first_call: dict[str, str] = {}
    for count, sup in enumerate(article.select("sup[id]"), 1):
        link = sup.find("a", href=True)
        target = str(link["href"])[1:] if isinstance(link, Tag) else ""
        if not isinstance(link, Tag) or target not in notes:
            continue
        call = f"{prefix}ref{count}"
        first_call.setdefault(target, call)
        sup.attrs = {}
        link.attrs = {"href": "#" + notes[target], "id": call, "epub:type": "noteref", "class": "noteref"}
    if block is None:
        return
    section = Tag(name="section", attrs={"class": "notes"})
    heading = Tag(name="h2")
    heading.string = "注释"
    section.append(heading)
    for number, item in enumerate(items, 1):
        site_id = str(item["id"])
        if site_id not in first_call:
            raise EditionError([_problem(site, page, f"note {number} ({site_id}) is never called from the text")])
        for back in item.select("a.footnote-backref"):
            back.decompose()
        aside = Tag(name="aside", attrs={"id": notes[site_id], "epub:type": "footnote", "class": "footnote"})
        back = Tag(name="a", attrs={"href": "#" + first_call[site_id], "class": "backlink"})
        back.string = str(number)
        aside.append(back)
        for child in list(item.children):
            aside.append(child.extract())
        section.append(aside)
    block.replace_with(section)


def _page_breaks(article: Tag) -> list[int]:
    """The printed pages' markers (edition/site/page_markers.py) as EPUB page breaks, for the book's page list:
    a reading system can then go to, and show, the journal's page."""
    numbers = []
    for marker in article.select("span.edition-page"):
        number = str(marker.get("data-page", ""))
        if not number.isdigit():
            marker.decompose()
            continue
        marker.attrs = {
            "id": f"page-{number}",
            "epub:type": "pagebreak",
            "role": "doc-pagebreak",
            "title": number,
            "class": "edition-page",
        }
        numbers.append(int(number))
    return numbers


def chapter_document(site: Path, page: str, number: int) -> Document:
    article = read_article(site, page)
    _remove_the_site(article)
    title = _heading_text(article)
    _notes_as_footnotes(article, f"c{number}-", site, page)
    print_pages = _page_breaks(article)
    kind = "frontmatter" if page == "index.md" else "bodymatter"
    body = Tag(name="section", attrs={"epub:type": "chapter" if number else "titlepage", "class": "page"})
    for child in list(article.children):
        body.append(child.extract())
    return Document(page, xhtml_name(page), title, body, kind, print_pages)


def back_document(site: Path, page: str) -> Document:
    article = read_article(site, page)
    _remove_the_site(article)
    title = _heading_text(article)
    body = Tag(name="section", attrs={"class": "page"})
    for child in list(article.children):
        body.append(child.extract())
    return Document(page, xhtml_name(page), title, body, "backmatter")


# -- links and ids ------------------------------------------------------------------------------------------


def _collect_ids(document: Document) -> None:
    for node in document.body.find_all(id=True):
        ident = node.get("id")
        if isinstance(ident, str) and _XML_ID.match(ident) and ident not in document.ids:
            document.ids.add(ident)
        else:
            del node["id"]  # not a name XML allows, or a second one: links to it lead nowhere and are unwrapped


def _resolve(href: str, document: Document, by_page: Mapping[str, Document]) -> str | None:
    """Where a link of the page goes in the book: http(s) as it is, a place in a page of the book, or None."""
    if safe_url(href):
        return href
    parts = urlsplit(href)
    if parts.scheme or parts.netloc or parts.query:
        return None
    fragment = unquote(parts.fragment)
    if not parts.path:
        return "#" + fragment if fragment in document.ids else None
    base = page_dir(document.page) if document.page else ""
    folder = posixpath.normpath(posixpath.join(base, unquote(parts.path))).strip("/")
    folder = "" if folder == "." else folder.removesuffix("/index.html")
    target = next((d for d in by_page.values() if d.page and page_dir(d.page) == folder), None)
    if target is None:
        return None
    return target.name + ("#" + fragment if fragment in target.ids else "")


def _link_within_the_book(documents: list[Document]) -> None:
    by_page = {d.page: d for d in documents}
    for document in documents:
        for link in document.body.find_all("a"):
            href = link.get("href")
            resolved = _resolve(href, document, by_page) if isinstance(href, str) else None
            if resolved is None:
                if link.get("id") or link.get("epub:type"):
                    del link["href"]
                else:
                    link.unwrap()
            else:
                link["href"] = resolved


# -- writing XHTML ------------------------------------------------------------------------------------------


def _attribute(name: str, value: Any) -> str | None:
    """The attribute as it may reach the book, or None."""
    text = " ".join(value) if isinstance(value, list) else str(value)
    checks = {
        "class": _CLASS.match,
        "lang": _LANG.match,
        "datetime": _DATETIME.match,
        "colspan": _SPAN.match,
        "rowspan": _SPAN.match,
        "id": _XML_ID.match,
        "epub:type": re.compile(r"^(?:noteref|footnote|chapter|titlepage|pagebreak)\Z").match,
        "role": re.compile(r"^doc-pagebreak\Z").match,  # the only role the book gives, with the page's number:
        "title": re.compile(r"^[1-9]\d{0,3}\Z").match,
    }
    if name == "href":
        return text
    check = checks.get(name)
    return text if check is not None and check(text) else None


def _text(node: NavigableString, where: str) -> str:
    text = str(node)
    bad = _NOT_XML.search(text)
    if bad:
        message = (
            f"the text holds U+{ord(bad.group()):04X}, which XML (and so an EPUB) cannot carry; "
            "remove it from the page's source"
        )
        raise EditionError([Problem(where, None, None, message)])
    return html_text(text)


def _attributes(node: Tag) -> str:
    """The element's attributes that may reach the book, escaped, in a fixed order; ``lang`` also as ``xml:lang``."""
    written = []
    for name in sorted(node.attrs):
        value = _attribute(name, node.attrs[name]) if name in ATTRIBUTES else None
        if value is not None:
            written.append(f' {name}="{html_attribute(value)}"')
            if name == "lang":
                written.append(f' xml:lang="{html_attribute(value)}"')
    return "".join(written)


def _serialize(node: Any, out: list[str], where: str) -> None:
    """``node`` as XHTML into ``out``: text escaped, allowed elements with allowed attributes, other elements
    unwrapped, dropped ones gone with their content."""
    if isinstance(node, (Comment, Doctype, ProcessingInstruction)):
        return
    if isinstance(node, NavigableString):
        out.append(_text(node, where))
        return
    if not isinstance(node, Tag) or node.name in DROPPED:
        return
    if node.name not in ALLOWED:
        for child in node.children:
            _serialize(child, out, where)
        return
    if node.name in VOID:
        out.append(f"<{node.name}{_attributes(node)}/>")
        return
    out.append(f"<{node.name}{_attributes(node)}>")
    for child in node.children:
        _serialize(child, out, where)
    out.append(f"</{node.name}>")


def xhtml(title: str, body: str, kind: str, extra_head: str = "") -> str:
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE html>\n'
        f'<html xmlns="{XHTML_NS}" xmlns:epub="{EPUB_NS}" lang="zh-Hans" xml:lang="zh-Hans">\n'
        f'<head>\n<meta charset="utf-8"/>\n<title>{html_text(title)}</title>\n'
        f'<link rel="stylesheet" type="text/css" href="book.css"/>\n{extra_head}</head>\n'
        f'<body epub:type="{kind}">\n{body}\n</body>\n</html>\n'
    )


def document_xhtml(document: Document, site: Path) -> str:
    out: list[str] = []
    _serialize(document.body, out, (site / page_dir(document.page) / "index.html").as_posix())
    return xhtml(document.title, "".join(out), document.kind)


# -- the pages the EPUB makes itself ------------------------------------------------------------------------


def source_line(article: Mapping[str, Any]) -> str:
    a, t, j = article["author"], article["title"], article["journal"]
    return (
        f"{a['zh']}：《{t['zh']}》，《{j['zh']}》{article['year']}年第{article['issue']}期，"
        f"第{article['first_page']}–{article['last_page']}页。"
    )


def rights_line(article: Mapping[str, Any]) -> str:
    return f"文章 © {article['author']['zh']}、《{article['journal']['zh']}》；本版整理与校勘见“校勘记”。"


def book_identifier(article: Mapping[str, Any]) -> str:
    """A urn from the article's identity (journal, year, issue, pages, key): the same for every build of it."""
    identity = (
        f"{article['journal']['zh']}/{article['year']}/{article['issue']}/"
        f"{article['first_page']}-{article['last_page']}/{article['key']}/epub"
    )
    return uuid.uuid5(uuid.NAMESPACE_URL, "urn:edition:" + identity).urn


def cover_xhtml(article: Mapping[str, Any]) -> str:
    t = article["title"]
    body = (
        '<section epub:type="cover" class="cover">'
        f'<img src="cover.png" alt="{html_attribute(t["zh"] + "，" + article["author"]["zh"])}"/>'
        "</section>"
    )
    return xhtml(t["zh"], body, "cover")


def _page_list(article: Mapping[str, Any], documents: list[Document]) -> str:
    """The printed article's pages: the first where the book's text begins, each other at its marker."""
    first = documents[0].name
    pages = [f'<li><a href="{html_attribute(first)}">{int(article["first_page"])}</a></li>']
    pages += [f'<li><a href="{html_attribute(d.name)}#page-{n}">{n}</a></li>' for d in documents for n in d.print_pages]
    return (
        '<nav epub:type="page-list" id="page-list" hidden="hidden">'
        f'<h2>原刊页码 <span lang="en" xml:lang="en">· Print pages</span></h2><ol>{"".join(pages)}</ol></nav>'
    )


def nav_xhtml(article: Mapping[str, Any], documents: list[Document]) -> str:
    items = "".join(f'<li><a href="{html_attribute(d.name)}">{html_text(d.title)}</a></li>' for d in documents)
    first_chapter = next(d.name for d in documents if d.kind == "bodymatter")
    body = (
        '<nav epub:type="toc" id="toc"><h1>目录 <span lang="en" xml:lang="en">· Contents</span></h1>'
        f"<ol>{items}</ol></nav>"
        '<nav epub:type="landmarks" id="landmarks" hidden="hidden"><h2>Landmarks</h2><ol>'
        '<li><a epub:type="cover" href="cover.xhtml">封面 Cover</a></li>'
        '<li><a epub:type="titlepage" href="title-page.xhtml">题名页 Title page</a></li>'
        f'<li><a epub:type="bodymatter" href="{first_chapter}">正文 Start of the text</a></li>'
        "</ol></nav>"
        f"{_page_list(article, documents)}"
    )
    return xhtml("目录 · Contents", body, "frontmatter")


def colophon_xhtml(article: Mapping[str, Any], modified: str) -> str:
    body = (
        '<section class="page colophon"><h1>关于本电子书 <span lang="en" xml:lang="en">· About this e-book</span></h1>'
        f"<p>{html_text(source_line(article))}</p>"
        "<p>本电子书由网络校勘本的严格构建生成：正文与注释逐字照录，注释据参考文献生成，每章注释为弹出式脚注；"
        "“本版说明”与校勘记、参考文献、术语表、大事记为本版编者所作，非期刊所载。</p>"
        '<p lang="en" xml:lang="en">Made from the strict build of the web edition: the text and notes word for '
        "word, the notes generated from the edition's bibliography, as pop-up footnotes per chapter. The "
        "“本版说明” box, the emendations, references, glossary and timeline are the edition's, not the journal's.</p>"
        f"<p>字体：{FONT_FAMILY}（子集，仅含本书所用字符），SIL Open Font License 1.1；"
        "授权文本保存在字体文件的名称表中。</p>"
        f'<p lang="en" xml:lang="en">Font: {FONT_FAMILY} (a subset holding only the characters this book uses), '
        "under the SIL Open Font License 1.1, whose text the font file keeps in its name table.</p>"
        f"<p>{html_text(rights_line(article))}</p>"
        f'<p>生成时间 <span lang="en" xml:lang="en">· Made</span>：{html_text(modified)}</p>'
        "</section>"
    )
    return xhtml("关于本电子书 · About this e-book", body, "backmatter")


# -- font and cover -----------------------------------------------------------------------------------------


def _face_index(path: Path, family: str) -> int:
    collection = TTCollection(str(path), lazy=True)
    for number, font in enumerate(collection.fonts):
        if font["name"].getDebugName(1) == family:
            return number
    raise EditionError([Problem(path.as_posix(), None, None, f"no face named {family!r}; install fonts-noto-cjk")])


def text_characters(documents: Iterable[str]) -> set[str]:
    """Every character a reader sees in these XHTML documents (their text, not their markup)."""
    seen: set[str] = set()
    for text in documents:
        soup = BeautifulSoup(text, "html.parser")
        for head in soup.find_all("head"):
            head.decompose()
        seen.update(soup.get_text())
    return {c for c in seen if not unicodedata.category(c).startswith("C")}


def font_subset(shown: Mapping[str, set[str]], collection: Path = FONT_COLLECTION) -> bytes:
    """Noto Serif CJK SC cut down to the characters ``shown`` (by the file that shows them), as WOFF2 (an EPUB 3
    core media type). The name table is kept whole: it holds the copyright and the SIL Open Font License that
    must travel with the font. A character the font lacks stops the book: a reader without a font of their own
    for it would see an empty box."""
    if not collection.is_file():
        raise EditionError(
            [Problem(collection.as_posix(), None, None, "not found; install fonts-noto-cjk (see README)")]
        )
    # recalcBBoxes off: the whole font's bounds still hold every glyph kept, and measuring them again is
    # a third of the time; recalcTimestamp off: the same subset on every build.
    index = _face_index(collection, FONT_FAMILY)
    font = TTFont(str(collection), fontNumber=index, recalcTimestamp=False, recalcBBoxes=False)
    cmap = font.getBestCmap()
    problems = [
        Problem(
            where,
            None,
            None,
            f"{FONT_FAMILY} has no glyph for {', '.join(f'U+{ord(c):04X} «{c}»' for c in sorted(lacking))}; "
            "an e-reader without such a font would show an empty box: write the character another way",
        )
        for where, characters in shown.items()
        if (lacking := {c for c in characters if ord(c) not in cmap})
    ]
    if problems:
        raise EditionError(problems)
    options = subset.Options()
    options.name_IDs = ["*"]
    options.name_languages = ["*"]
    options.hinting = False
    options.desubroutinize = True
    options.flavor = "woff2"
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=sorted({ord(c) for characters in shown.values() for c in characters}))
    subsetter.subset(font)
    out = io.BytesIO()
    font.flavor = "woff2"
    font.save(out, reorderTables=False)
    return out.getvalue()


def cover_png(article: Mapping[str, Any], collection: Path = FONT_COLLECTION) -> bytes:
    """The cover as an image (1200×1800), drawn with Noto Serif CJK SC: title, author, journal, and that this is
    the web edition (edition/outputs/card.py, which also draws the site's social image)."""
    return card_png(article, COVER, collection)


# -- the package --------------------------------------------------------------------------------------------


def package_opf(article: Mapping[str, Any], names: list[str], modified: str) -> str:
    a, t = article["author"], article["title"]
    media = {".xhtml": "application/xhtml+xml", ".css": "text/css", ".png": "image/png", ".woff2": "font/woff2"}
    items = []
    for name in ["nav.xhtml", "cover.xhtml", *names, "colophon.xhtml", "book.css", "cover.png", FONT_FILE]:
        ident = re.sub(r"[^A-Za-z0-9]", "-", name.rsplit("/", 1)[-1].rsplit(".", 1)[0])
        properties = {"nav.xhtml": ' properties="nav"', "cover.png": ' properties="cover-image"'}.get(name, "")
        ident = {"cover.png": "cover-image", "nav.xhtml": "nav"}.get(name, "x-" + ident)
        items.append(
            f'<item id="{ident}" href="{html_attribute(name)}" media-type="{media[Path(name).suffix]}"{properties}/>'
        )
    spine = ["cover.xhtml", "nav.xhtml", *names, "colophon.xhtml"]
    itemrefs = "".join(
        f'<itemref idref="{"nav" if n == "nav.xhtml" else "x-" + re.sub(r"[^A-Za-z0-9]", "-", n[:-6])}"/>'
        for n in spine
    )
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n'
        '<package xmlns="http://www.idpf.org/2007/opf" version="3.0" unique-identifier="book-id" '
        'xml:lang="zh-Hans" dir="ltr">\n'
        '<metadata xmlns:dc="http://purl.org/dc/elements/1.1/">\n'
        f'<dc:identifier id="book-id">{html_text(book_identifier(article))}</dc:identifier>\n'
        f'<dc:title id="title">{html_text(t["zh"])}</dc:title>\n'
        f'<dc:creator id="creator">{html_text(a["zh"])}</dc:creator>\n'
        '<meta refines="#creator" property="role" scheme="marc:relators">aut</meta>\n'
        f'<meta refines="#creator" property="alternate-script" xml:lang="en">{html_text(a["pinyin"])}</meta>\n'
        "<dc:language>zh-Hans</dc:language>\n"
        f"<dc:source>{html_text(source_line(article))}</dc:source>\n"
        f"<dc:rights>{html_text(rights_line(article))}</dc:rights>\n"
        f'<meta property="dcterms:modified">{modified}</meta>\n'
        '<meta name="cover" content="cover-image"/>\n'
        "</metadata>\n"
        f"<manifest>\n{chr(10).join(items)}\n</manifest>\n"
        f"<spine>{itemrefs}</spine>\n"
        "</package>\n"
    )


CONTAINER = (
    '<?xml version="1.0" encoding="utf-8"?>\n'
    '<container version="1.0" xmlns="urn:oasis:names:tc:opendocument:xmlns:container">\n'
    '<rootfiles><rootfile full-path="OEBPS/package.opf" media-type="application/oebps-package+xml"/></rootfiles>\n'
    "</container>\n"
)


ZIP_EPOCH = dt.datetime(1980, 1, 1, tzinfo=dt.UTC)  # the earliest time a zip file can record
# Stored as they are: deflating them again only adds bytes.
ALREADY_COMPRESSED = (".png", ".woff2")


def zip_epub(files: list[tuple[str, bytes]], when: dt.datetime) -> bytes:
    """The container: ``mimetype`` first and stored, then the files in the order given, each with the same time
    (``when``, no earlier than zip's 1980) and permissions, so that the same input gives the same bytes."""
    stamp = max(when.astimezone(dt.UTC), ZIP_EPOCH).timetuple()[:6]
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, data in [("mimetype", b"application/epub+zip"), *files]:
            info = zipfile.ZipInfo(name, date_time=stamp)
            info.create_system = 3
            info.external_attr = 0o644 << 16
            stored = name == "mimetype" or name.endswith(ALREADY_COMPRESSED)
            info.compress_type = zipfile.ZIP_STORED if stored else zipfile.ZIP_DEFLATED
            archive.writestr(info, data, compresslevel=None if stored else 9)
    return out.getvalue()


def book_documents(site: Path) -> list[Document]:
    """The book's pages from the built site, in reading order, linked to each other; every problem at once."""
    documents: list[Document] = []
    problems: list[Problem] = []
    for number, page in enumerate(ARTICLE_PAGES):
        try:
            documents.append(chapter_document(site, page, number))
        except EditionError as error:
            problems += error.problems
    for page in BACK_PAGES:
        try:
            documents.append(back_document(site, page))
        except EditionError as error:
            problems += error.problems
    if problems:
        raise EditionError(problems)
    for document in documents:
        _collect_ids(document)
    _link_within_the_book(documents)
    return documents


def build_epub(site: Path, out: Path | None = None, root: Path = ROOT) -> Path:
    """Writes ``out`` (``site/epub/BOOK_EPUB``) from the strict build in ``site``; returns its path."""
    target = out or site / "epub" / BOOK_EPUB
    article = dict(load_book(root).article)  # the book checked whole, as the build that made the site
    when = build_time()
    modified = when.strftime("%Y-%m-%dT%H:%M:%SZ")
    documents = book_documents(site)
    pages = [(d.name, document_xhtml(d, site)) for d in documents]
    made = [
        ("cover.xhtml", cover_xhtml(article)),
        ("nav.xhtml", nav_xhtml(article, documents)),
        ("colophon.xhtml", colophon_xhtml(article, modified)),
    ]
    css = STYLESHEET.read_text(encoding="utf-8").replace("FONT_FILE", FONT_FILE).replace("FONT_FAMILY", CSS_FAMILY)
    where = {d.name: (site / page_dir(d.page) / "index.html").as_posix() for d in documents}
    shown = {
        where.get(name, f"{ARTICLE_RECORD} (the EPUB's {name})"): text_characters([text]) for name, text in pages + made
    }
    files = [
        ("META-INF/container.xml", CONTAINER.encode()),
        ("OEBPS/package.opf", package_opf(article, [n for n, _ in pages], modified).encode()),
        *((f"OEBPS/{name}", text.encode()) for name, text in made + pages),
        ("OEBPS/book.css", css.encode()),
        ("OEBPS/cover.png", cover_png(article)),
        (f"OEBPS/{FONT_FILE}", font_subset(shown)),
    ]
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(zip_epub(files, when))
    return target


def main(argv: list[str]) -> int:
    return make_downloads("epub", "EPUB", argv, lambda site: [build_epub(site)])


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
