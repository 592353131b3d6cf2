"""Messages a newcomer understands: the slips of a first pull request, each said at its line with what to do.

Each case plants one careless input in a copy of the book (the harness of tests/attacks.py) and asserts the
file, the line and the helpful part of what `make check` says: the field that was meant, the paragraph a
quote is in, the YAML slip (a full-width colon, a tab, a value holding ': ', Chinese quotation marks), and
what is allowed where a value is not. The hostile cases hold the same messages to the rules of every message:
contributor text shortened and escaped, never a traceback, never a hang.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from attacks import (
    ARTICLE,
    GLOSSARY,
    NOTE,
    TIMELINE,
    VALID_ANNOTATION,
    Attack,
    Plant,
    Refused,
    assert_refused,
    line_of,
    make_check,
    read,
    replace,
    run_checks,
    write,
)
from edition.records import schema, unknown_field
from edition.text.paragraphs import all_paragraphs

ANNOTATION_FIELDS = "The fields are: target, exact, prefix, suffix, type, author, date, language"
# VALID_ANNOTATION's lines: 1 '---', 2 target, 3 exact, 4 prefix, 5 type, 6 author, 7 date, 8 language, 9 '---'.
TARGET, EXACT, TYPE, AUTHOR, DATE, LANGUAGE = 2, 3, 5, 6, 7, 8
MENTION = '    - "与两人上一次见面时隔六年"'  # the first event's only mention, in p1-4
CATEGORIES = schema("glossary")["items"]["properties"]["category"]["enum"]


def note(old: str, new: str) -> Plant:
    """Plant NOTE: the harness's valid annotation with ``old`` replaced by ``new``."""
    assert old in VALID_ANNOTATION, old
    return write(NOTE, VALID_ANNOTATION.replace(old, new))


def messages(project: Path, file: str) -> list[str]:
    return [str(p) for p in run_checks(project) if p.file == file]


# -- an unknown field says which field was meant -------------------------------------------------------------

UNKNOWN_FIELDS = [
    Attack(
        "annotation: a misspelt field",
        note("type: context", "tpye: context"),
        Refused(NOTE, TYPE, f"unknown field 'tpye'; did you mean 'type'? {ANNOTATION_FIELDS}", "tpye"),
    ),
    Attack(
        "annotation: a field in capitals",
        note("author: A Contributor", "Author: A Contributor"),
        Refused(NOTE, AUTHOR, "unknown field 'Author'; did you mean 'author'?", "Author"),
    ),
    Attack(
        "annotation: a field named in Chinese",
        note("author: A Contributor", "作者: A Contributor"),
        Refused(NOTE, AUTHOR, "unknown field '作者'; did you mean 'author'?", "作者"),
    ),
    Attack(
        "glossary: a misspelt field",
        replace(GLOSSARY, "  en: Dong Jun\n", "  en: Dong Jun\n  definiton_en: typo\n"),
        Refused(
            GLOSSARY,
            line_of(GLOSSARY, "definiton_en"),
            "unknown field 'definiton_en'; did you mean 'definition_en'? The fields are: id, zh,",
            "dong-jun",
        ),
    ),
    Attack(
        "timeline: a misspelt field of a mention",
        replace(TIMELINE, MENTION, '    - qoute: "与两人上一次见面时隔六年"\n      date_note: 推算。'),
        Refused(
            TIMELINE,
            line_of(TIMELINE, "qoute:"),
            "mentions.0: unknown field 'qoute'; did you mean 'quote'? The fields are: quote, date_note",
            "xi-trump-last-meeting-2019",
        ),
    ),
    Attack(
        "timeline: a misspelt field on a mention's second line",
        replace(TIMELINE, MENTION, '    - quote: "与两人上一次见面时隔六年"\n      date_noet: 推算。'),
        Refused(
            TIMELINE,
            line_of(TIMELINE, "date_noet:"),
            "mentions.0: unknown field 'date_noet'; did you mean 'date_note'?",
            "xi-trump-last-meeting-2019",
        ),
    ),
    Attack(
        "article: a misspelt field",
        replace(ARTICLE, "year: 2026", "yaer: 2026"),
        Refused(ARTICLE, line_of(ARTICLE, "yaer: 2026"), "unknown field 'yaer'; did you mean 'year'?"),
    ),
]


