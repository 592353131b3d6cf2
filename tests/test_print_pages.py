"""The printed article's pages in the text: |36| … where each page of the journal begins (issue 15).

A reader cites the print page from these, so each must stand exactly where its page begins. The
expected places are found here from source/article.md itself (a page's foot of notes, then the text
that starts the next page) and from the page joins the editors listed, not from the build's own code.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import yaml
from bs4 import BeautifulSoup, NavigableString, Tag

from browsing import visit
from conftest import Site
from edition.book import check
from edition.paths import ARTICLE_PAGES
from edition.problems import EditionError
from edition.site.page_markers import with_page_markers
from edition.text.chapters import PageBlock
from edition.text.conversion import NOTE_PLACEHOLDER, Block, parse_article
from edition.text.print_pages import PageStart, page_starts
from site_pages import pages_of_paragraphs, url_of

ROOT = Path(__file__).resolve().parent.parent
FOOT = re.compile(r"^(?:---$|\[\d+\] |\\\* )")
HEADING = re.compile(r"^#+\s+")


def expected_page_starts() -> list[str]:
    """The first words of each page after the first, in order: the text after a page's foot, and the second
    half of a page join with no foot between its halves (a page without notes)."""
    lines = (ROOT / "source/article.md").read_text(encoding="utf-8").split("\n")
    joins = yaml.safe_load((ROOT / "source/emendations.yml").read_text(encoding="utf-8"))["page_joins"]
    starts: list[tuple[int, str]] = []
    foot = False
    for number, line in enumerate(lines):
        text = line.strip()
        if not text:
            continue
        if FOOT.match(text):
            foot = True
            continue
        body = HEADING.sub("", text)
        cut_here = any(body.startswith(join["start"]) for join in joins)
        if foot or cut_here:
            starts.append((number, words(body)[:6]))
        foot = False
    return [start for _, start in starts]


def words(text: str) -> str:
    return "".join(text.split())


def words_after(marker: Tag) -> str:
    """What a reader reads after the marker in its block: the article's words, a note call as one mark."""
    block = marker.find_parent(["p", "h1"])
    assert block is not None
    out: list[str] = []
    started = False
    for node in block.descendants:
        if node is marker:
            started = True
        if not started or not isinstance(node, NavigableString):
            continue
        parent = node.parent
        if parent is not None and parent.find_parent(class_=["edition-para-number", "edition-en", "headerlink"]):
            continue
        if parent is not None and (parent.name == "sup" or parent.find_parent("sup")):
            continue
        out.append(str(node))
    return words("".join(out))


def article(site: Site, src_uri: str) -> BeautifulSoup:
    return BeautifulSoup(
        (site.root / url_of(ROOT / "docs" / src_uri) / "index.html").read_text(encoding="utf-8"), "html.parser"
    )


def test_each_printed_page_is_marked_where_it_begins_in_order(site: Site) -> None:
    record = yaml.safe_load((ROOT / "data/article.yml").read_text(encoding="utf-8"))
    markers = [m for page in ARTICLE_PAGES for m in article(site, page).select("span.edition-page")]
    numbers = [int(str(m["data-page"])) for m in markers]
    assert numbers == list(range(record["first_page"] + 1, record["last_page"] + 1))
    assert [words_after(m)[:6] for m in markers] == expected_page_starts()


def test_the_build_knows_the_pages_each_paragraph_runs_over_as_a_reader_of_the_marks_does(site: Site, book) -> None:
    record = yaml.safe_load((ROOT / "data/article.yml").read_text(encoding="utf-8"))
    assert dict(book.paragraph_pages) == pages_of_paragraphs(site.root, record["first_page"])


def test_the_english_site_marks_the_chinese_text_too(site: Site) -> None:
    chapter = BeautifulSoup((site.root / "en/chapter-1/index.html").read_text(encoding="utf-8"), "html.parser")
    markers = chapter.select("span.edition-page")
    assert markers
    for marker in markers:
        block = marker.find_parent(["p", "span"])
        assert block is not None and block.get("lang") != "en" and marker.find_parent(class_="edition-en") is None


