"""Stop the build when the book's inputs disagree: the same checks as ``make check``."""

from __future__ import annotations

from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority
from mkdocs.structure.files import Files
from mkdocs.structure.nav import Navigation

from edition.book import check
from edition.chapters import ARTICLE_PAGES


@event_priority(100)
def on_nav(nav: Navigation, *, config: MkDocsConfig, files: Files) -> Navigation:
    root = Path(config.config_file_path).parent
    others = [(f.src_uri, f.content_string) for f in files.documentation_pages() if f.src_uri not in ARTICLE_PAGES]
    problems = check(root, extra_pages=others)
    if problems:
        lines = "\n".join(f"  {p}" for p in problems)
        raise PluginError(f"{len(problems)} problem(s) in the book; fix them and build again:\n{lines}")
    return nav