@pytest.mark.parametrize("attack", UNKNOWN_FIELDS, ids=str)
def test_an_unknown_field_names_the_field_meant(project_copy: Path, attack: Attack) -> None:
    assert_refused(project_copy, attack)


def test_each_unknown_field_is_said_at_its_own_line(project_copy: Path) -> None:
    note("type: context", "tpye: context")(project_copy)
    text = read(project_copy, NOTE).replace("language: zh-Hans", "langauge: zh-Hans")
    (project_copy / NOTE).write_text(text, encoding="utf-8")
    found = messages(project_copy, NOTE)
    assert f"{NOTE}:{TYPE}: tpye: unknown field 'tpye'; did you mean 'type'? {ANNOTATION_FIELDS}" in found
    assert (
        f"{NOTE}:{LANGUAGE}: langauge: unknown field 'langauge'; did you mean 'language'? {ANNOTATION_FIELDS}" in found
    )


def test_a_field_like_no_other_gets_the_list_alone(project_copy: Path) -> None:
    note("author: A Contributor", "author: A Contributor\nflavour: sweet")(project_copy)
    assert f"{NOTE}:{AUTHOR + 1}: flavour: unknown field 'flavour'; the fields are: target, exact," in "\n".join(
        messages(project_copy, NOTE)
    )
    assert not any("did you mean" in m for m in messages(project_copy, NOTE))


def test_annotations_and_data_files_say_an_unknown_field_in_one_wording(project_copy: Path) -> None:
    """One function words it (edition.records.unknown_field): the front matter's message is its message."""
    note("type: context", "tpye: context")(project_copy)
    known = list(schema("annotation")["properties"])
    assert f"{NOTE}:{TYPE}: tpye: {unknown_field('tpye', known)}" in messages(project_copy, NOTE)


def test_a_hostile_field_name_is_shortened_and_escaped(project_copy: Path) -> None:
    """A quoted key can hold what the file cannot (a line break that would start a CI command) and be long."""
    name = "<script>alert(1)</script>\\n::error::owned" + "x" * 10_000
    note("author: A Contributor", f'author: A Contributor\n? "{name}"\n: 1')(project_copy)
    started = time.perf_counter()
    found = [p for p in run_checks(project_copy) if p.file == NOTE]
    assert time.perf_counter() - started < 20
    assert [p.line for p in found] == [AUTHOR + 1]
    shown = str(found[0])
    assert "\n" not in shown and "<script>alert(1)</script>\\n::error::" in shown and len(shown) < 300, shown


def test_a_thousand_unknown_fields_are_reported_in_part(project_copy: Path) -> None:
    fields = "".join(f"field{n}: x\n" for n in range(1_000))
    note("author: A Contributor\n", "author: A Contributor\n" + fields)(project_copy)
    started = time.perf_counter()
    found = messages(project_copy, NOTE)
    assert time.perf_counter() - started < 20
    assert f"{NOTE}:{AUTHOR + 1}: field0: unknown field 'field0'; the fields are: target, exact," in "\n".join(found)
    assert f"{NOTE}: … and 950 more unknown fields; remove them" in found and len(found) == 51


# -- a quote not in its paragraph says where it is ------------------------------------------------------------


def paragraphs_holding(project: Path, words: str) -> list[str]:
    pages = [(path.name, path.read_text(encoding="utf-8")) for path in sorted((project / "docs").glob("*.md"))]
    return [p.id for p in all_paragraphs(pages) if words in p.text]


def test_a_quote_in_another_paragraph_names_it(project_copy: Path) -> None:
    [where] = paragraphs_holding(project_copy, "不打不相识")
    assert where != "p1-3"
    note("exact: 穿透性规则\nprefix: 美商务部在9月29日出台所谓\n", "exact: 不打不相识\n")(project_copy)
    assert messages(project_copy, NOTE) == [
        (
            f"{NOTE}:{EXACT}: exact: the quote «不打不相识» is not in paragraph p1-3; it is in {where}: "
            f"change target to {where}"
        )
    ]


