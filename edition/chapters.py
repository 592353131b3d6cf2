"""The edition's article pages read back as text, to prove them against the source.

A block of the article in a page is a heading, or a paragraph whose last line is an
attribute list with an id (``{#p2-4}``); everything else on a page (admonitions,
generated blocks, edition notes) is the edition's, not the article's. A paragraph
marked ``{#id .article-note}`` is a note called by ``<sup>[\\*](#id)</sup>``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from edition.bib import Bibliography
from edition.citations import CitationIndex, cites_by_block, find_citation_blocks
from edition.notes import render_note, render_sources
from edition.problems import Problem
from edition.source import NOTE_PLACEHOLDER, Block

ARTICLE_PAGES = ["index.md", "chapter-1.md", "chapter-2.md", "chapter-3.md", "chapter-4.md"]
CHAPTER_LABELS = ["首页", "第一章", "第二章", "第三章", "第四章"]  # as readers name the pages above
FRONT_MATTER = re.compile(r"\A---\n.*?\n---\n", re.DOTALL)
ATTR_LINE = re.compile(r"\n\{:?\s*#(?P<id>[\w-]+)(?P<rest>[^}\n]*)\}\s*$")
HEADING = re.compile(r"^#+\s+(?P<text>.+?)(?:\s*\{[^}]*\})?\s*$")
STAR_MARKER = re.compile(r"<sup>\[\\\*\]\(#(?P<id>[\w-]+)\)</sup>")
FOOTNOTE_REF = re.compile(r"\[\^(?P<label>[^\]\s]+)\](?!:)")
FOOTNOTE_DEF = re.compile(r"^\[\^(?P<label>[^\]\s]+)\]:\s*(?P<text>.*)$", re.DOTALL)
LINK = re.compile(r"\[(?P<text>[^\]]*)\]\((?P<url>[^)\s]*)\)")
AUTOLINK = re.compile(r"<(?P<url>https?://[^>\s]+)>")
LANG_SPAN = re.compile(r'<span lang="[\w-]+">|</span>')
PARAGRAPH_ID = re.compile(r"^p(?P<chapter>\d+)-(?P<number>\d+)$")


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
    """Text as a reader sees it: links by their text, autolinks by their address, escapes resolved."""
    text = LANG_SPAN.sub("", markdown)
    text = LINK.sub(lambda m: m.group("text"), text)
    text = AUTOLINK.sub(lambda m: m.group("url"), text)
    return text.replace("\\*", "*").replace("\\_", "_").strip()


def _raw_blocks(markdown: str) -> list[tuple[int, int, str]]:
    """(line, offset, text) of each blank-line separated block."""
    blocks, offset, line = [], 0, 1
    for chunk in re.split(r"(\n\s*\n)", markdown):
        if chunk.strip() and not re.fullmatch(r"\n\s*\n", chunk):
            lead = len(chunk) - len(chunk.lstrip("\n"))
            blocks.append((line + lead, offset + lead, chunk.strip("\n")))
        offset += len(chunk)
        line += chunk.count("\n")
    return blocks


def page_blocks(page: str, markdown: str, bib: Bibliography, index: CitationIndex) -> list[PageBlock]:
    """The article's blocks on one page, notes rendered as the reader will read them."""
    front = FRONT_MATTER.match(markdown)
    line_offset = markdown[: front.end()].count("\n") if front else 0
    body = markdown[front.end():] if front else markdown
    cites = {block.start: (block, c) for block, c in cites_by_block(body, page=page, bib=bib, index=index)}

    definitions: dict[str, str] = {}
    definition_keys: dict[str, tuple[str, ...]] = {}
    star_notes: dict[str, str] = {}
    candidates: list[tuple[int, int, str]] = []
    for line, offset, raw in _raw_blocks(body):
        definition = FOOTNOTE_DEF.match(raw)
        if definition:
            text = raw[definition.start("text"):]
            definitions[definition.group("label")] = _render_in_note(text, offset + definition.start("text"), cites)
            definition_keys[definition.group("label")] = tuple(
                ref.key for block in find_citation_blocks(text) for ref in block.refs)
            continue
        attr = ATTR_LINE.search(raw)
        if attr and ".article-note" in attr.group("rest"):
            star_notes[attr.group("id")] = raw[: attr.start()].removeprefix("\\*").strip()
            continue
        candidates.append((line, offset, raw))

    blocks = []
    for line, offset, raw in candidates:
        heading = HEADING.match(raw)
        attr = ATTR_LINE.search(raw)
        if heading and "\n" not in raw:
            kind, ident, content = "heading", "", heading.group("text")
            start = offset + heading.start("text")
        elif attr and not raw.startswith(("!!!", "???", "<", "    ")):
            kind, ident, content = "paragraph", attr.group("id"), raw[: attr.start()]
            start = offset
        else:
            continue
        notes: list[str] = []
        note_keys: list[tuple[str, ...]] = []

        def note_for(match: re.Match[str], base: int = start) -> str:
            if match.group(0).startswith("<sup>"):
                notes.append(plain_text(star_notes.get(match.group("id"), "")))
                note_keys.append(())
            elif match.group(0).startswith("[^"):
                notes.append(plain_text(definitions.get(match.group("label"), "")))
                note_keys.append(definition_keys.get(match.group("label"), ()))
            else:
                _, found = cites[base + match.start()]
                notes.append(plain_text(render_note(found)))
                note_keys.append(tuple(c.entry.key for c in found))
            return NOTE_PLACEHOLDER

        pattern = re.compile("|".join([STAR_MARKER.pattern, FOOTNOTE_REF.pattern, r"\[[^\]]*@[^\]]*\]"]))
        text = pattern.sub(note_for, content)
        blocks.append(PageBlock(page, line + line_offset, kind, ident, plain_text(text), notes, note_keys))
    return blocks


