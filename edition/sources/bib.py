"""refs.bib: parsed with pybtex (as mkdocs-bibtex does), with the line of every entry and field kept."""

from __future__ import annotations

import codecs
import os
import re
from dataclasses import dataclass, field
from pathlib import Path

import latexcodec  # noqa: F401  (registers the "ulatex" codec)
from pybtex.database import BibliographyData, parse_string
from pybtex.database.input.bibtex import Parser as BibTeXParser
from pybtex.scanner import PybtexSyntaxError

from edition.dates import DateError, parse_iso_date
from edition.problems import EditionError, LineIndex, Problem, display_path, read_text

ENTRY_START = re.compile(r"^[ \t]*@(?P<type>\w+)[ \t]*\{[ \t]*(?P<key>[^,\s]*)[ \t]*,", re.MULTILINE)
FIELD_START = re.compile(r"^[ \t]*(?P<name>[A-Za-z_-]+)[ \t]*=", re.MULTILINE)
# A key is cited as [@key] and becomes an address (references/#key): plain ASCII only.
KEY = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]*")
NON_ENTRIES = {"comment", "preamble", "string"}
# biblatex reads these verbatim: a backslash in a URL is a mistake to report, not LaTeX to decode.
VERBATIM_FIELDS = {"url", "doi", "eprint"}

# The entry types this edition renders; anything else is a typo or needs a renderer.
ENTRY_TYPES = {"online", "report", "article", "book", "incollection", "misc"}
GROUPS = {
    "cn-official": ("中国官方文献", "Chinese official sources"),
    "us-government": ("美国政府文件", "US government documents"),
    "media": ("媒体报道", "Media"),
    "scholarship": ("学术文献", "Scholarship"),
}


@dataclass
class Entry:
    key: str
    type: str
    fields: dict[str, str]
    authors: list[str]
    line: int
    field_lines: dict[str, int] = field(default_factory=dict)

    def get(self, name: str, default: str = "") -> str:
        return self.fields.get(name, default)

    @property
    def lang(self) -> str:
        return "zh" if self.get("langid") == "chinese" else "en"

    @property
    def creator(self) -> str:
        """Author(s), else the organisation or institution responsible."""
        if self.authors:
            return "、".join(self.authors) if self.lang == "zh" else " and ".join(self.authors)
        return self.get("organization") or self.get("institution")

    @property
    def group(self) -> str:
        return self.get("keywords").split(",")[0].strip()

    def line_of(self, name: str) -> int:
        return self.field_lines.get(name, self.line)


@dataclass
class Bibliography:
    path: str
    entries: dict[str, Entry]

    def __contains__(self, key: str) -> bool:
        return key in self.entries

    def __getitem__(self, key: str) -> Entry:
        return self.entries[key]


def plain(value: str) -> str:
    """A BibTeX field as text: LaTeX escapes decoded, protective braces dropped."""
    text = value
    if "\\" in value:
        text = codecs.decode(value, "ulatex")  # type: ignore[call-overload]  # latexcodec's str codec, unknown to typeshed
    return text.replace("{", "").replace("}", "").replace("--", "-")


def load_bibliography(path: Path, *, shown: str | None = None) -> Bibliography:
    """Parse refs.bib (the book loads it once per build, edition.book.load_book)."""
    path = Path(path)
    shown = shown or display_path(path)
    try:
        info = os.lstat(path)  # the link itself, never its target: read_text refuses a link
    except FileNotFoundError:
        raise EditionError([Problem(shown, None, None, "file not found")]) from None
    return _load(path.absolute(), shown, info.st_mtime_ns, info.st_size, info.st_ino)


def _load(path: Path, shown: str, mtime_ns: int, size: int, inode: int) -> Bibliography:
    return parse_bibliography(read_text(path, shown), shown)


def _entry_starts(text: str, shown: str, lines: LineIndex) -> tuple[dict[str, int], dict[str, tuple[int, int]]]:
    """Each entry's key → its first line, and → the span of its text; EditionError if a key is missing,
    malformed or used twice."""
    problems: list[Problem] = []
    starts: dict[str, int] = {}
    spans: dict[str, tuple[int, int]] = {}
    matches = [m for m in ENTRY_START.finditer(text) if m.group("type").lower() not in NON_ENTRIES]
    for i, match in enumerate(matches):
        key, line = match.group("key"), lines.line(match.start())
        problem = _key_problem(key, line, shown, starts)
        if problem:
            problems.append(problem)
            continue
        starts[key] = line
        end = matches[i + 1].start() if i + 1 < len(matches) else len(text)
        spans[key] = (match.end(), end)
    if problems:
        raise EditionError(problems)
    return starts, spans