def test_a_quote_in_several_other_paragraphs_lists_them(project_copy: Path) -> None:
    places = [p for p in paragraphs_holding(project_copy, "日内瓦谈判") if p != "p1-4"]
    assert len(places) >= 2 and "p1-4" not in paragraphs_holding(project_copy, "日内瓦谈判")
    listed = f"{', '.join(places[:-1])} and {places[-1]}"
    note("target: p1-3\nexact: 穿透性规则\nprefix: 美商务部在9月29日出台所谓\n", "target: p1-4\nexact: 日内瓦谈判\n")(
        project_copy
    )
    assert messages(project_copy, NOTE) == [
        (
            f"{NOTE}:{EXACT}: exact: the quote «日内瓦谈判» is not in paragraph p1-4; it is in {listed}: "
            "change target to the one you mean"
        )
    ]


def test_a_quote_in_no_paragraph_says_so_and_shows_the_closest_passage(project_copy: Path) -> None:
    note("exact: 穿透性规则\n", "exact: 穿透性规矩\n")(project_copy)
    assert messages(project_copy, NOTE) == [
        (
            f"{NOTE}:{EXACT}: exact: the quote «穿透性规矩» is not in paragraph p1-3, nor in any other paragraph "
            "of the article; the closest passage in p1-3 is «穿透性规则»: copy the words exactly from the "
            "chapter, without note numbers"
        )
    ]


def test_a_quote_in_chinese_quotation_marks_is_told_to_lose_them(project_copy: Path) -> None:
    note("exact: 穿透性规则\n", "exact: “穿透性规则”\n")(project_copy)
    assert messages(project_copy, NOTE) == [
        (
            f"{NOTE}:{EXACT}: exact: the quote «“穿透性规则”» is not in paragraph p1-3, but it is without its "
            "quotation marks “”: remove them (YAML keeps them as part of the value)"
        )
    ]


def test_an_unknown_target_names_the_paragraph_the_quote_is_in(project_copy: Path) -> None:
    [where] = paragraphs_holding(project_copy, "不打不相识")
    note("target: p1-3\nexact: 穿透性规则\nprefix: 美商务部在9月29日出台所谓\n", "target: p1-99\nexact: 不打不相识\n")(
        project_copy
    )
    assert messages(project_copy, NOTE) == [
        f"{NOTE}:{TARGET}: p1-99: no paragraph has this id; the quote is in {where}: change target to {where}"
    ]


def test_a_huge_quote_is_shortened_in_its_message_and_checked_at_once(project_copy: Path) -> None:
    huge = "穿透性规矩**" * 3_000  # 51 KB, under the front matter's limit
    note("exact: 穿透性规则\n", f"exact: {huge}\n")(project_copy)
    started = time.perf_counter()
    found = messages(project_copy, NOTE)
    assert time.perf_counter() - started < 20
    assert len(found) == 1 and found[0].startswith(f"{NOTE}:{EXACT}: exact: the quote «穿透性规矩**穿透性规矩")
    assert len(found[0]) < 400, found[0]


def test_a_timeline_quotation_in_chinese_quotation_marks_is_told_to_lose_them(project_copy: Path) -> None:
    replace(TIMELINE, MENTION, "    - “与两人上一次见面时隔六年”")(project_copy)
    problems = [p for p in run_checks(project_copy) if p.file == TIMELINE]
    assert [(p.line, p.key) for p in problems] == [
        (line_of(TIMELINE, "“与两人")(project_copy), "xi-trump-last-meeting-2019")
    ]
    assert problems[0].message == (
        "quotation «“与两人上一次见面时隔六年”» is not in any paragraph or note of the article, but it is without "
        "the quotation marks “” (YAML keeps them as part of the value): remove them"
    )


# -- YAML slips: at the line to edit, said plainly -------------------------------------------------------------

