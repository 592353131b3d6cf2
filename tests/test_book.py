"""The book as a reader gets it: every chapter, every sentence and every note of the article."""

from __future__ import annotations

import json
import re
from pathlib import Path

import material
import pytest
from mkdocs.config import load_config
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import Files

from conftest import ROOT, BuildFailed, Site, build_site
from edition.book import check, load_source
from edition.problems import EditionError
from edition.site.search_index import as_utf8
from edition.site.search_worker import SEGMENT_LOOP, SNIPPETS, correct_query_segmentation, with_snippets
from edition.sources.bib import load_bibliography
from edition.text.chapters import plain_text
from site_pages import chinese_view

CHAPTER_URLS = ["", "chapter-1/", "chapter-2/", "chapter-3/", "chapter-4/"]
HEADINGS = [
    "特朗普归来与中美博弈的新阶段",
    "一、从激烈交锋到软着陆",
    "二、特朗普第二任期对华政策走向",
    "三、中国对美博弈亮点纷呈",
    "四、2026年中美关系能否稳中有进？",
]


def source_notes_by_chapter() -> list[list[str]]:
    """The article's numbered notes, chapter by chapter, read from the emended source (not from the edition)."""
    chapters: list[list[str]] = [[]]
    for block in load_source(ROOT).blocks:
        if block.kind == "heading" and block.level == 2:
            chapters.append([])
        chapters[-1] += [
            plain_text(n) for n, number in zip(block.notes, block.note_numbers, strict=True) if number != "*"
        ]
    return chapters


def rendered_notes(site: Site, url: str) -> list[str]:
    page = chinese_view(site.page(url))
    notes = page.select("div.footnote > ol > li")
    return [re.sub(r"\s*↩\s*$", "", " ".join(li.get_text().split())).strip() for li in notes]


def test_the_book_agrees_with_the_emended_source() -> None:
    assert check(ROOT) == []


@pytest.mark.parametrize("url, heading", list(zip(CHAPTER_URLS, HEADINGS, strict=True)))
def test_every_chapter_is_a_page_with_the_articles_heading(site: Site, url: str, heading: str) -> None:
    h1 = chinese_view(site.page(url)).select_one("article h1")
    assert h1 is not None and h1.get_text().startswith(heading)


@pytest.mark.parametrize("chapter", range(5))
def test_every_note_of_the_article_is_rendered_in_order_with_its_url_locator_and_prefix(
    site: Site, chapter: int
) -> None:
    expected = source_notes_by_chapter()[chapter]
    assert rendered_notes(site, CHAPTER_URLS[chapter]) == expected


def test_notes_are_numbered_per_chapter_with_back_links_and_tooltips(site: Site) -> None:
    page = chinese_view(site.page("chapter-2/"))
    numbers = [a.get_text() for a in page.select("article sup a.footnote-ref")]
    assert numbers == ["1", "2", "3", "4", "5"]
    assert len(page.select("div.footnote a.footnote-backref")) == 5
    config = json.loads(page.select_one("script#__config").get_text())
    assert "content.footnote.tooltips" in config["features"]


def test_locators_prefixes_and_short_forms_read_as_in_the_article(site: Site) -> None:
    ch2 = rendered_notes(site, "chapter-2/")
    assert ch2[4].endswith("“2026 National Defense Strategy,” January 23, 2026, pp.3-4, pp.9-10.")
    assert rendered_notes(site, "chapter-1/")[1].startswith("参见《习近平同美国总统特朗普通电话》")
    assert rendered_notes(site, "chapter-3/")[2] == "U.S. Department of War, “2026 National Defense Strategy,” p.9."
    assert rendered_notes(site, "chapter-4/")[3] == "《习近平同美国总统特朗普通电话》，2026年2月4日。"


def test_note_urls_are_links_to_the_clean_address(site: Site) -> None:
    page = site.page("chapter-1/")
    hrefs = [a["href"] for a in page.select("div.footnote a[href^='https://']")]
    assert "https://www.fmprc.gov.cn/fyrbt_673021/jzhs1_673025/202504/t20250408_11590221.shtml" in hrefs


def test_no_conversion_artifacts_reach_a_page(site: Site) -> None:
    for url in CHAPTER_URLS:
        text = site.page(url).select_one("article").get_text()
        assert "\\" not in text, url
        assert "<sup>" not in text and "[1]" not in text, url
        assert not re.search(r"\d 年|年 \d|[\u4e00-\u9fff] and [\u4e00-\u9fff]", text), url


