"""Problems found in the edition's inputs, reported as ``file:line: key: message``."""

from __future__ import annotations

import bisect
import os
import re
import stat
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from edition.escape import visible_text


@dataclass(frozen=True, order=True)
class Problem:
    file: str
    line: int | None
    key: str | None
    message: str

    def __str__(self) -> str:
        """``file:line: key: message`` on one line. A message can quote contributor text: a line break in it
        would cut the problem in two (CI's problem matcher reads one line) and could start a line of its own,
        which GitHub's runner reads as a command (``::error::…``); line breaks and control characters are
        written as escapes (``\\n``)."""
        place = self.file if self.line is None else f"{self.file}:{self.line}"
        return visible_text(f"{place}: {self.key}: {self.message}" if self.key else f"{place}: {self.message}")


T = TypeVar("T")


class EditionError(Exception):
    """One or more problems that must stop the build."""

    def __init__(self, problems: list[Problem]):
        self.problems = sorted(set(problems), key=lambda p: (p.file, p.line or 0, p.key or "", p.message))
        super().__init__("\n".join(str(p) for p in self.problems))


def attempt(problems: list[Problem], load: Callable[..., T], *args: Any, **kwargs: Any) -> T | None:
    """``load(*args, **kwargs)``, or None with its problems added to ``problems``: one bad input must not hide
    the problems of the others."""
    try:
        return load(*args, **kwargs)
    except EditionError as error:
        problems += error.problems
        return None


def display_path(path: Path | str, root: Path | None = None) -> str:
    """A path as a contributor types it: relative to the project when possible."""
    path = Path(path)
    for base in filter(None, (root, Path.cwd())):
        try:
            return path.resolve().relative_to(Path(base).resolve()).as_posix()
        except ValueError:
            continue
    return path.as_posix()


# -- lines --------------------------------------------------------------------------------------------------


class LineIndex:
    """Line (and column) numbers of offsets in one text, computed once for the whole text.

    Counting newlines from the start of the file for every offset is quadratic in the size
    of the file (10,000 refs.bib entries took half a minute); this is one pass, then a bisect.
    """

    def __init__(self, text: str):
        self._starts = [0]
        position = text.find("\n")
        while position >= 0:
            self._starts.append(position + 1)
            position = text.find("\n", position + 1)

    def line(self, offset: int) -> int:
        """1-based line of the character at ``offset`` (as a text editor counts)."""
        return bisect.bisect_right(self._starts, offset)

    def column(self, offset: int) -> int:
        """1-based column of the character at ``offset``, in characters."""
        return offset - self._starts[self.line(offset) - 1] + 1


def line_of(text: str, offset: int) -> int:
    """The line of one offset; for many offsets in one text, use one ``LineIndex``."""
    return text.count("\n", 0, offset) + 1


# -- characters that must not be in contributor text ------------------------------------------------------------

# Bidirectional controls reorder what a reader sees (U+202E shows "txt.exe" as "exe.txt"): the
# words published would differ from the words reviewed.
BIDI_CONTROLS = "\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c"
# Characters that occupy no space or show nothing: they hide text inside a quote, a key or an
# address (a zero-width space makes two equal-looking keys differ). The private-use area is
# where the edition keeps its own placeholders (U+E000, U+E001), so no input may bring one.
INVISIBLES = (
    "\u00ad\u034f\u115f\u1160\u17b4\u17b5\u180e\u200b-\u200d\u2028\u2029\u2060-\u2064\u206a-\u206f"
    "\u3164\ufe00-\ufe0f\ufeff\uffa0\ufff9-\ufffb\ue000-\uf8ff"
    "\U000e0000-\U000e007f\U000e0100-\U000e01ef\U000f0000-\U0010ffff"
)
# Control characters: everything below U+0020 but the tab and the newline, DEL, and C1.
CONTROLS = "\x00-\x08\x0b-\x1f\x7f-\x9f"
FORBIDDEN_CHARACTER = re.compile(f"[{BIDI_CONTROLS}{INVISIBLES}{CONTROLS}]")
MOST_REPORTED_LINES = 20


def safe_name(name: str) -> str:
    """A file name as a message may print it: invisible and control characters escaped (\\u202e, \\x1b)."""
    return FORBIDDEN_CHARACTER.sub(lambda m: ascii(m.group(0))[1:-1], name)


