"""The English beside the Chinese: 原文 · 译文 · 对照, as the page is built and as a reader uses it in the browser."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest
from bs4 import BeautifulSoup, Tag

from browsing import PHONE, visit
from conftest import Site
from edition.problems import EditionError
from edition.reference.glossary import Entry as GlossaryEntry
from edition.site.translation_views import (
    EnglishTerms,
    english_converter,
    english_term_marker,
    render_english,
    top_level_elements,
    with_translation,
)
from edition.sources.bib import Entry
from edition.sources.notes import Cite, render_note
from edition.translation.english import Block, EnglishPage

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

CHINESE = (
    '<h1 id="一标题">一、标题<a class="headerlink" href="#一标题">&para;</a></h1>\n'
    '<p id="p1-1"><a class="edition-para-number" href="#p1-1" data-edition-para="p1-1">¶1</a>第一段。'
    '<sup id="fnref:a"><a class="footnote-ref" href="#fn:a">1</a></sup></p>\n'
    '<aside class="edition-annotation"><p>注释</p></aside>\n'
    '<p id="p1-2">第二段<br>有两行。</p>\n'
    '<div class="footnote">\n<hr />\n<ol>\n<li id="fn:a"><p>注。</p></li>\n</ol>\n</div>'
)
ENGLISH = EnglishPage(
    "translation/en/chapter-1.md",
    {"page": "chapter-1.md", "translator": "us"},
    (
        Block("heading", 5, "# 1. A Title", status="draft"),
        Block("p1-1", 8, "The *first* paragraph.[^a]", (("a", "A note.", 11),), status="reviewed"),
        Block("p1-2", 13, "The second & last <sup>2</sup>.", status="draft"),
    ),
)


def built_fixture() -> BeautifulSoup:
    rendered = render_english(ENGLISH, english_converter(), lambda text: text)
    return BeautifulSoup(with_translation(CHINESE, rendered), "html.parser")


def test_each_chinese_block_is_paired_with_its_english_and_keeps_its_id_and_content() -> None:
    soup = built_fixture()
    pairs = soup.select("div.edition-pair")
    parts = [pair.find_all(True, recursive=False) for pair in pairs]
    assert [chinese.get("id") for chinese, _ in parts] == ["p1-1", "p1-2"]
    assert [str(chinese) for chinese, _ in parts] == [
        str(BeautifulSoup(CHINESE, "html.parser").find(id=ident)) for ident in ("p1-1", "p1-2")
    ]
    english = [english for _, english in parts]
    assert [p.get("lang") for p in english] == ["en", "en"]
    assert english[0].get_text() == "¶1The first paragraph.1"
    assert english[0].em is not None and english[0].em.get_text() == "first"
    assert english[1].get_text() == "¶2The second & last 2."
    # The English number links to the paragraph's one id, the Chinese paragraph's.
    assert [p.a["href"] for p in english] == ["#p1-1", "#p1-2"]
    assert [p["data-status"] for p in english] == ["reviewed", "draft"]
    # What stood between the blocks stays where it was: the annotation after the first pair.
    assert pairs[0].find_next_sibling("aside") is not None


def test_the_title_holds_both_languages_and_the_switch_follows_it() -> None:
    soup = built_fixture()
    title = soup.h1
    assert [span.get_text() for span in title.find_all("span")] == ["一、标题", "1. A Title"]
    assert title.find_all("span")[1]["lang"] == "en"
    assert title.find("a", class_="headerlink") is not None  # the permalink is kept, after both
    switch = title.find_next_sibling()
    assert switch is not None and "edition-views" in switch["class"]
    assert [i["value"] for i in switch.find_all("input")] == ["zh", "en", "both"]
    assert [i["value"] for i in switch.find_all("input") if i.has_attr("checked")] == ["zh"]
    assert "this edition's own translation" in switch.get_text()
    assert "1 of 3 passages reviewed" in switch.get_text()  # the title, ¶1 (reviewed), ¶2


def provenance(front: dict[str, str], statuses: tuple[str, ...]) -> Tag:
    """The provenance note under the title of a page whose English has these blocks and front matter."""
    page = EnglishPage(
        "translation/en/chapter-1.md",
        front,
        tuple(Block(f"p1-{n}", 5 + 3 * n, f"Paragraph {n}.", status=s) for n, s in enumerate(statuses, 1)),
    )
    rendered = render_english(page, english_converter(), lambda text: text)
    note = BeautifulSoup(with_translation(CHINESE, rendered), "html.parser").select_one("p.edition-views-note")
    assert note is not None
    return note


def test_the_provenance_names_the_translator_and_the_second_reader_in_both_languages() -> None:
    front = {
        "page": "chapter-1.md",
        "translator": "本版编者 · the edition's editors",
        "reviewer": "本版编者（二审）· the edition's editors (second reading)",
    }
    note = provenance(front, ("reviewed", "draft"))
    chinese, english = note.find_all("span", recursive=False)
    assert "译者：本版编者。" in chinese.get_text() and "复核：本版编者（二审）。" in chinese.get_text()
    assert (
        "Translated by the edition's editors; reviewed against the Chinese by the edition's editors (second reading)."
        in (english.get_text())
    )
    assert "1 of 2 passages reviewed" in english.get_text()


def test_a_reviewer_is_not_named_before_any_passage_is_reviewed() -> None:
    front = {"page": "chapter-1.md", "translator": "A · A", "reviewer": "B · B"}
    note = provenance(front, ("draft", "draft"))
    assert "Translated by A" in note.get_text()
    assert "eviewed against" not in note.get_text() and "复核" not in note.get_text()


def test_a_hostile_reviewer_is_shown_as_text() -> None:
    front = {"page": "chapter-1.md", "translator": "us", "reviewer": '<img src=x onerror="alert(1)"> · <b>them</b>'}
    note = provenance(front, ("reviewed",))
    assert note.find("img") is None and note.find("b") is None
    assert "; reviewed against the Chinese by <b>them</b>." in note.get_text()


def test_the_english_notes_follow_the_chinese_ones_under_their_own_ids() -> None:
    soup = built_fixture()
    chinese, english = soup.select("div.footnote")
    assert chinese.find("li")["id"] == "fn:a"
    assert "edition-en" in english["class"] and english["lang"] == "en"
    assert english.find("li")["id"] == "fn-en:a"
    call = soup.select_one("p.edition-en sup a")
    assert call is not None and call["href"] == "#fn-en:a"
    assert english.find("li").get_text().strip().startswith("A note.")


def test_an_id_is_never_given_twice() -> None:
    ids = [tag["id"] for tag in built_fixture().find_all(id=True)]
    assert len(ids) == len(set(ids))


def test_the_top_level_split_finds_whole_elements_whatever_they_hold() -> None:
    html = '<p id="a">x<br>y <b>z</b></p>\n<hr />\n<div><div>in</div>&amp;</div>'
    found = top_level_elements(html)
    assert [html[e.start : e.end] for e in found] == [
        '<p id="a">x<br>y <b>z</b></p>',
        "<hr />",
        "<div><div>in</div>&amp;</div>",
    ]


# -- in the browser ---------------------------------------------------------------------------------------------


def shown(page: Page, selector: str) -> bool:
    return page.locator(selector).first.is_visible()


@pytest.mark.browser
def test_the_chinese_view_is_the_default_and_the_english_is_a_click_away_and_remembered(
    browser: Browser, site_url: str
) -> None:
    with visit(browser, site_url + "chapter-2/") as seen:
        page = seen.page
        assert shown(page, "#p2-1") and not shown(page, '[data-en-for="p2-1"]')
        page.click('label[for="edition-view-en"]')
        assert shown(page, '[data-en-for="p2-1"]') and not shown(page, "#p2-1")
        assert not shown(page, "h1 > .edition-zh") and shown(page, "h1 > .edition-en")
        # Another page of the book opens in the view the reader chose.
        page.goto(site_url + "chapter-3/")
        assert page.is_checked("#edition-view-en")
        assert shown(page, '[data-en-for="p3-1"]') and not shown(page, "#p3-1")
        assert seen.errors == []


@pytest.mark.browser
def test_the_views_switch_without_javascript(browser: Browser, site_url: str) -> None:
    context = browser.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(site_url + "chapter-1/")
        assert shown(page, "#p1-1") and not shown(page, '[data-en-for="p1-1"]')
        page.click('label[for="edition-view-both"]')
        assert shown(page, "#p1-1") and shown(page, '[data-en-for="p1-1"]')
    finally:
        context.close()


@pytest.mark.browser
def test_parallel_is_side_by_side_on_a_wide_screen_and_one_after_the_other_on_a_phone(
    browser: Browser, site_url: str
) -> None:
    with visit(browser, site_url + "chapter-1/?view=both") as seen:
        chinese = seen.page.locator("#p1-2").bounding_box()
        english = seen.page.locator('[data-en-for="p1-2"]').bounding_box()
        assert chinese and english
        assert english["x"] >= chinese["x"] + chinese["width"]
        assert abs(english["y"] - chinese["y"]) < 5
    with visit(browser, site_url + "chapter-1/?view=both", viewport=PHONE) as seen:
        chinese = seen.page.locator("#p1-2").bounding_box()
        english = seen.page.locator('[data-en-for="p1-2"]').bounding_box()
        assert chinese and english
        assert english["y"] >= chinese["y"] + chinese["height"]
        assert english["x"] + english["width"] <= PHONE["width"]


@pytest.mark.browser
def test_a_paragraph_link_lands_on_the_english_in_the_english_view(browser: Browser, site_url: str) -> None:
    with visit(browser, site_url + "chapter-3/?view=en#p3-4") as seen:
        page = seen.page
        page.wait_for_timeout(200)
        box = page.locator('[data-en-for="p3-4"]').bounding_box()
        height = page.viewport_size["height"] if page.viewport_size else 800
        assert box is not None and 0 <= box["y"] < height / 2


@pytest.mark.browser
def test_an_english_note_call_opens_the_english_note(browser: Browser, site_url: str) -> None:
    with visit(browser, site_url + "chapter-1/?view=en") as seen:
        page = seen.page
        call = page.locator(".edition-en sup a.footnote-ref").first
        target = call.get_attribute("href") or ""
        assert target.startswith("#fn-en:")
        note = page.locator(f'[id="{target[1:]}"]')
        assert note.is_visible()
        assert note.get_attribute("lang") is None and note.locator("xpath=ancestor::*[@lang='en']").count() >= 1


@pytest.mark.browser
def test_print_follows_the_view(browser: Browser, site_url: str) -> None:
    with visit(browser, site_url + "chapter-2/?view=en") as seen:
        page = seen.page
        page.emulate_media(media="print")
        assert shown(page, '[data-en-for="p2-3"]') and not shown(page, "#p2-3")
        assert not shown(page, ".edition-views-choice")
        page.goto(site_url + "chapter-2/?view=zh")
        assert shown(page, "#p2-3") and not shown(page, '[data-en-for="p2-3"]')


def test_every_article_page_with_a_translation_shows_it(site: Site) -> None:
    for url in ("", "chapter-1/", "chapter-2/", "chapter-3/", "chapter-4/"):
        soup = site.page(url)
        paragraphs = soup.select("article p[id^=p]")
        assert paragraphs, url
        for paragraph in paragraphs:
            pair = paragraph.parent
            assert pair is not None and "edition-pair" in (pair.get("class") or []), paragraph["id"]
            english = paragraph.find_next_sibling("p")
            assert english is not None and english.get("lang") == "en", paragraph["id"]
            assert english.get_text(strip=True), paragraph["id"]


def test_a_chinese_source_in_an_english_note_keeps_its_title_and_adds_the_english_in_brackets() -> None:
    entry = Entry(
        "k",
        "online",
        {
            "title": "王毅会见美国国务卿鲁比奥",
            "title-en": "Wang Yi Meets US Secretary of State Rubio",
            "organization": "中华人民共和国外交部",
            "publisher": "外交部网站",
            "publisher-en": "Ministry of Foreign Affairs website",
            "date": "2025-07-11",
            "url": "https://www.mfa.gov.cn/x.shtml",
            "langid": "chinese",
        },
        [],
        1,
    )
    note = render_note([Cite(entry)], english=True)
    assert note == (
        '<span lang="zh-Hans">《王毅会见美国国务卿鲁比奥》</span> '
        "[Wang Yi Meets US Secretary of State Rubio], Ministry of Foreign Affairs website, July 11, 2025, "
        "<https://www.mfa.gov.cn/x.shtml>."
    )
    # The Chinese note is as the article prints it, with the same parts: no organisation before a website's title.
    assert render_note([Cite(entry)]) == (
        "《王毅会见美国国务卿鲁比奥》，外交部网站，2025年7月11日，<https://www.mfa.gov.cn/x.shtml>。"
    )


def test_a_chapter_can_be_cited_as_the_editions_translation(site: Site) -> None:
    page = site.page("chapter-2/")
    english_title = page.select_one("h1 > .edition-en")
    assert english_title is not None
    for style in ("apa-en", "chicago-en"):
        entry = page.select_one(f"#cite-{style}")
        assert entry is not None, style
        text = entry.get_text()
        assert "the edition's editors" in text, style  # the translator, from translation/en/'s front matter
        assert "Trans." in text or "trans." in text, style
        assert english_title.get_text() in text, style  # the chapter, by its English title
        assert "Trump’s Return and the New Stage of China–US Rivalry" in text, style
        # The original is the journal article.
        assert "International Studies" in text or "国际问题研究" in text, style
        assert "35–48" in text, style


# -- the English site (mkdocs.en.yml, built into en/) -----------------------------------------------------------


def test_the_english_site_is_in_english_and_opens_in_the_english_view(site: Site) -> None:
    page = site.page("en/chapter-2/")
    assert page.html is not None and page.html["lang"] == "en"
    heading = page.select_one("h1 > .edition-en")
    assert heading is not None
    assert page.title is not None and page.title.get_text().startswith(heading.get_text())
    checked = page.select_one('input[name="edition-view"][checked]')
    assert checked is not None and checked["value"] == "en"
    nav = [a.get_text(strip=True) for a in page.select(".md-nav--primary .md-nav__link")]
    assert heading.get_text() in nav and "Glossary" in nav
    # The Chinese site's pages still open in Chinese.
    chinese = site.page("chapter-2/").select_one('input[name="edition-view"][checked]')
    assert chinese is not None and chinese["value"] == "zh"


@pytest.mark.browser
def test_the_language_switch_leads_to_the_same_page_in_the_other_language(browser: Browser, site_url: str) -> None:
    with visit(browser, site_url + "chapter-3/") as seen:
        page = seen.page
        page.goto(page.locator('a.md-select__link[hreflang="en"]').evaluate("a => a.href"))
        assert page.url == site_url + "en/chapter-3/"
        assert page.locator('[data-en-for="p3-1"]').is_visible()
        page.goto(page.locator('a.md-select__link[hreflang="zh-Hans"]').evaluate("a => a.href"))
        assert page.url == site_url + "chapter-3/"
        assert seen.errors == []


def glossary_entry(ident: str, zh: str, pinyin: str, en: str, *variants: str) -> GlossaryEntry:
    return GlossaryEntry(
        ident, zh, en, "official", "概念与提法", "定义。", "A definition.", pinyin, en_variants=list(variants)
    )


def test_an_english_term_links_to_its_entry_with_the_chinese_and_pinyin_once_per_page() -> None:
    mark = english_term_marker(
        [
            glossary_entry("entity-list", "实体清单", "Shítǐ Qīngdān", "Entity List"),
            glossary_entry("trump", "特朗普", "Tèlǎngpǔ", "Donald Trump", "Trump"),
            glossary_entry("rare", "稀土", "xītǔ", "rare earths", "rare-earth"),
        ],
        "../glossary/",
    )
    first = mark("Trump’s team put firms on the entity list [@key] and Trump [^n] said so.")
    assert first.count('class="edition-term"') == 2
    assert (
        '<a class="edition-term" href="../glossary/#trump" title="特朗普 Tèlǎngpǔ — Donald Trump">Trump</a>’s' in first
    )
    assert 'href="../glossary/#entity-list"' in first and ">entity list</a>" in first  # any case
    # Citations and note calls are never touched, and each term is linked once a page.
    assert "[@key]" in first and "[^n]" in first
    second = mark("Trump again; rare-earth magnets, not rare earthsy things.")
    assert "#trump" not in second
    assert second.count('class="edition-term"') == 1 and ">rare-earth</a>" in second


def test_the_builds_english_terms_link_each_page_on_its_own() -> None:
    # One EnglishTerms serves every page of a build; a term linked on one page is linked again on the next.
    terms = EnglishTerms.of([glossary_entry("trump", "特朗普", "Tèlǎngpǔ", "Donald Trump", "Trump")])
    for href in ("../glossary/", "../../glossary/"):
        marked = english_term_marker(terms, href)("Trump and Trump.")
        assert marked.count('class="edition-term"') == 1 and f'href="{href}#trump"' in marked


def test_a_hostile_glossary_entry_stays_text_in_the_english_tooltip() -> None:
    mark = english_term_marker(
        [glossary_entry("x", '<img src=x onerror="alert(1)">', "[a](javascript:alert(1))", "Entity List")], "g/"
    )
    marked = mark("The Entity List.")
    html = english_converter().convert(marked)
    link = BeautifulSoup(html, "html.parser").find("a")
    assert link is not None and link.get_text() == "Entity List"
    assert BeautifulSoup(html, "html.parser").find("img") is None
    # The title holds the words as written, which the browser shows as text: the tag never became an element.
    assert str(link["title"]) == '<img src=x onerror="alert(1)"> [a](javascript:alert(1)) — Entity List'
    assert list(link.attrs) == ["class", "href", "title"]


def test_an_english_that_does_not_render_as_one_paragraph_per_block_stops_the_build() -> None:
    """The backstop behind the markup rules: a block that renders as two elements is never shown beside a Chinese
    paragraph; the build stops at the translation's line."""
    page = EnglishPage(
        "translation/en/chapter-1.md",
        {"page": "chapter-1.md", "translator": "us"},
        (Block("p1-1", 8, "One.\n\n***\n\nTwo.", status="draft"), Block("p1-2", 12, "Three.", status="draft")),
    )
    with pytest.raises(EditionError) as raised:
        render_english(page, english_converter(), lambda text: text)
    [problem] = raised.value.problems
    assert (problem.file, problem.line, problem.key) == ("translation/en/chapter-1.md", 8, "p1-1")
    assert "one paragraph per block" in problem.message


def test_an_unclosed_tag_does_not_swallow_the_rest_of_the_page() -> None:
    found = top_level_elements('<p id="a">x</sup> y</p>\n<p id="b">z</p>')
    assert [e.attrs.get("id") for e in found] == ["a", "b"]


def test_the_english_notes_link_to_the_references_page_by_its_address(site: Site) -> None:
    """A source cited again takes the short form, linked to its full reference, as in the Chinese notes."""
    links = [str(a["href"]) for a in site.page("chapter-3/").select("div.footnote.edition-en a[href*='references']")]
    assert links and all(link.startswith("../references/#") for link in links), links
    assert all(".md" not in link for link in links)
