"""The edition's article pages read back as text, to prove them against the source.

A block of the article in a page is a heading, or a paragraph whose last line is an
attribute list with an id (``{#p2-4}``); everything else on a page (admonitions,
generated blocks, edition notes) is the edition's, not the article's. A paragraph
marked ``{#id .article-note}`` is a note called by ``<sup>[\\*](#id)</sup>``.
"""

from __future__ import annotations

import bisect
import html
import re
import textwrap
from dataclasses import dataclass, field
from typing import Any

from edition.escape import url_scheme
from edition.problems import MOST_REPORTED_LINES, LineIndex, Problem
from edition.sources.bib import Bibliography
from edition.sources.citations import (
    NOTE_LABEL_PREFIX,
    CitationBlock,
    CitationIndex,
    citation_syntax_problems,
    cites_by_block,
    find_citation_blocks,
)
from edition.sources.notes import Cite, render_note, render_sources
from edition.text.conversion import NOTE_PLACEHOLDER, Block
from edition.text.markdown_html import markdown_html
from edition.text.markers import MARKER

FRONT_PAGE = "index.md"
FRONT_MATTER = re.compile(r"\A---\n.*?\n---\n", re.DOTALL)
ATTR_LINE = re.compile(r"\n\{:?\s*#(?P<id>[\w-]+)(?P<rest>[^}\n]*)\}\s*$")
HEADING_START = re.compile(r"#+[ \t]+")
STAR_MARKER = re.compile(r"<sup>\[\\\*\]\(#(?P<id>[\w-]+)\)</sup>")
# A label holds no '[': otherwise every '[^' of a run of them would be scanned to the run's end.
FOOTNOTE_REF = re.compile(r"\[\^(?P<label>[^\[\]\s]+)\](?!:)")
FOOTNOTE_DEF = re.compile(r"^\[\^(?P<label>[^\]\s]+)\]:\s*(?P<text>.*)$", re.DOTALL)
# Link text holds no '[' and an autolink no '<', for the same reason.
LINK = re.compile(r"\[(?P<text>[^\[\]]*)\]\((?P<url>[^)\s]*)\)")
AUTOLINK = re.compile(r"<(?P<url>https?://[^<>\s]+)>")
LANG_SPAN = re.compile(r'<span lang="[\w-]+">|</span>')
# Bounded: an id of thousands of digits is not a paragraph's (and int() would refuse to read it).
PARAGRAPH_ID = re.compile(r"^p(?P<chapter>\d{1,3})-(?P<number>\d{1,4})$")
# What an article page may hold besides the article: a page marker alone on its lines, and on the
# front page the edition's note about itself (an admonition, in Markdown without raw HTML).
MARKER_BLOCK = re.compile(rf"[ \t]*{MARKER.pattern}[ \t]*")
ADMONITION_START = ("!!!", "???")
INDENT = ("    ", "\t")
RAW_HTML = re.compile(r"<[A-Za-z!/?]")
ATTR_LIST = re.compile(r"\{:?(?P<inner>[^{}\n]*)\}")
ALLOWED_ATTRIBUTES = re.compile(r"#[\w-]+|\.article-note|lang=\"?[A-Za-z]{2,3}(?:-[A-Za-z0-9]{2,8})*\"?")
RENDERED_URL = re.compile(r'\s(?:href|src)="(?P<url>[^"]*)"')
# The title's first character is not a space, so the spaces before it have one way to match.
TITLE_LINE = re.compile(r"title:[ \t]+[^ \t<>&{}\[\]*!|#`'\"\n][^<>&{}\n]*")


@dataclass
class PageBlock:
    page: str
    line: int
    kind: str
    id: str
    text: str
    notes: list[str] = field(default_factory=list)
    note_keys: list[tuple[str, ...]] = field(default_factory=list)  # the sources each note cites


def plain_text(markdown: str) -> str:
    """Text as a reader sees it: links by their text, autolinks by their address, escapes resolved.

    The article's links show their own address (``[https://…](https://…)``), and the edition's
    link within the site (a short note to its source on the references page); any other link
    keeps its address beside its text, so that a note's link cannot lead elsewhere while its
    words stay those of the source.
    """
    text = LANG_SPAN.sub("", markdown)
    text = LINK.sub(_link_text, text)
    text = AUTOLINK.sub(lambda m: m.group("url"), text)
    return _unescape(text)


def _link_text(match: re.Match[str]) -> str:
    text, url = match.group("text"), match.group("url")
    return text if _unescape(text) == url or url_scheme(url) == "" else f"{text} <{url}>"


