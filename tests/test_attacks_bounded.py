"""Bounded work (issue 11, item 4): hostile inputs meant to hang or crash `make check` finish, refuse, and print
no traceback.

Each runs `make check` in a fresh process under a generous timeout (a hang fails the test instead of
holding the suite), and asserts the refusal it prints. No timing is pinned: the one comparison of
costs is a ratio between sizes, loose enough for a busy machine, beside a count of the work done.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from attacks import ROOT, VALID_ANNOTATION, Attack, Plant, Refused, append, line_of, make_check, replace, write
from edition.problems import LineIndex, symlink_problems
from edition.sources import bib as bib_module
from edition.sources import citations as citations_module
from edition.sources.bib import parse_bibliography
from edition.sources.citations import find_citation_blocks

CHAPTER = "docs/chapter-2.md"
P2_1 = "特朗普第二任期在处理对华关系上有两大突出特征"
KB100 = 100_000


def body(text: str) -> str:
    return VALID_ANNOTATION.replace("一条有效的注释。", text)


def entries(count: int, start: int = 0) -> str:
    """``count`` valid background entries of refs.bib."""
    return "".join(
        f"""
@online{{extra-source-{i},
  title        = {{Extra source {i}}},
  organization = {{Test}},
  date         = {{2025-06-05}},
  url          = {{https://example.org/extra/{i}}},
  langid       = {{english}},
  keywords     = {{media, background}},
}}
"""
        for i in range(start, start + count)
    )


def fifo(name: str) -> Plant:
    def plant(project: Path) -> None:
        os.mkfifo(project / name)

    return plant


BOUNDED = [
    Attack(
        "citation-opening-then-100000-at-signs-in-a-chapter",
        replace(CHAPTER, P2_1, "见[" + "@" * KB100 + P2_1),
        Refused(CHAPTER, 3, "differs from source/article.md", key="p2-1"),
    ),
    Attack(
        "citation-with-30000-keys-and-no-comma-in-an-annotation",
        write("annotations/p1-3-keys.md", body("见[@a" + " @b" * 30_000 + "]")),
        Refused("annotations/p1-3-keys.md", 10, "in a citation is not in the citation syntax"),
    ),
    Attack(
        "10000-bib-entries-the-last-one-wrong",
        append("refs.bib", entries(9_999) + entries(1, 9_999).replace("2025-06-05", "2025-13-05")),
        Refused(
            "refs.bib",
            line_of("refs.bib", "2025-13-05"),
            "date: '2025-13-05' is not a real calendar date",
            key="extra-source-9999",
        ),
    ),
    Attack(
        "100kb-of-opening-brackets-in-a-chapter",
        replace(CHAPTER, "{#p2-1}\n", "{#p2-1}\n\n" + "[" * KB100 + "\n"),
        Refused(CHAPTER, 6, "this paragraph holds 100,000 '[' in 100,000 characters: Markdown looks for the end"),
    ),
    Attack(
        "100kb-of-braces-in-a-paragraphs-attribute-list",
        replace(CHAPTER, "{#p2-1}", "{#p2-1 " + "{" * KB100 + "}"),
        Refused(CHAPTER, 4, "is not allowed on an article page"),
    ),
    Attack(
        "100kb-of-angle-brackets-in-a-chapter",
        replace(CHAPTER, "{#p2-1}\n", "{#p2-1}\n\n" + "<" * KB100 + "\n"),
        Refused(CHAPTER, 6, "this paragraph holds 100,000 '<' in 100,000 characters"),
    ),
    Attack(
        "100kb-of-angle-brackets-then-a-tag-in-an-annotation",
        write("annotations/p1-3-angles.md", body("<" * KB100 + "<script>")),
        Refused("annotations/p1-3-angles.md", 1, "'<' in 100,"),
    ),
    Attack(
        "100kb-of-brackets-then-a-bad-citation-in-an-annotation",
        write("annotations/p1-3-brackets.md", body("[" * KB100 + "[@a p. 9]")),
        Refused("annotations/p1-3-brackets.md", 1, "rendering it would take minutes"),
    ),
    Attack(
        "100kb-of-braces-then-a-bad-citation-in-an-annotation",
        write("annotations/p1-3-braces.md", body("{" * KB100 + "\n\n[@a p. 9]")),
        Refused("annotations/p1-3-braces.md", 12, "'@a p. 9' in a citation is not in the citation syntax"),
    ),
    Attack(
        "100000-spaces-after-a-number-in-a-chapter",
        replace(CHAPTER, "其二是问题导向", "其二是2" + " " * KB100 + "问题导向"),
        Refused(CHAPTER, 3, "differs from source/article.md", key="p2-1"),
    ),
    Attack(
        "20000-nested-braces-in-a-bib-title",
        replace("refs.bib", "{王毅：中美应秉持", "{" + "{" * 20_000 + "王毅" + "}" * 20_000 + "：中美应秉持"),
        Refused("refs.bib", None, "malformed BibTeX: too many nested braces"),
    ),
    Attack(
        "10000-nested-lists-in-an-annotations-front-matter",
        write("annotations/p1-3-nested.md", VALID_ANNOTATION.replace("A Contributor", "[" * 10_000 + "]" * 10_000)),
        Refused("annotations/p1-3-nested.md", 1, "this paragraph holds 10,000 '['"),
    ),
    Attack(
        "10000-nested-mappings-in-an-annotations-front-matter",
        write("annotations/p1-3-nested.md", VALID_ANNOTATION.replace("A Contributor", "{a: " * 10_000 + "}" * 10_000)),
        Refused("annotations/p1-3-nested.md", 6, "nested more than 6 levels deep"),
    ),
    Attack(
        "a-thousand-stacked-list-markers-in-an-annotation",
        write("annotations/p1-3-lists.md", body("1. " * 1_000 + "条")),
        Refused("annotations/p1-3-lists.md", 10, "lists or code nested this deep"),
    ),
    Attack(
        "three-hundred-nested-list-levels-in-a-page",
        write("docs/nested.md", "".join("    " * level + "- 条\n" for level in range(300))),
        Refused("docs/nested.md", 12, "lists or code nested this deep"),
    ),
    Attack(
        "50000-nested-block-quotes-in-a-chapter",
        replace(CHAPTER, "{#p2-1}\n", "{#p2-1}\n\n" + ">" * 50_000 + "\n"),
        Refused(CHAPTER, 6, "a block quote is not part of the article"),
    ),
    Attack(
        "30000-lines-of-bidi-controls-in-an-annotation",
        write("annotations/p1-3-bidi.md", body("\u202e\n" * 30_000)),
        Refused("annotations/p1-3-bidi.md", None, "more lines hold invisible or control characters"),
    ),
    Attack(
        "three-megabyte-annotation",
        write("annotations/p1-3-big.md", body("注" * 1_000_000)),
        Refused("annotations/p1-3-big.md", None, "an annotation may be at most 131,072 bytes"),
    ),
    Attack(
        "named-pipe-as-an-annotation",
        fifo("annotations/p1-3-pipe.md"),
        Refused("annotations/p1-3-pipe.md", None, "is a named pipe, not a file"),
    ),
    Attack("named-pipe-as-a-page", fifo("docs/feed.md"), Refused("docs/feed.md", None, "is a named pipe, not a file")),
    Attack(
        "citation-without-comma-in-a-chapter-no-traceback",
        replace(CHAPTER, "[@xi-trump-busan-2025-10-30]", "[@xi-trump-busan-2025-10-30 p. 9]"),
        Refused(CHAPTER, line_of(CHAPTER, " p. 9]"), "not in the citation syntax"),
    ),
    Attack(
        "e-mail-in-brackets-in-a-paragraph-no-traceback",
        replace(CHAPTER, "其二是问题导向", "其二是[x@example.org]问题导向"),
        Refused(CHAPTER, 3, "differs from source/article.md", key="p2-1"),
    ),
]


@pytest.mark.parametrize("attack", BOUNDED, ids=str)
def test_make_check_finishes_and_refuses(project_copy: Path, attack: Attack) -> None:
    attack.plant(project_copy)
    result = make_check(project_copy, timeout=30)  # raises TimeoutExpired: the test fails, the suite goes on
    output = result.stdout + result.stderr
    assert "Traceback" not in output, output[-3000:]
    assert result.returncode == 1, output[-3000:]
    expect = attack.expect
    line = expect.line_in(project_copy)
    start = f"{expect.file}:{line}: " if line is not None else f"{expect.file}"
    assert any(
        printed.startswith(start)
        and expect.message in printed
        and (expect.key is None or f": {expect.key}: " in printed)
        for printed in result.stderr.splitlines()
    ), output[-3000:]


def test_deeply_nested_folders_in_docs_are_reported(project_copy: Path) -> None:
    """The walk is a loop, and stops the build before MkDocs' recursive walk of docs/ (a thousand levels end it
    in a RecursionError). A hundred levels here: pytest's own clean-up of temporary folders recurses too."""
    folder = project_copy / "docs"
    for _ in range(100):
        folder = folder / "a"
        folder.mkdir()
    (folder / "deep.md").write_text("deep", encoding="utf-8")
    found = symlink_problems(project_copy)
    assert len(found) == 1 and found[0].file == "docs" + "/a" * 16, found
    assert "folders nested more than 16 deep" in found[0].message


# -- line numbers are computed once per file -----------------------------------------------------------------


def test_line_numbers_of_refs_bib_are_counted_once_for_the_whole_file(monkeypatch: pytest.MonkeyPatch) -> None:
    built: list[int] = []

    class Counting(LineIndex):
        def __init__(self, text: str):
            built.append(len(text))
            super().__init__(text)

    monkeypatch.setattr(bib_module, "LineIndex", Counting)
    bib = parse_bibliography(entries(2_000), "refs.bib")
    assert len(built) == 1
    last = bib["extra-source-1999"]
    # Nine lines an entry, the first after a blank line; the date is its third field.
    assert (last.line, last.line_of("date")) == (2 + 9 * 1_999, 2 + 9 * 1_999 + 3)


def test_line_numbers_of_citations_are_counted_once_per_page(monkeypatch: pytest.MonkeyPatch) -> None:
    built: list[int] = []

    class Counting(LineIndex):
        def __init__(self, text: str):
            built.append(len(text))
            super().__init__(text)

    monkeypatch.setattr(citations_module, "LineIndex", Counting)
    blocks = find_citation_blocks("正文。[@a]\n" * 5_000)
    assert len(built) == 1 and [b.line for b in blocks[-2:]] == [4_999, 5_000]


def _fastest(runs: int, work: Callable[[], object]) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        work()
        times.append(time.perf_counter() - started)
    return min(times)


def test_reading_refs_bib_grows_linearly_with_its_entries() -> None:
    """Ten times the entries take about ten times as long (counting lines from the start for each entry
    made it a hundred); the bound is loose, for a busy machine."""
    small, large = entries(1_000), entries(10_000)
    ratio = _fastest(3, lambda: parse_bibliography(large, "refs.bib")) / _fastest(
        3, lambda: parse_bibliography(small, "refs.bib")
    )
    assert ratio < 30, f"10,000 entries took {ratio:.0f} times as long as 1,000"


# -- the patterns beneath the door, each on its worst input ------------------------------------------------------

# Each was quadratic or worse before: a run of the character that starts a match, rescanned from every
# position of the run, or two quantifiers that can trade the same characters. The door now refuses most of
# these files before they are read; the functions must stay linear all the same.
WORST_INPUTS = {
    "citation-block": "citations.find_citation_blocks('见[' + '@' * N)",
    "citation-without-key": "citations.parse_citations(' ' * N + ' x')",
    "citation-syntax": "citations.citation_syntax_problems('[@a' + ' @' * (N // 2) + ']', 'x')",
    "e-mail-in-brackets": "citations.find_citation_blocks('[' + 'a.' * (N // 2) + '@b]')",
    "footnote-references": "chapters.FOOTNOTE_REF.findall('[^' * (N // 2))",
    "links-and-autolinks": "chapters.plain_text('[' * N + '<http://' * (N // 8))",
    "heading-of-braces": "chapters.page_block_problems('chapter-2.md', '# ' + '{' * N)",
    "heading-of-spaces": "chapters.page_block_problems('chapter-2.md', '# a' + ' ' * N + 'x')",
    "attribute-list": "chapters.page_block_problems('chapter-2.md', 'x\\n{#p2-1 ' + '{' * N + '}')",
    "front-matter-title": "chapters.page_block_problems('index.md', '---\\ntitle:' + ' ' * N + '<\\n---\\n')",
    "note-calls": "paragraphs.paragraph_text('<sup>' * (N // 5) + '[@' * (N // 2) + '[^' * (N // 2))",
    "source-markers": "source.parse_article(' ' * N + 'x', [])",
    "source-heading": "source.parse_article('#' + ' ' * N + '\\nx\\ny', [])",
    "dates-range": "dates.find_date_mentions('1' + ' ' * N + 'x', 2025)",
    "page-marker": "markers.marker_problems('<!--' * (N // 4) + '<!-- edition:x' + ' ' * N, page='x')",
    "markdown-work": "problems.markdown_work_problems('1. ' * N + '\\n' + '[' * N, 'x.md')",
    # A page's absolute links: an address ran on across the next '<' or '](' (8,000 took four seconds).
    "page-urls": "consistency.page_url_problems('x.md', '<a://' * (N // 5) + '](a://' * (N // 6))",
    # Dates beside citations: each citation looked back over all the earlier ones (25,000 took minutes).
    "date-claims": "consistency.date_claims('x.md', '2025年6月，事[@a]。[^1]' * (N // 4) + '\\n\\n[^1]: 注[@b]')",
    # The translation's rules read the Chinese and the English pages: an unclosed citation, a run of note calls,
    # a date on every few characters.
    "translation-citation": "english.chinese_numbers('见[' + '@' * N)",
    "translation-note-calls": "english.note_problems('x', english.Block('p', 1, '[^' * N), english.Block('p', 1, ''))",
    "translation-dates": "english.chinese_numbers('2025年1月' * (N // 8))",
}


@pytest.mark.parametrize("call", list(WORST_INPUTS.values()), ids=list(WORST_INPUTS))
def test_a_pattern_on_its_worst_input_finishes(call: str) -> None:
    program = (
        "from edition.text import chapters, citation_consistency as consistency, markers, paragraphs, conversion "
        "as source\nfrom edition.sources import citations\nfrom edition import dates, problems\n"
        "from edition.translation import english\n"
        f"N = 100_000\n{call}\nprint('finished')"
    )
    result = subprocess.run(
        [sys.executable, "-c", program], capture_output=True, text=True, timeout=30, cwd=ROOT, check=False
    )
    assert result.stdout.strip() == "finished", result.stderr[-2000:]
