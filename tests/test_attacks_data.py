"""Planted attacks on the data files: data/glossary.yml, data/timeline.yml, data/article.yml,
source/emendations.yml and the YAML front matter of annotations (issue 11, items 1, 3 and 4).

Each attack plants one hostile or careless input in a copy of the book and asserts the exact
outcome: the checks that `make check` runs stop it with the file, the line and what is wrong.
Classes: *one door* (a wrong type in any field is a message, never a traceback), *refusal* (YAML
constructs, sizes, dates, ids and terms the edition does not accept) and *bounded work* (inputs
that would hang or exhaust a naive loader are refused at once).
"""

from __future__ import annotations

import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from attacks import (
    ARTICLE,
    GLOSSARY,
    NOTE,
    ROOT,
    TIMELINE,
    VALID_ANNOTATION,
    Attack,
    Refused,
    append,
    assert_refused,
    line_of,
    make_check,
    read,
    replace,
    run_checks,
    write,
)
from edition.dates import reference_date
from edition.problems import EditionError
from edition.records import BYTES_PER_VALUE, DATA_FILE_LIMIT, FRONT_MATTER_LIMIT, RefusedYAML, parse_yaml, schema
from edition.reference.article import load_article
from edition.text.emendations import KINDS, load_emendations

EMENDATIONS = "source/emendations.yml"

# A "billion laughs": under 1 KB of YAML whose aliases, once composed, would be 9^9 strings.
LAUGHS = "".join(
    f"{name}: &{name} [{', '.join([f'*{prev}'] * 9) if prev else ', '.join(['lol'] * 9)}]\n"
    for prev, name in zip(["", "a", "b", "c", "d", "e", "f", "g", "h"], "abcdefghi", strict=True)
)


def new_term(ident: str, zh: str, *, pinyin: str | None = "Cèshì shùyǔ", external: bool = True, extra: str = "") -> str:
    """A glossary entry that is valid but for what an attack changes."""
    lines = [f"- id: {ident}", f"  zh: {zh}", "  en: Test term", "  en_basis: editorial"]
    lines += [f"  pinyin: {pinyin}"] if pinyin else []
    lines += ["  category: concept-slogan", "  definition_zh: 测试。", "  definition_en: A test."]
    lines += ["  external: true"] if external else []
    return "\n" + "\n".join(lines) + "\n" + extra


def new_event(ident: str, date: str, extra: str = "") -> str:
    """A timeline event that is valid in form but for what an attack changes."""
    return (
        textwrap.dedent(f"""
        - id: {ident}
          date: "{date}"
          title_zh: 测试事件
          title_en: A test event
          category: leaders
          phase: after
          mentions:
            - "与两人上一次见面时隔六年"
        """)
        + extra
    )


DONG_JUN = "- id: dong-jun\n  zh: 董军\n  en: Dong Jun\n"
FIRST_EMENDATION = "- kind: layout\n  where: 作者 / author line\n  before: □ 吴心伯\n"


# -- refusal: YAML constructs that plain data never needs ---------------------------------------------------