YAML_SLIPS = [
    Attack(
        "annotation: a full-width colon after a field name",
        note("exact: 穿透性规则", "exact：穿透性规则"),
        Refused(NOTE, EXACT, "'exact' is followed by '：', the full-width colon of Chinese text", "exact"),
    ),
    Attack(
        # The parser reads 'target：p1-3' and the next line as one text and stops a line later, at 'exact:'.
        "annotation: a full-width colon on the first field",
        note("target: p1-3", "target：p1-3"),
        Refused(NOTE, TARGET, "YAML ends a field name only with the ASCII colon ':' and a space: write 'target: …'"),
    ),
    Attack(
        "glossary: a full-width colon after a field name",
        replace(GLOSSARY, "  en: Dong Jun\n", "  en：Dong Jun\n"),
        Refused(GLOSSARY, line_of(GLOSSARY, "en：Dong Jun"), "'en' is followed by '：'", "en"),
    ),
    Attack(
        # The parser stops at the tab but names the line before it, where the value it was reading began.
        "annotation: a tab that indents a field",
        note("author: A Contributor", "\tauthor: A Contributor"),
        Refused(NOTE, AUTHOR, "a tab indents this line; YAML indentation takes spaces only"),
    ),
    Attack(
        "timeline: a tab that indents a field after a plain value",
        replace(TIMELINE, "  category: leaders\n  phase: before\n", "  category: leaders\n\tphase: before\n"),
        Refused(TIMELINE, line_of(TIMELINE, "\tphase: before"), "a tab indents this line"),
    ),
    Attack(
        "annotation: a value holding ': '",
        note("author: A Contributor", "author: 读者: 张三"),
        Refused(
            NOTE,
            AUTHOR,
            "the value holds ': ' (a colon and a space), which YAML reads as the start of another field; "
            'put the whole value in ASCII double quotes: author: "…"',
            "author",
        ),
    ),
    Attack(
        "timeline: a title holding ': '",
        replace(
            TIMELINE,
            "  title_en: Previous in-person meeting of Xi Jinping and Donald Trump\n",
            "  title_en: Previous meeting: Xi and Trump\n",
        ),
        Refused(TIMELINE, line_of(TIMELINE, "Previous meeting: Xi"), 'ASCII double quotes: title_en: "…"', "title_en"),
    ),
    Attack(
        "annotation: a value holding ': ' in Chinese quotation marks",
        note("author: A Contributor", "author: “读者: 张三”"),
        Refused(NOTE, AUTHOR, "and the Chinese quotation marks around it do not quote it", "author"),
    ),
    Attack(
        "glossary: a category in Chinese quotation marks",
        replace(GLOSSARY, "  pinyin: Dǒng Jūn\n  category: person\n", "  pinyin: Dǒng Jūn\n  category: “person”\n"),
        Refused(
            GLOSSARY,
            line_of(GLOSSARY, "category: “person”"),
            f"category: '“person”' is not one of: {', '.join(CATEGORIES)}; the quotation marks “” are part of the "
            "value to YAML, not quotes: remove them",
            "dong-jun",
        ),
    ),
]


@pytest.mark.parametrize("attack", YAML_SLIPS, ids=str)
def test_a_yaml_slip_is_said_at_its_line(project_copy: Path, attack: Attack) -> None:
    assert_refused(project_copy, attack)


def test_the_line_of_a_slip_counts_the_opening_dashes_a_bom_and_crlf_line_ends(project_copy: Path) -> None:
    """The front matter starts on the file's line 2, whatever ends its lines."""
    text = "\ufeff" + VALID_ANNOTATION.replace("exact: 穿透性规则", "exact：穿透性规则").replace("\n", "\r\n")
    (project_copy / NOTE).write_bytes(text.encode("utf-8"))
    [problem] = [p for p in run_checks(project_copy) if p.file == NOTE]
    assert (problem.line, problem.key) == (EXACT, "exact") and "full-width colon" in problem.message


def test_a_full_width_colon_inside_a_value_is_no_slip(project_copy: Path) -> None:
    """Chinese text holds full-width colons: only one right after a field name is a slip."""
    note("author: A Contributor", "author: 读者：张三")(project_copy)
    assert messages(project_copy, NOTE) == []


def test_a_slip_in_a_huge_value_is_found_at_once(project_copy: Path) -> None:
    """The lines around a syntax error are read with bounded patterns: a megabyte line costs nothing."""
    note("author: A Contributor", "author: 读者: " + "张" * 15_000)(project_copy)
    result = make_check(project_copy)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert f"{NOTE}:{AUTHOR}: author: the value holds ': '" in result.stderr


# -- what is not allowed says what is --------------------------------------------------------------------------

