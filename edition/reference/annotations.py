"""Annotations by pull request: one Markdown file per note in ``annotations/``, checked and rendered.

Each file is YAML front matter (validated by ``schemas/annotation.schema.json``) and a
Markdown body. The passage is a W3C Web Annotation TextQuoteSelector inside one
paragraph of the article; the article's words never change: the passage is marked
in the built HTML. Contributor text is untrusted, so raw HTML, images and links that
``edition.escape.safe_url`` does not accept (anything but an absolute http or https
address) are refused with a clear error, and the rendered body goes through nh3 with an
allowlist all the same.
"""

from __future__ import annotations

import bisect
import datetime as dt
import difflib
import html
import os
import re
import stat
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import yaml

from edition.dates import DateError, parse_iso_date
from edition.escape import SAFE_SCHEMES, html_attribute, safe_url, title_attribute, url_scheme
from edition.paths import ANNOTATIONS as FOLDER
from edition.problems import (
    EditionError,
    Problem,
    attempt,
    invisible_character_problems,
    line_of,
    not_a_file_message,
    read_text,
    safe_name,
    symlink_message,
)
from edition.records import (
    MAX_REPORTED,
    OR_REMOVE,
    RefusedYAML,
    SchemaError,
    describe,
    meant_field,
    parse_yaml,
    quote_marks,
    schema,
    schema_errors,
    shown_text,
    unknown_field,
    unknown_fields,
)
from edition.sources.bib import Bibliography
from edition.sources.citations import citation_syntax_problems, find_citation_blocks
from edition.sources.notes import Cite, render_cite
from edition.text.markdown_html import inline_html, markdown_html, may_hold_address
from edition.text.paragraphs import Paragraph

SCHEMA = schema("annotation")
TYPES = {  # keep in sync with .github/ISSUE_TEMPLATE/annotation-proposal.yml and the schema
    "context": ("背景", "Context"),
    "later-development": ("后续发展", "Later development"),
    "correction": ("更正", "Correction"),
    "translation": ("翻译", "Translation"),
}
FRONT_MATTER = re.compile(r"\A---[ \t]*\n(?P<yaml>.*?)\n---[ \t]*\n?", re.DOTALL)
NAME = re.compile(r"^[a-z0-9][a-z0-9-]*$")
FILE_NAME = re.compile(r"[a-z0-9][a-z0-9-]*\.md")  # every entry of annotations/ is one, or is reported
# A tag, a comment or a declaration; not an autolink <scheme:…> nor an e-mail address <…@…>, which are
# links and are checked as links (LINKS below).
RAW_HTML = re.compile(r"<(?![A-Za-z][A-Za-z0-9+.-]*:[^<>]*>|[^<>\s!:]+@[^@<>\s]+>)[A-Za-z!/?]")
# Every way Python-Markdown writes a link or an image, each giving the address as written (linear patterns):
# an inline link or image [x](url) / [x](<url>) / ![x](url); a reference definition [r]: url "title", also
# with the address on the next line, inside quotes and lists; an autolink <scheme:…>; an e-mail <a@b>.
LINKS = (
    re.compile(r"\]\(\s*(?:<(?P<angle>[^<>\n]*)>|(?P<url>[^\s)]*))"),
    re.compile(
        r"^(?:[ \t]*(?:>|[-*+]|\d+\.))*[ \t]*\[[^\[\]]*\]:[ \t]*(?:\n[ \t]*)?"
        r"(?:<(?P<angle>[^<>\n]*)>|(?P<url>\S+))",
        re.MULTILINE,
    ),
    re.compile(r"<(?P<url>[A-Za-z][A-Za-z0-9+.-]*:[^<>]*)>"),
    re.compile(r"<(?P<mail>[^<>\s!:]+@[^@<>\s]+)>"),
)
IMAGE = re.compile(r"!\[")
PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n")
# Python-Markdown looks for the ']' of every '[' (and the ')' of every '](') up to the end of its paragraph:
# unclosed or deeply nested brackets make rendering quadratic (3,000 '[' take seconds, 20,000 minutes).
MAX_BRACKET_DEPTH = 3
ALLOWED_TAGS = {"p", "a", "em", "strong", "code", "ul", "ol", "li", "blockquote", "br", "span", "sup", "sub"}
PARAGRAPH = re.compile(r"<p>(?P<inner>.*?)</p>", re.DOTALL)
# No title on links: Material shows every title as a tooltip through innerHTML, decoding it a second time,
# and Python-Markdown has escaped a contributor's title only once. A link's text says what a title would.
# "*": no attribute on every tag (nh3 would otherwise allow lang and title everywhere).
ALLOWED_ATTRIBUTES: dict[str, set[str]] = {"*": set(), "a": {"href"}, "span": {"lang"}, "p": {"lang"}}


