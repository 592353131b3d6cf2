"""The theme after the text (javascripts/theme-on-demand.js, overrides/main.html): the theme's bundle is started
once a frame of the whole page has been drawn, so a phone draws the text first; the theme is then set up once and
works; and only the theme's own bundle, from the site itself, is ever started that way."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from browsing import PHONE, visit, wait_for_the_theme
from conftest import ROOT, Site
from site_pages import ENGLISH_SITE
from static_server import serve

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Route

pytestmark = pytest.mark.browser

PAGES = ["", "chapter-1/", "chapter-2/", "glossary/", "timeline/", f"{ENGLISH_SITE}/chapter-1/"]

# Before any of the page's scripts: when the first frame after the page was parsed began, how many times the theme
# was told the document is ready (it keeps the answer in document$, which the bundle sets on window).
WATCH_JS = """
window.editionWatch = {parsedFrame: null, told: 0, heard: []};
document.addEventListener("readystatechange", () => {
  if (document.readyState === "interactive") {
    requestAnimationFrame((now) => { window.editionWatch.parsedFrame = now; });
  }
});
// Each "the document is ready" a listener of the page hears, the browser's own or a script's, and when the
// theme's bundle ran and the theme was set up, in order.
document.addEventListener("DOMContentLoaded", (event) => {
  window.editionWatch.heard.push(event.isTrusted ? "ready (the browser)" : "ready (a script)");
});
Object.defineProperty(window, "document$", {
  configurable: true,
  get() { return this.editionDocument; },
  set(subject) {
    this.editionDocument = subject;
    window.editionWatch.heard.push("the theme's bundle ran");
    subject.subscribe(() => {
      window.editionWatch.told += 1;
      window.editionWatch.heard.push("the theme set up");
    });
  },
});
"""
BUNDLE_REQUEST_JS = """
() => performance.getEntriesByType("resource")
  .filter((entry) => /\\/assets\\/javascripts\\/bundle\\.[0-9a-f]+\\.min\\.js$/.test(new URL(entry.name).pathname))
  .map((entry) => entry.startTime)
