"""What a page of the site (docs/*.md) says about itself at its top, as MkDocs reads it: YAML between two `---`
lines, or, without them, `key: value` lines up to the first blank line (MultiMarkdown's form, which MkDocs also
reads). The theme prints some of it into the page as it stands, unescaped (the title in <title> and the header,
the description in a <meta> attribute), and acts on some of it (template chooses the page's template, which may
be the theme's redirect; location is where that sends the reader). A page may say only what the edition's pages
say, and in plain words.
"""

from __future__ import annotations

import re

import yaml

from edition.problems import Problem

# MkDocs' two forms (mkdocs/utils/meta.py): a YAML block closed by --- or ..., else key: value lines.
_YAML_BLOCK = re.compile(r"\A-{3}[ \t]*\n(.*?\n)(?:\.{3}|-{3})[ \t]*\n", re.DOTALL)
_LINE_FIELD = re.compile(r"[ ]{0,3}([A-Za-z0-9_-]+):")
_MARKUP = re.compile(r'[<>"&]')
PAGE_FIELDS = ("title", "description", "hide", "search")
# The parts of a page the theme can hide (Material's page.meta.hide).
HIDE = frozenset({"navigation", "toc", "footer", "path", "feedback", "tags"})
PLAIN = 'holds < > " or &, which the theme would print into the page as HTML; write the words alone'
PLAIN_FORM = "write 'title: …' lines between two '---' lines"


def _field_lines(text: str) -> list[tuple[int, str, str]]:
    """Without a YAML block: (line, key, text after the colon with any continuation lines) of each field MkDocs
    reads from the top of ``text``, the key lower-cased as it reads them."""
    fields: list[tuple[int, str, str]] = []
    for number, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            break  # the key: value form ends at the first blank line
        found = _LINE_FIELD.match(line)
        if found:
            fields.append((number, found[1].lower(), line[found.end() :]))
        elif line.startswith(("    ", "\t")) and fields:
            fields[-1] = (*fields[-1][:2], fields[-1][2] + " " + line.strip())  # MkDocs adds it to the value
        else:
            break  # neither a field nor its continuation: MkDocs stops reading here
    return fields


def _yaml_fields(block: str, shown: str) -> tuple[list[tuple[int, str, yaml.Node]], list[Problem]]:
    """(line, key, value) of each of the YAML block's fields, the key lower-cased as MkDocs' theme reads them."""
    try:
        root = yaml.compose(block, Loader=yaml.SafeLoader)
    except yaml.YAMLError as error:
        # Where the construct that fails begins (an unclosed list), else where reading failed.
        mark = getattr(error, "context_mark", None) or getattr(error, "problem_mark", None)
        line = 2 + mark.line if mark is not None else 2
        return [], [Problem(shown, line, None, f"the page's front matter is not valid YAML; {PLAIN_FORM}")]
    if not isinstance(root, yaml.MappingNode):
        return [], [Problem(shown, 2, None, f"the page's front matter must be fields; {PLAIN_FORM}")]
    fields = [
        (2 + key.start_mark.line, str(key.value).lower(), value)
        for key, value in root.value
        if isinstance(key, yaml.ScalarNode)
    ]
    return fields, []


def _scalar_text(node: yaml.Node | None) -> str | None:
    if isinstance(node, yaml.ScalarNode) and node.tag == "tag:yaml.org,2002:str":
        return str(node.value)
    return None


def _value_problem(key: str, value: yaml.Node | str) -> str | None:
    """What is wrong with the value of one of PAGE_FIELDS, or None."""
    if key in ("title", "description"):
        words = value if isinstance(value, str) else _scalar_text(value)
        if words is None:
            return "must be words (a string)"
        return PLAIN + " (curly quotes “ ” are fine)" if _MARKUP.search(words) else None
    if key == "hide":
        items = value.value if isinstance(value, yaml.SequenceNode) else None
        if items is None or any(_scalar_text(item) not in HIDE for item in items):
            return f"must be a list of the page's parts to hide: {', '.join(sorted(HIDE))}"
        return None
    pairs = value.value if isinstance(value, yaml.MappingNode) else None  # search
    if pairs is None or any(
        not (isinstance(k, yaml.ScalarNode) and k.value == "exclude" and isinstance(v, yaml.ScalarNode))
        or v.value not in ("true", "false")
        for k, v in pairs
    ):
        return "must be 'exclude: true' or 'exclude: false'"
    return None


def page_meta_problems(text: str, shown: str) -> list[Problem]:
    """Every field a page's top holds that the theme would print unescaped or act on, at its line."""
    block = _YAML_BLOCK.match(text)
    problems: list[Problem] = []
    fields: list[tuple[int, str, yaml.Node | str]]
    if block:
        found, problems = _yaml_fields(block[1], shown)
        fields = list(found)
    else:
        fields = list(_field_lines(text))
    for line, key, value in fields:
        message: str | None
        if key not in PAGE_FIELDS:
            where = "" if block else " (a first line 'word: text' is read so: start the page with its heading)"
            message = (
                f"MkDocs reads this as the page's '{key}', which the theme may print into the page or act on"
                f"{where}; a page's front matter holds only {', '.join(PAGE_FIELDS)}"
            )
        else:
            message = _value_problem(key, value)
        if message:
            problems.append(Problem(shown, line, key, message))
    return problems
