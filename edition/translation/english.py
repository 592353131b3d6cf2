"""The English translation, read block by block and held to the Chinese page it translates.

A page of ``translation/en/`` mirrors its page of ``docs/``: the same headings, paragraphs and notes in
the same order, each block ending in ``{#ID status=draft}``. These rules prove what a machine can prove
of a translation: that nothing is missing or out of place (alignment), that every note and citation is
where the Chinese has it (notes), that every number and date of the Chinese is in the English (numbers,
dates), and that the English is clean (no stray Chinese outside cited titles, quotation marks balanced).
Whether it is a good translation is for its readers; ``status=reviewed`` records that a second reader, named
as ``reviewer:`` in the page's front matter, has checked the block against the Chinese.
"""

from __future__ import annotations

import html
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path

import yaml

from edition.dates import find_date_mentions
from edition.escape import url_scheme
from edition.paths import TRANSLATION
from edition.problems import EditionError, Problem, attempt, read_text, safe_name
from edition.records import (
    MAX_REPORTED,
    OR_REMOVE,
    RefusedYAML,
    SchemaError,
    describe,
    parse_yaml,
    schema_errors,
    shown_text,
    unknown_field,
    unknown_fields,
)
from edition.reference.glossary import Glossary, TermMatcher
from edition.sources.bib import Bibliography
from edition.sources.citations import find_citation_blocks
from edition.sources.notes import MONTHS, missing_english
from edition.text.chapters import RENDERED_URL, split_blocks
from edition.text.markdown_html import markdown_html, may_hold_address

STATUSES = ("draft", "reviewed")
FRONT_SCHEMA = "translation"  # edition/schemas/translation.schema.json: page, translator, reviewer

_FRONT_MATTER = re.compile(r"\A---\n(?P<body>.*?)\n---\n", re.DOTALL)
_ATTRIBUTES = re.compile(r"\n\{:?[ \t]*#(?P<id>[A-Za-z0-9-]+)(?P<rest>[^}\n]*)\}[ \t]*\Z")
_STATUS = re.compile(r"^[ \t]+status=(?P<status>\S+)[ \t]*$")
_NOTE_DEFINITION = re.compile(r"\A\[\^(?P<label>[^\]\s]+)\]:[ \t]?")
_NOTE_CALL = re.compile(r"\[\^(?P<label>[^\[\]\s]+)\](?!:)")
_LINK_TARGET = re.compile(r"\]\([^()\s]*\)")
# Tags and autolinks as Markdown passes them through; <sup> is the title's call of the funding note.
_TAG_START = re.compile(r"</?[A-Za-z!?][^<>\n]{0,40}>?")
_ALLOWED_TAGS = frozenset({"<sup>", "</sup>"})
_SUP = re.compile(r"</?sup>")
_BRACES = re.compile(r"\{[^{}\n]*\}")  # attr_list reads {…} with or without a colon
_REFERENCE_DEFINITION = re.compile(r"^[ ]{0,3}\[[^\]\n]+\]:", re.MULTILINE)
_ESCAPED_CALL = re.compile(r"\\\[\^|`[^`\n]*\[\^")
# A line that Markdown would read as another block: a heading, a list item, a quotation, a rule, a setext
# underline, indented or fenced code.
_BLOCK_START = re.compile(
    r"^(?:[ ]{0,3}(?:#{1,6}(?:[ \t]|$)|[-*+][ \t]|\d{1,9}[.)][ \t]|>|(?:[-*_][ \t]*){3,}$|=+[ \t]*$|```|~~~)|[ ]{4}|\t)"
)
_CITED_TITLE = re.compile(r"《[^《》\n]*》")
_QUOTATION_MARK = re.compile("[“”]")
_CJK = re.compile(r"[\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff01-\uff5e]")
_ZH_NUMBER = re.compile(
    r"(?<![\d.])(?P<digits>\d+(?:\.\d+)?)[ \t]*(?P<unit>[%\uff05]|万亿|亿|万)?"
)  # ASCII or full-width percent
_EN_NUMBER = re.compile(
    r"(?<![\d.,])(?P<digits>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)"
    r"(?:[ \t]*(?P<percent>%)|[ \t]+(?P<scale>thousand|million|billion|trillion)\b)?"
)
_SCALES = {
    "万亿": Decimal(10) ** 12,
    "亿": Decimal(10) ** 8,
    "万": Decimal(10) ** 4,
    "thousand": Decimal(10) ** 3,
    "million": Decimal(10) ** 6,
    "billion": Decimal(10) ** 9,
    "trillion": Decimal(10) ** 12,
}
# Curly quotes and dashes as their plain forms (written as escapes: the curly opening quote looks like a backtick).
_PLAIN_PUNCTUATION = str.maketrans(
    {"\u2019": "'", "\u2018": "'", "\u201c": '"', "\u201d": '"', "\u2013": "-", "\u2014": "-"}
)
_EN_DATE = re.compile(rf"\b(?:{'|'.join(MONTHS)})(?:[ \t]+\d{{1,2}}\b)?(?:,?[ \t]+\d{{4}}\b)?")


