"""Only the theme's bundle is held back for javascripts/theme-on-demand.js (edition/site/page_scripts.py): any other
script of the page is written as the browser runs it."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bs4 import BeautifulSoup

from book_inputs import copy_book_inputs
from conftest import build_site

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
