"""The URL and date rules, one by one, each with a good and a bad fixture; the parsers with Hypothesis."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import ROOT
from edition.book import check, load_book
from edition.dates import DateError, PartialDate, find_date_mentions, parse_iso_date, reference_date
from edition.problems import Problem
from edition.sources.bib import load_bibliography, parse_bibliography
from edition.sources.urls import url_dates
from edition.text.citation_consistency import (
    accept_exceptions,
    bibliography_problems,
    consistency_problems,
    date_claims,
    date_problems,
    url_date_disagreements,
    url_problems,
)

TODAY = dt.date(2026, 6, 1)


def url_date_problems(file: str, line: int, key: str, url: str, date: str, *, exception: str = "") -> list[Problem]:
    """Rule 3 for one entry as the bibliography's check applies it: the disagreements, then the exception."""
    disagreements = url_date_disagreements(file, line, key, url, parse_iso_date(date))
    return accept_exceptions(disagreements, exception, file, line, key)


def entry(key: str, **fields: str) -> str:
    fields = {
        "title": "A title",
        "organization": "Org",
        "date": "2025-06-05",
        "langid": "english",
        "keywords": "media",
        **fields,
    }
    body = "".join(f"  {name} = {{{value}}},\n" for name, value in fields.items())
    return f"@online{{{key},\n{body}}}\n\n"


def bib(*entries: str):
    return parse_bibliography("".join(entries), "refs.bib")


def messages(problems) -> list[str]:
    return [str(p) for p in problems]


# -- rule 1: URL form ------------------------------------------------------------------------------------------


def test_a_clean_https_url_passes() -> None:
    assert url_problems("refs.bib", 5, "k", "https://www.mfa.gov.cn/web/202506/t20250605_1.shtml") == []
    assert url_problems("refs.bib", 5, "k", "https://bj.crntt.com/detail.jsp?coluid=7&docid=107143482") == []


@pytest.mark.parametrize(
    "url, expected",
    [
        ("http://www.mfa.gov.cn/a.html", "uses http; use https, or record why not in the field http-reason"),
        ("https://www.mfa.gov.cn/a b.html", "contains whitespace"),
        ("https://www.mfa.gov.cn/a.html\n", "contains whitespace"),
        ("https://www.mfa.gov.cn/wjzbz\\_673089/", "backslash (Markdown escape residue"),
        ("https://www.mfa.gov.cn/a](https://www.mfa.gov.cn/a", "Markdown link syntax"),
        ("https://www.mfa.gov.cn/a.html。", "ends with '。'"),
        ("https://example.com/a?utm_source=wechat&id=3", "tracking parameter(s) utm_source"),
        ("https://example.com/a?spm=a2c4g&id=3", "tracking parameter(s) spm"),
        ("www.mfa.gov.cn/a.html", "not absolute"),
        ("https:///a.html", "has no host"),
        ("https://example.com:99999/a", "cannot be parsed"),
        ("ftp://example.com/a", "scheme 'ftp' is not https"),
        ("https://user:secret@example.com/a", "user name or password"),
    ],
)
def test_a_bad_url_is_named_with_what_to_do(url: str, expected: str) -> None:
    found = messages(url_problems("refs.bib", 7, "some-key", url))
    assert any(m.startswith("refs.bib:7: some-key: ") and expected in m for m in found), found


def test_http_is_accepted_with_a_recorded_reason_and_the_reason_must_be_needed() -> None:
    assert url_problems("refs.bib", 1, "k", "http://old.example.org/a", http_reason="the site has no https") == []
    problems, _ = bibliography_problems(
        bib(entry("k", url="https://example.org/a", **{"http-reason": "none"})), reference=TODAY
    )
    assert messages(problems) == ["refs.bib:8: k: http-reason is set but the URL is https; remove the field"]


def test_one_url_in_two_entries_is_an_error_unless_declared_the_same_work() -> None:
    twice = bib(entry("a", url="https://example.org/x"), entry("b", url="https://EXAMPLE.org/x/"))
    problems, _ = bibliography_problems(twice, reference=TODAY)
    assert messages(problems) == [
        (
            "refs.bib:16: b: same URL as entry a (line 1); merge the entries, or declare "
            "same-work-as = {a} if they are one work"
        )
    ]
    declared = bib(
        entry("a", url="https://example.org/x"), entry("b", url="https://example.org/x", **{"same-work-as": "a"})
    )
    assert bibliography_problems(declared, reference=TODAY)[0] == []
    wrong = bib(entry("a", url="https://example.org/y", **{"same-work-as": "nobody"}))
    assert (
        "same-work-as names 'nobody', which is not an entry"
        in messages(bibliography_problems(wrong, reference=TODAY)[0])[0]
    )


