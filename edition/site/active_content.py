"""No script runs from what a contributor wrote: the built pages hold only the theme's and the edition's scripts.

The checks refuse raw HTML where contributors write (annotations, data, article pages); this is the
backstop over every built HTML and SVG file, whatever it came from (a page outside the article, a
string in mkdocs.yml the theme prints, a file copied from docs/): no event-handler attribute, no
``javascript:``, ``vbscript:`` or ``data:`` address in a link or a source, no ``<meta http-equiv>`` or
``<base>`` (neither runs script, but each sends the reader or the page's links elsewhere), no ``<script>`` without
``src`` but the theme's JSON configuration, the theme's own three inline scripts, known by their
digest (a Material upgrade that changes one stops the build, to be reviewed and recorded here), and the
edition's two, known by their text: one hands the theme its language roots (edition/site/theme_markup.py), one
turns transitions off as the body begins, as the theme's palette does while it sets the colours
(edition/site/page_scripts.py).
"""

from __future__ import annotations

import hashlib
import re
from html.parser import HTMLParser

from edition.escape import url_scheme
from edition.problems import Problem
from edition.site.page_scripts import SWITCHING_SCRIPT, THEME_BUNDLE_ADDRESS
from edition.site.theme_markup import LANGUAGE_ROOTS_SCRIPT

URL_ATTRIBUTES = frozenset({"href", "src", "action", "formaction", "xlink:href", "poster", "data", "background"})
UNSAFE_SCHEMES = frozenset({"javascript", "vbscript", "data"})
INERT_SCRIPT_TYPES = frozenset({"application/json", "application/ld+json"})
# The theme's bundle held until the text is on screen (edition/site/page_scripts.py): once in a page, empty, with
# nothing but the bundle's address, which javascripts/theme-on-demand.js starts.
HELD_THEME_TYPE = "text/edition-theme"
_HELD_ADDRESS = re.compile(THEME_BUNDLE_ADDRESS)
HELD_WRONG = (
    "<script type=\"text/edition-theme\"> that is not the build's own hold of the theme's bundle (one per page, "
    "empty, data-src the bundle's address and nothing else); remove it"
)
# Material for MkDocs 9.8.2's inline scripts (base.html), SHA-256 of the text with the page's relative
# path in new URL("..",location) left out (on the 404 page, the site's path): storage scope, colour palette, tab
# from the address.
THEME_SCRIPTS = frozenset(
    {
        "7eb3684fdacd2881f67b9428983273a29d8774d8bc82622af9b65a8ec1032a90",
        "0eb10c249dbdb0beef225a10ce5cbe55418cc4a7014cc208f8e7d6ed8f00906e",
        "ffcc0f7735fdab434d257c80e65cec2e88d716991e69757185b7e450e41a5b2f",
    }
)
UNKNOWN_SCRIPT = (
    "<script> with code in the page that is none of the theme's: pages carry no script of their own; remove it "
    "(after a theme upgrade, review the theme's script and record it in edition/site/active_content.py)"
)
# The 404 page, which may be served at any depth, names the site's path from site_url instead ("/edition/"): a
# path of URL characters, no quote or backslash, so the literal cannot end early.
_SCOPE = re.compile(r'new URL\("(?:[./]*|/[A-Za-z0-9._~%!$&\'()*+,;=:@/-]*)",location\)')


def _inline_media(tag: str, name: str, value: str) -> bool:
    """A data: image or media source: shown, never run (a browser runs no script of an image)."""
    return tag in {"img", "source", "video", "audio"} and name in {"src", "poster"} and url_scheme(value) == "data"


def theme_script(code: str) -> bool:
    """Whether inline script ``code`` is one of the theme's own (THEME_SCRIPTS) or the edition's."""
    if code in (LANGUAGE_ROOTS_SCRIPT, SWITCHING_SCRIPT):
        return True
    canonical = _SCOPE.sub('new URL("",location)', code)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest() in THEME_SCRIPTS


class _ActiveContent(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[int, str]] = []
        # (line, text, held) of a script being read: inline code, or the theme's held bundle, which holds none.
        self.script: tuple[int, list[str], bool] | None = None
        self.helds = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        line = self.getpos()[0]
        values = {name: value or "" for name, value in attrs}
        for name, value in values.items():
            if name.startswith("on"):
                self.found.append((line, f"<{tag} {name}=…>: an event handler runs script; remove it"))
            elif name in URL_ATTRIBUTES and url_scheme(value) in UNSAFE_SCHEMES and not _inline_media(tag, name, value):
                message = f'<{tag} {name}="{url_scheme(value)}:…">: an address that runs or embeds code'
                self.found.append((line, message + "; link to an http(s) page instead"))
        if tag == "meta" and "http-equiv" in values:
            self.found.append((line, "<meta http-equiv=…>: it can send the reader elsewhere (refresh); remove it"))
        elif tag == "base":
            self.found.append((line, "<base>: it sends every relative link of the page elsewhere; remove it"))
        kind = values.get("type", "").lower()
        if tag == "script" and kind == HELD_THEME_TYPE:
            self.helds += 1
            address = values.get("data-src", "")
            if self.helds > 1 or set(values) != {"type", "data-src"} or not _HELD_ADDRESS.fullmatch(address):
                self.found.append((line, HELD_WRONG))
            self.script = (line, [], True)
        elif tag == "script" and not values.get("src") and kind not in INERT_SCRIPT_TYPES:
            self.script = (line, [], False)

    def handle_data(self, data: str) -> None:
        if self.script is not None:
            self.script[1].append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "script" and self.script is not None:
            line, parts, held = self.script
            self.script = None
            code = "".join(parts)
            if held and code:
                self.found.append((line, HELD_WRONG))
            elif not held and not theme_script(code):
                self.found.append((line, UNKNOWN_SCRIPT))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)


def active_content_problems(name: str, text: str) -> list[Problem]:
    """Every event handler, code address and inline script in one built HTML or SVG file, at its line."""
    parser = _ActiveContent()
    parser.feed(text)
    parser.close()
    if parser.script is not None:  # a script never closed: the browser runs it to the end of the page
        parser.found.append((parser.script[0], "<script> never closed; remove it"))
    return [Problem(name, line, None, message) for line, message in parser.found]
