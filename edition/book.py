"""The book: every input read, type-checked and validated once, into one immutable object.

``load_book`` is the one door. ``make check`` calls it and prints the problems; each build
calls it once (hooks/book.py) and every hook reads what it needs from the result, so no
input is parsed twice and no hook can see an input the checks have not passed. It raises
``EditionError`` carrying every problem found; it never returns a partly checked book.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any

from edition.dates import DateError, build_time, reference_date
from edition.paths import ARTICLE_PAGES, BIBLIOGRAPHY, CHAPTER_LABELS, DOCS, EMENDATIONS, SOURCE
from edition.problems import EditionError, Problem, attempt, read_text, symlink_problems
from edition.reference.annotations import Annotation, annotation_entries, annotation_problems, load_annotation
from edition.reference.article import load_article
from edition.reference.glossary_timeline import ReferenceData, load_reference_data
from edition.settings import Settings, address_problems, settings_file_problems, settings_from_file
from edition.sources.bib import Bibliography, load_bibliography
from edition.sources.citations import (
    CitationIndex,
    citation_syntax_problems,
    find_citation_blocks,
    unknown_key_problems,
    unused_entry_problems,
)
from edition.text.chapters import PageBlock, compare_with_source, page_blocks
from edition.text.citation_consistency import consistency_problems, entry_date
from edition.text.conversion import Block, parse_article
from edition.text.emendations import EmendationList, apply_emendations, load_emendations
from edition.text.front_matter import FrontMatter, front_matter
from edition.text.markers import marker_problems
from edition.text.page_meta import page_meta_problems
from edition.text.paragraphs import Paragraph, all_paragraphs, paragraph_problems
from edition.text.print_pages import PageStart, page_starts, paragraph_pages
from edition.translation.english import EnglishPage, load_translation, translation_problems

Page = tuple[str, str]  # (src_uri as MkDocs names it, e.g. "chapter-2.md"; its Markdown)


@dataclass(frozen=True)
class Source:
    emendations: EmendationList
    blocks: list[Block]


@dataclass(frozen=True)
class Book:
    """Every input of the edition, checked against the others. Made only by ``load_book``."""

    root: Path
    built: dt.datetime  # the build's time, for exports: SOURCE_DATE_EPOCH when set (reproducible), else now
    today: dt.date  # no dated record may come after it: SOURCE_DATE_EPOCH's day, else the local date
    settings: Settings
    bib: Bibliography
    source: Source
    pages: tuple[Page, ...]  # every page of docs/, in reading order: the nav's, then pages outside it
    index: CitationIndex
    paragraphs: tuple[Paragraph, ...]
    annotations: tuple[Annotation, ...]
    reference: ReferenceData  # glossary and timeline, with the paragraphs they point into
    article: Mapping[str, Any] = field(default_factory=lambda: MappingProxyType({}))  # data/article.yml
    # translation/en/ by the article page it translates; empty while the edition has no translation
    translation: Mapping[str, EnglishPage] = field(default_factory=lambda: MappingProxyType({}))
    # Where each printed page after the first begins (edition.text.print_pages), in reading order.
    print_pages: tuple[PageStart, ...] = ()
    # The printed pages each article paragraph runs over, (first, last), by its id.
    paragraph_pages: Mapping[str, tuple[int, int]] = field(default_factory=lambda: MappingProxyType({}))
    front: FrontMatter = field(default_factory=FrontMatter)  # the article's abstract and keywords, as printed

    @property
    def article_pages(self) -> tuple[Page, ...]:
        return tuple(page for page in self.pages if page[0] in ARTICLE_PAGES)

    def page(self, src_uri: str) -> str:
        return dict(self.pages)[src_uri]


# -- the build's time -----------------------------------------------------------------------------------------


def build_moment(environ: Mapping[str, str]) -> tuple[dt.datetime, dt.date]:
    """The build's time (for exports) and its "today" (which no dated record may come after), edition.dates."""
    try:
        return build_time(environ), reference_date(environ)
    except DateError as error:
        raise EditionError([Problem("environment", None, "SOURCE_DATE_EPOCH", str(error))]) from None


# -- pages ----------------------------------------------------------------------------------------------------


def reading_order(nav: Iterable[str], names: Iterable[str]) -> list[str]:
    """The nav's pages first, in its order, then the pages outside it, by name."""
    names = sorted(names)
    in_nav = [name for name in dict.fromkeys(nav) if name in names]
    return in_nav + [name for name in names if name not in in_nav]


def page_names(root: Path) -> list[str]:
    """Every Markdown page under docs/, as MkDocs names it."""
    return [path.relative_to(root / DOCS).as_posix() for path in (root / DOCS).rglob("*.md")]


def read_pages(root: Path, names: Iterable[str]) -> list[Page]:
    """(name, text) of each page in ``names``; EditionError naming every page that cannot be read or is missing."""
    pages, problems = [], []
    for name in names:
        try:
            pages.append((name, read_text(root / DOCS / name, f"docs/{name}")))
        except EditionError as error:
            problems += error.problems
    missing = [name for name in ARTICLE_PAGES if name not in dict(pages)]
    problems += [
        Problem(f"docs/{name}", None, None, "a page of the article is missing; restore it from git")
        for name in missing
        if not any(p.file == f"docs/{name}" for p in problems)
    ]
    if problems:
        raise EditionError(problems)
    return pages


# -- the source and its emendations ---------------------------------------------------------------------------


