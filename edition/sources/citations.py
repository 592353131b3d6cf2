"""Citations in the chapters' Markdown, in mkdocs-bibtex's syntax, turned into the article's notes.

``[@key]``, ``[参见 @key]``, ``[@a, pp.17-24; @b, pp.7-10]`` in running text become one
footnote each, numbered by Python-Markdown per page; inside a footnote definition
(an explanatory note) a citation renders in place, and the note's own punctuation
stays as the author wrote it.
"""

from __future__ import annotations

import bisect
import difflib
import functools
import posixpath
import re
from collections.abc import Iterable
from dataclasses import dataclass

from edition.paths import REFERENCES_PAGE
from edition.problems import LineIndex, Problem
from edition.sources.bib import Bibliography
from edition.sources.notes import Cite, render_note, render_sources

# mkdocs-bibtex's citation syntax (pandoc's bracketed citations): [prefix @key, locator; @key2, locator].
# Written out here rather than imported because importing mkdocs_bibtex loads all of MkDocs and
# doubles the time of `make check`; tests/test_book.py proves both read every block of the book alike.
# Linear on any input: what precedes the first @ holds no @, so there is one way to split a block
# (`[^\[\]]*@[^\[\]]*` tried every split of `见[@@@…@` and took minutes on 100,000 of them).
CITATION_BLOCK = re.compile(r"\[(?P<inner>[^\[\]@]*@[^\[\]]*)\]")
KEY_AT = re.compile(r"@(?P<key>[\w-]+)")
# The lookbehind starts an address only where its run of characters starts: from inside the run,
# `[\w.%+-]+@` would rescan the same run once for every character of it.
EMAIL = re.compile(r"(?<![\w.%+-])[\w.%+-]+@[\w.-]+\.[A-Za-z]{2,}")
FOOTNOTE_DEFINITION = re.compile(r"^\[\^[^\]\s]+\]:", re.MULTILINE)
NOTE_LABEL_PREFIX = "cite-"


@dataclass(frozen=True)
class CitationRef:
    key: str
    prefix: str
    locator: str


@dataclass(frozen=True)
class CitationBlock:
    start: int
    end: int
    line: int
    refs: tuple[CitationRef, ...]
    in_note: bool


def _paragraph_starts(markdown: str) -> list[int]:
    """Where each paragraph starts: after every blank line ("\\n\\n", overlapping runs included)."""
    starts, position = [0], markdown.find("\n\n")
    while position >= 0:
        starts.append(position + 2)
        position = markdown.find("\n\n", position + 1)
    return starts


def _in_footnote_definition(markdown: str, offset: int, starts: list[int]) -> bool:
    paragraph_start = starts[bisect.bisect_right(starts, offset) - 1]
    return FOOTNOTE_DEFINITION.match(markdown, paragraph_start) is not None


def parse_citation(part: str) -> CitationRef | None:
    """One citation, ``prefix @key, locator``, or None when ``part`` is not one.

    Parsed by hand: as a pattern, the prefix, the spaces around it and the locator overlap,
    and a long part without a key took time cubic in its length.
    """
    at = part.find("@")
    key = KEY_AT.match(part, at) if at >= 0 else None
    if key is None:
        return None
    rest = part[key.end() :].strip()
    if rest and not rest.startswith(","):
        return None
    return CitationRef(key.group("key"), part[:at].strip(), rest[1:].strip())


def _is_citation_attempt(part: str) -> bool:
    """mkdocs-bibtex reads a citation wherever the first @ of a part starts a key (an e-mail address aside)."""
    at = part.find("@")
    return at >= 0 and KEY_AT.match(part, at) is not None and not EMAIL.search(part)


def parse_citations(inner: str) -> tuple[CitationRef, ...]:
    """The citations of one bracketed block; empty when it is not a citation block (e.g. an e-mail address)."""
    refs = []
    for part in inner.split(";"):
        if EMAIL.search(part):
            continue
        ref = parse_citation(part)
        if ref:
            refs.append(ref)
    return tuple(refs)


# A page is read for citations by the syntax rule, the index, the notes and the date rules: it is parsed once per
# process (bounded, so that `mkdocs serve` does not keep every version of a page it has rebuilt).
@functools.lru_cache(maxsize=4096)
def find_citation_blocks(markdown: str) -> tuple[CitationBlock, ...]:
    """Every ``[… @key …]`` block, in mkdocs-bibtex's citation syntax."""
    blocks = []
    lines: LineIndex | None = None
    starts: list[int] | None = None
    for match in CITATION_BLOCK.finditer(markdown):
        inner = match.group("inner")
        if inner.startswith("^"):
            continue
        refs = parse_citations(inner)
        if refs:
            lines = lines or LineIndex(markdown)
            starts = starts or _paragraph_starts(markdown)
            blocks.append(
                CitationBlock(
                    start=match.start(),
                    end=match.end(),
                    line=lines.line(match.start()),
                    refs=refs,
                    in_note=_in_footnote_definition(markdown, match.start(), starts),
                )
            )
    return tuple(blocks)


