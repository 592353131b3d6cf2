"""The glossary reviewed as data: its pinyin against pypinyin, the paragraphs its "Used in" leaves out, the facts it
shares with the timeline, and its terms found by pinyin typed without tones."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from conftest import ROOT, Site
from edition.book import check
from edition.paths import GLOSSARY, TRANSLATION
from edition.reference.glossary import Glossary, load_glossary, mark_terms
from edition.reference.pinyin import PinyinException, check_pinyin, han_runs, pypinyin_reading, search_forms
from edition.reference.pinyin_readings import READINGS

if TYPE_CHECKING:
    from playwright.sync_api import Browser


def replace_in(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    path.write_text(text.replace(old, new), encoding="utf-8")


def line_with(path: Path, text: str) -> int:
    return next(i for i, line in enumerate(path.read_text(encoding="utf-8").split("\n"), 1) if text in line)


def problems_of(project: Path) -> list[str]:
    return [str(p) for p in check(project)]


# -- pinyin against pypinyin -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "zh, pinyin",
    [
        ("美国中期选举", "Měiguó zhōngqī xuǎnjǔ"),  # 中期 zhōngqī, not qīzhōng
        ("鲁比奥", "Lǔbǐ'ào"),  # the apostrophe and capitals are word division, not reading
        ("301调查", "sān-líng-yī diàochá"),  # a number read digit by digit …
        ("50%穿透性规则", "bǎi fēn zhī wǔshí chuāntòuxìng guīzé"),  # … or as a number, percent first
        ("H200芯片", "H200 xīnpiàn"),  # Latin letters as written
        ("敢于斗争，善于斗争", "gǎnyú dòuzhēng, shànyú dòuzhēng"),  # punctuation is not read
    ],
)
def test_pinyin_that_reads_the_term_is_accepted(zh: str, pinyin: str) -> None:
    assert check_pinyin(zh, pinyin, []) == (None, set())


@pytest.mark.parametrize(
    "zh, pinyin, message",
    [
        ("美国中期选举", "Měiguó qīzhōng xuǎnjǔ", "the syllable differs at 中 (character 3 of 美国中期选举)"),
        ("对等关税", "duìděng guānshuí", "the tone differs at 税 (character 4 of 对等关税): pypinyin reads shuì"),
        ("对等关税", "duìděng guān", "the syllable differs at 税"),
        ("对等关税", "duìděng guānshuì zhèngcè", "the pinyin goes on after the last character of 对等关税"),
        ("301调查", "sān-líng diàochá", "'301' in the term reads sānlíngyī"),
    ],
)
def test_pinyin_that_differs_from_pypinyin_names_the_character(zh: str, pinyin: str, message: str) -> None:
    found, _ = check_pinyin(zh, pinyin, [])
    assert found is not None and message in found


def test_a_reviewed_exception_accepts_its_reading_and_no_other() -> None:
    yi = PinyinException("一", "yī", "the orthography marks the syllable's own tone")
    assert check_pinyin("一个中国原则", "yī gè Zhōngguó yuánzé", [yi]) == (None, {0})
    found, used = check_pinyin("一个中国原则", "yì gè Zhōngguó yuánzé", [yi])
    assert found is not None and "the tone differs at 一" in found and used == set()


def test_the_readings_kept_for_the_glossary_are_pypinyins() -> None:
    # edition/reference/pinyin_readings.py spares the build pypinyin's import; a reading it kept that pypinyin no
    # longer gives (a new pypinyin) would let through pinyin that pypinyin would refuse.
    stale = {run: kept for run, kept in READINGS.items() if kept != pypinyin_reading(run)}
    assert not stale, f"{stale}: run python -m edition.reference.pinyin to write the table again"
    assert all(len(kept) == len(run) for run, kept in READINGS.items())


def test_a_term_not_in_the_kept_readings_is_read_by_pypinyin() -> None:
    # A term added since the table was written is checked all the same: pypinyin reads it.
    assert "北京大学" not in READINGS
    assert check_pinyin("北京大学", "Běijīng Dàxué", []) == (None, set())
    found, _ = check_pinyin("北京大学", "Běijìng Dàxué", [])
    assert found is not None and "the tone differs at 京 (character 2 of 北京大学): pypinyin reads jīng" in found


def test_the_readings_table_is_written_for_the_glossarys_terms() -> None:
    # What `python -m edition.reference.pinyin` writes: each run of the terms' characters once, read by pypinyin.
    runs = han_runs(["美国中期选举", "301调查", "敢于斗争，善于斗争", "H200"])
    assert runs == ["善于斗争", "敢于斗争", "美国中期选举", "调查"]


def test_search_forms_are_the_pinyin_as_typed_without_tones() -> None:
    assert search_forms("Shítǐ Qīngdān") == ["shiti qingdan", "shitiqingdan"]
    assert search_forms("Lǔbǐ'ào") == ["lubiao"]
    assert "guofang zhanlue" in " ".join(search_forms("Guófáng Zhànlüè"))
    assert "guofangzhanlve" in search_forms("Guófáng Zhànlüè")


def test_a_wrong_pinyin_in_the_glossary_stops_the_check_on_its_line(project_copy: Path) -> None:
    path = project_copy / GLOSSARY
    replace_in(path, "pinyin: Měiguó zhōngqī xuǎnjǔ", "pinyin: Měiguó qīzhōng xuǎnjǔ")
    line = line_with(path, "qīzhōng")
    assert any(
        p.startswith(f"data/glossary.yml:{line}: us-midterm-elections: the syllable differs at 中")
        for p in problems_of(project_copy)
    )


def test_an_exception_that_accepts_nothing_is_reported(project_copy: Path) -> None:
    path = project_copy / GLOSSARY
    replace_in(
        path,
        "  pinyin: Dǒng Jūn\n",
        "  pinyin: Dǒng Jūn\n  pinyin_exceptions:\n    - hanzi: 军\n      reading: jūn\n      reason: A name.\n",
    )
    line = line_with(path, "- hanzi: 军")
    expected = (
        f"data/glossary.yml:{line}: dong-jun: the pinyin exception for 军 (jūn) accepts nothing: "
        "pypinyin's reading of 军 is the pinyin's; remove it"
    )
    assert [p for p in problems_of(project_copy) if p.startswith(f"data/glossary.yml:{line}:")] == [expected]


def test_without_its_exception_the_sandhi_reading_is_reported(project_copy: Path) -> None:
    path = project_copy / GLOSSARY
    text = path.read_text(encoding="utf-8")
    start = text.index("  pinyin_exceptions:\n    - hanzi: 一")
    end = text.index("\n", text.index("      reason:", start)) + 1
    path.write_text(text[:start] + text[end:], encoding="utf-8")
    assert any(
        "one-china-principle: the tone differs at 一 (character 1 of 一个中国原则): pypinyin reads yí" in p
        for p in problems_of(project_copy)
    )


@pytest.mark.parametrize(
    "exception, message",
    [
        ("{hanzi: 军, reading: jūn, reason: ''}", "pinyin_exceptions.0.reason: is empty"),
        (
            "{hanzi: 董军, reading: jūn, reason: A name.}",
            "pinyin_exceptions.0.hanzi: '董军' does not have the expected form",
        ),
        ("{hanzi: 军, reading: jūn}", "pinyin_exceptions.0: required field 'reason' is missing"),
    ],
)
def test_a_malformed_exception_is_refused_by_the_schema(project_copy: Path, exception: str, message: str) -> None:
    path = project_copy / GLOSSARY
    replace_in(path, "  pinyin: Dǒng Jūn\n", f"  pinyin: Dǒng Jūn\n  pinyin_exceptions: [{exception}]\n")
    line = line_with(path, "pinyin_exceptions:")
    found = [p for p in problems_of(project_copy) if p.startswith(f"data/glossary.yml:{line}: dong-jun:")]
    assert any(message in p for p in found), problems_of(project_copy)


# -- occurrences that name something else --------------------------------------------------------


def test_the_countermeasure_paragraph_is_not_listed_under_the_us_entity_list(site: Site) -> None:
    entry = site.page("glossary/").select_one("#entity-list")
    used = [a["href"] for a in entry.select(".edition-used-in a")]
    assert used and not any(href.endswith("#p1-3") for href in used), used
    # The other paragraphs that name the US list still are.
    assert any(href.endswith("#p1-2") for href in used) and any(href.endswith("#p4-5") for href in used), used


def excluding(path: Path, paragraph: str, reason: str = "Something else.") -> None:
    replace_in(
        path,
        "  pinyin: Dǒng Jūn\n",
        f"  pinyin: Dǒng Jūn\n  not_used_in:\n    - paragraph: {paragraph}\n      reason: {reason}\n",
    )


@pytest.mark.parametrize(
    "paragraph, message",
    [
        ("p2-44", "not_used_in: no paragraph of the article has the id 'p2-44'"),
        ("p1-1", "not_used_in: paragraph p1-1 does not name 董军, so the exclusion excludes nothing"),
    ],
)
def test_an_exclusion_must_exclude_an_occurrence(project_copy: Path, paragraph: str, message: str) -> None:
    path = project_copy / GLOSSARY
    excluding(path, paragraph)
    line = line_with(path, f"- paragraph: {paragraph}")
    assert any(p.startswith(f"data/glossary.yml:{line}: dong-jun: {message}") for p in problems_of(project_copy))


def test_an_exclusion_needs_a_reason(project_copy: Path) -> None:
    path = project_copy / GLOSSARY
    excluding(path, "p2-3", reason="''")
    line = line_with(path, "reason: ''")
    assert (
        f"data/glossary.yml:{line}: dong-jun: not_used_in.0.reason: is empty; write the text, or remove the field"
        in (problems_of(project_copy))
    )


def test_an_excluded_paragraph_gets_no_tooltip_and_the_next_occurrence_does() -> None:
    glossary = load_glossary(ROOT / GLOSSARY, GLOSSARY.as_posix())
    markdown = "美方扩大实体清单。\n{#p1-2}\n\n中方实体清单扩容。\n{#p1-3}\n\n缩短对华实体清单。\n{#p4-5}\n"
    marked = mark_terms(markdown, _only(glossary, "entity-list"), "../glossary/")
    paragraphs = marked.split("\n\n")
    assert "edition-term" in paragraphs[0] and "edition-term" not in paragraphs[1]
    starting_at_p1_3 = mark_terms("\n\n".join(markdown.split("\n\n")[1:]), _only(glossary, "entity-list"), "x/")
    assert starting_at_p1_3.split("\n\n")[0].count("edition-term") == 0
    assert "edition-term" in starting_at_p1_3.split("\n\n")[1]


def _only(glossary: Glossary, ident: str) -> Glossary:
    return Glossary(glossary.path, [glossary.by_id[ident]])


def test_the_translation_need_not_call_china_s_own_listings_the_entity_list(project_copy: Path) -> None:
    """In p1-3 实体清单 is China's own list: the English may call it what it is; elsewhere the US list keeps
    its name."""
    chapter = project_copy / TRANSLATION / "chapter-1.md"
    replace_in(chapter, "the expansion of its entity list", "the enlargement of its own export-control listings")
    assert problems_of(project_copy) == []
    glossary = project_copy / GLOSSARY
    text = glossary.read_text(encoding="utf-8")
    start = text.index("  not_used_in:\n    - paragraph: p1-3")
    end = text.index("\n", text.index("      reason:", start)) + 1
    glossary.write_text(text[:start] + text[end:], encoding="utf-8")
    assert any("p1-3: the Chinese names 实体清单 (entity-list)" in p for p in problems_of(project_copy))


# -- pinyin search ---------------------------------------------------------------------------------


def test_each_entry_carries_its_toneless_pinyin_hidden_from_the_page(site: Site) -> None:
    entry = site.page("glossary/").select_one("#marco-rubio")
    hidden = entry.select_one(".edition-glossary-search-pinyin")
    assert hidden is not None and hidden.has_attr("hidden") and hidden.get_text().split() == ["lubiao"]


# Typed as a reader would, without tones: (query, the Chinese term whose entry must be among the results).
PINYIN_QUERIES = [("xitu", "稀土全链条管控"), ("shiti qingdan", "实体清单"), ("lubiao", "鲁比奥")]


@pytest.mark.browser
@pytest.mark.parametrize("query, term", PINYIN_QUERIES)
def test_search_by_pinyin_without_tones_finds_the_glossary_entry(
    browser: Browser, site_url: str, query: str, term: str
) -> None:
    from browsing import visit

    with visit(browser, site_url) as v:
        page = v.page
        page.wait_for_load_state("networkidle")
        page.click("input.md-search__input")
        page.keyboard.type(query)
        page.wait_for_selector(".md-search-result__item", timeout=10_000)
        # Each result links to a section of a page; a page's further sections are folded under it.
        links = page.locator(".md-search-result__item a")
        results = [
            ((links.nth(i).text_content() or "").replace("\u200b", ""), links.nth(i).get_attribute("href") or "")
            for i in range(links.count())
        ]
    hits = [href for text, href in results if term in text and "/glossary/" in href]
    assert hits, f"{query}: no glossary result shows {term}: {[text[:80] for text, _ in results]}"
    # The result leads to the entry itself (each entry is its own search result: edition/site/search_sections.py).
    with visit(browser, hits[0]) as v:
        anchor = v.page.url.split("#")[1].split("?")[0] if "#" in v.page.url else ""
        terms = v.page.locator(f"[id='{anchor}'] .edition-glossary-zh").all_text_contents()
    assert term in terms, f"{query}: {hits[0]} does not lead to the entry {term}: {terms}"


# -- facts the glossary shares with the timeline --------------------------------------------------


def test_english_days_take_their_year_from_the_text_before_them() -> None:
    from edition.reference.glossary_timeline import chinese_days, english_days

    english = "In April 2025 China acted, and on October 9 again; the talks of October 30, 2025, followed."
    assert [str(d) for d in english_days(english)] == ["2025-10-09", "2025-10-30"]
    assert [str(d) for d in chinese_days("2025年4月中方出手，10月9日再出手；2025年10月30日会晤。")] == [
        "2025-10-09",
        "2025-10-30",
    ]


def test_a_day_in_a_definition_must_be_the_day_of_a_timeline_event_naming_it(project_copy: Path) -> None:
    path = project_copy / GLOSSARY
    replace_in(path, "韩国城市。2025年10月30日中美元首在此会晤。", "韩国城市。2025年10月31日中美元首在此会晤。")
    replace_in(path, "presidents met on October 30, 2025.", "presidents met on October 31, 2025.")
    line = line_with(path, "韩国城市。2025年10月31日")
    found = [p for p in problems_of(project_copy) if p.startswith(f"data/glossary.yml:{line}: busan:")]
    assert len(found) == 1, problems_of(project_copy)
    assert "definition_zh gives 2025-10-31, but no event of data/timeline.yml on that day names 釜山" in found[0]
    assert "busan-summit-2025-10-30 on 2025-10-30" in found[0]  # the event that does, and its day


def test_the_english_definition_gives_the_days_of_the_chinese(project_copy: Path) -> None:
    path = project_copy / GLOSSARY
    replace_in(path, "presidents met on October 30, 2025.", "presidents met on 30 October 2025.")
    line = line_with(path, "presidents met on 30 October 2025.")
    assert (
        f"data/glossary.yml:{line}: busan: definition_en gives the days none, definition_zh 2025-10-30; the two "
        "definitions state the same facts (English dates in American order: October 30, 2025)"
    ) in problems_of(project_copy)


def test_an_outside_fact_is_marked_in_both_languages(project_copy: Path) -> None:
    timeline = project_copy / "data" / "timeline.yml"
    replace_in(timeline, "文外资料：调查于2025年2月4日宣布。", "调查于2025年2月4日宣布。")
    glossary = project_copy / GLOSSARY
    replace_in(
        glossary,
        "presidents met on October 30, 2025.",
        "presidents met on October 30, 2025. Outside the article, it is a port city.",
    )
    problems = problems_of(project_copy)
    google = line_with(timeline, "Outside the article, the investigation was announced")
    busan = line_with(glossary, "it is a port city")
    assert (
        f"data/timeline.yml:{google}: china-google-antitrust-probe-2025: note_zh marks 0 fact(s) from outside the "
        "article ('文外资料：'), note_en 1 ('Outside the article, …'); mark each such fact in both languages, or give "
        "it in neither"
    ) in problems
    assert any(p.startswith(f"data/glossary.yml:{busan}: busan: definition_zh marks 0 fact(s)") for p in problems)


def test_a_term_of_thousands_of_digits_is_read_not_refused_with_a_traceback() -> None:
    found, _ = check_pinyin("1" * 5000 + "年", "yī nián", [])
    assert found is not None and "reads yīyī" in found and len(found) < 200
