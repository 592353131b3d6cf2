"""The printed article's page numbers in the text: a discreet |36| where page 36 of the journal begins.

The place comes from the conversion (edition.text.print_pages): the words of the block before the
break. The marker goes into the rendered page after exactly those words, counted as a reader reads
them: the paragraph's ¶ link, the English beside it, the heading's permalink and the annotation calls
are not the article's words; a note call counts as one. Anything else (a marker after other words, a
paragraph that ends first) stops the build: a page number in the wrong place would mislead a citation.

The marker is empty; its number is drawn by the style sheet, so copying a sentence, search and the
text the checks read stay the article's own words.
"""

from __future__ import annotations

import html as html_module
import re
from collections.abc import Sequence
from dataclasses import dataclass

from edition.escape import html_attribute
from edition.problems import EditionError, Problem
from edition.site.html_offsets import VOID, OffsetParser
from edition.text.conversion import NOTE_PLACEHOLDER
from edition.text.print_pages import PageStart

MARKER_CLASS = "edition-page"
# Not the article's words: the paragraph's ¶ link, the English, a heading's permalink, annotation calls.
NOT_WORDS = frozenset({"edition-para-number", "edition-en", "headerlink", "edition-annotation-ref", MARKER_CLASS})
REFERENCE = re.compile(r"&(?:#[0-9]+|#[xX][0-9a-fA-F]+|[A-Za-z][A-Za-z0-9]*);?")


def marker_html(number: int) -> str:
    label = f"原刊第{number}页始 · page {number} of the printed article begins here"
    return f'<span class="{MARKER_CLASS}" data-page="{number}" title="{html_attribute(label)}"></span>'


@dataclass(frozen=True)
class _Token:
    kind: str  # "start", "end", "void", "text" or "other"
    start: int  # offsets in the HTML
    end: int
    tag: str = ""
    attrs: tuple[tuple[str, str | None], ...] = ()
    text: str = ""  # for "text": the characters as a reader reads them

    def classes(self) -> set[str]:
        return set((dict(self.attrs).get("class") or "").split())


class _Tokenizer(OffsetParser):
    """Every tag and run of text with where it is in the HTML."""

    def __init__(self, source: str) -> None:
        super().__init__(source)
        self.tokens: list[_Token] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        start = self.position()
        text = self.get_starttag_text() or ""
        self.tokens.append(_Token("void" if tag in VOID else "start", start, start + len(text), tag, tuple(attrs)))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        start = self.position()
        self.tokens.append(_Token("void", start, start + len(self.get_starttag_text() or ""), tag, tuple(attrs)))

    def handle_endtag(self, tag: str) -> None:
        start = self.position()
        end = self.text.find(">", start)
        self.tokens.append(_Token("end", start, len(self.text) if end < 0 else end + 1, tag))

    def handle_data(self, data: str) -> None:
        start = self.position()
        self.tokens.append(_Token("text", start, start + len(data), text=data))

    def _reference(self) -> None:
        start = self.position()
        found = REFERENCE.match(self.text, start)
        end = found.end() if found else start + 1
        self.tokens.append(_Token("text", start, end, text=html_module.unescape(self.text[start:end])))

    def handle_entityref(self, name: str) -> None:
        self._reference()

    def handle_charref(self, name: str) -> None:
        self._reference()

    def _other(self) -> None:
        self.tokens.append(_Token("other", self.position(), self.position()))

    def handle_comment(self, data: str) -> None:
        self._other()

    def handle_decl(self, decl: str) -> None:
        self._other()

    def handle_pi(self, data: str) -> None:
        self._other()

    def unknown_decl(self, data: str) -> None:
        self._other()


def _tokens(source: str) -> list[_Token]:
    tokenizer = _Tokenizer(source)
    tokenizer.feed(source)
    tokenizer.close()
    return tokenizer.tokens


def _target(tokens: Sequence[_Token], start: PageStart) -> int | None:
    """The index of the element the page begins in: the paragraph by its id, or the page's title (its Chinese)."""
    if start.target:
        found = (i for i, t in enumerate(tokens) if t.kind == "start" and dict(t.attrs).get("id") == start.target)
        return next(found, None)
    heading = next((i for i, t in enumerate(tokens) if t.kind == "start" and t.tag == "h1"), None)
    if heading is None:
        return None
    end = _element_end(tokens, heading)
    chinese = next(
        (i for i in range(heading + 1, end) if tokens[i].kind == "start" and "edition-zh" in tokens[i].classes()),
        None,
    )
    return heading if chinese is None else chinese


def _element_end(tokens: Sequence[_Token], index: int) -> int:
    """The index of the end tag that closes the element opened at ``index`` (or the last token)."""
    depth = 0
    for i in range(index, len(tokens)):
        kind = tokens[i].kind
        depth += 1 if kind == "start" else -1 if kind == "end" else 0
        if depth == 0:
            return i
    return len(tokens) - 1