@dataclass(frozen=True)
class Block:
    """One heading, paragraph or front-matter block of a page, with the notes defined after it."""

    id: str
    line: int
    text: str
    notes: tuple[tuple[str, str, int], ...] = ()  # (label, text, line) in the order defined
    status: str = ""


@dataclass(frozen=True)
class EnglishPage:
    shown: str
    front: dict[str, str]
    blocks: tuple[Block, ...]
    front_lines: Mapping[str, int] = field(default_factory=dict)  # each front-matter field's line in the file


# -- reading ----------------------------------------------------------------------------------------------------


def _raw_blocks(markdown: str) -> list[tuple[int, str]]:
    """(line, text) of each block of a translation page, front matter left out."""
    front = _FRONT_MATTER.match(markdown)
    start = front.end() if front else 0
    skipped = markdown[:start].count("\n")
    return [(line + skipped, text) for line, _, text in split_blocks(markdown[start:])]


def _article_blocks(markdown: str) -> list[tuple[int, str]]:
    """(line, text) of the blocks that belong to the article: not the edition's boxes (本版说明), which are
    an admonition and its indented lines."""
    found, in_admonition = [], False
    for line, text in _raw_blocks(markdown):
        if text.startswith(("!!!", "???")) or (in_admonition and text.startswith(("    ", "\t"))):
            in_admonition = True
            continue
        in_admonition = False
        found.append((line, text))
    return found


def _with_note(blocks: list[Block], note: re.Match[str], text: str, line: int, shown: str) -> list[Problem]:
    """The note defined by ``text`` added to the block before it."""
    if not blocks:
        return [
            Problem(
                shown,
                line,
                note.group("label"),
                "a note before any paragraph; put it after the paragraph that calls it",
            )
        ]
    last = blocks[-1]
    blocks[-1] = Block(
        last.id, last.line, last.text, (*last.notes, (note.group("label"), text[note.end() :], line)), last.status
    )
    return []


def _block(text: str, line: int, shown: str, *, english: bool) -> Block | Problem:
    """A heading or paragraph with its id (and, in the English, its status), or what is wrong with it."""
    attributes = _ATTRIBUTES.search("\n" + text)
    if attributes:
        ident, body = attributes.group("id"), text[: attributes.start()].rstrip("\n")
    elif text.startswith("# "):
        ident, body = "heading", text
    else:
        return Problem(
            shown,
            line,
            None,
            "a block without an id; end it with a line {#ID status=draft} naming the Chinese block it translates"
            if english
            else "a block without an id",
        )
    if not english:
        return Block(ident, line, body)
    found = _STATUS.match(attributes.group("rest")) if attributes else None
    if found is None or found.group("status") not in STATUSES:
        return Problem(
            shown,
            line + body.count("\n") + 1 if attributes else line,
            ident,
            f"the id line must say the block's status: {{#{ident} status=draft}} or status=reviewed",
        )
    return Block(ident, line, body, status=found.group("status"))


def _page_blocks(markdown: str, shown: str, *, english: bool) -> tuple[list[Block], list[Problem]]:
    blocks: list[Block] = []
    problems: list[Problem] = []
    for line, text in _article_blocks(markdown):
        note = _NOTE_DEFINITION.match(text)
        if text.lstrip().startswith("<!--"):
            if english:
                problems.append(Problem(shown, line, None, "a page marker belongs to the Chinese page only; remove it"))
        elif note:
            problems += _with_note(blocks, note, text, line, shown)
        else:
            block = _block(text, line, shown, english=english)
            if isinstance(block, Problem):
                problems.append(block)
            else:
                blocks.append(block)
    return blocks, problems