def _describe_character(char: str) -> tuple[str, str]:
    """(the character as a message names it, why it is refused)."""
    name = f"U+{ord(char):04X} {unicodedata.name(char, '')}".rstrip()
    if re.match(f"[{BIDI_CONTROLS}]", char):
        return (
            f"bidirectional control character {name}",
            "it shows the text in another order than it is written, so readers would not see what reviewers read",
        )
    if re.match(f"[{CONTROLS}]", char):
        return f"control character {name}", "it is not text (programs reading the file stop or skip at it)"
    if "\ue000" <= char <= "\uf8ff" or char >= "\U000f0000":
        return (
            f"private-use character {name}",
            "it means nothing in a text, and the edition uses such characters for its own marks",
        )
    return f"invisible character {name}", "it cannot be seen, so it would hide a difference from what reviewers read"


def invisible_character_problems(text: str, shown: str, first_line: int = 1) -> list[Problem]:
    """Bidi controls, zero-width and other invisible characters, and control characters, one problem per line.

    ``first_line`` is the file's line of ``text``'s first line, for text cut from a larger file.
    Tabs and newlines are allowed; whatever else a reader cannot see, or sees in another order
    than it is written, is refused, since the text published must be the text reviewed.
    """
    found: dict[int, list[int]] = {}
    index: LineIndex | None = None
    for match in FORBIDDEN_CHARACTER.finditer(text):
        index = index or LineIndex(text)
        found.setdefault(index.line(match.start()), []).append(match.start())
    problems = []
    for line, offsets in list(found.items())[:MOST_REPORTED_LINES]:
        assert index is not None
        name, why = _describe_character(text[offsets[0]])
        more = f" (and {len(offsets) - 1} more on this line)" if len(offsets) > 1 else ""
        problems.append(
            Problem(
                shown,
                first_line + line - 1,
                None,
                f"{name} at column {index.column(offsets[0])}{more}: {why}; delete it (retype the "
                "line if your editor does not show it)",
            )
        )
    if len(found) > MOST_REPORTED_LINES:
        problems.append(
            Problem(
                shown,
                None,
                None,
                f"{len(found) - MOST_REPORTED_LINES} more lines hold invisible or control characters; remove them all",
            )
        )
    return problems


# -- Markdown that would take Python-Markdown minutes, or end it in a RecursionError ----------------------------

# Python-Markdown looks for the end of a link from every '[' (and of a tag from every '<') to the
# end of the paragraph: the work is their number times the paragraph's length. 100 '[' in 100 KB
# took two seconds, 20,000 '[' in a row eighty. Each level of a nested list is a recursion: some
# hundreds end the build with a RecursionError. The book's own pages stay a thousand times below.
MOST_WORK_IN_A_PARAGRAPH = 2_000_000
MOST_WORK_IN_A_FILE = 8_000_000
MOST_LIST_MARKERS = 16  # stacked at the start of one line: "1. 1. 1. …", "- * + …"
MOST_INDENT = 40  # columns; ten levels of nesting
LIST_MARKER = re.compile(r"[ \t]*+(?:[-*+]|\d{1,9}[.)])(?=[ \t])")


def text_blocks(text: str) -> list[tuple[int, str]]:
    """(first line, text) of each block: the lines between blank lines."""
    blocks: list[tuple[int, str]] = []
    current: list[str] = []
    start = 0
    for number, line in enumerate(text.split("\n"), start=1):
        if line.strip():
            if not current:
                start = number
            current.append(line)
        elif current:
            blocks.append((start, "\n".join(current)))
            current = []
    if current:
        blocks.append((start, "\n".join(current)))
    return blocks


def _stacked_list_markers(line: str) -> int:
    count, position = 0, 0
    while count <= MOST_LIST_MARKERS:
        marker = LIST_MARKER.match(line, position)
        if not marker:
            break
        count, position = count + 1, marker.end()
    return count


