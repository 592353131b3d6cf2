"""One door: every input read and checked once per build into one book, which every hook reads.

And the test that plays a contributor's pull request: new annotation, glossary entry,
timeline event and source, through the checks, the build and the page tests.
"""

from __future__ import annotations

import ast
import datetime as dt
import os
import re
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

from attacks import VALID_ANNOTATION, append, replace
from book_inputs import copy_checkout
from conftest import ROOT, BuildFailed, build_site
from edition import problems
from edition.book import Book, check, load_book
from edition.settings import EDITION_HOOKS

HOOKS = ROOT / "hooks"
INPUTS = (
    "refs.bib",
    "source/article.md",
    "source/emendations.yml",
    "data/glossary.yml",
    "data/timeline.yml",
    "data/article.yml",
)


def _count_reads(monkeypatch: pytest.MonkeyPatch, project: Path) -> Counter[str]:
    """Every read of one of the book's input files by the edition's code: all go through the one reading
    function, edition.problems.read_bytes."""
    reads: Counter[str] = Counter()
    original = problems.read_bytes

    def counting(path: Path, shown: str, limit: problems.SizeLimit) -> bytes:
        absolute = Path(path).absolute()
        if absolute.is_relative_to(project.absolute()):
            reads[absolute.relative_to(project.absolute()).as_posix()] += 1
        return original(path, shown, limit)

    monkeypatch.setattr(problems, "read_bytes", counting)
    return reads


