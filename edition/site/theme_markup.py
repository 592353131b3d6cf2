"""Repairs to markup that the theme (Material for MkDocs) writes outside any template block.

The Nu Html Checker rejects ``autocomplete`` on the theme's hidden checkbox toggles
(the attribute is not allowed on checkboxes), and axe requires the search dialog to
have an accessible name. The head's language links (``hreflang``) lead to each language's
front page by a relative address, where search engines want this same page by its full
address. All sit in the theme's base template, outside any block an override could
replace, so the built page is repaired instead of copying the theme's template. The
validators in the tests notice if a theme upgrade changes this markup.

The theme's script reads the same links for another purpose: it fetches ``sitemap.xml`` beside each link's
address, to lead a click on a language to the same page. Given the full addresses it would ask the canonical
host from a page served anywhere else (a mirror, a local preview of a deploy build, the tests' server), and ask
for a sitemap beside every page, which is none. So each link also names its language's root relative to the
page (``data-edition-root``), and a one-line script right after the links hands the theme that root, resolved
against the address the page is served from: the theme's fetches stay on the page's own origin and find the
language's sitemap, as with the theme's own relative links, while the document, which crawlers and validators
read, keeps the full addresses.
"""

from __future__ import annotations

import html
import posixpath
import re
from collections.abc import Mapping, Sequence
from urllib.parse import urljoin

from edition.escape import html_attribute

_CHECKBOX = re.compile(r"<input\b[^>]*\btype=\"checkbox\"[^>]*>")
_AUTOCOMPLETE = re.compile(r"\s+autocomplete=\"[^\"]*\"")
_SEARCH_DIALOG = re.compile(
    r"(<div\b(?=[^>]*\bdata-md-component=\"search\")(?=[^>]*\brole=\"dialog\")"
    r"(?![^>]*\baria-label)[^>]*)>"
)


def repair_theme_markup(page_html: str, *, search_label: str) -> str:
    page_html = _CHECKBOX.sub(lambda m: _AUTOCOMPLETE.sub("", m.group(0)), page_html)
    return _SEARCH_DIALOG.sub(lambda m: f'{m.group(1)} aria-label="{html.escape(search_label)}">', page_html, count=1)


# The theme's <link rel="alternate" hreflang> for each language of extra.alternate, in its head.
_LANGUAGE_LINK = re.compile(r'<link rel="alternate" href="[^"<>]*" hreflang="[^"<>]*">[ \t]*\n?')
# Runs where it stands, before the theme's deferred bundle reads the links: the link's href property (the one
# the theme reads) becomes the language's root on the page's own origin; its attribute stays the full address.
# Its text is fixed (edition/site/active_content.py allows it by its digest, as the theme's own scripts).
LANGUAGE_ROOTS_SCRIPT = (
    'document.querySelectorAll("link[data-edition-root]").forEach(function(l){'
    'Object.defineProperty(l,"href",{value:new URL(l.dataset.editionRoot,location.href).href})})'
)


def language_root(page_url: str, link: str) -> str:
    """The root of the language site at ``link`` (mkdocs.yml's extra.alternate: ./, en/ or ../, from this site's
    root) relative to the page at ``page_url`` ('chapter-2/' and 'en/' → '../en/')."""
    joined = posixpath.normpath("../" * page_url.count("/") + link)
    return "./" if joined == "." else joined + "/"


def language_links(
    page_html: str, alternates: Sequence[Mapping[str, str]], *, site_url: str, page_url: str | None
) -> str:
    """The head's language links, each to this same page in its language by its full address (``site_url`` is
    this site's: the English site's ends in en/), where a search engine looks for them; none in a build without
    an address, or on a page with no counterpart (the 404 page), since a relative hreflang is no valid one."""
    links = ""
    if site_url and page_url is not None:
        links = "".join(
            f'<link rel="alternate" href="{html_attribute(urljoin(site_url, str(alt.get("link", ""))) + page_url)}" '
            f'hreflang="{html_attribute(alt.get("lang", ""))}" '
            f'data-edition-root="{html_attribute(language_root(page_url, str(alt.get("link", ""))))}">\n'
            for alt in alternates
            if alt.get("lang")
        )
    if links:
        links += f"<script>{LANGUAGE_ROOTS_SCRIPT}</script>\n"
    first = _LANGUAGE_LINK.search(page_html)
    if first is None:
        return page_html
    return page_html[: first.start()] + links + _LANGUAGE_LINK.sub("", page_html[first.end() :])
