"""Notes from refs.bib in the article's style: mkdocs-bibtex's syntax, the edition's rendering.

mkdocs-bibtex (configured as the ``bibtex`` plugin) defines the citation syntax. Its note
styles drop prefixes (参见) and locators (p.9), merge every citation of a key into one
footnote, and only warn on unknown keys; so this hook runs before it and renders each
citation block as one note in the article's style, from the checked book.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urljoin

from markupsafe import Markup
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.plugins import event_priority
from mkdocs.structure.files import Files
from mkdocs.structure.pages import Page
from mkdocs.utils import get_relative_url
from mkdocs.utils.templates import TemplateContext

from edition.build import EditionBuild, plugin_error
from edition.escape import json_script
from edition.outputs.card import SOCIAL, SOCIAL_IMAGE, card_png
from edition.paths import ARTICLE_PAGES, BOOK_PDF, site_path
from edition.problems import EditionError
from edition.reference.article import open_graph, scholar_meta, scholarly_jsonld
from edition.site.reader_tools import after_title, chapter_pdf, downloads_root, print_page_css, title_downloads
from edition.sources.citations import (
    citation_syntax_problems,
    find_citation_blocks,
    render_citations,
    unknown_key_problems,
)


@event_priority(100)  # before mkdocs-bibtex, which would otherwise render the blocks its own way
def on_page_markdown(markdown: str, *, page: Page, config: MkDocsConfig, files: Files) -> str:
    book = EditionBuild.of(config).book
    # The book checked its pages when it was loaded; only Markdown another plugin changed is checked here.
    if markdown != dict(book.pages).get(page.file.src_uri):
        shown = f"docs/{page.file.src_uri}"
        blocks = find_citation_blocks(markdown)
        problems = citation_syntax_problems(markdown, shown) + unknown_key_problems(blocks, book.bib, shown)
        if problems:
            raise plugin_error(problems)
    return render_citations(markdown, page=page.file.src_uri, bib=book.bib, index=book.index)


@event_priority(-60)  # after hooks/translation_views.py (-50) puts the view switch under the title
def on_page_content(html: str, *, page: Page, config: MkDocsConfig, files: Files) -> str:
    """In a build that makes the downloads (`make pdf`), the article pages list them right under the title."""
    data = EditionBuild.of(config).page_data
    if not data.with_pdf or page.file.src_uri not in ARTICLE_PAGES:
        return html

    def url(src_uri: str) -> str:
        target = files.get_file_from_path(src_uri)
        return get_relative_url(target.url, page.url) if target else src_uri

    root = downloads_root(url, data.downloads_up)
    return after_title(html, title_downloads(page.file.src_uri, root, with_english=bool(data.translations)))


def on_page_context(context: TemplateContext, *, page: Page, config: MkDocsConfig, nav: object) -> TemplateContext:
    """The article's metadata for reference managers and link previews (Highwire, Dublin Core, Open Graph,
    schema.org), and its running heads for the printer, on the pages that hold its text (overrides/main.html)."""
    if page.file.src_uri in ARTICLE_PAGES:
        book = EditionBuild.of(config).book
        site_url = config.site_url or ""
        url = page.canonical_url or ""
        pdf = chapter_pdf(page.file.src_uri) or BOOK_PDF
        up = EditionBuild.of(config).page_data.downloads_up  # the English site links the Chinese build's PDFs
        pdf_url = urljoin(site_url, up + "pdf/" + pdf) if site_url and book.settings.with_pdf else ""
        image_url = urljoin(site_url, SOCIAL_IMAGE) if site_url else ""  # Open Graph takes only an absolute address
        chapter_title = page.title if page.file.src_uri != ARTICLE_PAGES[0] and page.title else ""
        # TemplateContext types MkDocs' own keys only; the template reads these (overrides/main.html).
        context["edition_meta"] = scholar_meta(book.article, url=url, pdf_url=pdf_url, front=book.front)  # type: ignore[typeddict-unknown-key]
        graph = open_graph(book.article, chapter_title=chapter_title, url=url, image_url=image_url)
        # As above: the edition's own key, which TemplateContext does not type.
        context["edition_og"] = graph  # type: ignore[typeddict-unknown-key]
        jsonld = scholarly_jsonld(
            book.article, chapter_title=chapter_title, url=url, image_url=image_url, front=book.front
        )
        # Escaped for its <script> element in edition/escape.py; HTML-escaping it again would break the JSON.
        context["edition_jsonld"] = Markup(json_script(jsonld))  # type: ignore[typeddict-unknown-key]  # noqa: S704
        # Every printed page says what it is: the article, the chapter, the address (overrides/main.html).
        address = (site_url.rstrip("/") + "/" + site_path(page.file.src_uri)) if site_url else ""
        css = print_page_css(book.article, chapter_title, address)
        # As above: a key of the edition's, which MkDocs' TemplateContext does not type.
        context["edition_print_css"] = css  # type: ignore[typeddict-unknown-key]
    return context


def on_post_build(*, config: MkDocsConfig) -> None:
    """The social image that og:image names (edition/outputs/card.py), drawn once per build, the same bytes each
    time."""
    book = EditionBuild.of(config).book
    try:
        image = card_png(book.article, SOCIAL)
    except EditionError as error:
        raise plugin_error(error.problems) from None
    target = Path(config.site_dir) / SOCIAL_IMAGE
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(image)
