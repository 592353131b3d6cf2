"""What a page of the site (docs/*.md) says about itself at its top, as MkDocs reads it, held to
``schemas/page.schema.json``. The theme prints some of it into the page as it stands, unescaped (the title in
<title> and the header, the description in a <meta> attribute), and acts on some of it (template chooses the
page's template, which may be the theme's redirect; location is where that sends the reader). A page may say only
what the edition's pages say, and in plain words.

MkDocs reads two forms (mkdocs/utils/meta.py): YAML between two `---` lines, read here through the one YAML door
(edition/records.py), and, without them, `word: text` lines from the first line up to a blank one. The second
form is not YAML and no page of the edition needs it: a page whose first line reads so is refused.
"""

from __future__ import annotations

import re
from dataclasses import replace

from edition.problems import Problem
from edition.records import RefusedYAML, parse_yaml, schema_problems

# MkDocs' YAML block, closed by --- or ...; and the first line it would read as a field without one.
_YAML_BLOCK = re.compile(r"\A-{3}[ \t]*\n(.*?\n)(?:\.{3}|-{3})[ \t]*\n", re.DOTALL)
_LINE_FIELD = re.compile(r"[ ]{0,3}([A-Za-z0-9_-]+):")


def _field(path: tuple[object, ...]) -> str | None:
    return ".".join(str(step) for step in path) or None


def page_meta_problems(text: str, shown: str) -> list[Problem]:
    """Every field a page's top holds that the theme would print unescaped or act on, at its line."""
    block = _YAML_BLOCK.match(text)
    if block is None:
        found = _LINE_FIELD.match(text)
        if found is None:
            return []
        return [
            Problem(
                shown,
                1,
                found[1].lower(),
                "MkDocs reads a first line 'word: text' as the page's own field, which the theme may print into "
                "the page or act on; start the page with its heading (fields go between two '---' lines)",
            )
        ]
    try:
        node, data = parse_yaml(block[1])
    except RefusedYAML as refused:  # syntax, anchors, tags, nesting, size: each says what to do itself
        return [Problem(shown, f.line + 2, f.key, f.message) for f in refused.findings]
    if node is None:
        return []
    # The block's lines, counted from the page's line 2.
    return [
        replace(problem, line=problem.line + 1) if problem.line is not None else problem
        for problem in schema_problems(shown, node, data, "page", key=_field, where=lambda _: ())
    ]