def chinese_blocks(page: str, markdown: str) -> list[Block]:
    """The article's blocks of a page of docs/: its heading (the front page's is its title), paragraphs, notes."""
    blocks, _ = _page_blocks(markdown, f"docs/{page}", english=False)
    return [Block("title", b.line, b.text, b.notes) if b.id == "heading" and page == "index.md" else b for b in blocks]


def _front_schema_problems(error: SchemaError, lines: Mapping[str, int], shown: str, page: str) -> list[Problem]:
    """One way the front matter breaks its schema, at the field's line, in a contributor's words."""
    if error.keyword == "required":
        missing = error.missing or ""
        what = f"the page it translates: page: {page}" if missing == "page" else "the translator: translator: …"
        return [Problem(shown, 1, missing, f"the front matter must name {what}")]
    names, known = unknown_fields(error)
    if names:
        return [Problem(shown, lines.get(name, 1), shown_text(name, 40), unknown_field(name, known)) for name in names]
    key = str(error.path[0]) if error.path else None
    message = describe(error).replace(OR_REMOVE, "" if key in ("page", "translator") else OR_REMOVE)
    return [Problem(shown, lines.get(key, 1) if key else 1, key, message)]


def _front_matter(markdown: str, shown: str, page: str) -> tuple[dict[str, str], dict[str, int], list[Problem]]:
    """The front matter's fields and their lines, read through the one YAML door and held to its schema."""
    found = _FRONT_MATTER.match(markdown)
    if found is None:
        return {}, {}, []  # front_matter_problems names what is missing
    try:
        node, data = parse_yaml(found.group("body"))
    except RefusedYAML as refused:  # anchors, tags, nesting, size: each says what to do itself
        return {}, {}, [Problem(shown, f.line + 2, f.key, f.message) for f in refused.findings]
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        problem = getattr(error, "problem", None) or "unreadable"
        return (
            {},
            {},
            [
                Problem(
                    shown,
                    mark.line + 2 if mark else 1,
                    None,
                    f"front matter is not valid YAML ({problem}); quote a value that contains a colon",
                )
            ],
        )
    if not isinstance(data, dict) or not isinstance(node, yaml.MappingNode):
        return (
            {},
            {},
            [Problem(shown, 2, None, "front matter must be 'field: value' lines: page, translator, reviewer")],
        )
    lines = {key.value: key.start_mark.line + 2 for key, _ in node.value if isinstance(key, yaml.ScalarNode)}
    errors = schema_errors(FRONT_SCHEMA, data, limit=MAX_REPORTED)
    problems = [problem for error in errors for problem in _front_schema_problems(error, lines, shown, page)]
    return {k: v.strip() for k, v in data.items() if isinstance(v, str)}, lines, problems


def read_english_page(path: Path, shown: str) -> EnglishPage:
    """One page of translation/en/; EditionError with every problem of its front matter and its blocks."""
    markdown = read_text(path, shown)
    front, lines, problems = _front_matter(markdown, shown, path.name)
    blocks, block_problems = _page_blocks(markdown, shown, english=True)
    problems += block_problems
    if problems:
        raise EditionError(problems)
    return EnglishPage(shown, front, tuple(blocks), lines)


# -- the rules ----------------------------------------------------------------------------------------------------


def front_matter_problems(page: str, english: EnglishPage) -> list[Problem]:
    problems = []
    if english.front.get("page") != page:
        problems.append(
            Problem(english.shown, 1, "page", f"the front matter must name the page it translates: page: {page}")
        )
    if not english.front.get("translator"):
        problems.append(
            Problem(english.shown, 1, "translator", "the front matter must name the translator: translator: …")
        )
    return problems


def review_problems(english: EnglishPage) -> list[Problem]:
    """A block marked status=reviewed names its second reader: the front matter's reviewer, who is not the
    translator (a translator's own second reading is what status=draft already records)."""
    reviewer = english.front.get("reviewer", "")
    if not reviewer:
        return [
            Problem(
                english.shown,
                block.line,
                block.id,
                "status=reviewed, but the front matter names no reviewer; add reviewer: … (who read it against "
                "the Chinese), or set status=draft",
            )
            for block in english.blocks
            if block.status == "reviewed"
        ]
    if reviewer.casefold() == english.front.get("translator", "").casefold():
        return [
            Problem(
                english.shown,
                english.front_lines.get("reviewer", 1),
                "reviewer",
                "the reviewer is the translator; a review is a second person's reading against the Chinese: "
                "name that reader, or remove reviewer: and keep the blocks at status=draft",
            )
        ]
    return []