"""


@pytest.mark.parametrize("path", PAGES)
def test_the_text_is_drawn_before_the_theme_is_asked_for_and_the_theme_is_set_up_once(
    browser: Browser, site_url: str, path: str
) -> None:
    """The theme's bundle (with the layout of the whole page it asks for) ran before the first frame of a parsed
    page, so on a slow phone the text waited for it (Lighthouse: chapter 2's largest paint at 1.9 s instead of
    1.5 s). Now it is asked for after that frame; the theme is told once that the document is ready, and works."""
    with visit(browser, site_url + path, viewport=PHONE) as seen:
        page = seen.page
        page.add_init_script(WATCH_JS)
        page.reload(wait_until="load")
        page.wait_for_function("() => window.editionWatch.told > 0", timeout=10_000)
        page.wait_for_timeout(200)  # a second telling, if there were one, would have come by now
        watch = page.evaluate("window.editionWatch")
        requests = page.evaluate(BUNDLE_REQUEST_JS)
        search_button = page.locator("label.md-header__button[for='__search']").first.is_visible()
        assert seen.errors == []
    assert len(requests) == 1, f"the theme's bundle was asked for {len(requests)} times"
    assert watch["parsedFrame"] is not None and requests[0] > watch["parsedFrame"], (
        f"the bundle was asked for at {requests[0]:.0f} ms, before the first frame of the parsed page "
        f"({watch['parsedFrame']} ms)"
    )
    assert watch["told"] == 1, f"the theme was told {watch['told']} times that the document is ready"
    # The theme hears "ready" once ({once: true}); every other listener of the page hears what is dispatched:
    # the browser's event first, and at most one more.
    ready = [heard for heard in watch["heard"] if heard.startswith("ready")]
    assert ready[:1] == ["ready (the browser)"] and len(ready) <= 2, watch["heard"]
    assert search_button, "the theme's search button (shown once the theme runs) is not shown"


HELD = '<script type="text/edition-theme" data-src="{src}"></script>'


@pytest.mark.parametrize(
    "src",
    [
        "https://evil.example/assets/javascripts/bundle.0123abcd.min.js",
        "//evil.example/assets/javascripts/bundle.0123abcd.min.js",
        "javascripts/planted.js",
        "assets/javascripts/bundle.0123abcd.min.js.planted.js",
        "assets/javascripts/bundle.0123abcd.min.js?then=planted.js",
        "data:text/javascript,document.title='ran'",
        "",
    ],
)
def test_only_the_themes_own_bundle_from_the_site_itself_is_started(browser: Browser, tmp_path: Path, src: str) -> None:
    """A held script element that is not the theme's bundle on this site (planted in a page some other way, or a
    bundle from elsewhere) is never fetched or run."""
    (tmp_path / "javascripts").mkdir()
    shutil.copy(ROOT / "docs" / "javascripts" / "theme-on-demand.js", tmp_path / "javascripts")
    planted = "document.documentElement.dataset.planted = 'ran';"
    (tmp_path / "javascripts" / "planted.js").write_text(planted, encoding="utf-8")
    (tmp_path / "assets" / "javascripts").mkdir(parents=True)
    (tmp_path / "assets" / "javascripts" / "bundle.0123abcd.min.js.planted.js").write_text(planted, encoding="utf-8")
    (tmp_path / "index.html").write_text(
        "<!doctype html><html lang='en'><title>held</title><p>Text.</p>"
        '<script src="javascripts/theme-on-demand.js" defer></script>' + HELD.format(src=src),
        encoding="utf-8",
    )
    with serve(tmp_path) as url, visit(browser, url) as seen:
        seen.page.wait_for_timeout(1_300)  # past the frame, and past the background tab's start at 1 s
        ran = seen.page.evaluate("document.documentElement.dataset.planted || document.title")
        started = seen.page.evaluate("[...document.scripts].filter((s) => s.type === '').map((s) => s.src)")
    assert ran == "held", f"{src!r} was run"
    assert seen.outside_requests == []
    assert [s for s in started if "theme-on-demand" not in s] == [], started


def test_the_themes_bundle_from_the_site_is_started(browser: Browser, tmp_path: Path) -> None:
    """The same page holding a stand-in for the theme's bundle at the theme's address: it runs (so the refusals
    above are the check's doing, not a page on which nothing could run)."""
    (tmp_path / "javascripts").mkdir()
    shutil.copy(ROOT / "docs" / "javascripts" / "theme-on-demand.js", tmp_path / "javascripts")
    (tmp_path / "assets" / "javascripts").mkdir(parents=True)
    (tmp_path / "assets" / "javascripts" / "bundle.0123abcd.min.js").write_text(
        "document.documentElement.dataset.planted = 'ran';", encoding="utf-8"
    )
    (tmp_path / "index.html").write_text(
        "<!doctype html><html lang='en'><title>held</title><p>Text.</p>"
        '<script src="javascripts/theme-on-demand.js" defer></script>'
        + HELD.format(src="assets/javascripts/bundle.0123abcd.min.js"),
        encoding="utf-8",
    )
    with serve(tmp_path) as url, visit(browser, url) as seen:
        seen.page.wait_for_function("() => document.documentElement.dataset.planted === 'ran'", timeout=5_000)
        assert seen.errors == []


def test_the_theme_is_set_up_after_the_pages_scripts_when_one_of_them_is_slow(browser: Browser, site: Site) -> None:
    """The bundle, started after the first frame, can run while a deferred script of the page is still on its
    way (the page is parsed, the browser has not yet said it is ready). It was then told at once, by a script,
    that the document was ready: the theme was set up before the edition's scripts had run, and every listener
    of the page heard "ready" twice, first from a script. The browser's own event tells it, as before."""
    with serve(site.root, slow=("/javascripts/reader.js",)) as url, visit(browser, url, viewport=PHONE) as seen:
        page = seen.page
        page.add_init_script(WATCH_JS)
        page.goto(url + "chapter-1/", wait_until="load")
        wait_for_the_theme(page)
        heard = page.evaluate("window.editionWatch.heard")
        assert seen.errors == []
    assert "ready (the browser)" in heard and "the theme's bundle ran" in heard, heard
    assert heard.index("the theme's bundle ran") < heard.index("ready (the browser)"), (
        f"the bundle did not come before the slow script, so this visit shows nothing: {heard}"
    )
    assert heard == ["the theme's bundle ran", "ready (the browser)", "the theme set up"]


def test_a_held_element_planted_in_the_page_does_not_stop_the_theme(browser: Browser, tmp_path: Path) -> None:
    """A page may hold raw HTML (a hand-written page outside the article), which comes before the theme's own
    elements. A held element planted there, refused, was the only one looked at: the theme never started."""
    (tmp_path / "javascripts").mkdir()
    shutil.copy(ROOT / "docs" / "javascripts" / "theme-on-demand.js", tmp_path / "javascripts")
    (tmp_path / "javascripts" / "planted.js").write_text("document.title = 'ran';", encoding="utf-8")
    (tmp_path / "assets" / "javascripts").mkdir(parents=True)
    (tmp_path / "assets" / "javascripts" / "bundle.0123abcd.min.js").write_text(
        "document.documentElement.dataset.planted = 'ran';", encoding="utf-8"
    )
    (tmp_path / "index.html").write_text(
        "<!doctype html><html lang='en'><title>held</title><p>Text.</p>"
        + HELD.format(src="javascripts/planted.js")
        + '<script src="javascripts/theme-on-demand.js" defer></script>'
        + HELD.format(src="assets/javascripts/bundle.0123abcd.min.js"),
        encoding="utf-8",
    )
    with serve(tmp_path) as url, visit(browser, url) as seen:
        seen.page.wait_for_function("() => document.documentElement.dataset.planted === 'ran'", timeout=5_000)
        assert seen.page.title() == "held"
        assert seen.errors == []


# Whether the body holds the palette's "switching" attribute (transitions off while it sets the colours) when a
# script tells the theme that the document is ready, and whether it holds it when the page is first parsed.
SWITCHING_JS = """
window.editionSwitching = {parsed: null, whenTold: []};
document.addEventListener("readystatechange", () => {
  if (document.readyState === "interactive") {
    window.editionSwitching.parsed = document.body.hasAttribute("data-md-color-switching");
  }
});
document.addEventListener("DOMContentLoaded", (event) => {
  if (!event.isTrusted) {
    window.editionSwitching.whenTold.push(document.body.hasAttribute("data-md-color-switching"));
  }
});
"""


@pytest.mark.parametrize("path", ["glossary/", f"{ENGLISH_SITE}/chapter-2/"])
def test_the_theme_is_told_before_its_palette_restyles_the_page_and_transitions_come_back(
    browser: Browser, site_url: str, path: str
) -> None:
    """The theme's palette sets an attribute on the body while it applies the colours (transitions off) and
    takes it away in a task of its own. Telling the theme that the document was ready in a later task let that
    task come first: the whole page was re-styled, then laid out again when the theme measured it (the
    glossary's blocking time rose from 41-55 ms to 64-98 ms in Lighthouse). The body now holds the attribute
    as it begins, so setting it changes nothing, and the theme is told as its bundle has run, before the
    palette's task; once the theme has started, the attribute is gone and transitions are back."""
    with visit(browser, site_url + path, viewport=PHONE) as seen:
        page = seen.page
        page.add_init_script(SWITCHING_JS)
        page.reload(wait_until="load")
        wait_for_the_theme(page)
        page.wait_for_function("() => !document.body.hasAttribute('data-md-color-switching')", timeout=5_000)
        switching = page.evaluate("window.editionSwitching")
        assert seen.errors == []
    assert switching["parsed"] is True, "the body did not hold the palette's attribute when the page was parsed"
    assert switching["whenTold"] == [True], (
        f"whether the body held the attribute each time a script told the theme the document was ready: "
        f"{switching['whenTold']}"
        " (no telling at all means the bundle came before the page's scripts, and this visit shows nothing)"
    )


# The drawer's slide on a phone: one of the theme's transitions that work without its script (a checkbox and CSS).
DRAWER_TRANSITION_JS = "() => getComputedStyle(document.querySelector('.md-sidebar--primary')).transitionDuration"


@pytest.mark.parametrize(
    "bundle",
    [
        None,  # lost on the way: the network dropped it, a blocker refused it
        "let old = browser?.(;",  # fetched, but not understood (an old browser reads the theme's syntax so)
    ],
)
def test_transitions_come_back_when_the_themes_bundle_never_runs(
    browser: Browser, site_url: str, bundle: str | None
) -> None:
    """The body is built holding the palette's switching attribute (every transition off), which only the
    theme's palette takes away. A bundle that never ran left it there: the drawer snapped open without its slide,
    and every other transition stayed off, for as long as the page was open."""
    context = browser.new_context(viewport=PHONE)
    try:

        def route(route: Route) -> None:
            if bundle is None:
                route.abort()
            else:
                route.fulfill(status=200, content_type="text/javascript", body=bundle)

        context.route("**/assets/javascripts/bundle.*.min.js", route)
        page = context.new_page()
        page.goto(site_url + "glossary/", wait_until="load")
        page.wait_for_function(
            "() => [...document.scripts].some((s) => /bundle\\.[0-9a-f]+\\.min\\.js$/.test(s.src))", timeout=5_000
        )
        page.wait_for_timeout(500)
        switching = page.evaluate("document.body.hasAttribute('data-md-color-switching')")
        duration = page.evaluate(DRAWER_TRANSITION_JS)
    finally:
        context.close()
    assert not switching, "the body still holds the palette's switching attribute"
    assert duration not in ("0s", "0s, 0s"), f"the drawer's transition is {duration}"


def test_transitions_stay_on_for_a_reader_without_javascript(browser: Browser, site_url: str) -> None:
    """The theme is built to read without JavaScript: the drawer opens from its checkbox and slides in. With the
    palette's switching attribute written in the body's tag (only the palette's script takes it away), a reader
    without JavaScript had the drawer snap open, and every other transition off (review). A script sets it."""
    context = browser.new_context(viewport=PHONE, java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(site_url + "glossary/", wait_until="load")
        duration = page.locator(".md-sidebar--primary").evaluate("(e) => getComputedStyle(e).transitionDuration")
    finally:
        context.close()
    assert duration not in ("0s", "0s, 0s"), f"the drawer's transition is {duration}"
