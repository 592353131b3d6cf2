"""Where each page of the printed article begins, found in the conversion and placed in the edition's blocks.

The conversion keeps the journal's page breaks as it found them (edition.text.conversion: a page's
foot, and every page join); the article's first and last page come from data/article.yml. The two
must agree, one break per page after the first, or a page marker would name the wrong page.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from edition.paths import ARTICLE_RECORD, EMENDATIONS, SOURCE
from edition.problems import Problem
from edition.text.chapters import PageBlock, article_text
from edition.text.conversion import Block

NUMBERED = re.compile(r"p\d+-\d+")  # the paragraphs a reader cites by number (¶3 of chapter 2: p2-3)


@dataclass(frozen=True)
class PageStart:
    """The printed page ``number`` begins in the edition's block ``target`` of ``page``."""

    number: int
    page: str  # the docs page, as MkDocs names it ("chapter-1.md")
    target: str  # the paragraph's id; "" for the page's heading
    # The block's words before the break, as a reader sees them: no spaces, one NOTE_PLACEHOLDER per note call.
    before: str
    source_line: int  # the block's first line in source/article.md


def words(text: str) -> str:
    """A block's text as the page markers count it: every character but white space."""
    return "".join(text.split())


def page_starts(
    source: Sequence[Block], edition: Sequence[PageBlock], first_page: int, last_page: int
) -> tuple[list[PageStart], list[Problem]]:
    """Each printed page after the first, where it begins; a problem if the breaks and the pages disagree.

    ``edition`` holds the article's blocks in the order of ``source``, one for one: the fidelity check
    has passed before this is called.
    """
    starts: list[PageStart] = []
    for block, shown in zip(source, edition, strict=True):
        for offset in block.page_breaks:
            number = first_page + len(starts) + 1
            before = words(article_text(block.text[:offset])) if offset else ""
            starts.append(PageStart(number, shown.page, shown.id, before, block.line))
    needed = last_page - first_page
    if len(starts) != needed:
        return [], [_count_problem(starts, needed, first_page, last_page)]
    return starts, []


def paragraph_pages(
    source: Sequence[Block], edition: Sequence[PageBlock], first_page: int
) -> dict[str, tuple[int, int]]:
    """The printed pages each numbered paragraph (p2-3) runs over, (first, last), by its id: for citing it by page.

    Like ``page_starts``, for blocks that match the source one for one.
    """
    pages: dict[str, tuple[int, int]] = {}
    page = first_page
    for block, shown in zip(source, edition, strict=True):
        begins_anew = bool(block.page_breaks) and block.page_breaks[0] == 0
        page += begins_anew
        first = page
        page += len(block.page_breaks) - begins_anew
        if NUMBERED.fullmatch(shown.id):
            pages[shown.id] = (first, page)
    return pages


def _count_problem(starts: Sequence[PageStart], needed: int, first_page: int, last_page: int) -> Problem:
    """Too many breaks and too few have different causes and fixes; either way, where the breaks were found."""
    difference = len(starts) - needed
    count = "one" if abs(difference) == 1 else str(abs(difference))
    if difference > 0:
        how = (
            f"{count} more than pp. {first_page}–{last_page} have (they need {needed}): a page join in "
            f"{EMENDATIONS.as_posix()} whose halves were printed on one page, or a rule (---) that is no page's foot, "
            "makes a break where no page begins: remove it"
        )
    else:
        how = (
            f"{count} fewer than pp. {first_page}–{last_page} have (they need {needed}): a page without notes "
            f"leaves no foot, so list the page join its break cut in {EMENDATIONS.as_posix()}"
        )
    where = ", ".join(
        f"page {start.number} in {start.target or 'the title of ' + start.page} "
        f"(the block from {SOURCE.as_posix()} line {start.source_line})"
        for start in starts
    )
    return Problem(
        ARTICLE_RECORD.as_posix(),
        None,
        "last_page",
        f"{SOURCE.as_posix()} shows {len(starts)} page breaks (a page's foot of notes or rule, or a page join), "
        f"{how}, or correct first_page and last_page; the breaks found: {where or 'none'}",
    )


def pages_in_chapter(pages: Mapping[str, tuple[int, int]], chapter: int) -> dict[str, tuple[int, int]]:
    """The printed pages of chapter ``chapter``'s numbered paragraphs (p2-3 is the chapter 2's), by id."""
    return {ident: span for ident, span in pages.items() if ident.startswith(f"p{chapter}-")}


def chapter_pages(pages: Mapping[str, tuple[int, int]], chapter: int) -> tuple[int, int] | None:
    """The printed pages chapter ``chapter``'s numbered paragraphs run over; None for the front page or if unknown."""
    own = pages_in_chapter(pages, chapter).values()
    return (min(s[0] for s in own), max(s[1] for s in own)) if chapter and own else None