def test_emendations_are_applied_on_the_pages(site: Site) -> None:
    text = "".join(site.page(url).select_one("article").get_text() for url in CHAPTER_URLS)
    emendations = load_source(ROOT).emendations.emendations
    for e in emendations:
        if e.kind in {"spacing", "stray-word"}:
            assert e.after in text and e.before not in text, e.before


def test_paragraphs_cut_by_page_breaks_are_one_paragraph(site: Site) -> None:
    paragraphs = [p.get_text() for url in CHAPTER_URLS for p in site.page(url).select("article p")]
    for join in load_source(ROOT).emendations.joins:
        assert any(join.end + join.start in p for p in paragraphs), join.end
    assert not any(p.startswith("向，也在") for p in paragraphs)


def test_references_page_lists_every_source_grouped_with_links(site: Site) -> None:
    page = site.page("references/")
    groups = [h.get("id") for h in page.select("div.edition-references h2")]
    assert groups == ["cn-official", "us-government", "media", "scholarship"]
    items = page.select("li[id]")
    assert sorted(li["id"] for li in items) == sorted(load_bibliography(ROOT / "refs.bib").entries)
    economist = page.select_one("li#economist-fan-club-2025-11-13")
    assert economist.select_one("a[href='https://www.economist.com/china/2025/11/13/chinas-growing-global-fan-club']")
    assert economist["lang"] == "en"


def test_emendations_page_lists_before_after_place_and_reason(site: Site) -> None:
    page = site.page("emendations/")
    rows = page.select("#textual ~ div table tbody tr")
    emendations = load_source(ROOT).emendations.emendations
    assert len(rows) >= len(emendations)
    first = rows[0].get_text()
    assert "□ 吴心伯" in first and "版式" in first


def test_chinese_search_is_segmented_by_jieba(site: Site) -> None:
    index = json.loads((site.root / "search" / "search_index.json").read_text(encoding="utf-8"))
    assert index["config"]["lang"] == ["zh"]
    assert any("稀土" in doc["text"] for doc in index["docs"])
    # jieba inserts separators between words of running Chinese text.
    assert any("\u200b" in doc["text"] for doc in index["docs"])


def test_the_search_index_is_written_as_utf8_text(site: Site) -> None:
    """Chinese in the index as characters, not six-byte escapes: smaller for a reader to download."""
    raw = (site.root / "search" / "search_index.json").read_bytes()
    assert "稀土".encode() in raw
    assert not re.search(rb"\\u[4-9][0-9a-f]{3}", raw), "CJK characters written as \\u escapes"


def test_the_index_as_utf8_is_the_same_index() -> None:
    plugin_wrote = json.dumps(
        {
            "config": {"separator": "[\\s\u200b\u3001]+", "fields": {"title": {"boost": 1000.0}}},
            "docs": [{"location": "a/#x", "title": "稀土", "text": '<p>对\u200b等 "关税" \\ \u2028</p>'}],
        },
        separators=(",", ":"),
    ).encode()
    written = as_utf8(plugin_wrote)
    assert json.loads(written) == json.loads(plugin_wrote)
    assert list(json.loads(written)["docs"][0]) == ["location", "title", "text"]  # keys keep their order
    assert "稀土".encode() in written and b"\\u7a00" not in written
    assert b"1000.0" in written
    assert len(written) < len(plugin_wrote)


def test_an_index_utf8_cannot_hold_is_left_as_it_was() -> None:
    lone_surrogate = b'{"docs":[{"text":"\\ud800 \\u7a00"}]}'
    assert as_utf8(lone_surrogate) == lone_surrogate


def test_search_indexes_the_text_not_the_edition_apparatus(site: Site) -> None:
    """A search for 吴心伯 or 第二章 should find the article and the glossary's definitions, not the citation box
    repeated on every chapter, the ¶ numbers, or the "used in" lists of the generated pages."""
    index = json.loads((site.root / "search" / "search_index.json").read_text(encoding="utf-8"))
    docs = index["docs"]

    def text_of(prefix: str) -> str:
        return "".join(doc["text"] for doc in docs if doc["location"].startswith(prefix)).replace("\u200b", "")

    chapter = text_of("chapter-2/")
    assert "对华态度的两面性" in chapter  # the article's words are there…
    assert "¶" not in chapter  # …but not the paragraph numbers,
    assert "APA" not in chapter and "Cite this" not in chapter and "复制" not in chapter  # nor the cite box
    glossary, timeline = text_of("glossary/"), text_of("timeline/")
    assert "Entity List" in glossary and "Dong Jun" in glossary  # definitions and renderings stay searchable
    for apparatus in ("Used in", "第二章第1段", "See also", "Download", "Filter"):
        assert apparatus not in glossary, apparatus
    assert glossary.count("官方译名") == 1  # named once in the page's introduction, not beside each of 90 entries
    assert "In the text" not in timeline and "Sources" not in timeline and "第二章第1段" not in timeline
    front = "".join(doc["text"] for doc in docs if doc["location"] in {"", "#"} or doc["location"].startswith("#"))
    assert "摘要" in front or "提要" in front or "关键词" in front
    assert "APA" not in front and "How to cite" not in front  # the front page's open citation box
    assert "见于" not in text_of("references/")