@dataclass
class Annotation:
    name: str  # the file's stem: annotations/p1-3-penetration-rule.md → p1-3-penetration-rule
    path: str  # as a contributor types it
    target: str
    exact: str
    type: str
    author: str
    date: str
    language: str
    body: str
    body_line: int
    prefix: str = ""
    suffix: str = ""
    field_lines: dict[str, int] = field(default_factory=dict)

    @property
    def anchor(self) -> str:
        return f"annotation-{self.name}"

    @property
    def chapter(self) -> int:
        return int(self.target[1:].split("-")[0])

    @property
    def keys(self) -> list[str]:
        return [ref.key for block in find_citation_blocks(self.body) for ref in block.refs]

    def line_of(self, name: str) -> int:
        return self.field_lines.get(name, 1)


# -- loading -----------------------------------------------------------------------------------------------


def _key_lines(node: yaml.MappingNode) -> dict[str, int]:
    """Each field's line in the file (the front matter starts on line 2)."""
    return {key.value: key.start_mark.line + 2 for key, _ in node.value if isinstance(key, yaml.ScalarNode)}


def _front_matter(text: str, shown: str) -> tuple[re.Match[str], yaml.MappingNode, dict[str, Any]]:
    """The front matter's match in ``text``, its YAML node and its values; EditionError when it cannot be read."""
    invisible = invisible_character_problems(text, shown)
    if invisible:  # read_text refuses them too; text given directly passes the same door
        raise EditionError(invisible)
    match = FRONT_MATTER.match(text)
    if not match:
        raise EditionError(
            [
                Problem(
                    shown,
                    1,
                    None,
                    "no front matter: the file must start with a line '---', the fields "
                    "(target, exact, type, author, date, language), and a line '---'",
                )
            ]
        )
    try:
        node, data = parse_yaml(match.group("yaml"))
    except RefusedYAML as refused:  # anchors, tags, nesting, size: each says what to do itself
        raise EditionError([Problem(shown, f.line + 2, f.key, f.message) for f in refused.findings]) from None
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        line = mark.line + 2 if mark else 1
        raise EditionError(
            [
                Problem(
                    shown,
                    line,
                    None,
                    f"front matter is not valid YAML ({getattr(error, 'problem', error)});"
                    " quote values that contain a colon",
                )
            ]
        ) from None
    if not isinstance(data, dict) or not isinstance(node, yaml.MappingNode):
        raise EditionError([Problem(shown, 2, None, "front matter must be 'field: value' lines")])
    return match, node, data


def parse_annotation(text: str, shown: str, today: dt.date) -> Annotation:
    """One annotation file: front matter checked against the schema; EditionError with every problem at its line.

    ``today`` is the build's date: an annotation dated after it is refused.
    """
    match, node, data = _front_matter(text, shown)
    lines = _key_lines(node)
    problems = [
        problem
        for error in sorted(schema_errors("annotation", data), key=lambda e: [str(p) for p in e.path])
        for problem in _schema_problems(error, data, lines, shown)
    ]
    if "date" in data and isinstance(data["date"], str) and not problems:
        problems += _date_problems(data["date"], lines.get("date", 1), shown, today)
    if problems:
        raise EditionError(problems)
    name = Path(shown).stem
    if not NAME.match(name):
        problems.append(
            Problem(
                shown,
                1,
                None,
                "file name must be lower-case letters, digits and hyphens, "
                "e.g. p2-4-rare-earths.md; it becomes the annotation's address",
            )
        )
    body = text[match.end() :]
    # The line of the body's first line of text: blank lines after the front matter are not the body's.
    body_line = text.count("\n", 0, match.end()) + body[: len(body) - len(body.lstrip())].count("\n") + 1
    annotation = Annotation(
        name=name,
        path=shown,
        body=body.strip(),
        body_line=body_line,
        field_lines=lines,
        **{k: data[k] for k in ("target", "exact", "type", "author", "date", "language")},
        prefix=data.get("prefix", ""),
        suffix=data.get("suffix", ""),
    )
    if not annotation.body:
        problems.append(Problem(shown, annotation.body_line, None, "the annotation has no text after the front matter"))
    problems += citation_syntax_problems(annotation.body, shown, annotation.body_line)
    problems += body_problems(annotation)
    if problems:
        raise EditionError(problems)
    return annotation


def _date_problems(text: str, line: int, shown: str, reference: dt.date | None) -> list[Problem]:
    """A real calendar day, and not after the build's date: an annotation cannot be written in the future."""
    try:
        date = parse_iso_date(text)
    except DateError as error:
        return [Problem(shown, line, "date", str(error))]
    if reference is not None and date.first_day > reference:
        return [
            Problem(
                shown,
                line,
                "date",
                f"{date} is after the build's reference date {reference}; an annotation is dated when it "
                f"is written, {reference} or earlier: check the year (or SOURCE_DATE_EPOCH)",
            )
        ]
    return []