def test_a_marker_is_drawn_but_not_copied_or_searched(site: Site, site_url: str, browser) -> None:
    with visit(browser, site_url + "chapter-1/?view=zh") as seen:
        page = seen.page
        marker = page.locator('span.edition-page[data-page="38"]')
        drawn = marker.evaluate("m => getComputedStyle(m, '::before').content")
        # drawn for the eye; its alternative text empty, so a screen reader reads the sentence whole
        assert drawn == '"|38|" / ""'
        assert marker.is_visible()
        copied = marker.evaluate(
            """m => { const p = m.closest('p'); const range = document.createRange(); range.selectNodeContents(p);
                 const s = getSelection(); s.removeAllRanges(); s.addRange(range); return s.toString(); }"""
        )
        assert "达成的广泛共识" in copied and "|" not in copied
    index = json.loads((site.root / "search/search_index.json").read_text(encoding="utf-8"))
    [found] = [doc["text"] for doc in index["docs"] if doc["location"] == "chapter-1/#p1-3"]
    assert "达成的广泛共识" in found.replace("\u200b", "")  # search reads the words across the break as one phrase


def test_the_parser_finds_a_break_after_a_foot_and_at_a_join_with_no_foot() -> None:
    text = (
        "第一段的前半<sup>[1]</sup>，走\n\n---\n\n[1] 注一。\n\n向后半。\n\n第二段到页末。<sup>[1]</sup>\n\n"
        "[1] 注二。\n\n第三段前半\n\n后半。<sup>[1]</sup>\n\n---\n\n[1] 末页的注。\n"
    )
    blocks, problems = parse_article(text, [("，走", "向后半"), ("第三段前半", "后半")])
    assert problems == []
    assert [(b.text.replace(NOTE_PLACEHOLDER, "^"), b.page_breaks) for b in blocks] == [
        ("第一段的前半^，走向后半。", [len("第一段的前半^，走")]),
        ("第二段到页末。^", []),
        ("第三段前半后半。^", [0, len("第三段前半")]),  # after the foot of notes; then a page with none
    ]


def test_pages_that_disagree_with_the_breaks_stop_the_check(project_copy: Path) -> None:
    path = project_copy / "data/article.yml"
    path.write_text(path.read_text(encoding="utf-8").replace("last_page: 48", "last_page: 49"), encoding="utf-8")
    problems = check(project_copy)
    assert any(
        p.file == "data/article.yml"
        and p.key == "last_page"
        and "need 14" in p.message
        and "emendations.yml" in p.message
        for p in problems
    ), problems


def start(number: int, target: str, before: str) -> PageStart:
    return PageStart(number, "chapter-1.md", target, before, 1)


PARAGRAPH = (
    '<p id="p1-3"><a class="edition-para-number" href="#p1-3">¶3</a>前半<a class="edition-term" href="#t">达成</a>'
    '<sup id="fnref:1"><a href="#fn:1">1</a></sup><sup class="edition-annotation-ref"><a href="#a">注</a></sup>'
    "的广泛 共识&amp;后半</p>"
)


@pytest.mark.parametrize(
    ("before", "after"),
    [
        ("", '¶3</a><span class="edition-page" data-page="38"'),  # after the ¶ link, before the words
        ("前", '前<span class="edition-page" data-page="38"'),  # inside a run of words
        ("前半", '前半<span class="edition-page" data-page="38"'),  # before the term's link, not inside it
        ("前半达成", '达成</a><span class="edition-page" data-page="38"'),  # after the link it ended in
        ("前半达成" + NOTE_PLACEHOLDER, '注</a></sup><span class="edition-page" data-page="38"'),  # after the calls
        ("前半达成" + NOTE_PLACEHOLDER + "的广泛", '的广泛<span class="edition-page" data-page="38"'),
        ("前半达成" + NOTE_PLACEHOLDER + "的广泛共识&", '&amp;<span class="edition-page" data-page="38"'),
    ],
)
def test_the_marker_stands_after_exactly_the_words_before_the_break(before: str, after: str) -> None:
    marked = with_page_markers(PARAGRAPH, [start(38, "p1-3", before)], shown="docs/chapter-1.md")
    assert after in marked
    assert re.sub(r'<span class="edition-page"[^>]*></span>', "", marked) == PARAGRAPH


