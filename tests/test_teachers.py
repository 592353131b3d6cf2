"""For teachers, without a browser: what the pages give the range panel and the printer, and that hostile data
cannot break out of either (the browser side: tests/test_teachers_browser.py)."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from conftest import ROOT, Site, build_site
from edition.dates import reference_date
from edition.escape import css_string, json_script, one_line
from edition.problems import EditionError
from edition.reference.article import citations, load_article, range_citations

if TYPE_CHECKING:
    from edition.book import Book

CHAPTER_2 = "二、特朗普第二任期对华政策走向"
CSS_ESCAPE = re.compile(r"\\([0-9a-f]{1,6}) ?")


def css_read(string: str) -> str:
    """A double-quoted CSS string as a browser reads it: the quotes off, each hex escape decoded."""
    assert string.startswith('"') and string.endswith('"')
    inner = string[1:-1]
    assert '"' not in inner and "\n" not in inner, "the string ends early"
    return CSS_ESCAPE.sub(lambda m: chr(int(m.group(1), 16)), inner)


def filled(parts: list, **slots: str) -> str:
    return "".join(part if isinstance(part, str) else slots[part["slot"]] for part in parts)


@pytest.mark.parametrize(
    "value",
    [
        '特朗普" } body { display: none } @page { x: "',
        "</style><script>alert(1)</script>",
        "a\\\"b'c\nd\u2028e &amp; f",
        "Trump’s Return — 第35–48页",
    ],
)
def test_a_css_string_holds_any_text_and_reads_back_the_same(value: str) -> None:
    written = css_string(value)
    assert "<" not in written and ">" not in written  # no </style> can end the element
    assert css_read(written) == one_line(value)


@pytest.mark.parametrize("value", ["</script><script>alert(1)</script>", "<!--", "a\u2028b & c > d", "“引号”"])
def test_json_for_a_script_element_cannot_end_it_and_parses_back(value: str) -> None:
    data = {"title": value, "parts": [value, {"slot": "url"}]}
    written = json_script(data)
    assert "<" not in written and ">" not in written and "&" not in written
    assert json.loads(written) == data


@pytest.fixture(scope="module")
def article() -> dict:
    return load_article(ROOT, today=reference_date())


def test_a_range_is_cited_with_the_cite_boxs_wording_plus_the_range_the_anchor_and_the_date(article: dict) -> None:
    styles = {s["style"]: s for s in range_citations(article, chapter_title=CHAPTER_2)}
    assert set(styles) == {"gbt", "apa", "chicago-note"}
    url = "https://example.org/chapter-2/#p2-3-4"
    slots = {
        "url": url,
        "range_zh": "第二章第3—4段",
        "range_en": "ch. 2, paras. 3–4",
        "accessed_iso": "2026-12-02",
        "accessed_en": "December 2, 2026",
        "pages_zh": "40-41",  # what ranges.js fills in from the paragraphs' pages
        "pages_en": "40–41",
    }
    gbt = filled(styles["gbt"]["parts"], **slots)
    assert gbt == (
        "吴心伯. 特朗普归来与中美博弈的新阶段：二、特朗普第二任期对华政策走向[J/OL]. 国际问题研究, 2026(2): "
        "40-41（第二章第3—4段）[2026-12-02]. https://example.org/chapter-2/#p2-3-4."
    )
    apa = filled(styles["apa"]["parts"], **slots)
    assert apa.endswith(
        "Guoji Wenti Yanjiu [International Studies], (2), 35–48 (ch. 2, paras. 3–4). "
        "Retrieved December 2, 2026, from https://example.org/chapter-2/#p2-3-4"
    )
    note = filled(styles["chicago-note"]["parts"], **slots)
    assert note.endswith(
        f"no. 2 (2026): 40–41, section “{CHAPTER_2}”, ch. 2, paras. 3–4, accessed December 2, 2026, "
        "https://example.org/chapter-2/#p2-3-4."
    )
    # The fixed parts are the chapter's citation: take the range and the date out and the cite box's text is left.
    # (with the range's pages where the chapter's would be: a citation cites the pages of what it cites)
    cited = citations(article, chapter=2, chapter_title=CHAPTER_2, url=url, pages=(40, 41))
    chapter = {c.style: c.text for c in cited}
    assert gbt.replace("（第二章第3—4段）[2026-12-02]", "") == chapter["gbt"]
    assert apa.replace(" (ch. 2, paras. 3–4). Retrieved December 2, 2026, from", ".") == chapter["apa"]
    assert note.replace(", ch. 2, paras. 3–4, accessed December 2, 2026", "") == chapter["chicago-note"]


def test_a_title_cannot_pose_as_one_of_the_browsers_slots(project_copy: Path) -> None:
    """The slots are private-use characters; the checks refuse them in data/article.yml, with the line."""
    path = project_copy / "data" / "article.yml"
    path.write_text(path.read_text(encoding="utf-8").replace("  zh: 特朗普归来", "  zh: 特朗普\ue001归来", 1), "utf-8")
    with pytest.raises(EditionError) as caught:
        load_article(project_copy, today=reference_date())
    assert "data/article.yml:11: private-use character U+E001" in str(caught.value)


def test_each_article_page_carries_its_print_heading_and_its_range_data(site: Site) -> None:
    for url, place in (("", "首页"), ("chapter-2/", "第二章")):
        page = site.page(url)
        style = page.select_one("style#edition-print-page")
        assert style is not None and style.get("media") == "print", url
        heading = style.get_text()
        for expected in ("吴心伯", "特朗普归来与中美博弈的新阶段", "国际问题研究", "2026年第2期", "第35–48页", "no. 2"):
            assert expected in heading, (url, expected)
        data = json.loads(page.select_one("script#edition-range-citations").get_text())
        assert data["place_zh"] == place
        assert [s["style"] for s in data["styles"]] == ["gbt", "apa", "chicago-note"]
    assert "二、特朗普第二任期对华政策走向" in site.page("chapter-2/").select_one("style#edition-print-page").get_text()
    for url in ("glossary/", "teachers/"):
        assert site.page(url).select_one("style#edition-print-page") is None, url


def test_a_hostile_title_stays_inside_the_print_heading_and_the_range_data(project_copy: Path, tmp_path: Path) -> None:
    path = project_copy / "data" / "article.yml"
    # Braces and backslashes are refused in titles (tests/test_attacks_data.py); quotes are text, and must stay in.
    hostile = "特朗普\" ; content: 'x' ; "
    quoted = hostile.replace("'", "''")  # YAML single quotes
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("  zh: 特朗普归来与中美博弈的新阶段", f"  zh: '{quoted}'", 1), encoding="utf-8")
    build_site(project_copy, tmp_path / "site")
    page = Site(tmp_path / "site").page("chapter-2/")
    heading = page.select_one("style#edition-print-page").get_text()
    top = re.search(r'@top-center \{ content: ("[^"]*") "\\A" ("[^"]*"); \}', heading)
    assert top is not None, heading
    assert css_read(top.group(1)).startswith(f"吴心伯《{hostile}》")
    data = json.loads(page.select_one("script#edition-range-citations").get_text())
    assert data["styles"][0]["parts"][0].startswith(f"吴心伯. {hostile}：")


def test_annotations_are_repeated_as_endnotes_for_print_in_the_order_of_their_passages(site: Site, book: Book) -> None:
    for chapter in range(1, 5):
        page = site.page(f"chapter-{chapter}/")
        on_page = {a.anchor: a for a in book.annotations if a.target.startswith(f"p{chapter}-")}
        section = page.select_one("section.edition-endnotes")
        if not on_page:
            assert section is None, chapter
            continue
        assert section is not None and section.has_attr("data-search-exclude"), chapter
        # A passage across a link is marked in pieces: its first piece places it.
        marked = list(dict.fromkeys(str(m["data-annotation"]) for m in page.select("mark.edition-annotated")))
        endnotes = section.select("li.edition-endnote")
        assert sorted(marked) == sorted(on_page), chapter
        assert [e["data-target"] for e in endnotes] == [on_page[m].target for m in marked], chapter
        for endnote, anchor in zip(endnotes, marked, strict=True):
            assert on_page[anchor].exact in endnote.select_one(".edition-endnote-quote").get_text()
            assert not endnote.select("[id]"), "the note on screen holds the ids"


def test_the_books_pdfs_leave_the_endnotes_out_as_they_leave_out_the_annotations(site: Site) -> None:
    from edition.outputs.pdf import article_html

    page = site.page("chapter-2/")
    assert page.select_one("section.edition-endnotes") is not None  # the page has them, for the browser's print
    _, chapter = article_html(site.root, "chapter-2.md", 2)
    assert "edition-endnotes" not in chapter and "本版注释" not in chapter


def test_endnotes_come_in_the_order_of_their_passages_a_passage_in_pieces_placed_by_its_first() -> None:
    from types import SimpleNamespace
    from typing import cast

    from edition.reference.annotations import Annotation
    from edition.site.reader_tools import in_passage_order

    def mark(anchor: str) -> str:
        return f'<mark class="edition-annotated" data-annotation="{anchor}">…</mark>'

    # A's passage runs across a link (two pieces) around B's; C is not on the page at all and goes last.
    html = f"<p>{mark('a')}<a href='#'>x</a>{mark('b')}{mark('a')}</p>"
    notes = cast("list[Annotation]", [SimpleNamespace(anchor=name) for name in ("c", "b", "a")])
    assert [n.anchor for n in in_passage_order(html, notes)] == ["a", "b", "c"]