REFUSED_YAML = [
    Attack(
        "glossary: anchor and alias",
        replace(GLOSSARY, "  definition_en: China's Minister", "  definition_en: &minister China's Minister"),
        Refused(GLOSSARY, line_of(GLOSSARY, "&minister"), "YAML anchor '&minister' is not allowed", "definition_en"),
    ),
    Attack(
        "glossary: alias of an anchor",
        lambda p: (
            replace(GLOSSARY, "  zh: 董军\n", "  zh: &dong 董军\n")(p),
            replace(GLOSSARY, "  en: Dong Jun\n", "  en: *dong\n")(p),
        ),
        Refused(GLOSSARY, line_of(GLOSSARY, "en: *dong"), "YAML alias '*dong' is not allowed", "en"),
    ),
    Attack(
        "glossary: merge key",
        replace(GLOSSARY, DONG_JUN, DONG_JUN + "  <<: {en_basis: official}\n"),
        Refused(GLOSSARY, line_of(GLOSSARY, "<<:"), "YAML merge key '<<' is not allowed"),
    ),
    Attack(
        "timeline: !!python/object/apply:os.system",
        replace(
            TIMELINE,
            "  title_en: Previous in-person meeting",
            "  title_en: !!python/object/apply:os.system ['touch pwned-by-yaml']\n  x: Previous in-person meeting",
        ),
        Refused(
            TIMELINE,
            line_of(TIMELINE, "os.system"),
            "YAML tag '!!python/object/apply:os.system' is not allowed",
            "title_en",
        ),
    ),
    Attack(
        "glossary: !!binary",
        replace(GLOSSARY, "  en: Dong Jun\n", "  en: !!binary RG9uZyBKdW4=\n"),
        Refused(GLOSSARY, line_of(GLOSSARY, "!!binary"), "YAML tag '!!binary' is not allowed", "en"),
    ),
    Attack(
        "timeline: !!set of sources",
        replace(TIMELINE, 'date: "2019"', 'date: "2019"\n  sources: !!set {a, b}'),
        Refused(TIMELINE, line_of(TIMELINE, "!!set"), "YAML tag '!!set' is not allowed", "sources"),
    ),
    Attack(
        "emendations: custom tag",
        replace(EMENDATIONS, "  after: 吴心伯\n", "  after: !foo 吴心伯\n"),
        Refused(EMENDATIONS, line_of(EMENDATIONS, "!foo"), "YAML tag '!foo' is not allowed", "after"),
    ),
    Attack(
        "annotation: !!python/name tag in front matter",
        write(NOTE, VALID_ANNOTATION.replace("type: context", "type: !!python/name:os.system")),
        Refused(NOTE, 5, "YAML tag '!!python/name:os.system' is not allowed"),
    ),
    Attack(
        "timeline: tab indentation",
        replace(TIMELINE, "\n  title_zh: 中美元首上一次面对面会晤", "\n\ttitle_zh: 中美元首上一次面对面会晤"),
        Refused(TIMELINE, line_of(TIMELINE, "\ttitle_zh"), "a tab indents this line; YAML indentation takes spaces"),
    ),
    Attack(
        "glossary: a second document",
        append(GLOSSARY, "---\n- id: smuggled\n"),
        Refused(GLOSSARY, line_of(GLOSSARY, "---"), "a second YAML document starts here"),
    ),
    Attack(
        "timeline: a list as a key",
        replace(TIMELINE, '  date: "2019"\n', '  date: "2019"\n  ? [a, b]\n  : c\n'),
        Refused(TIMELINE, line_of(TIMELINE, "? [a, b]"), "a key must be a plain name"),
    ),
    Attack(
        "glossary: bell character",
        replace(GLOSSARY, "  en: Dong Jun\n", "  en: Dong\x07Jun\n"),
        Refused(GLOSSARY, line_of(GLOSSARY, "Dong\x07Jun"), "control character U+0007 at column 11"),
    ),
]

DUPLICATE_KEYS = [
    Attack(
        "glossary: duplicate key",
        replace(GLOSSARY, "  en: Dong Jun\n", "  en: Dong Jun\n  en: Wang Yi\n"),
        Refused(GLOSSARY, line_of(GLOSSARY, "en: Wang Yi"), "field given twice (first on line", "en"),
    ),
    Attack(
        "timeline: duplicate key",
        replace(TIMELINE, '  date: "2019"\n', '  date: "2019"\n  date: "2018"\n'),
        Refused(TIMELINE, line_of(TIMELINE, 'date: "2018"'), "field given twice (first on line", "date"),
    ),
    Attack(
        "emendations: duplicate key",
        replace(EMENDATIONS, "  after: 吴心伯\n", "  after: 吴心伯\n  after: 吴（重复）\n"),
        Refused(EMENDATIONS, line_of(EMENDATIONS, "after: 吴（重复）"), "field given twice (first on line 5)", "after"),
    ),
    Attack(
        "annotation: duplicate key in front matter",
        write(NOTE, VALID_ANNOTATION.replace("author: A Contributor\n", "author: A Contributor\nauthor: B\n")),
        Refused(NOTE, 7, "field given twice (first on line 6)"),
    ),
]


# -- one door: a wrong type in any field is file:line, never a traceback ----------------------------------------