def _schema_problems(error: SchemaError, data: dict[str, Any], lines: dict[str, int], file: str) -> list[Problem]:
    key = str(error.path[0]) if error.path else None
    if error.keyword == "required":
        missing = error.missing or ""
        return [Problem(file, 1, missing, f"required field '{missing}' is missing from the front matter")]
    names, known = unknown_fields(error)
    if names:  # each at its line, with the field it probably meant (the data files' wording: edition.records)
        more = len(names) - MAX_REPORTED
        return [
            Problem(file, lines.get(name, 1), shown_text(name, 40), unknown_field(name, known))
            for name in names[:MAX_REPORTED]
        ] + ([Problem(file, None, None, f"… and {more:,} more unknown fields; remove them")] if more > 0 else [])
    line = lines.get(key, 1) if key else 1
    if key == "type":
        return [Problem(file, line, key, type_message(data.get(key)))]
    if key == "language" and error.keyword == "pattern":
        return [Problem(file, line, key, language_message(data.get(key)))]
    hint = SCHEMA["properties"].get(key, {}).get("description", "") if key else ""
    message = describe(error)  # the value shortened, as every message shows it
    if key in SCHEMA["required"]:
        message = message.replace(OR_REMOVE, "")  # a required field cannot be removed
    return [Problem(file, line, key, message if not hint or hint in message else f"{message}; {hint}")]


# Names of the body's language a contributor may write instead of its tag.
LANGUAGE_NAMES = {
    "chinese": "zh-Hans",
    "中文": "zh-Hans",
    "汉语": "zh-Hans",
    "简体中文": "zh-Hans",
    "english": "en",
    "英文": "en",
    "英语": "en",
}
LANGUAGE_TAG = re.compile(SCHEMA["properties"]["language"]["pattern"])


def _value_shown(value: Any) -> str:
    return f"'{shown_text(value)}'" if isinstance(value, str) else shown_text(repr(value))


def type_message(value: Any) -> str:
    """What to say of a type that is not one: the type probably meant, and the four there are."""
    text = (quote_marks(value) or value).strip() if isinstance(value, str) else None
    labels = {label.casefold(): name for name, pair in TYPES.items() for label in pair}
    meant = (labels.get(text.casefold()) or meant_field(text, list(TYPES))) if text else None
    guess = f"did you mean '{meant}'? Use" if meant else "use"
    return f"{_value_shown(value)} is not a type of annotation; {guess} one of: {', '.join(TYPES)}"


def language_message(value: Any) -> str:
    """What to say of a language that is not a tag: the tag probably meant, and the tags of the book."""
    text = (quote_marks(value) or value).strip() if isinstance(value, str) else ""
    meant = LANGUAGE_NAMES.get(text.casefold())
    if meant is None and 0 < len(text) <= 64:  # zh_CN, ZH-Hans, EN: the tag in another spelling
        first, _, rest = text.replace("_", "-").partition("-")
        candidate = f"{first.lower()}-{rest}" if rest else first.lower()
        meant = candidate if LANGUAGE_TAG.match(candidate) else None
    guess = f"did you mean '{meant}'? Write" if meant else "write"
    return (
        f"{_value_shown(value)} is not a language tag; {guess} zh-Hans (Chinese, also for a body in Chinese and "
        "English) or en (English); another language takes its BCP 47 tag (ja, fr …)"
    )


def body_problems(annotation: Annotation) -> list[Problem]:
    """Raw HTML, images and links other than absolute http(s) addresses are refused: the text is published."""
    problems = [
        Problem(
            annotation.path,
            annotation.body_line + line - 1,
            None,
            "raw HTML is not allowed in an annotation; write Markdown (*emphasis*, [text](https://…)) instead",
        )
        for line in sorted({line_of(annotation.body, m.start()) for m in RAW_HTML.finditer(annotation.body)})
    ]
    return problems + link_problems(annotation)


def link_problems(annotation: Annotation) -> list[Problem]:
    """Each link or image whose address ``safe_url`` refuses, at its line.

    The patterns find what is written; then the body is rendered as the page will render it and
    every address in the result is checked again, so a form the patterns missed is refused too
    (at the body's first line).
    """
    body = annotation.body
    at = _line_at(annotation)
    # [x](<javascript:…>) is an inline link and an autolink: one problem, once.
    problems = list(dict.fromkeys(_written_link_problems(annotation, at)))
    brackets = bracket_problem(body)
    if brackets:
        offset, message = brackets
        return [*problems, Problem(annotation.path, at(offset), None, message)]
    if RAW_HTML.search(body):
        return problems  # refused as raw HTML; rendering it would tell nothing more
    if not may_hold_address(body):
        return problems  # rendered, it would hold no address and no image
    rendered = _Addresses.of(markdown_html(body))
    if rendered.images:
        problems += _image_problems(annotation, at)
    if not problems:
        problems += _rendered_link_problems(annotation, rendered.urls)
    return problems


