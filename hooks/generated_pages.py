"""Pages generated from the edition's data, where a page opts in with ``<!-- edition:NAME -->``."""

from __future__ import annotations

from html import escape

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.plugins import event_priority
from mkdocs.structure.files import Files
from mkdocs.structure.pages import Page
from mkdocs.structure.toc import AnchorLink, TableOfContents
from mkdocs.utils import get_relative_url

from edition.build import EditionBuild
from edition.site.generated_pages import PageLinks, element_ids, expand_markers, outline
from edition.text.markers import generated_from_data


def on_page_markdown(markdown: str, *, page: Page, config: MkDocsConfig, files: Files) -> str:
    if generated_from_data(markdown):
        page.edit_url = None  # its entries are edited in data/, refs.bib or annotations/ (CONTRIBUTING.md)
    return markdown


@event_priority(110)  # before the hooks that number paragraphs and place annotations
def on_page_content(html: str, *, page: Page, config: MkDocsConfig, files: Files) -> str:
    if "<!--" not in html:
        return html
    build = EditionBuild.of(config)

    def url(src_uri: str) -> str:
        target = files.get_file_from_path(src_uri)
        return get_relative_url(target.url, page.url) if target else src_uri

    expanded = expand_markers(
        html,
        build.page_data,
        PageLinks(titles=build.titles, url=url, page=page.file.src_uri, english_titles=build.english_titles),
    )
    # MkDocs validates links to #anchors against the ids it saw in the Markdown; add the generated ones.
    page.present_anchor_ids = (page.present_anchor_ids or set()) | element_ids(expanded)
    if expanded != html:
        page.toc = table_of_contents(outline(expanded))
    return expanded


def table_of_contents(headings: list[tuple[int, str, str]]) -> TableOfContents:
    """MkDocs' table of contents for the page's h2 sections, each with its h3s."""
    top: list[AnchorLink] = []
    for level, ident, title in headings:
        link = AnchorLink(escape(title), ident, level)  # the theme prints a title as HTML, as Markdown's come
        if level == 3 and top:
            top[-1].children.append(link)
        else:
            top.append(link)
    return TableOfContents(top)
