"""The glossary and the timeline loaded together with the article's blocks (paragraphs, abstract …) they point into."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from edition.paths import ARTICLE_PAGES, GLOSSARY, TIMELINE
from edition.problems import EditionError, Problem, attempt
from edition.reference import glossary, timeline
from edition.reference.glossary import (
    Glossary,
    glossary_problems,
    load_glossary,
    occurrence_exclusion_problems,
    usage,
)
from edition.reference.timeline import Timeline, load_timeline, resolve_mentions
from edition.sources.bib import Bibliography
from edition.sources.citations import CitationIndex, find_citation_blocks
from edition.text.chapters import PageBlock, page_blocks
from edition.text.paragraphs import paragraph_place

FRONT_MATTER_LABELS = {"abstract": "提要", "keywords": "关键词", "author": "作者", "author-note": "作者简介"}


@dataclass
class ReferenceData:
    glossary: Glossary
    timeline: Timeline
    blocks: list[PageBlock]  # the article's blocks with an id, in reading order
    used_in: dict[str, list[tuple[str, str]]] = field(default_factory=dict)
    mentioned_in: dict[str, list[tuple[str, str]]] = field(default_factory=dict)


def article_blocks(pages: list[tuple[str, str]], bib: Bibliography, index: CitationIndex) -> list[PageBlock]:
    """The article's blocks with an id (paragraphs and the front page's abstract, keywords …) in reading order,
    text as the reader reads it, notes rendered."""
    return [
        b
        for name, text in pages
        if name in ARTICLE_PAGES
        for b in page_blocks(name, text, bib, index)
        if b.kind == "paragraph" and b.id
    ]


def paragraph_label(page: str, ident: str) -> str:
    """第二章第4段 for p2-4; 首页·提要 for the abstract."""
    return paragraph_place(ident) or f"首页·{FRONT_MATTER_LABELS.get(ident, ident)}"


def load_reference_data(
    root: Path, pages: list[tuple[str, str]], bib: Bibliography, *, today: dt.date
) -> ReferenceData:
    """Both data files, checked against the article, refs.bib and the build date; EditionError with every problem.

    The checks against the article need every key the article cites to be in refs.bib: while one is not (the
    citation checks name it), only the data files' own problems are raised.
    """
    article = [(name, text) for name, text in pages if name in ARTICLE_PAGES]
    problems: list[Problem] = []
    glossary = attempt(problems, load_glossary, root / GLOSSARY, GLOSSARY.as_posix())
    timeline = attempt(problems, load_timeline, root / TIMELINE, TIMELINE.as_posix(), today=today)
    cited_keys_known = all(
        ref.key in bib for _, text in article for block in find_citation_blocks(text) for ref in block.refs
    )
    if glossary is None or timeline is None or not cited_keys_known:
        raise EditionError(problems)
    blocks = article_blocks(article, bib, CitationIndex.build(article))
    problems += glossary_problems(glossary, [t for b in blocks for t in (b.text, *b.notes)], bib)
    problems += occurrence_exclusion_problems(glossary, ((b.id, [b.text, *b.notes]) for b in blocks))
    mentioned_in, more = resolve_mentions(timeline, blocks, bib)
    problems += more
    if problems:
        raise EditionError(problems)
    used_in = usage(glossary, ((b.page, b.id, [b.text, *b.notes]) for b in blocks))
    return ReferenceData(glossary, timeline, blocks, used_in, mentioned_in)


def exports(data: ReferenceData, page_url: Callable[[str], str], stamp: dt.datetime) -> dict[str, bytes]:
    """The downloads for teachers: glossary.csv/.json, timeline.json/.ics; ``page_url`` gives a page's site URL."""

    def url(page: str, ident: str) -> str:
        return f"{page_url(page)}#{ident}"

    glossary_rows = glossary.export_rows(data.glossary, data.used_in, url)
    timeline_rows = timeline.export_rows(data.timeline, data.mentioned_in, url)
    return {
        "glossary.csv": glossary.to_csv(glossary_rows),
        "glossary.json": glossary.to_json(glossary_rows).encode("utf-8"),
        "timeline.json": timeline.to_json(timeline_rows).encode("utf-8"),
        "timeline.ics": timeline.to_ics(data.timeline, data.mentioned_in, url, stamp),
    }
