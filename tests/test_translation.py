"""The English translation held to the Chinese: each rule refuses its planted error at the English file's line."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest

from attacks import Attack, Refused, append, assert_refused, line_of, replace, run_checks
from conftest import ROOT
from edition.text.markdown_html import may_hold_address
from edition.translation.english import _renders, chinese_dates, chinese_numbers, english_numbers

CH1 = "translation/en/chapter-1.md"
CH2 = "translation/en/chapter-2.md"
CH3 = "translation/en/chapter-3.md"
INDEX = "translation/en/index.md"


def test_the_translation_passes_every_rule() -> None:
    assert [p for p in run_checks(ROOT) if p.file.startswith("translation/")] == []


@pytest.mark.parametrize(
    ("text", "numbers"),
    [
        ("宣布高达111亿美元的对台军售方案", {"11100000000": 1}),  # 亿 multiplied out: 11.1 billion
        ("贸易额达23.6万亿元，增长6.3%", {"23600000000000": 1, "6.3%": 1}),
        ("邀请5万名美国青少年", {"50000": 1}),
        ("2025年4月2日，美方加征34%的关税", {"34%": 1}),  # the date is the date rule's
    ],
)
def test_chinese_numbers_are_read_with_their_units(text: str, numbers: dict[str, int]) -> None:
    assert dict(chinese_numbers(text)) == numbers


def test_english_numbers_are_read_with_their_scale_words_and_thousands_commas() -> None:
    found = english_numbers("US$11.1 billion, 23.6 trillion yuan, 50,000 young people, up 6.3% on April 2, 2025")
    assert dict(found) == {"11100000000": 1, "23600000000000": 1, "50000": 1, "6.3%": 1}


def test_chinese_dates_are_expected_at_their_precision_in_american_order() -> None:
    assert dict(chinese_dates("2025年4月2日，美方宣布。9月29日出台。2—3月，美方两次加征关税。2026年1月撤销。")) == {
        "April 2, 2025": 1,
        "September 29": 1,
        "February": 1,
        "March": 1,
        "January 2026": 1,
    }


@pytest.mark.parametrize(
    ("english", "rendering", "found"),
    [
        ("the so-called 10% “fentanyl tariff”", "fentanyl tariffs", True),  # the singular of a plural rendering
        ("The Reciprocal Tariffs", "reciprocal tariffs", True),  # case does not matter
        ("China–US relations", "China-US relations", True),  # nor the dash
        ("Trump's team", "Trump", True),
        ("the Lutnick-led team", "Bessent", False),
        ("anti-reciprocal", "reciprocal", True),
        ("unreciprocal", "reciprocal", False),  # not inside another word
        ("unreciprocal, then reciprocal", "reciprocal", True),  # a later whole-word use still counts
    ],
)
def test_a_rendering_is_found_whatever_its_case_number_quotes_or_dashes(
    english: str, rendering: str, found: bool
) -> None:
    assert _renders(english, rendering) is found


def block_start(name: str, ident: str, occurrence: int = 1) -> Callable[[Path], int]:
    """Where: the first line of the English block ``ident`` (the line its problems are reported at)."""

    def where(project: Path) -> int:
        lines = (project / name).read_text(encoding="utf-8").split("\n")
        ends = [i for i, line in enumerate(lines) if line.startswith(f"{{#{ident} status=")]
        end = ends[occurrence - 1]
        start = end
        while start > 0 and lines[start - 1].strip():
            start -= 1
        return start + 1

    return where


def retag(name: str, ident: str, new: str) -> Callable[[Path], None]:
    """Plant: the id line of block ``ident`` replaced by ``new``, whatever the block's status is now."""

    def plant(project: Path) -> None:
        path = project / name
        id_line = rf"^\{{#{re.escape(ident)} status=[a-z]+\}}$"
        text, count = re.subn(id_line, new, path.read_text(encoding="utf-8"), count=1, flags=re.MULTILINE)
        assert count == 1, f"no id line for {ident} in {name}"
        path.write_text(text, encoding="utf-8")

    return plant


def front_matter(name: str, fields: str, *, reviewed: str | None = None) -> Callable[[Path], None]:
    """Plant: the page's front matter replaced by ``fields`` (its page: line kept); ``reviewed`` marks that block
    status=reviewed, so the planted error is there whatever the statuses of the real translation are."""

    def plant(project: Path) -> None:
        path = project / name
        text = path.read_text(encoding="utf-8")
        end = text.index("\n---\n", 4)
        page = next(line for line in text[:end].split("\n") if line.startswith("page:"))
        path.write_text(f"---\n{page}\n{fields}{text[end + 1 :]}", encoding="utf-8")
        if reviewed is not None:
            retag(name, reviewed, f"{{#{reviewed} status=reviewed}}")(project)

    return plant


