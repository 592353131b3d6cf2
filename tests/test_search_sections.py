"""Search results that land (edition/site/search_sections.py, hooks/search_sections.py): each article paragraph,
glossary entry and timeline event is a document of the search index at its own anchor, titled for a reader."""

from __future__ import annotations

import html
import json
import re
from types import SimpleNamespace

import pytest

from conftest import Site
from edition.book import Book
from edition.dates import PartialDate
from edition.paths import GLOSSARY_PAGE, TIMELINE_PAGE, site_path
from edition.problems import EditionError
from edition.reference.timeline import Span, span_label, span_label_en
from edition.site.search_sections import anchored_sections, search_anchors
from edition.text.paragraphs import paragraph_place
from hooks.search_sections import AnchoredSearchIndex

SEPARATOR = "\u200b"
TAG = re.compile(r"<[^<>]*>")

PAGE = """<h1 id="chapter">一、标题</h1>
<p id="p1-1"><a class="edition-para-number" href="#p1-1" data-search-exclude>¶1</a>第一段讲稀土。</p>
<p>没有编号的一段。</p>
<p id="p1-2">第二段有 &lt;script&gt;alert(1)&lt;/script&gt; 与 a &amp; b。<sup id="fnref:x"><a href="#fn:x">1</a></sup>
</p>
<details class="edition-annotation"><p>一条注释。</p></details>
<div class="footnote"><ol><li id="fn:x"><p>注一。</p></li></ol></div>
"""


def sections(html: str, anchors: dict[str, str]) -> dict[str | None, tuple[str, str]]:
    found = anchored_sections(html, anchors, shown="docs/chapter-1.md")
    return {s.id: ("".join(s.title).strip(), "".join(s.text).strip()) for s in found}


def test_each_anchored_element_is_its_own_section_and_the_rest_stays_where_it_was() -> None:
    found = sections(PAGE, {"p1-1": "第一章第1段", "p1-2": "第一章第2段"})
    assert list(found) == [None, "p1-1", "p1-2"]
    assert found["p1-1"] == ("第一章第1段", "<p>第一段讲稀土。</p>")  # the ¶ number stays out (data-search-exclude)
    title, text = found["p1-2"]
    assert title == "第一章第2段"
    assert text.startswith("<p>第二段有") and text.endswith("</p>") and "<sup>1</sup>" in text
    # A paragraph without an id, the annotation after a paragraph and the notes stay in the chapter's section.
    chapter_title, chapter_text = found[None]
    assert chapter_title == "一、标题"
    for rest in ("没有编号的一段。", "一条注释。", "注一。"):
        assert rest in chapter_text
        assert all(rest not in text for _, text in (found["p1-1"], found["p1-2"]))


def test_a_paragraph_shown_with_its_english_is_one_section_with_both() -> None:
    html = """<h1 id="chapter">一、标题</h1>
<div class="edition-pair"><p id="p1-1">第一段讲稀土。</p><p class="edition-en" data-en-for="p1-1">Rare earths.</p></div>
<div class="edition-pair"><p id="p1-2">第二段。</p><p class="edition-en" lang="en" data-en-for="p1-2">Second.</p></div>
<p>其后的文字。</p>"""
    found = sections(html, {"p1-1": "第一章第1段", "p1-2": "第一章第2段"})
    assert found["p1-1"] == ("第一章第1段", "<p>第一段讲稀土。</p><p>Rare earths.</p>")
    assert found["p1-2"] == ("第一章第2段", "<p>第二段。</p><p>Second.</p>")
    assert found[None] == ("一、标题", "<p>其后的文字。</p>")


@pytest.mark.parametrize("space", ["\n", "\n  ", "&#32;", "\u3000"], ids=["newline", "indent", "entity", "ideographic"])
def test_white_space_between_a_pair_and_its_paragraph_keeps_the_english_with_it(space: str) -> None:
    """Markup laid out on lines (a formatter, a hand-written pair): a match in the English still leads to the
    paragraph, not to the heading above it."""
    html = (
        f'<h1 id="chapter">一、标题</h1><div class="edition-pair">{space}<p id="p1-1">第一段。</p>{space}'
        '<p class="edition-en" lang="en">Rare earths.</p></div><p>其后。</p>'
    )
    found = sections(html, {"p1-1": "第一章第1段"})
    assert "Rare earths." in found["p1-1"][1] and "第一段。" in found["p1-1"][1]
    assert "Rare earths." not in found[None][1]


