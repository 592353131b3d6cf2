"""Reading the built site in Chromium as a reader would: the one browser of the session (conftest's `browser`
fixture), pages over http://127.0.0.1, every request and script error recorded, and what a reader sees measured."""

from __future__ import annotations

import os
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal
from urllib.parse import urlsplit

from site_pages import executable, tool_missing

if TYPE_CHECKING:
    from PIL import Image
    from playwright.sync_api import Browser, Dialog, Page, Route, ViewportSize

PHONE: ViewportSize = {"width": 375, "height": 812}
DESKTOP: ViewportSize = {"width": 1280, "height": 800}
WIDTHS = {"phone": PHONE, "desktop": DESKTOP}
Scheme = Literal["light", "dark"]


def chromium_path() -> str:
    """Debian's chromium (CHROMIUM_PATH overrides); skips, or fails under CI=true, when it is not installed."""
    path = executable("chromium", os.environ.get("CHROMIUM_PATH", ""), "/usr/bin/chromium", "/usr/bin/chromium-browser")
    if path is None:
        tool_missing("chromium", "run scripts/install-system-packages.sh as root (installs Debian's chromium)")
    return path


@dataclass
class Visit:
    page: Page
    errors: list[str] = field(default_factory=list)
    outside_requests: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)


@contextmanager
def visit(
    browser: Browser,
    url: str,
    *,
    viewport: ViewportSize = DESKTOP,
    scheme: Scheme = "light",
    permissions: Sequence[str] = (),
    touch: bool = False,
) -> Iterator[Visit]:
    """Open ``url`` in a fresh context (no cookies, cache or storage from another test). Anything not for
    127.0.0.1 is blocked and noted; console errors, script errors and dialogs (dismissed) are noted. ``touch``:
    a phone's touch screen (taps, no mouse to hover with) instead of a mouse."""
    context = browser.new_context(viewport=viewport, color_scheme=scheme, has_touch=touch, is_mobile=touch)
    if permissions:
        context.grant_permissions(list(permissions))
    result = Visit(page=context.new_page())

    def route(route: Route) -> None:
        if urlsplit(route.request.url).hostname == "127.0.0.1":
            route.continue_()
        else:
            result.outside_requests.append(route.request.url)
            route.abort()

    def dialog(dialog: Dialog) -> None:
        result.dialogs.append(f"{dialog.type}: {dialog.message}")
        dialog.dismiss()

    context.route("**/*", route)
    page = result.page
    page.on(
        "console", lambda message: result.errors.append(f"console: {message.text}") if message.type == "error" else None
    )
    page.on("pageerror", lambda error: result.errors.append(f"script error: {error}"))
    page.on("dialog", dialog)
    try:
        page.goto(url, wait_until="load")
        wait_for_the_theme(page)
        yield result
    finally:
        context.close()


# Whether the theme has set the page up: it has been told the document is ready (its document$ has a value).
# javascripts/theme-on-demand.js starts the theme once the text is on screen, which may be after "load".
THEME_READY_JS = """
() => {
  if (!document.getElementById("__config")) return true;  // a page without the theme (a test's own page)
  let seen = false;
  if (window.document$) window.document$.subscribe(() => { seen = true; }).unsubscribe();
  return seen;
}
"""


def wait_for_the_theme(page: Page) -> None:
    """Until the theme has set the page up, as a reader's first tap finds it a moment after the text appears."""
    page.wait_for_function(THEME_READY_JS, timeout=10_000)


def lay_out_everything(page: Page) -> None:
    """Long pages skip laying out sections far from the screen (content-visibility: auto) until a reader
    scrolls near them; measure them as the reader will see them, not as skipped boxes without size or colour."""
    page.add_style_tag(content="* { content-visibility: visible !important; }")


# What a reader would have to scroll sideways to read: the document wider than the screen, or a visible element
# reaching past its right edge. Tables and code scroll inside their own box (overflow-x auto or scroll), which
# is fine; the theme's drawer waits off-screen to the left, which is fine too.
SIDEWAYS_JS = """
() => {
  const width = document.documentElement.clientWidth;
  const scroller = (e) => ['auto', 'scroll'].includes(getComputedStyle(e).overflowX);
  const insideScroller = (e) => {
    for (let a = e.parentElement; a && a !== document.body; a = a.parentElement) if (scroller(a)) return true;
    return false;
  };
  const name = (e) => e.tagName.toLowerCase() + (e.id ? '#' + e.id : '')
    + (typeof e.className === 'string' && e.className.trim() ? '.' + e.className.trim().split(/\\s+/).join('.') : '');
  const wide = [...document.body.querySelectorAll('*')].filter((e) => {
    const r = e.getBoundingClientRect();  // a box without width or height draws nothing (its children are seen to)
    return r.width > 0 && r.height > 0 && r.right > width + 1
      && e.checkVisibility({visibilityProperty: true, opacityProperty: true}) && !insideScroller(e);
  });
  return {
    documentWidth: document.scrollingElement.scrollWidth,
    width,
    wide: wide.slice(0, 5).map((e) => `${name(e)} to ${Math.round(e.getBoundingClientRect().right)} px: `
                                       + (e.textContent || '').trim().slice(0, 40)),
  };
}
"""


def sideways(page: Page) -> list[str]:
    """What sticks out past the screen's right edge, in words; [] when the page fits its width."""
    found = page.evaluate(SIDEWAYS_JS)
    problems = [f"{name} reaches past the {found['width']} px screen" for name in found["wide"]]
    if found["documentWidth"] > found["width"]:
        problems.insert(0, f"the page is {found['documentWidth']} px wide on a {found['width']} px screen")
    return problems


def ink(image: Image.Image, box: Sequence[float]) -> float:
    """Share of the pixels in ``box`` (left, top, right, bottom) that stand out from its commonest shade, the
    background: about 0.1 for a block of Chinese text, 0 when its letters are not drawn or drawn unseen."""
    left, top, right, bottom = (round(v) for v in box)
    crop = image.crop((left, top, right, bottom)).convert("L")
    total = crop.width * crop.height
    # Pillow types getcolors() for every image mode; an "L" image's colours are plain ints.
    shades: list[tuple[int, int]] = crop.getcolors(maxcolors=256) or []  # type: ignore[assignment]
    if not shades:
        return 0.0
    background = max(shades)[1]
    return sum(n for n, shade in shades if abs(shade - background) > 40) / total