def alignment_problems(chinese: list[Block], english: EnglishPage) -> list[Problem]:
    """Every block of the Chinese page once in the English, in the same order, and no English block without one."""
    zh_ids = [b.id for b in chinese]
    seen: Counter[str] = Counter()
    problems = []
    for block in english.blocks:
        seen[block.id] += 1
        if block.id not in zh_ids:
            message = f"no block of the Chinese page has this id; the ids are: {', '.join(zh_ids)}"
        elif seen[block.id] == 2:
            message = "translated twice; keep one"
        else:
            continue
        problems.append(Problem(english.shown, block.line, block.id, message))
    at = {b.id: b.line for b in english.blocks}
    problems += [
        Problem(english.shown, None, ident, "this block of the Chinese page has no English; translate it, in its place")
        for ident in zh_ids
        if ident not in at
    ]
    in_both = [b.id for b in english.blocks if b.id in zh_ids and seen[b.id] == 1]
    expected = [ident for ident in zh_ids if ident in in_both]
    if in_both != expected:
        first = next(i for i, (a, b) in enumerate(zip(in_both, expected, strict=True)) if a != b)
        problems.append(
            Problem(
                english.shown,
                at[in_both[first]],
                in_both[first],
                f"out of order: the Chinese page has {expected[first]} here; keep the Chinese order",
            )
        )
    return problems


def _calls(text: str) -> tuple[list[str], list[str]]:
    """The note labels called and the citation keys cited, in order."""
    return _NOTE_CALL.findall(text), [ref.key for block in find_citation_blocks(text) for ref in block.refs]


def note_problems(shown: str, chinese: Block, english: Block) -> list[Problem]:
    """The notes the paragraph calls and the sources it cites, in the Chinese order; each note's own citations too."""
    problems = []
    zh_labels, zh_keys = _calls(chinese.text)
    en_labels, en_keys = _calls(english.text)
    if en_labels != zh_labels:
        problems.append(
            Problem(
                shown,
                english.line,
                english.id,
                f"calls the notes {en_labels or 'none'} where the "
                f"Chinese calls {zh_labels or 'none'}; keep every note call, in order",
            )
        )
    if en_keys != zh_keys:
        problems.append(
            Problem(
                shown,
                english.line,
                english.id,
                f"cites {en_keys or 'nothing'} where the Chinese "
                f"cites {zh_keys or 'nothing'}; keep every citation, with its key, in order",
            )
        )
    zh_notes = {label: text for label, text, _ in chinese.notes}
    en_notes = {label: (text, line) for label, text, line in english.notes}
    if list(en_notes) != list(zh_notes):
        problems.append(
            Problem(
                shown,
                english.line,
                english.id,
                f"defines the notes {list(en_notes) or 'none'} after "
                f"it where the Chinese defines {list(zh_notes) or 'none'}",
            )
        )
    for label, (text, line) in en_notes.items():
        if label in zh_notes and _calls(text)[1] != _calls(zh_notes[label])[1]:
            problems.append(
                Problem(
                    shown,
                    line,
                    label,
                    f"the note cites {_calls(text)[1] or 'nothing'} where the "
                    f"Chinese note cites {_calls(zh_notes[label])[1] or 'nothing'}",
                )
            )
    return problems


def _prose(text: str) -> str:
    """The words a reader reads: citations, note calls and link targets removed (their numbers are not the text's)."""
    pieces, position = [], 0
    for block in find_citation_blocks(text):  # the citation syntax as the notes read it (edition.sources)
        pieces += [text[position : block.start], " "]
        position = block.end
    without_citations = "".join([*pieces, text[position:]])
    return _LINK_TARGET.sub("]", _NOTE_CALL.sub(" ", without_citations))


def _value(digits: str, unit: str | None) -> str:
    try:
        value = Decimal(digits.replace(",", "")) * _SCALES.get(unit or "", Decimal(1))
    except InvalidOperation:
        return digits
    shown = format(value.normalize(), "f")
    return shown + "%" if unit in {"%", "\uff05"} else shown


