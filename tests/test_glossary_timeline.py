"""The glossary and the timeline: checked data, the two generated pages, their downloads, tooltips and search."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
import unicodedata
from pathlib import Path

import jieba
import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from conftest import ROOT, BuildFailed, Site, build_site
from edition.book import check
from edition.dates import build_time
from edition.paths import GLOSSARY, TIMELINE
from edition.reference.glossary import Glossary, TermMatcher, load_glossary, mark_terms
from edition.reference.timeline import written_dates
from edition.text.chapters import PageBlock
from site_pages import chinese_view

ARTICLE_URLS = ["", "chapter-1/", "chapter-2/", "chapter-3/", "chapter-4/"]


def line_with(path: Path, text: str, after: str | None = None) -> int:
    """1-based line of the first line containing ``text`` (after the line containing ``after``)."""
    lines = path.read_text(encoding="utf-8").split("\n")
    start = next(i for i, line in enumerate(lines) if after in line) if after else 0
    return next(i for i, line in enumerate(lines[start:], start) if text in line) + 1


def replace_in(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    path.write_text(text.replace(old, new), encoding="utf-8")


def problems_of(project: Path) -> list[str]:
    return [str(p) for p in check(project)]


@pytest.fixture(scope="module")
def glossary() -> Glossary:
    return load_glossary(ROOT / GLOSSARY, GLOSSARY.as_posix())


# -- the data as checked -------------------------------------------------------------------------


def test_the_data_files_pass_every_check_and_cover_the_article() -> None:
    assert check(ROOT) == []
    entries = yaml.safe_load((ROOT / GLOSSARY).read_text(encoding="utf-8"))
    events = yaml.safe_load((ROOT / TIMELINE).read_text(encoding="utf-8"))
    assert entries and events
    zh = {e["zh"] for e in entries}
    assert {"不可靠实体清单", "实体清单", "50%穿透性规则", "釜山共识", "不打不相识"} <= zh
    dates = {e["date"] for e in events}
    assert {"2025-09-29", "2025-10-09", "2025-10-30", "2026-02-04", "2026-03-08"} <= dates


@pytest.mark.parametrize(
    "text, expected",
    [
        # Real sentences of chapter 1: the longer term wins; the shorter never fires inside it.
        (
            "并将一些美国企业列入不可靠实体清单和出口管制管控清单等",
            ["unreliable-entity-list", "export-control-control-list"],
        ),
        ("美商务部则将54家中国科技企业和机构纳入所谓的“实体清单”", ["us-department-of-commerce", "entity-list"]),
        ("美商务部在9月29日出台所谓穿透性规则", ["us-department-of-commerce", "affiliates-rule"]),
        ("5月在日内瓦举行的首轮经贸谈判取得重要突破", ["geneva-talks"]),
    ],
)
def test_terms_match_longest_first_and_never_inside_a_longer_term(
    glossary: Glossary, text: str, expected: list[str]
) -> None:
    assert [m.entry for m in TermMatcher(glossary.entries).finditer(text)] == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        ("TikTok禁令", ["tiktok"]),  # at the start of the text
        ("美国TikTok。", ["tiktok"]),  # after Chinese, which is no Latin word
        ("TikToks", []),  # a Latin term is not the start of a longer Latin word
        ("xTikTok", []),  # nor its end
        ("1H200芯片", []),  # a digit before a term that starts with a letter joins the word too
        ("对H200芯片", ["h200-chip"]),
        ("A301调查", []),  # and a letter before one that starts with a digit
        ("第301调查", ["section-301-investigation"]),
        ("25年5万", []),
    ],
)
def test_a_latin_term_matches_only_as_a_whole_word(glossary: Glossary, text: str, expected: list[str]) -> None:
    """Tooltips and the checks find TikTok and H200芯片 as words, never as part of TikToks or 1H200 (the matcher's
    word test is made after a term's first character, so that its scan can skip places no term starts)."""
    assert [m.entry for m in TermMatcher(glossary.entries).finditer(text)] == expected


def test_tooltips_mark_the_first_occurrence_and_leave_links_notes_headings_and_words_alone(glossary: Glossary) -> None:
    markdown = (
        "## 实体清单\n\n"
        "见[实体清单](https://example.org/实体清单)与不可靠实体清单[^a]，又见实体清单与实体清单。\n{#p1-9}\n\n"
        "[^a]: 实体清单\n"
    )
    marked = mark_terms(markdown, glossary, "../glossary/")
    assert marked.startswith("## 实体清单\n\n见[实体清单](https://example.org/实体清单)与")
    assert marked.endswith("[^a]: 实体清单\n")
    assert marked.count('href="../glossary/#entity-list"') == 1
    assert marked.count('href="../glossary/#unreliable-entity-list"') == 1
    assert re.sub(r"<[^>]+>", "", marked) == markdown


# -- bad data stops the check with file, line and key ---------------------------------------------


def test_a_schema_error_names_the_file_line_and_entry(project_copy: Path) -> None:
    path = project_copy / GLOSSARY
    replace_in(
        path,
        "- id: dong-jun\n  zh: 董军\n  en: Dong Jun\n  en_basis: standard\n  pinyin: Dǒng Jūn\n  category: person",
        "- id: dong-jun\n  zh: 董军\n  en: Dong Jun\n  en_basis: standard\n  pinyin: Dǒng Jūn\n  category: people",
    )
    line = line_with(path, "category: people")
    assert (
        f"data/glossary.yml:{line}: dong-jun: category: 'people' is not one of: person, institution, place, "
        "policy-instrument, agreement-meeting, concept-slogan, publication" in problems_of(project_copy)
    )


def test_a_date_written_without_quotes_is_read_as_written(project_copy: Path) -> None:
    path = project_copy / TIMELINE
    replace_in(path, 'date: "2025-09-29"', "date: 2025-09-29")
    assert problems_of(project_copy) == []


def test_a_bare_year_or_impossible_date_is_reported_on_its_line(project_copy: Path) -> None:
    path = project_copy / TIMELINE
    replace_in(path, 'id: xi-trump-last-meeting-2019\n  date: "2019"', "id: xi-trump-last-meeting-2019\n  date: 2019")
    line = line_with(path, "date: 2019")
    assert any(
        p.startswith(
            f"data/timeline.yml:{line}: xi-trump-last-meeting-2019: date: 2019 is not text; put the "
            "value in double quotes"
        )
        for p in problems_of(project_copy)
    )
    replace_in(path, "date: 2019", 'date: "2019"')
    replace_in(path, 'date: "2025-09-29"', 'date: "2025-02-30"')
    line = line_with(path, 'date: "2025-02-30"')
    assert (
        f"data/timeline.yml:{line}: us-affiliates-rule-2025-09-29: '2025-02-30' is not a real calendar date"
        in problems_of(project_copy)
    )


def test_a_field_given_twice_is_reported(project_copy: Path) -> None:
    path = project_copy / GLOSSARY
    replace_in(path, "  zh: 董军\n", "  zh: 董军\n  zh: 董\n")
    line = line_with(path, "zh: 董军") + 1
    assert any(p.startswith(f"data/glossary.yml:{line}: zh: field given twice") for p in problems_of(project_copy))


def test_a_form_shared_by_two_entries_is_reported(project_copy: Path) -> None:
    path = project_copy / GLOSSARY
    replace_in(path, "aliases: [马德里经贸磋商, 马德里]", "aliases: [马德里经贸磋商, 马德里, 日内瓦]")
    first, later = line_with(path, "马德里经贸磋商"), line_with(path, "aliases:", after="id: geneva-talks")
    assert any(
        p.startswith(
            f"data/glossary.yml:{later}: geneva-talks: '日内瓦' is already a term or alias of "
            f"'madrid-talks' (line {first})"
        )
        for p in problems_of(project_copy)
    )


def test_a_term_not_in_the_article_needs_external(project_copy: Path) -> None:
    path = project_copy / GLOSSARY
    replace_in(path, "  zh: 董军\n", "  zh: 董军军\n")
    replace_in(path, "  pinyin: Dǒng Jūn\n", "  pinyin: Dǒng Jūnjūn\n")  # the pinyin reads the term
    line = line_with(path, "zh: 董军军")
    expected = f"data/glossary.yml:{line}: dong-jun: '董军军' does not occur in the article"
    assert any(p.startswith(expected) for p in problems_of(project_copy))
    replace_in(path, "  zh: 董军军\n", "  zh: 董军军\n  external: true\n")
    assert not any("董军军" in p for p in problems_of(project_copy))


def test_a_form_found_only_inside_a_longer_term_is_reported(project_copy: Path) -> None:
    path = project_copy / GLOSSARY
    replace_in(path, "aliases: [马德里经贸磋商, 马德里]", "aliases: [马德里经贸磋商, 马德里, 马德里谈判]")
    line = line_with(path, "马德里经贸磋商")
    assert any(
        p.startswith(
            f"data/glossary.yml:{line}: madrid-talks: '马德里谈判' occurs only inside longer terms (中美马德里谈判)"
        )
        for p in problems_of(project_copy)
    )


def test_related_ids_and_source_keys_must_exist(project_copy: Path) -> None:
    path = project_copy / GLOSSARY
    replace_in(
        path,
        "  related: [pete-hegseth]\n  sources: [dow-hegseth-dong-call-2025-09-10]",
        "  related: [pete-hegseth, pete-hegseth-2]\n  sources: [dow-hegseth-dong-call-2025-09-11]",
    )
    related = line_with(path, "pete-hegseth-2")
    problems = problems_of(project_copy)
    assert f"data/glossary.yml:{related}: dong-jun: related entry 'pete-hegseth-2' does not exist" in problems
    assert any(
        p.startswith(
            f"data/glossary.yml:{related + 1}: dong-jun: source 'dow-hegseth-dong-call-2025-09-11' is not in refs.bib"
        )
        for p in problems
    )


@pytest.mark.parametrize(
    "old, new, message",
    [
        ("pinyin: Dǒng Jūn", "pinyin: Dong Jun", "pinyin has 0 tone mark(s) for 2 characters"),
        ("pinyin: sān-líng-yī diàochá", "pinyin: 301 diàochá", "'301' in the pinyin: spell numbers in pinyin"),
    ],
)
def test_pinyin_needs_tone_marks_and_spelled_numbers(project_copy: Path, old: str, new: str, message: str) -> None:
    path = project_copy / GLOSSARY
    replace_in(path, old, new)
    line = line_with(path, new)
    assert any(p.startswith(f"data/glossary.yml:{line}:") and message in p for p in problems_of(project_copy))


def test_a_term_without_chinese_characters_takes_no_pinyin(project_copy: Path) -> None:
    path = project_copy / GLOSSARY
    replace_in(path, "  zh: TikTok\n", "  zh: TikTok\n  pinyin: TikTok\n")
    line = line_with(path, "pinyin: TikTok")
    assert any(
        p.startswith(f"data/glossary.yml:{line}: tiktok: the term has no Chinese characters")
        for p in problems_of(project_copy)
    )


def test_a_quotation_must_be_found_exactly_once(project_copy: Path) -> None:
    path = project_copy / TIMELINE
    replace_in(path, '- "对谷歌公司发起反垄断调查"', '- "对谷歌公司发起反托拉斯调查"')
    line = line_with(path, "反托拉斯")
    assert any(
        p.startswith(
            f"data/timeline.yml:{line}: china-google-antitrust-probe-2025: quotation "
            "«对谷歌公司发起反托拉斯调查» is not in any paragraph"
        )
        for p in problems_of(project_copy)
    )
    replace_in(path, '- "对谷歌公司发起反托拉斯调查"', '- "中美"')
    assert any(
        p.startswith(f"data/timeline.yml:{line}: china-google-antitrust-probe-2025: quotation «中美» occurs")
        and "quote more words" in p
        for p in problems_of(project_copy)
    )


def test_an_event_date_must_agree_with_the_text_and_the_sources(project_copy: Path) -> None:
    path = project_copy / TIMELINE
    replace_in(path, 'date: "2025-06-05"', 'date: "2025-07-05"')
    problems = problems_of(project_copy)
    mention = line_with(path, "2025年6月，习近平主席在与特朗普的通话中提出")
    source = line_with(path, "sources: [xi-trump-call-2025-06-05]")
    assert any(
        p.startswith(
            f"data/timeline.yml:{mention}: xi-trump-call-2025-06-05: date 2025-07-05 disagrees with "
            "chapter-2.md#p2-3: the text there says 2025-06"
        )
        for p in problems
    )
    assert any(
        p.startswith(
            f"data/timeline.yml:{source}: xi-trump-call-2025-06-05: source 'xi-trump-call-2025-06-05' "
            "is dated 2025-06-05, before the event"
        )
        for p in problems
    )


def test_a_source_from_a_later_month_needs_a_date_note(project_copy: Path) -> None:
    path = project_copy / TIMELINE
    replace_in(
        path,
        "  sources: [xi-trump-busan-2025-10-30]\n",
        "  sources: [xi-trump-busan-2025-10-30, xi-trump-call-2025-11-24]\n",
    )
    line = line_with(path, "sources: [xi-trump-busan-2025-10-30, xi-trump-call-2025-11-24]")
    expected = (
        f"data/timeline.yml:{line}: busan-summit-2025-10-30: source 'xi-trump-call-2025-11-24' is dated "
        "2025-11-24, after the event's month"
    )
    assert any(p.startswith(expected) for p in problems_of(project_copy))
    replace_in(
        path,
        "  sources: [xi-trump-busan-2025-10-30, xi-trump-call-2025-11-24]\n",
        "  sources: [xi-trump-busan-2025-10-30, xi-trump-call-2025-11-24]\n  date_note: 11月24日通话回顾了釜山会晤。\n",
    )
    assert not any("busan-summit-2025-10-30" in p for p in problems_of(project_copy))


def test_bad_data_stops_the_build_with_its_line(project_copy: Path, tmp_path: Path) -> None:
    path = project_copy / TIMELINE
    replace_in(
        path,
        '  category: leaders\n  phase: before\n  mentions:\n    - "与两人上一次见面时隔六年"',
        '  category: leaders\n  phase: phase-0\n  mentions:\n    - "与两人上一次见面时隔六年"',
    )
    line = line_with(path, "phase: phase-0")
    with pytest.raises(
        BuildFailed,
        match=rf"data/timeline.yml:{line}: xi-trump-last-meeting-2019: phase: 'phase-0' "
        r"is not one of: before, phase-1",
    ):
        build_site(project_copy, tmp_path / "site")


# -- the glossary page -----------------------------------------------------------------------------


def toneless(pinyin: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFD", pinyin.lower()) if c.isalnum())


def test_glossary_page_groups_by_category_and_orders_by_pinyin(site: Site) -> None:
    page = site.page("glossary/")
    sections = page.select("section.edition-glossary-category")
    assert [s.h2["id"] for s in sections] == [
        "category-person",
        "category-institution",
        "category-place",
        "category-policy-instrument",
        "category-agreement-meeting",
        "category-concept-slogan",
        "category-publication",
    ]
    for section in sections:
        keys = [
            toneless(
                e.select_one(".edition-glossary-pinyin").get_text()
                if e.select_one(".edition-glossary-pinyin")
                else e.select_one(".edition-glossary-zh").get_text()
            )
            for e in section.select(".edition-glossary-entry")
        ]
        assert keys == sorted(keys), section.h2["id"]
    people = [e.select_one(".edition-glossary-zh").get_text() for e in sections[0].select(".edition-glossary-entry")]
    assert people.index("拜登") < people.index("贝森特") < people.index("董军") < people.index("习近平")
    entries = yaml.safe_load((ROOT / GLOSSARY).read_text(encoding="utf-8"))
    assert sorted(e["id"] for e in page.select(".edition-glossary-entry")) == sorted(e["id"] for e in entries)


def test_glossary_entries_show_english_pinyin_basis_definitions_and_sources(site: Site) -> None:
    entry = site.page("glossary/").select_one("#dong-jun")
    assert entry.select_one("[lang=en].edition-glossary-en").get_text() == "Dong Jun"
    assert entry.select_one(".edition-glossary-pinyin").get_text() == "Dǒng Jūn"
    assert entry.select_one(".edition-glossary-basis").get_text() == "通行译名"
    assert entry.select_one("p[lang=zh-Hans]") and entry.select_one("p[lang=en]")
    assert entry.select_one("a[href='../references/#dow-hegseth-dong-call-2025-09-10']")
    assert entry.select_one(".edition-related a[href='#pete-hegseth']")
    assert site.page("glossary/").select_one("#joe-biden .edition-glossary-editorial")


def resolve(site: Site, page_url: str, href: str) -> bool:
    """Does a relative link from page_url land on an element with that id?"""
    path, _, anchor = href.partition("#")
    target = (site.root / page_url / path).resolve()
    html = (target / "index.html" if target.is_dir() else target).read_text(encoding="utf-8")
    return not anchor or f'id="{anchor}"' in html


def test_glossary_where_used_links_land_on_the_paragraphs_that_use_the_term(site: Site) -> None:
    page = site.page("glossary/")
    links = page.select(".edition-used-in a")
    assert links
    assert all(resolve(site, "glossary/", str(a["href"])) for a in links)
    entity = [a["href"] for a in page.select("#entity-list .edition-used-in a")]
    unreliable = [a["href"] for a in page.select("#unreliable-entity-list .edition-used-in a")]
    assert "../chapter-1/#p1-2" in unreliable
    # Every paragraph listed for 实体清单 has it outside 不可靠实体清单.
    for href in entity:
        path, _, ident = href.partition("#")
        text = site.page(path.removeprefix("../")).select_one(f"#{ident}").get_text()
        assert "实体清单" in text.replace("不可靠实体清单", ""), href


def test_glossary_downloads_parse_as_csv_for_excel_and_json(site: Site) -> None:
    raw = (site.root / "glossary.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    entries = yaml.safe_load((ROOT / GLOSSARY).read_text(encoding="utf-8"))
    assert sorted(row["id"] for row in rows) == sorted(e["id"] for e in entries)
    biden = next(row for row in rows if row["id"] == "joe-biden")
    assert biden["zh"] == "拜登" and biden["en"] == "Joe Biden"
    data = json.loads((site.root / "glossary.json").read_text(encoding="utf-8"))
    assert [row["id"] for row in data] == [row["id"] for row in rows]
    unreliable = next(row for row in data if row["id"] == "unreliable-entity-list")
    assert "chapter-1/#p1-2" in unreliable["used_in"]
    page = site.page("glossary/")
    assert page.select_one("a[href='../glossary.csv']") and page.select_one("a[href='../glossary.json']")


def test_glossary_filter_is_hidden_until_the_script_shows_it(site: Site) -> None:
    page = site.page("glossary/")
    box = page.select_one(".edition-glossary .edition-filter")
    assert box.has_attr("hidden") and box.select_one("input[type=search]")
    assert page.select_one("script[src$='javascripts/glossary-filter.js']")
    # What the filter reads of each entry (glossary-filter.js): its Chinese, English and pinyin in their elements.
    for entry in page.select(".edition-glossary-entry"):
        assert entry.select_one(".edition-glossary-zh") and entry.select_one(".edition-glossary-en"), entry["id"]


# -- the timeline page -----------------------------------------------------------------------------


def test_timeline_is_grouped_by_year_and_month_in_date_order(site: Site) -> None:
    page = site.page("timeline/")
    years = [int(str(s.h2.time["datetime"])) for s in page.select("section.edition-timeline-year")]
    events = yaml.safe_load((ROOT / TIMELINE).read_text(encoding="utf-8"))
    assert years == sorted({int(str(e["date"])[:4]) for e in events})
    starts = [str(li.select_one(".edition-event-date time")["datetime"]) for li in page.select("li.edition-event")]
    assert sorted(li["id"] for li in page.select("li.edition-event")) == sorted(e["id"] for e in events)
    key = [(int(s[:4]), int(s[5:7] or 0), int(s[8:10] or 0)) for s in starts]
    assert key == sorted(key)
    for li in page.select("li.edition-event"):
        month = str(li.find_parent("ol").find_previous_sibling("h3").time["datetime"])
        assert li.select_one("time")["datetime"].startswith(month), li["id"]
    for stamp in [str(t["datetime"]) for t in page.select("time")]:
        assert re.fullmatch(r"\d{4}(-\d{2}(-\d{2})?)?", stamp)


def test_timeline_events_show_phase_category_paragraphs_and_sources(site: Site) -> None:
    page = site.page("timeline/")
    busan = page.select_one("#busan-summit-2025-10-30")
    assert busan["data-phase"] == "phase-3" and "脆弱的稳定" in busan.select_one(".edition-event-phase").get_text()
    assert busan.select_one("time[datetime='2025-10-30']").get_text() == "2025年10月30日"
    assert busan.select_one("a[href='../references/#xi-trump-busan-2025-10-30']")
    assert {li["data-phase"] for li in page.select("li.edition-event")} == {
        "before",
        "phase-1",
        "phase-2",
        "phase-3",
        "after",
    }
    legend = page.select_one(".edition-phase-legend").get_text()
    assert all(name in legend for name in ("不打不相识", "打打谈谈", "脆弱的稳定"))
    fentanyl = page.select_one("#us-fentanyl-tariffs-2025")
    assert [t["datetime"] for t in fentanyl.select(".edition-event-date time")] == ["2025-02", "2025-03"]
    links = page.select(".edition-event .edition-used-in a")
    assert len(links) >= len(page.select("li.edition-event")) and all(
        resolve(site, "timeline/", str(a["href"])) for a in links
    )
    assert page.select_one("#us-affiliates-rule-2025-09-29 a[href='../chapter-1/#p1-3']")
    assert page.select_one("fieldset.edition-filter").has_attr("hidden")


def unfold(ics: bytes) -> list[str]:
    return ics.decode("utf-8").replace("\r\n ", "").split("\r\n")


def test_timeline_downloads_are_json_and_rfc_5545_icalendar(site: Site) -> None:
    events = json.loads((site.root / "timeline.json").read_text(encoding="utf-8"))
    records = yaml.safe_load((ROOT / TIMELINE).read_text(encoding="utf-8"))
    assert sorted(e["id"] for e in events) == sorted(r["id"] for r in records)
    assert [e["date"] for e in events] == sorted((e["date"] for e in events), key=lambda d: (d[:4], d[5:7], d[8:]))
    raw = (site.root / "timeline.ics").read_bytes()
    assert raw.endswith(b"\r\n") and b"\n" not in raw.replace(b"\r\n", b"")
    assert all(len(line) <= 75 for line in raw.split(b"\r\n"))
    lines = unfold(raw)
    assert lines[0] == "BEGIN:VCALENDAR" and lines[-2] == "END:VCALENDAR"
    uids = [line for line in lines if line.startswith("UID:")]
    dated = [e for e in events if e["precision"] != "year"]
    assert len(uids) == len(set(uids)) == len(dated) == lines.count("BEGIN:VEVENT")
    assert "DTSTART;VALUE=DATE:20250929" in lines and "DTEND;VALUE=DATE:20250930" in lines
    april = lines.index("UID:china-reciprocal-countermeasures-2025-04@timeline.trump-return-edition")
    block = lines[april : lines.index("END:VEVENT", april)]
    assert "DTSTART;VALUE=DATE:20250401" in block
    assert any(line.startswith("DESCRIPTION:日期仅精确到月") for line in block)
    assert not any("midterm-elections-2026" in line for line in lines)  # known only to the year


@given(st.text(max_size=400))
def test_an_icalendar_line_folds_at_75_octets_and_unfolds_to_itself(line: str) -> None:
    from edition.reference.timeline import _fold

    parts = _fold(line)
    assert all(len(part.encode("utf-8")) <= 75 for part in parts)
    assert all(part.startswith(" ") and len(part) > 1 for part in parts[1:])
    assert parts[0] + "".join(part[1:] for part in parts[1:]) == line


def test_exports_are_reproducible_with_source_date_epoch(
    project_copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert build_time({"SOURCE_DATE_EPOCH": "1775001600"}) == dt.datetime(2026, 4, 1, tzinfo=dt.UTC)
    today = dt.datetime.now(dt.UTC).replace(hour=0, minute=0, second=0, microsecond=0)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(int(today.timestamp())))
    outputs = []
    for name in ("a", "b"):
        build_site(project_copy, tmp_path / name)
        outputs.append(
            [
                (tmp_path / name / f).read_bytes()
                for f in ("glossary.csv", "glossary.json", "timeline.json", "timeline.ics")
            ]
        )
    assert outputs[0] == outputs[1]
    assert f"DTSTAMP:{today:%Y%m%d}T000000Z" in unfold(outputs[0][3])


# -- tooltips in the chapters and search -------------------------------------------------------------


def test_a_term_in_a_chapter_links_to_its_entry_with_its_english_as_tooltip(site: Site) -> None:
    page = site.page("chapter-1/")
    unreliable = page.select_one("a.edition-term[href='../glossary/#unreliable-entity-list']")
    assert unreliable.get_text() == "不可靠实体清单"
    assert unreliable["title"].startswith("Unreliable Entity List — ")
    entity = page.select_one("a.edition-term[href='../glossary/#entity-list']")
    assert entity.get_text() == "实体清单" and entity.find_parent("p")["id"] == "p1-2"
    assert "纳入所谓的“实体清单”" in entity.find_parent("p").get_text()
    # The gloss is glossary-tap.js's, not the theme's per-element tooltips (issue 16: they blocked the page's load).
    config = json.loads(page.select_one("script#__config").get_text())
    assert "content.tooltips" not in config["features"]
    assert any(s.get("src", "").endswith("javascripts/glossary-tap.js") for s in page.select("script[src]"))


@pytest.mark.parametrize("url", ARTICLE_URLS)
def test_each_term_is_marked_once_per_page_and_never_in_headings_notes_or_links(site: Site, url: str) -> None:
    page = site.page(url)
    # Once in the Chinese and once in the English (translation_views marks the English's terms too).
    for terms in (
        chinese_view(page).select("article a.edition-term"),
        page.select("article .edition-en a.edition-term"),
    ):
        assert terms
        hrefs = [a["href"] for a in terms]
        assert len(hrefs) == len(set(hrefs))
        assert all(resolve(site, url, str(a["href"])) for a in terms)
    assert not page.select("h1 a.edition-term, h2 a.edition-term, .footnote a.edition-term, a a.edition-term")


def test_search_index_keeps_glossary_terms_whole(site: Site) -> None:
    index = json.loads((site.root / "search" / "search_index.json").read_text(encoding="utf-8"))
    text = "".join(doc["text"] for doc in index["docs"])
    for term in ("穿透性规则", "不可靠实体清单"):
        assert f"\u200b{term}\u200b" in text, term
    # Without the glossary jieba would cut it up, so the test above proves the user dictionary is used.
    assert "不可靠实体清单" not in list(jieba.Tokenizer().cut("并将一些美国企业列入不可靠实体清单和出口管制管控清单等"))


def test_broken_yaml_is_reported_with_its_line(project_copy: Path) -> None:
    path = project_copy / GLOSSARY
    replace_in(path, "  zh: 董军\n", "  zh: 董军\n en: broken indentation\n")
    line = line_with(path, " en: broken indentation")
    assert any(p.startswith(f"data/glossary.yml:{line}: not valid YAML") for p in problems_of(project_copy))


@pytest.mark.parametrize(
    ("text", "quote", "expected"),
    [
        # A clause after a semicolon is still the sentence the date opens: the citation checks read it so too.
        ("2025年3月，美方宣布加征关税；中方予以反制。", "中方予以反制", ["2025-03"]),
        # A full stop ends the sentence, and a closing quotation mark after it stays with the sentence it closes.
        ("2025年3月，他说“谈判结束。”中方予以反制。", "中方予以反制", []),
        ("2025年3月，美方宣布加征关税。4月，中方予以反制。", "中方予以反制", ["2025-04"]),
    ],
)
def test_a_mention_takes_the_date_of_its_own_sentence(text: str, quote: str, expected: list[str]) -> None:
    block = PageBlock("chapter-1.md", 1, "paragraph", "p1-1", text)
    spans = written_dates([block], 0, text, text.index(quote), quote, in_note=False)
    assert [str(span) for span in spans] == expected
