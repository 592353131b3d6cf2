"""Each page links the edition's stylesheets that can style something in it, and no others
(edition/site/page_styles.py): the glossary's first visit fetched reader.css, 2.4 KiB gzip, for four rules that
could apply anywhere."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import pytest
import tinycss2

from browsing import visit
from conftest import ROOT, Site
from edition.site.page_styles import SCOPED, OwnAssets, Stylesheet, _rules, _selectors, anywhere, stylesheet
from edition.site.page_styles import without_idle_stylesheets as without

if TYPE_CHECKING:
    from playwright.sync_api import Browser

LINKS = "".join(
    f'<link rel="stylesheet" href="../stylesheets/{name}">\n'
    for name in ("edition.css", "reader.css", "reference-data.css", "timeline.css")
)
ASSETS = OwnAssets(
    stylesheets={
        "reader.css": stylesheet(".md-typeset a.edition-para-number { color: red } .edition-gloss { top: 0 }"),
        "reference-data.css": stylesheet(".edition-glossary-entry:target { color: red }"),
        "timeline.css": stylesheet("fieldset.edition-filter label { color: red } .a:not(.edition-event) {}"),
    },
    script_words={
        "glossary-tap.js": frozenset({"edition-gloss", "div"}),  # it marks a box of its own
        "glossary-filter.js": frozenset(),  # it only finds and hides what the page holds
    },
)


def linked(page_html: str) -> set[str]:
    return {name for name in ("edition.css", *SCOPED) if f"stylesheets/{name}" in page_html}


def page(body: str, scripts: tuple[str, ...] = ()) -> str:
    tags = "".join(f'<script src="../javascripts/{name}" defer></script>\n' for name in scripts)
    return f"<head>{LINKS}</head><body>{body}\n{tags}</body>"


def test_a_page_with_nothing_a_scoped_stylesheet_styles_links_only_the_site_wide_one() -> None:
    html = page('<article><p class="x" id="intro">Text, <span class="md-typeset">more</span>.</p></article>')
    assert linked(without(html, ASSETS)) == {"edition.css"}


@pytest.mark.parametrize(
    ("body", "scripts", "kept"),
    [
        ('<a class="edition-para-number" href="#p2-4">¶4</a>', (), {"reader.css"}),
        ('<div class="edition-glossary-entry" id="tariff">', (), {"reference-data.css"}),
        # fieldset.edition-filter: the glossary's filter is a <p class="edition-filter">, the timeline's a fieldset
        ('<p class="edition-filter">', (), set()),
        ('<fieldset class="edition-filter"><label>x</label></fieldset>', (), {"timeline.css"}),
        # a script that marks elements may add what a stylesheet styles; one that only finds them adds nothing
        ('<a class="edition-term">', ("glossary-tap.js",), {"reader.css"}),
        ('<a class="edition-term">', ("glossary-filter.js",), set()),
    ],
    ids=[
        "paragraph number",
        "glossary entry",
        "glossary filter",
        "timeline filter",
        "marking script",
        "finding script",
    ],
)
def test_a_page_links_each_scoped_stylesheet_one_of_whose_selectors_it_can_match(
    body: str, scripts: tuple[str, ...], kept: set[str]
) -> None:
    assert linked(without(page(body, scripts), ASSETS)) == {"edition.css", *kept}


def test_a_selector_requires_what_it_names_outside_not_and_inside_has() -> None:
    def required(css: str) -> list[frozenset[str]]:
        return [names for rule in _rules(tinycss2.parse_stylesheet(css)) for _, names in _selectors(rule.prelude)]

    assert required("body:has(> .edition-gloss:not([hidden])) > .md-tooltip2 {}") == [
        frozenset({"<body", "edition-gloss"})
    ]
    assert required(".a:not(.b), #c .d::before, .md-typeset li:hover {}") == [
        frozenset({"a"}),
        frozenset({"c", "d"}),
        frozenset({"<li"}),
    ]
    assert anywhere('.md-typeset p:target, .edition-x p {} @media print { .md-typeset [lang|="en"] {} }') == [
        ".md-typeset p:target",
        '.md-typeset [lang|="en"]',
    ]
    assert Stylesheet((frozenset({"<p"}),)).selectors == (frozenset({"<p"}),)


def test_the_scoped_stylesheets_hold_no_rule_that_could_apply_on_any_page() -> None:
    # Such a rule goes in edition.css; in a scoped stylesheet it would be lost on the pages that do not link it.
    for name in SCOPED:
        assert anywhere((ROOT / "docs" / "stylesheets" / name).read_text(encoding="utf-8")) == [], name


def test_the_built_pages_link_the_stylesheets_of_what_they_hold(site: Site) -> None:
    def sheets(path: str) -> set[str]:
        return {Path(str(link["href"])).name for link in site.page(path).select('link[rel="stylesheet"]')}

    for path in ("chapter-2/", "en/chapter-2/", "annotations/"):
        assert "reader.css" in sheets(path) and "timeline.css" not in sheets(path), path
    assert {"reference-data.css"} <= sheets("glossary/") and not {"reader.css", "timeline.css"} & sheets("glossary/")
    assert {"reference-data.css", "timeline.css"} <= sheets("timeline/") and "reader.css" not in sheets("timeline/")
    for path in ("", "references/", "colophon/", "glossary/"):
        assert {"edition.css", "print.css"} <= sheets(path), path


# Whether any element of the page matches a selector, its pseudo-classes and pseudo-elements dropped (a :hover, a
# :target or a ::before matches a subset of what the rest matches; dropping :not(…) only widens it).
MATCHES = """selectors => selectors.filter(selector => {
  const bare = selector.replace(/::?[a-z-]+(\\((?:[^()]|\\([^()]*\\))*\\))?/g, '').replace(/[\\s>+~]+$/, '') || '*';
  try { return document.querySelector(bare) !== null; } catch (error) { return true; }
})"""


@pytest.mark.browser
def test_no_rule_of_a_stylesheet_a_page_leaves_out_matches_anything_in_it(browser: Browser, site: Site, site_url: str):
    selectors = {
        name: [
            selector
            for rule in _rules(
                tinycss2.parse_stylesheet(
                    (ROOT / "docs" / "stylesheets" / name).read_text(encoding="utf-8"), skip_comments=True
                )
            )
            for selector, _ in _selectors(rule.prelude)
        ]
        for name in SCOPED
    }
    found = {}
    for html in site.html_files():
        path = html.relative_to(site.root).as_posix().removesuffix("index.html")
        if path.endswith(".html"):
            continue  # the 404 page, served at any depth
        left_out = [name for name in SCOPED if f"stylesheets/{name}" not in html.read_text(encoding="utf-8")]
        if not left_out:
            continue
        with visit(browser, site_url + path) as seen:
            seen.page.wait_for_load_state("networkidle")
            for name in left_out:
                matched = seen.page.evaluate(MATCHES, selectors[name])
                if matched:
                    found[f"{path or '/'} without {name}"] = matched
    assert found == {}
