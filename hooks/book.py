"""The book loaded and checked once for this build, at its start; every page checked for loads from other hosts
at its end. Any problem stops the build (edition/book.py, edition/build.py, edition/site/third_party.py)."""

from __future__ import annotations

from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.plugins import event_priority
from mkdocs.structure.files import Files
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page

from edition.build import EditionBuild, plugin_error
from edition.outputs.canary import stamp
from edition.settings import nav_titles
from edition.site.third_party import checked_problems, origins_of, site_third_party_problems
from edition.site.translation_views import english_site_url, nav_title_problems

HOOK = "hooks/book.py"


@event_priority(110)  # first of all: the search dictionary (100) and every later hook read the book
def on_config(config: MkDocsConfig) -> MkDocsConfig:
    build = EditionBuild.start(config)
    if build.language == "en" and config.site_url:
        # The English site is published at en/ under the site's address (mkdocs.en.yml shares mkdocs.yml's).
        config.site_url = english_site_url(config.site_url)
    return config


@event_priority(110)
def on_nav(nav: Navigation, *, config: MkDocsConfig, files: Files) -> Navigation:
    build = EditionBuild.of(config)
    build.titles = {page.file.src_uri: page.title or page.file.src_uri for page in nav.pages}
    if build.language == "en":
        problems = nav_title_problems(build.titles, build.book.translation)
        if problems:
            raise plugin_error(problems)
        # The pages' content is the Chinese site's, in both sites (only the theme's frame is English): it names
        # the pages as mkdocs.yml does, so the GB/T citation stays Chinese; the lists on the generated pages
        # (references, annotations) name the pages in English there (english_titles).
        build.english_titles = dict(build.titles)
        build.titles |= nav_titles(Path(config.config_file_path).parent)
    return nav


@event_priority(-100)  # last: the page as it will be written, after every other hook and plugin
def on_post_page(output: str, *, page: Page, config: MkDocsConfig) -> str:
    stamped = stamp(output, HOOK)
    problems = checked_problems(
        f"site/{page.file.dest_uri}",
        stamped,
        "html",
        own_origins=origins_of(config.site_url),
        known=EditionBuild.of(config).clean_files,
    )
    if problems:
        raise plugin_error(problems)
    return stamped


@event_priority(-100)
def on_post_build(*, config: MkDocsConfig) -> None:
    """The files no page event sees: stylesheets, SVG, the 404 page, generated downloads; and any page changed
    since it was checked as written."""
    clean = EditionBuild.of(config).clean_files
    problems = site_third_party_problems(Path(config.site_dir), own_origins=origins_of(config.site_url), known=clean)
    if problems:
        raise plugin_error(problems)
    clean.save()
