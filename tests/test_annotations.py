"""Annotations: beside their passage, listed, exported as W3C Web Annotations, and refused when wrong or unsafe."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from conftest import ROOT, BuildFailed, Site, build_site
from edition.book import check
from edition.dates import reference_date
from edition.problems import EditionError
from edition.reference.annotations import Annotation, load_annotations, parse_annotation, render_body, sanitize
from edition.sources.bib import load_bibliography

GOOD = """---
target: p2-4
exact: 语焉不详
type: context
author: reader
date: 2026-11-24
language: zh-Hans
---
{body}
"""


def plant(project: Path, name: str, text: str) -> Path:
    folder = project / "annotations"
    folder.mkdir(exist_ok=True)
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def problems_of(project: Path) -> list[str]:
    return [str(p) for p in check(project)]


# -- in the built book ------------------------------------------------------------------------------------


def test_each_annotation_marks_its_passage_and_opens_below_its_paragraph(site: Site) -> None:
    page = site.page("chapter-1/")
    mark = page.select_one("p#p1-3 mark.edition-annotated")
    # The second of the two 穿透性规则 in the paragraph is not marked: the prefix chose the first.
    assert mark.get_text() == "穿透性规则"
    mark.insert_before("[[")
    mark.insert_after("]]")
    assert "美商务部在9月29日出台所谓[[穿透性规则]]" in page.select_one("p#p1-3").get_text()
    aside = page.select_one("aside#annotation-p1-3-penetration-rule")
    # Below its paragraph, among the notes on it (a contributor may add another on the same paragraph).
    # (the paragraph itself, or the pair that holds it with its English: hooks/translation_views.py)
    between = aside.find_previous_sibling(["p", "div"])
    paragraph = between if between is None or between.name == "p" else between.select_one("p#p1-3")
    assert paragraph is not None and paragraph.get("id") == "p1-3"
    assert aside is not None and aside.select_one("details > summary")
    assert "背景" in aside.summary.get_text() and "2026-11-24" in aside.summary.get_text()
    assert page.select_one("p#p1-3 sup.edition-annotation-ref a")["href"] == "#annotation-p1-3-penetration-rule"


def test_the_articles_words_are_unchanged_around_an_annotation(site: Site) -> None:
    p = site.page("chapter-1/").select_one("p#p1-3")
    for extra in p.select("a.edition-para-number, sup"):
        extra.decompose()
    assert "美商务部在9月29日出台所谓穿透性规则，对成千上万家中国企业实施制裁。" in p.get_text()


def test_an_annotations_sources_are_rendered_from_refs_bib(site: Site) -> None:
    aside = site.page("chapter-4/").select_one("aside#annotation-p4-3-call-of-2026-02-04")
    assert aside.select_one("a[href='../references/#xi-trump-call-2026-02-04']")
    assert aside.select_one(
        "ul.edition-annotation-sources a[href='https://www.fmprc.gov.cn/web/zyxw/202602/t20260205_11851255.shtml']"
    )


def test_the_annotations_page_lists_every_annotation_with_filters_data(site: Site) -> None:
    page = site.page("annotations/")
    items = page.select("li.edition-annotation-item")
    # One item per file in annotations/, in reading order (chapter, then paragraph), whatever their number.
    names = sorted(path.stem for path in (ROOT / "annotations").glob("*.md"))
    assert sorted(li["id"].removeprefix("annotation-") for li in items) == names
    targets = [li.select_one(".edition-annotation-where a")["href"].rsplit("#p", 1)[1] for li in items]
    places = [tuple(int(n) for n in target.split("-")) for target in targets]
    assert places == sorted(places)
    shipped = {li["id"]: li for li in items}
    assert shipped["annotation-p1-3-penetration-rule"]["data-type"] == "context"
    assert shipped["annotation-p2-4-policy-substance"]["data-chapter"] == "2"
    assert (
        shipped["annotation-p2-4-policy-substance"].select_one(".edition-annotation-where a")["href"]
        == "../chapter-2/#p2-4"
    )


def test_annotations_are_exported_as_w3c_web_annotations(site: Site) -> None:
    data = json.loads((site.root / "annotations.jsonld").read_text(encoding="utf-8"))
    assert data["@context"] == "http://www.w3.org/ns/anno.jsonld" and data["type"] == "AnnotationCollection"
    items = data["first"]["items"]
    assert len(items) == data["total"] == len(list((ROOT / "annotations").glob("*.md")))
    first = next(item for item in items if item["id"].endswith("#annotation-p1-3-penetration-rule"))
    assert first["type"] == "Annotation" and first["target"]["source"] == "chapter-1/"
    selector = first["target"]["selector"]
    assert selector["type"] == "TextQuoteSelector" and selector["exact"] == "穿透性规则"
    assert selector["prefix"] == "美商务部在9月29日出台所谓"
    assert first["creator"]["name"] == "本版编者 · edition editors" and first["created"] == "2026-11-24"


# -- refused, with the file, the line and what to do -------------------------------------------------------------


def test_a_quote_not_in_the_paragraph_shows_the_closest_passage(project_copy: Path) -> None:
    plant(project_copy, "typo.md", GOOD.replace("语焉不详", "语焉不祥").format(body="注。"))
    problems = problems_of(project_copy)
    assert problems == [
        (
            "annotations/typo.md:3: exact: the quote «语焉不祥» is not in paragraph p2-4, nor in any other "
            "paragraph of the article; the closest passage in p2-4 is «语焉不详»: copy the words exactly from the "
            "chapter, without note numbers"
        )
    ]


def test_a_quote_found_twice_asks_for_a_prefix_or_suffix(project_copy: Path) -> None:
    plant(
        project_copy,
        "twice.md",
        GOOD.replace("target: p2-4", "target: p1-3").replace("语焉不详", "穿透性规则").format(body="注。"),
    )
    assert problems_of(project_copy) == [
        (
            "annotations/twice.md:3: exact: the quote occurs 2 times in paragraph p1-3; "
            "add a prefix (the words just before it) or a suffix (just after) to say which"
        )
    ]


def test_an_unknown_paragraph_is_named(project_copy: Path) -> None:
    plant(project_copy, "nowhere.md", GOOD.replace("p2-4", "p2-44").format(body="注。"))
    assert problems_of(project_copy) == [
        "annotations/nowhere.md:2: p2-44: no paragraph has this id; the quote is in p2-4: change target to p2-4"
    ]


def test_an_unknown_paragraph_for_a_quote_in_no_paragraph_is_named_by_its_likeness(project_copy: Path) -> None:
    plant(project_copy, "nowhere.md", GOOD.replace("p2-4", "p2-44").replace("语焉不详", "语焉不祥").format(body="注。"))
    assert problems_of(project_copy) == [
        "annotations/nowhere.md:2: p2-44: no paragraph has this id; did you mean 'p2-4'?"
    ]


@pytest.mark.parametrize(
    "field, line, message",
    [
        ("author", 1, "required field 'author' is missing from the front matter"),
        ("date", 1, "required field 'date' is missing from the front matter"),
    ],
)
def test_a_missing_author_or_date_is_an_error(project_copy: Path, field: str, line: int, message: str) -> None:
    text = "\n".join(line for line in GOOD.split("\n") if not line.startswith(field + ":"))
    plant(project_copy, "missing.md", text.format(body="注。"))
    assert problems_of(project_copy) == [f"annotations/missing.md:{line}: {field}: {message}"]


def test_a_bad_type_lists_the_four_types(project_copy: Path) -> None:
    plant(project_copy, "kind.md", GOOD.replace("type: context", "type: opinion").format(body="注。"))
    assert problems_of(project_copy) == [
        (
            "annotations/kind.md:4: type: 'opinion' is not a type of annotation; use one "
            "of: context, later-development, correction, translation"
        )
    ]


def test_a_bad_date_is_an_error(project_copy: Path) -> None:
    plant(project_copy, "date.md", GOOD.replace("2026-11-24", "2026-02-30").format(body="注。"))
    assert problems_of(project_copy) == ["annotations/date.md:6: date: '2026-02-30' is not a real calendar date"]


def test_an_unknown_citation_key_in_an_annotation_is_named(project_copy: Path) -> None:
    plant(project_copy, "key.md", GOOD.format(body="见此处[@xi-trump-call-2026-02-05]。"))
    assert problems_of(project_copy) == [
        "annotations/key.md:9: xi-trump-call-2026-02-05: unknown citation key; did you mean 'xi-trump-call-2026-02-04'?"
    ]


def test_the_issue_form_offers_the_same_four_types() -> None:
    import yaml

    form = yaml.safe_load((ROOT / ".github" / "ISSUE_TEMPLATE" / "annotation-proposal.yml").read_text(encoding="utf-8"))
    options = next(item for item in form["body"] if item.get("id") == "type")["attributes"]["options"]
    from edition.reference.annotations import TYPES

    assert [option.split(" ")[0] for option in options] == list(TYPES)


# -- untrusted text -------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "body, what",
    [
        ("<script>alert(1)</script>", "raw HTML is not allowed"),
        ('看<img src=x onerror="alert(1)">', "raw HTML is not allowed"),
        ("[点此](javascript:alert(1))", "link to 'javascript:alert(1' refused"),
    ],
)
def test_unsafe_annotation_text_stops_the_build(project_copy: Path, tmp_path: Path, body: str, what: str) -> None:
    plant(project_copy, "unsafe.md", GOOD.format(body=body))
    with pytest.raises(BuildFailed, match=re.escape(f"annotations/unsafe.md:9: {what}")):
        build_site(project_copy, tmp_path / "site")


def test_the_sanitizer_removes_what_the_checks_would_refuse() -> None:
    """Defence in depth: even text that slipped past the checks loses scripts, handlers and javascript: links."""
    bib = load_bibliography(ROOT / "refs.bib")
    annotation = Annotation(
        name="x",
        path="annotations/x.md",
        target="p2-4",
        exact="语焉不详",
        type="context",
        author="a",
        date="2026-11-24",
        language="zh-Hans",
        body_line=9,
        body='<script>alert(1)</script><p onclick="alert(1)">看</p>[x](javascript:alert(1))'
        '<a href="JaVaScRiPt:alert(1)">y</a>',
    )
    html, _ = render_body(annotation, bib, "../references/")
    lowered = html.lower()
    assert "<script" not in lowered and "onclick" not in lowered and "javascript:" not in lowered
    assert (
        sanitize('<a href="https://example.org/" onmouseover="x()">ok</a>')
        == '<a href="https://example.org/" rel="noopener noreferrer">ok</a>'
    )


def test_no_built_page_carries_a_script_from_an_annotation(site: Site) -> None:
    for path in site.html_files():
        for aside in site.page(str(path.relative_to(site.root))).select(
            "aside.edition-annotation, li.edition-annotation-item"
        ):
            assert not aside.select("script, [onclick], [onerror], a[href^='javascript']"), path


def test_every_shipped_annotation_loads() -> None:
    annotations = load_annotations(ROOT, today=reference_date())
    assert sorted(a.name for a in annotations) == sorted(p.stem for p in (ROOT / "annotations").glob("*.md"))


def test_a_file_that_is_not_an_annotation_is_refused_at_its_first_line() -> None:
    with pytest.raises(EditionError) as refused:
        parse_annotation("no front matter", "annotations/x.md", reference_date())
    assert [(p.file, p.line) for p in refused.value.problems] == [("annotations/x.md", 1)]


def test_a_passage_inside_a_link_gets_its_note_link_after_it_never_nested() -> None:
    from edition.reference.annotations import mark_passage

    marked = mark_passage('前<a class="edition-term" href="#g">穿透性规则</a>后', 1, 6, "annotation-x", "注释")
    assert marked.startswith(
        '前<a class="edition-term" href="#g"><mark class="edition-annotated" '
        'data-annotation="annotation-x">穿透性规则</mark></a><sup class="edition-annotation-ref">'
        '<a href="#annotation-x"'
    )
    assert marked.endswith("</sup>后")