@pytest.mark.parametrize(
    "html",
    [
        '<div class="edition-pair">前言。<p id="p1-1">第一段。</p></div>',  # text before the paragraph
        '<div class="edition-pair"><p>前言。</p><p id="p1-1">第一段。</p></div>',  # another element first
        '<div class="edition-pair"><div class="edition-pair"><p>前言。</p></div><p id="p1-1">第一段。</p></div>',
    ],
    ids=["text-first", "element-first", "nested-pairs"],
)
def test_a_pair_that_does_not_start_with_its_paragraph_keeps_all_its_text(html: str) -> None:
    """Hand-written markup: the section starts at the paragraph itself, and nothing is lost or moved."""
    found = sections(f'<h1 id="chapter">一、标题</h1>{html}<p>其后。</p>', {"p1-1": "第一章第1段"})
    assert list(found) == [None, "p1-1"]
    assert found["p1-1"] == ("第一章第1段", "<p>第一段。</p>")
    assert "前言。" in found[None][1] and "其后。" in found[None][1]


def test_markup_in_the_text_and_in_a_title_stays_escaped() -> None:
    found = sections(PAGE, {"p1-2": '<img src=x onerror="alert(1)"> & 稀土'})
    title, text = found["p1-2"]
    assert title == '&lt;img src=x onerror="alert(1)"&gt; &amp; 稀土'
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in text and "a &amp; b" in text
    assert "<script>" not in text and "<img" not in title


def test_an_entry_element_holding_paragraphs_is_one_section_and_the_next_heading_starts_its_own() -> None:
    html = """<h2 id="category-person">人物</h2><dl>
<div class="edition-glossary-entry" id="joe-biden"><dt><span>拜登</span></dt>
<dd><p>美国前总统。</p><p>Former president.</p>
<p class="edition-glossary-meta" data-search-exclude>见于</p></dd></div>
<div class="edition-glossary-entry" id="scott-bessent"><dt><span>贝森特</span></dt><dd><p>财政部长。</p></dd></div>
</dl><h2 id="category-place">地名</h2><p>地名说明。</p>"""
    found = sections(html, {"joe-biden": "拜登 · Joe Biden", "scott-bessent": "贝森特 · Scott Bessent"})
    assert list(found) == [None, "category-person", "joe-biden", "scott-bessent", "category-place"]
    assert found["joe-biden"][0] == "拜登 · Joe Biden"
    assert "美国前总统" in found["joe-biden"][1] and "Former president." in found["joe-biden"][1]
    assert "见于" not in found["joe-biden"][1] and "财政部长" not in found["joe-biden"][1]
    assert found["category-place"] == ("地名", "<p>地名说明。</p>")


@pytest.mark.parametrize(
    ("html", "count"),
    [
        ("<p>没有编号。</p>", 0),
        ('<p id="p1-1">一。</p><p id="p1-1">二。</p>', 2),
        ('<div data-search-exclude><p id="p1-1">不入索引。</p></div>', 0),
    ],
    ids=["missing", "twice", "excluded"],
)
def test_an_anchor_not_in_the_page_once_stops_the_build_naming_page_and_id(html: str, count: int) -> None:
    with pytest.raises(EditionError) as caught:
        anchored_sections(html, {"p1-1": "第一章第1段"}, shown="docs/chapter-1.md")
    message = str(caught.value)
    assert message.startswith(f"docs/chapter-1.md: p1-1: {count} elements of the built page")
    assert "give the id to one element" in message


