"""Where a page opts in to generated content: a line ``<!-- edition:NAME -->`` in its Markdown.

Kept apart from the renderers (edition.site.generated_pages), so that ``make check`` finds a mistyped
marker without loading the templates.
"""

from __future__ import annotations

import re

from edition.problems import LineIndex, Problem

MARKER = re.compile(r"<!--\s*edition:(?P<name>[\w-]+)\s*-->")
# One renderer each in edition.site.generated_pages.RENDERERS, which checks that the two lists agree.
NAMES = ("references", "emendations", "glossary", "timeline", "annotations", "cite-this")
# A page holding one of these is written from data: "edit this page" would edit only its introduction.
DATA_MARKERS = frozenset(NAMES) - {"cite-this"}


def generated_from_data(markdown: str) -> bool:
    return any(match.group("name") in DATA_MARKERS for match in MARKER.finditer(markdown))


def marker_problems(markdown: str, *, page: str) -> list[Problem]:
    """Markers no renderer knows, at their line in the page's Markdown: a typo stops the build."""
    unknown = [match for match in MARKER.finditer(markdown) if match.group("name") not in NAMES]
    lines = LineIndex(markdown) if unknown else None
    return [
        Problem(
            page,
            lines.line(match.start()) if lines else None,
            match.group("name"),
            f"unknown page marker; known markers: {', '.join(sorted(NAMES))}",
        )
        for match in unknown
    ]