def article_text(markdown: str) -> str:
    """A heading's or a paragraph's words for the comparison with the source: links are kept as written.

    The article's running text holds no link; one added around its words would change nothing a
    plain-text comparison sees, and could lead anywhere.
    """
    return _unescape(LANG_SPAN.sub("", markdown))


def _unescape(text: str) -> str:
    return text.replace("\\*", "*").replace("\\_", "_").strip()


def split_blocks(markdown: str) -> list[tuple[int, int, str]]:
    """(line, offset, text) of each blank-line separated block: the one way every stage cuts Markdown into blocks."""
    blocks, offset, line = [], 0, 1
    for chunk in re.split(r"(\n\s*\n)", markdown):
        if chunk.strip() and not re.fullmatch(r"\n\s*\n", chunk):
            lead = len(chunk) - len(chunk.lstrip("\n"))
            blocks.append((line + lead, offset + lead, chunk.strip("\n")))
        offset += len(chunk)
        line += chunk.count("\n")
    return blocks


def _split_heading(raw: str) -> tuple[int, str, str] | None:
    """(offset of the text, text, trailing attribute list) of a one-line ATX heading, else None.

    By hand: as one pattern, the heading's text, the spaces and a trailing ``{…}`` overlap, and a
    long heading of braces took quadratic time.
    """
    start = HEADING_START.match(raw)
    if "\n" in raw or not start:
        return None
    text = raw[start.end() :].rstrip()
    attr = ""
    brace = text.rfind("{")
    if text.endswith("}") and brace > 0 and "}" not in text[brace:-1] and text[:brace].strip():
        text, attr = text[:brace].rstrip(), text[brace:]
    return (start.end(), text, attr) if text else None


@dataclass(frozen=True)
class RawBlock:
    """One block of an article page, as the fidelity check sees it."""

    line: int  # in the page's Markdown
    offset: int  # in the body (after the front matter)
    text: str
    kind: str  # heading, paragraph, note, article-note, marker, edition-note, stray
    what: str = ""  # for a stray block: what it is, in a contributor's words


def _stray_kind(raw: str) -> str:
    """What a block that is not the article's looks like, to name it in the message."""
    for starts, what in (
        (("<!--",), "an HTML comment (only a page marker <!-- edition:NAME --> may stand here)"),
        (("<",), "raw HTML"),
        (ADMONITION_START, "an admonition"),
        (INDENT, "an indented block (code, or a note continued over several paragraphs)"),
        (("```", "~~~"), "a code block"),
        (("*[",), "an abbreviation definition (it would put a tooltip on a word of the article)"),
        (("[",), "a link definition or other bracketed text"),
        (("---", "***", "___"), "a rule or front matter"),
        ((">",), "a block quote"),
        (("-", "*", "+", "|"), "a list or a table"),
    ):
        if raw.startswith(starts):
            return what
    return "text that is not a heading or a paragraph of the article (a paragraph ends with its {#pC-N} line)"


def classify_blocks(page: str, body: str, line_offset: int = 0) -> list[RawBlock]:
    """Every block of an article page's body, by what it is: the article's, the edition's few, or stray."""
    blocks: list[RawBlock] = []
    in_admonition = False
    for body_line, offset, raw in split_blocks(body):
        line = body_line + line_offset
        if in_admonition and raw.startswith(INDENT):
            blocks.append(RawBlock(line, offset, raw, blocks[-1].kind, blocks[-1].what))
            continue
        in_admonition = raw.startswith(ADMONITION_START)
        attr = ATTR_LINE.search(raw)
        if _split_heading(raw):
            kind = "heading"
        elif FOOTNOTE_DEF.match(raw):
            kind = "note"
        elif attr and ".article-note" in attr.group("rest"):
            kind = "article-note"
        elif attr and not raw.startswith(ADMONITION_START + INDENT + ("<",)):
            kind = "paragraph"
        elif MARKER_BLOCK.fullmatch(raw):
            kind = "marker"
        elif in_admonition and page == FRONT_PAGE:
            kind = "edition-note"
        else:
            blocks.append(RawBlock(line, offset, raw, "stray", _stray_kind(raw)))
            continue
        blocks.append(RawBlock(line, offset, raw, kind))
    return blocks


def _front_matter_problems(shown: str, front: str) -> list[Problem]:
    """An article page's front matter may give its title, as plain text, and nothing else."""
    problems = []
    for number, line in enumerate(front.split("\n")[1:-2], start=2):
        if not TITLE_LINE.fullmatch(line.rstrip()):
            problems.append(
                Problem(
                    shown,
                    number,
                    None,
                    "the front matter of an article page may hold only 'title: …' in plain text; remove this line",
                )
            )
    return problems


