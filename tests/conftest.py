"""Shared fixtures: the book built once per test session with MkDocs' Python API, served on 127.0.0.1, and one
Chromium for every browser test."""

from __future__ import annotations

import logging
import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from bs4 import BeautifulSoup

from book_inputs import CHROMIUM_ARGS, ROOT, copy_book_inputs
from browsing import chromium_path
from site_pages import ENGLISH_SITE
from static_server import serve

if TYPE_CHECKING:
    from playwright.sync_api import Browser

    from edition.book import Book

FIXTURES = Path(__file__).resolve().parent / "fixtures"
# A deploy's addresses come from the environment (README, "Addresses"), and CI sets them for its preview; the
# tests give their own where they need them, so that each means the same on every machine.
for _variable in ("EDITION_SITE_URL", "EDITION_REPO_URL", "EDITION_EDIT_URI"):
    os.environ.pop(_variable, None)


@pytest.fixture(autouse=True, scope="session")
def _own_cache_dir(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """Builds keep results between them (edition/cache.py) in a directory of the tests' own, not the user's."""
    before = os.environ.get("EDITION_CACHE_DIR")
    os.environ["EDITION_CACHE_DIR"] = str(tmp_path_factory.mktemp("cache"))
    yield
    if before is None:
        os.environ.pop("EDITION_CACHE_DIR", None)
    else:
        os.environ["EDITION_CACHE_DIR"] = before


@dataclass
class Site:
    root: Path

    def page(self, url_path: str) -> BeautifulSoup:
        """Parsed HTML of a built page, by its URL path ('' for the front page, 'chapter-2/')."""
        path = self.root / url_path / "index.html" if not url_path.endswith(".html") else self.root / url_path
        return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")

    def html_files(self) -> list[Path]:
        return sorted(self.root.rglob("*.html"))


class BuildFailed(Exception):
    """The build stopped; the message is what MkDocs logged as errors, as a contributor would read it."""


class _ErrorCollector(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


def build_site(project: Path, site_dir: Path, config_file: str = "mkdocs.yml", **overrides) -> None:
    """A strict build of ``project`` into ``site_dir``, as `make build` does; BuildFailed if it stops."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    from mkdocs.exceptions import Abort

    collector = _ErrorCollector()
    mkdocs_log = logging.getLogger("mkdocs")
    mkdocs_log.addHandler(collector)
    cwd = os.getcwd()
    os.chdir(project)
    try:
        config = load_config(str(project / config_file), site_dir=str(site_dir), strict=True, **overrides)
        config.plugins.on_startup(command="build", dirty=False)
        try:
            build(config)
        finally:
            config.plugins.on_shutdown()
    except Abort as abort:
        raise BuildFailed("\n".join(collector.messages) or str(abort)) from None
    finally:
        os.chdir(cwd)
        mkdocs_log.removeHandler(collector)


def build_both_sites(project: Path, site_dir: Path, **overrides) -> None:
    """The Chinese site and the English one in its en/, as `make build` writes them (with a site address, the
    theme fetches en/sitemap.xml from every page, to lead its language switch to the same page)."""
    build_site(project, site_dir, **overrides)
    build_site(project, site_dir / ENGLISH_SITE, config_file="mkdocs.en.yml", **overrides)


@pytest.fixture(scope="session")
def site(tmp_path_factory: pytest.TempPathFactory) -> Site:
    site_dir = tmp_path_factory.mktemp("site")
    build_both_sites(ROOT, site_dir)
    return Site(site_dir)


@pytest.fixture(scope="session")
def site_url(site: Site) -> Iterator[str]:
    """The built site served on 127.0.0.1 (random port), as a static host would: 'http://127.0.0.1:PORT/'."""
    with serve(site.root) as url:
        yield url


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    """One Chromium for the whole session: Playwright's sync API allows one instance per thread at a time, so a
    second launcher would break whichever test came after it. Each test opens its own context (browsing.visit)."""
    path = chromium_path()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=path, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture(scope="session")
def book() -> Book:
    """The book's checked inputs, for what the pages should show (every annotation, every paragraph…)."""
    from edition.book import load_book

    return load_book(ROOT)


SCREENSHOTS = pytest.StashKey[Path]()


@pytest.fixture(scope="session")
def screenshots(tmp_path_factory: pytest.TempPathFactory, pytestconfig: pytest.Config) -> Path:
    """Where the browser tests leave screenshots to look at, in pytest's temporary folder; the run's summary
    names it."""
    folder = tmp_path_factory.mktemp("screenshots")
    pytestconfig.stash[SCREENSHOTS] = folder
    return folder


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter, config: pytest.Config) -> None:
    if SCREENSHOTS in config.stash:
        terminalreporter.write_line(f"screenshots of the pages: {config.stash[SCREENSHOTS]}")


@pytest.fixture
def project_copy(tmp_path: Path) -> Path:
    """A throwaway copy of the project's book inputs, for planting bad input."""
    return copy_book_inputs(tmp_path / "project")
