"""Pages generated from the edition's data, where a page opts in with ``<!-- edition:NAME -->``."""

from __future__ import annotations

from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority
from mkdocs.structure.files import Files
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page
from mkdocs.utils import get_relative_url

from edition.bib import load_bibliography
from edition.book import BIBLIOGRAPHY, concordance, load_source, reading_order
from edition.citations import CitationIndex
from edition.annotations import load_annotations
from edition.citation import load_article
from edition.markers import marker_problems
from edition.pages import EditionData, PageLinks, element_ids, expand_markers
from edition.paragraphs import all_paragraphs
from edition.problems import EditionError
from edition.reference_data import load_reference_data

_data: EditionData | None = None
_titles: dict[str, str] = {}


def on_nav(nav: Navigation, *, config: MkDocsConfig, files: Files) -> Navigation:
    global _data, _titles
    root = Path(config.config_file_path).parent
    try:
        bib = load_bibliography(root / BIBLIOGRAPHY, shown=BIBLIOGRAPHY.as_posix())
        source = load_source(root)
    except EditionError as error:  # hooks/checks.py reports these first; kept for a build without it
        raise PluginError("\n".join(str(p) for p in error.problems)) from None
    pages = reading_order([page.file for page in nav.pages], files.documentation_pages())
    index = CitationIndex.build(pages)
    _titles = {page.file.src_uri: page.title or page.file.src_uri for page in nav.pages}
    _data = EditionData(bib=bib, emendations=source.emendations, cited_in=index.cited_in,
                        concordance=concordance(source.blocks))
    # Readers' tools: annotations (checked by hooks/checks.py) and "Cite this".
    _data.annotations = load_annotations(root)[0]
    _data.paragraphs = all_paragraphs(pages)
    _data.reference = load_reference_data(root, pages, bib)[0]  # its problems are reported by hooks/checks.py
    _data.site_url = config.site_url or ""
    _data.with_pdf = str(config.extra.get("pdf", False)).lower() in {"true", "1", "yes"}
    try:
        _data.article = load_article(root)
    except EditionError as error:
        raise PluginError("\n".join(str(p) for p in error.problems)) from None
    return nav


@event_priority(110)  # fail on a mistyped marker before the other hooks work on the page
def on_page_markdown(markdown: str, *, page: Page, config: MkDocsConfig, files: Files) -> str:
    problems = marker_problems(markdown, page=f"docs/{page.file.src_uri}")
    if problems:
        raise PluginError("\n".join(str(p) for p in problems))
    return markdown


@event_priority(110)  # before the hooks that number paragraphs and place annotations
def on_page_content(html: str, *, page: Page, config: MkDocsConfig, files: Files) -> str:
    if "<!--" not in html:
        return html
    assert _data is not None

    def url(src_uri: str) -> str:
        target = files.get_file_from_path(src_uri)
        return get_relative_url(target.url, page.url) if target else src_uri

    expanded = expand_markers(html, _data, PageLinks(titles=_titles, url=url, page=page.file.src_uri))
    # MkDocs validates links to #anchors against the ids it saw in the Markdown; add the generated ones.
    page.present_anchor_ids = (page.present_anchor_ids or set()) | element_ids(expanded)
    return expanded
