"""YAML data files read through one checked door, validated by a JSON Schema, every error at its file:line.

Every data file (data/glossary.yml, data/timeline.yml, data/article.yml, source/emendations.yml)
and the front matter of every annotation is untrusted text. It is read in three steps:

1. **Bounded reading.** A file over its size limit, or that is not a regular file, is refused
   before its text is read.
2. **Checked composing.** libyaml's parser yields events; this module composes the document
   from them itself and refuses, before anything is built, what plain data never needs:
   anchors and aliases (a 1 KB "billion laughs" alias bomb expands to gigabytes only when it is
   composed or constructed; here it is refused at its first ``&``), tags (``!!python/…``,
   ``!!binary``, ``!!set``, ``!foo``), merge keys (``<<``), keys that are lists or mappings,
   duplicate keys, nesting deeper than the data needs, and a second document. Scalars are
   resolved by the YAML 1.2 core rules, narrowed: ``yes``/``no``/``on``/``off`` stay text (the
   "Norway problem"), ``2026-03-01`` stays text (our date checks, not the YAML library, say what
   is wrong with a bad date), ``0x1F``, ``0o17``, ``1:30`` and numbers of more than 18 digits stay
   text (Python refuses to convert a 5,000-digit number, and none of our numbers is long). A
   syntax error is said at the line to edit, and the slips of a first YAML file by name: a tab
   that indents, a full-width colon ``：`` after a field name, a value holding ``: ``, Chinese
   quotation marks taken for quotes.
3. **Schema.** The values are validated by ``edition/schemas/NAME.schema.json`` (jsonschema-rs);
   each error's path (``[3, "related", 1]``) is walked back through the composed nodes to the line
   a contributor has to edit, and said as what is wrong and what to do (an unknown field with the
   field it probably meant: ``unknown_field``, the one wording for data files and annotations).
"""

from __future__ import annotations

import difflib
import functools
import json
import re
import unicodedata
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jsonschema_rs
import yaml

from edition.escape import visible_text
from edition.problems import EditionError, Problem, SizeLimit, display_path, read_text

SCHEMAS = Path(__file__).parent / "schemas"

# Size limits, in bytes of UTF-8. The largest data file today (the glossary) is 60 KB: 1 MB leaves
# sixteen times that for the book to grow, and reading, checking and matching 1 MB of YAML stays
# well under a second. article.yml and an annotation's front matter hold a dozen short fields
# (under 1 KB); 64 KB leaves room for a long quoted passage and refuses anything pasted by mistake.
DATA_FILE_LIMIT = 1024 * 1024
SMALL_FILE_LIMIT = 64 * 1024
FRONT_MATTER_LIMIT = SMALL_FILE_LIMIT
# Work grows with the number of values, not of bytes: a megabyte of one-letter list items is
# 260,000 values, and composing and validating them would take seconds. The book's files hold
# one value per 20–34 bytes; one per 25 bytes of the size limit is the cap (41,943 values in a
# data file, 2,621 in front matter), so a file within its size limit is checked in about a second.
BYTES_PER_VALUE = 25
# The deepest data is a list of records holding a list of mappings (timeline mentions): depth 3.
MAX_DEPTH = 6
# A file that is wrong everywhere (a list of 100,000 numbers) is reported in part: what is shown
# is enough to see the mistake, and printing every one would take longer than fixing the file.
MAX_REPORTED = 50

STR = "tag:yaml.org,2002:str"
INT = "tag:yaml.org,2002:int"
FLOAT = "tag:yaml.org,2002:float"
BOOL = "tag:yaml.org,2002:bool"
NULL = "tag:yaml.org,2002:null"
SEQ = "tag:yaml.org,2002:seq"
MAP = "tag:yaml.org,2002:map"

# Plain (unquoted) scalars only; every pattern is anchored and linear.
_IMPLICIT = (
    (NULL, re.compile(r"(?:~|null|Null|NULL|)\Z")),
    (BOOL, re.compile(r"(?:true|True|TRUE|false|False|FALSE)\Z")),
    (INT, re.compile(r"[-+]?(?:0|[1-9][0-9]{0,17})\Z")),
    (
        FLOAT,
        re.compile(
            r"[-+]?(?:[0-9]+\.[0-9]*|\.[0-9]+)(?:[eE][-+]?[0-9]+)?\Z"
            r"|[-+]?[0-9]+[eE][-+]?[0-9]+\Z"
            r"|[-+]?\.(?:inf|Inf|INF)\Z|\.(?:nan|NaN|NAN)\Z"
        ),
    ),
)

_EventParser: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class LOADER(_EventParser):
    """libyaml's parser when PyYAML has it (ten times faster, same marks). Only its events are used:
    composing and constructing are done here, so nothing it could construct is ever built."""


@dataclass
class Record:
    """One mapping of a data file, with the line of the record and of each of its fields."""

    data: dict[str, Any]
    line: int
    field_lines: dict[str, int] = field(default_factory=dict)
    item_lines: dict[str, list[int]] = field(default_factory=dict)

    def line_of(self, name: str, index: int | None = None) -> int:
        if index is not None and index < len(self.item_lines.get(name, [])):
            return self.item_lines[name][index]
        return self.field_lines.get(name, self.line)


