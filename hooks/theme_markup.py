"""Valid, accessible theme markup on every page, the 404 page included (edition/site/theme_markup.py); each page
without the scripts that would find nothing to do in it (edition/site/page_scripts.py)."""

from __future__ import annotations

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.pages import Page

from edition.build import EditionBuild
from edition.site.page_scripts import without_idle_scripts
from edition.site.theme_markup import repair_theme_markup

SEARCH_LABEL = "搜索全书"
SEARCH_LABEL_EN = "Search the book"  # the English site's


def _label(config: MkDocsConfig) -> str:
    return SEARCH_LABEL_EN if EditionBuild.of(config).language == "en" else SEARCH_LABEL


def on_post_page(output: str, *, page: Page, config: MkDocsConfig) -> str:
    return without_idle_scripts(repair_theme_markup(output, search_label=_label(config)))


def on_post_template(output_content: str, *, template_name: str, config: MkDocsConfig) -> str:
    return (
        repair_theme_markup(output_content, search_label=_label(config))
        if template_name.endswith(".html")
        else output_content
    )
