"""The printed article's page numbers in the text (edition/site/page_markers.py): |36| where page 36 begins.

Put in after the search plugin has read the page for its index: the empty marker changes nothing the
index holds today (its bytes are the same either way), but the index is the article's words alone by
construction, whatever the marker becomes.
"""

from __future__ import annotations

from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.plugins import event_priority
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page

from edition.build import EditionBuild, plugin_error
from edition.paths import DOCS
from edition.problems import EditionError
from edition.site.page_markers import with_page_markers


@event_priority(-100)  # after Material's search plugin (priority 0) has read the page for its index
def on_page_context(context: dict[str, Any], *, page: Page, config: MkDocsConfig, nav: Navigation) -> dict[str, Any]:
    starts = [start for start in EditionBuild.of(config).book.print_pages if start.page == page.file.src_uri]
    if starts and page.content is not None:
        try:
            page.content = with_page_markers(page.content, starts, shown=f"{DOCS.as_posix()}/{page.file.src_uri}")
        except EditionError as error:
            raise plugin_error(error.problems) from None
    return context
