"""The English site leads with English (edition/site/english_first.py, the templates' ``pair`` and ``english``):
headings, tables of contents, labels and each bilingual entry put the English before the Chinese, keeping both;
the Chinese site's pages stay Chinese first."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

import pytest

from browsing import WIDTHS, visit
from edition.site.english_first import english_first, english_first_title, english_titles, without_english_titles
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


# -- the English site's other labels ----------------------------------------------------------------------------


def test_a_chinese_only_heading_given_its_english_in_docs_leads_with_it_on_the_english_site_only() -> None:
    html = '<h2 data-title-en="Links &amp; ranges" id="链接到段落">链接到段落<a class="headerlink" href="#x">¶</a></h2>'
    assert english_titles(html) == {"链接到段落": "Links & ranges"}
    assert english_first(html) == (
        '<h2 id="链接到段落"><span lang="en">Links &amp; ranges</span> · 链接到段落'
        '<a class="headerlink" href="#x">¶</a></h2>'
    )
    plain = without_english_titles(html)
    assert plain == '<h2 id="链接到段落">链接到段落<a class="headerlink" href="#x">¶</a></h2>'


def test_the_teachers_page_and_colophon_headings_lead_with_english_and_the_chinese_site_keeps_its_own(
    site: Site,
) -> None:
    for path in ("teachers/", "colophon/"):
        english, chinese = site.page(f"{ENGLISH_SITE}/{path}"), site.page(path)
        for h2 in english.select("article h2"):
            text = h2.get_text(" ", strip=True)
            assert not HAN.search(text.split("·")[0]), f"{path}: {text}"
        toc = [a.get_text(" ", strip=True) for a in english.select(".md-sidebar--secondary .md-nav__link")]
        assert toc and all(not HAN.search(t.split("·")[0]) for t in toc), toc
        assert not chinese.select("[data-title-en]") and not english.select("[data-title-en]")
        zh_h2 = [h2.get_text(" ", strip=True) for h2 in chinese.select("article h2")]
        assert "Links to paragraphs" not in " ".join(zh_h2) and "Quality gates" not in " ".join(zh_h2)


def test_the_reading_view_switch_cite_box_and_search_dialog_lead_with_english_on_the_english_site(
    site: Site,
) -> None:
    english, chinese = site.page(f"{ENGLISH_SITE}/chapter-1/"), site.page("chapter-1/")
    en_views = [label.get_text() for label in english.select(".edition-views-choice label")]
    zh_views = [label.get_text() for label in chinese.select(".edition-views-choice label")]
    assert en_views == ["Chinese · 原文", "English · 译文", "Parallel · 对照"], en_views
    assert zh_views == ["原文 · Chinese", "译文 · English", "对照 · Parallel"], zh_views
    assert english.select_one(".edition-cite summary").get_text().startswith("Cite this chapter")
    assert chinese.select_one(".edition-cite summary").get_text().startswith("引用本章")
    assert english.select_one(".edition-views-note").get_text().startswith("The English is")
    # The title: English first on the English site (its parallel view, its search result), Chinese first on the other.
    assert english.select_one("article h1 > span")["class"] == ["edition-en"]
    assert chinese.select_one("article h1 > span")["class"] == ["edition-zh"]
    assert english.select_one("[data-md-component='search'][role='dialog']")["aria-label"] == "Search the book"
    assert chinese.select_one("[data-md-component='search'][role='dialog']")["aria-label"] == "搜索全书"


def test_an_annotation_below_its_paragraph_is_labelled_in_english_first_on_the_english_site(
    site: Site, book: Book
) -> None:
    annotation = next(iter(book.annotations))
    page = next(p.page for p in book.paragraphs if p.id == annotation.target)
    path = "" if page == "index.md" else page.removesuffix(".md") + "/"
    english = site.page(f"{ENGLISH_SITE}/{path}").select_one(f"aside[id='{annotation.anchor}'] summary")
    chinese = site.page(path).select_one(f"aside[id='{annotation.anchor}'] summary")
    assert english is not None and chinese is not None
    assert english.get_text().startswith("Annotation:"), english.get_text()
    assert chinese.get_text().startswith("注释 · "), chinese.get_text()


def test_the_range_panel_and_the_annotation_filters_lead_with_english_in_the_browser(
    browser: Browser, site_url: str, screenshots: Path
) -> None:
    seen = {}
    for prefix in (f"{ENGLISH_SITE}/", ""):
        with visit(browser, f"{site_url}{prefix}chapter-2/#p2-3-4", viewport=WIDTHS["phone"]) as v:
            v.page.wait_for_selector(".edition-range-panel", state="visible")
            panel = v.page.evaluate(
                """() => [document.querySelector('.edition-range-label').textContent,
                          ...[...document.querySelectorAll('.edition-range-panel button')].map(b => b.textContent)]"""
            )
            if prefix:
                v.page.screenshot(path=str(screenshots / "english-first-range-panel-phone.png"))
            assert v.errors == []
        with visit(browser, f"{site_url}{prefix}annotations/") as v:
            v.page.wait_for_selector(".edition-filters select")
            filters = v.page.evaluate(
                "() => [...document.querySelectorAll('.edition-filters label')].map(l => l.firstChild.textContent)"
            )
            assert v.errors == []
        seen[prefix] = (panel, filters)
    en_panel, en_filters = seen[f"{ENGLISH_SITE}/"]
    zh_panel, zh_filters = seen[""]
    assert en_panel[0].startswith("Selected") and "ch. 2, paras. 3–4" in en_panel[0].split("·")[0], en_panel
    assert zh_panel[0].startswith("已选") and "第二章第3—4段" in zh_panel[0], zh_panel
    assert "Copy link · 复制链接" in en_panel and "复制链接 · Copy link" in zh_panel
    assert [f.split()[0] for f in en_filters] == ["Chapter", "Type", "Author"], en_filters
    assert [f.split()[0] for f in zh_filters] == ["章", "类型", "作者"], zh_filters


def test_the_404_page_leads_an_english_reader_to_the_english_front_page(site: Site) -> None:
    english = site.page("404.html").select_one("article p[lang='en'] a")
    assert english is not None and str(english["href"]).endswith("en/"), english


def test_the_tab_and_header_titles_of_the_english_sites_pages_lead_with_english(site: Site) -> None:
    for path in ("", "annotations/"):
        english, chinese = site.page(f"{ENGLISH_SITE}/{path}"), site.page(path)
        for page, english_site in ((english, True), (chinese, False)):
            title = page.title.get_text() if page.title else ""
            topic = page.select_one("[data-md-component='header-topic'] .md-ellipsis")
            assert topic is not None
            for text in (title, topic.get_text().strip()):
                assert bool(HAN.search(text.split("·")[0].split(" - ")[0])) != english_site, (path, text)