def test_each_input_is_read_once_per_build_and_once_per_rebuild(
    project_copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    reads = _count_reads(monkeypatch, project_copy)
    for build in ("first", "rebuild"):  # `mkdocs serve` rebuilds in the same process, with the same hook modules
        reads.clear()
        build_site(project_copy, tmp_path / build)
        inputs = [
            *INPUTS,
            *(f"annotations/{p.name}" for p in (project_copy / "annotations").glob("*.md")),
            *(f"docs/{p.relative_to(project_copy / 'docs').as_posix()}" for p in (project_copy / "docs").rglob("*.md")),
        ]
        assert {name: reads[name] for name in inputs} == dict.fromkeys(inputs, 1), build


def test_a_rebuild_sees_an_edited_input(project_copy: Path, tmp_path: Path) -> None:
    build_site(project_copy, tmp_path / "first")
    replace("data/glossary.yml", "en: Scott Bessent", "en: Scott K. H. Bessent")(project_copy)
    build_site(project_copy, tmp_path / "second")
    assert "Scott K. H. Bessent" in (tmp_path / "second" / "glossary" / "index.html").read_text(encoding="utf-8")


def test_the_book_is_immutable() -> None:
    book = load_book(ROOT)
    with pytest.raises(AttributeError):
        book.bib = None  # type: ignore[misc, assignment]  # the assignment a frozen Book refuses
    with pytest.raises(TypeError):
        book.article["year"] = 1999
    assert isinstance(book.pages, tuple) and isinstance(book.annotations, tuple)


def _module_state(path: Path) -> list[str]:
    """Names a hook module binds at module level to something that could change between builds."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = [
        f"{path.name}:{node.lineno}: global {', '.join(node.names)}"
        for node in ast.walk(tree)
        if isinstance(node, (ast.Global, ast.Nonlocal))
    ]
    for node in tree.body:
        if isinstance(node, (ast.Assign, ast.AnnAssign)):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            names = [t.id for t in targets if isinstance(t, ast.Name)]
            constant = isinstance(node.value, (ast.Constant, ast.Tuple)) or (
                isinstance(node.value, ast.Call) and ast.unparse(node.value.func) == "logging.getLogger"
            )
            if not (all(n.isupper() or n == "log" for n in names) and constant):
                found.append(f"{path.name}:{node.lineno}: {', '.join(names)}")
    return found


def test_hooks_keep_no_state_of_their_own() -> None:
    """MkDocs imports a hook module once per process; state kept there would leak from one build into the next."""
    assert [finding for path in sorted(HOOKS.glob("*.py")) for finding in _module_state(path)] == []


@pytest.mark.parametrize("hook", EDITION_HOOKS)
def test_a_build_without_one_of_the_edition_hooks_does_not_start(project_copy: Path, tmp_path: Path, hook: str) -> None:
    replace("mkdocs.yml", f"  - {hook}\n", "")(project_copy)
    with pytest.raises(BuildFailed) as stopped:
        build_site(project_copy, tmp_path / "site")
    assert f"'{hook}'" in str(stopped.value) and "mkdocs.yml" in str(stopped.value)
    assert not (tmp_path / "site" / "index.html").exists()


def test_a_bad_pdf_setting_is_named(project_copy: Path, tmp_path: Path) -> None:
    replace("mkdocs.yml", "pdf: !ENV [EDITION_PDF, false]", "pdf: maybe")(project_copy)
    with pytest.raises(BuildFailed, match=r"mkdocs.yml: extra.pdf: 'maybe' is not true or false"):
        build_site(project_copy, tmp_path / "site")


def test_a_bad_source_date_epoch_is_a_problem_not_a_traceback() -> None:
    problems = check(ROOT, environ={"SOURCE_DATE_EPOCH": "yesterday"})
    assert [str(p) for p in problems] == [
        (
            "environment: SOURCE_DATE_EPOCH: 'yesterday' is not a whole number of seconds since 1970; unset it or give "
            "e.g. $(git log -1 --format=%ct)"
        )
    ]


def test_the_build_date_is_the_books() -> None:
    # Tomorrow: a fixed date would one day come before a newly dated annotation, which the book refuses.
    tomorrow = dt.date.today() + dt.timedelta(days=1)  # noqa: DTZ011 (the local day, as reference_date takes it)
    epoch = (tomorrow - dt.date(1970, 1, 1)).days * 86400
    book: Book = load_book(ROOT, environ={"SOURCE_DATE_EPOCH": str(epoch)})
    assert book.built == dt.datetime(tomorrow.year, tomorrow.month, tomorrow.day, tzinfo=dt.UTC)
    assert book.today == tomorrow


# -- a contributor's pull request ---------------------------------------------------------------------------

NEW_SOURCE = """
@online{contributor-example-2025-06-05,
  title        = {An example report a contributor cites},
  organization = {Example Research Centre},
  date         = {2025-06-05},
  url          = {https://example.org/reports/contributor-example},
  langid       = {english},
  keywords     = {media},
}
"""
NEW_ANNOTATION = VALID_ANNOTATION.replace(
    "一条有效的注释。", "读者补充的背景，引一份报告[@contributor-example-2025-06-05]。"
)
NEW_TERM = """
- id: contributor-example-term
  zh: 测试用语
  en: Example term
  en_basis: editorial
  pinyin: cèshì yòngyǔ
  category: concept-slogan
  definition_zh: 贡献者新增的术语，不见于文章。
  definition_en: A term a contributor added; it does not occur in the article.
  external: true
"""
NEW_EVENT = """
- id: contributor-example-event
  date: "2019"
  title_zh: 贡献者新增的大事
  title_en: An event a contributor added
  category: documents
  phase: before
  mentions:
    - "与两人上一次见面"
"""


def contribute(project: Path) -> None:
    append("refs.bib", NEW_SOURCE)(project)
    (project / "annotations" / "contributor-example.md").write_text(NEW_ANNOTATION, encoding="utf-8")
    # A second note on the same passage: two on one page must stay apart (ids, labels, the list).
    (project / "annotations" / "contributor-example-2.md").write_text(NEW_ANNOTATION, encoding="utf-8")
    append("data/glossary.yml", NEW_TERM)(project)
    append("data/timeline.yml", NEW_EVENT)(project)


PAGE_TESTS = (
    "tests/test_annotations.py",
    "tests/test_glossary_timeline.py",
    "tests/test_site_quality.py",
    "tests/test_paragraphs.py",
    "tests/test_book.py",
    "tests/test_cite_and_pdf.py",
    "tests/test_consistency.py",
)


def test_a_contributors_pull_request_passes_the_checks_the_build_and_the_page_tests(tmp_path: Path) -> None:
    project_copy = copy_checkout(tmp_path / "fork")
    contribute(project_copy)
    assert check(project_copy) == []
    build_site(project_copy, tmp_path / "site")
    chapter = (tmp_path / "site" / "chapter-1" / "index.html").read_text(encoding="utf-8")
    assert 'id="annotation-contributor-example"' in chapter
    # Two notes on one page (the contribution's two): each its own name for a screen reader, which an
    # accessibility check requires of landmarks.
    labels = re.findall(r'<aside class="edition-annotation[^"]*" id="[^"]+" aria-label="([^"]+)"', chapter)
    assert len(labels) >= 2 and len(set(labels)) == len(labels), labels
    assert 'id="contributor-example-term"' in (tmp_path / "site" / "glossary" / "index.html").read_text("utf-8")
    assert 'id="contributor-example-event"' in (tmp_path / "site" / "timeline" / "index.html").read_text("utf-8")
    assert 'id="contributor-example-2025-06-05"' in (tmp_path / "site" / "references" / "index.html").read_text("utf-8")
    # The page tests, run on the contributed book: none may count what the book holds.
    run = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-x", "-m", "not browser", "-p", "no:cacheprovider", *PAGE_TESTS],
        cwd=project_copy,
        env={
            **os.environ,
            "EDITION_BOOK": str(project_copy),
            # the fork has no .venv of its own: the tools the gates run are this one's
            "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}",
        },
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )
    assert run.returncode == 0, run.stdout[-4000:] + run.stderr[-2000:]