def _line_at(annotation: Annotation) -> Callable[[int], int]:
    """The file's line number of an offset in the annotation's body."""
    newlines = [i for i, c in enumerate(annotation.body) if c == "\n"]
    return lambda offset: annotation.body_line + bisect.bisect_left(newlines, offset)


def _written_link_problems(annotation: Annotation, at: Callable[[int], int]) -> list[Problem]:
    """The links and autolinks the patterns find as written, each refused with its reason."""
    problems = []
    for pattern in LINKS:
        for match in pattern.finditer(annotation.body):
            problem = _written_link_problem(annotation.path, at(match.start()), match.groupdict())
            if problem:
                problems.append(problem)
    return problems


def _written_link_problem(path: str, line: int, groups: dict[str, Any]) -> Problem | None:
    if groups.get("mail") is not None:
        return Problem(
            path,
            line,
            None,
            f"link to '{_shown(groups['mail'])}' refused: e-mail links are not allowed; only http and https links are",
        )
    url = groups["angle"] if groups.get("angle") is not None else groups["url"] or ""
    reason = link_refusal(url)
    return Problem(path, line, None, f"link to '{_shown(url)}' refused: {reason}") if reason else None


def _image_problems(annotation: Annotation, at: Callable[[int], int]) -> list[Problem]:
    """One problem per line that writes an image (the body's first line if the pattern finds none)."""
    return [
        Problem(
            annotation.path,
            line,
            None,
            "images are not allowed in an annotation (the "
            "edition loads nothing from other sites); link to the image instead: "
            "[text](https://…)",
        )
        for line in sorted({at(m.start()) for m in IMAGE.finditer(annotation.body)}) or [annotation.body_line]
    ]


def _rendered_link_problems(annotation: Annotation, urls: Iterable[str]) -> list[Problem]:
    """Each address in the rendered body that a form the patterns missed let through."""
    return [
        Problem(
            annotation.path,
            annotation.body_line,
            None,
            f"a link in the text points to '{_shown(url)}', refused: {reason}",
        )
        for url in urls
        if (reason := link_refusal(url))
    ]


def bracket_problem(body: str) -> tuple[int, str] | None:
    """(offset, message) of the first '[' or link '(' that its paragraph never closes, or of brackets nested
    deeper than MAX_BRACKET_DEPTH; None when the brackets are sound. One pass; a backslash escapes."""
    start = 0
    for separator in [*PARAGRAPH_BREAK.finditer(body), None]:
        end = separator.start() if separator else len(body)
        found = _paragraph_brackets(body, start, end)
        if found:
            return found
        start = separator.end() if separator else end
    return None


def _paragraph_brackets(body: str, start: int, end: int) -> tuple[int, str] | None:
    opened: list[int] = []  # offsets of the open '['
    link, parens, index = -1, 0, start
    while index < end:
        c = body[index]
        if c == "\\":
            index += 2
            continue
        if parens:
            parens += (c == "(") - (c == ")")
        elif c == "[":
            opened.append(index)
            if len(opened) > MAX_BRACKET_DEPTH:
                return index, (
                    rf"square brackets nested more than {MAX_BRACKET_DEPTH} deep; write \[ for a "
                    "bracket that is text"
                )
        elif c == "]" and opened:
            opened.pop()
            if body.startswith("(", index + 1, end):
                link, parens, index = index + 1, 1, index + 2
                continue
        index += 1
    if opened:
        return opened[0], (
            r"this '[' is never closed in its paragraph; close it, or write \[ for a bracket "
            "that is text"
        )
    if parens:
        return link, "this link's '(' is never closed in its paragraph; close it with ')'"
    return None


def link_refusal(url: str) -> str | None:
    """Why a contributor's link to ``url`` is refused (what is wrong and what to do); None when it is safe."""
    if safe_url(url):
        return None
    scheme = url_scheme(url)
    if not url.strip():
        return "the link has no address; write [text](https://…)"
    if scheme is None:
        return (
            "an address starting with // or a backslash is not a full address (the browser completes it "
            "from the page); write the full address, https://…"
        )
    if scheme == "":
        return "only absolute http and https addresses may be linked; write the full address, https://…"
    if scheme in SAFE_SCHEMES:
        return (
            "not a well-formed address (white space, a backslash, a control character or no host); "
            "copy it again from the browser's address bar"
        )
    return f"only http and https links are allowed, not {scheme}:"


def _shown(text: str, size: int = 40) -> str:
    """Contributor text quoted in a message: shortened, control characters shown as '?'."""
    return "".join(c if c.isprintable() else "?" for c in text[:size])