def _render_in_note(text: str, offset: int, cites: dict) -> str:
    """An explanatory note's text with its citations rendered in place."""
    out, position = [], 0
    for block in find_citation_blocks(text):
        _, found = cites[offset + block.start]
        out.append(text[position:block.start] + render_sources(found))
        position = block.end
    return "".join(out) + text[position:]


def compare_with_source(source: list[Block], edition: list[PageBlock]) -> list[Problem]:
    """Every block of the (emended) source must be in the edition, in order, word for word, notes too."""
    problems = []
    for i in range(max(len(source), len(edition))):
        if i >= len(edition):
            problems.append(Problem("docs", None, None, f"the source's block from line {source[i].line} is missing: "
                                    f"«{source[i].text[:30]}…»"))
            break
        ed = edition[i]
        if i >= len(source):
            problems.append(Problem(f"docs/{ed.page}", ed.line, ed.id or None, "block not in the source article"))
            break
        src = source[i]
        expected = (src.kind, plain_text(src.text), [plain_text(n) for n in src.notes])
        found = (ed.kind, ed.text, ed.notes)
        if expected != found:
            problems.append(Problem(f"docs/{ed.page}", ed.line, ed.id or None,
                                    "differs from source/article.md line " + f"{src.line}: " + _first_difference(expected, found)))
            break  # later blocks would all be reported as shifted
    return problems


def _first_difference(expected: tuple, found: tuple) -> str:
    if expected[0] != found[0]:
        return f"expected a {expected[0]}, found a {found[0]}"
    if expected[1] != found[1]:
        a, b = expected[1], found[1]
        i = next((k for k in range(min(len(a), len(b))) if a[k] != b[k]), min(len(a), len(b)))
        return f"text: source «…{a[max(0, i - 12):i + 12]}…», edition «…{b[max(0, i - 12):i + 12]}…»"
    if len(expected[2]) != len(found[2]):
        return f"{len(expected[2])} notes in the source, {len(found[2])} in the edition"
    k = next(k for k in range(len(expected[2])) if expected[2][k] != found[2][k])
    a, b = expected[2][k], found[2][k]
    i = next((j for j in range(min(len(a), len(b))) if a[j] != b[j]), min(len(a), len(b)))
    return f"note {k + 1}: source «…{a[max(0, i - 15):i + 15]}…», edition «…{b[max(0, i - 15):i + 15]}…»"
