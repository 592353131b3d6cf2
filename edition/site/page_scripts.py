"""Each page loads only the edition's scripts that have something to act on in it.

mkdocs.yml lists the scripts once for every page (extra_javascript). Five of them act only on what the
article's pages hold: paragraph numbers and ids, the reading-view switch, glossary terms in the text; one
only on the glossary's and the timeline's filters. On a page without any of that they find nothing and
stop, yet a first visit would still fetch them: about 10 KiB gzip on the glossary, which put it over the
100 KiB a first visit may weigh (issue 16). A script is left
out of a page only when the page has none of the markup it looks for (the same selectors as in the
script), so no page loses a behaviour it had.
"""

from __future__ import annotations

import re
from types import MappingProxyType

# Script file → the markup it acts on, as it stands in the built page (the selectors its code starts from).
PAGE_SCRIPTS = MappingProxyType(
    {
        # The ¶ numbers' copy, and the copy function that reader.js's copy buttons ("Cite this") call.
        "paragraphs.js": re.compile(r'class="(?:[^"]* )?edition-(?:para-number|copy)[" ]'),
        # Ranges of paragraphs and "Annotate": paragraphs with an id such as p2-4 (".md-content p[id]").
        "ranges.js": re.compile(r'<p\b[^>]*\bid="p\d+-\d+"'),
        "contribute.js": re.compile(r'<p\b[^>]*\bid="p\d+-\d+"'),
        # The remembered reading view: the switch's radio buttons (input[name="edition-view"]).
        "views.js": re.compile(r'name="edition-view"'),
        # A first tap on a term shows its gloss (a.edition-term).
        "glossary-tap.js": re.compile(r'class="(?:[^"]* )?edition-term[" ]'),
        # The glossary's search box and the timeline's categories (.edition-glossary, .edition-timeline).
        "reference-filters.js": re.compile(r'class="(?:[^"]* )?edition-(?:glossary|timeline)[" ]'),
    }
)
_SCRIPT = re.compile(r'[ \t]*<script src="(?:\.\./)*javascripts/(?P<name>[a-z-]+\.js)" defer></script>\n?')


def without_idle_scripts(page_html: str) -> str:
    """The page without the script elements of PAGE_SCRIPTS whose markup the page does not hold."""

    def kept(found: re.Match[str]) -> str:
        marker = PAGE_SCRIPTS.get(found["name"])
        return "" if marker is not None and marker.search(page_html) is None else found.group(0)

    return _SCRIPT.sub(kept, page_html)
