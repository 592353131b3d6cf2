"""Each page loads only the edition's scripts that have something to act on in it.

mkdocs.yml lists the scripts once for every page (extra_javascript). Five of them act only on what the
article's pages hold: paragraph numbers and ids, the reading-view switch, glossary terms in the text; one
one only on the glossary's filter, one only on the timeline's; reader.js only on the cite box and the annotations.
On a page without any of that they find nothing and
stop, yet a first visit would still fetch them: about 10 KiB gzip on the glossary, which put it over the
100 KiB a first visit may weigh (issue 16). A script is left
out of a page only when the page lacks markup it needs (the same selectors as in the script), so no page
loses a behaviour it had: "Annotate" (contribute.js) needs the article's paragraphs and the repository the
site names (``<meta name="edition-repository">``, only when repo_url is set), and stops at once without it.
"""

from __future__ import annotations

import re
from contextlib import suppress
from types import MappingProxyType

from edition.site.html_offsets import OffsetParser

# Paragraphs with an id such as p2-4 (".md-content p[id]").
_PARAGRAPHS = re.compile(r'<p\b[^>]*\bid="p\d+-\d+"')
# Script file → the markup it needs, all of it, as it stands in the built page (the selectors its code starts from).
PAGE_SCRIPTS = MappingProxyType(
    {
        # The ¶ numbers' copy, and the copy function that reader.js's copy buttons ("Cite this") call.
        "paragraphs.js": (re.compile(r'class="(?:[^"]* )?edition-(?:para-number|copy)[" ]'),),
        # Ranges of paragraphs.
        "ranges.js": (_PARAGRAPHS,),
        # "Annotate" and "Report an error": paragraphs, and the repository they lead to.
        "contribute.js": (_PARAGRAPHS, re.compile(r'<meta name="edition-repository" content="[^"]')),
        # The remembered reading view: the switch's radio buttons (input[name="edition-view"]).
        "views.js": (re.compile(r'name="edition-view"'),),
        # A first tap on a term shows its gloss (a.edition-term).
        "glossary-tap.js": (re.compile(r'class="(?:[^"]* )?edition-term[" ]'),),
        # The cite box's address and copy buttons, a link opening its annotation, the annotations' filters
        # (.edition-cite-text, button.edition-copy, aside.edition-annotation, [data-edition-filter]).
        "reader.js": (
            re.compile(
                r'class="(?:[^"]* )?edition-(?:cite-text|copy)[" ]'
                r'|<aside\s[^>]*\bclass="(?:[^"]* )?edition-annotation[" ]|data-edition-filter(?![\w-])'
            ),
        ),
        # The glossary's search box (.edition-glossary), the timeline's categories (.edition-timeline).
        "glossary-filter.js": (re.compile(r'class="(?:[^"]* )?edition-glossary[" ]'),),
        "timeline-filter.js": (re.compile(r'class="(?:[^"]* )?edition-timeline[" ]'),),
    }
)
# An element of extra_javascript as the theme writes it (page_styles.py reads the same elements). Patterns here start
# with a literal, which the regex engine looks for quickly; a leading \b or [ \t]* had each search try every
# position of the page, a tenth of a rebuild over all pages.
SCRIPT_ELEMENT = re.compile(r'<script src="(?:\.\./)*javascripts/(?P<name>[a-z-]+\.js)" defer></script>')
# The same element with its line, as it is taken out (the theme writes one to a line; one that is not stays).
_SCRIPT_LINE = re.compile(r"\n[ \t]*" + SCRIPT_ELEMENT.pattern)


def without_idle_scripts(page_html: str) -> str:
    """The page without the script elements of PAGE_SCRIPTS whose markup the page does not hold."""

    def kept(found: re.Match[str]) -> str:
        needs = PAGE_SCRIPTS.get(found["name"], ())
        return "" if any(need.search(page_html) is None for need in needs) else found.group(0)

    return _SCRIPT_LINE.sub(kept, page_html)


# The theme's bundle as its base.html writes it, and the same bundle held: javascripts/theme-on-demand.js starts it
# once the text is on screen. Its address is relative, or from the site's root on the 404 page (served at any
# depth); never another host's. A script of a type no browser runs is a data block, which may not have a src: the
# address is kept in data-src.
THEME_BUNDLE_ADDRESS = r"(?:(?:\.\./)*|/(?:[\w.~%-]+/)*)assets/javascripts/bundle\.[0-9a-f]+\.min\.js"
_THEME_BUNDLE = re.compile(r'<script src="(?P<src>' + THEME_BUNDLE_ADDRESS + r')"></script>')
HELD_THEME_BUNDLE = '<script type="text/edition-theme" data-src="{src}"></script>'


# The theme's palette turns transitions off while it sets the colours (data-md-color-switching on the body, which
# its stylesheet reads as `[data-md-color-switching] *`) and back on in a later task. Setting the attribute makes
# the browser re-style the whole page; it costs nothing when the body already holds it. So a script of the
# edition's own sets it as the body begins, before any of the body is styled, wherever the palette will take it
# away: until the theme starts, transitions are off, as they are while it sets the colours. A script, not the
# attribute in the tag: without JavaScript nothing would ever take it away, and the theme's transitions that work
# without script (the drawer's slide) would be lost.
SWITCHING_SCRIPT = 'document.body.setAttribute("data-md-color-switching","")'
_PALETTE = '<form class="md-header__option" data-md-component="palette">'
_PALETTE_BODY = re.compile(r'<body dir="(?:ltr|rtl)" data-md-color-scheme="[^"<>]*"(?: [\w-]+="[^"<>]*")*>')


class _BodyFound(Exception):
    pass


class _BodyTag(OffsetParser):
    """Where the body's start tag stands, read as a browser reads the head: a page's front matter puts its title
    and description there unescaped, and a `<body …>` in the title's text or in an attribute is no tag."""

    def __init__(self, text: str) -> None:
        super().__init__(text)
        self.start: int | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "title":
            self.set_cdata_mode(tag)  # its text up to </title> (Python's parser reads tags in it otherwise)
        elif tag == "body":
            self.start = self.position()
            raise _BodyFound  # the rest of the page is not needed


def _body_start(page_html: str) -> int | None:
    reader = _BodyTag(page_html)
    with suppress(_BodyFound):
        reader.feed(page_html)
    return reader.start


def with_the_theme_held(page_html: str) -> str:
    """The page with the theme's bundle held for theme-on-demand.js instead of run where it stands, and its body
    put, as it begins, as the theme's palette leaves it while it sets the colours."""
    held = _THEME_BUNDLE.sub(lambda found: HELD_THEME_BUNDLE.format(src=found["src"]), page_html, count=1)
    # The theme writes its palette in the header, after the body's tag: only the text before it is read.
    palette = held.find(_PALETTE)
    start = None if palette == -1 else _body_start(held[:palette])
    body = None if start is None else _PALETTE_BODY.match(held, start)
    if body is None:
        return held
    return held[: body.end()] + f"<script>{SWITCHING_SCRIPT}</script>" + held[body.end() :]