# -- bad input stops the build with file, line and key ---------------------------------------------


def test_an_unknown_citation_key_stops_the_build_with_file_line_and_key(project_copy: Path, tmp_path: Path) -> None:
    chapter = project_copy / "docs" / "chapter-3.md"
    chapter.write_text(chapter.read_text().replace("[@huanqiu-pew-2025-07-17]", "[@huanqiu-pew-2025-07-71]"))
    line = next(i for i, text in enumerate(chapter.read_text().split("\n"), 1) if "huanqiu-pew-2025-07-71" in text)
    with pytest.raises(
        BuildFailed,
        match=rf"docs/chapter-3.md:{line}: huanqiu-pew-2025-07-71: unknown citation key; "
        r"did you mean 'huanqiu-pew-2025-07-17'",
    ):
        build_site(project_copy, tmp_path / "site")


def test_a_changed_word_in_a_chapter_is_caught_by_the_fidelity_check(project_copy: Path) -> None:
    chapter = project_copy / "docs" / "chapter-2.md"
    chapter.write_text(chapter.read_text().replace("语焉不详", "语焉不祥"))
    problems = [str(p) for p in check(project_copy)]
    assert len(problems) == 1
    assert problems[0].startswith("docs/chapter-2.md:") and "语焉不详" in problems[0] and "语焉不祥" in problems[0]


def test_a_moved_note_is_caught_by_the_fidelity_check(project_copy: Path) -> None:
    chapter = project_copy / "docs" / "chapter-4.md"
    text = chapter.read_text()
    chapter.write_text(
        text.replace("[@gong-2025-trump-policy]", "", 1).replace(
            "推动中美关系迈上新台阶。", "推动中美关系迈上新台阶。[@gong-2025-trump-policy]"
        )
    )
    assert any("chapter-4.md" in str(p) for p in check(project_copy))


def test_an_unused_bib_entry_is_an_error(project_copy: Path) -> None:
    bib = project_copy / "refs.bib"
    bib.write_text(
        bib.read_text() + "\n@online{spare-2025,\n  title = {Spare},\n  publisher = {X},\n  date = {2025},\n"
        "  langid = {english},\n  keywords = {media},\n}\n"
    )
    problems = [str(p) for p in check(project_copy)]
    assert any(p.startswith("refs.bib:") and "spare-2025: entry is cited nowhere" in p for p in problems)


def test_an_entry_cited_only_by_an_annotation_is_cited(project_copy: Path) -> None:
    """An annotation's citation counts as the entry's use, as a page's does; an entry cited nowhere is still named."""
    bib = project_copy / "refs.bib"
    spare = (
        "\n@online{{{key},\n  title = {{Spare}},\n  publisher = {{X}},\n  date = {{2025}},\n  langid = {{english}},\n"
        "  keywords = {{media}},\n}}\n"
    )
    bib.write_text(bib.read_text() + spare.format(key="cited-by-a-note-2025") + spare.format(key="spare-2025"))
    note = project_copy / "annotations" / "p2-4-policy-substance.md"
    note.write_text(note.read_text().rstrip("\n") + " [@cited-by-a-note-2025]\n")
    problems = [str(p) for p in check(project_copy)]
    assert not any("cited-by-a-note-2025" in p for p in problems), problems
    assert any(p.startswith("refs.bib:") and "spare-2025: entry is cited nowhere" in p for p in problems), problems


def test_a_missing_emendation_target_is_reported_with_its_line(project_copy: Path) -> None:
    emendations = project_copy / "source" / "emendations.yml"
    emendations.write_text(
        emendations.read_text().replace("before: 中国对美博弈的资源 and 手段", "before: 中国对美博弈的资源 or 手段")
    )
    problems = [str(p) for p in check(project_copy)]
    assert any(p.startswith("source/emendations.yml:") and "occurs 0 times" in p for p in problems)