# -- rule 2: date form ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("text", ["2025", "2025-06", "2025-06-05", "1900", "2026-06-01"])
def test_an_iso_date_up_to_the_reference_date_passes(text: str) -> None:
    assert date_problems("refs.bib", 3, "k", text, reference=TODAY) == []


@pytest.mark.parametrize(
    "text, expected",
    [
        ("2025/06/05", "is not an ISO date"),
        ("June 5, 2025", "is not an ISO date"),
        ("2025-6-5", "is not an ISO date"),
        ("2025-02-30", "is not a real calendar date"),
        ("2025-13", "is not a real calendar date"),
        ("1899-12-31", "is before 1900"),
        ("2026-06-02", "is after the build's reference date 2026-06-01"),
        ("2027", "is after the build's reference date"),
    ],
)
def test_a_bad_date_is_named(text: str, expected: str) -> None:
    found = messages(date_problems("refs.bib", 3, "k", text, reference=TODAY))
    assert len(found) == 1 and found[0].startswith("refs.bib:3: k: date") and expected in found[0], found


def test_the_reference_date_is_source_date_epoch_when_set() -> None:
    assert reference_date({"SOURCE_DATE_EPOCH": "1772928000"}) == dt.date(2026, 3, 8)
    assert reference_date({}) == dt.date.today()  # noqa: DTZ011 (the local day, as reference_date documents)
    with pytest.raises(DateError, match="'soon' is not a whole number of seconds"):
        reference_date({"SOURCE_DATE_EPOCH": "soon"})


def test_the_build_refuses_a_source_dated_after_its_reference_date(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1772841600")  # 2026-03-07, the day before Wang Yi's press conference
    lines = messages(check(ROOT))
    assert (
        f"refs.bib:{field_line('wang-yi-press-2026-03-08', 'date')}: wang-yi-press-2026-03-08: date "
        "2026-03-08 is after the build's reference date 2026-03-07; a source cannot be dated in the "
        "future (check the year, or SOURCE_DATE_EPOCH)"
    ) in lines


def field_line(key: str, name: str) -> int:
    return load_bibliography(ROOT / "refs.bib").entries[key].line_of(name)


# -- rule 3: the date in the URL ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url, date",
    [
        ("https://www.mfa.gov.cn/web/x/202506/t20250605_11641950.shtml", "2025-06-05"),
        ("https://www.mofcom.gov.cn/xwfb/art/2025/art_a71b.html", "2025-04-08"),
        ("https://www.gov.cn/lianbo/202601/content_7054775.htm", "2026-01-15"),
        ("https://www.economist.com/china/2025/11/13/chinas-growing-global-fan-club", "2025-11-13"),
        ("https://www.economist.com/china/2025/11/13/x", "2025-11"),  # a month-precise date agrees
        ("https://world.huanqiu.com/article/4NWYYghjWDD", "2025-07-17"),  # no date in the address
    ],
)
def test_a_url_date_that_agrees_passes(url: str, date: str) -> None:
    assert url_date_problems("refs.bib", 9, "k", url, date) == []


@pytest.mark.parametrize(
    "url, date, url_date",
    [
        ("https://www.mfa.gov.cn/web/x/202506/t20250605_11641950.shtml", "2025-06-15", "2025-06-05"),
        ("https://www.mfa.gov.cn/web/x/202506/t20250605_11641950.shtml", "2025-07-05", "2025-06"),
        ("https://www.mofcom.gov.cn/xwfb/art/2024/art_a71b.html", "2025-04-08", "2024"),
        ("https://www.gov.cn/lianbo/202512/content_7054775.htm", "2026-01-15", "2025-12"),
        ("https://www.economist.com/china/2025/11/12/x", "2025-11-13", "2025-11-12"),
    ],
)
def test_a_url_date_that_disagrees_is_named(url: str, date: str, url_date: str) -> None:
    found = messages(url_date_problems("refs.bib", 9, "k", url, date))
    assert any(
        m.startswith(f"refs.bib:9: k: date {date} disagrees with the date in its URL ({url_date}")
        and f"add date-exception = {{{url_date}: why}}" in m
        for m in found
    ), found