def markdown_work_problems(text: str, shown: str, first_line: int = 1) -> list[Problem]:
    """Markdown whose rendering would not be bounded: too many '[' or '<' for its paragraph's length, lists
    nested too deep. ``make check`` does not render, so it says so before the build would hang on it."""
    problems: list[Problem] = []
    total, worst = 0, (0, first_line)
    for block_line, block in text_blocks(text):
        brackets = block.count("[") - block.count("\\[")
        work = max(brackets, block.count("<")) * len(block)
        total += work
        worst = max(worst, (work, first_line + block_line - 1))
        if work > MOST_WORK_IN_A_PARAGRAPH:
            what = "'['" if brackets >= block.count("<") else "'<'"
            problems.append(
                Problem(
                    shown,
                    first_line + block_line - 1,
                    None,
                    f"this paragraph holds {max(brackets, block.count('<')):,} {what} in "
                    f"{len(block):,} characters: Markdown looks for the end of a link or a tag "
                    "from each of them, so rendering it would take minutes; use far fewer "
                    "(write a literal [ as \\[ and < as &lt;)",
                )
            )
    if total > MOST_WORK_IN_A_FILE and not problems:
        problems.append(
            Problem(
                shown,
                worst[1],
                None,
                "the file holds so many '[' or '<' for its length that "
                "rendering it would take minutes; use far fewer, starting "
                "with this paragraph",
            )
        )
    for number, line in enumerate(text.split("\n"), start=first_line):
        indent = len(line.expandtabs(4)) - len(line.expandtabs(4).lstrip(" "))
        if _stacked_list_markers(line) > MOST_LIST_MARKERS or indent > MOST_INDENT:
            problems.append(
                Problem(
                    shown,
                    number,
                    None,
                    "lists or code nested this deep (more than "
                    f"{MOST_LIST_MARKERS} markers or {MOST_INDENT} columns of "
                    "indent) end Markdown in an error; the book needs a few "
                    "levels at most: flatten it",
                )
            )
            if len(problems) > MOST_REPORTED_LINES:
                break
    return problems


# -- reading an input: one door ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class SizeLimit:
    """The largest file of one kind the book accepts, and why a larger one cannot be right."""

    max_bytes: int
    what: str
    why: str


KB, MB = 1024, 1024 * 1024
ANY_INPUT = SizeLimit(2 * MB, "an input of the book", "the largest, data/glossary.yml, is under 100 KB")
PAGE = SizeLimit(1 * MB, "a page in docs/", "a chapter of the article is under 10 KB")
ANNOTATION = SizeLimit(128 * KB, "an annotation", "a note of a few paragraphs is a few KB")
BIBLIOGRAPHY = SizeLimit(8 * MB, "refs.bib", "an entry is a few hundred bytes, so this is room for thousands")
DATA = SizeLimit(2 * MB, "a data file", "the glossary and the timeline are under 100 KB each")
SOURCE = SizeLimit(2 * MB, "a file in source/", "the whole article is under 40 KB")
# By where the file lives, as a contributor names it.
SIZE_LIMITS = {
    "docs/": PAGE,
    "translation/": PAGE,
    "annotations/": ANNOTATION,
    "refs.bib": BIBLIOGRAPHY,
    "data/": DATA,
    "source/": SOURCE,
}


def size_limit(shown: str) -> SizeLimit:
    return next((limit for start, limit in SIZE_LIMITS.items() if shown.startswith(start)), ANY_INPUT)


def symlink_message(path: Path) -> str:
    try:
        target = os.readlink(path)
    except OSError:
        target = "?"
    shown_target = ascii(target[:80])  # the link's text, escaped: it is the contributor's, not ours
    return (
        f"is a symbolic link (to {shown_target}); the book reads and publishes only files kept in the "
        "repository: replace the link by the file itself, or remove it"
    )


def not_a_file_message(mode: int) -> str:
    return f"is {_kind_of(mode)}, not a file; the book reads and publishes only regular files: remove it"


def _kind_of(mode: int) -> str:
    for test, name in (
        (stat.S_ISDIR, "a folder"),
        (stat.S_ISFIFO, "a named pipe"),
        (stat.S_ISSOCK, "a socket"),
        (stat.S_ISCHR, "a device"),
        (stat.S_ISBLK, "a device"),
    ):
        if test(mode):
            return name
    return "not a regular file"


def read_bytes(path: Path, shown: str, limit: SizeLimit) -> bytes:
    """A regular file's bytes; a symbolic link, anything but a regular file, or a file over ``limit`` is refused.

    The file is opened without following a link (O_NOFOLLOW), so what is checked is what is read.
    """
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
    try:
        fd = os.open(path, flags)
    except FileNotFoundError:
        raise EditionError([Problem(shown, None, None, "file not found")]) from None
    except OSError as error:
        if os.path.islink(path):
            raise EditionError([Problem(shown, None, None, symlink_message(Path(path)))]) from None
        raise EditionError([Problem(shown, None, None, f"cannot be read ({error.strerror}); check the file")]) from None
    mode = os.fstat(fd).st_mode
    if not stat.S_ISREG(mode):
        os.close(fd)
        raise EditionError([Problem(shown, None, None, not_a_file_message(mode))])
    with os.fdopen(fd, "rb") as file:
        raw = file.read(limit.max_bytes + 1)
    if len(raw) > limit.max_bytes:
        size = max(len(raw), os.path.getsize(path))
        raise EditionError(
            [
                Problem(
                    shown,
                    None,
                    None,
                    f"the file is {size:,} bytes; {limit.what} may be at most "
                    f"{limit.max_bytes:,} bytes ({limit.why}), so that no input "
                    "can stall the build: shorten it, or split it",
                )
            ]
        )
    return raw


