"""Paragraph ids of the article (``{#p2-4}`` = chapter 2, paragraph 4): checked, and shown as numbers.

A teacher's "第二章 ¶3–6" must land on the same words for as long as the edition
exists, so ids are unique, run 1, 2, 3 … without gaps in each chapter, and carry the
chapter of the page they are on. ``tests/fixtures/paragraph_ids.txt`` pins each id
to the words its paragraph starts with, so a renumbering cannot pass unnoticed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from edition.paths import ARTICLE_PAGES, CHAPTER_LABELS, CHAPTER_LABELS_EN
from edition.problems import Problem
from edition.text.chapters import FRONT_MATTER, PARAGRAPH_ID, page_block_problems, plain_text, split_blocks

ATTR_ID = re.compile(r"\n\{:?\s*#(?P<id>[\w-]+)[^}\n]*\}\s*$")
ANY_ID = re.compile(r"^p\d")
# Notes and citations are not part of the words a paragraph starts with. Linear on any text: no
# alternative can rescan a run of '[' or '<sup>' from each of its starts, and a citation's text
# before its first @ holds no @, so there is one way to split it.
NOTE_CALLS = re.compile(r"\[\^[^\[\]]+\]|\[[^\[\]@]*@[^\[\]]*\]|<sup>[^<\n]*(?:<(?!/?sup>)[^<\n]*)*</sup>")
START_LENGTH = 20


@dataclass(frozen=True)
class Paragraph:
    page: str  # e.g. "chapter-2.md"
    line: int
    id: str
    text: str  # the paragraph as a reader reads it, without note calls

    @property
    def chapter(self) -> int:
        return _id_part(self.id, "chapter")

    @property
    def number(self) -> int:
        return _id_part(self.id, "number")

    @property
    def start(self) -> str:
        return self.text[:START_LENGTH]


def paragraph_text(markdown_paragraph: str) -> str:
    return plain_text(NOTE_CALLS.sub("", markdown_paragraph))


def find_paragraphs(page: str, markdown: str) -> tuple[list[Paragraph], list[Problem]]:
    """Every block of a page whose id looks like a paragraph id, in order; malformed ids are problems."""
    front = FRONT_MATTER.match(markdown)
    offset = markdown[: front.end()].count("\n") if front else 0
    body = markdown[front.end() :] if front else markdown
    found, problems = [], []
    for line, _, raw in split_blocks(body):
        attr = ATTR_ID.search(raw)
        if not attr or not ANY_ID.match(attr.group("id")):
            continue
        ident = attr.group("id")
        id_line = line + offset + raw.count("\n")
        if not PARAGRAPH_ID.match(ident):
            problems.append(
                Problem(
                    f"docs/{page}",
                    id_line,
                    ident,
                    "malformed paragraph id; write {#pC-N}: C the chapter, N the paragraph",
                )
            )
            continue
        found.append(Paragraph(page, id_line, ident, paragraph_text(raw[: attr.start()])))
    return found, problems


def paragraph_problems(pages: list[tuple[str, str]]) -> list[Problem]:
    """Ids unique across the book, in sequence from 1 in each chapter, and on their chapter's page.

    And nothing on an article page but the article's blocks (``page_block_problems``): a block
    the paragraphs' reader passes over must not pass unseen.
    """
    problems: list[Problem] = []
    seen: dict[str, Paragraph] = {}
    for page, markdown in pages:
        if page not in ARTICLE_PAGES:
            continue
        problems += page_block_problems(page, markdown)
        chapter = ARTICLE_PAGES.index(page)
        paragraphs, malformed = find_paragraphs(page, markdown)
        problems += malformed
        expected = 1
        for p in paragraphs:
            where = f"docs/{page}"
            if p.id in seen:
                first = seen[p.id]
                problems.append(
                    Problem(
                        where,
                        p.line,
                        p.id,
                        f"duplicate paragraph id (also docs/{first.page}:{first.line}); ids must be unique",
                    )
                )
                continue
            seen[p.id] = p
            if p.chapter != chapter:
                problems.append(
                    Problem(
                        where,
                        p.line,
                        p.id,
                        f"paragraph id of chapter {p.chapter} on the page of "
                        f"chapter {chapter}; ids here are p{chapter}-N",
                    )
                )
            elif p.number != expected:
                problems.append(
                    Problem(
                        where,
                        p.line,
                        p.id,
                        f"paragraph ids out of sequence: expected "
                        f"p{chapter}-{expected}; number paragraphs 1, 2, 3 … "
                        "without gaps, and never renumber published ids "
                        "without updating tests/fixtures/paragraph_ids.txt",
                    )
                )
                expected = p.number
            expected += 1
    return problems


def _id_part(ident: str, part: str) -> int:
    match = PARAGRAPH_ID.match(ident)
    assert match is not None, f"{ident} is not a paragraph id"  # a Paragraph is made only for an id that matches
    return int(match.group(part))


def all_paragraphs(pages: list[tuple[str, str]]) -> list[Paragraph]:
    return [p for page, markdown in pages if page in ARTICLE_PAGES for p in find_paragraphs(page, markdown)[0]]


def paragraph_place(ident: str) -> str | None:
    """第二章第4段 for p2-4; None for an id that is not a paragraph id."""
    match = PARAGRAPH_ID.match(ident)
    if not match:
        return None
    chapter, number = int(match.group("chapter")), int(match.group("number"))
    name = CHAPTER_LABELS[chapter] if chapter < len(CHAPTER_LABELS) else f"第{chapter}章"
    return f"{name}第{number}段"


def paragraph_place_en(ident: str) -> str | None:
    """Chapter 2, paragraph 4 for p2-4 (the English site's words for paragraph_place); None for another id."""
    match = PARAGRAPH_ID.match(ident)
    if not match:
        return None
    chapter, number = int(match.group("chapter")), int(match.group("number"))
    name = CHAPTER_LABELS_EN[chapter] if chapter < len(CHAPTER_LABELS_EN) else f"Chapter {chapter}"
    return f"{name}, paragraph {number}"


def paragraph_label(ident: str) -> tuple[str, str]:
    """(what the number shows, its accessible name): '¶4' and '第二章第4段（复制链接）' for p2-4."""
    match, place = PARAGRAPH_ID.match(ident), paragraph_place(ident)
    if match is None or place is None:  # (one is None exactly when the other is)
        return ident, ident
    return f"¶{match.group('number')}", f"{place}（复制链接）"


PARAGRAPH_OPEN = re.compile(r'<p id="(?P<id>p\d+-\d+)">')


def number_paragraphs(html: str) -> str:
    """Put a discreet number, linking to the paragraph itself, at the start of each article paragraph.

    Kept out of the search index (Material's ``data-search-exclude``): ¶4 is not the article's text.
    """

    def number(match: re.Match[str]) -> str:
        ident = match.group("id")
        shown, name = paragraph_label(ident)
        return (
            f'{match.group(0)}<a class="edition-para-number" href="#{ident}" aria-label="{name}" '
            f'title="{name}" data-edition-para="{ident}" data-search-exclude>{shown}</a>'
        )

    return PARAGRAPH_OPEN.sub(number, html)