def test_a_reviewed_exception_accepts_exactly_the_date_it_names() -> None:
    url = "https://www.fmprc.gov.cn/web/zyxw/202602/t20260205_11851255.shtml"
    assert (
        url_date_problems(
            "refs.bib", 9, "k", url, "2026-02-04", exception="2026-02-05: published the day after the call"
        )
        == []
    )
    wrong = messages(url_date_problems("refs.bib", 9, "k", url, "2026-02-04", exception="2026-02-06: a typo"))
    assert any("disagrees with the date in its URL (2026-02-05" in m for m in wrong)
    assert any("date-exception accepts 2026-02-06, but nothing disagrees" in m for m in wrong)


def test_an_exception_no_longer_needed_is_reported() -> None:
    url = "https://www.fmprc.gov.cn/web/zyxw/202602/t20260205_11851255.shtml"
    assert messages(url_date_problems("refs.bib", 9, "k", url, "2026-02-05", exception="2026-02-05: call")) == [
        (
            "refs.bib:9: k: date-exception accepts 2026-02-05, but nothing disagrees with the date on that date any "
            "more; remove it from the exception"
        )
    ]


def test_an_exception_must_name_its_date_and_reason() -> None:
    url = "https://www.fmprc.gov.cn/web/zyxw/202602/t20260205_11851255.shtml"
    found = messages(url_date_problems("refs.bib", 9, "k", url, "2026-02-04", exception="published next day"))
    assert "refs.bib:9: k: date-exception must begin with the date it accepts, then say why" in found[-1]
    assert len(found) == 2  # and the disagreement stays


def test_the_books_one_real_disagreement_is_a_reviewed_exception_shown_to_readers(site) -> None:
    entry = load_bibliography(ROOT / "refs.bib").entries["xi-trump-call-2026-02-04"]
    assert entry.get("date") == "2026-02-04"
    assert "t20260205_" in entry.get("url")
    assert entry.get("date-exception").startswith("2026-02-05: ")
    without = bib(entry_text_without_exception())
    assert (
        messages(
            url_date_problems(
                "refs.bib",
                1,
                "xi-trump-call-2026-02-04",
                without.entries["xi-trump-call-2026-02-04"].get("url"),
                "2026-02-04",
            )
        )
        != []
    )
    note = site.page("references/").select_one("li#xi-trump-call-2026-02-04 .edition-date-exception")
    assert note is not None
    assert note.select_one("time").get("datetime") == "2026-02-05"
    assert "2026年2月4日" in note.get_text() and "2026-02-05" in note.get_text()


def entry_text_without_exception() -> str:
    text = (ROOT / "refs.bib").read_text(encoding="utf-8")
    start = text.index("@online{xi-trump-call-2026-02-04")
    block = text[start : text.index("\n}\n", start) + 3]
    return "\n".join(line for line in block.split("\n") if "date-exception" not in line)


# -- rule 4: dates in the text -------------------------------------------------------------------------------------


def test_every_real_citation_is_checked_against_the_date_its_sentence_names() -> None:
    """The pairs below were read off the article by hand: the sentence each citation carries, the date it names."""
    claims = {
        (c.file, c.key, c.mention.text, str(c.mention), c.exact)
        for page, text in load_book(ROOT).article_pages
        for c in date_claims(page, text)
    }
    assert claims == {
        # [^fengpei]: "2025年4月8日，中国外交部和商务部发言人……" — a note restating its sources' date (rule 5)
        ("docs/chapter-1.md", "mfa-presser-2025-04-08", "2025年4月8日", "2025-04-08", True),
        ("docs/chapter-1.md", "mofcom-statement-2025-04-08", "2025年4月8日", "2025-04-08", True),
        ("docs/chapter-2.md", "xi-trump-call-2025-06-05", "2025年6月", "2025-06", False),
        # "7月，鲁比奥……。9月，赫格塞思……。[@wang-yi-rubio…; @dow-hegseth…]": one sentence each, in order
        ("docs/chapter-2.md", "wang-yi-rubio-2025-07-11", "7月", "2025-07", False),
        ("docs/chapter-2.md", "dow-hegseth-dong-call-2025-09-10", "9月", "2025-09", False),
        # "5月在日内瓦举行的首轮经贸谈判" takes its year from "从2025年5月到10月" before it
        ("docs/chapter-3.md", "mofcom-geneva-statement-2025-05-12", "5月", "2025-05", False),
        ("docs/chapter-3.md", "huanqiu-pew-2025-07-17", "2025年7月", "2025-07", False),
        ("docs/chapter-3.md", "economist-fan-club-2025-11-13", "2025年11月", "2025-11", False),
        ("docs/chapter-4.md", "xi-trump-call-2026-02-04", "2026年2月", "2026-02", False),
    }
    assert (
        consistency_problems(load_bibliography(ROOT / "refs.bib"), load_book(ROOT).article_pages, reference=TODAY) == []
    )


