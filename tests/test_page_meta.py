"""A page's own fields at its top (edition/text/page_meta.py): the theme prints the title and the description into
the page unescaped and acts on other fields, so a page says only what the edition's pages say, in plain words."""

from __future__ import annotations

import pytest

from edition.text.page_meta import page_meta_problems


@pytest.mark.parametrize(
    "top",
    [
        "---\ntitle: 注释 · Annotations\n---\n\n# 注释\n",
        (
            "---\ntitle: 本版\ndescription: 怎样做成的，“引号”也可以\n"
            "hide:\n  - toc\nsearch:\n  exclude: true\n---\n\n# x\n"
        ),
        "# 本版是怎样做成的\n\n正文：一段话。\n",  # a colon after the heading is text, not a field
        "Title: 本版\n\n# 本版\n",  # MkDocs reads this form too; plain words pass
    ],
)
def test_what_the_editions_pages_say_passes(top: str) -> None:
    assert page_meta_problems(top, "docs/x.md") == []


@pytest.mark.parametrize(
    ("top", "line", "key", "message"),
    [
        ("---\ntitle: 'a & b'\n---\n", 2, "title", "write the words alone"),
        ("---\ntitle: [a, b]\n---\n", 2, "title", "must be words"),
        ("---\nicon: ../../etc/passwd\n---\n", 2, "icon", "holds only title, description, hide, search"),
        ("---\ntitle: x\nhide:\n  - everything\n---\n", 3, "hide", "must be a list of the page's parts to hide"),
        ("---\nhide: toc\n---\n", 2, "hide", "must be a list"),
        ("---\nsearch:\n  boost: 100\n---\n", 2, "search", "must be 'exclude: true' or 'exclude: false'"),
        ("---\ntitle: [unclosed\n---\n", 2, None, "not valid YAML"),
        ("---\n- a list\n---\n", 2, None, "must be fields"),
        ("Title: plain\n    </title><script>alert(1)</script>\n\n# x\n", 1, "title", "write the words alone"),
        ("TEMPLATE: redirect.html\n\n# x\n", 1, "template", "start the page with its heading"),
    ],
)
def test_what_the_theme_would_print_unescaped_or_act_on_is_refused_at_its_line(
    top: str, line: int, key: str | None, message: str
) -> None:
    problems = page_meta_problems(top, "docs/x.md")
    assert [(p.file, p.line, p.key) for p in problems] == [("docs/x.md", line, key)], problems
    assert message in problems[0].message