ALLOWED = [
    Attack(
        "annotation: a date in Chinese quotation marks",
        note("date: 2026-01-15", "date: “2026-01-15”"),
        Refused(
            NOTE,
            DATE,
            "'“2026-01-15”' does not have the expected form (When the annotation was written: "
            "YYYY-MM-DD.); the quotation marks “” are part of the value to YAML, not quotes: remove them",
            "date",
        ),
    ),
    Attack(
        "annotation: a type in Chinese",
        note("type: context", "type: 背景"),
        Refused(
            NOTE,
            TYPE,
            "'背景' is not a type of annotation; did you mean 'context'? Use one of: context, later-development, "
            "correction, translation",
            "type",
        ),
    ),
    Attack(
        "annotation: a type written as words",
        note("type: context", "type: Later development"),
        Refused(NOTE, TYPE, "did you mean 'later-development'? Use one of: context, later-development,", "type"),
    ),
    Attack(
        "annotation: a type like none",
        note("type: context", "type: opinion"),
        Refused(
            NOTE,
            TYPE,
            "'opinion' is not a type of annotation; use one of: context, later-development, correction, translation",
            "type",
        ),
    ),
    Attack(
        "annotation: a language by its name",
        note("language: zh-Hans", "language: Chinese"),
        Refused(
            NOTE,
            LANGUAGE,
            "'Chinese' is not a language tag; did you mean 'zh-Hans'? Write zh-Hans (Chinese, also for a body in "
            "Chinese and English) or en (English)",
            "language",
        ),
    ),
    Attack(
        "annotation: a language in Chinese",
        note("language: zh-Hans", "language: 英文"),
        Refused(NOTE, LANGUAGE, "'英文' is not a language tag; did you mean 'en'?", "language"),
    ),
    Attack(
        "annotation: a language tag with an underscore",
        note("language: zh-Hans", "language: zh_CN"),
        Refused(NOTE, LANGUAGE, "'zh_CN' is not a language tag; did you mean 'zh-CN'? Write zh-Hans", "language"),
    ),
]


@pytest.mark.parametrize("attack", ALLOWED, ids=str)
def test_a_value_not_allowed_says_what_is(project_copy: Path, attack: Attack) -> None:
    assert_refused(project_copy, attack)


def test_a_date_in_the_future_says_the_latest_allowed(project_copy: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1796083200")  # 2026-12-01
    note("date: 2026-01-15", "date: 2999-01-15")(project_copy)
    replace(TIMELINE, 'date: "2019"', 'date: "2999"')(project_copy)
    problems = list(map(str, run_checks(project_copy)))
    assert (
        f"{NOTE}:{DATE}: date: 2999-01-15 is after the build's reference date 2026-12-01; an annotation is "
        "dated when it is written, 2026-12-01 or earlier: check the year (or SOURCE_DATE_EPOCH)"
    ) in problems
    line = line_of(TIMELINE, 'date: "2999"')(project_copy)
    assert (
        f"{TIMELINE}:{line}: xi-trump-last-meeting-2019: date 2999 is after the build date 2026-12-01; the "
        "timeline lists events that have happened, 2026-12-01 or earlier: check the year (or SOURCE_DATE_EPOCH)"
    ) in problems


def test_the_other_front_matter_errors_shorten_the_value_and_keep_the_fields_hint(project_copy: Path) -> None:
    """A value is quoted shortened (a 5,000-character target was printed whole), and a required field is never
    told to be removed."""
    write(NOTE, VALID_ANNOTATION.replace("target: p1-3", "target: p1.3<script>" + "x" * 5_000))(project_copy)
    write("annotations/p1-3-blank.md", VALID_ANNOTATION.replace("author: A Contributor", 'author: "  "'))(project_copy)
    problems = {p.file: str(p) for p in run_checks(project_copy) if p.file.startswith("annotations/p1-3-")}
    assert problems[NOTE] == (
        f"{NOTE}:{TARGET}: target: 'p1.3<script>{'x' * 47}…' does not have the expected form (The paragraph's id, "
        "as shown beside it: p2-4 = chapter 2, paragraph 4.)"
    )
    assert problems["annotations/p1-3-blank.md"] == (
        f"annotations/p1-3-blank.md:{AUTHOR}: author: is blank; write the text; A name or a handle."
    )
