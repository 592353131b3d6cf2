"""Paragraph ids: stable, checked, and shown as links a teacher can hand out."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import FIXTURES, ROOT, Site
from edition.book import check, load_book
from edition.text.paragraphs import paragraph_problems

PINNED = FIXTURES / "paragraph_ids.txt"


def pinned() -> list[tuple[str, str]]:
    lines = [line for line in PINNED.read_text(encoding="utf-8").splitlines() if line and not line.startswith("#")]
    # Why the ignore: tuple() of a split is tuple[str, ...]; each pinned line is an id, a space, its start.
    return [tuple(line.split(" ", 1)) for line in lines]  # type: ignore[misc]


def test_every_paragraph_keeps_the_id_it_was_published_with() -> None:
    found = [(p.id, p.start) for p in load_book(ROOT).paragraphs]
    assert found == pinned(), (
        "paragraphs were renumbered or their opening words changed; see tests/fixtures/paragraph_ids.txt"
    )


def test_the_pinned_ids_cover_the_whole_article() -> None:
    ids = [ident for ident, _ in pinned()]
    assert ids[0] == "p0-1" and ids[-1] == "p4-9"
    assert [i for i in ids if i.startswith("p2-")] == ["p2-1", "p2-2", "p2-3", "p2-4"]
    assert dict(pinned())["p2-4"] == "特朗普第二任期对华政策何去何从？虽然特朗"


def _plant(project: Path, page: str, old: str, new: str) -> int:
    path = project / "docs" / page
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return text[: text.index(old)].count("\n") + 1


def test_a_gap_in_the_numbering_names_the_file_line_and_expected_id(project_copy: Path) -> None:
    line = _plant(project_copy, "chapter-3.md", "{#p3-3}", "{#p3-4}")
    problems = [str(p) for p in check(project_copy)]
    assert f"docs/chapter-3.md:{line}: p3-4: paragraph ids out of sequence: expected p3-3" in " ".join(problems)


def test_a_duplicate_id_is_an_error(project_copy: Path) -> None:
    line = _plant(project_copy, "chapter-1.md", "{#p1-2}", "{#p1-1}")
    problems = [str(p) for p in check(project_copy)]
    assert any(p.startswith(f"docs/chapter-1.md:{line}: p1-1: duplicate paragraph id") for p in problems), problems


def test_an_id_of_another_chapter_is_an_error(project_copy: Path) -> None:
    line = _plant(project_copy, "chapter-4.md", "{#p4-1}", "{#p2-9}")
    problems = [str(p) for p in check(project_copy)]
    assert any(
        p.startswith(f"docs/chapter-4.md:{line}: p2-9: paragraph id of chapter 2 on the page of chapter 4")
        for p in problems
    ), problems


def test_a_malformed_id_is_an_error() -> None:
    problems = paragraph_problems([("chapter-2.md", "一段。\n{#p2-x}\n")])
    assert [str(p) for p in problems] == [
        "docs/chapter-2.md:2: p2-x: malformed paragraph id; write {#pC-N}: C the chapter, N the paragraph"
    ]


@pytest.mark.parametrize(
    "url, chapter, count",
    [("", 0, 1), ("chapter-1/", 1, 5), ("chapter-2/", 2, 4), ("chapter-3/", 3, 5), ("chapter-4/", 4, 9)],
)
def test_each_paragraph_shows_its_number_as_a_link_to_itself(site: Site, url: str, chapter: int, count: int) -> None:
    paragraphs = site.page(url).select("article p[id^='p']")
    assert [p["id"] for p in paragraphs] == [f"p{chapter}-{n}" for n in range(1, count + 1)]
    for n, p in enumerate(paragraphs, 1):
        number = p.select_one("a.edition-para-number")
        assert number is not None and p.contents[0] is number
        assert number["href"] == f"#p{chapter}-{n}" and number.get_text() == f"¶{n}"
        assert f"第{n}段" in number["aria-label"]


def test_the_article_words_follow_the_number_unchanged(site: Site) -> None:
    p = site.page("chapter-2/").select_one("p#p2-4")
    assert p.get_text().startswith("¶4特朗普第二任期对华政策何去何从？")
