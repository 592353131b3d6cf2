"""What CI shows a contributor: annotations on the pull request's diff and the run's summary page.

* The problem matcher (.github/problem-matchers/edition.json) is read from its file and compiled here, and by
  Node as JavaScript reads it (GitHub's runner reads it in .NET's ECMAScript mode): over the real output of
  `make check` and of a failing strict build of a copied book, it finds every problem with its file, line
  and message, and it takes no ordinary line of MkDocs, make or Python for a problem.
* A problem is one line of output whatever its message holds, so it cannot start a line the runner would
  read as a command (`::error::…`).
* The summary (edition/outputs/ci_report.py) lists the real problems of a copied book with bad annotations,
  with the advice for each kind, and a hostile message cannot break its table or leave its code span.
"""

from __future__ import annotations

import json
import logging
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from mkdocs.__main__ import ColorFormatter
from mkdocs.exceptions import PluginError

from attacks import ROOT, VALID_ANNOTATION, make_check
from book_inputs import copy_book_inputs
from edition.book import check
from edition.build import plugin_error
from edition.outputs.ci_report import ADVICE, FALLBACK, advice_for, main, summary
from edition.problems import EditionError, Problem

MATCHER_FILE = ROOT / ".github" / "problem-matchers" / "edition.json"
ANSI_COLOUR = re.compile(r"\x1b\[[0-9;]*m")
HOSTILE = "a|b``c<script>alert(1)</script>\n::error file=x,line=1::boom @someone #1 ##[warning]w"

# One bad annotation of each kind the summary explains, and two hostile ones: file name → what it changes.
PLANTED = {
    "unknown-field.md": ("type: context\n", "type: context\ncolour: red\n"),
    "yaml-syntax.md": ("type: context\n", "type: [context\n"),
    "quote-not-found.md": ("exact: 穿透性规则\n", "exact: 不存在的引文\n"),
    "future-date.md": ("date: 2026-01-15\n", "date: 2099-01-15\n"),
    "unknown-type.md": ("type: context\n", "type: contxt\n"),
    "paragraph-id.md": ("target: p1-3\n", "target: p1_3\n"),
    "missing-source.md": ("一条有效的注释。", "一条有效的注释 [@nosuchkey2024]。"),
    "missing-author.md": ("author: A Contributor\n", ""),
    "hostile-value.md": ("type: context\n", f"type: {json.dumps(HOSTILE)}\n"),
    "hostile-field.md": ("type: context\n", f"type: context\n{json.dumps(HOSTILE)}: red\n"),
}
# What the advice for each kind speaks of (its English half).
ADVICE_ABOUT = {
    "unknown-field.md": "does not know this field",
    "yaml-syntax.md": "YAML syntax",
    "quote-not-found.md": "quotation is not in the target paragraph",
    "future-date.md": "after the build's date",
    "unknown-type.md": "Unknown annotation type",
    "paragraph-id.md": "Wrong paragraph id",
    "missing-source.md": "not in refs.bib",
    "missing-author.md": "required field",
    "hostile-field.md": "does not know this field",
}


def matcher() -> dict:
    (config,) = json.loads(MATCHER_FILE.read_text(encoding="utf-8"))["problemMatcher"]
    return config


def pattern() -> dict:
    (first,) = matcher()["pattern"]
    return first


def regexp() -> re.Pattern[str]:
    return re.compile(pattern()["regexp"])


def read_line(line: str) -> tuple[str, str | None, str] | None:
    """(file, line, message) as the matcher reads them from one line of output; None when it does not match."""
    match = regexp().match(line)
    if not match:
        return None
    groups = pattern()
    return match.group(groups["file"]), match.group(groups["line"]), match.group(groups["message"])


def as_read(problem: Problem) -> tuple[str, str | None, str]:
    """(file, line, message) that the matcher must read from the line that reports ``problem``."""
    place = problem.file if problem.line is None else f"{problem.file}:{problem.line}"
    return problem.file, None if problem.line is None else str(problem.line), str(problem)[len(place) + 2 :]


