"""Planted errors: each bad input, put into a copy of the book, stops it with the right file, line and key.

Most go through ``check()`` (what `make check` and every build run); a few go through the
full build to prove the build stops with the same line and no traceback.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from conftest import BuildFailed, build_site
from edition.book import check


def replace(path: Path, old: str, new: str, count: int = 1) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, count), encoding="utf-8")


def line_with(path: Path, needle: str) -> int:
    for number, line in enumerate(path.read_text(encoding="utf-8", errors="replace").split("\n"), start=1):
        if needle in line:
            return number
    raise AssertionError(f"{needle!r} not in {path}")


def field_line(project: Path, key: str, name: str) -> int:
    lines = (project / "refs.bib").read_text(encoding="utf-8").split("\n")
    start = next(i for i, line in enumerate(lines) if line.startswith("@") and "{" + key + "," in line)
    return next(i for i in range(start, len(lines)) if re.match(rf"\s*{re.escape(name)}\s*=", lines[i])) + 1


@dataclass
class Plant:
    """A bad input: how to plant it, and the start of the line it must produce (with the line number found after)."""

    plant: Callable[[Path], None]
    file: str
    where: Callable[[Path], int | None]
    key: str | None
    message: str


def bib_field(key: str, name: str, old: str, new: str) -> Callable[[Path], None]:
    def plant(project: Path) -> None:
        text = (project / "refs.bib").read_text(encoding="utf-8")
        start = text.index("{" + key + ",")
        end = text.index("\n}\n", start)
        block = text[start:end]
        assert old in block, (key, old)
        (project / "refs.bib").write_text(text[:start] + block.replace(old, new, 1) + text[end:], encoding="utf-8")

    return plant


def at_field(key: str, name: str) -> Callable[[Path], int]:
    return lambda project: field_line(project, key, name)


def at_text(file: str, needle: str) -> Callable[[Path], int]:
    return lambda project: line_with(project / file, needle)


NEW_ENTRY = """
@online{extra-source-2025-06-05,
  title        = {An extra source},
  organization = {Test},
  date         = {2025-06-05},
  url          = {https://example.org/extra},
  langid       = {english},
  keywords     = {media},
}
"""


def append_to_bib(text: str) -> Callable[[Path], None]:
    def plant(project: Path) -> None:
        with (project / "refs.bib").open("a", encoding="utf-8") as handle:
            handle.write(text)

    return plant


def write_bytes(file: str, transform: Callable[[bytes], bytes]) -> Callable[[Path], None]:
    def plant(project: Path) -> None:
        path = project / file
        path.write_bytes(transform(path.read_bytes()))

    return plant


def in_chapter(file: str, old: str, new: str) -> Callable[[Path], None]:
    return lambda project: replace(project / "docs" / file, old, new)


RUBIO = "wang-yi-rubio-2025-07-11"
CALL_0605 = "xi-trump-call-2025-06-05"
CALL_0204 = "xi-trump-call-2026-02-04"
PLANTS: dict[str, Plant] = {
    # refs.bib, rule 1: URL form
    "http URL": Plant(
        bib_field(RUBIO, "url", "{https://", "{http://"),
        "refs.bib",
        at_field(RUBIO, "url"),
        RUBIO,
        "URL uses http; use https, or record why not in the field http-reason",
    ),
    "space in URL": Plant(
        bib_field(RUBIO, "url", "xgxw_680534/", "xgxw_680534 /"),
        "refs.bib",
        at_field(RUBIO, "url"),
        RUBIO,
        "URL contains whitespace",
    ),
    "escape residue in URL": Plant(
        bib_field(RUBIO, "url", "xgxw_680534", "xgxw\\_680534"),
        "refs.bib",
        at_field(RUBIO, "url"),
        RUBIO,
        "URL contains a backslash",
    ),
    "tracking parameter": Plant(
        bib_field(RUBIO, "url", ".shtml}", ".shtml?utm_source=wechat}"),
        "refs.bib",
        at_field(RUBIO, "url"),
        RUBIO,
        "URL carries tracking parameter(s) utm_source",
    ),
    "relative URL": Plant(
        bib_field(RUBIO, "url", "{https://", "{"), "refs.bib", at_field(RUBIO, "url"), RUBIO, "URL is not absolute"
    ),
    "punctuation after URL": Plant(
        bib_field(RUBIO, "url", ".shtml}", ".shtml。}"), "refs.bib", at_field(RUBIO, "url"), RUBIO, "URL ends with '。'"
    ),
    "one URL, two entries": Plant(
        bib_field("govcn-trade-2026-01-17", "url", "zhengce/202601/content_7055018", "lianbo/202601/content_7054775"),
        "refs.bib",
        at_field("govcn-trade-2026-01-17", "url"),
        "govcn-trade-2026-01-17",
        "same URL as entry govcn-trade-2026-01-15",
    ),
    # refs.bib, rule 2: date form
    "impossible date": Plant(
        bib_field("wh-nss-2025", "date", "{2025-11}", "{2025-11-31}"),
        "refs.bib",
        at_field("wh-nss-2025", "date"),
        "wh-nss-2025",
        "date: '2025-11-31' is not a real calendar date",
    ),
    "non-ISO date": Plant(
        bib_field("wh-nss-2025", "date", "{2025-11}", "{November 2025}"),
        "refs.bib",
        at_field("wh-nss-2025", "date"),
        "wh-nss-2025",
        "date: 'November 2025' is not an ISO date",
    ),
    "future date": Plant(
        bib_field("state-asp-2026", "date", "{2026-01}", "{2099-01}"),
        "refs.bib",
        at_field("state-asp-2026", "date"),
        "state-asp-2026",
        "date 2099-01 is after the build's reference date",
    ),
    "date before 1900": Plant(
        bib_field("state-asp-2026", "date", "{2026-01}", "{1826-01}"),
        "refs.bib",
        at_field("state-asp-2026", "date"),
        "state-asp-2026",
        "date 1826-01 is before 1900",
    ),
    # refs.bib, rule 3: the date in the URL
    "date disagrees with URL": Plant(
        bib_field(CALL_0605, "date", "{2025-06-05}", "{2025-06-15}"),
        "refs.bib",
        at_field(CALL_0605, "date"),
        CALL_0605,
        "date 2025-06-15 disagrees with the date in its URL (2025-06-05",
    ),
    "exception removed": Plant(
        lambda p: replace(p / "refs.bib", "  date-exception = {2026-02-05:", "  note = {"),
        "refs.bib",
        at_field(CALL_0204, "date"),
        CALL_0204,
        "date 2026-02-04 disagrees with the date in its URL (2026-02-05",
    ),
    "exception no longer needed": Plant(
        bib_field(
            CALL_0605,
            "date",
            "  date         = {2025-06-05},",
            "  date         = {2025-06-05},\n  date-exception = {2025-06-06: published later},",
        ),
        "refs.bib",
        at_field(CALL_0605, "date-exception"),
        CALL_0605,
        "date-exception accepts 2025-06-06, but nothing disagrees",
    ),
    "exception without its date": Plant(
        lambda p: replace(p / "refs.bib", "date-exception = {2026-02-05: ", "date-exception = {"),
        "refs.bib",
        at_field(CALL_0204, "date-exception"),
        CALL_0204,
        "date-exception must begin with the date it accepts",
    ),
    # chapters, rule 4: the date the sentence names
    "source before the month in the text": Plant(
        in_chapter("chapter-2.md", "9月，赫格塞思", "10月，赫格塞思"),
        "docs/chapter-2.md",
        at_text("docs/chapter-2.md", "@dow-hegseth-dong-call-2025-09-10"),
        "dow-hegseth-dong-call-2025-09-10",
        "the sentence says 10月 (2025-10) but the source is dated 2025-09-10, before it",
    ),
    "source months after the text": Plant(
        in_chapter("chapter-3.md", "2025年11月，英国《经济学人》", "2025年10月，英国《经济学人》"),
        "docs/chapter-3.md",
        at_text("docs/chapter-3.md", "@economist-fan-club-2025-11-13"),
        "economist-fan-club-2025-11-13",
        "the sentence says 2025年10月 (2025-10) but the source is dated 2025-11-13, in a later month",
    ),
    "month takes the wrong year from context": Plant(
        in_chapter("chapter-3.md", "从2025年5月到10月", "从2024年5月到10月"),
        "docs/chapter-3.md",
        at_text("docs/chapter-3.md", "@mofcom-geneva-statement-2025-05-12"),
        "mofcom-geneva-statement-2025-05-12",
        "the sentence says 5月 (2024-05) but the source is dated 2025-05-12, in a later month",
    ),
    # chapters and refs.bib, rule 5: dates restated in notes
    "note restates another date": Plant(
        in_chapter("chapter-1.md", "[^fengpei]: 2025年4月8日", "[^fengpei]: 2025年4月7日"),
        "docs/chapter-1.md",
        at_text("docs/chapter-1.md", "@mfa-presser-2025-04-08"),
        "mfa-presser-2025-04-08",
        "the note says 2025年4月7日 (2025-04-07) but the source is dated 2025-04-08",
    ),
    "entry differs from the article's short form": Plant(
        bib_field("dow-nds-2026", "date", "{2026-01-23}", "{2026-01-22}"),
        "refs.bib",
        at_field("dow-nds-2026", "date"),
        "dow-nds-2026",
        "date 2026-01-22, but the article's note restates it as January 23, 2026 (2026-01-23, source/article.md:79)",
    ),
    # rule 6: keys
    "unknown key": Plant(
        in_chapter("chapter-3.md", "[@huanqiu-pew-2025-07-17]", "[@huanqiu-pew-2025-07-71]"),
        "docs/chapter-3.md",
        at_text("docs/chapter-3.md", "@huanqiu-pew-2025-07-71"),
        "huanqiu-pew-2025-07-71",
        "unknown citation key; did you mean 'huanqiu-pew-2025-07-17'?",
    ),
    "entry cited nowhere": Plant(
        append_to_bib(NEW_ENTRY),
        "refs.bib",
        at_text("refs.bib", "@online{extra-source"),
        "extra-source-2025-06-05",
        "entry is cited nowhere",
    ),
    # broken files
    "refs.bib not UTF-8": Plant(
        write_bytes("refs.bib", lambda b: b.replace("白云怡".encode(), b"\xb0\xd7\xd4\xc6")),
        "refs.bib",
        at_text("refs.bib", "author       = {"),
        None,
        "not valid UTF-8 (byte 0xb0)",
    ),
    "refs.bib empty": Plant(write_bytes("refs.bib", lambda b: b""), "refs.bib", lambda p: 1, None, "the file is empty"),
    "refs.bib duplicate key": Plant(
        append_to_bib(NEW_ENTRY + NEW_ENTRY.replace("An extra", "Another")),
        "refs.bib",
        lambda p: line_with(p / "refs.bib", "title        = {Another") - 1,
        "extra-source-2025-06-05",
        "duplicate key (first defined on line",
    ),
    "refs.bib unbalanced braces": Plant(
        bib_field(RUBIO, "title", "鲁比奥},", "鲁比奥,"), "refs.bib", lambda p: None, None, "malformed BibTeX"
    ),
    "chapter not UTF-8": Plant(
        write_bytes("docs/chapter-2.md", lambda b: b.replace("鲁比奥".encode(), b"\xff", 1)),
        "docs/chapter-2.md",
        at_text("docs/chapter-2.md", "国务卿"),
        None,
        "not valid UTF-8 (byte 0xff)",
    ),
    # pages opt in to generated content with a marker; a mistyped one would leave a silently empty place
    "mistyped page marker": Plant(
        lambda p: replace(p / "docs" / "chapter-3.md", "<!-- edition:cite-this -->", "<!-- edition:cite-these -->"),
        "docs/chapter-3.md",
        at_text("docs/chapter-3.md", "edition:cite-these"),
        "cite-these",
        "unknown page marker; known markers: annotations, cite-this, emendations, glossary, references, timeline",
    ),
    # data files (their loaders check the form; the rules are edition.text.citation_consistency's record functions)
    "impossible date in the timeline": Plant(
        lambda p: replace(p / "data" / "timeline.yml", 'date: "2023"', 'date: "2023-13"'),
        "data/timeline.yml",
        at_text("data/timeline.yml", 'date: "2023-13"'),
        "five-year-fifty-thousand-initiative-2023",
        "'2023-13' is not a real calendar date",
    ),
    "http link in a page": Plant(
        in_chapter("index.md", "[校勘记](emendations.md)", "[校勘记](http://example.org/e)"),
        "docs/index.md",
        at_text("docs/index.md", "http://example.org/e"),
        None,
        "URL uses http",
    ),
}


def expected_line(case: Plant, project: Path) -> str:
    line = case.where(project)
    place = case.file if line is None else f"{case.file}:{line}"
    return f"{place}: {case.key}: {case.message}" if case.key else f"{place}: {case.message}"


def test_there_are_at_least_twenty_distinct_planted_errors() -> None:
    assert len(PLANTS) >= 20
    assert len({case.message for case in PLANTS.values()}) == len(PLANTS)


@pytest.mark.parametrize("name", list(PLANTS))
def test_a_planted_error_is_reported_with_file_line_and_key(name: str, project_copy: Path) -> None:
    case = PLANTS[name]
    case.plant(project_copy)
    found = [str(p) for p in check(project_copy)]
    expected = expected_line(case, project_copy)
    if case.where(project_copy) is None:  # the parser names the line it stopped at
        assert any(re.match(rf"{re.escape(case.file)}:\d+: (\S+: )?{re.escape(case.message)}", f) for f in found), found
    else:
        assert any(f.startswith(expected) for f in found), (expected, found)


@pytest.mark.parametrize(
    "name",
    [
        "exception removed",
        "source before the month in the text",
        "refs.bib not UTF-8",
        "refs.bib empty",
        "chapter not UTF-8",
        "refs.bib unbalanced braces",
        "mistyped page marker",
    ],
)
def test_a_planted_error_stops_the_build_with_the_same_line(name: str, project_copy: Path, tmp_path: Path) -> None:
    case = PLANTS[name]
    case.plant(project_copy)
    (project_copy / "edition").mkdir(exist_ok=True)  # mkdocs.yml watches it (for `make serve`); the copy lacks it
    with pytest.raises(BuildFailed) as failure:
        build_site(project_copy, tmp_path / "site")
    message = str(failure.value)
    assert "Traceback" not in message
    if case.where(project_copy) is None:
        assert re.search(rf"{re.escape(case.file)}:\d+: (\S+: )?{re.escape(case.message)}", message), message
    else:
        assert expected_line(case, project_copy) in message, message
    assert not (tmp_path / "site" / "index.html").exists()


def test_a_bom_and_crlf_line_ends_are_accepted(project_copy: Path) -> None:
    bib = project_copy / "refs.bib"
    bib.write_bytes(b"\xef\xbb\xbf" + bib.read_bytes().replace(b"\n", b"\r\n"))
    assert check(project_copy) == []


def test_make_check_reads_the_pages_beyond_the_article(project_copy: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from edition.outputs.check import main

    replace(project_copy / "docs" / "glossary.md", "<!-- edition:glossary -->", "<!-- edition:glosary -->")
    assert main([str(project_copy)]) == 1
    line = line_with(project_copy / "docs" / "glossary.md", "edition:glosary")
    assert f"docs/glossary.md:{line}: glosary: unknown page marker" in capsys.readouterr().err
