"""Script from anywhere a contributor writes never reaches a built page: the build stops at its line.

The input checks refuse raw HTML in the article, the data and the annotations; these attacks come by
the other doors (found by a hostile review): a page outside the article, a string of mkdocs.yml that
the theme prints, a file copied from docs/. The build's last pass (edition/site/active_content.py)
refuses event handlers, code addresses and inline scripts other than the theme's own.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from attacks import append, replace, write
from conftest import BuildFailed, build_site
from edition.site.active_content import UNKNOWN_SCRIPT, active_content_problems
from edition.site.page_scripts import SWITCHING_SCRIPT, with_the_theme_held

ATTACKS = [
    (
        "an image with an event handler in the colophon",
        append("docs/colophon.md", "\n\n<img src=x onerror=alert(1)>\n"),
        "site/colophon/index.html",
        "an event handler runs script",
    ),
    (
        "a javascript: link in the colophon",
        append("docs/colophon.md", "\n\n[x](javascript:alert(1))\n"),
        "site/colophon/index.html",
        'href="javascript:…"',
    ),
    (
        "an inline script in the colophon",
        append("docs/colophon.md", "\n\n<script>alert(1)</script>\n"),
        "site/colophon/index.html",
        "none of the theme's",
    ),
    (
        "the copyright line with an event handler",
        replace("mkdocs.yml", "copyright: ", 'copyright: "<img src=x onerror=alert(1)>" # ', 1),
        "mkdocs.yml",  # the settings refuse markup in what the theme prints, before any page is built
        "which the theme would print as HTML",
    ),
    (
        "the site name closing the title",
        replace("mkdocs.yml", "site_name: ", 'site_name: "</title><script>alert(1)</script>" # ', 1),
        "mkdocs.yml",
        "which the theme would print as HTML",
    ),
    (
        "an HTML file copied from docs/ that sends the reader elsewhere",
        write("docs/away.html", '<p>x</p><meta http-equiv="refresh" content="0;url=https://evil.example/">\n'),
        "away.html",
        "it can send the reader elsewhere",
    ),
    (
        "an HTML file with a script copied from docs/",
        write("docs/evil.html", "<p>x</p><script>alert(1)</script>\n"),
        "evil.html",
        "none of the theme's",
    ),
]


@pytest.mark.parametrize(("name", "plant", "where", "message"), ATTACKS, ids=[a[0] for a in ATTACKS])
def test_script_planted_by_another_door_stops_the_build(
    project_copy: Path, tmp_path: Path, name: str, plant, where: str, message: str
) -> None:
    plant(project_copy)
    with pytest.raises(BuildFailed) as stopped:
        build_site(project_copy, tmp_path / "site")
    assert message in str(stopped.value) and where.removeprefix("site/") in str(stopped.value), str(stopped.value)


def test_the_themes_own_scripts_and_json_configuration_pass() -> None:
    page = (
        '<script id="__config" type="application/json">{"a": 1}</script>'
        "<script>var target=document.getElementById(location.hash.slice(1));target&&target.name&&"
        '(target.checked=target.name.startsWith("__tabbed_"))</script><script src="x.js"></script>'
    )
    assert active_content_problems("x.html", page) == []


@pytest.mark.parametrize(
    "page",
    [
        '<a href="&#106;avascript:alert(1)">x</a>',
        '<a href=" JAVASCRIPT:alert(1)">x</a>',
        '<iframe src="data:text/html,<script>alert(1)</script>"></iframe>',
        "<svg><g onload=alert(1)/></svg>",
        '<script type="module">alert(1)</script>',
        "<script>alert(1)",
        '<meta http-equiv="refresh" content="0;url=https://evil.example/">',  # no script, but the reader leaves
        '<base href="https://evil.example/">',  # every relative link of the page goes there
    ],
)
def test_hidden_forms_of_script_are_found(page: str) -> None:
    assert active_content_problems("x.html", page) != []


HELD_BUNDLE = '<script type="text/edition-theme" data-src="../assets/javascripts/bundle.a5f9d56c.min.js"></script>'


def test_the_builds_hold_of_the_themes_bundle_passes() -> None:
    """The theme's bundle, held until the text is on screen (edition/site/page_scripts.py), is the theme's own."""
    page = with_the_theme_held('<p>Text.</p><script src="../assets/javascripts/bundle.a5f9d56c.min.js"></script>')
    assert page == "<p>Text.</p>" + HELD_BUNDLE
    assert active_content_problems("x.html", page) == []


def test_the_builds_switching_script_passes_and_an_altered_one_is_found() -> None:
    """The edition's script that turns transitions off as the body begins (edition/site/page_scripts.py) is known
    by its text; one character more, and it is a script of the page's own."""
    body = '<body dir="ltr" data-md-color-scheme="default">'
    page = with_the_theme_held(f'{body}<form class="md-header__option" data-md-component="palette"></form></body>')
    assert f"{body}<script>{SWITCHING_SCRIPT}</script>" in page
    assert active_content_problems("x.html", page) == []
    altered = page.replace(SWITCHING_SCRIPT, SWITCHING_SCRIPT + ";alert(1)")
    assert [p.message for p in active_content_problems("x.html", altered)] == [UNKNOWN_SCRIPT]


@pytest.mark.parametrize(
    "page",
    [
        HELD_BUNDLE + HELD_BUNDLE,  # a second hold, planted before or after the build's
        HELD_BUNDLE.replace("../", "https://evil.example/"),
        HELD_BUNDLE.replace("../", "//evil.example/"),
        '<script type="text/edition-theme" data-src="../javascripts/planted.js"></script>',
        '<script type="text/edition-theme" data-src="../assets/javascripts/bundle.0a.min.js" src="x.js"></script>',
        '<script type="TEXT/EDITION-THEME" data-src="../assets/javascripts/bundle.0a.min.js">alert(1)</script>',
        '<script type="text/edition-theme">alert(1)</script>',
        '<script type="text/edition-theme" data-src="../assets/javascripts/bundle.0a.min.js">',
    ],
)
def test_a_planted_or_altered_hold_of_the_theme_is_found(page: str) -> None:
    problems = active_content_problems("x.html", page)
    assert problems != [] and all(p.line == 1 for p in problems), problems