class _Reader:
    """Reads an element's words in order, and puts each page's marker where the words before its break end.

    A marker due at the end of a run of words floats on over closing tags and over what is not the
    article's words (so it stands outside a term's link and after a ¶ link), and lands where the next
    word or element with words begins.
    """

    def __init__(self, starts: Sequence[PageStart]) -> None:
        self.pending = sorted(starts, key=lambda start: len(start.before))
        self.placed: list[tuple[int, int]] = []  # (offset in the HTML, page number)
        self.read: list[str] = []
        self.floating: int | None = None  # where a due marker has floated to so far

    def due(self) -> bool:
        return bool(self.pending) and len(self.read) == len(self.pending[0].before)

    def land(self, at: int) -> None:
        """Something with words begins at ``at``: a floating marker stops before it."""
        if self.floating is not None:
            while self.due():
                self.placed.append((at, self.pending.pop(0).number))
            self.floating = None

    def float_to(self, at: int) -> None:
        if self.floating is not None:
            self.floating = at

    def note_call(self, start: int, end: int) -> None:
        self.land(start)
        self.read.append(NOTE_PLACEHOLDER)  # one, whatever its number reads
        if self.due():
            self.floating = end

    def text(self, token: _Token) -> None:
        reference = token.end - token.start != len(token.text)  # "&amp;": one character, not to be cut
        for position, character in enumerate(token.text):
            if character.isspace():
                continue
            self.land(token.start if reference else token.start + position)
            self.read.append(character)
            if not self.due():
                continue
            if reference or not token.text[position + 1 :].strip():
                self.floating = token.end  # at the end of the run: float on
            else:
                self.floating = token.start + position + 1
                self.land(self.floating)  # inside the run of words: here


def _place(tokens: Sequence[_Token], index: int, starts: Sequence[PageStart]) -> tuple[list[tuple[int, int]], str]:
    """(offset in the HTML, page number) for each start in the element at ``index``; and the words read."""
    reader = _Reader(starts)
    if reader.due():
        reader.floating = tokens[index].end
    end = _element_end(tokens, index)
    i = index + 1
    while i < end and reader.pending:
        token = tokens[i]
        if token.kind == "start" and (token.classes() & NOT_WORDS or token.tag == "sup"):
            close = _element_end(tokens, i)
            if token.tag == "sup" and "edition-annotation-ref" not in token.classes():
                reader.note_call(token.start, tokens[close].end)
            else:
                reader.float_to(tokens[close].end)  # the ¶ link or an annotation call stays before the marker
            i = close + 1
            continue
        if token.kind == "text":
            reader.text(token)
        elif token.kind == "start":
            reader.land(token.start)  # before the next element with words (a term's link), not inside it
        elif token.kind in ("end", "void"):
            reader.float_to(token.end)  # after the element the words before the break ended in
        i += 1
    if reader.floating is not None:
        reader.land(min(reader.floating, tokens[end].start))
    return reader.placed, "".join(reader.read)


def with_page_markers(html: str, starts: Sequence[PageStart], *, shown: str) -> str:
    """The page's HTML with a marker where each of ``starts`` begins; EditionError if one has no place in it."""
    if not starts:
        return html
    tokens = _tokens(html)
    problems: list[Problem] = []
    insertions: list[tuple[int, int]] = []
    by_target: dict[str, list[PageStart]] = {}
    for start in starts:
        by_target.setdefault(start.target, []).append(start)
    for group in by_target.values():
        index = _target(tokens, group[0])
        if index is None:
            problems += [_problem(shown, start, "the page has no such block") for start in group]
            continue
        placed, read = _place(tokens, index, group)
        numbers = {number for _, number in placed}
        for start in group:
            if start.number not in numbers:
                problems.append(_problem(shown, start, f"its rendered words read «…{read[-12:]}»"))
            elif not read.startswith(start.before):
                problems.append(_problem(shown, start, f"its rendered words read «…{read[: len(start.before)][-12:]}»"))
        insertions += placed
    if problems:
        raise EditionError(problems)
    out, position = [], 0
    for offset, number in sorted(insertions):
        out.append(html[position:offset] + marker_html(number))
        position = offset
    return "".join(out) + html[position:]


def _problem(shown: str, start: PageStart, found: str) -> Problem:
    where = start.target or "the page's title"
    wanted = start.before[-12:].replace(NOTE_PLACEHOLDER, "[注]") or "(its start)"
    return Problem(
        shown,
        None,
        start.target or None,
        f"page {start.number} of the printed article begins in {where} after «…{wanted}» "
        f"(source/article.md line {start.source_line}), but {found}: the page's text is not the article's",
    )
