"""The supplied PDF-to-Markdown conversion, parsed back into the article's structure.

The conversion prints notes at the foot of each printed page, numbered per page,
and the notes block often sits in the middle of a paragraph. Parsing resolves
each note marker (``<sup>[2]</sup>``) to the note block that follows it on the same
page, and rejoins the paragraphs the page breaks cut (the joins are listed in
``source/emendations.yml``, never guessed).

It also keeps where each printed page began: after a page's foot (its ``---`` rule or its
notes) the next text starts a new page, and so does the second half of every page join, even
one with no foot between its halves (a page without notes leaves only the cut paragraph).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from edition.problems import Problem, text_blocks

# The lookbehind starts a match only where a run of spaces starts: from inside the run, `\s*` would
# rescan it once for every space (quadratic in a long run of them).
MARKER = re.compile(r"(?<!\s)\s*<sup>\[?(?P<number>\d+|\\\*)\]?</sup>\s*")
NOTE_BLOCK = re.compile(r"^(?:\[(?P<number>\d+)\]|(?P<star>\\\*))\s+(?P<text>.+)$", re.DOTALL)
# The text starts where the spaces end, so the two cannot trade characters (quadratic on a long run).
HEADING = re.compile(r"^(?P<hashes>#+)[ \t]+(?P<text>[^ \t\n][^\n]*)\Z")
NOTE_PLACEHOLDER = "\ue000"  # where a note marker stood; one per note, in order
CLOSING = "。！？”』）)】"


@dataclass
class Block:
    kind: str  # "heading" or "paragraph"
    text: str  # with NOTE_PLACEHOLDER where each note marker stood
    line: int
    notes: list[str] = field(default_factory=list)
    level: int = 0
    note_numbers: list[str] = field(default_factory=list)  # as printed: per page, "*" for the funding note
    note_lines: list[int] = field(default_factory=list)
    # Where a new printed page begins inside ``text`` (0: with the block itself), in order.
    page_breaks: list[int] = field(default_factory=list)


@dataclass
class _Pending:
    number: str
    block: Block
    slot: int


def parse_article(
    text: str, joins: list[tuple[str, str]], shown: str = "source/article.md"
) -> tuple[list[Block], list[Problem]]:
    """Body blocks in order, each paragraph with the texts of its notes; plus problems found."""
    problems: list[Problem] = []
    blocks: list[Block] = []
    pending: list[_Pending] = []
    unused_joins = list(joins)
    previous_paragraph: Block | None = None
    notes_since_previous = False
    foot_since_previous = False  # a page's foot (rule or notes) since the last heading or paragraph

    for line, raw in text_blocks(text):
        if raw.strip() == "---":
            foot_since_previous = True
            continue
        note = NOTE_BLOCK.match(raw)
        if note:
            number = note.group("number") or "*"
            target = next((p for p in pending if p.number == number), None)
            if target is None:
                problems.append(Problem(shown, line, None, f"note [{number}] has no marker before it on its page"))
                continue
            pending.remove(target)
            target.block.notes[target.slot] = " ".join(note.group("text").split("\n"))
            target.block.note_lines[target.slot] = line
            notes_since_previous = foot_since_previous = True
            continue
        heading = HEADING.match(raw)
        if heading:
            block = Block("heading", "", line, level=len(heading.group("hashes")))
            block.text = _markers_to_placeholders(heading.group("text").strip(), block, pending, 0)
            if foot_since_previous and blocks:
                block.page_breaks.append(0)
            blocks.append(block)
            previous_paragraph, notes_since_previous, foot_since_previous = None, False, False
            continue

        join = next(
            (
                j
                for j in unused_joins
                if previous_paragraph is not None and previous_paragraph.text.endswith(j[0]) and raw.startswith(j[1])
            ),
            None,
        )
        if join and previous_paragraph is not None:  # (a join is only ever found after a paragraph)
            unused_joins.remove(join)
            block = previous_paragraph
            offset = len(block.notes)
            block.page_breaks.append(len(block.text))
            block.text += _markers_to_placeholders(raw, block, pending, offset)
        else:
            if (
                previous_paragraph is not None
                and notes_since_previous
                and not previous_paragraph.text.rstrip(NOTE_PLACEHOLDER).endswith(tuple(CLOSING))
            ):
                problems.append(
                    Problem(
                        shown,
                        previous_paragraph.line,
                        None,
                        "paragraph ends mid-sentence before a notes block: list the page join "
                        "in source/emendations.yml",
                    )
                )
            block = Block("paragraph", "", line)
            block.text = _markers_to_placeholders(raw, block, pending, 0)
            if foot_since_previous and blocks:
                block.page_breaks.append(0)
            blocks.append(block)
        previous_paragraph, notes_since_previous, foot_since_previous = block, False, False

    problems += [
        Problem(shown, p.block.line, None, f"note marker [{p.number}] has no note on its page") for p in pending
    ]
    problems += [
        Problem(shown, None, None, f"page join '{end}' / '{start}' matches no page break")
        for end, start in unused_joins
    ]
    return blocks, problems


def _markers_to_placeholders(raw: str, block: Block, pending: list[_Pending], offset: int) -> str:
    text = " ".join(raw.split("\n"))

    def replace(match: re.Match[str]) -> str:
        number = "*" if match.group("number") == "\\*" else match.group("number")
        block.notes.append("")
        block.note_numbers.append(number)
        block.note_lines.append(0)
        pending.append(_Pending(number, block, len(block.notes) - 1))
        return NOTE_PLACEHOLDER

    return MARKER.sub(replace, text)
