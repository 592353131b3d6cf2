"""Glossary tooltips in the article: each entry's first occurrence on a page links to its entry, with its English.

The article's Markdown is changed only in memory, after the fidelity check has read
the pages; the words stay the same, wrapped in ``<a class="edition-term" title=…>``,
which Material shows as a tooltip (``content.tooltips``).
"""

from __future__ import annotations

from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import Files
from mkdocs.structure.pages import Page
from mkdocs.utils import get_relative_url

from edition.chapters import ARTICLE_PAGES
from edition.glossary import Glossary, TermMatcher, load_glossary, mark_terms
from edition.problems import EditionError
from edition.reference_data import GLOSSARY

GLOSSARY_PAGE = "glossary.md"
_glossary: Glossary | None = None
_matcher: TermMatcher | None = None


def on_files(files: Files, *, config: MkDocsConfig) -> Files:
    global _glossary, _matcher
    try:
        _glossary = load_glossary(Path(config.config_file_path).parent / GLOSSARY, GLOSSARY.as_posix())
        _matcher = TermMatcher(_glossary.entries)
    except EditionError:
        _glossary = _matcher = None  # hooks/checks.py stops the build with the problems
    return files


def on_page_markdown(markdown: str, *, page: Page, config: MkDocsConfig, files: Files) -> str:
    target = files.get_file_from_path(GLOSSARY_PAGE)
    if _glossary is None or target is None or page.file.src_uri not in ARTICLE_PAGES:
        return markdown
    return mark_terms(markdown, _glossary, get_relative_url(target.url, page.url), matcher=_matcher)
