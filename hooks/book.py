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
from edition.site.third_party import checked_digest, origins_of, site_third_party_problems, third_party_problems

HOOK = "hooks/book.py"


@event_priority(110)  # first of all: the search dictionary (100) and every later hook read the book
def on_config(config: MkDocsConfig) -> MkDocsConfig:
    EditionBuild.start(config)
    return config


@event_priority(110)
def on_nav(nav: Navigation, *, config: MkDocsConfig, files: Files) -> Navigation:
    EditionBuild.of(config).titles = {page.file.src_uri: page.title or page.file.src_uri for page in nav.pages}
    return nav


@event_priority(-100)  # last: the page as it will be written, after every other hook and plugin
def on_post_page(output: str, *, page: Page, config: MkDocsConfig) -> str:
    stamped = stamp(output, HOOK)
    problems = third_party_problems(
        f"site/{page.file.dest_uri}", stamped, "html", own_origins=origins_of(config.site_url)
    )
    if problems:
        raise plugin_error(problems)
    EditionBuild.of(config).checked_pages[page.file.dest_uri] = checked_digest(stamped)
    return stamped


@event_priority(-100)
def on_post_build(*, config: MkDocsConfig) -> None:
    """The files no page event sees: stylesheets, SVG, the 404 page, generated downloads; and any page changed
    since it was checked as written."""
    checked = EditionBuild.of(config).checked_pages
    problems = site_third_party_problems(
        Path(config.site_dir), own_origins=origins_of(config.site_url), checked=checked
    )
    if problems:
        raise plugin_error(problems)
