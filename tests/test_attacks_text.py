"""Planted attacks on contributor text (issue 11, items 3 and 4): each is refused with its file, line and what to do.

Classes: *refusal* (invisible and control characters, sizes, dates, extra blocks in an article page,
malformed citations), *nothing skipped* (every entry of annotations/ is an annotation or is reported;
symbolic links among the inputs). Hang and crash cases are in tests/test_attacks_bounded.py.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from attacks import (
    VALID_ANNOTATION,
    Attack,
    Plant,
    Refused,
    append,
    assert_refused,
    line_of,
    replace,
    run_checks,
    write,
)
from edition.problems import EditionError, Problem, symlink_problems

CHAPTER = "docs/chapter-2.md"
P2_1 = "特朗普第二任期在处理对华关系上有两大突出特征"  # the start of p2-1, line 3 of docs/chapter-2.md
P2_2 = "特朗普第二任期执政议程以经贸为优先"
NOTE = "[^interview]: 相关内容基于"


def annotation(name: str, *, body: str = "一条有效的注释。", old: str = "", new: str = "") -> Plant:
    """Plant annotations/NAME: the valid annotation of the harness, its body (and one field) replaced."""
    text = VALID_ANNOTATION.replace("一条有效的注释。", body)
    if old:
        assert old in text
        text = text.replace(old, new)
    return write(f"annotations/{name}", text)


def after_block(name: str, block_end: str, extra: str) -> Plant:
    """Plant a block of its own right after the block ending in ``block_end``."""
    return replace(name, block_end + "\n", block_end + "\n\n" + extra + "\n")


def symlink(name: str, target: str | None = None, *, copy_of: str | None = None) -> Plant:
    """Plant: ``name`` as a symbolic link, to ``target`` or to a copy (outside the project) of ``copy_of``."""

    def plant(project: Path) -> None:
        path = project / name
        path.parent.mkdir(parents=True, exist_ok=True)
        destination = target
        if copy_of is not None:
            outside = project.parent / "outside" / Path(copy_of).name
            outside.parent.mkdir(exist_ok=True)
            outside.write_bytes((project / copy_of).read_bytes())
            destination = str(outside)
        assert destination is not None, "give a target or copy_of"
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path)
        elif path.exists() or path.is_symlink():
            path.unlink()
        os.symlink(destination, path)

    return plant


def big(name: str, size: int, line: str = "x" * 99 + "\n") -> Plant:
    def plant(project: Path) -> None:
        text = (project / name).read_text(encoding="utf-8") if (project / name).exists() else ""
        (project / name).write_text(text + line * (size // len(line) + 1), encoding="utf-8")

    return plant


def both(*plants: Plant) -> Plant:
    def plant(project: Path) -> None:
        for one in plants:
            one(project)

    return plant


# -- refusal: invisible, bidi and control characters ---------------------------------------------------------

CHARACTERS = [
    Attack(
        "u202e-in-an-annotation-body",
        annotation("p1-3-rlo.md", body="见 \u202egnp.exe 一文。"),
        Refused(
            "annotations/p1-3-rlo.md", 10, "bidirectional control character U+202E RIGHT-TO-LEFT OVERRIDE at column 3"
        ),
    ),
    Attack(
        "zero-width-space-in-a-quote",
        annotation("p1-3-zwsp.md", old="exact: 穿透性规则", new="exact: 穿透\u200b性规则"),
        Refused("annotations/p1-3-zwsp.md", 3, "invisible character U+200B ZERO WIDTH SPACE"),
    ),
    Attack(
        "nul-byte-in-an-annotation",
        annotation("p1-3-nul.md", body="注释\x00正文"),
        Refused("annotations/p1-3-nul.md", 10, "control character U+0000"),
    ),
    Attack(
        "c1-control-in-an-annotation",
        annotation("p1-3-c1.md", body="注释\x85正文"),
        Refused("annotations/p1-3-c1.md", 10, "control character U+0085"),
    ),
    Attack(
        "tag-characters-smuggle-ascii",
        annotation("p1-3-tags.md", body="注释\U000e0041\U000e0042"),
        Refused("annotations/p1-3-tags.md", 10, "invisible character U+E0041 TAG LATIN CAPITAL LETTER A"),
    ),
    Attack(
        "bom-inside-an-annotation",
        annotation("p1-3-bom.md", old="author: A Contributor", new="author: A \ufeffContributor"),
        Refused("annotations/p1-3-bom.md", 6, "U+FEFF ZERO WIDTH NO-BREAK SPACE"),
    ),
    Attack(
        "left-to-right-isolate-in-a-bib-title",
        replace("refs.bib", "{王毅：中美应秉持", "{\u2066王毅：中美应秉持"),
        Refused("refs.bib", 16, "bidirectional control character U+2066 LEFT-TO-RIGHT ISOLATE"),
    ),
    Attack(
        "zero-width-joiner-in-a-bib-key",
        replace("refs.bib", "@online{wang-yi-press-2026-03-08,", "@online{wang-yi-press\u200d-2026-03-08,"),
        Refused("refs.bib", 15, "invisible character U+200D ZERO WIDTH JOINER"),
    ),
    Attack(
        "terminal-escape-in-a-bib-field",
        replace("refs.bib", "{王毅：中美应秉持", "{\x1b[2J王毅：中美应秉持"),
        Refused("refs.bib", 16, "control character U+001B"),
    ),
    Attack(
        "rlo-in-a-glossary-definition",
        replace("data/glossary.yml", "  definition_zh: 美国前总统", "  definition_zh: \u202e美国前总统"),
        Refused("data/glossary.yml", line_of("data/glossary.yml", "\u202e"), "U+202E RIGHT-TO-LEFT OVERRIDE"),
    ),
    Attack(
        "line-separator-in-a-glossary-entry",
        replace("data/glossary.yml", "  en: Joe Biden", "  en: Joe\u2028Biden"),
        Refused("data/glossary.yml", line_of("data/glossary.yml", "Joe\u2028Biden"), "U+2028 LINE SEPARATOR"),
    ),
    Attack(
        "soft-hyphen-in-a-timeline-title",
        replace("data/timeline.yml", "  title_zh: ", "  title_zh: \u00ad"),
        Refused("data/timeline.yml", line_of("data/timeline.yml", "\u00ad"), "U+00AD SOFT HYPHEN"),
    ),
    Attack(
        "byte-order-mark-inside-a-chapter",
        replace(CHAPTER, P2_1, "\ufeff" + P2_1),
        Refused(CHAPTER, 3, "invisible character U+FEFF"),
    ),
    Attack(
        "private-use-placeholder-in-a-chapter",
        replace(CHAPTER, "其二是问题导向", "\ue000其二是问题导向"),
        Refused(CHAPTER, 3, "private-use character U+E000"),
    ),
    Attack(
        "variation-selector-in-a-chapter",
        replace(CHAPTER, "其二是问题导向", "其\ufe0f二是问题导向"),
        Refused(CHAPTER, 3, "invisible character U+FE0F VARIATION SELECTOR-16"),
    ),
    Attack(
        "arabic-letter-mark-in-the-emendations",
        replace("source/emendations.yml", "\n", "\n# \u061c\n"),
        Refused("source/emendations.yml", 2, "bidirectional control character U+061C ARABIC LETTER MARK"),
    ),
]


# -- refusal: sizes and dates --------------------------------------------------------------------------------

SIZES_AND_DATES = [
    Attack(
        "three-megabyte-annotation",
        both(annotation("p1-3-big.md"), big("annotations/p1-3-big.md", 3 * 2**20)),
        Refused("annotations/p1-3-big.md", None, "an annotation may be at most 131,072 bytes"),
    ),
    Attack(
        "two-megabyte-chapter",
        big(CHAPTER, 2 * 2**20),
        Refused(CHAPTER, None, "a page in docs/ may be at most 1,048,576 bytes"),
    ),
    Attack(
        "nine-megabyte-refs-bib",
        big("refs.bib", 9 * 2**20, "% " + "x" * 97 + "\n"),
        Refused("refs.bib", None, "refs.bib may be at most 8,388,608 bytes"),
    ),
    Attack(
        "annotation-dated-2999",
        annotation("p1-3-future.md", old="date: 2026-01-15", new="date: 2999-01-01"),
        Refused("annotations/p1-3-future.md", 7, "2999-01-01 is after the build's reference date", key="date"),
    ),
]


# -- nothing skipped: every entry of annotations/ is an annotation, or is reported -----------------------------

SCRIPT = "<script>alert(document.cookie)</script>\n未核对的段落。\n"

ENTRIES = [
    Attack(
        "upper-case-md-with-a-script",
        write("annotations/P1-3-NOTE.MD", SCRIPT),
        Refused("annotations/P1-3-NOTE.MD", None, "rename it p1-3-note.md"),
    ),
    Attack(
        "markdown-extension-with-a-script",
        write("annotations/p1-3-note.markdown", SCRIPT),
        Refused("annotations/p1-3-note.markdown", None, "ends in .md"),
    ),
    Attack(
        "readme-with-a-script",
        write("annotations/README.md", SCRIPT),
        Refused("annotations/README.md", None, "annotations/ holds only annotations"),
    ),
    Attack(
        "readme-dash-name-with-a-script",
        annotation("readme-x.md", body=SCRIPT),
        Refused("annotations/readme-x.md", 10, "raw HTML is not allowed in an annotation"),
    ),
    Attack(
        "subfolder-with-a-script",
        annotation("extra/p1-3-x.md", body=SCRIPT),
        Refused("annotations/extra", None, "a folder in annotations/"),
    ),
    Attack(
        "hidden-file-with-a-script",
        write("annotations/.p1-3-x.md", SCRIPT),
        Refused("annotations/.p1-3-x.md", None, "a hidden file or folder in annotations/"),
    ),
    Attack(
        "text-file-in-annotations",
        write("annotations/notes.txt", SCRIPT),
        Refused("annotations/notes.txt", None, "rename it notes.md"),
    ),
    Attack(
        "terminal-escape-in-an-annotation-file-name",
        write("annotations/p1-3-\x1b[2J.md", SCRIPT),
        Refused(
            "annotations/p1-3-\\x1b[2J.md",
            None,
            "the name holds invisible or control characters (shown escaped); rename it",
        ),
    ),
    Attack(
        "annotation-linked-to-proc-self-environ",
        symlink("annotations/p1-3-env.md", "/proc/self/environ"),
        Refused("annotations/p1-3-env.md", None, "is a symbolic link (to '/proc/self/environ')"),
    ),
    Attack(
        "annotation-linked-to-a-file-outside",
        both(annotation("p1-3-real.md"), symlink("annotations/p1-3-link.md", copy_of="annotations/p1-3-real.md")),
        Refused("annotations/p1-3-link.md", None, "is a symbolic link"),
    ),
    Attack(
        "annotations-folder-is-a-link",
        symlink("annotations", "/etc"),
        Refused("annotations", None, "is a symbolic link (to '/etc')"),
    ),
    Attack(
        "refs-bib-is-a-link", symlink("refs.bib", copy_of="refs.bib"), Refused("refs.bib", None, "is a symbolic link")
    ),
    Attack("chapter-is-a-link", symlink(CHAPTER, copy_of=CHAPTER), Refused(CHAPTER, None, "is a symbolic link")),
    Attack(
        "source-article-is-a-link",
        symlink("source/article.md", copy_of="source/article.md"),
        Refused("source/article.md", None, "is a symbolic link"),
    ),
]


# -- refusal: a block of an article page that is not the article's --------------------------------------------

BLOCKS = [
    Attack(
        "script-block-in-chapter-2",
        after_block(CHAPTER, "{#p2-1}", "<script>alert(1)</script>"),
        Refused(CHAPTER, 6, "raw HTML is not part of the article"),
    ),
    Attack(
        "html-comment-in-chapter-2",
        after_block(CHAPTER, "{#p2-1}", "<!-- 未经审阅的说明 -->"),
        Refused(CHAPTER, 6, "an HTML comment (only a page marker"),
    ),
    Attack(
        "admonition-in-chapter-2",
        after_block(CHAPTER, "{#p2-1}", '!!! note "编者"\n\n    插入的文字。'),
        Refused(CHAPTER, 6, "an admonition is not part of the article"),
    ),
    Attack(
        "div-markdown-in-chapter-2",
        after_block(CHAPTER, "{#p2-1}", '<div markdown="1" onmouseover="alert(1)">\n插入的文字\n</div>'),
        Refused(CHAPTER, 6, "raw HTML is not part of the article"),
    ),
    Attack(
        "abbreviation-tooltip-on-the-articles-words",
        after_block(CHAPTER, "{#p2-1}", "*[特朗普]: <img src=x onerror=alert(1)>"),
        Refused(CHAPTER, 6, "an abbreviation definition"),
    ),
    Attack(
        "code-block-in-chapter-2",
        after_block(CHAPTER, "{#p2-1}", "```\nprint(1)\n```"),
        Refused(CHAPTER, 6, "a code block is not part of the article"),
    ),
    Attack(
        "paragraph-without-its-id",
        after_block(CHAPTER, "{#p2-1}", "未经审阅的一段。"),
        Refused(CHAPTER, 6, "text that is not a heading or a paragraph of the article"),
    ),
    Attack(
        "note-no-paragraph-calls",
        after_block(CHAPTER, "{#p2-1}", "[^extra]: 一条无人调用的注。"),
        Refused(CHAPTER, 6, "no paragraph calls this note", key="extra"),
    ),
    Attack(
        "note-with-the-editions-own-label",
        replace(CHAPTER, "[^interview]", "[^cite-1]", 2),
        Refused(CHAPTER, 9, "are the edition's own", key="cite-1"),
    ),
    Attack(
        "article-note-no-one-calls",
        after_block(CHAPTER, "{#p2-1}", "\\* 插入的说明。\n{#extra .article-note}"),
        Refused(CHAPTER, 6, "no heading or paragraph calls this note", key="extra"),
    ),
    Attack(
        "onclick-on-a-paragraph",
        replace(CHAPTER, "{#p2-1}", '{#p2-1 onclick="alert(1)"}'),
        Refused(CHAPTER, 4, "attribute 'onclick=\"alert(1)\"' is not allowed"),
    ),
    Attack(
        "onmouseover-on-the-heading",
        replace(CHAPTER, "政策走向\n", "政策走向 {onmouseover=alert(1)}\n"),
        Refused(CHAPTER, 1, "attribute 'onmouseover=alert(1)' is not allowed"),
    ),
    Attack(
        "link-around-the-articles-words",
        replace(CHAPTER, "其二是问题导向", "其二是[问题导向](javascript:alert(1))"),
        Refused(CHAPTER, 3, "differs from source/article.md", key="p2-1"),
    ),
    Attack(
        "notes-link-pointed-elsewhere",
        replace(CHAPTER, "相关内容基于", "[相关内容](https://example.org/elsewhere)基于"),
        Refused(CHAPTER, line_of(CHAPTER, P2_2), "differs from source/article.md", key="p2-2"),
    ),
    Attack(
        "e-mail-in-brackets-in-a-paragraph",
        replace(CHAPTER, "其二是问题导向", "其二是[x@example.org]问题导向"),
        Refused(CHAPTER, 3, "differs from source/article.md", key="p2-1"),
    ),
    Attack(
        "template-in-the-front-pages-front-matter",
        replace("docs/index.md", "---\n\n", "template: main.html\n---\n\n"),
        Refused("docs/index.md", 3, "the front matter of an article page may hold only 'title: …'"),
    ),
    Attack(
        "script-inside-the-editions-note",
        replace("docs/index.md", "    {lang=en}\n", "    {lang=en}\n    <script>alert(1)</script>\n"),
        Refused("docs/index.md", line_of("docs/index.md", "<script>"), "raw HTML is not allowed in the edition"),
    ),
    Attack(
        "javascript-link-in-the-editions-note",
        replace("docs/index.md", "[校勘记](emendations.md)", "[校勘记](javascript:alert(1))"),
        Refused("docs/index.md", line_of("docs/index.md", "javascript:"), "link to 'javascript:alert(1)' refused"),
    ),
    Attack(
        "reference-style-javascript-link-in-the-editions-note",
        both(
            replace("docs/index.md", "[校勘记](emendations.md)", "[校勘记][notes]"),
            replace("docs/index.md", "    {lang=en}\n", "    {lang=en}\n\n    [notes]: javascript:alert(1)\n"),
        ),
        Refused("docs/index.md", line_of("docs/index.md", "[notes]: "), "link to 'javascript:alert(1)' refused"),
    ),
]


# -- refusal: citations that are not in the syntax -----------------------------------------------------------

CITATIONS = [
    Attack(
        "locator-without-comma-in-a-chapter",
        replace(CHAPTER, "[@xi-trump-busan-2025-10-30]", "[@xi-trump-busan-2025-10-30 p. 9]"),
        Refused(
            CHAPTER,
            line_of(CHAPTER, " p. 9]"),
            "'@xi-trump-busan-2025-10-30 p. 9' in a citation is not in the citation syntax",
        ),
    ),
    Attack(
        "second-citation-of-a-block-malformed",
        replace(
            CHAPTER,
            "[@wang-yi-rubio-2025-07-11; @dow-hegseth-dong-call-2025-09-10]",
            "[@wang-yi-rubio-2025-07-11; @dow-hegseth-dong-call-2025-09-10 第2页]",
        ),
        Refused(CHAPTER, line_of(CHAPTER, " 第2页]"), "'@dow-hegseth-dong-call-2025-09-10 第2页' in a citation"),
    ),
    Attack(
        "locator-without-comma-in-an-annotation",
        annotation("p1-3-cite.md", body="见报告。\n\n另见[@wang-yi-press-2026-03-08 p. 9]。"),
        Refused("annotations/p1-3-cite.md", 12, "not in the citation syntax"),
    ),
    Attack(
        "bib-key-with-a-quote",
        replace("refs.bib", "@online{wang-yi-press-2026-03-08,", '@online{wang"onmouseover=alert(1),'),
        Refused("refs.bib", 15, "may hold only ASCII letters, digits, hyphens and underscores"),
    ),
]


def problems_after(project: Path, attack: Attack) -> list[Problem]:
    """What the checks report once ``attack`` is planted: a file refused at the door stops them with its problem."""
    attack.plant(project)
    try:
        return run_checks(project)
    except EditionError as error:  # a page that cannot be read stops `make check` the same way
        return error.problems


@pytest.mark.parametrize("attack", CHARACTERS + SIZES_AND_DATES + ENTRIES + BLOCKS + CITATIONS, ids=str)
def test_refused(project_copy: Path, attack: Attack) -> None:
    assert_refused(project_copy, attack)


# -- the same door for pages outside the article, and links anywhere among the inputs ---------------------------


def colophon_top(lines: str) -> Plant:
    """Plant ``lines`` at the colophon's top, before its heading: what MkDocs reads as the page's own fields."""
    return replace("docs/colophon.md", "# 本版是怎样做成的", lines + "\n\n# 本版是怎样做成的")


PRINTED = "which the theme would print into the page as HTML"
# What MkDocs reads at a page's top as its own fields (edition/text/page_meta.py): the top, its line, the problem.
PAGE_TOPS = [
    (
        "title-closing-the-head",
        '---\ntitle: "</title><meta http-equiv=refresh content=0;url=https://e.example/>"\n---',
        2,
        PRINTED,
    ),
    ("description-leaving-its-attribute", "---\ndescription: 'x\" http-equiv=\"refresh'\n---", 2, PRINTED),
    (
        "template-choosing-the-redirect",
        "---\ntitle: 本版\ntemplate: redirect.html\nlocation: https://e.example/\n---",
        3,
        "unknown field 'template'",
    ),
    # No --- lines: MkDocs reads 'key: value' lines from the first line up to a blank line.
    ("first-line-read-as-the-title", "Title: </title><base href=//e.example/>", 1, "start the page with its heading"),
    ("a-note-on-the-first-line-read-as-a-field", "Note: this page is new.", 1, "start the page with its heading"),
]
OTHER_PAGES = [
    *(
        Attack(name, colophon_top(top), Refused("docs/colophon.md", line, message))
        for name, top, line, message in PAGE_TOPS
    ),
    Attack(
        "rlo-in-the-colophon",
        append("docs/colophon.md", "\n见 \u202egnp.exe\n"),
        Refused("docs/colophon.md", line_of("docs/colophon.md", "\u202e"), "U+202E RIGHT-TO-LEFT OVERRIDE"),
    ),
    Attack(
        "page-linked-to-proc-self-environ",
        symlink("docs/secret.md", "/proc/self/environ"),
        Refused("docs/secret.md", None, "is a symbolic link (to '/proc/self/environ')"),
    ),
]


@pytest.mark.parametrize("attack", OTHER_PAGES, ids=str)
def test_a_page_refused_at_the_door(project_copy: Path, attack: Attack) -> None:
    found = problems_after(project_copy, attack)
    expect = attack.expect
    line = expect.line_in(project_copy)
    assert any(
        p.file == expect.file and (line is None or p.line == line) and expect.message in p.message for p in found
    ), "\n".join(map(str, found))
    assert not any("PATH=" in str(p) or "HOME=" in str(p) for p in found), "the environment leaked into a message"


LINKED = [
    ("docs-file-to-proc-self-environ", symlink("docs/environ.txt", "/proc/self/environ"), "docs/environ.txt"),
    ("docs-folder-to-etc", symlink("docs/assets", "/etc"), "docs/assets"),
    (
        "deep-in-docs-to-ssh-keys",
        both(
            lambda p: (p / "docs/a/b/c").mkdir(parents=True),
            symlink("docs/a/b/c/id_rsa.txt", os.path.expanduser("~/.ssh/id_rsa")),
        ),
        "docs/a/b/c/id_rsa.txt",
    ),
    (
        "stylesheet-to-a-file-outside",
        symlink("docs/stylesheets/edition.css", copy_of="docs/stylesheets/edition.css"),
        "docs/stylesheets/edition.css",
    ),
    ("glossary-to-a-file-outside", symlink("data/glossary.yml", copy_of="data/glossary.yml"), "data/glossary.yml"),
    ("source-folder-to-elsewhere", symlink("source", "/tmp"), "source"),  # noqa: S108 (a link planted to leave the book)
    ("broken-link-in-docs", symlink("docs/missing.md", "/nonexistent/file"), "docs/missing.md"),
]


@pytest.mark.parametrize("name, plant, shown", LINKED, ids=[name for name, _, _ in LINKED])
def test_every_symbolic_link_among_the_inputs_is_reported(
    project_copy: Path, name: str, plant: Plant, shown: str
) -> None:
    plant(project_copy)
    found = symlink_problems(project_copy)
    assert [p.file for p in found] == [shown], found
    assert "is a symbolic link" in found[0].message and "replace the link by the file itself" in found[0].message


def test_a_named_pipe_in_docs_is_reported_not_read(project_copy: Path) -> None:
    os.mkfifo(project_copy / "docs" / "feed.xml")
    assert [str(p) for p in symlink_problems(project_copy)] == [
        "docs/feed.xml: is a named pipe, not a file; the book reads and publishes only regular files: remove it"
    ]


def test_a_file_name_with_a_bidi_control_in_docs_is_reported_escaped(project_copy: Path) -> None:
    (project_copy / "docs" / "notes\u202etxt.md").write_text("text", encoding="utf-8")
    assert [str(p) for p in symlink_problems(project_copy)] == [
        "docs/notes\\u202etxt.md: the name holds invisible or control characters (shown escaped); rename it"
    ]


def test_the_book_itself_has_no_link_among_its_inputs(project_copy: Path) -> None:
    assert symlink_problems(project_copy) == []


def test_an_annotation_dated_the_day_after_the_build_is_refused(
    project_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1796083200")  # 2026-12-01
    annotation("p1-3-tomorrow.md", old="date: 2026-01-15", new="date: 2026-12-02")(project_copy)
    annotation("p1-3-today.md", old="date: 2026-01-15", new="date: 2026-12-01")(project_copy)
    found = [str(p) for p in run_checks(project_copy) if p.file.startswith("annotations/p1-3-to")]
    assert found == [
        (
            "annotations/p1-3-tomorrow.md:7: date: 2026-12-02 is after the build's reference date "
            "2026-12-01; an annotation is dated when it is written, 2026-12-01 or earlier: check the year "
            "(or SOURCE_DATE_EPOCH)"
        )
    ]


def test_a_valid_annotation_with_an_allowed_tab_and_bom_passes(project_copy: Path) -> None:
    """The door refuses what cannot be seen, not ordinary text: a leading BOM and a tab are fine."""
    text = "\ufeff" + VALID_ANNOTATION.replace("一条有效的注释。", "一条有效的注释。\t见上文。")
    (project_copy / "annotations" / "p1-3-fine.md").write_text(text, encoding="utf-8")
    assert [p for p in run_checks(project_copy) if p.file.startswith("annotations/")] == []
