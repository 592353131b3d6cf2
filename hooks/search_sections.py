"""Search results that open the paragraph, glossary entry or timeline event found (edition/site/search_sections.py).

Material's search plugin makes a new index in its ``on_config`` for every build; this hook, run
after it, gives the plugin an index of the same class that divides each page at the book's
anchors as well as at its headings. The plugin still calls it from its own ``on_page_context``,
before it strips its attributes from the page, and writes it in its ``on_post_build``.
"""

from __future__ import annotations

from typing import Any

from material.plugins.search.plugin import SearchIndex
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.plugins import event_priority

from edition.build import EditionBuild, plugin_error
from edition.paths import DOCS
from edition.problems import EditionError
from edition.site.search_sections import anchored_sections, search_anchors


class AnchoredSearchIndex(SearchIndex):
    def __init__(self, anchors: dict[str, dict[str, str]], **config: Any) -> None:
        super().__init__(**config)
        self.anchors = anchors

    def add_entry_from_context(self, page: Any) -> None:
        """Material's method, with the page divided at its anchors too."""
        if (page.meta.get("search") or {}).get("exclude"):
            return
        anchors = self.anchors.get(page.file.src_uri, {})
        try:
            sections = anchored_sections(page.content, anchors, shown=f"{DOCS.as_posix()}/{page.file.src_uri}")
        except EditionError as error:
            raise plugin_error(error.problems) from None
        for section in sections:
            if not section.is_excluded():
                self.create_entry_for_section(section, page.toc, page.url, page)


@event_priority(-100)  # after the search plugin's on_config, which makes its index anew for each build
def on_config(config: MkDocsConfig) -> MkDocsConfig:
    search = config.plugins.get("material/search")
    if search is None or not isinstance(getattr(search, "search_index", None), SearchIndex):
        return config  # no search, or not Material's: nothing to divide
    build = EditionBuild.of(config)
    book = build.book
    anchors = search_anchors(
        book.paragraphs, book.reference.glossary.entries, book.reference.timeline.events, build.language
    )
    search.search_index = AnchoredSearchIndex(anchors, **search.config)
    return config
