"""The English site leads with English (edition/site/english_first.py, the templates' ``pair`` and ``english``):
headings, tables of contents, labels and each bilingual entry put the English before the Chinese, keeping both;
the Chinese site's pages stay Chinese first."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

import pytest

from browsing import WIDTHS, visit
from edition.site.english_first import english_first, english_first_title
from site_pages import ENGLISH_SITE

if TYPE_CHECKING:
    from pathlib import Path

    from playwright.sync_api import Browser

    from conftest import Site
    from edition.book import Book

HAN = re.compile(r"[\u3400-\u9fff]")
GENERATED = ("glossary/", "timeline/", "references/", "emendations/", "annotations/")


# -- the rules, on their own ------------------------------------------------------------------------------------


def test_a_heading_in_two_languages_leads_with_its_english_and_keeps_its_permalink_last() -> None:
    link = '<a class="headerlink" href="#x" title="Permanent link">&para;</a>'
    assert english_first_title(f"术语表 · Glossary{link}") == f'<span lang="en">Glossary</span> · 术语表{link}'
    assert english_first_title('人物 <span lang="en">· People</span>') == '<span lang="en">People</span> · 人物'
    assert english_first_title("人物 · People", marked=False) == "People · 人物"


@pytest.mark.parametrize(
    "inner",
    [
        "质量关口",  # Chinese alone: nothing to lead with
        "What the machine checks",  # English alone
        '<span lang="en">People</span> · 人物',  # already English first
        "People · 人物",
        "2025年 · 注 <em>x</em>",  # markup inside: not a title pair this rule knows
        "A · B",  # no Chinese
    ],
)
def test_a_heading_that_is_not_chinese_then_english_is_left_as_it_is(inner: str) -> None:
    assert english_first_title(inner) == inner


def test_a_chinese_paragraph_and_its_english_after_it_change_places() -> None:
    html = (
        '<h2 id="a">甲</h2>\n<p>中文一。</p>\n<ul>\n<li>中文二</li>\n</ul>\n<p lang="en">English.</p>\n<p>孤段。</p>\n'
    )
    out = english_first(html)
    assert out.index("English.") < out.index("中文一") < out.index("中文二")
    assert out.index("<h2") < out.index("English.")  # a heading is not moved below its section's text
    assert out.endswith("<p>孤段。</p>\n")  # Chinese with no English after it stays where it was
    assert sorted(out) == sorted(html)  # nothing dropped, nothing added


def test_a_line_ending_in_its_english_leads_with_it() -> None:
    html = (
        '<p>印本注释按页编号。<span lang="en">The print numbers notes per page.</span></p>'
        '<table><tr><th>位置 <span lang="en">Place</span></th><td>作者 / <span lang="en">author line</span></td></tr>'
        "</table>"
    )
    out = english_first(html)
    assert '<p><span lang="en">The print numbers notes per page.</span> 印本注释按页编号。</p>' in out
    assert '<th><span lang="en">Place</span> 位置</th>' in out
    assert '<td><span lang="en">author line</span> / 作者</td>' in out


def test_english_first_changes_nothing_the_second_time_nor_what_is_not_chinese_first() -> None:
    html = (
        '<h1 id="t">注释 · Annotations</h1>\n<p>中文。</p>\n<p lang="en">English.</p>\n'
        '<p>中文<span lang="en">E</span></p>'
    )
    once = english_first(html)
    assert once != html
    assert english_first(once) == once
    plain = '<div class="edition-glossary"><p lang="en">Only English</p></div>\n<p>中文<em>强调</em></p>'
    assert english_first(plain) == plain


# -- the built sites --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("path", GENERATED)
def test_the_english_sites_generated_pages_lead_with_english_and_keep_the_chinese(site: Site, path: str) -> None:
    english, chinese = site.page(f"{ENGLISH_SITE}/{path}"), site.page(path)
    h1, zh_h1 = english.select_one("article h1"), chinese.select_one("article h1")
    assert h1 is not None and zh_h1 is not None
    title = h1.get_text(" ", strip=True).removesuffix("¶").strip()
    assert not HAN.search(title.split("·")[0]), title
    assert HAN.search(title), f"{path}: the Chinese title was dropped: {title}"
    assert HAN.search(zh_h1.get_text().split("·")[0]), "the Chinese site's title no longer leads with Chinese"
    # The text after the title begins in English on the English site, in Chinese on the Chinese site; both keep
    # the other language too.
    first, zh_first = english.select_one("article h1 ~ p"), chinese.select_one("article h1 ~ p")
    assert first is not None and zh_first is not None
    assert not HAN.search(first.get_text().strip()[:20]), first.get_text()[:80]
    assert HAN.search(zh_first.get_text().strip()[:20]), zh_first.get_text()[:80]
    assert HAN.search(english.select_one("article").get_text()), f"{path}: the Chinese was dropped"


def test_the_english_glossary_leads_each_entry_with_its_english(site: Site, book: Book) -> None:
    entry = book.reference.glossary.entries[0]
    english, chinese = site.page(f"{ENGLISH_SITE}/glossary/"), site.page("glossary/")
    en_dt = english.select_one(f"[id='{entry.id}'] dt")
    zh_dt = chinese.select_one(f"[id='{entry.id}'] dt")
    assert en_dt is not None and zh_dt is not None
    assert en_dt.find("span")["class"] == ["edition-glossary-en"]
    assert zh_dt.find("span")["class"] == ["edition-glossary-zh"]
    en_dd = [p.get("lang") for p in english.select(f"[id='{entry.id}'] dd > p[lang]")]
    zh_dd = [p.get("lang") for p in chinese.select(f"[id='{entry.id}'] dd > p[lang]")]
    assert en_dd == ["en", "zh-Hans"] and zh_dd == ["zh-Hans", "en"]


def test_the_english_timeline_dates_and_titles_each_event_in_english_first(site: Site, book: Book) -> None:
    event = next(e for e in book.reference.timeline.events if e.span.start.day)
    english = site.page(f"{ENGLISH_SITE}/timeline/").select_one(f"[id='{event.id}']")
    chinese = site.page("timeline/").select_one(f"[id='{event.id}']")
    assert english is not None and chinese is not None
    when = english.select_one(".edition-event-when").get_text()
    assert not HAN.search(when) and str(event.span.start.year) in when, when
    title = english.select_one(".edition-event-title")
    assert [t.get("lang") for t in title.find_all(lang=True)] == ["en", "zh-Hans"]
    assert title.get_text("|").split("|")[0] == event.title_en
    assert chinese.select_one(".edition-event-title").get_text("|").split("|")[0] == event.title_zh
    assert HAN.search(chinese.select_one(".edition-event-when").get_text())


@pytest.mark.parametrize("width", ["phone", "desktop"])
def test_an_english_reader_sees_english_first_headings_toc_and_labels(
    browser: Browser, site_url: str, width: str, screenshots: Path
) -> None:
    """In the browser, as a reader sees them: the generated pages' title, section headings, table of contents and
    the labels of their tools lead with English on the English site, with Chinese on the Chinese site."""
    seen: dict[str, dict[str, list[str]]] = {}
    for prefix in (f"{ENGLISH_SITE}/", ""):
        for path in ("glossary/", "timeline/"):
            with visit(browser, f"{site_url}{prefix}{path}", viewport=WIDTHS[width]) as v:
                page = v.page
                seen[prefix + path] = page.evaluate(
                    """() => ({
                      h1: [document.querySelector('article h1').innerText],
                      h2: [...document.querySelectorAll('article h2')].slice(0, 3).map(h => h.innerText),
                      toc: [...document.querySelectorAll('.md-sidebar--secondary .md-nav__link')]
                             .slice(0, 3).map(a => a.textContent.trim()),
                      labels: [...document.querySelectorAll('.edition-filter label, .edition-filter legend,'
                                                          + ' .edition-downloads')].slice(0, 2)
                                .map(e => e.innerText.trim()),
                    })"""
                )
                if prefix:
                    page.screenshot(path=str(screenshots / f"english-first-{path.strip('/')}-{width}.png"))
                assert v.errors == []
    for key, parts in seen.items():
        english_site = key.startswith(f"{ENGLISH_SITE}/")
        for part, texts in parts.items():
            assert texts, f"{key}: no {part}"
            for text in texts:
                lead = re.split(r"[·:：]", text.replace("¶", ""), maxsplit=1)[0].strip()
                if not lead or lead.isdigit():
                    continue  # a year heading is the same in both
                assert bool(HAN.search(lead)) != english_site, f"{key} {part}: {text!r} leads with the wrong language"