def read_text(path: Path, shown: str | None = None, limit: SizeLimit | None = None) -> str:
    """Read a UTF-8 text input through the one door every input passes.

    A BOM and CRLF line ends are accepted; a symbolic link, a file over its size limit, bytes
    that are not UTF-8, invisible or control characters, and (in a Markdown file) Markdown whose
    rendering would not be bounded are each a Problem (EditionError).
    """
    shown = shown or display_path(path)
    raw = read_bytes(Path(path), shown, limit or size_limit(shown))
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise EditionError(
            [Problem(shown, line, None, f"not valid UTF-8 (byte 0x{raw[exc.start]:02x}); save the file as UTF-8")]
        ) from None
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    problems = invisible_character_problems(text, shown)
    if shown.endswith(".md") and not problems:  # pages and annotations: Markdown the build will render
        problems = markdown_work_problems(text, shown)
    if problems:
        raise EditionError(problems)
    return text


# -- symbolic links among the inputs ----------------------------------------------------------------------------

# What the build reads or publishes: every file under these folders (docs/ is copied into the
# site whatever its type), and these files.
INPUT_FOLDERS = ("docs", "annotations", "data", "source", "overrides", "translation")
INPUT_FILES = ("refs.bib", "mkdocs.yml")


def _entry_problem(path: Path, shown: str, info: os.stat_result) -> Problem | None:
    if stat.S_ISLNK(info.st_mode):
        return Problem(shown, None, None, symlink_message(path))
    if not (stat.S_ISREG(info.st_mode) or stat.S_ISDIR(info.st_mode)):
        return Problem(shown, None, None, not_a_file_message(info.st_mode))
    return None


MOST_NESTED = 16  # the book's folders are two levels deep; MkDocs walks docs/ by recursion


def symlink_problems(root: Path) -> list[Problem]:
    """Every symbolic link (and named pipe, socket or device) among the book's inputs, links to folders too,
    and folders nested too deep to walk.

    A link in docs/ to /proc/self/environ or ~/.ssh would be published as a page or a file;
    a pipe would hang the build; a thousand nested folders would end the build's walk of
    docs/ in a RecursionError. Nothing is followed: each entry is looked at, not through.
    """
    root = Path(root)
    problems, pending = _input_entries(root)
    while pending:  # a stack, not recursion: a deep tree of folders cannot overflow it
        folder, shown, depth = pending.pop()
        found, subfolders = _folder_entries(folder, shown, depth)
        problems += found
        pending += subfolders
    return sorted(problems)


_Folder = tuple[Path, str, int]  # a folder to look into, as shown, and its depth


def _input_entries(root: Path) -> tuple[list[Problem], list[_Folder]]:
    """Problems of the book's top-level inputs, and the input folders to look into."""
    problems: list[Problem] = []
    pending: list[_Folder] = []
    for name in INPUT_FILES + INPUT_FOLDERS:
        try:
            info = os.lstat(root / name)
        except FileNotFoundError:
            continue
        problem = _entry_problem(root / name, name, info)
        if problem:
            problems.append(problem)
        elif name in INPUT_FOLDERS and stat.S_ISDIR(info.st_mode):
            pending.append((root / name, name, 1))
    return problems, pending


def _folder_entries(folder: Path, shown: str, depth: int) -> tuple[list[Problem], list[_Folder]]:
    """Problems of one folder's entries, and its subfolders to look into next."""
    if depth > MOST_NESTED:
        message = (
            f"folders nested more than {MOST_NESTED} deep; the book's folders are a level or two deep: "
            "move the files up"
        )
        return [Problem(shown, None, None, message)], []
    try:
        with os.scandir(folder) as listing:
            entries = sorted(listing, key=lambda e: e.name)
    except OSError as error:
        return [Problem(shown, None, None, f"cannot be listed ({error.strerror}); check the folder")], []
    problems: list[Problem] = []
    subfolders: list[_Folder] = []
    for entry in entries:
        path, entry_shown = Path(entry.path), f"{shown}/{safe_name(entry.name)}"
        info = entry.stat(follow_symlinks=False)
        if entry_shown != f"{shown}/{entry.name}":
            message = "the name holds invisible or control characters (shown escaped); rename it"
            problems.append(Problem(entry_shown, None, None, message))
        problem = _entry_problem(path, entry_shown, info)
        if problem:
            problems.append(problem)
        elif stat.S_ISDIR(info.st_mode):
            subfolders.append((path, entry_shown, depth + 1))
    return problems, subfolders
