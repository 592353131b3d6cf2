"""Search results that land: each paragraph, glossary entry and timeline event its own entry of the search index.

Material's search plugin divides a page into sections at its headings and indexes each
section as one document, so a hit in a chapter's paragraph linked to the top of the chapter,
and a hit in the glossary or the timeline to a category heading of a very long page. Here the
plugin's own parser divides the page at the elements whose id is an anchor of the book as
well (``search_anchors``): each becomes a document located at ``page/#anchor`` with a title a
reader understands (第一章第2段, 拜登 · Joe Biden, 2025年4月 …; on the English site Chapter 1, paragraph 2,
Joe Biden · 拜登, April 2025 …). Everything else is Material's:
what is kept or skipped (``data-search-exclude``), the escaping of text and titles, and the
Chinese segmentation, applied when the plugin makes each document.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from material.plugins.search.plugin import Parser, void

from edition.paths import ARTICLE_PAGES, GLOSSARY_PAGE, TIMELINE_PAGE
from edition.problems import EditionError, Problem
from edition.reference.glossary import Entry
from edition.reference.timeline import Event, span_label, span_label_en
from edition.text.paragraphs import Paragraph, paragraph_place, paragraph_place_en

# The heading an anchor's document starts with, for the parser alone (never in a page). Material's parser
# recognises h1–h6 and tells elements apart by their tag only, so it is one the pages do not use.
ANCHOR_HEADING = "h6"
# What the anchor's element is wrapped in, for the parser alone: when it closes, the parser returns to the
# section the element was in, so what follows the element (a note, the next heading's text) stays there.
ANCHOR_WRAPPER = "div"
PAIR = "edition-pair"  # a paragraph and its English side by side (edition/site/translation_views.py)


def search_anchors(
    paragraphs: Iterable[Paragraph], glossary: Iterable[Entry], timeline: Iterable[Event], language: str = "zh"
) -> dict[str, dict[str, str]]:
    """For each page (as docs/ names it), its anchors and the title each one's search result shows, in the site's
    ``language``: the English site's results are titled in English (a glossary entry keeps its Chinese after it)."""
    english = language == "en"
    place = paragraph_place_en if english else paragraph_place
    anchors: dict[str, dict[str, str]] = {}
    for paragraph in paragraphs:
        if paragraph.page in ARTICLE_PAGES:
            anchors.setdefault(paragraph.page, {})[paragraph.id] = place(paragraph.id) or paragraph.id
    anchors[GLOSSARY_PAGE] = {e.id: f"{e.en} · {e.zh}" if english else f"{e.zh} · {e.en}" for e in glossary}
    anchors[TIMELINE_PAGE] = {
        e.id: f"{span_label_en(e.span)} {e.title_en}" if english else f"{span_label(e.span)} {e.title_zh}"
        for e in timeline
    }
    return anchors


class AnchoredParser(Parser):
    """Material's search parser, which also starts a section at each element whose id is one of ``anchors``, or
    at the pair (``<div class="edition-pair">``, edition/site/translation_views.py) whose first child it is, so
    that a match in either language leads to the paragraph.

    The section is opened as Material opens one at a heading, with an invisible wrapper and a heading
    holding the anchor's title, so that Material's own code keeps, skips and escapes the element's content.
    One pass: a pair's start tag is held back until the next start tag shows whether the pair holds an anchor
    (a second pass over every page to find out first was a tenth of a build); white space after it is held with
    it, since markup laid out on lines puts a line break between the pair and its paragraph.
    """

    def __init__(self, anchors: Mapping[str, str]) -> None:
        super().__init__()
        self.anchors = anchors
        self.found: list[str] = []
        self.open_anchors: list[int] = []  # the depth of each anchored element now open, innermost last
        self.held: tuple[str, list[tuple[str, str | None]]] | None = None  # a pair's start tag, not yet passed on
        self.held_space: list[str] = []  # white space that came after the held start tag

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        held, self.held = self.held, None
        ident = self._anchor(tag, attrs)
        if held is not None and ident is not None:
            self._open_section(ident, *held)  # the pair starts the paragraph's section
            self._pass_space()
            super().handle_starttag(tag, attrs)
            return
        if held is not None:
            self._start(*held)
            self._pass_space()
        if tag == "div" and PAIR in (dict(attrs).get("class") or "").split() and ident is None:
            self.held = (tag, attrs)
            return
        self._start(tag, attrs)

    def _anchor(self, tag: str, attrs: list[tuple[str, str | None]]) -> str | None:
        """The anchor that ``tag`` starts a section for, if any."""
        ident = dict(attrs).get("id")
        if ident is None or ident not in self.anchors or tag in void or self.skip.intersection(self.context):
            return None
        return ident

    def _start(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        ident = self._anchor(tag, attrs)
        if ident is None:
            super().handle_starttag(tag, attrs)
        else:
            self._open_section(ident, tag, attrs)

    def _open_section(self, ident: str, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.found.append(ident)
        super().handle_starttag(ANCHOR_WRAPPER, [])
        super().handle_starttag(ANCHOR_HEADING, [("id", ident)])
        super().handle_data(self.anchors[ident])
        super().handle_endtag(ANCHOR_HEADING)
        super().handle_starttag(tag, attrs)
        self.open_anchors.append(len(self.context))

    def _release(self) -> None:
        """Pass on a held pair's start tag: what follows it is no anchored element."""
        if self.held is not None:
            held, self.held = self.held, None
            self._start(*held)
            self._pass_space()

    def _pass_space(self) -> None:
        for space in self.held_space:
            super().handle_data(space)
        self.held_space = []

    def handle_data(self, data: str) -> None:
        if self.held is not None and not data.strip():
            self.held_space.append(data)
            return
        self._release()
        super().handle_data(data)

    def handle_endtag(self, tag: str) -> None:
        self._release()
        closes_anchor = bool(self.open_anchors) and self.open_anchors[-1] == len(self.context)
        closes_anchor = closes_anchor and self.context[-1] == tag
        super().handle_endtag(tag)
        if closes_anchor:
            self.open_anchors.pop()
            super().handle_endtag(ANCHOR_WRAPPER)

    def close(self) -> None:
        super().close()
        self._release()


def anchored_sections(html: str, anchors: Mapping[str, str], *, shown: str) -> list[Any]:
    """Material's sections of a page's HTML, divided at ``anchors`` too; EditionError when an anchor is not
    in the page exactly once (a search result would lead nowhere, or to the wrong place)."""
    parser = AnchoredParser(anchors)
    parser.feed(html)
    parser.close()
    problems = [
        Problem(
            shown,
            None,
            ident,
            (
                f"{parser.found.count(ident)} elements of the built page (outside data-search-exclude) have this "
                "id, not one, so its search result would lead nowhere or to the wrong place; give the id to one "
                "element of the page only, the one the paragraph, entry or event is rendered in"
            ),
        )
        for ident in anchors
        if parser.found.count(ident) != 1
    ]
    if problems:
        raise EditionError(problems)
    return list(parser.data)