WRONG_TYPES = [
    Attack(
        "glossary: a list where text goes",
        replace(GLOSSARY, "  en: Dong Jun\n", "  en: [Dong, Jun]\n"),
        Refused(GLOSSARY, line_of(GLOSSARY, "en: [Dong, Jun]"), "en: a list where text is expected", "dong-jun"),
    ),
    Attack(
        "glossary: a mapping where a list goes",
        replace(GLOSSARY, "  related: [pete-hegseth]\n", "  related: {pete: hegseth}\n"),
        Refused(
            GLOSSARY, line_of(GLOSSARY, "related: {pete"), "related: a mapping where a list is expected", "dong-jun"
        ),
    ),
    Attack(
        "glossary: a number where text goes",
        replace(GLOSSARY, "  en: Dong Jun\n", "  en: 42\n"),
        Refused(
            GLOSSARY, line_of(GLOSSARY, "  en: 42"), "en: 42 is not text; put the value in double quotes", "dong-jun"
        ),
    ),
    Attack(
        "glossary: yes is not a boolean",
        replace(GLOSSARY, "  related: [pete-hegseth]\n", "  related: [pete-hegseth]\n  editorial: yes\n"),
        Refused(
            GLOSSARY,
            line_of(GLOSSARY, "editorial: yes"),
            "editorial: 'yes' where true or false is expected",
            "dong-jun",
        ),
    ),
    Attack(
        "glossary: a number where the id goes",
        replace(GLOSSARY, "- id: dong-jun\n", "- id: 42\n"),
        Refused(GLOSSARY, line_of(GLOSSARY, "- id: 42"), "id: 42 is not text; put the value in double quotes"),
    ),
    Attack(
        "glossary: a list where the category goes",
        replace(GLOSSARY, "  pinyin: Dǒng Jūn\n  category: person\n", "  pinyin: Dǒng Jūn\n  category: [person]\n"),
        Refused(
            GLOSSARY, line_of(GLOSSARY, "category: [person]"), "category: ['person'] is not one of: person", "dong-jun"
        ),
    ),
    Attack(
        "glossary: a number among the sources",
        replace(
            GLOSSARY,
            "  sources: [dow-hegseth-dong-call-2025-09-10]\n",
            "  sources: [dow-hegseth-dong-call-2025-09-10, 42]\n",
        ),
        Refused(GLOSSARY, line_of(GLOSSARY, "2025-09-10, 42]"), "sources.1: 42 is not text", "dong-jun"),
    ),
    Attack(
        "glossary: a record that is text",
        append(GLOSSARY, "\n- just a line of text\n"),
        Refused(GLOSSARY, line_of(GLOSSARY, "- just a line"), "where a mapping of 'field: value' lines is expected"),
    ),
    Attack(
        "glossary: unknown field",
        replace(GLOSSARY, "  en: Dong Jun\n", "  en: Dong Jun\n  definiton_en: typo\n"),
        Refused(
            GLOSSARY,
            line_of(GLOSSARY, "definiton_en"),
            "unknown field 'definiton_en'; did you mean 'definition_en'? The fields are: id, zh",
            "dong-jun",
        ),
    ),
    Attack(
        "glossary: required field missing",
        replace(GLOSSARY, DONG_JUN, "- id: dong-jun\n  zh: 董军\n"),
        Refused(GLOSSARY, line_of(GLOSSARY, "- id: dong-jun"), "required field 'en' is missing", "dong-jun"),
    ),
    Attack(
        "glossary: an empty list",
        replace(GLOSSARY, "  en: Dong Jun\n", "  en: Dong Jun\n  aliases: []\n"),
        Refused(GLOSSARY, line_of(GLOSSARY, "aliases: []"), "aliases: the list is empty", "dong-jun"),
    ),
    Attack(
        "glossary: an id listed twice",
        replace(GLOSSARY, "  related: [pete-hegseth]\n", "  related: [pete-hegseth, pete-hegseth]\n"),
        Refused(
            GLOSSARY,
            line_of(GLOSSARY, "[pete-hegseth, pete-hegseth]"),
            "related: the list names 'pete-hegseth' twice; keep one",
            "dong-jun",
        ),
    ),
    Attack(
        "glossary: blank text",
        replace(GLOSSARY, "  en: Dong Jun\n", '  en: "   "\n'),
        Refused(GLOSSARY, line_of(GLOSSARY, 'en: "   "'), "en: is blank", "dong-jun"),
    ),
    Attack(
        "timeline: text where the mentions list goes",
        replace(TIMELINE, '  mentions:\n    - "与两人上一次见面时隔六年"', '  mentions: "与两人上一次见面时隔六年"'),
        Refused(
            TIMELINE,
            line_of(TIMELINE, 'mentions: "与两人'),
            "mentions: '与两人上一次见面时隔六年' where a list is expected",
            "xi-trump-last-meeting-2019",
        ),
    ),
    Attack(
        "timeline: a mention mapping without its date_note",
        replace(TIMELINE, '    - "与两人上一次见面时隔六年"', '    - quote: "与两人上一次见面时隔六年"'),
        Refused(
            TIMELINE,
            line_of(TIMELINE, 'quote: "与两人'),
            "mentions.0: a mapping is neither of the forms allowed here",
            "xi-trump-last-meeting-2019",
        ),
    ),
    Attack(
        "timeline: a number where the phase goes",
        replace(TIMELINE, "  phase: before\n", "  phase: 3\n"),
        Refused(
            TIMELINE, line_of(TIMELINE, "phase: 3"), "phase: 3 is not one of: before", "xi-trump-last-meeting-2019"
        ),
    ),
    Attack(
        "timeline: a list where the date goes",
        replace(TIMELINE, 'date: "2019"', "date: [2019]"),
        Refused(
            TIMELINE,
            line_of(TIMELINE, "date: [2019]"),
            "date: a list where text is expected",
            "xi-trump-last-meeting-2019",
        ),
    ),
    Attack(
        "timeline: a mapping where the title goes",
        replace(
            TIMELINE,
            "  title_en: Previous in-person meeting of Xi Jinping and Donald Trump\n",
            "  title_en: {en: Previous meeting}\n",
        ),
        Refused(
            TIMELINE,
            line_of(TIMELINE, "title_en: {en"),
            "title_en: a mapping where text is expected",
            "xi-trump-last-meeting-2019",
        ),
    ),
    Attack(
        "timeline: text where the sources list goes",
        replace(TIMELINE, 'date: "2019"', 'date: "2019"\n  sources: some-key'),
        Refused(
            TIMELINE,
            line_of(TIMELINE, "sources: some-key"),
            "sources: 'some-key' where a list is expected",
            "xi-trump-last-meeting-2019",
        ),
    ),
    Attack(
        "timeline: true where the id goes",
        replace(TIMELINE, "- id: xi-trump-last-meeting-2019\n", "- id: true\n"),
        Refused(TIMELINE, line_of(TIMELINE, "- id: true"), "id: true (true or false) is not text"),
    ),
    Attack(
        "emendations: a list where the new text goes",
        replace(EMENDATIONS, "  after: 吴心伯\n", "  after: [吴心伯]\n"),
        Refused(EMENDATIONS, line_of(EMENDATIONS, "after: [吴心伯]"), "a list where text is expected", "after"),
    ),
    Attack(
        "emendations: a mapping where the reason goes",
        replace(EMENDATIONS, "  reason: “□”是期刊版式", "  reason: {zh: x}\n  x: “□”是期刊版式"),
        Refused(EMENDATIONS, line_of(EMENDATIONS, "reason: {zh: x}"), "a mapping where text is expected", "reason"),
    ),
    Attack(
        "emendations: count: abc",
        replace(EMENDATIONS, FIRST_EMENDATION, FIRST_EMENDATION + "  count: abc\n"),
        Refused(EMENDATIONS, line_of(EMENDATIONS, "count: abc"), "'abc' where a whole number is expected", "count"),
    ),
    Attack(
        "emendations: a 5,000-digit count",
        replace(EMENDATIONS, FIRST_EMENDATION, FIRST_EMENDATION + "  count: 1" + "0" * 5000 + "\n"),
        Refused(EMENDATIONS, line_of(EMENDATIONS, "count: 1000"), "where a whole number is expected", "count"),
    ),
    Attack(
        "emendations: count: 0",
        replace(EMENDATIONS, FIRST_EMENDATION, FIRST_EMENDATION + "  count: 0\n"),
        Refused(EMENDATIONS, line_of(EMENDATIONS, "count: 0"), "0 is below the least allowed, 1", "count"),
    ),
    Attack(
        "emendations: unknown kind",
        replace(EMENDATIONS, "- kind: layout\n", "- kind: typo\n"),
        Refused(EMENDATIONS, line_of(EMENDATIONS, "kind: typo"), "'typo' is not one of: escape, spacing", "kind"),
    ),
    Attack(
        "emendations: empty before",
        replace(EMENDATIONS, "  before: □ 吴心伯\n", '  before: ""\n'),
        Refused(EMENDATIONS, line_of(EMENDATIONS, 'before: ""'), "is empty", "before"),
    ),
    Attack(
        "emendations: a number where a page join's paragraph goes",
        replace(EMENDATIONS, "- where: p0-1\n", "- where: 12\n"),
        Refused(EMENDATIONS, line_of(EMENDATIONS, "- where: 12"), "12 is not text", "where"),
    ),
    Attack(
        "emendations: a list instead of the mapping",
        write(EMENDATIONS, "- kind: layout\n"),
        Refused(EMENDATIONS, 1, "a list where a mapping of 'field: value' lines is expected"),
    ),
    Attack(
        "emendations: page_joins missing",
        lambda p: (p / EMENDATIONS).write_text(read(p, EMENDATIONS).split("page_joins:")[0], encoding="utf-8"),
        Refused(EMENDATIONS, 1, "required field 'page_joins' is missing"),
    ),
]