def _attribute_lists(block: RawBlock) -> list[tuple[int, str]]:
    """(offset in the block, text) of each attribute list: the block's own (its last line, or the end of its
    heading), whatever it holds, and any other ``{…}`` in it."""
    raw, own = block.text, None
    if block.kind in ("paragraph", "article-note"):
        attr = ATTR_LINE.search(raw)
        if attr:
            own = (attr.start() + 1, raw[attr.start() + 1 :].rstrip())
    elif block.kind == "heading":
        heading = _split_heading(raw)
        if heading and heading[2]:
            own = (raw.rfind(heading[2]), heading[2])
    found = [(m.start(), m.group(0)) for m in ATTR_LIST.finditer(raw, 0, own[0] if own else len(raw))]
    return found + ([own] if own else [])


def _attribute_problems(shown: str, block: RawBlock) -> list[Problem]:
    """Attribute lists may give an id, .article-note and lang=…: anything else (onclick=…, style=…) is refused."""
    problems: list[Problem] = []
    lines: LineIndex | None = None
    for offset, text in _attribute_lists(block):
        tokens = text[1:-1].lstrip(":").split()
        bad = [token for token in tokens if not ALLOWED_ATTRIBUTES.fullmatch(token)]
        if bad and len(problems) < MOST_REPORTED_LINES:
            lines = lines or LineIndex(block.text)
            problems.append(
                Problem(
                    shown,
                    block.line + lines.line(offset) - 1,
                    None,
                    f"attribute '{bad[0][:40]}' is not allowed on an article page: an attribute "
                    "list gives a block its id ({#p2-4}), .article-note or lang=…; remove it",
                )
            )
    return problems


def _edition_note_problems(shown: str, note: list[RawBlock]) -> list[Problem]:
    """The front page's note about the edition: Markdown without raw HTML; links within the site or to http(s).

    The note is rendered to find its links, so every form (inline, angle brackets, reference
    definitions, images) is seen as the browser will see it.
    """
    problems = []
    lines = [(number, text) for block in note for number, text in enumerate(block.text.split("\n"), start=block.line)]
    for number, text in lines:
        if RAW_HTML.search(text):
            problems.append(
                Problem(shown, number, None, "raw HTML is not allowed in the edition's note; write Markdown")
            )
    body = "\n\n".join(
        textwrap.dedent(block.text.split("\n", 1)[1] if i == 0 and "\n" in block.text else "" if i == 0 else block.text)
        for i, block in enumerate(note)
    )
    for match in RENDERED_URL.finditer(markdown_html(body)):
        url = html.unescape(match.group("url"))
        if url_scheme(url) not in {"", "http", "https"} and len(problems) < MOST_REPORTED_LINES:
            number = next((n for n, text in lines if url[:12] in text), note[0].line)
            problems.append(
                Problem(
                    shown,
                    number,
                    None,
                    f"link to '{url[:40]}' refused: a link in the edition's "
                    "note goes to a page of the book or to http(s)",
                )
            )
    return problems


def page_block_problems(page: str, markdown: str) -> list[Problem]:
    """What an article page holds besides the article's headings, paragraphs and notes: refused, never skipped.

    A ``<script>`` block, an HTML comment, an admonition, a ``<div markdown>``, a code block, an
    abbreviation (a tooltip on the article's words), a note no paragraph calls, an attribute
    such as onclick: each would be published beside the article without being part of it.
    """
    shown = f"docs/{page}"
    front = FRONT_MATTER.match(markdown)
    line_offset = markdown[: front.end()].count("\n") if front else 0
    body = markdown[front.end() :] if front else markdown
    problems = _front_matter_problems(shown, front.group(0)) if front else []
    blocks = classify_blocks(page, body, line_offset)
    calls = [b.text for b in blocks if b.kind in ("heading", "paragraph")]
    called_labels = {m.group("label") for text in calls for m in FOOTNOTE_REF.finditer(text)}
    called_ids = {m.group("id") for text in calls for m in STAR_MARKER.finditer(text)}
    notes = [b for b in blocks if b.kind == "edition-note"]
    if notes:  # one note on the front page: its blocks are read together, as Markdown reads them
        problems += _edition_note_problems(shown, notes)
    for block in blocks:
        if block.kind == "stray":
            problems.append(
                Problem(
                    shown,
                    block.line,
                    None,
                    f"{block.what} is not part of the article: an article "
                    "page holds the article's headings and paragraphs, their notes and page "
                    "markers; remove it, or put edition material on another page",
                )
            )
            continue
        if block.kind == "note":
            definition = FOOTNOTE_DEF.match(block.text)
            assert definition is not None  # classify_blocks calls a block a note because it matches
            label = definition.group("label")
            if label.startswith(NOTE_LABEL_PREFIX):
                problems.append(
                    Problem(
                        shown,
                        block.line,
                        label,
                        f"note labels starting '{NOTE_LABEL_PREFIX}' are the edition's own; rename the note",
                    )
                )
            elif label not in called_labels:
                problems.append(
                    Problem(
                        shown, block.line, label, f"no paragraph calls this note; call it with [^{label}] or remove it"
                    )
                )
        if block.kind == "article-note":
            attr = ATTR_LINE.search(block.text)
            if attr and attr.group("id") not in called_ids:
                problems.append(
                    Problem(
                        shown,
                        block.line,
                        attr.group("id"),
                        "no heading or paragraph calls this "
                        f"note; call it with <sup>[\\*](#{attr.group('id')})</sup> or remove it",
                    )
                )
        problems += _attribute_problems(shown, block)
        problems += citation_syntax_problems(block.text, shown, block.line)
    return problems


