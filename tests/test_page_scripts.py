"""Each page loads the edition's scripts that act on it, and no others (edition/site/page_scripts.py): the glossary's
first visit fetched about 10 KiB of scripts for paragraphs it does not have."""

from __future__ import annotations

import pytest

from conftest import Site
from edition.site.page_scripts import without_idle_scripts

ARTICLE_ONLY = ("paragraphs.js", "ranges.js", "contribute.js", "views.js", "glossary-tap.js")
ALL = ("reader.js", "glossary-filter.js", "timeline-filter.js", *ARTICLE_ONLY)
SCRIPTS = "".join(f'<script src="../javascripts/{name}" defer></script>\n' for name in ALL)


def scripts_of(page_html: str) -> set[str]:
    return {name for name in ALL if f"javascripts/{name}" in page_html}


def test_a_page_without_paragraphs_terms_views_or_citations_loads_none_of_their_scripts() -> None:
    page = f'<article><p id="intro">Text, a <a href="#x">link</a>.</p></article>\n{SCRIPTS}</body>'
    assert scripts_of(without_idle_scripts(page)) == set()


@pytest.mark.parametrize(
    "markup, kept",
    [
        (
            '<p id="p2-4"><a class="edition-para-number" href="#p2-4">¶4</a>Text</p>',
            set(ARTICLE_ONLY) - {"views.js", "glossary-tap.js", "contribute.js"},
        ),
        (  # "Annotate" leads to the repository the site names, only when it names one
            (
                '<meta name="edition-repository" content="https://github.com/a/b">\n'
                '<p id="p2-4"><a class="edition-para-number" href="#p2-4">¶4</a>Text</p>'
            ),
            set(ARTICLE_ONLY) - {"views.js", "glossary-tap.js"},
        ),
        ('<meta name="edition-repository" content="https://github.com/a/b">', set()),
        (
            '<button type="button" class="md-button edition-copy" data-copy="cite-apa" hidden>Copy</button>',
            {"paragraphs.js", "reader.js"},
        ),
        ('<pre class="edition-cite-text" lang="en">', {"reader.js"}),
        ('<aside class="edition-annotation edition-annotation--context" id="annotation-x">', {"reader.js"}),
        ('<div class="edition-annotations" data-edition-filter>', {"reader.js"}),
        ('<input type="radio" name="edition-view" id="edition-view-en">', {"views.js"}),
        ('<a class="edition-term" href="../glossary/#tariff" title="…">关税</a>', {"glossary-tap.js"}),
        ('<div class="edition-glossary"><p class="edition-filter" hidden>', {"glossary-filter.js"}),
        ('<div class="edition-timeline"><fieldset class="edition-filter" hidden>', {"timeline-filter.js"}),
    ],
)
def test_a_page_keeps_each_script_whose_markup_it_holds(markup: str, kept: set[str]) -> None:
    page = f"<article>{markup}</article>\n{SCRIPTS}</body>"
    assert scripts_of(without_idle_scripts(page)) == kept


def test_a_page_naming_a_script_in_its_text_is_not_taken_for_its_markup() -> None:
    # The words edition-term or p2-4 in the text are not a term link or a paragraph.
    page = f"<article><p>class edition-term, id p2-4, edition-view, edition-glossary</p></article>\n{SCRIPTS}</body>"
    assert scripts_of(without_idle_scripts(page)) == set()


@pytest.mark.parametrize(
    "url, filters",
    [("glossary/", True), ("timeline/", True), ("references/", False), ("en/glossary/", True), ("en/timeline/", True)],
)
def test_the_reference_pages_fetch_no_script_of_the_articles_pages(site: Site, url: str, filters: bool) -> None:
    page = site.page(url)
    sources = {script.get("src", "").rsplit("/", 1)[-1] for script in page.select("script[src]")}
    assert not sources & {*ARTICLE_ONLY, "reader.js"}  # no cite box, no annotation
    # the glossary's search box, the timeline's categories, each on its own page
    assert ("glossary-filter.js" in sources) is (filters and "glossary" in url)
    assert ("timeline-filter.js" in sources) is (filters and "timeline" in url)


@pytest.mark.parametrize("url", ["", "chapter-2/", "chapter-4/", "en/chapter-2/"])
def test_the_articles_pages_fetch_every_script_they_use(site: Site, url: str) -> None:
    page = site.page(url)
    sources = {script.get("src", "").rsplit("/", 1)[-1] for script in page.select("script[src]")}
    # Built without a repository (repo_url): no "Annotate" to offer (tests/test_contributor_path.py has one).
    assert {*ARTICLE_ONLY, "reader.js"} - {"contribute.js"} <= sources
    assert not {"glossary-filter.js", "timeline-filter.js", "contribute.js"} & sources