TRANSLATOR = "translator: 本版编者 · the edition's editors\n"

ATTACKS = [
    Attack(
        "a glossary term rendered otherwise",
        replace(CH2, "Rubio", "the Secretary of State", 10),
        Refused(
            CH2,
            block_start(CH2, "p2-1"),
            "the Chinese names 鲁比奥 (marco-rubio) but the English has none of 'Marco Rubio', 'Rubio'",
            "p2-1",
        ),
    ),
    Attack(
        "a paragraph left out",
        retag(CH1, "p1-4", "{#p1-4-gone status=draft}"),
        Refused(CH1, None, "this block of the Chinese page has no English", "p1-4"),
    ),
    Attack(
        "a block translated twice",
        retag(CH1, "p1-5", "{#p1-4 status=draft}"),
        Refused(CH1, block_start(CH1, "p1-4", occurrence=2), "translated twice", "p1-4"),
    ),
    Attack(
        "a block with no status",
        retag(CH1, "p1-1", "{#p1-1}"),
        Refused(CH1, None, "the id line must say the block's status", "p1-1"),
    ),
    Attack(
        "a status that is neither draft nor reviewed",
        retag(CH1, "p1-1", "{#p1-1 status=done}"),
        Refused(CH1, None, "status=reviewed", "p1-1"),
    ),
    Attack(
        "a block without an id",
        append(CH1, "\nA sentence the Chinese does not have.\n"),
        Refused(CH1, line_of(CH1, "A sentence the Chinese does not have."), "a block without an id"),
    ),
    Attack(
        "no translator",
        replace(CH1, "translator: ", "translated-by: "),
        Refused(CH1, 1, "the front matter must name the translator", "translator"),
    ),
    Attack(
        "a block marked reviewed on a page that names no reviewer",
        front_matter(CH2, TRANSLATOR, reviewed="p2-3"),
        Refused(CH2, block_start(CH2, "p2-3"), "status=reviewed, but the front matter names no reviewer", "p2-3"),
    ),
    Attack(
        "the translator named as the page's reviewer",
        front_matter(CH2, TRANSLATOR + "reviewer: 本版编者 · The Edition's Editors\n", reviewed="p2-3"),
        Refused(CH2, 4, "the reviewer is the translator; a review is a second person's reading", "reviewer"),
    ),
    Attack(
        "a misspelt reviewer field, which would leave the reviewed blocks without one",
        front_matter(CH2, TRANSLATOR + "reviewed-by: 本版编者（二审）· the edition's editors (second reading)\n"),
        Refused(CH2, 4, "unknown field 'reviewed-by'; did you mean 'reviewer'?", "reviewed-by"),
    ),
    Attack(
        "a reviewer that is not text",
        front_matter(CH2, TRANSLATOR + "reviewer: [a, b]\n"),
        Refused(CH2, 4, "a list where text is expected", "reviewer"),
    ),
    Attack(
        "a YAML anchor in the front matter",
        front_matter(CH2, "translator: &who 本版编者 · the edition's editors\nreviewer: *who\n"),
        Refused(CH2, 3, "anchor", None),
    ),
    Attack(
        "a note call dropped",
        replace(CH1, "[^fengpei]", "", 1),
        Refused(CH1, block_start(CH1, "p1-2"), "calls the notes none where the Chinese calls ['fengpei']", "p1-2"),
    ),
    Attack(
        "a citation key swapped",
        replace(
            CH3,
            "[@govcn-trade-2026-01-15; @govcn-trade-2026-01-17]",
            "[@govcn-trade-2026-01-17; @govcn-trade-2026-01-15]",
        ),
        Refused(CH3, block_start(CH3, "p3-4"), "keep every citation, with its key, in order", "p3-4"),
    ),
    Attack(
        "亿 read as million",
        replace("translation/en/chapter-1.md", "11.1 billion", "11.1 million"),
        Refused(CH1, block_start(CH1, "p1-5"), "the Chinese has 11,100,000,000", "p1-5"),
    ),
    Attack(
        "a percentage dropped",
        replace(CH3, "up 6.3%", "up 6.3"),
        Refused(CH3, block_start(CH3, "p3-4"), "the Chinese has 6.3%", "p3-4"),
    ),
    Attack(
        "a day of the month changed",
        replace(CH1, "April 2,", "April 3,"),
        Refused(CH1, block_start(CH1, "p1-2"), "the Chinese dates something 'April 2'", "p1-2"),
    ),
    Attack(
        "a Chinese word left in the English",
        replace(CH1, "three stages", "three 阶段", 1),
        Refused(CH1, block_start(CH1, "p1-1"), "Chinese text '阶' in the English", "p1-1"),
    ),
    Attack(
        "a quotation never closed",
        replace(INDEX, "**Abstract:**", "**Abstract:** “"),
        Refused(INDEX, block_start(INDEX, "abstract"), "the quotation marks “ ” do not pair up", "abstract"),
    ),
    Attack(
        "a script in the English",
        replace(CH1, "three stages", "three <script>alert(1)</script> stages", 1),
        Refused(CH1, block_start(CH1, "p1-1"), "raw HTML '<script>' in the English", "p1-1"),
    ),
    Attack(
        "an image with an event handler in a note",
        replace(CH1, "On April 8, 2025,", 'On April 8, 2025, <img src=x onerror="alert(1)">', 1),
        Refused(CH1, line_of(CH1, "[^fengpei]:"), "raw HTML '<img src=x", "fengpei"),
    ),
    Attack(
        "a javascript: link",
        replace(CH1, "three stages", "three [stages](javascript:alert(1))", 1),
        Refused(CH1, block_start(CH1, "p1-1"), "link to 'javascript:alert(1)' refused", "p1-1"),
    ),
    Attack(
        "an address written out as words, which Markdown leaves as it is",
        replace(CH1, "three stages", 'three stages href="javascript:alert(1)"', 1),
        Refused(CH1, block_start(CH1, "p1-1"), "link to 'javascript:alert(1)' refused", "p1-1"),
    ),
    # A citation block or a note call is printed as text by Markdown, and the English is not rendered for them
    # alone (edition.text.markdown_html.may_hold_address); made part of a link or an image, it is rendered and refused.
    Attack(
        "a citation block made a javascript: link",
        replace(CH1, "@mofcom-statement-2025-04-08].", "@mofcom-statement-2025-04-08](javascript:alert(1)).", 1),
        Refused(CH1, line_of(CH1, "[^fengpei]:"), "link to 'javascript:alert(1)' refused", "fengpei"),
    ),
    Attack(
        "a note call made a javascript: link",
        replace(CH1, "“fight to the end.”[^fengpei]", "“fight to the end.”[^fengpei](javascript:alert(1))", 1),
        Refused(CH1, block_start(CH1, "p1-2"), "link to 'javascript:alert(1)' refused", "p1-2"),
    ),
    # A backslash-escaped ] inside a citation block or a note call ends neither for Markdown: the brackets run on to
    # the next ], and the link made of them is rendered (and must be read) though the block looks plain.
    Attack(
        "a citation block with an escaped ] made a javascript: link",
        replace(CH1, "@mofcom-statement-2025-04-08].", "@mofcom-statement-2025-04-08\\]](javascript:alert(1)).", 1),
        Refused(CH1, line_of(CH1, "[^fengpei]:"), "link to 'javascript:alert(1)' refused", "fengpei"),
    ),
    Attack(
        "a note call with an escaped ] made a javascript: link",
        replace(CH1, "“fight to the end.”[^fengpei]", "“fight to the end.”[^fengpei\\]](javascript:alert(1))", 1),
        Refused(CH1, block_start(CH1, "p1-2"), "link to 'javascript:alert(1)' refused", "p1-2"),
    ),
    Attack(
        "a citation block made an image from another host",
        replace(
            CH1,
            " [@mfa-presser-2025-04-08; @mofcom-statement-2025-04-08].",
            " ![@mfa-presser-2025-04-08; @mofcom-statement-2025-04-08](https://example.org/x.png).",
        ),
        Refused(CH1, line_of(CH1, "[^fengpei]:"), "an image in the English", "fengpei"),
    ),
    Attack(
        "a link to another page, which the translation cannot resolve",
        replace(CH1, "three stages", "three [stages](chapter-2.md)", 1),
        Refused(CH1, block_start(CH1, "p1-1"), "link to 'chapter-2.md' refused", "p1-1"),
    ),
    Attack(
        "an image from another host",
        replace(CH1, "three stages", "three stages ![x](https://example.org/x.png)", 1),
        Refused(CH1, block_start(CH1, "p1-1"), "an image in the English", "p1-1"),
    ),
    Attack(
        "an attribute list giving the English paragraph a handler",
        replace(CH1, "closely interlinked.", 'closely interlinked.\n{: onclick="alert(1)" }', 1),
        Refused(CH1, block_start(CH1, "p1-1"), "braces { … } in the English", "p1-1"),
    ),
    Attack(
        "an autolink, which is raw HTML to Markdown",
        replace(CH1, "three stages", "three stages <https://example.org>", 1),
        Refused(CH1, block_start(CH1, "p1-1"), "raw HTML '<https://example.org", "p1-1"),
    ),
    Attack(
        "a rule and an attribute list that hand another paragraph's English to this one",
        replace(CH1, "closely interlinked.", "closely interlinked.\n***\nINJECTED\n{ data-en=p1-1 }\n***\nTail.", 1),
        Refused(CH1, block_start(CH1, "p1-1"), "braces { … } in the English", "p1-1"),
    ),
    Attack(
        "a rule alone, which would cut the paragraph in two",
        replace(CH1, "closely interlinked.", "closely interlinked.\n***\nTail.", 1),
        Refused(CH1, block_start(CH1, "p1-1"), "'***' starts a heading, list, quotation, rule or code block", "p1-1"),
    ),
    Attack(
        "an attribute list without a colon giving an element a paragraph's id",
        replace(CH1, "closely interlinked.", "*closely*{ id=p1-3 } interlinked.", 1),
        Refused(CH1, block_start(CH1, "p1-1"), "braces { … } in the English", "p1-1"),
    ),
    Attack(
        "a link definition that another block's reference would use",
        replace(CH1, "closely interlinked.", "closely interlinked.\n[s]: //evil.example/", 1),
        Refused(CH1, block_start(CH1, "p1-1"), "a link definition [name]: address", "p1-1"),
    ),
    Attack(
        "an unclosed <sup> that would swallow the page's English",
        replace(CH1, "closely interlinked.", "closely interlinked. <sup>", 1),
        Refused(CH1, block_start(CH1, "p1-1"), "<sup> only in a title", "p1-1"),
    ),
    Attack(
        "an escaped note call, which would pass as a call and renumber the notes",
        replace(CH1, "[^fengpei]", "\\[^fengpei]", 1),
        Refused(CH1, block_start(CH1, "p1-2"), "an escaped or quoted note call", "p1-2"),
    ),
    Attack(
        "a quotation block inside a paragraph",
        replace(CH1, "closely interlinked.", "closely interlinked.\n> quoted", 1),
        Refused(CH1, block_start(CH1, "p1-1"), "'> quoted' starts a heading, list, quotation", "p1-1"),
    ),
    Attack(
        "a Chinese source cited in the English without its English title",
        replace("refs.bib", "  title-en     = {Wang Yi Meets US Secretary of State Rubio},\n", ""),
        Refused(
            "refs.bib",
            line_of("refs.bib", "@online{wang-yi-rubio-2025-07-11,"),
            "add title-en = {…}, the edition's English for its title",
            "wang-yi-rubio-2025-07-11",
        ),
    ),
    Attack(
        "an English page for no Chinese page",
        lambda p: (p / "translation/en/chapter-9.md").write_text(
            "---\npage: chapter-9.md\ntranslator: x\n---\n", encoding="utf-8"
        ),
        Refused("translation/en/chapter-9.md", None, "translates no page of the article"),
    ),
    Attack(
        "an English page missing",
        lambda p: (p / CH3).unlink(),
        Refused(CH3, None, "docs/chapter-3.md has no English translation"),
    ),
]


