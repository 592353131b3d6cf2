"""The book loaded and checked once for this build; any problem stops the build (edition/book.py, edition/build.py)."""

from __future__ import annotations

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.plugins import event_priority
from mkdocs.structure.files import Files
from mkdocs.structure.nav import Navigation

from edition.build import EditionBuild


@event_priority(110)  # first of all: the search dictionary (100) and every later hook read the book
def on_config(config: MkDocsConfig) -> MkDocsConfig:
    EditionBuild.start(config)
    return config


@event_priority(110)
def on_nav(nav: Navigation, *, config: MkDocsConfig, files: Files) -> Navigation:
    EditionBuild.of(config).titles = {page.file.src_uri: page.title or page.file.src_uri for page in nav.pages}
    return nav