PARAGRAPH = "2025年，开局。7月，甲会见乙。9月，丙与丁通话。[@a; @b]此后。\n{#p1-1}\n"


def test_a_source_dated_in_the_month_the_sentence_names_passes() -> None:
    sources = bib(entry("a", date="2025-07-11"), entry("b", date="2025-09-30"))
    claims = date_claims("chapter-1.md", PARAGRAPH)
    assert [(c.key, str(c.mention)) for c in claims] == [("a", "2025-07"), ("b", "2025-09")]
    assert consistency_problems(sources, [("chapter-1.md", PARAGRAPH)], reference=TODAY) == []


@pytest.mark.parametrize(
    "date, expected",
    [
        ("2025-08-30", "the sentence says 9月 (2025-09) but the source is dated 2025-08-30, before it"),
        ("2025-10-01", "the sentence says 9月 (2025-09) but the source is dated 2025-10-01, in a later month"),
    ],
)
def test_a_source_before_or_months_after_the_sentences_date_is_named(date: str, expected: str) -> None:
    sources = bib(entry("a", date="2025-07-11"), entry("b", date=date))
    found = messages(consistency_problems(sources, [("chapter-1.md", PARAGRAPH)], reference=TODAY))
    assert found == [
        (
            f"docs/chapter-1.md:1: b: {expected}; check the citation and the entry's date, or if both "
            "are right add date-exception = {2025-09: why} to the entry"
        )
    ]


def test_a_text_date_disagreement_can_be_accepted_by_a_reviewed_exception() -> None:
    sources = bib(entry("a", date="2025-07-11"), entry("b", date="2025-10-01", **{"date-exception": "2025-09: why"}))
    assert consistency_problems(sources, [("chapter-1.md", PARAGRAPH)], reference=TODAY) == []


def test_a_citation_in_mid_sentence_covers_only_the_words_before_it() -> None:
    text = "2026年2月，双方通话。特朗普表示希望稳定，[@a]美方应在3月改弦易辙。\n{#p4-6}\n"
    assert date_claims("chapter-4.md", text) == []


# -- rule 5: dates restated in notes ------------------------------------------------------------------------------


def test_a_date_written_in_a_note_beside_its_citation_must_equal_the_sources() -> None:
    text = "正文。[^n]\n{#p1-2}\n\n[^n]: 2025年4月8日，发言人阐明立场。[@a]。\n"
    assert consistency_problems(bib(entry("a", date="2025-04-08")), [("chapter-1.md", text)], reference=TODAY) == []
    found = messages(
        consistency_problems(bib(entry("a", date="2025-04-09")), [("chapter-1.md", text)], reference=TODAY)
    )
    assert found == [
        (
            "docs/chapter-1.md:4: a: the note says 2025年4月8日 (2025-04-08) but the source is dated "
            "2025-04-09; check the citation and the entry's date, or if both are right add "
            "date-exception = {2025-04-08: why} to the entry"
        )
    ]
    coarse = messages(consistency_problems(bib(entry("a", date="2025-04")), [("chapter-1.md", text)], reference=TODAY))
    assert "the source's date is only 2025-04; make the entry's date as precise" in coarse[0]


# -- the parsers (Hypothesis) -------------------------------------------------------------------------------------

dates = st.dates(min_value=dt.date(1990, 1, 1), max_value=dt.date(2099, 12, 31))
hosts = st.from_regex(r"[a-z]{1,12}(\.[a-z]{2,8}){1,2}", fullmatch=True)
ids = st.integers(min_value=0, max_value=10**9)
URL_FORMS = {
    "tYYYYMMDD_": ("https://{host}/web/zyxw/t{d:%Y%m%d}_{id}.shtml", "day"),
    "/YYYY/MM/DD/": ("https://{host}/china/{d:%Y/%m/%d}/story-{id}", "day"),
    "/YYYY-MM-DD/": ("https://{host}/news/{d:%Y-%m-%d}/{id}.html", "day"),
    "/YYYYMMDD/": ("https://{host}/c/{d:%Y%m%d}/{id}.html", "day"),
    "/YYYYMM/": ("https://{host}/lianbo/{d:%Y%m}/content_{id}.htm", "month"),
    "/YYYY-MM/": ("https://{host}/a/{d:%Y-%m}/{id}", "month"),
    "/YYYY/MM/": ("https://{host}/a/{d:%Y/%m}/p{id}.html", "month"),
    "art/YYYY/": ("https://{host}/xwfb/art/{d:%Y}/art_{id}.html", "year"),
}