def _note_calls(content: str, base: int, citations: list[int]) -> list[tuple[int, int, str, re.Match[str] | int]]:
    """The note calls in a heading's or paragraph's text, in order: star markers, footnote references, citations.

    ``citations`` are the sorted body offsets of the page's citation blocks; ``base`` is the
    content's offset in the body.
    """
    calls: list[tuple[int, int, str, re.Match[str] | int]] = []
    calls += [(m.start(), m.end(), "star", m) for m in STAR_MARKER.finditer(content)]
    calls += [(m.start(), m.end(), "footnote", m) for m in FOOTNOTE_REF.finditer(content)]
    first = bisect.bisect_left(citations, base)
    last = bisect.bisect_left(citations, base + len(content))
    calls += [(start - base, -1, "citation", start) for start in citations[first:last]]
    return sorted(calls, key=lambda call: call[0])


def page_blocks(page: str, markdown: str, bib: Bibliography, index: CitationIndex) -> list[PageBlock]:
    """The article's blocks on one page, notes rendered as the reader will read them.

    Only the article's own blocks; what else the page holds is for ``page_block_problems`` to refuse.
    """
    front = FRONT_MATTER.match(markdown)
    line_offset = markdown[: front.end()].count("\n") if front else 0
    body = markdown[front.end() :] if front else markdown
    cites = {block.start: (block, c) for block, c in cites_by_block(body, page=page, bib=bib, index=index)}
    notes, candidates = _page_notes(page, body, cites)
    blocks = []
    for block in candidates:
        kind, ident, content, start = _block_content(block)
        text, texts, keys = _with_note_calls_replaced(content, start, notes, cites)
        blocks.append(PageBlock(page, block.line + line_offset, kind, ident, article_text(text), texts, keys))
    return blocks


_Cites = dict[int, tuple[CitationBlock, list[Cite]]]  # a citation block's body offset → the block and its sources


@dataclass
class _PageNotes:
    """The notes a page defines, and the citations they hold."""

    definitions: dict[str, str] = field(default_factory=dict)  # footnote label → its text, citations rendered
    definition_keys: dict[str, tuple[str, ...]] = field(default_factory=dict)  # footnote label → the keys it cites
    star_notes: dict[str, str] = field(default_factory=dict)  # the article's own starred notes, by id
    citation_starts: list[int] = field(default_factory=list)  # sorted body offsets of the citation blocks


def _page_notes(page: str, body: str, cites: _Cites) -> tuple[_PageNotes, list[RawBlock]]:
    """The page's notes, and its headings and paragraphs (the candidates for the article's blocks)."""
    notes = _PageNotes(citation_starts=sorted(cites))
    candidates: list[RawBlock] = []
    for block in classify_blocks(page, body):
        raw, offset = block.text, block.offset
        if block.kind == "note":
            definition = FOOTNOTE_DEF.match(raw)
            assert definition is not None
            text = raw[definition.start("text") :]
            label = definition.group("label")
            notes.definitions[label] = _render_in_note(text, offset + definition.start("text"), cites)
            notes.definition_keys[label] = tuple(ref.key for b in find_citation_blocks(text) for ref in b.refs)
        elif block.kind == "article-note":
            attr = ATTR_LINE.search(raw)
            assert attr is not None
            notes.star_notes[attr.group("id")] = raw[: attr.start()].removeprefix("\\*").strip()
        elif block.kind in ("heading", "paragraph"):
            candidates.append(block)
    return notes, candidates


