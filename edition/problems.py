"""Problems found in the edition's inputs, reported as ``file:line: key: message``."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True, order=True)
class Problem:
    file: str
    line: int | None
    key: str | None
    message: str

    def __str__(self) -> str:
        place = self.file if self.line is None else f"{self.file}:{self.line}"
        return f"{place}: {self.key}: {self.message}" if self.key else f"{place}: {self.message}"


class EditionError(Exception):
    """One or more problems that must stop the build."""

    def __init__(self, problems: list[Problem]):
        self.problems = sorted(set(problems), key=lambda p: (p.file, p.line or 0, p.key or "", p.message))
        super().__init__("\n".join(str(p) for p in self.problems))


def display_path(path: Path | str, root: Path | None = None) -> str:
    """A path as a contributor types it: relative to the project when possible."""
    path = Path(path)
    for base in filter(None, (root, Path.cwd())):
        try:
            return path.resolve().relative_to(Path(base).resolve()).as_posix()
        except ValueError:
            continue
    return path.as_posix()


def read_text(path: Path, shown: str | None = None) -> str:
    """Read a UTF-8 text file; a BOM and CRLF line ends are accepted, bad bytes are a Problem."""
    shown = shown or display_path(path)
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise EditionError([Problem(shown, None, None, "file not found")]) from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise EditionError(
            [Problem(shown, line, None, f"not valid UTF-8 (byte 0x{raw[exc.start]:02x}); save the file as UTF-8")]
        ) from None
    return text.replace("\r\n", "\n").replace("\r", "\n")


def line_of(text: str, offset: int) -> int:
    return text.count("\n", 0, offset) + 1
