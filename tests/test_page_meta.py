"""A page's own fields at its top (edition/text/page_meta.py, schemas/page.schema.json): the theme prints the
title and the description into the page unescaped and acts on other fields, so a page says only what the
edition's pages say, in plain words."""

from __future__ import annotations

import pytest

from edition.text.page_meta import page_meta_problems

FIRST_LINE = "start the page with its heading"


@pytest.mark.parametrize(
    "top",
    [
        "---\ntitle: 注释 · Annotations\n---\n\n# 注释\n",
        (
            "---\ntitle: 本版\ndescription: 怎样做成的，“引号”也可以\n"
            "hide:\n  - toc\nsearch:\n  exclude: true\n---\n\n# x\n"
        ),
        "# 本版是怎样做成的\n\n正文：一段话。\n",  # a colon after the heading is text, not a field
    ],
)
def test_what_the_editions_pages_say_passes(top: str) -> None:
    assert page_meta_problems(top, "docs/x.md") == []


@pytest.mark.parametrize(
    ("top", "line", "key", "message"),
    [
        ("---\ntitle: 'a & b'\n---\n", 2, "title", "write the words alone"),
        ("---\ntitle: [a, b]\n---\n", 2, "title", "a list where text is expected"),
        ("---\nicon: ../../etc/passwd\n---\n", 2, None, "unknown field 'icon'; the fields are: title, description"),
        ("---\ntitle: x\nhide:\n  - everything\n---\n", 4, "hide.0", "is not one of: navigation, toc"),
        ("---\nhide: toc\n---\n", 2, "hide", "where a list is expected"),
        ("---\nsearch:\n  boost: 100\n---\n", 3, "search", "unknown field 'boost'; the fields are: exclude"),
        ("---\ntitle: [unclosed\n---\n", 3, None, "not valid YAML"),
        ("---\n- a list\n---\n", 2, None, "a list where a mapping of 'field: value' lines is expected"),
        ("---\ntitle: &t x\n---\n", 2, "title", "YAML anchor '&t' is not allowed"),
        # Without --- lines MkDocs reads 'word: text' lines up to a blank line: never the edition's form.
        ("Title: plain\n    </title><script>alert(1)</script>\n\n# x\n", 1, "title", FIRST_LINE),
        ("TEMPLATE: redirect.html\n\n# x\n", 1, "template", FIRST_LINE),
        ("Title: 本版\n\n# 本版\n", 1, "title", FIRST_LINE),
    ],
)
def test_what_the_theme_would_print_unescaped_or_act_on_is_refused_at_its_line(
    top: str, line: int, key: str | None, message: str
) -> None:
    problems = page_meta_problems(top, "docs/x.md")
    assert [(p.file, p.line, p.key) for p in problems] == [("docs/x.md", line, key)], problems
    assert message in problems[0].message