def _block_content(block: RawBlock) -> tuple[str, str, str, int]:
    """(kind, paragraph id or '', the text without its heading marks or id line, its offset in the body)."""
    raw, offset = block.text, block.offset
    heading = _split_heading(raw) if block.kind == "heading" else None
    if heading:
        return "heading", "", heading[1], offset + heading[0]
    attr = ATTR_LINE.search(raw)
    assert attr is not None
    return "paragraph", attr.group("id"), raw[: attr.start()], offset


def _with_note_calls_replaced(
    content: str, start: int, notes: _PageNotes, cites: _Cites
) -> tuple[str, list[str], list[tuple[str, ...]]]:
    """The text with a placeholder for each note call, the notes' plain texts, and the keys each cites."""
    texts: list[str] = []
    keys: list[tuple[str, ...]] = []
    out, position = [], 0
    for call_start, call_end, what, found in _note_calls(content, start, notes.citation_starts):
        if call_start < position:
            continue  # inside a call already replaced
        text, cited_keys, end = _note_of(what, found, notes, cites, start)
        texts.append(plain_text(text))
        keys.append(cited_keys)
        out.append(content[position:call_start] + NOTE_PLACEHOLDER)
        position = call_end if end is None else end
    return "".join(out) + content[position:], texts, keys


def _note_of(
    what: str, found: re.Match[str] | int, notes: _PageNotes, cites: _Cites, start: int
) -> tuple[str, tuple[str, ...], int | None]:
    """A note call's note (before plain_text), the keys it cites, and where a citation's call ends (else None)."""
    if what == "star":
        assert isinstance(found, re.Match)
        return notes.star_notes.get(found.group("id"), ""), (), None
    if what == "footnote":
        assert isinstance(found, re.Match)
        label = found.group("label")
        return notes.definitions.get(label, ""), notes.definition_keys.get(label, ()), None
    assert isinstance(found, int)
    cited, sources = cites[found]
    return render_note(sources), tuple(c.entry.key for c in sources), cited.end - start


def _render_in_note(text: str, offset: int, cites: _Cites) -> str:
    """An explanatory note's text with its citations rendered in place."""
    out, position = [], 0
    for block in find_citation_blocks(text):
        _, found = cites[offset + block.start]
        out.append(text[position : block.start] + render_sources(found))
        position = block.end
    return "".join(out) + text[position:]


def compare_with_source(source: list[Block], edition: list[PageBlock]) -> list[Problem]:
    """Every block of the (emended) source must be in the edition, in order, word for word, notes too."""
    problems = []
    for i in range(max(len(source), len(edition))):
        if i >= len(edition):
            problems.append(
                Problem(
                    "docs",
                    None,
                    None,
                    f"the source's block from line {source[i].line} is missing: «{source[i].text[:30]}…»",
                )
            )
            break
        ed = edition[i]
        if i >= len(source):
            problems.append(Problem(f"docs/{ed.page}", ed.line, ed.id or None, "block not in the source article"))
            break
        src = source[i]
        expected = (src.kind, article_text(src.text), [plain_text(n) for n in src.notes])
        found = (ed.kind, ed.text, ed.notes)
        if expected != found:
            problems.append(
                Problem(
                    f"docs/{ed.page}",
                    ed.line,
                    ed.id or None,
                    "differs from source/article.md line " + f"{src.line}: " + _first_difference(expected, found),
                )
            )
            break  # later blocks would all be reported as shifted
    return problems


def _first_difference(expected: tuple[Any, ...], found: tuple[Any, ...]) -> str:
    if expected[0] != found[0]:
        return f"expected a {expected[0]}, found a {found[0]}"
    if expected[1] != found[1]:
        a, b = expected[1], found[1]
        i = next((k for k in range(min(len(a), len(b))) if a[k] != b[k]), min(len(a), len(b)))
        return f"text: source «…{a[max(0, i - 12) : i + 12]}…», edition «…{b[max(0, i - 12) : i + 12]}…»"
    if len(expected[2]) != len(found[2]):
        return f"{len(expected[2])} notes in the source, {len(found[2])} in the edition"
    k = next(k for k in range(len(expected[2])) if expected[2][k] != found[2][k])
    a, b = expected[2][k], found[2][k]
    i = next((j for j in range(min(len(a), len(b))) if a[j] != b[j]), min(len(a), len(b)))
    return f"note {k + 1}: source «…{a[max(0, i - 15) : i + 15]}…», edition «…{b[max(0, i - 15) : i + 15]}…»"
