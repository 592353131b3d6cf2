"""Valid, accessible theme markup on every page, the 404 page included, and full language links in the head
where the build has an address (edition/site/theme_markup.py); each page
without the scripts that would find nothing to do in it (edition/site/page_scripts.py) and the stylesheets that
would style nothing in it (edition/site/page_styles.py); the edition's own
stylesheets and scripts served minified (edition/site/minify.py)."""

from __future__ import annotations

from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.pages import Page

from edition.build import EditionBuild
from edition.site.minify import minify_own_assets
from edition.site.page_scripts import with_the_theme_held, without_idle_scripts
from edition.site.page_styles import without_idle_stylesheets
from edition.site.theme_markup import language_links, repair_theme_markup

SEARCH_LABEL = "搜索全书"
SEARCH_LABEL_EN = "Search the book"  # the English site's


def _label(config: MkDocsConfig) -> str:
    return SEARCH_LABEL_EN if EditionBuild.of(config).language == "en" else SEARCH_LABEL


def _languages(output: str, config: MkDocsConfig, page_url: str | None) -> str:
    alternates = config.extra.get("alternate") or []
    return language_links(output, alternates, site_url=config.site_url or "", page_url=page_url)


def _theme_markup(output: str, config: MkDocsConfig, page_url: str | None) -> str:
    """What every HTML file gets: the theme's markup repaired, its language links, its bundle held."""
    repaired = repair_theme_markup(output, search_label=_label(config))
    return with_the_theme_held(_languages(repaired, config, page_url))


def on_post_page(output: str, *, page: Page, config: MkDocsConfig) -> str:
    # The stylesheets after the scripts: a script kept on the page may add what a stylesheet styles.
    scripts = without_idle_scripts(_theme_markup(output, config, page.url))
    return without_idle_stylesheets(scripts, EditionBuild.of(config).own_assets)


def on_post_template(output_content: str, *, template_name: str, config: MkDocsConfig) -> str:
    if not template_name.endswith(".html"):
        return output_content
    # The 404 page (a template, no page of its own): no counterpart in the other language to link.
    return _theme_markup(output_content, config, None)


def on_post_build(*, config: MkDocsConfig) -> None:
    minify_own_assets(Path(config.docs_dir), Path(config.site_dir))
