"""The catalogue of planted attacks, shared by tests/test_attacks_*.py.

Each attack is a hostile or careless input planted in a copy of the book. Its expected outcome is
exact: either it is refused (the checks that `make check` and every build run name its file, its
line and what is wrong) or it is accepted and neutralised in what the build writes (asserted on
the built files). Attacks are grouped by the classes of issue 11: one door, output by context,
refusal, bounded work, nothing skipped in silence.
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from edition.problems import Problem

ROOT = Path(__file__).resolve().parent.parent
# The inputs as the attacks name them (a problem's file), and the annotation they plant.
GLOSSARY = "data/glossary.yml"
TIMELINE = "data/timeline.yml"
ARTICLE = "data/article.yml"
NOTE = "annotations/p1-3-planted.md"
Plant = Callable[[Path], object]  # what it returns is not used
Where = int | Callable[[Path], int] | None


@dataclass(frozen=True)
class Refused:
    """The checks stop the book with a problem at ``file``:``line`` whose text holds ``message``."""

    file: str
    line: Where
    message: str
    key: str | None = None

    def line_in(self, project: Path) -> int | None:
        return self.line(project) if callable(self.line) else self.line


@dataclass(frozen=True)
class Attack:
    name: str  # shown as the test's id
    plant: Plant
    expect: Refused

    def __str__(self) -> str:
        return self.name


def run_checks(project: Path) -> list[Problem]:
    """What `make check` finds in ``project``: every offline check, no page rendered."""
    from edition.book import check

    return check(project)


def assert_refused(project: Path, attack: Attack) -> None:
    attack.plant(project)
    problems = run_checks(project)
    expect = attack.expect
    line = expect.line_in(project)
    matching = [
        p
        for p in problems
        if p.file == expect.file
        and expect.message in str(p)
        and (line is None or p.line == line)
        and (expect.key is None or p.key == expect.key)
    ]
    assert matching, f"{attack.name}: expected {expect.file}:{line}: …{expect.message}…; got:\n" + "\n".join(
        map(str, problems)
    )


def make_check(project: Path, timeout: float = 30) -> subprocess.CompletedProcess[str]:
    """`make check` in a fresh process, for attacks that could hang or crash it: stopped after ``timeout``."""
    return subprocess.run(
        [sys.executable, "-m", "edition.outputs.check", str(project)],
        capture_output=True,
        text=True,
        timeout=timeout,
        cwd=ROOT,
        check=False,
    )


# -- planting -------------------------------------------------------------------------------------------


def read(project: Path, name: str) -> str:
    return (project / name).read_text(encoding="utf-8")


def write(name: str, text: str) -> Plant:
    """Plant: (over)write ``name`` in the project with ``text``."""

    def plant(project: Path) -> None:
        path = project / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")

    return plant


def replace(name: str, old: str, new: str, count: int = 1) -> Plant:
    """Plant: replace the first ``count`` occurrences of ``old`` in ``name`` (which must hold it)."""

    def plant(project: Path) -> None:
        text = read(project, name)
        assert old in text, f"{old!r} not in {name}"
        (project / name).write_text(text.replace(old, new, count), encoding="utf-8")

    return plant


def append(name: str, text: str) -> Plant:
    def plant(project: Path) -> None:
        (project / name).write_text(read(project, name) + text, encoding="utf-8")

    return plant


def line_of(name: str, needle: str) -> Callable[[Path], int]:
    """Where: the first line of ``name`` holding ``needle`` (after planting)."""

    def where(project: Path) -> int:
        for number, line in enumerate(read(project, name).split("\n"), start=1):
            if needle in line:
                return number
        raise AssertionError(f"{needle!r} not in {name}")

    return where


VALID_ANNOTATION = """\
---
target: p1-3
exact: 穿透性规则
prefix: 美商务部在9月29日出台所谓
type: context
author: A Contributor
date: 2026-01-15
language: zh-Hans
---
一条有效的注释。
"""