def load_source(root: Path) -> Source:
    """The conversion with every emendation applied and page breaks rejoined."""
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
        for printed, line, text in zip(block.note_numbers, block.note_lines, block.notes, strict=True):
            if printed == "*":
                edition = f"{CHAPTER_LABELS[chapter]}标题注 *"
            else:
                number += 1
                edition = f"{CHAPTER_LABELS[chapter]}注{number}"
            rows.append({"edition": edition, "printed": printed, "line": line, "start": text[:18]})
    return rows


# -- checks across inputs -------------------------------------------------------------------------------------


def article_blocks(pages: Iterable[Page], bib: Bibliography, index: CitationIndex) -> list[PageBlock]:
    """The article's headings and paragraphs in the edition's pages, in reading order, notes rendered."""
    return [block for name, text in pages for block in page_blocks(name, text, bib, index)]


def urls_and_dates_problems(
    bib: Bibliography,
    pages: list[Page],
    source: Source | None,
    index: CitationIndex,
    today: dt.date,
    rendered: list[PageBlock] | None = None,
) -> list[Problem]:
    """Every cited URL and date against the others (edition.text.citation_consistency), the article's notes included.

    ``rendered``: the article's blocks as article_blocks gave them for these pages and this index, when the caller
    has them already (they are the same blocks: rendering them again cost as much as all of rules 1–5)."""
    article = [page for page in pages if page[0] in ARTICLE_PAGES]
    cited = {ref.key for _, text in article for block in find_citation_blocks(text) for ref in block.refs}
    edition = None
    # Notes render only from known keys with ISO dates; otherwise rules 2 and 6 have said what is wrong.
    if source is not None and all(key in bib and entry_date(bib[key]) for key in cited):
        edition = rendered if rendered is not None else article_blocks(article, bib, index)
    return consistency_problems(bib, pages, reference=today, source=source.blocks if source else None, edition=edition)


def load_book(root: Path, settings: Settings | None = None, *, environ: Mapping[str, str] | None = None) -> Book:
    """Read and check every input of the book once; raise EditionError with every problem found."""
    root = Path(root).resolve()
    environ = os.environ if environ is None else environ
    settings = settings if settings is not None else settings_from_file(root, environ)
    # Links, pipes and runaway folders first: nothing is read or walked through one of them.
    problems: list[Problem] = symlink_problems(root)
    if problems:
        raise EditionError(problems)
    problems += settings_file_problems(root)
    problems += address_problems(settings)
    moment = attempt(problems, build_moment, environ)
    built, today = moment if moment is not None else (None, None)
    bib = attempt(problems, load_bibliography, root / BIBLIOGRAPHY, shown=BIBLIOGRAPHY.as_posix())
    source = attempt(problems, load_source, root)
    article = attempt(problems, load_article, root, today=today) if today else None
    pages = attempt(problems, read_pages, root, reading_order(settings.nav, page_names(root)))
    if bib is None or built is None or today is None or pages is None:
        raise EditionError(problems)  # the checks below all need the bibliography and every page

    index = CitationIndex.build(pages)
    annotations = [  # each file on its own: one bad annotation hides no other's problems
        annotation
        for path, shown, mode in attempt(problems, annotation_entries, root) or []
        if (annotation := attempt(problems, load_annotation, path, shown, mode, today=today)) is not None
    ]
    for name, text in pages:
        problems += page_meta_problems(text, f"docs/{name}")
        problems += marker_problems(text, page=f"docs/{name}")
        problems += citation_syntax_problems(text, f"docs/{name}")
        problems += unknown_key_problems(find_citation_blocks(text), bib, f"docs/{name}")
    # The pages' index, continued through the annotations: the pages are not read for citations a second time.
    problems += unused_entry_problems(bib, index.extended((a.path, a.body) for a in annotations))
    problems += paragraph_problems(pages)
    paragraphs = all_paragraphs(pages)
    problems += annotation_problems(annotations, paragraphs, bib)
    reference = attempt(problems, load_reference_data, root, pages, bib, today=today)
    article_pages = [page for page in pages if page[0] in ARTICLE_PAGES]
    print_pages: list[PageStart] = []
    pages_of: dict[str, tuple[int, int]] = {}
    edition: list[PageBlock] | None = None
    if source is not None and not problems:
        edition = article_blocks(article_pages, bib, index)
        problems += compare_with_source(source.blocks, edition)
        if not problems and article is not None:  # the blocks match one for one: each break has its block
            print_pages, more = page_starts(source.blocks, edition, article["first_page"], article["last_page"])
            problems += more
            pages_of = paragraph_pages(source.blocks, edition, article["first_page"])
    translation = attempt(problems, load_translation, root, [name for name, _ in article_pages])
    if translation is not None:
        problems += translation_problems(translation, article_pages, reference.glossary if reference else None, bib)
    problems += urls_and_dates_problems(bib, pages, source, index, today, edition)
    if problems or source is None or reference is None or article is None or translation is None:
        raise EditionError(problems)
    return Book(
        root=root,
        built=built,
        today=today,
        settings=settings,
        bib=bib,
        source=source,
        pages=tuple(pages),
        index=index,
        paragraphs=tuple(paragraphs),
        annotations=tuple(annotations),
        reference=reference,
        article=MappingProxyType(article),
        translation=MappingProxyType(translation),
        print_pages=tuple(print_pages),
        paragraph_pages=MappingProxyType(pages_of),
        front=front_matter(source.blocks),
    )


def check(root: Path, settings: Settings | None = None, *, environ: Mapping[str, str] | None = None) -> list[Problem]:
    """Every offline check of the book, no page rendered, no network: the problems, or none."""
    try:
        load_book(root, settings, environ=environ)
    except EditionError as error:
        return error.problems
    return []