def _key_problem(key: str, line: int, shown: str, starts: dict[str, int]) -> Problem | None:
    if not key:
        return Problem(shown, line, None, "entry without a key; write @type{some-key, …")
    if not KEY.fullmatch(key):
        return Problem(
            shown,
            line,
            key[:60],
            "a key is cited as [@key] and becomes the address "
            "references/#key, so it may hold only ASCII letters, "
            "digits, hyphens and underscores; rename it",
        )
    if key in starts:
        return Problem(shown, line, key, f"duplicate key (first defined on line {starts[key]}); rename one entry")
    return None


def _parse_with_pybtex(text: str, shown: str, starts: dict[str, int]) -> BibliographyData:
    """pybtex's reading of the file; its errors as problems, at the entry they fall in when pybtex says where."""
    try:
        # The parser class itself, as pybtex's "bibtex" entry point names it: by name, pybtex would first read the
        # metadata of every installed package to find its entry points, which took longer than the parsing.
        return parse_string(text, BibTeXParser)
    except PybtexSyntaxError as exc:
        line = getattr(exc, "lineno", None)
        key = next((k for k, ln in sorted(starts.items(), key=lambda kv: -kv[1]) if line and ln <= line), None)
        raise EditionError(
            [
                Problem(
                    shown, line, key, f"malformed BibTeX: {exc.args[0] if exc.args else exc}; check braces and commas"
                )
            ]
        ) from None
    except Exception as exc:  # noqa: BLE001 (pybtex raises plain errors for some inputs, e.g. repeated fields)
        raise EditionError([Problem(shown, None, None, f"malformed BibTeX: {exc}")]) from None


def parse_bibliography(text: str, shown: str) -> Bibliography:
    if not text.strip():
        raise EditionError([Problem(shown, 1, None, "the file is empty; it must hold the article's sources")])
    lines = LineIndex(text)
    starts, spans = _entry_starts(text, shown, lines)
    data = _parse_with_pybtex(text, shown, starts)
    if not data.entries:
        raise EditionError([Problem(shown, 1, None, "no entries found; each source is an @type{key, …} entry")])

    entries: dict[str, Entry] = {}
    for key, raw in data.entries.items():
        start, end = spans.get(key, (0, 0))
        field_lines = {m.group("name").lower(): lines.line(m.start()) for m in FIELD_START.finditer(text, start, end)}
        authors = [plain(str(person)) for person in raw.persons.get("author", [])]
        entries[key] = Entry(
            key=key,
            type=raw.type.lower(),
            fields={
                name.lower(): value if name.lower() in VERBATIM_FIELDS else plain(value)
                for name, value in raw.fields.items()
            },
            authors=authors,
            line=starts.get(key, 1),
            field_lines=field_lines,
        )
    problems = [p for entry in entries.values() for p in entry_shape_problems(entry, shown)]
    if problems:
        raise EditionError(problems)
    return Bibliography(path=shown, entries=entries)


def entry_shape_problems(entry: Entry, shown: str) -> list[Problem]:
    """Fields every entry needs for its note to render as the article's notes do."""
    found = []
    if entry.type not in ENTRY_TYPES:
        found.append(
            Problem(
                shown,
                entry.line,
                entry.key,
                f"entry type @{entry.type} is not one of " + ", ".join(f"@{t}" for t in sorted(ENTRY_TYPES)),
            )
        )
    found += [
        Problem(shown, entry.line, entry.key, f"missing field '{name}'")
        for name in ("title", "date", "langid", "keywords")
        if not entry.get(name)
    ]
    if entry.get("date"):
        try:
            parse_iso_date(entry.get("date"))
        except (
            DateError
        ) as error:  # every note prints the date, so a bad one stops here (rule 2, edition.text.citation_consistency)
            found.append(
                Problem(shown, entry.line_of("date"), entry.key, f"date: {error}; write YYYY, YYYY-MM or YYYY-MM-DD")
            )
    if entry.get("langid") and entry.get("langid") not in {"chinese", "english"}:
        found.append(Problem(shown, entry.line_of("langid"), entry.key, "langid must be 'chinese' or 'english'"))
    if entry.get("keywords") and entry.group not in GROUPS:
        found.append(
            Problem(
                shown,
                entry.line_of("keywords"),
                entry.key,
                f"keywords must start with one of {', '.join(GROUPS)} (the references-page group)",
            )
        )
    if not entry.creator and not entry.get("journaltitle") and not entry.get("publisher"):
        found.append(Problem(shown, entry.line, entry.key, "needs an author, organization/institution or publisher"))
    return found
