"""Glossary tooltips in the article: each entry's first occurrence on a page links to its entry, with its English.

The article's Markdown is changed only in memory, after the fidelity check has read
the pages; the words stay the same, wrapped in ``<a class="edition-term" title=…>``,
which javascripts/glossary-tap.js shows beside the term on hover, focus and tap (the browser shows it without
JavaScript).
"""

from __future__ import annotations

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import Files
from mkdocs.structure.pages import Page
from mkdocs.utils import get_relative_url

from edition.build import EditionBuild
from edition.paths import ARTICLE_PAGES, GLOSSARY_PAGE
from edition.reference.glossary import mark_terms


def on_page_markdown(markdown: str, *, page: Page, config: MkDocsConfig, files: Files) -> str:
    target = files.get_file_from_path(GLOSSARY_PAGE)
    if target is None or page.file.src_uri not in ARTICLE_PAGES:
        return markdown
    build = EditionBuild.of(config)
    return mark_terms(
        markdown, build.book.reference.glossary, get_relative_url(target.url, page.url), matcher=build.matcher
    )
