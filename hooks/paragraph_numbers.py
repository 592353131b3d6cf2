"""Show each article paragraph's number (¶4 for p2-4) as a link to the paragraph itself."""

from __future__ import annotations

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import Files
from mkdocs.structure.pages import Page

from edition.paths import ARTICLE_PAGES
from edition.text.paragraphs import number_paragraphs


def on_page_content(html: str, *, page: Page, config: MkDocsConfig, files: Files) -> str:
    if page.file.src_uri not in ARTICLE_PAGES:
        return html
    return number_paragraphs(html)