class _Addresses(HTMLParser):
    """Every address in rendered HTML, decoded as a browser decodes attributes, and whether it has images."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.urls: list[str] = []
        self.images = False

    @classmethod
    def of(cls, fragment: str) -> _Addresses:
        parser = cls()
        parser.feed(fragment)
        parser.close()
        return parser

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.images = self.images or tag == "img"
        self.urls += [
            value or ""
            for name, value in attrs
            if name in {"href", "src", "srcset", "action", "formaction", "xlink:href", "poster"}
        ]


def annotation_entries(root: Path) -> list[tuple[Path, str, int]]:
    """(path, name as shown, mode) of every entry of annotations/, in order; EditionError when the folder itself
    is not a folder. Each entry is then read by ``load_annotation``: none is passed over."""
    folder = root / FOLDER
    try:
        info = os.lstat(folder)
    except FileNotFoundError:
        return []
    if stat.S_ISLNK(info.st_mode):
        raise EditionError([Problem(FOLDER.as_posix(), None, None, symlink_message(folder))])
    if not stat.S_ISDIR(info.st_mode):
        raise EditionError(
            [
                Problem(
                    FOLDER.as_posix(),
                    None,
                    None,
                    "must be a folder holding one file per annotation; replace this file by one",
                )
            ]
        )
    with os.scandir(folder) as entries:
        found = sorted((entry.name, entry.stat(follow_symlinks=False).st_mode) for entry in entries)
    # A name is printed: no terminal escapes from it.
    return [(folder.absolute() / name, f"{FOLDER.as_posix()}/{safe_name(name)}", mode) for name, mode in found]


def load_annotation(path: Path, shown: str, mode: int, *, today: dt.date) -> Annotation:
    """One entry of annotations/, read and checked; EditionError with every problem at its line."""
    problem = entry_problem(path, shown, path.name, mode)
    if problem:
        raise EditionError([problem])
    return parse_annotation(read_text(path, shown), shown, today)


def load_annotations(root: Path, *, today: dt.date) -> list[Annotation]:
    """Every annotation of annotations/; EditionError with the problems of every entry."""
    problems: list[Problem] = []
    annotations = [
        annotation
        for path, shown, mode in attempt(problems, annotation_entries, root) or []
        if (annotation := attempt(problems, load_annotation, path, shown, mode, today=today)) is not None
    ]
    if problems:
        raise EditionError(problems)
    return annotations


def entry_problem(path: Path, shown: str, name: str, mode: int) -> Problem | None:
    """Why an entry of annotations/ is not an annotation file, with what to do; None when it is one.

    The build reads every entry: a file it would pass over (README.md, NOTE.MD, x.markdown, a
    subfolder) could hold anything, unchecked, so it is reported instead.
    """
    if stat.S_ISLNK(mode):
        return Problem(shown, None, None, symlink_message(path))
    if name.startswith("."):
        return Problem(
            shown, None, None, "a hidden file or folder in annotations/; the folder holds only annotations: remove it"
        )
    if stat.S_ISDIR(mode):
        return Problem(
            shown,
            None,
            None,
            "a folder in annotations/; annotations are the files directly in "
            "annotations/ (subfolders are not read): move them up, or remove it",
        )
    if not stat.S_ISREG(mode):
        return Problem(shown, None, None, not_a_file_message(mode))
    if FILE_NAME.fullmatch(name):
        return None
    if name.upper().startswith("README"):
        return Problem(
            shown,
            None,
            None,
            "annotations/ holds only annotations, one per file; how to write them "
            "is in CONTRIBUTING.md: remove this file",
        )
    stem, _, extension = name.partition(".")
    suggestion = re.sub(r"[^a-z0-9]+", "-", stem.lower()).strip("-")
    rename = f"; rename it {suggestion}.md" if suggestion else ""
    if extension.lower() in ("md", "markdown", "mdown", "mkd", "txt"):
        return Problem(
            shown,
            None,
            None,
            "an annotation's file name is lower-case letters, digits and hyphens "
            f"and ends in .md (e.g. p2-4-rare-earths.md){rename}",
        )
    return Problem(
        shown,
        None,
        None,
        "annotations/ holds only annotations, each a Markdown file named like "
        "p2-4-rare-earths.md: rename this file, or remove it",
    )


# -- checks against the article and the bibliography -----------------------------------------------------


def find_quote(text: str, exact: str, prefix: str = "", suffix: str = "") -> list[int]:
    """Offsets in ``text`` where ``exact`` occurs with ``prefix`` just before it and ``suffix`` just after."""
    found, start = [], text.find(exact)
    while start >= 0:
        if text[:start].endswith(prefix) and text[start + len(exact) :].startswith(suffix):
            found.append(start)
        start = text.find(exact, start + 1)
    return found


MOST_MATCHED = 200


def closest_match(text: str, exact: str) -> str:
    """The stretch of the paragraph most like the quote, to show a contributor what the page says.

    The longest run the two share anchors the stretch, aligned as in the quote. Only the quote's first
    MOST_MATCHED characters are compared (difflib's work grows with the product of the two lengths, and a
    message shows fewer).
    """
    exact = exact[:MOST_MATCHED]
    if not text or not exact:
        return text[: len(exact)]
    block = difflib.SequenceMatcher(None, text, exact, autojunk=False).find_longest_match(0, len(text), 0, len(exact))
    start = max(0, block.a - block.b) if block.size else 0
    return text[start : start + len(exact)]


def annotation_problems(annotations: list[Annotation], paragraphs: list[Paragraph], bib: Bibliography) -> list[Problem]:
    by_id = {p.id: p for p in paragraphs}
    problems = []
    for a in annotations:
        paragraph = by_id.get(a.target)
        found = _target_problem(a, paragraphs) if paragraph is None else _quote_problem(a, paragraph, paragraphs)
        problems += [found] if found else []
        for block in find_citation_blocks(a.body):
            for ref in block.refs:
                if ref.key not in bib:
                    close = difflib.get_close_matches(ref.key, list(bib.entries), n=1)
                    hint = f"did you mean '{close[0]}'?" if close else f"add an entry for it to {bib.path}"
                    problems.append(
                        Problem(a.path, a.body_line + block.line - 1, ref.key, f"unknown citation key; {hint}")
                    )
    names: dict[str, str] = {}
    return problems + [p for a in annotations for p in _duplicate(a, names)]


# At most this many paragraphs are named where a quote occurs elsewhere than its target.
MOST_PLACES_NAMED = 8


def _target_problem(annotation: Annotation, paragraphs: list[Paragraph]) -> Problem:
    """A target no paragraph has: the paragraph the quote is in, or the id most like it."""
    places = [p.id for p in paragraphs if annotation.exact in p.text]
    if len(places) == 1:
        hint = f"the quote is in {places[0]}: change target to {places[0]}"
    else:
        # A long id is no typo of a short one (and would cost difflib time): compared only when short.
        ids = [p.id for p in paragraphs] if len(annotation.target) <= 16 else []
        close = difflib.get_close_matches(annotation.target, ids, n=1)
        hint = f"did you mean '{close[0]}'?" if close else "use the id shown beside the paragraph, e.g. p2-4"
    return Problem(
        annotation.path,
        annotation.line_of("target"),
        shown_text(annotation.target),
        f"no paragraph has this id; {hint}",
    )


def _quote_problem(a: Annotation, paragraph: Paragraph, paragraphs: list[Paragraph]) -> Problem | None:
    """Unless the quote occurs exactly once in its target paragraph: where it is, or what the paragraph says."""
    found = find_quote(paragraph.text, a.exact, a.prefix, a.suffix)
    if len(found) == 1:
        return None
    if found:
        message = (
            f"the quote occurs {len(found)} times in paragraph {a.target}; add a prefix "
            "(the words just before it) or a suffix (just after) to say which"
        )
    elif find_quote(paragraph.text, a.exact):
        message = (
            f"the quote occurs in {a.target}, but not with the given prefix/suffix; "
            "copy them exactly from the paragraph"
        )
    else:
        message = _quote_not_found(a, paragraph, paragraphs)
    return Problem(a.path, a.line_of("exact"), "exact", message)


def _quote_not_found(a: Annotation, paragraph: Paragraph, paragraphs: list[Paragraph]) -> str:
    """A quote not in its target: the paragraphs it is in (perhaps once its quotation marks are removed), or, when
    it is in none, the passage of the target most like it."""
    said = f"the quote «{shown_text(a.exact)}» is not in paragraph {a.target}"
    inner = quote_marks(a.exact)
    if inner is not None and any(inner in p.text for p in paragraphs):
        marks = f"without its quotation marks {a.exact[0]}{a.exact[-1]}"
        why = "(YAML keeps them as part of the value)"
        places = [p.id for p in paragraphs if inner in p.text]
        if a.target in places:
            return f"{said}, but it is {marks}: remove them {why}"
        fix = f"remove them {why} and change target to {_target(places)}"
        return f"{said}; {marks} it is in {_places(places)}: {fix}"
    places = [p.id for p in paragraphs if a.exact in p.text]
    if places:
        return f"{said}; it is in {_places(places)}: change target to {_target(places)}"
    return (
        f"{said}, nor in any other paragraph of the article; the closest passage in {a.target} is "
        f"«{shown_text(closest_match(paragraph.text, a.exact))}»: copy the words exactly from the chapter, "
        "without note numbers"
    )


def _places(ids: list[str]) -> str:
    """p2-4; p2-4 and p3-1; p1-2, p2-4 and p3-1; … and how many more."""
    named = ids[:MOST_PLACES_NAMED]
    more = len(ids) - len(named)
    if more:
        return f"{', '.join(named)} and {more} more paragraphs"
    return named[0] if len(named) == 1 else f"{', '.join(named[:-1])} and {named[-1]}"


def _target(ids: list[str]) -> str:
    return ids[0] if len(ids) == 1 else "the one you mean"


def _duplicate(annotation: Annotation, names: dict[str, str]) -> list[Problem]:
    if annotation.name in names:
        return [Problem(annotation.path, 1, None, f"same name as {names[annotation.name]}")]
    names[annotation.name] = annotation.path
    return []


# -- rendering ------------------------------------------------------------------------------------------------


def sanitize(fragment: str, internal: str = "") -> str:
    """Only an allowlist of tags, attributes and URL schemes survives, whatever the Markdown produced.

    Absolute addresses must be http or https. A relative one (``//host`` among them) survives only when
    it is one of the edition's own links to a source, ``{internal}#key``; others lose their address.
    """

    import nh3  # noqa: PLC0415 (a page's rendering needs it, `make check` does not: a 2 MB library left unloaded)

    def relative(url: str) -> str | None:
        return url if internal and url.startswith(f"{internal}#") and "//" not in url else None

    return nh3.clean(
        fragment,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=set(SAFE_SCHEMES),
        link_rel="noopener noreferrer",
        url_relative=relative,
    )


def render_body(annotation: Annotation, bib: Bibliography, references_url: str) -> tuple[str, list[str]]:
    """(body HTML, each source in full as HTML): a citation in the text takes the short form, linked."""
    body, position, sources, seen = [], 0, [], set()
    english = annotation.language.startswith("en")
    opening, separator, closing = (" (", "; ", ")") if english else ("（", "；", "）")
    for block in find_citation_blocks(annotation.body):
        cites = [
            Cite(bib[ref.key], prefix=ref.prefix, locator=ref.locator, short=True, link=f"{references_url}#{ref.key}")
            for ref in block.refs
        ]
        text = annotation.body[position : block.start]
        text = text.rstrip() if english else text
        body.append(text + opening + separator.join(render_cite(c) for c in cites) + closing)
        position = block.end
        for ref in block.refs:
            if ref.key not in seen:
                seen.add(ref.key)
                sources.append(inline_html(render_cite(Cite(bib[ref.key]))))
    body.append(annotation.body[position:])
    html = PARAGRAPH.sub(_mark_english_paragraph, markdown_html("".join(body)))
    return sanitize(html, references_url), [sanitize(s, references_url) for s in sources]


def _mark_english_paragraph(match: re.Match[str]) -> str:
    """A paragraph mostly in Latin letters (an English version beside the Chinese) is marked lang="en"."""
    text = re.sub(r"<[^>]+>", "", match.group("inner"))
    latin = sum(c.isascii() and c.isalpha() for c in text)
    cjk = sum("\u2e80" <= c <= "\u9fff" for c in text)
    return f'<p lang="en">{match.group("inner")}</p>' if latin > 2 * cjk else match.group(0)


# -- marking the passage in a built page ------------------------------------------------------------------------

PARAGRAPH_HTML = r'<p id="{id}">(?P<inner>.*?)</p>'
PIECE = re.compile(r"<[^>]*>|&[#\w]+;|[^<&]+")
OPEN_LINK = re.compile(r"<a[\s>]")
SPOT = "\ue001"  # where the link to the note goes, while the passage is marked


def _text_pieces(inner: str) -> list[tuple[int, int, int, str]]:
    """(html start, html end, text offset, text) of each piece of reader-visible text.

    Note calls (``<sup>``) and the paragraph number are not the article's running text.
    """
    pieces, offset, skip, in_number = [], 0, 0, False
    for match in PIECE.finditer(inner):
        token = match.group(0)
        if token.startswith("<"):
            if token.startswith("<sup"):
                skip += 1
            elif token.startswith("</sup"):
                skip -= 1
            elif 'class="edition-para-number"' in token:
                in_number = True
            elif token.startswith("</a") and in_number:
                in_number = False
            continue
        if skip or in_number:
            continue
        text = html.unescape(token) if token.startswith("&") else token
        pieces.append((match.start(), match.end(), offset, text))
        offset += len(text)
    return pieces


def mark_passage(inner: str, start: int, end: int, anchor: str, label: str) -> str | None:
    """Wrap text offsets [start, end) of a paragraph's HTML in <mark>, then a link to the annotation."""
    out: list[str] = []
    position, after_last_mark = 0, None
    for html_start, html_end, offset, text in _text_pieces(inner):
        lo, hi = max(start, offset), min(end, offset + len(text))
        if lo >= hi:
            continue
        token = inner[html_start:html_end]
        out.append(inner[position:html_start])
        mark = f'<mark class="edition-annotated" data-annotation="{html_attribute(anchor)}">{{}}</mark>'
        if token.startswith("&"):
            out.append(mark.format(token))
            rest = ""
        else:
            a, b = lo - offset, hi - offset
            out.append(token[:a] + mark.format(token[a:b]))
            rest = token[b:]
        after_last_mark = len(out)
        out.append(rest)
        position = html_end
    if after_last_mark is None:
        return None
    out.insert(after_last_mark, SPOT)
    result = "".join(out) + inner[position:]
    # A link may not hold a link: when the passage sits inside one (a glossary term), the note's
    # link goes right after it.
    spot = result.index(SPOT)
    depth = len(OPEN_LINK.findall(result, 0, spot)) - result.count("</a>", 0, spot)
    result = result.replace(SPOT, "")
    while depth > 0 and result.find("</a>", spot) >= 0:
        spot = result.index("</a>", spot) + len("</a>")
        depth -= 1
    # The title is shown as text (title_attribute), whatever the label holds.
    ref = (
        f'<sup class="edition-annotation-ref"><a href="#{html_attribute(anchor)}" '
        f'aria-label="{html_attribute(label)}" title="{title_attribute(label)}">注</a></sup>'
    )
    return result[:spot] + ref + result[spot:]


def place_annotations(page_html: str, annotations: list[tuple[Annotation, str]]) -> tuple[str, list[str]]:
    """Mark each annotation's passage and put its note, already rendered, right after the paragraph.

    Returns the page and the names of annotations whose passage was not found (a bug: the checks passed).
    """
    missing = []
    for target in dict.fromkeys(a.target for a, _ in annotations):
        pattern = re.compile(PARAGRAPH_HTML.format(id=re.escape(target)), re.DOTALL)
        match = pattern.search(page_html)
        if not match:
            missing += [a.name for a, _ in annotations if a.target == target]
            continue
        inner, notes = match.group("inner"), []
        here = [(a, note) for a, note in annotations if a.target == target]
        for a, note in here:
            text = "".join(piece[3] for piece in _text_pieces(inner))
            found = find_quote(text, a.exact, a.prefix, a.suffix)
            label = f"注释：{TYPES[a.type][0]} · Annotation: {TYPES[a.type][1]}"
            marked = (
                mark_passage(inner, found[0], found[0] + len(a.exact), a.anchor, label) if len(found) == 1 else None
            )
            if marked is None:
                missing.append(a.name)
                continue
            inner = marked
            notes.append(note)
        page_html = page_html[: match.start("inner")] + inner + "</p>\n" + "\n".join(notes) + page_html[match.end() :]
    return page_html, missing


# -- W3C Web Annotation export ------------------------------------------------------------------------------


def context_around(text: str, start: int, end: int, size: int = 16) -> tuple[str, str]:
    return text[max(0, start - size) : start], text[end : end + size]


def web_annotations(
    annotations: list[Annotation],
    paragraphs: list[Paragraph],
    page_url: Callable[[str], str],
    body_html: Callable[[Annotation], str],
    collection_id: str,
    annotation_id: Callable[[Annotation], str],
) -> dict[str, Any]:
    """The annotations as a W3C Web Annotation collection (JSON-LD).

    Prefix and suffix are filled from the paragraph where the contributor left them out,
    so the quote identifies one passage on the whole page, not only in its paragraph.
    """
    by_id = {p.id: p for p in paragraphs}
    items = []
    for a in annotations:
        paragraph = by_id[a.target]
        start = find_quote(paragraph.text, a.exact, a.prefix, a.suffix)[0]
        prefix, suffix = context_around(paragraph.text, start, start + len(a.exact))
        items.append(
            {
                "id": annotation_id(a),
                "type": "Annotation",
                "motivation": "commenting",
                "created": a.date,
                "creator": {"type": "Person", "name": a.author},
                "body": {
                    "type": "TextualBody",
                    "format": "text/html",
                    "language": a.language,
                    "value": body_html(a),
                    "purpose": "translating" if a.type == "translation" else "commenting",
                },
                "target": {
                    "source": page_url(paragraph.page),
                    "selector": {
                        "type": "TextQuoteSelector",
                        "exact": a.exact,
                        "prefix": a.prefix or prefix,
                        "suffix": a.suffix or suffix,
                    },
                },
            }
        )
    return {
        "@context": "http://www.w3.org/ns/anno.jsonld",
        "id": collection_id,
        "type": "AnnotationCollection",
        "label": "特朗普归来与中美博弈的新阶段 · 注释 Annotations",
        "total": len(items),
        "first": {"type": "AnnotationPage", "startIndex": 0, "items": items},
    }