def chinese_numbers(text: str) -> Counter[str]:
    """The numbers of a Chinese text outside its dates (dates have their own rule), 亿 and 万 multiplied out."""
    prose = _prose(text)
    pieces, position = [], 0
    for mention in find_date_mentions(prose, 2000):
        pieces += [prose[position : mention.start], " "]
        position = mention.end
    outside_dates = "".join([*pieces, prose[position:]])
    return Counter(_value(m.group("digits"), m.group("unit")) for m in _ZH_NUMBER.finditer(outside_dates))


def english_numbers(text: str) -> Counter[str]:
    prose = _EN_DATE.sub(" ", _prose(text))
    return Counter(
        _value(m.group("digits"), m.group("percent") or m.group("scale")) for m in _EN_NUMBER.finditer(prose)
    )


def _show(value: str) -> str:
    # Decimal, not int: a number of thousands of digits is text a contributor wrote, not a traceback.
    return value if "." in value or len(value) < 5 or value.endswith("%") else format(Decimal(value), ",f")


def number_problems(shown: str, chinese: Block, english: Block) -> list[Problem]:
    """Every number of the Chinese in the English: 111亿美元 is 11.1 billion dollars; a percentage stays one."""
    missing = chinese_numbers(chinese.text) - english_numbers(english.text)
    return [
        Problem(
            shown,
            english.line,
            english.id,
            f"the Chinese has {_show(value)}"
            + (f" ({count} times more)" if count > 1 else "")
            + " but the English does not; "
            "write every number (亿 = 100 million, 万 = 10,000; a percentage stays a percentage)",
        )
        for value, count in sorted(missing.items())
    ]


def chinese_dates(text: str) -> Counter[str]:
    """How each date of a Chinese text is written in English at its precision: April 2, 2025 · April 2 ·
    April 2025 · April; a span 2—3月 as its two months."""
    found: Counter[str] = Counter()
    for mention in find_date_mentions(_prose(text), 2000):
        date, year = mention.date, "" if mention.year_from_context else f"{mention.date.year}"
        if mention.until is not None and mention.until.month and date.month:
            found.update([MONTHS[date.month - 1], MONTHS[mention.until.month - 1]])
        elif date.month and date.day:
            found[f"{MONTHS[date.month - 1]} {date.day}" + (f", {year}" if year else "")] += 1
        elif date.month:
            found[f"{MONTHS[date.month - 1]}" + (f" {year}" if year else "")] += 1
    return found


def date_problems(shown: str, chinese: Block, english: Block) -> list[Problem]:
    prose = _prose(english.text)
    return [
        Problem(
            shown,
            english.line,
            english.id,
            f"the Chinese dates something '{written}' but the English "
            "does not say it; write the date at the Chinese's precision (2025年4月2日: April 2, 2025)",
        )
        for written, count in sorted(chinese_dates(chinese.text).items())
        if len(re.findall(rf"\b{re.escape(written)}\b", prose)) < count
    ]


def hygiene_problems(shown: str, english: Block) -> list[Problem]:
    """No Chinese left in English prose (a cited title in 《》 may keep it); curly quotation marks paired."""
    problems = []
    for label, text, line in ((None, english.text, english.line), *((n, t, ln) for n, t, ln in english.notes)):
        prose = _prose(text)
        stray = _CJK.search(_CITED_TITLE.sub(" ", prose))
        if stray:
            problems.append(
                Problem(
                    shown,
                    line,
                    label or english.id,
                    f"Chinese text '{stray.group(0)}' in the English;"
                    " translate it (a cited Chinese title stays in 《》)",
                )
            )
        depth = 0
        for mark in _QUOTATION_MARK.findall(prose):  # only the marks move the depth: not every character read
            depth += 1 if mark == "“" else -1
            if depth < 0 or depth > 2:
                break
        if depth != 0:
            problems.append(
                Problem(
                    shown, line, label or english.id, "the quotation marks “ ” do not pair up; close each quotation"
                )
            )
    return problems