@pytest.fixture(scope="module")
def bad_book(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the book with the bad annotations of PLANTED."""
    project = copy_book_inputs(tmp_path_factory.mktemp("ci") / "project")
    for name, (old, new) in PLANTED.items():
        assert old in VALID_ANNOTATION, name
        (project / "annotations" / name).write_text(VALID_ANNOTATION.replace(old, new, 1), encoding="utf-8")
    return project


@pytest.fixture(scope="module")
def problems(bad_book: Path) -> list[Problem]:
    found = check(bad_book)
    assert {Path(p.file).name for p in found} >= set(PLANTED), [str(p) for p in found]
    return found


@pytest.fixture(scope="module")
def checked(bad_book: Path) -> subprocess.CompletedProcess[str]:
    """`make check` of the bad book, in a process of its own."""
    return make_check(bad_book, timeout=120)


@pytest.fixture(scope="module")
def failed_build(bad_book: Path, tmp_path_factory: pytest.TempPathFactory) -> subprocess.CompletedProcess[str]:
    """A strict build of the bad book, as CI runs it: output to a pipe, no terminal width to wrap lines at."""
    env = {k: v for k, v in os.environ.items() if k not in ("COLUMNS", "LINES")}
    env["NO_MKDOCS_2_WARNING"] = "1"
    site = tmp_path_factory.mktemp("site")
    built = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(site)],
        cwd=bad_book,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert built.returncode != 0, built.stderr
    return built


def mkdocs_lines(level: int, message: str, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """``message`` as MkDocs prints it at ``level`` in CI: its formatter without a terminal to wrap lines for,
    and without colours (MkDocs leaves them out when its output is not a terminal, as in CI)."""
    monkeypatch.setattr(ColorFormatter.text_wrapper, "width", 0)
    record = logging.LogRecord("mkdocs.commands.build", level, __file__, 1, message, None, None)
    return ANSI_COLOUR.sub("", ColorFormatter().format(record)).splitlines()


# -- the matcher -------------------------------------------------------------------------------------------


def test_the_matcher_is_valid_for_the_runner() -> None:
    """What GitHub's runner requires of a matcher (IssueMatcher.cs): an owner, a known severity, a pattern
    whose groups exist and that sets the message; one pattern, so each line is an annotation of its own."""
    config = matcher()
    assert config["owner"] == "edition"
    assert config["severity"] in ("error", "warning", "notice")
    groups = regexp().groups
    assert {"file", "line", "message"} <= set(pattern())
    assert all(0 < pattern()[name] <= groups for name in ("file", "line", "message"))
    assert "loop" not in pattern()


def test_the_matcher_reads_every_problem_of_make_check(
    checked: subprocess.CompletedProcess[str], problems: list[Problem]
) -> None:
    assert checked.returncode == 1, checked.stderr
    lines = checked.stderr.splitlines()
    read = [found for found in map(read_line, lines) if found]
    assert sorted(read, key=repr) == sorted(map(as_read, problems), key=repr), checked.stderr
    # The count at the end is not a problem.
    assert [line for line in lines if not read_line(line)] == [lines[-1]]
    assert lines[-1].startswith("make check:")


def test_the_matcher_reads_every_problem_of_a_failing_strict_build(
    failed_build: subprocess.CompletedProcess[str], problems: list[Problem]
) -> None:
    lines = failed_build.stderr.splitlines() + failed_build.stdout.splitlines()  # both reach the log
    read = [found for found in map(read_line, lines) if found]
    assert sorted(read, key=repr) == sorted(map(as_read, problems), key=repr), lines
    others = [line for line in lines if line.strip() and not read_line(line)]
    assert others, "the build said nothing but problems: has MkDocs' output changed?"
    assert any(line.startswith("ERROR") and "problem(s) in the book" in line for line in others), others
    assert "Aborted with a BuildError!" in others


def test_the_matcher_reads_a_problem_on_the_first_line_of_an_error(monkeypatch: pytest.MonkeyPatch) -> None:
    """A hook that re-raises the book's error as it is (hooks/search_query.py) puts the first problem right
    after MkDocs' 'ERROR -', and the next ones on lines of their own; plugin_error indents them."""
    found = [
        Problem("hooks/search_query.py", None, None, "expected one Material search worker; has the theme changed?"),
        Problem("docs/chapter-2.md", 14, "p2-4", "malformed paragraph id; write {#pC-N}"),
    ]
    error = EditionError(found)
    for raised in (PluginError(str(error)), plugin_error(error.problems)):
        lines = mkdocs_lines(logging.ERROR, str(raised), monkeypatch)
        read = [found for found in map(read_line, lines) if found]
        assert sorted(read, key=repr) == sorted(map(as_read, error.problems), key=repr), lines


def test_the_matcher_takes_no_ordinary_line_for_a_problem(monkeypatch: pytest.MonkeyPatch) -> None:
    ordinary = [
        *mkdocs_lines(logging.INFO, "Cleaning site directory", monkeypatch),
        *mkdocs_lines(logging.INFO, "Building documentation to directory: /tmp/site", monkeypatch),
        *mkdocs_lines(logging.INFO, "Documentation built in 12.34 seconds", monkeypatch),
        *mkdocs_lines(logging.WARNING, "Doc file 'index.md' contains a link 'x.md', not found.", monkeypatch),
        *mkdocs_lines(logging.ERROR, "Config value 'theme': Unrecognised theme name: 'x'.", monkeypatch),
        *mkdocs_lines(logging.ERROR, "3 problem(s) in the book; fix them and build again:", monkeypatch),
        "Aborted with a BuildError!",
        "make check: 3 problem(s); the build would stop.",
        "make check: all checks passed in 0.91 s",
        "make: *** [Makefile:58: check] Error 1",
        ".venv/bin/python -m edition.outputs.check",
        ".venv/bin/mkdocs build --strict --site-dir site",
        "Requirement already satisfied: PyYAML==6.0.4 in /opt/hostedtoolcache/Python/3.11.9/x64/lib",
        "WARNING: Running pip as the 'root' user can result in broken permissions",
        '  File "/usr/lib/python3.11/runpy.py", line 198, in _run_module_as_main',
        "yaml.scanner.ScannerError: mapping values are not allowed here",
        "/usr/lib/python3/dist-packages/x/y.py:12: UserWarning: something",
        "::add-matcher::.github/problem-matchers/edition.json",
        "",
    ]
    assert [line for line in ordinary if read_line(line)] == []


def test_javascript_reads_the_matcher_as_python_does(
    checked: subprocess.CompletedProcess[str], failed_build: subprocess.CompletedProcess[str]
) -> None:
    """The runner compiles the pattern in .NET's ECMAScript mode: the pattern must mean in JavaScript what it
    means in Python, so what these tests prove of it holds there."""
    node = shutil.which("node")
    if node is None:
        pytest.fail("node is not on PATH; `make test` needs Node.js 18 or later", pytrace=False)
    lines = [
        *failed_build.stderr.splitlines(),
        *failed_build.stdout.splitlines(),
        *checked.stderr.splitlines(),
        "make: *** [Makefile:58: check] Error 1",
        "yaml.scanner.ScannerError: x",
        "refs.bib: 3 entries are never cited",
        "  docs/chapter-1.md:7: p1-2: x",
    ]
    script = (
        "let d='';process.stdin.on('data',c=>d+=c).on('end',()=>{const {regexp,lines}=JSON.parse(d);"
        "const r=new RegExp(regexp);process.stdout.write(JSON.stringify(lines.map(l=>{const m=r.exec(l);"
        "return m?m.slice(1).map(g=>g===undefined?null:g):null;})));});"
    )
    ran = subprocess.run(
        [node, "-e", script],
        input=json.dumps({"regexp": pattern()["regexp"], "lines": lines}),
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    in_python = [list(m.groups()) if (m := regexp().match(line)) else None for line in lines]
    assert json.loads(ran.stdout) == in_python
    assert any(in_python), "no line matched: the comparison proves nothing"


# -- one line per problem ----------------------------------------------------------------------------------


def test_a_problem_is_one_line_whatever_its_message_holds(
    checked: subprocess.CompletedProcess[str], problems: list[Problem]
) -> None:
    hostile = [p for p in problems if "hostile" in p.file]
    assert hostile and all("::error" in str(p) for p in hostile), [str(p) for p in problems]
    assert all("\n" not in str(p) and "\r" not in str(p) for p in problems)
    assert all("\\n::error" in str(p) for p in hostile)
    assert [line for line in checked.stderr.splitlines() if line.lstrip().startswith("::")] == []


# -- the summary -------------------------------------------------------------------------------------------


def cells(row: str) -> list[str]:
    """The cells of a GitHub table row: split at each '|' that a backslash does not escape."""
    assert row.startswith("| ") and row.endswith(" |"), row
    found, current, backslashes = [], "", 0
    for char in row[1:-1]:
        if char == "|" and backslashes % 2 == 0:
            found.append(current)
            current = ""
        else:
            current += char
        backslashes = backslashes + 1 if char == "\\" else 0
    return [*found, current]


def code_span(cell: str) -> str:
    """The text of a cell that is one code span, and nothing else."""
    cell = cell.strip()
    fence = re.match(r"`+", cell)
    assert fence, cell
    ticks = fence.group(0)
    assert cell.endswith(ticks) and len(cell) > 2 * len(ticks), cell
    body = cell[len(ticks) : -len(ticks)]
    assert ticks not in body and not body.startswith("`") and not body.endswith("`"), cell
    return body


def table_rows(markdown: str) -> list[str]:
    return [line for line in markdown.splitlines() if line.startswith("|")][2:]


def test_the_summary_lists_every_problem_with_what_to_do(problems: list[Problem]) -> None:
    page = summary(problems, check="failure")
    rows = table_rows(page)
    assert len(rows) == len(set(problems))
    for problem in problems:
        place = f"{problem.file}:{problem.line}" if problem.line is not None else problem.file
        (row,) = [r for r in rows if code_span(cells(r)[0]) == place]
        _, what, advice = cells(row)
        shown = code_span(what).replace("\\|", "|")
        said = " ".join(str(problem)[len(place) + 2 :].split())
        assert shown == said or (shown.endswith("…") and said.startswith(shown[:-1])), (shown, said)
        assert "<br>" in advice and re.search(r"[\u4e00-\u9fff]", advice) and re.search(r"[A-Za-z]", advice)
    for name, about in ADVICE_ABOUT.items():
        (problem, *_) = [p for p in problems if Path(p.file).name == name]
        assert about in advice_for(problem).en, (name, str(problem))


def test_an_unknown_kind_of_problem_gets_the_general_advice() -> None:
    odd = Problem("data/glossary.yml", 3, "x", "something no rule knows about")
    assert advice_for(odd) is FALLBACK
    assert "CONTRIBUTING.md" in FALLBACK.zh and "CONTRIBUTING.md" in FALLBACK.en
    assert all(advice.zh != advice.en for advice in (*ADVICE, FALLBACK))


def test_a_hostile_message_stays_in_its_cell(problems: list[Problem]) -> None:
    made_up = Problem(f"annotations/{HOSTILE}.md", 2, HOSTILE, HOSTILE + "\r\n| x | y |\n\n# title")
    page = summary([*problems, made_up], check="failure")
    rows = table_rows(page)
    assert len(rows) == len(set(problems)) + 1
    assert all(len(cells(row)) == 3 for row in rows), page
    for row in rows:
        where, what, _ = cells(row)
        for cell in (where, what):
            body = code_span(cell)
            assert "\n" not in body and "\r" not in body
    hostile_rows = [row for row in rows if "::error" in row]
    assert len(hostile_rows) >= 3, page
    # Outside the code spans, nothing of the hostile text: no tag, no mention, no command.
    outside = "\n".join(cells(row)[2] for row in rows) + "\n".join(
        line for line in page.splitlines() if line[:1] != "|"
    )
    for needle in ("<script", "@someone", "::error", "##[", "#1"):
        assert needle not in outside
    assert [line for line in page.splitlines() if line.lstrip().startswith(("::", "##["))] == []


def test_the_summary_says_what_happened_when_there_is_no_problem() -> None:
    passed = summary([], check="success", steps={"Build (strict)": "success"}, preview=("site-preview", "success"))
    assert "✅" in passed and "site-preview" in passed and "http.server" in passed
    failed = summary([], check="success", steps={"Lint and test": "failure", "Build (strict)": "success"})
    assert "✅" not in failed and "Lint and test" in failed and "failure" in failed
    not_run = summary(None, check="skipped", steps={"Check mkdocs.yml": "failure", "Lint and test": "skipped"})
    assert "✅" not in not_run and "did not run" in not_run and "Check mkdocs.yml" in not_run
    lost = summary(None, check="failure")
    assert "✅" not in lost and "see its log" in lost
    odd_name = summary([], check="success", steps={"<b>x</b>": "failure"}, preview=("a b`c", "success"))
    assert "<b>" not in odd_name and "a b`c" not in odd_name


def test_the_command_writes_the_summary_without_a_traceback(bad_book: Path) -> None:
    ran = subprocess.run(
        [sys.executable, "-m", "edition.outputs.ci_report", "--check", "failure", "--step", "Build=skipped", "."],
        cwd=bad_book,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert ran.returncode == 0 and ran.stderr == "", ran.stderr
    assert table_rows(ran.stdout) and "annotations/unknown-field.md" in ran.stdout
    assert main(["--check", "skipped", str(bad_book)]) == 0