def test_a_break_at_a_title_goes_into_its_chinese() -> None:
    heading = (
        '<h1 id="x"><span class="edition-zh">三、标题</span> <span class="edition-en" lang="en">3. Title</span></h1>'
    )
    marked = with_page_markers(heading, [PageStart(42, "chapter-3.md", "", "", 81)], shown="docs/chapter-3.md")
    assert marked.startswith('<h1 id="x"><span class="edition-zh"><span class="edition-page" data-page="42"')


@pytest.mark.parametrize(
    ("html", "before", "message"),
    [
        (PARAGRAPH, "前半达成的", "rendered words read «…前半达成"),  # a note call where the source has none
        (PARAGRAPH.replace("前半", "前后"), "前半", "rendered words read «…前后»"),  # other words
        ('<p id="p1-3">短</p>', "短段落的前半", "rendered words read «…短»"),  # the paragraph ends first
        ('<p id="p9-9">前半</p>', "前半", "the page has no such block"),
    ],
)
def test_a_marker_with_no_true_place_stops_the_build(html: str, before: str, message: str) -> None:
    with pytest.raises(EditionError) as caught:
        with_page_markers(html, [start(38, "p1-3", before)], shown="docs/chapter-1.md")
    [problem] = caught.value.problems
    assert problem.file == "docs/chapter-1.md" and problem.key == "p1-3"
    assert message in problem.message and "page 38" in problem.message


def test_hostile_markup_in_the_paragraph_cannot_move_or_break_out_of_the_marker() -> None:
    html = '<p id="p1-3">前<!-- 半 -->半&lt;x&gt;后</p>'
    marked = with_page_markers(html, [start(38, "p1-3", "前半<x>")], shown="docs/chapter-1.md")
    assert marked.count('class="edition-page"') == 1
    assert '&gt;<span class="edition-page" data-page="38"' in marked


def _breaks(*page_breaks: list[int]) -> tuple[list[Block], list[PageBlock]]:
    """Paragraphs of a source, their breaks as given, and the same paragraphs in the edition."""
    source = [
        Block("paragraph", "一二三四五六", 10 * (i + 1), page_breaks=breaks) for i, breaks in enumerate(page_breaks)
    ]
    edition = [PageBlock("chapter-1.md", i + 1, "paragraph", f"p1-{i + 1}", "一二三四五六") for i in range(len(source))]
    return source, edition


@pytest.mark.parametrize(
    ("last_page", "advice"),
    [
        # one break too many: a join of two halves printed on one page, or a rule that is no page's foot
        (36, "one more than pp. 35–36 have"),
        # one too few: a page whose break was not recorded
        (38, "one fewer than pp. 35–38 have"),
    ],
)
def test_a_wrong_count_of_breaks_says_which_way_and_where_the_breaks_are(last_page: int, advice: str) -> None:
    source, edition = _breaks([0], [3], [])  # pages 36 and 37 begin in p1-1 and p1-2
    starts, [problem] = page_starts(source, edition, 35, last_page)
    assert starts == []
    assert (problem.file, problem.key) == ("data/article.yml", "last_page")
    assert advice in problem.message
    # Where the breaks were found, so the contributor can tell the one too many or the place of the one missing.
    for where in ("page 36 in p1-1 (the block from source/article.md line 10)", "page 37 in p1-2 (the block from"):
        assert where in problem.message
    too_many = last_page == 36
    assert ("remove" in problem.message) == too_many and ("list the page join" in problem.message) != too_many
