"""Notes from refs.bib in the article's style: mkdocs-bibtex's syntax, the edition's rendering.

mkdocs-bibtex (configured as the ``bibtex`` plugin) defines the citation syntax. Its note
styles drop prefixes (参见) and locators (p.9), merge every citation of a key into one
footnote, and only warn on unknown keys; so this hook runs before it and renders each
citation block as one note in the article's style, from the checked book.
"""

from __future__ import annotations

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.plugins import event_priority
from mkdocs.structure.files import Files
from mkdocs.structure.pages import Page
from mkdocs.utils.templates import TemplateContext

from edition.build import EditionBuild, plugin_error
from edition.paths import ARTICLE_PAGES, site_path
from edition.reference.article import scholar_meta
from edition.site.reader_tools import print_page_css
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


def on_page_context(context: TemplateContext, *, page: Page, config: MkDocsConfig, nav: object) -> TemplateContext:
    """The article's metadata for reference managers, and its running heads for the printer, on the pages that hold
    its text (overrides/main.html)."""
    if page.file.src_uri in ARTICLE_PAGES:
        book = EditionBuild.of(config).book
        # TemplateContext types MkDocs' own keys only; the template reads this one (overrides/main.html).
        context["edition_meta"] = scholar_meta(book.article, url=page.canonical_url or "")  # type: ignore[typeddict-unknown-key]
        # Every printed page says what it is: the article, the chapter, the address (overrides/main.html).
        chapter_title = page.title if page.file.src_uri != ARTICLE_PAGES[0] and page.title else ""
        address = (config.site_url.rstrip("/") + "/" + site_path(page.file.src_uri)) if config.site_url else ""
        css = print_page_css(book.article, chapter_title, address)
        # As above: a key of the edition's, which MkDocs' TemplateContext does not type.
        context["edition_print_css"] = css  # type: ignore[typeddict-unknown-key]
    return context