# -- refusal: sizes, dates, ids, terms ------------------------------------------------------------------------


def _glossary_linked_outside(p: Path) -> None:
    (p.parent / "outside.yml").write_bytes((p / GLOSSARY).read_bytes())
    (p / GLOSSARY).unlink()
    (p / GLOSSARY).symlink_to(p.parent / "outside.yml")


REFUSED_DATA = [
    Attack("glossary: empty file", write(GLOSSARY, ""), Refused(GLOSSARY, 1, "the file is empty")),
    Attack(
        "timeline: 2 MB file",
        append(TIMELINE, ("# " + "x" * 1022 + "\n") * 2048),
        Refused(TIMELINE, None, f"a data file may be at most {DATA_FILE_LIMIT:,} bytes"),
    ),
    Attack(
        "annotation: 100 KB front matter",
        write(NOTE, VALID_ANNOTATION.replace("author: A Contributor", "author: " + "x" * 100_000)),
        Refused(NOTE, 2, f"over the limit of {FRONT_MATTER_LIMIT:,}"),
    ),
    Attack(
        "glossary: 41,943 one-letter items",
        write(GLOSSARY, "- a\n" * 100_000),
        Refused(GLOSSARY, DATA_FILE_LIMIT // BYTES_PER_VALUE, "too many values"),
    ),
    Attack(
        "glossary: a link to a file outside the repository",
        _glossary_linked_outside,
        Refused(GLOSSARY, None, "is a symbolic link"),
    ),
    Attack(
        "glossary: direction override in a definition",
        replace(GLOSSARY, "  en: Dong Jun\n", "  en: Dong \u202eJun\n"),
        Refused(GLOSSARY, line_of(GLOSSARY, "\u202eJun"), "bidirectional control character U+202E"),
    ),
    Attack(
        "glossary: raw HTML in a definition",
        replace(
            GLOSSARY, "  definition_en: China's Minister", "  definition_en: <img src=x onerror=alert(1)> Minister"
        ),
        Refused(GLOSSARY, line_of(GLOSSARY, "<img src=x"), "definition_en: raw HTML is not allowed", "dong-jun"),
    ),
    Attack(
        "glossary: a blank line in a definition",
        replace(GLOSSARY, "  definition_en: China's Minister", "  definition_en: |\n    One.\n\n    China's Minister"),
        Refused(
            GLOSSARY, line_of(GLOSSARY, "definition_en: |"), "definition_en: a line break is not allowed", "dong-jun"
        ),
    ),
    Attack(
        "timeline: a bare CR in a title (it once started a line of its own in timeline.ics)",
        replace(
            TIMELINE,
            "  title_zh: 美方对华加征34%“对等关税”\n",
            '  title_zh: "美方对华加征34%“对等关税”\\rBEGIN:VEVENT\\rSUMMARY:injected"\n',
        ),
        Refused(
            TIMELINE,
            line_of(TIMELINE, "BEGIN:VEVENT"),
            "title_zh: contains the invisible character U+000D",
            "us-reciprocal-tariffs-2025-04-02",
        ),
    ),
    Attack(
        "timeline: a CRLF in a note",
        replace(
            TIMELINE,
            "  title_zh: 美方对华加征34%“对等关税”\n",
            '  title_zh: 美方对华加征34%“对等关税”\n  note_en: "one\\r\\nX-INJECTED:1"\n',
        ),
        Refused(
            TIMELINE,
            line_of(TIMELINE, "X-INJECTED"),
            "note_en: contains the invisible character U+000D",
            "us-reciprocal-tariffs-2025-04-02",
        ),
    ),
    Attack(
        "timeline: a date in 2999",
        replace(TIMELINE, 'date: "2025-09-29"', 'date: "2999-09-29"'),
        Refused(
            TIMELINE,
            line_of(TIMELINE, "2999-09-29"),
            "date 2999-09-29 is after the build date",
            "us-affiliates-rule-2025-09-29",
        ),
    ),
    Attack(
        "timeline: date_end in 2999",
        replace(TIMELINE, '  date: "2025-02"\n  date_end: "2025-03"', '  date: "2025-02"\n  date_end: "2999-03"'),
        Refused(
            TIMELINE,
            line_of(TIMELINE, "2999-03"),
            "date_end 2999-03 is after the build date",
            "us-fentanyl-tariffs-2025",
        ),
    ),
    Attack(
        "timeline: date_end before date",
        replace(TIMELINE, '  date: "2025-02"\n  date_end: "2025-03"', '  date: "2025-02"\n  date_end: "2024-03"'),
        Refused(
            TIMELINE,
            line_of(TIMELINE, '"2024-03"'),
            "date_end 2024-03 does not come after date 2025-02",
            "us-fentanyl-tariffs-2025",
        ),
    ),
    Attack(
        "timeline: a date before 1900",
        replace(TIMELINE, 'date: "2019"', 'date: "1850"'),
        Refused(TIMELINE, line_of(TIMELINE, '"1850"'), "date 1850 is before 1900", "xi-trump-last-meeting-2019"),
    ),
    Attack(
        "timeline: id y2025-03 (a month heading of the page)",
        append(TIMELINE, new_event("y2025-03", "2019")),
        Refused(TIMELINE, line_of(TIMELINE, "- id: y2025-03"), "the timeline's year and month headings", "y2025-03"),
    ),
    Attack(
        "timeline: id p1-2 (a paragraph)",
        append(TIMELINE, new_event("p1-2", "2019")),
        Refused(TIMELINE, line_of(TIMELINE, "- id: p1-2"), "the article's paragraphs", "p1-2"),
    ),
    Attack(
        "glossary: id y2025 (a year heading)",
        append(GLOSSARY, new_term("y2025", "测试术语")),
        Refused(GLOSSARY, line_of(GLOSSARY, "- id: y2025"), "the timeline's year and month headings", "y2025"),
    ),
    Attack(
        "glossary: id category-person (a category heading)",
        append(GLOSSARY, new_term("category-person", "测试术语")),
        Refused(
            GLOSSARY, line_of(GLOSSARY, "- id: category-person"), "the glossary's category headings", "category-person"
        ),
    ),
    Attack(
        "glossary: id cite-this (an element of the pages)",
        append(GLOSSARY, new_term("cite-this", "测试术语")),
        Refused(GLOSSARY, line_of(GLOSSARY, "- id: cite-this"), "the pages' own elements", "cite-this"),
    ),
    Attack(
        "glossary: id __search (the theme's search toggle)",
        append(GLOSSARY, new_term("__search", "测试术语")),
        Refused(
            GLOSSARY, line_of(GLOSSARY, "- id: __search"), "id: '__search' does not have the expected form", "__search"
        ),
    ),
    Attack(
        "glossary: id fn:1 (a footnote)",
        append(GLOSSARY, new_term("fn:1", "测试术语")),
        Refused(GLOSSARY, line_of(GLOSSARY, "- id: fn:1"), "id: 'fn:1' does not have the expected form", "fn:1"),
    ),
    Attack(
        "glossary: a Latin term found only inside a longer word",
        append(GLOSSARY, new_term("nation", "Nation", pinyin=None, external=False)),
        Refused(
            GLOSSARY, line_of(GLOSSARY, "zh: Nation"), "'Nation' occurs only inside longer words (National)", "nation"
        ),
    ),
    Attack(
        "glossary: a Chinese form found only inside an exclusion",
        append(GLOSSARY, new_term("foreign-affairs-dept", "交部门", pinyin="jiāo bùmén", external=False)),
        Refused(
            GLOSSARY,
            line_of(GLOSSARY, "zh: 交部门"),
            "'交部门' occurs only inside longer terms (外交部门)",
            "foreign-affairs-dept",
        ),
    ),
    Attack(
        "glossary: an alias found only inside a longer form",
        replace(GLOSSARY, "  zh: 复旦大学美国研究中心\n", "  zh: 复旦大学美国研究中心\n  aliases: [美国研究中心]\n"),
        Refused(
            GLOSSARY,
            line_of(GLOSSARY, "aliases: [美国研究中心]"),
            "'美国研究中心' occurs only inside longer terms (复旦大学美国研究中心)",
            "fudan-cas",
        ),
    ),
]


@pytest.mark.parametrize("attack", REFUSED_YAML + DUPLICATE_KEYS, ids=str)
def test_yaml_constructs_are_refused_at_their_line(project_copy: Path, attack: Attack) -> None:
    assert_refused(project_copy, attack)


@pytest.mark.parametrize("attack", WRONG_TYPES, ids=str)
def test_a_wrong_type_is_file_line_key_and_what_to_do(project_copy: Path, attack: Attack) -> None:
    assert_refused(project_copy, attack)
    line = attack.expect.line_in(project_copy)
    said = [str(p) for p in run_checks(project_copy) if p.file == attack.expect.file and p.line == line]
    assert len(said) == 1, said  # one clear message for one mistake, not the echo of every rule it also breaks


@pytest.mark.parametrize("attack", REFUSED_DATA, ids=str)
def test_unsafe_data_is_refused_at_its_line(project_copy: Path, attack: Attack) -> None:
    assert_refused(project_copy, attack)


def test_the_python_tag_runs_nothing(project_copy: Path) -> None:
    attack = next(a for a in REFUSED_YAML if "os.system" in a.name)
    assert_refused(project_copy, attack)
    assert not (project_copy / "pwned-by-yaml").exists() and not (ROOT / "pwned-by-yaml").exists()


# -- data/article.yml: loaded by the build's "Cite this"; `make check` should read it too -------------------------

ARTICLE_ATTACKS = [
    Attack(
        "article: given: 123",
        replace(ARTICLE, "  given: Xinbo", "  given: 123"),
        Refused(
            ARTICLE, line_of(ARTICLE, "given: 123"), "123 is not text; put the value in double quotes", "author.given"
        ),
    ),
    Attack(
        "article: year: soon",
        replace(ARTICLE, "year: 2026", "year: soon"),
        Refused(ARTICLE, line_of(ARTICLE, "year: soon"), "'soon' where a whole number is expected", "year"),
    ),
    Attack(
        "article: issue in quotes",
        replace(ARTICLE, "issue: 2", 'issue: "2"'),
        Refused(ARTICLE, line_of(ARTICLE, 'issue: "2"'), "'2' where a whole number is expected", "issue"),
    ),
    Attack(
        "article: a list where the title goes",
        replace(ARTICLE, "title:\n", "title: [a]\nold_title:\n"),
        Refused(
            ARTICLE,
            line_of(ARTICLE, "title: [a]"),
            "a list where a mapping of 'field: value' lines is expected",
            "title",
        ),
    ),
    Attack(
        "article: unknown field",
        append(ARTICLE, "volume: 3\n"),
        Refused(ARTICLE, line_of(ARTICLE, "volume: 3"), "unknown field 'volume'", None),
    ),
    Attack(
        "article: braces that would break the BibTeX",
        replace(ARTICLE, "  en: International Studies", "  en: International}, note = {Studies"),
        Refused(ARTICLE, line_of(ARTICLE, "note = {"), "would change the structure of the BibTeX", "journal.en"),
    ),
    Attack(
        "article: last page before the first",
        replace(ARTICLE, "last_page: 48", "last_page: 30"),
        Refused(ARTICLE, line_of(ARTICLE, "last_page: 30"), "30 is before the first page 35", "last_page"),
    ),
    Attack(
        "article: published in 2999",
        replace(ARTICLE, "year: 2026", "year: 2999"),
        Refused(ARTICLE, line_of(ARTICLE, "year: 2999"), "2999 is after the build date", "year"),
    ),
    Attack(
        "article: duplicate key",
        replace(ARTICLE, "issue: 2\n", "issue: 2\nissue: 3\n"),
        Refused(ARTICLE, line_of(ARTICLE, "issue: 3"), "field given twice", "issue"),
    ),
    Attack(
        "article: alias",
        replace(ARTICLE, "  family: Wu\n  given: Xinbo", "  family: &w Wu\n  given: *w"),
        Refused(ARTICLE, line_of(ARTICLE, "&w"), "YAML anchor '&w' is not allowed", "family"),
    ),
    Attack("article: empty file", write(ARTICLE, "# nothing\n"), Refused(ARTICLE, 1, "the file is empty")),
]


@pytest.mark.parametrize("attack", ARTICLE_ATTACKS, ids=str)
def test_a_bad_article_file_is_refused_at_its_line(project_copy: Path, attack: Attack) -> None:
    attack.plant(project_copy)
    with pytest.raises(EditionError) as caught:
        load_article(project_copy, today=reference_date())
    expect = attack.expect
    line = expect.line_in(project_copy)
    assert any(
        p.file == expect.file
        and p.line == line
        and expect.message in p.message
        and (expect.key is None or p.key == expect.key)
        for p in caught.value.problems
    ), caught.value.problems


def test_make_check_reads_the_article_file(project_copy: Path) -> None:
    assert_refused(project_copy, ARTICLE_ATTACKS[0])


# -- bounded work: what would hang or exhaust a naive loader ends at once ----------------------------------------


def test_the_alias_bomb_is_under_a_kilobyte_and_refused_before_it_is_composed() -> None:
    assert len(LAUGHS.encode()) < 1024
    child = subprocess.run(
        [
            sys.executable,
            "-c",
            (
                "import sys, time\nfrom edition.records import parse_yaml, RefusedYAML\n"
                "text = sys.stdin.read(); start = time.perf_counter()\n"
                "try:\n    parse_yaml(text, limit=1 << 20)\nexcept RefusedYAML as error:\n"
                "    print(time.perf_counter() - start, error.problem)\n"
            ),
        ],
        input=LAUGHS,
        capture_output=True,
        text=True,
        timeout=30,
        cwd=ROOT,
        check=False,
    )
    assert "Traceback" not in child.stderr, child.stderr
    seconds, message = child.stdout.split(" ", 1)
    assert float(seconds) < 0.5
    assert message.startswith("YAML anchor '&a' is not allowed")


@pytest.mark.parametrize(
    "name, plant, where, message",
    [
        ("glossary", write(GLOSSARY, LAUGHS), f"{GLOSSARY}:1: a: ", "YAML anchor '&a' is not allowed"),
        (
            "annotation front matter",
            write(NOTE, VALID_ANNOTATION.replace("language: zh-Hans\n", "language: zh-Hans\n" + LAUGHS)),
            f"{NOTE}:9: ",
            "YAML anchor '&a' is not allowed",
        ),
        (
            "emendations nested 100,000 deep",
            write(EMENDATIONS, "emendations: " + "[" * 100_000 + "]" * 100_000 + "\n"),
            f"{EMENDATIONS}:1: ",
            "nested more than",
        ),
    ],
    ids=["alias bomb in glossary.yml", "alias bomb in an annotation", "deep nesting in emendations.yml"],
)
def test_make_check_refuses_at_once_what_would_hang_or_crash(
    project_copy: Path, name: str, plant, where: str, message: str
) -> None:
    plant(project_copy)
    started = time.perf_counter()
    result = make_check(project_copy, timeout=30)
    assert time.perf_counter() - started < 20
    assert result.returncode == 1
    assert "Traceback" not in result.stderr + result.stdout, result.stderr
    assert any(line.startswith(where) and message in line for line in result.stderr.splitlines()), result.stderr


def test_a_link_to_an_endless_device_is_refused_without_reading_it(project_copy: Path) -> None:
    path = project_copy / TIMELINE
    path.unlink()
    path.symlink_to("/dev/zero")
    started = time.perf_counter()
    problems = run_checks(project_copy)
    assert time.perf_counter() - started < 10
    assert any(p.file == TIMELINE and "symbolic link" in p.message for p in problems)


# -- the door itself ----------------------------------------------------------------------------------------------


def test_the_emendation_kinds_and_their_schema_agree() -> None:
    assert schema("emendations")["properties"]["emendations"]["items"]["properties"]["kind"]["enum"] == list(KINDS)


def test_the_emendations_keep_their_types_for_the_book() -> None:
    emendations = load_emendations(ROOT / EMENDATIONS, EMENDATIONS)
    assert emendations.emendations and emendations.joins
    first = emendations.emendations[0]
    assert isinstance(first.count, int) and first.count >= 1 and isinstance(first.before, str)
    assert read(ROOT, EMENDATIONS).split("\n")[first.line - 1].startswith("- kind:")


def test_front_matter_keeps_yaml_errors_for_its_callers() -> None:
    with pytest.raises(RefusedYAML) as caught:
        parse_yaml("a: &x 1\nb: *x\n")
    assert caught.value.problem_mark.line == 0 and len(caught.value.findings) == 2
    node, data = parse_yaml("date: 2026-01-15\ncount: 3\nflag: no\nsure: true\nempty:\n")
    assert data == {"date": "2026-01-15", "count": 3, "flag": "no", "sure": True, "empty": None}
    assert node is not None and node.value[1][0].start_mark.line == 1
