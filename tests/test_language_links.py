"""The head's language links (hreflang): full addresses of this same page in each language where the build has
an address, none without one; and the theme's script, which reads them, asks only the host the page is served
from (edition/site/theme_markup.py, hooks/theme_markup.py)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING
from urllib.parse import urljoin

import pytest
from bs4 import BeautifulSoup

from browsing import visit
from conftest import ROOT, Site, build_both_sites
from edition.site.active_content import active_content_problems
from edition.site.theme_markup import language_links, language_root
from static_server import serve

if TYPE_CHECKING:
    from playwright.sync_api import Browser

# A deploy's address on another host than the tests' server: a page served on 127.0.0.1 is a mirror of it.
SITE_URL = "https://edition.example/book/"
THEME_HEAD = (
    '<head><link rel="alternate" href="." hreflang="zh-Hans">\n'
    '      <link rel="alternate" href="en/" hreflang="en">\n<link rel="icon" href="x.png"></head>'
)
ALTERNATES = [{"name": "中文", "link": "./", "lang": "zh-Hans"}, {"name": "English", "link": "en/", "lang": "en"}]
ENGLISH_ALTERNATES = [{"link": "../", "lang": "zh-Hans"}, {"link": "./", "lang": "en"}]  # mkdocs.en.yml's, from en/


def hreflang_links(page: BeautifulSoup) -> dict[str, str]:
    return {str(link["hreflang"]): str(link["href"]) for link in page.select('head link[rel="alternate"][hreflang]')}


def test_the_language_links_lead_to_this_page_in_each_language_by_its_full_address() -> None:
    head = language_links(THEME_HEAD, ALTERNATES, site_url=SITE_URL, page_url="chapter-2/")
    assert hreflang_links(BeautifulSoup(head, "html.parser")) == {
        "zh-Hans": SITE_URL + "chapter-2/",
        "en": SITE_URL + "en/chapter-2/",
    }
    assert head.count('rel="alternate"') == 2 and '<link rel="icon" href="x.png">' in head
    head = language_links(THEME_HEAD, ENGLISH_ALTERNATES, site_url=SITE_URL + "en/", page_url="chapter-2/")
    assert hreflang_links(BeautifulSoup(head, "html.parser")) == {
        "zh-Hans": SITE_URL + "chapter-2/",
        "en": SITE_URL + "en/chapter-2/",
    }


def test_each_link_names_its_languages_root_from_the_page_for_the_themes_script() -> None:
    assert language_root("", "./") == "./" and language_root("", "en/") == "en/"
    assert language_root("chapter-2/", "./") == "../" and language_root("chapter-2/", "en/") == "../en/"
    assert language_root("chapter-2/", "../") == "../../"  # from en/chapter-2/ to the Chinese site's root
    head = BeautifulSoup(language_links(THEME_HEAD, ALTERNATES, site_url=SITE_URL, page_url="a/b/"), "html.parser")
    roots = {str(link["hreflang"]): link["data-edition-root"] for link in head.select("link[hreflang]")}
    assert roots == {"zh-Hans": "../../", "en": "../../en/"}


def test_without_an_address_or_a_counterpart_there_are_no_language_links_and_no_script() -> None:
    for site_url, page_url in (("", "chapter-2/"), (SITE_URL, None)):
        head = language_links(THEME_HEAD, ALTERNATES, site_url=site_url, page_url=page_url)
        assert 'rel="alternate"' not in head and "<script" not in head and '<link rel="icon" href="x.png">' in head


@pytest.mark.parametrize(
    ("site_url", "page_url", "alternates"),
    [
        (SITE_URL, 'x/"><script>alert(1)</script>', ALTERNATES),
        ('https://edition.example/"><script>alert(1)</script>/', "chapter-2/", ALTERNATES),
        (SITE_URL, "chapter-2/", [{"link": '"><script>alert(1)</script>', "lang": 'en"><script>alert(2)</script>'}]),
    ],
    ids=["page address", "site address", "alternate link and lang"],
)
def test_a_hostile_address_or_language_stays_inside_its_attribute(
    site_url: str, page_url: str, alternates: list[dict[str, str]]
) -> None:
    head = language_links(THEME_HEAD, alternates, site_url=site_url, page_url=page_url)
    page = BeautifulSoup(head, "html.parser")
    script = (
        'document.querySelectorAll("link[data-edition-root]").forEach(function(l){Object.defineProperty(l,"href",'
        "{value:new URL(l.dataset.editionRoot,location.href).href})})"
    )
    assert [found.get_text() for found in page.select("script")] == [script]
    assert len(hreflang_links(page)) == len(alternates)
    assert active_content_problems("x.html", head) == []  # the one script is the edition's own


def test_another_inline_script_beside_the_links_still_stops_the_build() -> None:
    head = language_links(THEME_HEAD, ALTERNATES, site_url=SITE_URL, page_url="chapter-2/")
    changed = head.replace("location.href", '"https://elsewhere.example/"')
    assert [p.message for p in active_content_problems("x.html", changed)] != []


@pytest.fixture(scope="module")
def deployed(tmp_path_factory: pytest.TempPathFactory) -> Site:
    """Both sites as a deploy builds them, with the site's address (EDITION_SITE_URL)."""
    root = tmp_path_factory.mktemp("deployed")
    build_both_sites(ROOT, root, site_url=SITE_URL)
    return Site(root)


