"""Only the theme's bundle is held back for javascripts/theme-on-demand.js (edition/site/page_scripts.py): any other
script of the page is written as the browser runs it."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest
from bs4 import BeautifulSoup

from book_inputs import copy_book_inputs
from conftest import build_site
from edition.site.page_scripts import SWITCHING_SCRIPT, with_the_theme_held

if TYPE_CHECKING:
    from pathlib import Path


def test_a_script_of_the_edition_named_min_js_is_not_held_back(tmp_path: Path) -> None:
    """A script listed in extra_javascript whose name ends in .min.js (as a vendored library's does), without
    defer, was written with the held type too, and theme-on-demand.js, which starts only the theme's bundle,
    never ran it: the page lost it without a word."""
    project = copy_book_inputs(tmp_path / "project")
    (project / "docs" / "javascripts" / "vendored.min.js").write_text("window.vendored = true;\n", encoding="utf-8")
    config = project / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    assert "extra_javascript:\n" in text
    config.write_text(text.replace("extra_javascript:\n", "extra_javascript:\n  - javascripts/vendored.min.js\n"))
    build_site(project, tmp_path / "site")
    page = BeautifulSoup((tmp_path / "site" / "chapter-1" / "index.html").read_text(encoding="utf-8"), "html.parser")
    held = [str(script["data-src"]) for script in page.select('script[type="text/edition-theme"]')]
    vendored = [script for script in page.select("script[src]") if "vendored.min.js" in str(script["src"])]
    assert len(held) == 1 and "/assets/javascripts/bundle." in "/" + held[0].lstrip("./"), held
    assert len(vendored) == 1 and vendored[0].get("type") is None, vendored


BODY = '<body dir="ltr" data-md-color-scheme="default" data-md-color-primary="red" data-md-color-accent="red">'
PALETTE = '<form class="md-header__option" data-md-component="palette"><input name="__palette"></form>'
BUNDLE = '<script src="../assets/javascripts/bundle.a5f9d56c.min.js"></script>'
SWITCHING = f"<script>{SWITCHING_SCRIPT}</script>"


def test_the_body_begins_by_turning_transitions_off_only_where_the_palette_will_turn_them_back_on() -> None:
    """With the palette's switching attribute set as the body begins, before any of it is styled, the palette's
    setting it as the theme starts changes nothing, and the browser does not re-style the whole page for it.
    Without a palette toggle the theme never takes it away, and every transition of the site would stay off:
    there the body is left as it is."""
    with_palette = with_the_theme_held(f"<html>{BODY}<header>{PALETTE}</header><p>Text.</p>{BUNDLE}</body></html>")
    assert f"{BODY}{SWITCHING}<header>" in with_palette, with_palette[:300]
    assert with_palette.count(SWITCHING_SCRIPT) == 1

    without = with_the_theme_held(f"<html>{BODY}<p>Text.</p>{BUNDLE}</body></html>")
    assert SWITCHING_SCRIPT not in without
    assert f"{BODY}<p>" in without


@pytest.mark.parametrize(
    "head",
    [
        # A page's front matter (title: …) is written into <title> as it stands: there it is text, not a tag.
        '<title><body dir="ltr" data-md-color-scheme="x"> and the palette</title>',
        # description: … goes into an attribute, where a quote ends the value; what follows is attributes.
        '<meta name="description" content="a" <body dir="ltr" data-md-color-scheme="x">',
    ],
)
def test_a_body_tag_written_in_the_pages_head_by_its_front_matter_is_not_taken_for_the_body(head: str) -> None:
    """The first `<body dir=… data-md-color-scheme=` in the page's text was taken for the body: a hand-written
    page whose title spelt one out had the change made in its title, in the reader's tab, and the real body
    went without it."""
    page = f"<html><head>{head}</head>\n{BODY}<header>{PALETTE}</header><p>Text.</p>{BUNDLE}</body></html>"
    held = with_the_theme_held(page)
    assert held.count(SWITCHING_SCRIPT) == 1, held
    assert head in held, "the head was changed"
    assert f"\n{BODY}{SWITCHING}<header>" in held, held


def test_a_palette_spelt_out_in_the_title_does_not_turn_transitions_off_on_a_page_without_one() -> None:
    """Without the theme's palette nothing ever takes the attribute away: a palette form's markup in the page's
    title (text there) must not make the page look as if it had one."""
    page = f"<html><head><title>{PALETTE}</title></head>\n{BODY}<p>Text.</p>{BUNDLE}</body></html>"
    assert SWITCHING_SCRIPT not in with_the_theme_held(page)