@given(date=dates, host=hosts, ident=ids, form=st.sampled_from(sorted(URL_FORMS)))
def test_the_url_extractor_finds_the_date_each_pattern_writes(date: dt.date, host: str, ident: int, form: str) -> None:
    template, precision = URL_FORMS[form]
    found = url_dates(template.format(host=host, d=date, id=ident))
    expected = PartialDate(date.year, date.month, date.day).truncate(precision)
    assert [(d.date, d.pattern, d.precision) for d in found] == [(expected, form, precision)]


@given(date=dates, host=hosts, ident=ids)
def test_a_month_folder_and_a_day_stamp_are_both_found(date: dt.date, host: str, ident: int) -> None:
    found = url_dates(f"https://{host}/web/{date:%Y%m}/t{date:%Y%m%d}_{ident}.shtml")
    assert [(str(d.date), d.pattern) for d in found] == [
        (f"{date:%Y-%m}", "/YYYYMM/"),
        (f"{date:%Y-%m-%d}", "tYYYYMMDD_"),
    ]


@given(st.text(alphabet=st.characters(codec="utf-8"), max_size=120))
def test_the_url_extractor_never_fails_and_returns_only_real_dates(text: str) -> None:
    for found in url_dates("https://example.com/" + text):
        assert 1990 <= found.date.year <= 2099
        _ = found.date.first_day  # a real calendar date, or this raises


@given(host=hosts, number=st.integers(min_value=19900101, max_value=20991231))
def test_digits_in_the_host_or_query_are_not_dates(host: str, number: int) -> None:
    assert url_dates(f"https://{host}{number}.com/detail.jsp?docid={number}&d=/{number}/") == []


@given(date=dates, precision=st.sampled_from(["year", "month", "day"]))
def test_an_iso_date_round_trips_at_its_precision(date: dt.date, precision: str) -> None:
    text = str(PartialDate(date.year, date.month, date.day).truncate(precision))
    parsed = parse_iso_date(text)
    assert str(parsed) == text and parsed.precision == precision


@given(st.text(max_size=20))
def test_the_iso_parser_raises_only_date_errors(text: str) -> None:
    try:
        parsed = parse_iso_date(text)
    except DateError:
        return
    assert str(parsed) == text.strip()


@given(date=dates, space=st.sampled_from(["", " "]))
def test_a_chinese_date_is_read_back(date: dt.date, space: str) -> None:
    text = f"据报道，{date.year}{space}年{space}{date.month}{space}月{space}{date.day}{space}日，双方通话。"
    assert [str(m) for m in find_date_mentions(text)] == [f"{date:%Y-%m-%d}"]


@given(year=st.integers(min_value=1990, max_value=2099), months=st.lists(st.integers(1, 12), min_size=1, max_size=4))
def test_a_month_without_a_year_takes_the_year_written_before_it(year: int, months: list[int]) -> None:
    text = f"{year}年，开局。" + "".join(f"{m}月，某事。" for m in months)
    mentions = find_date_mentions(text)
    assert [str(m) for m in mentions] == [str(year)] + [f"{year}-{m:02d}" for m in months]
    assert all(m.year_from_context for m in mentions[1:])


@settings(max_examples=200)
@given(st.text(max_size=80))
def test_the_mention_finder_never_fails_and_returns_only_real_dates(text: str) -> None:
    for mention in find_date_mentions(text, default_year=2025):
        mention.first_day, mention.last_day  # noqa: B018 (raise if not a real date)
        assert mention.first_day <= mention.last_day


@pytest.mark.parametrize(
    "text, expected",
    [
        ("2—3月，特朗普", ["2024-02/2024-03"]),
        ("从2025年5月到10月，", ["2025-05/2025-10"]),
        ("2024—2025学年", []),
        ("《国际问题研究》2025年第5期", ["2025"]),
        ("September 10, 2025, <https://", ["2025-09-10"]),
        ("November 2025, pp.17-24", ["2025-11"]),
        ("13月，2月30日", []),
        ("5个月，7%~10%，45.47万亿元", []),
    ],
)
def test_date_mentions_as_the_article_writes_them(text: str, expected: list[str]) -> None:
    assert [str(m) for m in find_date_mentions(text, default_year=2024)] == expected
