"""Citations in the chapters' Markdown, in mkdocs-bibtex's syntax, turned into the article's notes.

``[@key]``, ``[参见 @key]``, ``[@a, pp.17-24; @b, pp.7-10]`` in running text become one
footnote each, numbered by Python-Markdown per page; inside a footnote definition
(an explanatory note) a citation renders in place, and the note's own punctuation
stays as the author wrote it.
"""

from __future__ import annotations

import difflib
import functools
import posixpath
import re
from dataclasses import dataclass

from edition.bib import Bibliography
from edition.notes import Cite, render_note, render_sources
from edition.problems import Problem, line_of

# mkdocs-bibtex's citation syntax (pandoc's bracketed citations): [prefix @key, locator; @key2, locator].
# Written out here rather than imported because importing mkdocs_bibtex loads all of MkDocs and
# doubles the time of `make check`; tests/test_book.py proves both read every block of the book alike.
CITATION_BLOCK = re.compile(r"\[(?P<inner>[^\[\]]*@[^\[\]]*)\]")
CITATION = re.compile(r"^\s*(?P<prefix>[^@;]*?)\s*@(?P<key>[\w-]+)(?:\s*,\s*(?P<locator>[^;]*?))?\s*$")
EMAIL = re.compile(r"[\w.%+-]+@[\w.-]+\.[A-Za-z]{2,}")
FOOTNOTE_DEFINITION = re.compile(r"^\[\^[^\]\s]+\]:", re.MULTILINE)
NOTE_LABEL_PREFIX = "cite-"
REFERENCES_PAGE = "references.md"


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


def _in_footnote_definition(markdown: str, offset: int) -> bool:
    paragraph_start = markdown.rfind("\n\n", 0, offset)
    paragraph_start = 0 if paragraph_start < 0 else paragraph_start + 2
    return FOOTNOTE_DEFINITION.match(markdown, paragraph_start) is not None


def parse_citations(inner: str) -> tuple[CitationRef, ...]:
    """The citations of one bracketed block; empty when it is not a citation block (e.g. an e-mail address)."""
    refs = []
    for part in inner.split(";"):
        if EMAIL.search(part):
            continue
        match = CITATION.match(part)
        if match:
            refs.append(CitationRef(match.group("key"), match.group("prefix").strip(),
                                    (match.group("locator") or "").strip()))
    return tuple(refs)


def find_citation_blocks(markdown: str) -> list[CitationBlock]:
    """Every ``[… @key …]`` block, in mkdocs-bibtex's citation syntax."""
    blocks = []
    for match in CITATION_BLOCK.finditer(markdown):
        inner = match.group("inner")
        if inner.startswith("^"):
            continue
        refs = parse_citations(inner)
        if refs:
            blocks.append(
                CitationBlock(
                    start=match.start(),
                    end=match.end(),
                    line=line_of(markdown, match.start()),
                    refs=refs,
                    in_note=_in_footnote_definition(markdown, match.start()),
                )
            )
    return blocks


@dataclass
class CitationIndex:
    """Where each source is first cited in reading order: later citations take the short form."""

    first: dict[str, tuple[str, int]]
    cited_in: dict[str, list[str]]

    @classmethod
    def build(cls, pages: list[tuple[str, str]]) -> "CitationIndex":
        """Index (page, markdown) pairs given in reading order; cached, as several hooks ask."""
        return _build_index(tuple(pages))

    @classmethod
    def _build(cls, pages: tuple[tuple[str, str], ...]) -> "CitationIndex":
        first: dict[str, tuple[str, int]] = {}
        cited_in: dict[str, list[str]] = {}
        for page, markdown in pages:
            ordinal = 0
            for block in find_citation_blocks(markdown):
                for ref in block.refs:
                    first.setdefault(ref.key, (page, ordinal))
                    if page not in cited_in.setdefault(ref.key, []):
                        cited_in[ref.key].append(page)
                    ordinal += 1
        return cls(first=first, cited_in=cited_in)

    def is_first(self, key: str, page: str, ordinal: int) -> bool:
        return self.first.get(key, (page, ordinal)) == (page, ordinal)


@functools.lru_cache(maxsize=4)
def _build_index(pages: tuple[tuple[str, str], ...]) -> CitationIndex:
    return CitationIndex._build(pages)


def unknown_key_problems(blocks: list[CitationBlock], bib: Bibliography, shown: str, line_offset: int = 0) -> list[Problem]:
    problems = []
    for block in blocks:
        for ref in block.refs:
            if ref.key not in bib:
                close = difflib.get_close_matches(ref.key, list(bib.entries), n=1)
                hint = f"did you mean '{close[0]}'?" if close else f"add an entry for it to {bib.path}"
                problems.append(Problem(shown, block.line + line_offset, ref.key, f"unknown citation key; {hint}"))
    return problems


def unused_entry_problems(bib: Bibliography, index: CitationIndex) -> list[Problem]:
    return [
        Problem(bib.path, entry.line, key, "entry is cited nowhere; cite it, mark it keywords={…, background}, or remove it")
        for key, entry in bib.entries.items()
        if key not in index.first and "background" not in entry.get("keywords")
    ]


def cites_by_block(markdown: str, *, page: str, bib: Bibliography, index: CitationIndex) -> list[tuple[CitationBlock, list[Cite]]]:
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


def render_citations(markdown: str, *, page: str, bib: Bibliography, index: CitationIndex) -> str:
    """Replace citation blocks with footnotes (in running text) or rendered sources (inside notes).

    The caller has checked the keys (``unknown_key_problems``).
    """
    out: list[str] = []
    definitions: list[str] = []
    position = 0
    for block, cites in cites_by_block(markdown, page=page, bib=bib, index=index):
        out.append(markdown[position:block.start])
        if block.in_note:
            out.append(render_sources(cites))
        else:
            label = f"{NOTE_LABEL_PREFIX}{len(definitions) + 1}"
            out.append(f"[^{label}]")
            definitions.append(f"[^{label}]: {render_note(cites)}")
        position = block.end
    out.append(markdown[position:])
    text = "".join(out)
    if definitions:
        text = text.rstrip("\n") + "\n\n" + "\n\n".join(definitions) + "\n"
    return text
