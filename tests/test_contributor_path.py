"""The contributor's path (issue 12): the site's and the repository's addresses from a deploy's environment,
checked before they reach a page; "edit this page" where a page is written by hand."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from conftest import ROOT, BuildFailed, build_site
from edition.book import check
from edition.settings import settings_from_file

REPOSITORY = "https://github.com/example/edition"  # a fixture: no page of the edition names it


def addresses(**values: str) -> dict[str, str]:
    return {f"EDITION_{name.upper()}": value for name, value in values.items()}


def test_a_deploy_gives_the_addresses_through_the_environment() -> None:
    environ = addresses(site_url="https://example.org/book/", repo_url=REPOSITORY, edit_uri="edit/trunk/docs/")
    settings = settings_from_file(ROOT, environ)
    assert (settings.site_url, settings.repo_url, settings.branch) == ("https://example.org/book/", REPOSITORY, "trunk")
    assert check(ROOT, environ=environ) == []


def test_without_the_environment_the_site_names_no_repository() -> None:
    settings = settings_from_file(ROOT, {})
    assert (settings.site_url, settings.repo_url, settings.branch) == ("", "", "")


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("repo_url", 'https://github.com/a/b"><script>alert(1)</script>'),
        ("repo_url", "javascript:alert(1)//github.com/a/b"),
        ("repo_url", "https://evil.example/a/b"),
        ("repo_url", "https://github.com/a/b/../../c"),
        ("repo_url", "https://github.com/a/b.git"),
        ("repo_url", "http://github.com/a/b"),
        ("site_url", "javascript:alert(1)"),
        ("site_url", "https://example.org/a b/"),
        ("site_url", 'https://example.org/"onmouseover="x'),
        ("edit_uri", "edit/../../settings/docs/"),
        ("edit_uri", "edit/main/docs/?x=<b>"),
        ("edit_uri", "blob/main/"),
        ("edit_uri", ""),  # a repository without the branch pull requests go to
    ],
)
def test_a_hostile_or_malformed_address_stops_the_checks(name: str, value: str) -> None:
    environ = addresses(**{"repo_url": REPOSITORY, "edit_uri": "edit/main/docs/", name: value})
    problems = check(ROOT, environ=environ)
    assert [(p.file, p.key) for p in problems] == [("mkdocs.yml", name)], problems
    assert f"EDITION_{name.upper()}" in problems[0].message  # says where the value came from


def test_a_build_with_a_hostile_repository_address_stops(tmp_path: Path) -> None:
    with pytest.raises(BuildFailed) as failed:
        build_site(ROOT, tmp_path / "site", repo_url="https://github.com/a/b?x=<script>", edit_uri="edit/main/docs/")
    assert "repo_url" in str(failed.value) and "is not a GitHub repository's address" in str(failed.value)


@pytest.fixture(scope="module")
def site_with_repository(tmp_path_factory: pytest.TempPathFactory) -> Path:
    site = tmp_path_factory.mktemp("site-with-repository")
    build_site(ROOT, site, repo_url=REPOSITORY, edit_uri="edit/main/docs/")
    return site


def page(site: Path, path: str) -> BeautifulSoup:
    return BeautifulSoup((site / path / "index.html").read_text(encoding="utf-8"), "html.parser")


def edit_links(soup: BeautifulSoup) -> list[str]:
    return [str(a["href"]) for a in soup.select("a.md-content__button[rel=edit]")]


def test_hand_written_pages_link_to_their_source_and_generated_ones_do_not(site_with_repository: Path) -> None:
    assert edit_links(page(site_with_repository, "chapter-2")) == [f"{REPOSITORY}/edit/main/docs/chapter-2.md"]
    assert edit_links(page(site_with_repository, "colophon")) == [f"{REPOSITORY}/edit/main/docs/colophon.md"]
    for generated in ("glossary", "timeline", "references", "annotations", "emendations"):
        assert edit_links(page(site_with_repository, generated)) == [], generated


def test_pages_name_the_repository_for_the_annotate_action_and_never_ask_githubs_api(
    site_with_repository: Path,
) -> None:
    soup = page(site_with_repository, "chapter-1")
    metas = {str(m["name"]): str(m["content"]) for m in soup.select("meta[name^=edition-]") if m.has_attr("content")}
    assert metas["edition-repository"] == REPOSITORY
    assert metas["edition-branch"] == "main"
    assert soup.select_one("a.md-source")["href"] == REPOSITORY
    for html in site_with_repository.rglob("*.html"):
        assert 'data-md-component="source"' not in html.read_text(encoding="utf-8"), html


def test_a_site_without_a_repository_offers_no_action_that_would_lead_nowhere(tmp_path: Path) -> None:
    site = tmp_path / "site"
    build_site(ROOT, site)
    soup = page(site, "chapter-1")
    assert soup.select("meta[name=edition-repository]") == []
    assert edit_links(soup) == []
    assert soup.select_one("a.md-source") is None
    assert re.search(r"github\.com", (site / "chapter-1" / "index.html").read_text(encoding="utf-8")) is None
