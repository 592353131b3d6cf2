"""The summary of a CI run, for the contributor of a pull request: the book's problems in Chinese and English.

``python -m edition.outputs.ci_report --check OUTCOME [--step NAME=OUTCOME]… [--preview NAME=OUTCOME]`` prints
Markdown; the workflow appends it to ``$GITHUB_STEP_SUMMARY``, the page GitHub shows for the run. Nothing of
it goes to the log, where the runner would read a line that starts with ``::`` as a command.

The problems are also annotated on the pull request's changed lines: the problem matcher
(.github/problem-matchers/edition.json) reads them from the output of the settings check, ``make check`` and
the strict build. GitHub shows at most ten annotations a step, and an annotation says what is wrong, not what
to do about it: this page lists every problem the book's checks find (found again, the same way), with where,
what and, for the common kinds, what to do, in both languages; a step that failed otherwise (the settings,
the tests, a problem that only the build finds) is named, with a pointer to its log and its annotations.

Every value from the book (a file name, a message quoting a contributor's text) reaches the page through
``edition.escape.github_code_cell``: a code span in a table cell, which no ``|``, backtick, line break,
HTML tag or @mention can leave.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from edition.escape import github_code_cell, github_table_text, markdown_text
from edition.problems import Problem

# What GitHub's `steps.<id>.outcome` can be; anything else is shown as unknown.
OUTCOMES = ("success", "failure", "cancelled", "skipped")
# A summary holds at most 1 MiB: the rows stop well before, and the log holds the rest.
MOST_ROWS = 200
MOST_MESSAGE = 600  # characters of one message in its cell
CHECK_STEP = "make check"
ARTIFACT_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,99}")


@dataclass(frozen=True)
class Advice:
    """What to do about one kind of problem, in Chinese and in English, and how to know the kind."""

    applies: Callable[[Problem], bool]
    zh: str
    en: str


def _says(*phrases: str) -> Callable[[Problem], bool]:
    return lambda p: any(phrase in p.message for phrase in phrases)


def _key(*keys: str) -> Callable[[Problem], bool]:
    return lambda p: p.key in keys


# First match wins: the kinds that a key alone would misname (a required 'date' is missing) come first.
ADVICE = (
    Advice(
        _says("required field", "missing field"),
        "缺少必填字段：按消息补上这个字段（各字段的写法见 CONTRIBUTING.md「添加注释」）。",
        "A required field is missing: add it as the message says (CONTRIBUTING.md, “Adding an annotation”, "
        "describes each field).",
    ),
    Advice(
        _says("not valid YAML"),
        "YAML 语法有误：检查这一行和上一行的缩进、冒号后的空格、引号是否成对；值里含有“: ”或以 [ { & * ! | "
        "开头时，把整个值放进英文双引号。",
        "The YAML syntax is wrong: check this line and the one above for indentation, the space after each "
        "colon and quotes that open and close; put a value in double quotes when it contains ': ' or starts "
        "with [, {, &, *, ! or |.",
    ),
    Advice(
        _says("unknown field"),
        "本版不认识这个字段：检查字段名的拼写，或删去这一行。消息末尾列出了允许的字段。",
        "The edition does not know this field: check its spelling, or delete the line. The message ends "
        "with the fields allowed.",
    ),
    Advice(
        _says("invisible character", "control character", "bidirectional control", "private-use character"),
        "这一行有看不见的字符：删掉它（编辑器显示不出来时，重新输入这一行）。",
        "This line holds a character you cannot see: delete it (retype the line if your editor does not show it).",
    ),
    Advice(
        _says("refs.bib", "unknown citation key"),
        "引用的来源不在 refs.bib 里：检查键的拼写，或先在 refs.bib 中添加这条来源（见 CONTRIBUTING.md「添加来源」）。",
        "The source cited is not in refs.bib: check the key's spelling, or add the source to refs.bib first "
        "(CONTRIBUTING.md, “Adding a source to refs.bib”).",
    ),
    Advice(
        lambda p: p.key in ("exact", "prefix", "suffix") or "is not in paragraph" in p.message,
        "引文在目标段落里找不到：从网站上该段逐字复制（不要带注释编号），并确认 target 是正确的段落编号。",
        "The quotation is not in the target paragraph: copy the words exactly from that paragraph on the "
        "site (without note numbers), and check that target names the right paragraph.",
    ),
    Advice(
        _says("is after the build", "in the future"),
        "日期晚于构建日期：写注释撰写或来源发表的实际日期，检查年份和月份。",
        "The date is after the build's date: write the day the annotation was written or the source "
        "published; check the year and the month.",
    ),
    Advice(
        lambda p: p.key == "date" or "not a real calendar date" in p.message,
        "日期写法不对：写成 YYYY-MM-DD（如 2026-01-15），月份 01–12，日在该月的天数之内。",
        "The date is not a real day: write it as YYYY-MM-DD (2026-01-15), with a month from 01 to 12 and "
        "a day that month has.",
    ),
    Advice(
        lambda p: p.key == "type" or "is not a type of annotation" in p.message,
        "注释类型写错了：type 只能是 context、later-development、correction、translation 之一。",
        "Unknown annotation type: type is one of context, later-development, correction, translation.",
    ),
    Advice(
        _key("language"),
        "语言标签写错了：正文是中文或中英双语时写 zh-Hans，只有英文时写 en。",
        "Unknown language tag: write zh-Hans for a body in Chinese or in both languages, en for one in English only.",
    ),
    Advice(
        lambda p: p.key == "target" or "paragraph id" in p.message or "no paragraph has this id" in p.message,
        "段落编号有误：写成 pC-N（C 是章，N 是段），与网站上段落旁显示的编号一致；例如 p2-4 是第二章第4段。",
        "Wrong paragraph id: write pC-N (C the chapter, N the paragraph) as the site shows it beside the "
        "paragraph; p2-4 is chapter 2, paragraph 4.",
    ),
)
FALLBACK = Advice(
    lambda p: True,
    "按消息所说修改；各类文件的规则见 CONTRIBUTING.md。",
    "Fix it as the message says; CONTRIBUTING.md gives the rules for each file.",
)


def advice_for(problem: Problem) -> Advice:
    return next((advice for advice in ADVICE if advice.applies(problem)), FALLBACK)


def problem_row(problem: Problem) -> str:
    """One row of the table: where, what (both as code, whatever they hold), and what to do."""
    place = problem.file if problem.line is None else f"{problem.file}:{problem.line}"
    said = f"{problem.key}: {problem.message}" if problem.key else problem.message
    advice = advice_for(problem)
    what_to_do = f"{github_table_text(advice.zh)}<br>{github_table_text(advice.en)}"
    return f"| {github_code_cell(place)} | {github_code_cell(said, MOST_MESSAGE)} | {what_to_do} |"


def problems_section(problems: Sequence[Problem]) -> list[str]:
    shown = sorted(set(problems), key=lambda p: (p.file, p.line or 0, p.key or "", p.message))
    count = len(shown)
    lines = [
        (
            f"❌ `{CHECK_STEP}` 发现 {count} 个问题，构建会停在这里。请逐条修改后再推送；"
            "每个问题也标在“Files changed”页面中它所在的行上（每一步最多标十个）。"
        ),
        "",
        (
            f"❌ `{CHECK_STEP}` found {count} problem(s); the build stops at them. Fix each one and push "
            "again; each is also marked on its line in the “Files changed” tab (at most ten a step)."
        ),
        "",
        "| 位置 · Where | 问题 · Problem | 怎么办 · What to do |",
        "| --- | --- | --- |",
    ]
    lines += [problem_row(p) for p in shown[:MOST_ROWS]]
    if count > MOST_ROWS:
        more = count - MOST_ROWS
        lines += ["", f"……另有 {more} 个问题见 `{CHECK_STEP}` 的日志。 · {more} more in the log of `{CHECK_STEP}`."]
    return lines


def outcome_of(value: str) -> str:
    return value if value in OUTCOMES else "unknown"


def step_lines(steps: Mapping[str, str]) -> list[str]:
    """A line for each step that did not succeed; skipped steps only when none failed (a failure skips the
    steps after it, and naming it is enough)."""
    outcomes = {name: outcome_of(given) for name, given in steps.items()}
    unfinished = {name: outcome for name, outcome in outcomes.items() if outcome not in ("success", "skipped")}
    if not unfinished:
        unfinished = {name: outcome for name, outcome in outcomes.items() if outcome == "skipped"}
    lines = []
    for name, outcome in unfinished.items():
        shown = markdown_text(name)
        lines += [
            (
                f"⚠️ 步骤“{shown}”的结果是 {outcome}：打开这一步的日志查看原因。 · "
                f"The step “{shown}” ended in {outcome}: open its log to see why."
            ),
            "",
        ]
    return lines


def preview_lines(name: str) -> list[str]:
    """How to look at the built site; nothing for a name that is not a plain artifact name (it goes in code)."""
    if not ARTIFACT_NAME.fullmatch(name):
        return []
    return [
        (
            f"🔎 网站预览：在本次运行页面底部的 Artifacts 中下载 `{name}`，解压到文件夹 `{name}`，"
            f"运行 `python3 -m http.server -d {name}`，再打开 http://127.0.0.1:8000/ 。"
        ),
        "",
        (
            f"🔎 Preview: download `{name}` from the Artifacts at the bottom of this run's page, unzip it "
            f"into a folder `{name}`, run `python3 -m http.server -d {name}` and open http://127.0.0.1:8000/."
        ),
    ]


def summary(
    problems: Sequence[Problem] | None,
    *,
    check: str = "success",
    steps: Mapping[str, str] | None = None,
    preview: tuple[str, str] | None = None,
) -> str:
    """The run's summary as Markdown.

    ``problems`` are what the book's checks found (None when they were not looked for again), ``check``
    the outcome of the ``make check`` step, ``steps`` the outcomes of the steps after it, by name, and
    ``preview`` the name of the site's artifact and the outcome of its upload.
    """
    check = outcome_of(check)
    lines = ["## 书稿检查 · Book checks", ""]
    if problems:
        lines += problems_section(problems)
    elif check in ("cancelled", "skipped", "unknown"):
        lines += [
            (
                f"⚠️ `{CHECK_STEP}` 没有运行（{check}）：它之前的步骤没有完成，请查看日志。 · "
                f"`{CHECK_STEP}` did not run ({check}): a step before it did not finish; see the log."
            ),
            "",
            *step_lines(steps or {}),
        ]
    elif check == "failure":
        lines.append(
            f"⚠️ `{CHECK_STEP}` 失败了，但这里无法再次列出它的问题：请查看它的日志。 · "
            f"`{CHECK_STEP}` failed, but its problems could not be listed here again: see its log."
        )
    else:
        lines += step_lines(steps or {}) or [
            "✅ 所有检查都通过了，网站构建成功。 · All checks passed and the site built."
        ]
        if preview and outcome_of(preview[1]) == "success":
            lines += ["", *preview_lines(preview[0])]
    return "\n".join(lines).rstrip("\n") + "\n"


def _name_and_outcome(value: str) -> tuple[str, str]:
    name, _, outcome = value.rpartition("=")
    if not name:
        raise argparse.ArgumentTypeError(f"expected NAME=OUTCOME, not {value!r}")
    return name, outcome


def book_problems(root: Path) -> list[Problem] | None:
    """The problems of the book at ``root``, found again; None when the book's dependencies are missing.

    ``make check`` ran (the step's outcome says so), so they are installed, unless the setup stopped half-way
    and ``make check`` failed before it checked anything. Imported here so that the summary of a run whose
    setup failed needs only the standard library.
    """
    try:
        from edition.book import check  # noqa: PLC0415 (only once make check has run: see above)
    except ImportError:
        return None
    return check(root.resolve())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m edition.outputs.ci_report", description=__doc__)
    parser.add_argument("root", nargs="?", default=".", type=Path, help="the checkout (default: here)")
    parser.add_argument("--check", default="success", help=f"the outcome of the `{CHECK_STEP}` step")
    parser.add_argument("--step", action="append", default=[], type=_name_and_outcome, metavar="NAME=OUTCOME")
    parser.add_argument("--preview", type=_name_and_outcome, metavar="ARTIFACT=OUTCOME")
    args = parser.parse_args(argv)
    problems = book_problems(args.root) if args.check in ("success", "failure") else None
    sys.stdout.write(summary(problems, check=args.check, steps=dict(args.step), preview=args.preview))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