# -- checked composing -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Finding:
    """Something refused in a YAML text: ``line`` counts from 0 in the text, as YAML's marks do."""

    line: int
    key: str | None
    message: str


class RefusedYAML(yaml.MarkedYAMLError):
    """What parse_yaml refuses, as a YAMLError (callers that catch YAMLError need nothing new).

    ``problem`` and ``problem_mark`` describe the first finding; ``findings`` holds them all.
    """

    def __init__(self, findings: list[Finding]):
        first = findings[0]
        more = f" (and {len(findings) - 1} more)" if len(findings) > 1 else ""
        mark = yaml.Mark("<yaml>", 0, first.line, 0, None, 0)  # no buffer: no snippet, the pointer is never read
        super().__init__(problem=first.message + more, problem_mark=mark)
        self.findings = findings


def _short(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def shown_text(text: str, limit: int = 60) -> str:
    """Contributor text as a message prints it: at most ``limit`` characters, on one line, and nothing a
    terminal or a CI log would act on (a line break, an escape, a direction control is written \\n, \\x1b,
    \\u202e: a quoted YAML key can hold them even though the file cannot)."""
    return visible_text(_short(text, limit))


def _shown_tag(tag: str) -> str:
    return _short(tag.replace("tag:yaml.org,2002:", "!!"))


# The characters a value of _IMPLICIT can start with (null, true/false, numbers): a plain scalar starting with
# any other (most are words or sentences) is text without trying the four patterns, a third of composing's time.
_IMPLICIT_FIRST = frozenset("~nNtTfF+-.0123456789")


def _resolve(value: str, plain: bool) -> str:
    if plain and (not value or value[0] in _IMPLICIT_FIRST):
        for tag, pattern in _IMPLICIT:
            if pattern.match(value):
                return tag
    return STR


_TOO_DEEP = (
    f"nested more than {MAX_DEPTH} levels deep; the data needs at most 3 (a list of records holding "
    "lists): check the indentation and the brackets"
)


class _Composer:
    """The document composed from libyaml's events, refusing what data never needs (see the module doc)."""

    def __init__(self, first_line: int, max_nodes: int):
        self.first_line = first_line  # the file's line number of the text's first line, for messages
        self.nodes_left = max_nodes
        self.findings: list[Finding] = []
        self.stack: list[yaml.CollectionNode] = []
        self.pending_key: list[yaml.ScalarNode | None] = []  # per open mapping: the key awaiting its value
        self.seen_keys: list[dict[str, int]] = []  # per open mapping: key → its line (0-based)
        self.root: yaml.Node | None = None
        self.documents = 0

    def refuse(self, mark: Any, message: str) -> None:
        self.findings.append(Finding(mark.line, self.field_name(), message))

    def field_name(self) -> str | None:
        """The key the node being read belongs to: the nearest open mapping's key."""
        for key in reversed(self.pending_key):
            if key is not None:
                return str(key.value)
        return None

    def node_start(self, event: Any) -> None:
        if event.anchor is not None:
            self.refuse(
                event.start_mark,
                f"YAML anchor '&{_short(event.anchor)}' is not allowed; remove it and "
                "write each value out in full where it is needed",
            )
        if event.tag is not None and event.tag != "!":
            self.refuse(
                event.start_mark,
                f"YAML tag '{_shown_tag(event.tag)}' is not allowed; remove it and write "
                "a plain value (text, a number, true or false, a list or a mapping)",
            )
        elif event.tag == "!":
            self.refuse(event.start_mark, "YAML tag '!' is not allowed; remove it and write a plain value")

    def feed(self, event: Any) -> bool:
        """Take one event; False when reading must stop (too deep, too many values, a second document)."""
        if isinstance(event, yaml.NodeEvent) and not self.count_node(event):
            return False
        if isinstance(event, yaml.DocumentStartEvent):
            return self.document_start(event)
        if isinstance(event, yaml.AliasEvent):
            self.alias(event)
        elif isinstance(event, yaml.ScalarEvent):
            self.scalar(event)
        elif isinstance(event, (yaml.SequenceStartEvent, yaml.MappingStartEvent)):
            return self.collection_start(event)
        elif isinstance(event, (yaml.SequenceEndEvent, yaml.MappingEndEvent)):
            self.collection_end(event)
        return True

    def count_node(self, event: Any) -> bool:
        """False once the file holds more values than a hand-written data file needs."""
        self.nodes_left -= 1
        if self.nodes_left < 0:
            self.refuse(
                event.start_mark,
                "too many values: the file holds more list items and fields than a "
                "hand-written data file needs; remove what was pasted or generated",
            )
            return False
        return True

    def document_start(self, event: Any) -> bool:
        """False at a second document."""
        self.documents += 1
        if self.documents > 1:
            self.findings.append(
                Finding(
                    event.start_mark.line,
                    None,
                    "a second YAML document starts here "
                    "('---'); a file holds one: remove the line '---' and what follows",
                )
            )
            return False
        return True

    def alias(self, event: Any) -> None:
        self.refuse(
            event.start_mark,
            f"YAML alias '*{_short(event.anchor)}' is not allowed (aliases can "
            "multiply a small file into a huge one); write the value out in full",
        )
        self.attach(yaml.ScalarNode(NULL, "", event.start_mark, event.end_mark))

    def scalar(self, event: Any) -> None:
        self.node_start(event)
        plain = bool(event.implicit[0])  # libyaml: a plain scalar with no tag (its style is '', not None)
        self.attach(
            yaml.ScalarNode(
                _resolve(event.value, plain),
                event.value,
                event.start_mark,
                event.end_mark,
                style=None if plain else event.style,
            )
        )

    def collection_start(self, event: Any) -> bool:
        """False when lists and mappings nest too deep."""
        self.node_start(event)
        if len(self.stack) >= MAX_DEPTH:
            self.refuse(event.start_mark, _TOO_DEEP)
            return False
        start = event.start_mark  # libyaml's Mark, which PyYAML's nodes carry as well as their own
        node: yaml.CollectionNode
        if isinstance(event, yaml.SequenceStartEvent):
            node = yaml.SequenceNode(SEQ, [], start, None, flow_style=event.flow_style)
        else:
            node = yaml.MappingNode(MAP, [], start, None, flow_style=event.flow_style)
            self.pending_key.append(None)
            self.seen_keys.append({})
        self.stack.append(node)
        return True

    def collection_end(self, event: Any) -> None:
        node = self.stack.pop()
        node.end_mark = event.end_mark
        if isinstance(node, yaml.MappingNode):
            self.pending_key.pop()
            self.seen_keys.pop()
        self.attach(node)

    def attach(self, node: yaml.Node) -> None:
        if not self.stack:
            self.root = node
            return
        parent = self.stack[-1]
        if isinstance(parent, yaml.SequenceNode):
            parent.value.append(node)
            return
        key = self.pending_key[-1]
        if key is not None:
            parent.value.append((key, node))
            self.pending_key[-1] = None
            return
        self.pending_key[-1] = self.key(node)

    def key(self, node: yaml.Node) -> yaml.ScalarNode:
        """A mapping key: a name, always text (``1:`` and ``true:`` name fields '1' and 'true', not numbers)."""
        line = node.start_mark.line
        if not isinstance(node, yaml.ScalarNode):
            self.findings.append(
                Finding(line, None, "a key must be a plain name, not a list or a mapping; write 'name: value'")
            )
            return yaml.ScalarNode(STR, f"<line {line + self.first_line}>", node.start_mark, node.end_mark)
        if node.value == "<<" and node.style is None:
            self.findings.append(
                Finding(line, "<<", "YAML merge key '<<' is not allowed; write each field out in full")
            )
        seen = self.seen_keys[-1]
        if node.value in seen:
            self.findings.append(
                Finding(
                    line,
                    str(node.value),
                    f"field given twice (first on line {seen[node.value] + self.first_line}); keep one",
                )
            )
        seen.setdefault(node.value, line)
        return yaml.ScalarNode(STR, node.value, node.start_mark, node.end_mark, style=node.style)


# Newcomers' slips, recognised on the lines around a syntax error (each pattern is anchored and bounded):
# a field name followed by the full-width colon of Chinese text, at the start of a line or of a list item;
FULL_WIDTH_KEY = re.compile(r"[ \t]*(?:-[ \t]+)?(?P<key>[A-Za-z_][A-Za-z0-9_-]{0,39})[ \t]*：")
# a line 'field: value' or '- field: value' (the field ends at its first colon);
FIELD_LINE = re.compile(r"[ \t]*(?:-[ \t]+)?(?P<key>[^\s:#'\"\[\]{}][^:\n]{0,99}?)[ \t]*:(?:[ \t]+(?P<value>.*))?\Z")
# a colon that YAML reads as the end of a field name (a colon before a space or the end of the line);
COLON_IN_VALUE = re.compile(r":(?:[ \t]|\Z)")
# quotation marks of Chinese (and full-width) text, “…”, 「…」, 『…』 and their single and full-width forms:
# to YAML, part of the value, never quotes.
QUOTE_MARK_PAIRS = ("\u201c\u201d", "\u2018\u2019", "\u300c\u300d", "\u300e\u300f", "\uff02\uff02")
# How far above a syntax error a full-width colon is looked for: the lines of one broken value.
_SLIP_LINES = 20


def quote_marks(text: str) -> str | None:
    """``text`` without the Chinese quotation marks around it (“穿透性规则” → 穿透性规则), or None."""
    if len(text) > 2 and any(text[0] == pair[0] and text[-1] == pair[1] for pair in QUOTE_MARK_PAIRS):
        return text[1:-1]
    return None


def _syntax_findings(error: yaml.YAMLError, text: str, first_line: int) -> list[Finding]:
    """A YAML syntax error as findings: at the line to edit and, for the common slips, what to do."""
    if isinstance(error, yaml.reader.ReaderError):
        return [_reader_finding(error, text)]
    mark = getattr(error, "problem_mark", None)
    context = getattr(error, "context", None)
    context_mark = getattr(error, "context_mark", None)
    where = mark  # where the scanner stopped: a tab that breaks the indentation is here
    swapped = isinstance(error, yaml.scanner.ScannerError) and context_mark is not None
    if swapped:
        # A token the scanner could not finish (a key without ':', a quote never closed): the
        # contributor's slip is where the token starts; the scanner stops lines later.
        mark, context_mark = context_mark, mark
    line = mark.line if mark is not None else 0
    problem = str(getattr(error, "problem", None) or error)
    if "maximum nesting depth" in problem:  # libyaml's own limit, met while scanning ahead of our depth check
        return [Finding(line, None, _TOO_DEEP)]
    lines = text.split("\n")
    slips = _newcomer_slips(lines, [m.line for m in (where, mark) if m is not None], problem)
    if slips:
        return slips
    if swapped and context and context_mark is not None:
        further = f" (reading on to line {context_mark.line + first_line})" if context_mark.line != line else ""
        problem = f"{context}, {problem}{further}"
    elif context and context_mark is not None and context_mark.line != line:
        problem = f"{problem} ({context} that starts on line {context_mark.line + first_line})"
    return [
        Finding(
            line,
            None,
            f"not valid YAML: {problem}; check indentation and quotes (put a value that "
            "contains ': ' or starts with [, {, &, *, ! or | in double quotes)",
        )
    ]


def _reader_finding(error: yaml.reader.ReaderError, text: str) -> Finding:
    # libyaml counts bytes of UTF-8 where PyYAML counts characters.
    position = int(getattr(error, "position", 0) or 0)
    before = text[:position].encode() if _EventParser is yaml.SafeLoader else text.encode("utf-8")[:position]
    char = getattr(error, "character", None)
    code = f"U+{char:04X}" if isinstance(char, int) else "a control character"
    return Finding(
        before.count(b"\n"),
        None,
        f"character {code} is not allowed in YAML (an invisible control character); delete it",
    )


def _newcomer_slips(lines: list[str], marks: list[int], problem: str) -> list[Finding]:
    """The slips of a first YAML file, each at its line, said plainly: a tab that indents, a full-width colon
    after a field name, a value holding ': '. ``marks``: the lines the parser names, where it stopped first."""
    for line in marks:
        if line < len(lines) and "\t" in lines[line][: len(lines[line]) - len(lines[line].lstrip(" \t"))]:
            return [
                Finding(
                    line,
                    None,
                    "a tab indents this line; YAML indentation takes spaces only: replace the tab with spaces",
                )
            ]
    line = marks[-1] if marks else 0
    found = _full_width_colons(lines, line)
    if not found and problem.startswith("mapping values are not allowed") and line < len(lines):
        found = _colon_in_value(lines[line], line)
    return found


def _full_width_colons(lines: list[str], line: int) -> list[Finding]:
    """Each field name followed by '：' in the lines of the broken value: the line of the error, and the lines
    above it up to the nearest well-formed 'field: value' line (the parser reads such a slip and the lines
    after it as one long text, and stops only at the next colon)."""
    found = []
    for index in range(min(line, len(lines) - 1), max(-1, line - _SLIP_LINES), -1):
        slip = FULL_WIDTH_KEY.match(lines[index])
        if slip:
            name = slip.group("key")
            found.append(
                Finding(
                    index,
                    name,
                    f"'{name}' is followed by '：', the full-width colon of Chinese text; YAML ends a field name "
                    f"only with the ASCII colon ':' and a space: write '{name}: …'",
                )
            )
        elif index != line and FIELD_LINE.match(lines[index]):
            break
    return found[::-1]


def _colon_in_value(text: str, line: int) -> list[Finding]:
    """A value holding ': ' (``title: 注释: 关于``), which YAML reads as the start of another field."""
    field_line = FIELD_LINE.match(text)
    value = field_line.group("value") if field_line else None
    if field_line is None or not value or not COLON_IN_VALUE.search(value):
        return []
    name = shown_text(field_line.group("key").strip(), 40)
    opening = value.lstrip()[:1]
    marks = (
        ", and the Chinese quotation marks around it do not quote it (to YAML they are part of the text)"
        if opening and opening in "".join(QUOTE_MARK_PAIRS)
        else ""
    )
    return [
        Finding(
            line,
            name,
            f"the value holds ': ' (a colon and a space), which YAML reads as the start of another field{marks}; "
            f'put the whole value in ASCII double quotes: {name}: "…"',
        )
    ]


def _compose(
    text: str, first_line: int = 1, max_nodes: int = DATA_FILE_LIMIT // BYTES_PER_VALUE
) -> tuple[yaml.Node | None, list[Finding]]:
    """The composed document, or the findings that refuse it; never builds an alias, a tag or a merge."""
    composer = _Composer(first_line, max_nodes)
    try:
        parser = LOADER(text)
    except UnicodeError:  # lone surrogates: read_text never makes them, but a caller might
        return None, [Finding(0, None, "the text is not valid Unicode; save the file as UTF-8")]
    try:
        while True:
            event = parser.get_event()
            if event is None or isinstance(event, yaml.StreamEndEvent) or not composer.feed(event):
                break
    except yaml.YAMLError as error:
        composer.findings += _syntax_findings(error, text, first_line)
    finally:
        parser.dispose()
    return composer.root, composer.findings


def _value(node: yaml.Node) -> Any:
    """The plain Python value of a composed node: dict, list, str, int, float, bool or None."""
    if isinstance(node, yaml.MappingNode):
        return {key.value: _value(value) for key, value in node.value}
    if isinstance(node, yaml.SequenceNode):
        return [_value(item) for item in node.value]
    value = node.value
    if node.tag == NULL:
        return None
    if node.tag == BOOL:
        return value in ("true", "True", "TRUE")
    if node.tag == INT:
        return int(value)
    if node.tag == FLOAT:
        lowered = value.lower()
        if lowered.endswith(".inf"):
            return float("-inf") if lowered.startswith("-") else float("inf")
        return float("nan") if lowered == ".nan" else float(value)
    return value


def parse_yaml(text: str, *, limit: int = FRONT_MATTER_LIMIT, first_line: int = 2) -> tuple[yaml.Node | None, Any]:
    """The composed document (each node knows its line) and its values; raises yaml.YAMLError.

    Refused constructs raise RefusedYAML (a YAMLError) with the first one's message and line
    (counted from 0, as YAML's marks are) and every finding in ``findings``. The defaults are an
    annotation's front matter: at most FRONT_MATTER_LIMIT bytes, starting on the file's line 2
    (``first_line`` only shifts the line numbers written inside messages).
    """
    size = len(text.encode("utf-8"))
    if size > limit:
        raise RefusedYAML(
            [
                Finding(
                    0,
                    None,
                    f"{size:,} bytes of YAML, over the limit of {limit:,}; "
                    "shorten it (a pasted dump or generated text does not belong here)",
                )
            ]
        )
    node, findings = _compose(text, first_line, limit // BYTES_PER_VALUE)
    if findings:
        raise RefusedYAML(findings)
    return node, (_value(node) if node is not None else None)


# -- reading a data file -----------------------------------------------------------------------------------


def _bounded_read(path: Path, shown: str, limit: int) -> str:
    """The file's text through the one reading door (edition.problems.read_text: no link, no device, no
    invisible character, never more than ``limit`` bytes read)."""
    what = "a data file" if limit >= DATA_FILE_LIMIT else "this file"
    return read_text(
        path,
        shown,
        SizeLimit(limit, what, "a data file is written by hand; remove what was pasted or generated into it"),
    )


def read_yaml(path: Path, shown: str, *, limit: int = DATA_FILE_LIMIT) -> tuple[yaml.Node, Any]:
    """A data file's composed document and values, or EditionError: every refused construct at its line."""
    text = _bounded_read(Path(path), shown, limit)
    node, findings = _compose(text, 1, limit // BYTES_PER_VALUE)
    if findings:
        raise EditionError(
            [Problem(shown, f.line + 1, f.key, f.message) for f in findings[:MAX_REPORTED]]
            + _more(shown, len(findings))
        )
    if node is None or (isinstance(node, yaml.ScalarNode) and node.tag == NULL):
        raise EditionError(
            [Problem(shown, 1, None, "the file is empty; it must hold the data described in CONTRIBUTING.md")]
        )
    return node, _value(node)


def _more(shown: str, count: int) -> list[Problem]:
    if count <= MAX_REPORTED:
        return []
    return [
        Problem(shown, None, None, f"… and {count - MAX_REPORTED:,} more problems like those above; fix them first")
    ]


# -- schemas -----------------------------------------------------------------------------------------------


@functools.cache
def schema(name: str) -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads((SCHEMAS / f"{name}.schema.json").read_text(encoding="utf-8"))
    return loaded


@dataclass(frozen=True)
class SchemaError:
    """One way a value breaks its schema, in the terms our messages need, whatever the validator library."""

    path: tuple[Any, ...]  # where in the data, e.g. (3, "related", 1)
    keyword: str  # the schema keyword that failed: "pattern", "enum", "required", …
    message: str  # the validator's own words
    instance: Any  # the value that failed
    rule: dict[str, Any]  # the (sub)schema holding the keyword; its "description" is a hint for contributors
    missing: str | None = None  # for "required": the missing field
    unexpected: tuple[str, ...] = ()  # for "additionalProperties": the unknown fields

    @property
    def expected(self) -> Any:
        return self.rule.get(self.keyword)


@functools.cache
def _validator(name: str) -> Any:
    # jsonschema-rs (Draft 2020-12, as the schemas declare): compiled once, and it imports and
    # validates in a few milliseconds, where the pure-Python validator took a tenth of a build.
    return jsonschema_rs.validator_for(schema(name))


def _subschema(root: dict[str, Any], path: list[Any]) -> dict[str, Any]:
    node: Any = root
    for step in path:
        try:
            node = node[step]
        except (KeyError, IndexError, TypeError):
            return {}
    return node if isinstance(node, dict) else {}


def _foreign_values(value: Any, path: tuple[Any, ...]) -> Iterator[tuple[tuple[Any, ...], Any]]:
    """Values JSON cannot hold (a mapping with a number as key, a set, bytes): our composer makes none,
    but a caller may pass any data."""
    if isinstance(value, dict):
        for key, item in value.items():
            if not isinstance(key, str):
                yield path, value
                return
            yield from _foreign_values(item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _foreign_values(item, (*path, index))
    elif value is not None and not isinstance(value, (str, int, float, bool)):
        yield path, value


def schema_errors(schema_name: str, data: Any, limit: int | None = None) -> list[SchemaError]:
    """Every way ``data`` breaks the named schema (edition/schemas/NAME.schema.json), in document order
    (at most ``limit`` of them)."""
    foreign = list(_foreign_values(data, ()))
    if foreign:  # the validator takes JSON's types only: name these first, as a type error each
        return [
            SchemaError(path, "type", f"{value!r} is not of a JSON type", value, {"type": "string"})
            for path, value in foreign
        ]
    validator = _validator(schema_name)
    if validator.is_valid(data):  # a thousand times faster than collecting no errors
        return []
    errors = []
    for error in validator.iter_errors(data):
        schema_path = list(error.schema_path)
        keyword = str(schema_path[-1]) if schema_path else ""
        unexpected = tuple(getattr(error.kind, "unexpected", None) or ())
        errors.append(
            SchemaError(
                tuple(error.instance_path),
                keyword,
                error.message,
                error.instance,
                _subschema(schema(schema_name), schema_path[:-1]),
                getattr(error.kind, "property", None),
                unexpected,
            )
        )
        if limit is not None and len(errors) >= limit:
            break
    return errors


# -- schema errors said as what is wrong and what to do -----------------------------------------------------

_KINDS = {
    "string": "text",
    "array": "a list",
    "object": "a mapping of 'field: value' lines",
    "integer": "a whole number",
    "number": "a number",
    "boolean": "true or false",
    "null": "nothing",
}
_HOW = {
    "string": "write the text itself after the colon (in double quotes if it starts with [, {, - or a digit)",
    "array": "write a list: [a, b] on one line, or one '- item' line per item",
    "object": "write its fields as indented 'field: value' lines",
    "integer": "write digits without quotes, e.g. 2",
    "number": "write digits without quotes",
    "boolean": "write true or false, without quotes",
}
# The end of a message about an empty value: right for an optional field (a caller that knows the field is
# required, as the annotations' front matter does, removes it).
OR_REMOVE = ", or remove the field"
INVISIBLE = re.compile(
    "[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u00ad\u061c\u180e\u200b-\u200f\u2028\u2029"
    "\u202a-\u202e\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb]"
)


def _what(value: Any) -> str:
    if isinstance(value, bool):
        return f"{str(value).lower()} (true or false)"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if value is None:
        return "nothing"
    if isinstance(value, str):
        return repr(_short(value))
    return str(value)


def _expected_types(error: SchemaError) -> list[str]:
    expected = error.expected
    return [expected] if isinstance(expected, str) else list(expected or [])


def describe(error: SchemaError) -> str:
    """What is wrong and what to do, in a contributor's words (without the field's name)."""
    hint = error.rule.get("description")
    explain = _EXPLAIN.get(error.keyword)
    message = explain(error, error.instance, hint) if explain else None
    if message is not None:
        return message
    return error.message + (f" ({hint})" if hint else "")


def _wrong_type(error: SchemaError, value: Any, hint: str | None) -> str:
    types = _expected_types(error)
    first = types[0] if types else "string"
    if first == "string" and not isinstance(value, (str, list, dict)):
        return f"{_what(value)} is not text; put the value in double quotes"
    wanted = " or ".join(_KINDS.get(t, t) for t in types)
    return f"{_what(value)} where {wanted} is expected; {_HOW.get(first, 'see CONTRIBUTING.md')}"


def _quote_marks_hint(value: Any) -> str:
    """For a value in Chinese quotation marks (“2025-09-29”), which YAML keeps as part of it: what to do."""
    if isinstance(value, str) and quote_marks(value) is not None:
        return (
            f"; the quotation marks {value[0]}{value[-1]} are part of the value to YAML, not quotes: remove them "
            '(or use ASCII double quotes "…")'
        )
    return ""


def _not_listed(error: SchemaError, value: Any, hint: str | None) -> str:
    listed = f"{_what(value) if isinstance(value, str) else _short(repr(value))} is not one of: "
    return listed + ", ".join(map(str, error.expected)) + _quote_marks_hint(value)


def _wrong_form(error: SchemaError, value: Any, hint: str | None) -> str:
    if error.expected == "\\S":
        return f"is blank; write the text{OR_REMOVE}"
    return f"{_what(value)} does not have the expected form" + (f" ({hint})" if hint else "") + _quote_marks_hint(value)


def _forbidden_text(error: SchemaError, value: Any, hint: str | None) -> str | None:
    if not isinstance(value, str):
        return None
    found = INVISIBLE.search(value)
    if found:
        return f"contains the invisible character U+{ord(found.group()):04X} (it can hide or reorder text); delete it"
    return hint or f"{_what(value)} is not allowed here"


def _named_twice(error: SchemaError, value: Any, hint: str | None) -> str:
    items = value if isinstance(value, list) else []
    twice = next((item for i, item in enumerate(items) if item in items[:i]), None)
    return f"the list names {_what(twice)} twice; keep one"


def _missing_field(error: SchemaError, value: Any, hint: str | None) -> str:
    return f"required field '{error.missing}' is missing; add it (see CONTRIBUTING.md)"


def _unknown_fields(error: SchemaError, value: Any, hint: str | None) -> str:
    names, known = unknown_fields(error)
    return "; ".join(unknown_field(name, known) for name in names[:3]) or error.message


def _out_of_bounds(error: SchemaError, value: Any, hint: str | None) -> str:
    bound = "below the least" if error.keyword == "minimum" else "above the most"
    return f"{_what(value)} is {bound} allowed, {error.expected}" + (f" ({hint})" if hint else "")


def _no_form_fits(error: SchemaError, value: Any, hint: str | None) -> str:
    return f"{_what(value)} is neither of the forms allowed here" + (f": {hint}" if hint else "")


# What each JSON Schema keyword's error means to a contributor; None: say it in the schema's words.
_EXPLAIN: dict[str, Callable[[SchemaError, Any, str | None], str | None]] = {
    "type": _wrong_type,
    "enum": _not_listed,
    "pattern": _wrong_form,
    "not": _forbidden_text,
    "minLength": lambda error, value, hint: f"is empty; write the text{OR_REMOVE}",
    "minItems": lambda error, value, hint: f"the list is empty; give at least one item{OR_REMOVE}",
    "uniqueItems": _named_twice,
    "required": _missing_field,
    "additionalProperties": _unknown_fields,
    "minimum": _out_of_bounds,
    "maximum": _out_of_bounds,
    "oneOf": _no_form_fits,
}


# -- fields the schema does not know ----------------------------------------------------------------------

# Field names a contributor may type in Chinese (the comments of CONTRIBUTING.md's examples among them), each
# with the fields it may mean, most likely first: the first one the schema knows is suggested.
_CHINESE_FIELD_NAMES: dict[str, tuple[str, ...]] = {
    "段落": ("target",),
    "段落编号": ("target",),
    "编号": ("id", "target"),
    "原文": ("exact", "quote", "before"),
    "所注原文": ("exact",),
    "引文": ("quote", "exact"),
    "前文": ("prefix",),
    "后文": ("suffix",),
    "类型": ("type", "kind", "category"),
    "分类": ("category",),
    "作者": ("author",),
    "日期": ("date",),
    "写作日期": ("date",),
    "语言": ("language",),
    "正文语言": ("language",),
    "来源": ("sources",),
    "出处": ("sources",),
    "拼音": ("pinyin",),
    "标题": ("title_zh", "title"),
}
# The longest field is 13 characters: a name over 64 is no typo of one, and is not compared (difflib's work
# grows with the product of the lengths).
_MOST_COMPARED = 64


def _folded(name: str) -> str:
    """A field name as names are compared: full-width letters as ASCII (NFKC), any case, '-' or ' ' as '_'."""
    return unicodedata.normalize("NFKC", name).strip().casefold().replace("-", "_").replace(" ", "_")


def meant_field(name: str, known: Sequence[str]) -> str | None:
    """The known field an unknown ``name`` most likely meant (``Title``, ``title-zh``, ``qoute``, ``作者``), or None."""
    if len(name) > _MOST_COMPARED or not known:
        return None
    by_folded = {_folded(field_name): field_name for field_name in known}
    folded = _folded(name)
    if folded in by_folded:
        return by_folded[folded]
    chinese = next((meant for meant in _CHINESE_FIELD_NAMES.get(name.strip(), ()) if meant in known), None)
    if chinese:
        return chinese
    close = difflib.get_close_matches(folded, list(by_folded), n=1, cutoff=0.6)
    return by_folded[close[0]] if close else None


def unknown_field(name: str, known: Sequence[str]) -> str:
    """What to say of a field its schema does not know: the field it probably meant, and every field there is.

    The one wording of an unknown field, for the data files (``schema_problems``) and the front matter of
    annotations alike.
    """
    fields = ", ".join(known)
    meant = meant_field(name, known)
    if meant:
        return f"unknown field '{shown_text(name, 40)}'; did you mean '{meant}'? The fields are: {fields}"
    return f"unknown field '{shown_text(name, 40)}'; the fields are: {fields}"


def unknown_fields(error: SchemaError) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(the fields of a mapping its schema does not know, in the file's order; the fields it knows).

    ((), ()) when the error is not about unknown fields. A mapping where a value may take one of several
    forms (a timeline mention: text, or quote and date_note) is held to the form that is a mapping.
    """
    value = error.instance
    if not isinstance(value, dict):
        return (), ()
    if error.keyword == "additionalProperties":
        known = tuple(error.rule.get("properties", {}))
        unexpected = set(error.unexpected) or {name for name in value if name not in known}
        return tuple(name for name in value if name in unexpected), known
    if error.keyword == "oneOf":
        for form in error.expected or []:
            if isinstance(form, dict) and form.get("additionalProperties") is False and "properties" in form:
                known = tuple(form["properties"])
                return tuple(name for name in value if name not in known), known
    return (), ()


def _line(node: yaml.Node) -> int:
    return node.start_mark.line + 1


def _node_at(root: yaml.Node, path: list[Any]) -> yaml.Node:
    """The deepest composed node along a JSON Schema error path."""
    node = root
    for step in path:
        if isinstance(node, yaml.SequenceNode) and isinstance(step, int) and step < len(node.value):
            node = node.value[step]
        elif isinstance(node, yaml.MappingNode):
            found = next((v for k, v in node.value if k.value == step), None)
            if found is None:
                break
            node = found
        else:
            break
    return node


def _key_node(mapping: yaml.Node, name: str) -> yaml.Node | None:
    if isinstance(mapping, yaml.MappingNode):
        return next((k for k, _ in mapping.value if k.value == name), None)
    return None


def schema_problems(
    shown: str,
    root: yaml.Node,
    data: Any,
    schema_name: str,
    *,
    key: Callable[[tuple[Any, ...]], str | None],
    where: Callable[[tuple[Any, ...]], tuple[Any, ...]],
) -> list[Problem]:
    """Every schema error as ``file:line: key: field: what is wrong; what to do``.

    ``key`` names the record an error path is in (a glossary id), ``where`` the part of the path
    shown before the message (the field inside the record).
    """
    errors = schema_errors(schema_name, data, limit=MAX_REPORTED + 1)
    problems = []
    for error in errors[:MAX_REPORTED]:
        node = _node_at(root, list(error.path))
        shown_path = ".".join(str(step) for step in where(error.path))
        names, known = unknown_fields(error)
        # An unknown field is said at its own line, each with the field it probably meant.
        found = [(_key_node(node, name) or node, unknown_field(name, known)) for name in names] or [
            (node, describe(error))
        ]
        problems += [
            Problem(shown, _line(at), key(error.path), f"{shown_path}: {message}" if shown_path else message)
            for at, message in found
        ]
    if len(errors) > MAX_REPORTED or len(problems) > MAX_REPORTED:
        problems = [
            *problems[:MAX_REPORTED],
            Problem(shown, None, None, "… and more problems like those above; fix them first"),
        ]
    return problems


# -- lists of records (glossary, timeline) ------------------------------------------------------------------


def _record_id(data: Any, path: tuple[Any, ...]) -> str | None:
    if path and isinstance(path[0], int) and isinstance(data, list) and path[0] < len(data):
        item = data[path[0]]
        ident = item.get("id") if isinstance(item, dict) else None
        if isinstance(ident, str):
            return ident
    return None


def load_records(path: Path, schema_name: str, shown: str | None = None) -> list[Record]:
    """The file's records, or EditionError listing every YAML and schema problem with its line.

    The book reads each file once per build (edition.book.load_book).
    """
    shown = shown or display_path(path)
    try:
        info = Path(path).lstat()
    except FileNotFoundError:
        raise EditionError([Problem(shown, None, None, "file not found")]) from None
    return list(_load_records(Path(path).absolute(), schema_name, shown, info.st_mtime_ns, info.st_size))


def _load_records(path: Path, schema_name: str, shown: str, mtime_ns: int, size: int) -> tuple[Record, ...]:
    root, data = read_yaml(path, shown, limit=DATA_FILE_LIMIT)
    problems = schema_problems(shown, root, data, schema_name, key=lambda p: _record_id(data, p), where=lambda p: p[1:])
    if problems:
        raise EditionError(problems)
    assert isinstance(root, yaml.SequenceNode)  # the schemas say: a list of mappings
    records = []
    for item, values in zip(root.value, data, strict=True):
        field_lines = {k.value: _line(v) for k, v in item.value}
        item_lines = {k.value: [_line(n) for n in v.value] for k, v in item.value if isinstance(v, yaml.SequenceNode)}
        records.append(Record(values, _line(item), field_lines, item_lines))
    return tuple(records)


# -- ids the generated pages use themselves -------------------------------------------------------------------

# An entry or event becomes an element id (glossary/#busan-summit, timeline/#…). These are the ids
# the pages and the theme give their own elements; a record with one of them would take its
# place: a link to the heading would land on the record, or the reverse.
RESERVED_IDS = (
    (re.compile(r"__"), "the theme's own elements (__search, __drawer, __toc …)"),
    (re.compile(r"fn(?:ref)?:"), "footnotes and their references (fn:1, fnref:1)"),
    (re.compile(r"p[0-9]+(?:-[0-9]+)*\Z"), "the article's paragraphs (p1-2) and paragraph ranges (p2-3-6)"),
    (re.compile(r"y[0-9]+(?:-(?:[0-9]+|undated))?\Z"), "the timeline's year and month headings (y2025, y2025-03)"),
    (re.compile(r"category-"), "the glossary's category headings (category-person)"),
    (
        re.compile(r"(?:glossary-filter|cite-this|cite-[a-z-]+|annotation-|e[0-9]+\Z)"),
        "the pages' own elements (glossary-filter, cite-this, annotation-…, emendation rows e1, e2 …)",
    ),
)


def reserved_id_problem(ident: str) -> str | None:
    """Why ``ident`` may not name a record, or None when it may."""
    for pattern, owner in RESERVED_IDS:
        if pattern.match(ident):
            return f"the id '{_short(ident)}' has the form of ids the site uses for {owner}; choose another id"
    return None