def test_a_build_with_an_address_links_each_page_in_both_languages_and_the_404_page_in_none(deployed: Site) -> None:
    for path in ("chapter-2/", "en/chapter-2/"):
        assert hreflang_links(deployed.page(path)) == {
            "zh-Hans": SITE_URL + "chapter-2/",
            "en": SITE_URL + "en/chapter-2/",
        }, path
    assert hreflang_links(deployed.page("")) == {"zh-Hans": SITE_URL, "en": SITE_URL + "en/"}
    assert hreflang_links(deployed.page("glossary/")) == {
        "zh-Hans": SITE_URL + "glossary/",
        "en": SITE_URL + "en/glossary/",
    }
    assert hreflang_links(deployed.page("404.html")) == {}


def test_a_build_without_an_address_has_no_head_language_links_but_its_switch_leads_to_the_same_page(
    site: Site,
) -> None:
    for path in ("", "chapter-2/", "en/chapter-2/", "glossary/", "404.html"):
        assert hreflang_links(site.page(path)) == {}, path
    for path in ("chapter-2/", "en/chapter-2/"):
        here = "https://any.example/" + path
        links = site.page(path).select("a.md-select__link")
        switch = {str(a["hreflang"]): urljoin(here, str(a["href"])) for a in links}
        assert switch == {"zh-Hans": "https://any.example/chapter-2/", "en": "https://any.example/en/chapter-2/"}


@pytest.fixture(scope="module")
def mirror(deployed: Site) -> Iterator[str]:
    """The deploy build served on 127.0.0.1, not at its address: a mirror, or a local preview."""
    with serve(deployed.root) as url:
        yield url


@pytest.mark.browser
@pytest.mark.parametrize(
    ("start", "language", "lands"), [("chapter-3/", "en", "en/chapter-3/"), ("en/", "zh-Hans", "")]
)
def test_a_deploy_build_served_elsewhere_asks_only_its_own_host_and_its_switch_keeps_the_page(
    browser: Browser, mirror: str, start: str, language: str, lands: str
) -> None:
    # Without the roots handed to it, the theme's script would fetch the sitemap beside each full address: the
    # deploy's host (blocked and noted by visit), and a sitemap beside the page, which is none (a 404, an error).
    with visit(browser, mirror + start) as seen:
        page = seen.page
        page.wait_for_load_state("networkidle")
        page.locator(".md-header__option .md-select").hover()
        with page.expect_navigation():
            page.locator(f'a.md-select__link[hreflang="{language}"]').click()
        page.wait_for_load_state("networkidle")
        assert page.url == mirror + lands
        assert seen.outside_requests == [] and seen.errors == []