def test_the_index_locates_each_section_at_its_anchor_and_segments_it_as_material_does() -> None:
    index = AnchoredSearchIndex({"chapter-1.md": {"p1-1": "第一章第1段"}}, lang=["zh"])
    page = SimpleNamespace(
        meta={}, title="一、标题", url="chapter-1/", toc=[], content=PAGE, file=SimpleNamespace(src_uri="chapter-1.md")
    )
    index.add_entry_from_context(page)
    by_location = {entry["location"]: entry for entry in index.entries}
    assert list(by_location) == ["chapter-1/", "chapter-1/#p1-1"]
    # The text is cut into words by the plugin's segmenter exactly as before: zero-width spaces between words.
    assert by_location["chapter-1/#p1-1"]["text"].replace(SEPARATOR, "") == "<p>第一段讲稀土。</p>"


# -- the built site --------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def docs(site: Site) -> dict[str, dict[str, str]]:
    index = json.loads((site.root / "search" / "search_index.json").read_text(encoding="utf-8"))
    return {doc["location"]: doc for doc in index["docs"]}


def shown(value: str) -> str:
    return html.unescape(TAG.sub("", value)).replace(SEPARATOR, "")


def test_every_article_paragraph_is_a_result_at_its_anchor_titled_by_its_place(
    docs: dict[str, dict[str, str]], book: Book
) -> None:
    assert book.paragraphs
    for paragraph in book.paragraphs:
        doc = docs.get(f"{site_path(paragraph.page)}#{paragraph.id}")
        assert doc is not None, f"{paragraph.id}: no search document at its anchor"
        assert shown(doc["title"]) == paragraph_place(paragraph.id)
        assert paragraph.start.replace(" ", "") in shown(doc["text"]).replace(" ", ""), paragraph.id


def test_every_glossary_entry_and_timeline_event_is_a_result_at_its_anchor(
    docs: dict[str, dict[str, str]], book: Book
) -> None:
    glossary, timeline = book.reference.glossary.entries, book.reference.timeline.events
    assert glossary and timeline
    for entry in glossary:
        doc = docs.get(f"{site_path(GLOSSARY_PAGE)}#{entry.id}")
        assert doc is not None, f"{entry.id}: no search document at its anchor"
        assert shown(doc["title"]) == f"{entry.zh} · {entry.en}"
    for event in timeline:
        doc = docs.get(f"{site_path(TIMELINE_PAGE)}#{event.id}")
        assert doc is not None, f"{event.id}: no search document at its anchor"
        assert shown(doc["title"]) == f"{span_label(event.span)} {event.title_zh}"
        assert event.title_zh in shown(doc["text"])


def test_the_english_site_titles_its_results_in_english_and_the_chinese_site_in_chinese(book: Book) -> None:
    args = (book.paragraphs, book.reference.glossary.entries, book.reference.timeline.events)
    zh, en = search_anchors(*args), search_anchors(*args, "en")
    assert zh["chapter-2.md"]["p2-4"] == "第二章第4段"
    assert en["chapter-2.md"]["p2-4"] == "Chapter 2, paragraph 4"
    assert en["index.md"]["p0-1"] == "Front page, paragraph 1"
    assert zh[GLOSSARY_PAGE]["joe-biden"] == "拜登 · Joe Biden"
    assert en[GLOSSARY_PAGE]["joe-biden"] == "Joe Biden · 拜登"
    # Every anchor keeps its place; only its title changes.
    assert {page: set(a) for page, a in zh.items()} == {page: set(a) for page, a in en.items()}
    for event in book.reference.timeline.events:
        assert en[TIMELINE_PAGE][event.id] == f"{span_label_en(event.span)} {event.title_en}"


@pytest.mark.parametrize(
    ("start", "end", "shown"),
    [
        (PartialDate(2025, 4, 8), PartialDate(2025, 4, 8), "April 8, 2025"),
        (PartialDate(2025, 4), PartialDate(2025, 4), "April 2025"),
        (PartialDate(2019), PartialDate(2019), "2019"),
        (PartialDate(2025, 2), PartialDate(2025, 3), "February–March 2025"),
        (PartialDate(2025, 12, 30), PartialDate(2026, 1, 2), "December 30, 2025 – January 2, 2026"),
    ],
)
def test_an_events_date_in_english_is_in_american_order(start: PartialDate, end: PartialDate, shown: str) -> None:
    assert span_label_en(Span(start, end)) == shown
