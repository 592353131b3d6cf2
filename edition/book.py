"""The whole book's inputs, loaded and checked together: what ``make check`` and the hooks share."""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from edition.bib import Bibliography, load_bibliography
from edition.chapters import ARTICLE_PAGES, CHAPTER_LABELS, compare_with_source, page_blocks
from edition.citations import CitationIndex, find_citation_blocks, unknown_key_problems, unused_entry_problems
from edition.consistency import consistency_problems, entry_date
from edition.dates import DateError, reference_date
from edition.emendations import EmendationList, apply_emendations, load_emendations
from edition.annotations import book_problems as annotation_problems, citing_pages
from edition.markers import marker_problems
from edition.paragraphs import paragraph_problems
from edition.problems import EditionError, Problem, read_text
from edition.reference_data import load_reference_data
from edition.source import Block, parse_article

SOURCE = Path("source/article.md")
EMENDATIONS = Path("source/emendations.yml")
BIBLIOGRAPHY = Path("refs.bib")
DOCS = Path("docs")


@dataclass
class Source:
    emendations: EmendationList
    blocks: list[Block]


def load_source(root: Path) -> Source:
    """The conversion with every emendation applied and page breaks rejoined (once per version of both files)."""
    stamps = tuple((p.stat().st_mtime_ns, p.stat().st_size) if p.exists() else None
                   for p in (root / SOURCE, root / EMENDATIONS))
    return _load_source(root.resolve(), stamps)


@functools.lru_cache(maxsize=4)
def _load_source(root: Path, stamps: tuple) -> Source:
    emendations = load_emendations(root / EMENDATIONS, EMENDATIONS.as_posix())
    text, problems = apply_emendations(read_text(root / SOURCE, SOURCE.as_posix()), emendations)
    blocks, more = parse_article(text, [(j.end, j.start) for j in emendations.joins], SOURCE.as_posix())
    if problems or more:
        raise EditionError(problems + more)
    return Source(emendations, blocks)


def concordance(blocks: list[Block]) -> list[dict[str, object]]:
    """Each note's number in the conversion (per printed page) beside its number in the edition (per chapter)."""
    rows, chapter, number = [], 0, 0
    for block in blocks:
        if block.kind == "heading" and block.level == 2:
            chapter, number = chapter + 1, 0
        for printed, line, text in zip(block.note_numbers, block.note_lines, block.notes):
            if printed == "*":
                edition = f"{CHAPTER_LABELS[chapter]}标题注 *"
            else:
                number += 1
                edition = f"{CHAPTER_LABELS[chapter]}注{number}"
            rows.append({"edition": edition, "printed": printed, "line": line, "start": text[:18]})
    return rows


def reading_order(in_nav: list, documentation_pages: Iterable) -> list[tuple[str, str]]:
    """(src_uri, Markdown) of every page: the nav's order, then pages outside the nav.

    Takes MkDocs' File objects (anything with ``src_uri`` and ``content_string``), so the
    hooks that need the book in reading order share one definition of it.
    """
    rest = [f for f in documentation_pages if f not in in_nav]
    return [(f.src_uri, f.content_string) for f in list(in_nav) + rest]


def article_pages(root: Path) -> list[tuple[str, str]]:
    return [(name, read_text(root / DOCS / name, f"docs/{name}")) for name in ARTICLE_PAGES]


def other_pages(root: Path) -> list[tuple[str, str]]:
    """The book's pages beyond the article (glossary, references, …), as the build reads them."""
    names = (path.relative_to(root / DOCS).as_posix() for path in sorted((root / DOCS).rglob("*.md")))
    return [(name, read_text(root / DOCS / name, f"docs/{name}")) for name in names if name not in ARTICLE_PAGES]


def fidelity_problems(source: Source, pages: list[tuple[str, str]], bib: Bibliography,
                      index: CitationIndex) -> list[Problem]:
    edition = [block for name, text in pages for block in page_blocks(name, text, bib, index)]
    return compare_with_source(source.blocks, edition)


def urls_and_dates_problems(bib: Bibliography, pages: list[tuple[str, str]], source: Source | None,
                            index: CitationIndex, reference: dt.date | None = None) -> list[Problem]:
    """Every cited URL and date against the others (edition.consistency), the article's notes included."""
    try:
        reference = reference or reference_date()
    except DateError as error:
        return [Problem("environment", None, "SOURCE_DATE_EPOCH", str(error))]
    edition = None
    article = pages[: len(ARTICLE_PAGES)]
    cited = {ref.key for _, text in article for block in find_citation_blocks(text) for ref in block.refs}
    # Notes render only from known keys with ISO dates; otherwise rules 2 and 6 have said what is wrong.
    if source is not None and all(key in bib and entry_date(bib[key]) for key in cited):
        edition = [block for name, text in article for block in page_blocks(name, text, bib, index)]
    return consistency_problems(bib, pages, reference=reference, source=source.blocks if source else None,
                                edition=edition)


def check(root: Path, extra_pages: list[tuple[str, str]] | None = None, *,
          reference: dt.date | None = None) -> list[Problem]:
    """Every offline check of the book, no page rendered, no network."""
    problems: list[Problem] = []
    try:
        bib = load_bibliography(root / BIBLIOGRAPHY, shown=BIBLIOGRAPHY.as_posix())
    except EditionError as error:
        return error.problems
    try:
        source = load_source(root)
    except EditionError as error:
        problems += error.problems
        source = None
    try:
        pages = article_pages(root) + (extra_pages or [])
    except EditionError as error:
        return problems + error.problems
    index = CitationIndex.build(pages)
    for name, text in pages:
        problems += marker_problems(text, page=f"docs/{name}")
        problems += unknown_key_problems(find_citation_blocks(text), bib, f"docs/{name}")
    problems += unused_entry_problems(bib, CitationIndex.build(pages + citing_pages(root)))
    problems += paragraph_problems(pages)
    problems += annotation_problems(root, pages, bib)
    problems += load_reference_data(root, pages, bib)[1]
    if source is not None and not problems:
        problems += fidelity_problems(source, pages[: len(ARTICLE_PAGES)], bib, index)
    problems += urls_and_dates_problems(bib, pages, source, index, reference)
    return problems