def citation_syntax_problems(markdown: str, shown: str, first_line: int = 1) -> list[Problem]:
    """Blocks that look like citations but are not in the syntax: mkdocs-bibtex would read them its own way.

    ``[@key p. 9]`` (no comma before the locator) was left out of the notes by this reader and
    rendered by the plugin without its locator; each such block is refused at its line.
    """
    problems = []
    lines: LineIndex | None = None
    for match in CITATION_BLOCK.finditer(markdown):
        inner = match.group("inner")
        if inner.startswith("^"):
            continue
        bad = [part for part in inner.split(";") if _is_citation_attempt(part) and parse_citation(part) is None]
        if bad:
            lines = lines or LineIndex(markdown)
            shown_block = bad[0].strip()[:60]
            problems.append(
                Problem(
                    shown,
                    first_line + lines.line(match.start()) - 1,
                    None,
                    f"'{shown_block}' in a citation is not in the citation syntax; write [@key], "
                    "[@key, p. 9] (a comma before the page), [参见 @key] (a prefix before the @), "
                    "and several as [@a; @b]",
                )
            )
    return problems


@dataclass
class CitationIndex:
    """Where each source is first cited in reading order: later citations take the short form."""

    first: dict[str, tuple[str, int]]
    cited_in: dict[str, list[str]]

    @classmethod
    def build(cls, pages: list[tuple[str, str]]) -> CitationIndex:
        """Index (page, markdown) pairs given in reading order."""
        return cls._build(tuple(pages))

    @classmethod
    def _build(cls, pages: tuple[tuple[str, str], ...]) -> CitationIndex:
        return cls(first={}, cited_in={}).extended(pages)

    def extended(self, pages: Iterable[tuple[str, str]]) -> CitationIndex:
        """The index of this index's pages followed by ``pages``, without reading its own pages again."""
        first = dict(self.first)
        cited_in = {key: list(names) for key, names in self.cited_in.items()}
        for page, markdown in pages:
            ordinal = 0
            for block in find_citation_blocks(markdown):
                for ref in block.refs:
                    first.setdefault(ref.key, (page, ordinal))
                    if page not in cited_in.setdefault(ref.key, []):
                        cited_in[ref.key].append(page)
                    ordinal += 1
        return CitationIndex(first=first, cited_in=cited_in)

    def is_first(self, key: str, page: str, ordinal: int) -> bool:
        return self.first.get(key, (page, ordinal)) == (page, ordinal)


MOST_HINTS = 20  # a close match is searched among all keys: for the first few unknown keys only


def unknown_key_problems(
    blocks: Iterable[CitationBlock], bib: Bibliography, shown: str, line_offset: int = 0
) -> list[Problem]:
    problems = []
    hints: dict[str, str] = {}
    for block in blocks:
        for ref in block.refs:
            if ref.key not in bib:
                if ref.key not in hints:
                    close = (
                        difflib.get_close_matches(ref.key, list(bib.entries), n=1) if len(hints) < MOST_HINTS else []
                    )
                    hints[ref.key] = f"did you mean '{close[0]}'?" if close else f"add an entry for it to {bib.path}"
                problems.append(
                    Problem(shown, block.line + line_offset, ref.key, f"unknown citation key; {hints[ref.key]}")
                )
    return problems


def unused_entry_problems(bib: Bibliography, index: CitationIndex) -> list[Problem]:
    return [
        Problem(
            bib.path, entry.line, key, "entry is cited nowhere; cite it, mark it keywords={…, background}, or remove it"
        )
        for key, entry in bib.entries.items()
        if key not in index.first and "background" not in entry.get("keywords")
    ]


def cites_by_block(
    markdown: str, *, page: str, bib: Bibliography, index: CitationIndex
) -> list[tuple[CitationBlock, list[Cite]]]:
    """Each citation block with its sources; a source cited earlier in the book takes the short form."""
    references = posixpath.relpath(REFERENCES_PAGE, posixpath.dirname(page) or ".")
    result = []
    ordinal = 0
    for block in find_citation_blocks(markdown):
        cites = []
        for ref in block.refs:
            short = not index.is_first(ref.key, page, ordinal)
            link = f"{references}#{ref.key}" if short else ""
            cites.append(Cite(bib[ref.key], prefix=ref.prefix, locator=ref.locator, short=short, link=link))
            ordinal += 1
        result.append((block, cites))
    return result


def render_citations(
    markdown: str, *, page: str, bib: Bibliography, index: CitationIndex, english: bool = False
) -> str:
    """Replace citation blocks with footnotes (in running text) or rendered sources (inside notes); ``english``
    for the translation's notes (edition.sources.notes).

    The caller has checked the keys (``unknown_key_problems``).
    """
    out: list[str] = []
    definitions: list[str] = []
    position = 0
    for block, cites in cites_by_block(markdown, page=page, bib=bib, index=index):
        out.append(markdown[position : block.start])
        if block.in_note:
            out.append(render_sources(cites, english=english))
        else:
            label = f"{NOTE_LABEL_PREFIX}{len(definitions) + 1}"
            out.append(f"[^{label}]")
            definitions.append(f"[^{label}]: {render_note(cites, english=english)}")
        position = block.end
    out.append(markdown[position:])
    text = "".join(out)
    if definitions:
        text = text.rstrip("\n") + "\n\n" + "\n\n".join(definitions) + "\n"
    return text
