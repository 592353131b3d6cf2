"""Which pages the built site has, known before it is built, so the gates cover a new page without edits."""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path
from typing import NoReturn

import pytest
from bs4 import BeautifulSoup, NavigableString, Tag

from book_inputs import ROOT
from edition.paths import ARTICLE_PAGES
from edition.site.translation_views import ENGLISH_VIEW

DOCS = ROOT / "docs"
NOT_FOUND_PAGE = "404.html"


def url_of(markdown: Path) -> str:
    """The URL path MkDocs gives a page (use_directory_urls): 'index.md' → '', 'chapter-2.md' → 'chapter-2/'."""
    relative = markdown.relative_to(DOCS).with_suffix("")
    if relative.name in ("index", "README"):
        return "" if relative.parent == Path(".") else relative.parent.as_posix() + "/"
    return relative.as_posix() + "/"


ENGLISH_SITE = "en"  # the English site (mkdocs.en.yml), built into the site's en/


def page_urls() -> list[str]:
    """Every page of the site: one per Markdown file in docs/, and the theme's 404 page; the pages again in en/."""
    chinese = [*sorted(url_of(md) for md in DOCS.rglob("*.md")), NOT_FOUND_PAGE]
    # (the English site has no 404 page of its own: hooks/translation_views.py)
    return [*chinese, *(f"{ENGLISH_SITE}/{url}" for url in chinese if url != NOT_FOUND_PAGE)]


def site_language(url: str) -> str:
    """The language a page of the site declares: en/ is the English site's."""
    return "en" if url.startswith(f"{ENGLISH_SITE}/") else "zh-Hans"


def chinese_view(page: BeautifulSoup) -> BeautifulSoup:
    """The page as the 原文 · Chinese view shows it (and the PDFs print it): the English view's parts removed."""
    copy = BeautifulSoup(str(page), "html.parser")
    for node in copy.select(", ".join(ENGLISH_VIEW)):
        node.decompose()
    return copy


PARAGRAPH_ID = re.compile(r"p\d+-\d+")


def pages_of_paragraphs(site_root: Path, first_page: int) -> dict[str, tuple[int, int]]:
    """The printed pages each article paragraph runs over, read off the built pages' |N| marks in reading order
    (as a reader would: a mark before a paragraph's first word starts it on that page)."""
    page, found = first_page, {}
    for src_uri in ARTICLE_PAGES:
        built = BeautifulSoup(
            (site_root / url_of(DOCS / src_uri) / "index.html").read_text(encoding="utf-8"), "html.parser"
        )
        for block in built.select("article h1, article p"):
            numbers = [int(str(m["data-page"])) for m in block.select("span.edition-page")]
            ident = str(block.get("id", ""))
            if block.name == "h1" or not PARAGRAPH_ID.fullmatch(ident):
                page = max([page, *numbers])
                continue
            first = numbers[0] if numbers and _before_any_word(block) else page
            page = max([first, *numbers])
            found[ident] = (first, page)
    return found


def _before_any_word(block: Tag) -> bool:
    """Whether the block's first mark comes before its first word (the ¶ link is not a word)."""
    for node in block.descendants:
        if isinstance(node, Tag) and "edition-page" in (node.get("class") or []):
            return True
        if isinstance(node, NavigableString) and node.strip() and not node.find_parent(class_="edition-para-number"):
            return False
    return False


def html_path(url: str) -> str:
    """The built file of a page URL, relative to the site root."""
    return url if url.endswith(".html") else url + "index.html"


def page_built(site_root: Path, url: str) -> bool:
    return (site_root / html_path(url)).is_file()


def tool_missing(what: str, how_to_get_it: str) -> NoReturn:
    """Skip, saying why and how to fix it; under CI=true a missing gate fails the run instead."""
    message = f"{what} is missing, so this gate did not run: {how_to_get_it}"
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"{message} (CI=true: every gate must run)", pytrace=False)
    pytest.skip(message)


def node_tool(relative: str) -> Path:
    """A file of the pinned npm tools (package-lock.json), installed into node_modules/ by `make test`."""
    path = ROOT / "node_modules" / relative
    if not path.is_file():
        tool_missing(f"node_modules/{relative}", "run `make test` (it runs `npm ci`) or `npm ci --ignore-scripts`")
    return path


def executable(name: str, *candidates: str) -> str | None:
    for candidate in candidates:
        if candidate and Path(candidate).is_file() and os.access(candidate, os.X_OK):
            return candidate
    return shutil.which(name)