@pytest.mark.parametrize("attack", ATTACKS, ids=str)
def test_a_planted_error_in_the_translation_is_refused_at_its_line(project_copy: Path, attack: Attack) -> None:
    assert_refused(project_copy, attack)


@pytest.mark.parametrize(
    ("text", "rendered"),
    [
        ("Plain prose, a citation [@a; 参见 @b, 第3页] and a note call.[^n]", False),
        ("[@a](javascript:alert(1))", True),  # a citation block as a link's text
        ("![@a](https://example.org/x.png)", True),  # … as an image's
        ("[^n](javascript:alert(1))", True),  # a note call as a link's text
        ("[x][@a]", True),  # a reference link
        ("[@a]: https://example.org", True),  # a link definition
        ("[[@a]](https://example.org)", True),  # inside a link's text
        ("[@a\\]](javascript:alert(1))", True),  # an escaped ] does not close a citation block
        ("[^n\\]](javascript:alert(1))", True),  # … nor a note call
        ("[@a `]`](javascript:alert(1))", True),  # … nor a ] in a code span
        ("[@a <https://example.org>]", True),  # an autolink inside a citation block
        ("words [link](https://example.org)", True),
        ("<https://example.org>", True),
        ('prose href="javascript:alert(1)"', True),  # printed as it is, and read as an address
    ],
)
def test_a_text_is_rendered_to_be_checked_unless_markdown_could_make_no_address_of_it(
    text: str, rendered: bool
) -> None:
    assert may_hold_address(text) is rendered