def _markup_problem(text: str, heading: bool) -> str | None:
    """What in one English text is more than prose (the first thing found), or None."""
    tag = next((m.group(0) for m in _TAG_START.finditer(text) if m.group(0) not in _ALLOWED_TAGS), None)
    if tag is not None:
        return f"raw HTML '{tag[:20]}' in the English; write Markdown (<sup> only, in a title)"
    sups = _SUP.findall(text)
    if sups and (not heading or sups != ["<sup>", "</sup>"] * (len(sups) // 2) or len(sups) % 2):
        return "<sup> only in a title, as one pair <sup>…</sup>; remove it or close it"
    if _BRACES.search(text):
        return (
            "braces { … } in the English: Markdown reads them as attributes; only the block's own last line "
            "{#ID status=…} has them"
        )
    if _REFERENCE_DEFINITION.search(text):
        return "a link definition [name]: address in the English; write the link in place, [text](https://…)"
    if _ESCAPED_CALL.search(text):
        return "an escaped or quoted note call (\\[^…] or `…[^…]`); a note is called as [^label]"
    block_line = next((line for line in text.split("\n")[0 if not heading else 1 :] if _BLOCK_START.match(line)), None)
    if block_line is not None:
        return (
            f"'{block_line[:20]}' starts a heading, list, quotation, rule or code block: the English of a paragraph "
            "is one paragraph of prose"
        )
    return None


def markup_problems(shown: str, english: Block) -> list[Problem]:
    """The English is prose: Markdown's emphasis and links to a place on the page or to http(s), and one <sup>
    pair in a title (the * to the funding note); no other HTML, no attribute list, no link definition, no block
    of another kind inside a paragraph, no image, no link elsewhere. Each would let the English escape its
    paragraph or put on the page what the checks did not read."""
    problems = []
    for label, text, line in ((None, english.text, english.line), *((n, t, ln) for n, t, ln in english.notes)):
        key = label or english.id
        found = _markup_problem(text, heading=label is None and text.startswith("# "))
        if found is not None:
            problems.append(Problem(shown, line, key, found))
            continue  # the rendering would only say the same again
        if not may_hold_address(text):
            continue
        rendered = markdown_html(text)
        if "<img" in rendered:
            problems.append(Problem(shown, line, key, "an image in the English: there are no images; remove it"))
            continue
        for match in RENDERED_URL.finditer(rendered):
            url = html.unescape(match.group("url"))
            if not (url.startswith("#") or url_scheme(url) in {"http", "https"}):
                problems.append(
                    Problem(
                        shown,
                        line,
                        key,
                        f"link to '{url[:40]}' refused: a link in the English goes to a place on the page "
                        "(#id) or to http(s)",
                    )
                )
                break
    return problems


def _comparable(text: str) -> str:
    """Text as a term is looked for in it: case, curly or straight quotes and dashes do not matter."""
    folded = unicodedata.normalize("NFC", text).casefold()
    return folded.translate(_PLAIN_PUNCTUATION)


def _renders(english: str, rendering: str) -> bool:
    """``rendering`` is in ``english``, in the singular too (fentanyl tariffs: the 10% fentanyl tariff)."""
    return _renders_in(_comparable(english), rendering)


def _renders_in(text: str, rendering: str) -> bool:
    """_renders, for English already made _comparable (once for all the terms of a block)."""
    wanted = _comparable(rendering)
    forms = {wanted, wanted.removesuffix("s")} if wanted.endswith("s") else {wanted}
    return any(_starts_a_word_in(text, form) for form in forms)


def _starts_a_word_in(text: str, form: str) -> bool:
    """Whether ``form`` occurs in ``text`` not right after a letter a–z. Searched with str.find: a pattern for each
    form was compiled once per form and per build, and the compiling cost more than all the searching."""
    start = text.find(form)
    while start > 0 and "a" <= text[start - 1] <= "z":
        start = text.find(form, start + 1)
    return start >= 0


def term_problems(
    shown: str, chinese: Block, english: Block, glossary: Glossary, matcher: TermMatcher
) -> list[Problem]:
    """Every glossary term of the Chinese block rendered by the glossary's English or one of its variants."""
    problems = []
    pairs = [(chinese.text, english.text, english.line, english.id)]
    zh_notes = {label: text for label, text, _ in chinese.notes}
    pairs += [(zh_notes[label], text, line, label) for label, text, line in english.notes if label in zh_notes]
    for zh, en, line, key in pairs:
        comparable = _comparable(en)
        for ident in sorted({match.entry for match in matcher.finditer(_prose(zh))}):
            entry = glossary.by_id[ident]
            if english.id in entry.excluded_paragraphs:  # the words name something else here (not_used_in)
                continue
            if not any(_renders_in(comparable, form) for form in (entry.en, *entry.en_variants)):
                forms = ", ".join(f"'{form}'" for form in (entry.en, *entry.en_variants))
                problems.append(
                    Problem(
                        shown,
                        line,
                        key,
                        f"the Chinese names {entry.zh} ({ident}) but the English has "
                        f"none of {forms}; use the glossary's rendering, or add the form used to the "
                        "entry's en_variants in data/glossary.yml",
                    )
                )
    return problems


def page_problems(
    page: str,
    chinese_markdown: str,
    english: EnglishPage,
    glossary: Glossary | None = None,
    matcher: TermMatcher | None = None,
) -> list[Problem]:
    chinese = chinese_blocks(page, chinese_markdown)
    problems = front_matter_problems(page, english) + review_problems(english) + alignment_problems(chinese, english)
    by_id = {b.id: b for b in chinese}
    matcher = matcher or TermMatcher(glossary.entries if glossary else [])
    checked = set()
    for block in english.blocks:
        source = by_id.get(block.id)
        if source is None or block.id in checked:
            continue  # reported by the alignment rule; a second copy is not compared again
        checked.add(block.id)
        problems += note_problems(english.shown, source, block)
        problems += number_problems(english.shown, source, block)
        problems += date_problems(english.shown, source, block)
        problems += hygiene_problems(english.shown, block)
        problems += markup_problems(english.shown, block)
        if glossary is not None:
            problems += term_problems(english.shown, source, block, glossary, matcher)
    return problems


def load_translation(root: Path, article_pages: Iterable[str]) -> dict[str, EnglishPage]:
    """translation/en/: one English page per page of the article, by the page's name; {} when there is no
    translation. EditionError with every problem: a page missing, a file that translates no page, a block
    that cannot be read."""
    folder = root / TRANSLATION
    if not folder.is_dir():
        return {}
    pages = list(article_pages)
    problems: list[Problem] = [
        Problem(
            f"{TRANSLATION.as_posix()}/{safe_name(path.name)}",
            None,
            None,
            f"translates no page of the article; name it as the page of docs/ it translates: {', '.join(pages)}",
        )
        for path in sorted(folder.iterdir())
        if path.name not in pages
    ]
    translation = {}
    for page in pages:
        shown = f"{TRANSLATION.as_posix()}/{page}"
        if not (folder / page).exists():
            problems.append(Problem(shown, None, None, f"docs/{page} has no English translation; add this file"))
            continue
        english = attempt(problems, read_english_page, folder / page, shown)
        if english is not None:
            translation[page] = english
    if problems:
        raise EditionError(problems)
    return translation


def english_source_problems(translation: Mapping[str, EnglishPage], bib: Bibliography) -> list[Problem]:
    """Each Chinese source the English notes cite has its English (title-en, …) in refs.bib, to print in brackets."""
    cited: dict[str, str] = {}
    for english in translation.values():
        for block in english.blocks:
            for text in (block.text, *(note for _, note, _ in block.notes)):
                for found in find_citation_blocks(text):
                    for ref in found.refs:
                        cited.setdefault(ref.key, english.shown)
    problems = []
    for key, shown in cited.items():
        if key not in bib:
            continue  # the citation rules name an unknown key
        entry = bib[key]
        problems += [
            Problem(
                bib.path,
                entry.line,
                key,
                f"cited in {shown}, whose notes print a Chinese source's English: add {name}-en = {{…}}, the "
                f"edition's English for its {name}",
            )
            for name in missing_english(entry)
        ]
    return problems


def translation_problems(
    translation: dict[str, EnglishPage],
    article_pages: Iterable[tuple[str, str]],
    glossary: Glossary | None = None,
    bib: Bibliography | None = None,
) -> list[Problem]:
    """Every page of the translation against its Chinese page; the English of the sources its notes cite."""
    matcher = TermMatcher(glossary.entries if glossary else [])  # one for every page
    problems = [
        problem
        for page, markdown in article_pages
        if page in translation
        for problem in page_problems(page, markdown, translation[page], glossary, matcher)
    ]
    return problems + (english_source_problems(translation, bib) if bib is not None else [])