def test_each_emendation_names_the_paragraph_that_now_carries_its_text() -> None:
    """A reader following 'where' lands on the paragraph holding the emended words."""
    pages = {
        n: (ROOT / "docs" / n).read_text(encoding="utf-8")
        for n in ["index.md", "chapter-1.md", "chapter-2.md", "chapter-3.md", "chapter-4.md"]
    }
    blocks = {
        m.group(1): block
        for text in pages.values()
        for block in text.split("\n\n")
        for m in [re.search(r"\{#(p\d+-\d+)\}", block)]
        if m
    }
    source = load_source(ROOT).emendations
    named = [(e.where, e.after) for e in source.emendations if re.search(r"p\d+-\d+", e.where)]
    named += [(j.where, j.end + j.start) for j in source.joins]
    assert len(named) >= 15
    for where, words in named:
        paragraph = re.search(r"p\d+-\d+", where).group(0)
        assert words in blocks[paragraph], (where, words)


def test_citations_are_read_as_mkdocs_bibtex_reads_them() -> None:
    """Our reader of the citation syntax agrees with the plugin's own on every citation block of the book."""
    from mkdocs_bibtex.citation import CitationBlock as PluginBlock

    from edition.sources.citations import find_citation_blocks

    texts = [p.read_text(encoding="utf-8") for p in sorted((ROOT / "docs").glob("*.md"))]
    texts += [p.read_text(encoding="utf-8") for p in sorted((ROOT / "annotations").glob("*.md"))]
    texts.append("见[参见 @a-1, 第3页; @b_2, pp.3-4, pp.9-10]与[see @c]；邮件 [x@example.com]；[^fn] [@d]。")
    compared = 0
    for text in texts:
        ours = [[(r.prefix, r.key, r.locator) for r in b.refs] for b in find_citation_blocks(text)]
        theirs = [
            [(c.prefix.strip(), c.key, c.suffix.strip()) for c in b.citations]
            for b in PluginBlock.from_markdown(text)
            if not b.raw.startswith("^")
        ]
        assert ours == theirs
        compared += len(ours)
    assert compared >= 20


def test_the_search_worker_tries_words_that_end_a_chinese_query(site: Site) -> None:
    """Material's worker segments a query into index words but never tried one ending the query; the site's copy
    does."""
    name = next(p.name for p in (site.root / "assets/javascripts/workers").glob("search.*.min.js"))
    shipped = (Path(material.__file__).parent / "templates/assets/javascripts/workers" / name).read_text(
        encoding="utf-8"
    )
    served = (site.root / "assets/javascripts/workers" / name).read_text(encoding="utf-8")
    assert SEGMENT_LOOP.search(shipped) and not SEGMENT_LOOP.search(served)
    corrected = correct_query_segmentation(shipped, shown=name)
    assert len(corrected) == len(shipped) + 1  # one character changed: `<` became `<=`, nothing else
    # … and the script that shortens the results added after the worker (tests/test_search_browser.py), nothing else.
    assert served == with_snippets(corrected, shown=name)
    script = SNIPPETS.read_text(encoding="utf-8")
    assert served.replace("\n" + script, "", 1) == corrected


def test_a_changed_search_worker_stops_the_build_with_what_to_do() -> None:
    with pytest.raises(EditionError) as caught:
        correct_query_segmentation("function s(t,e){for(let n of t)e.add(n)}", shown="workers/search.0123abcd.min.js")
    message = str(caught.value)
    assert message.startswith("workers/search.0123abcd.min.js: ")
    assert "not found" in message and "SEGMENT_LOOP" in message and "hooks/search_query.py" in message


def test_a_worker_answering_in_another_message_stops_the_build_with_what_to_do() -> None:
    with pytest.raises(EditionError) as caught:
        with_snippets("postMessage({kind:'result',data:d})", shown="workers/search.0123abcd.min.js")
    message = str(caught.value)
    assert message.startswith("workers/search.0123abcd.min.js: ")
    assert "search_snippets.js" in message and "RESULT_MESSAGE" in message


def test_a_theme_without_the_search_worker_stops_the_build() -> None:
    config = load_config(str(ROOT / "mkdocs.yml"))
    [on_files] = [m for m in config.plugins.events["files"] if m.__module__ == "hooks/search_query.py"]
    with pytest.raises(PluginError, match=r"hooks/search_query\.py: expected one Material search worker .* found 0"):
        on_files(Files([]), config=config)
