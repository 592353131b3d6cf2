"""What a reference manager or a link preview reads from the article's pages: Highwire, Dublin Core, Open Graph
and schema.org JSON-LD (hooks/citations.py, overrides/main.html), and the social image made at build."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pytest
from bs4 import BeautifulSoup
from PIL import Image

from conftest import ROOT, Site, build_site
from edition.dates import reference_date
from edition.outputs.card import SOCIAL, SOCIAL_IMAGE, card_png
from edition.reference.article import load_article, scholar_meta
from edition.text.conversion import NOTE_PLACEHOLDER, Block
from edition.text.front_matter import FrontMatter, front_matter

SITE_URL = "https://example.org/book/"
# The printed article (《国际问题研究》2026年第2期, pp. 35–48), checked against the journal, not the program.
PRINTED = {
    "itemType": "journalArticle",
    "title": "特朗普归来与中美博弈的新阶段",
    "creators": ["吴心伯"],
    "publicationTitle": "国际问题研究",
    "issue": "2",
    "pages": "35-48",
    "date": "2026",
    "language": "zh",
    "tags": ["特朗普第二任期", "中美关系", "美国对华政策", "元首外交"],  # the keywords, as printed
}


ABSTRACT_LABEL = "\u3014提要\u3015"  # in the journal's tortoise-shell brackets


def printed_abstract() -> str:
    """The abstract as the edition's front page shows it (its words checked against the source by `make check`)."""
    for line in (ROOT / "docs" / "index.md").read_text(encoding="utf-8").splitlines():
        if line.startswith(ABSTRACT_LABEL):
            return line.removeprefix(ABSTRACT_LABEL).strip()
    raise AssertionError("docs/index.md has no abstract")


def _meta(page: BeautifulSoup, attribute: str) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for tag in page.select(f"meta[{attribute}]"):
        found.setdefault(str(tag[attribute]), []).append(str(tag.get("content", "")))
    return found


def embedded_metadata(page: BeautifulSoup) -> dict[str, Any]:
    """The item Zotero's Embedded Metadata translator makes of a page, in its order: Highwire ``citation_*`` first,
    then Dublin Core (``DC.*``, ``DCTERMS.*``), then Open Graph; a journal title makes a journal article."""
    names, properties = _meta(page, "name"), _meta(page, "property")

    def first(*keys: str) -> str:
        for key in keys:
            values = names.get(key) or properties.get(key)
            if values:
                return values[0]
        return ""

    journal = first("citation_journal_title", "DCTERMS.isPartOf")
    pages = "-".join(p for p in (first("citation_firstpage"), first("citation_lastpage")) if p)
    if not pages and ":" in first("DC.source"):
        pages = first("DC.source").rsplit(":", 1)[1].strip()
    return {
        "itemType": "journalArticle" if journal else ("webpage" if properties.get("og:type") else ""),
        "title": first("citation_title", "DC.title", "og:title"),
        "creators": names.get("citation_author") or names.get("DC.creator") or [],
        "publicationTitle": journal,
        "issue": first("citation_issue"),
        "pages": pages,
        "date": first("citation_publication_date", "citation_date", "DC.date"),
        "language": first("citation_language", "DC.language"),
        "abstractNote": first("citation_abstract", "DC.description"),
        "tags": [t.strip() for t in first("citation_keywords").split(";") if t.strip()] or names.get("DC.subject", []),
    }


def jsonld(page: BeautifulSoup) -> dict[str, Any]:
    scripts = page.select('script[type="application/ld+json"]')
    assert len(scripts) == 1
    data: dict[str, Any] = json.loads(scripts[0].string or "")
    return data


@pytest.fixture(scope="module")
def deployed(tmp_path_factory: pytest.TempPathFactory) -> Site:
    """The site as a deploy builds it: with its address, and (as `make pdf` does) linking to the PDFs."""
    site_dir = tmp_path_factory.mktemp("deployed")
    build_site(ROOT, site_dir, site_url=SITE_URL, extra={"pdf": True})
    return Site(site_dir)


@pytest.mark.parametrize("url", ["", "chapter-2/"])
def test_zotero_reads_a_journal_article_from_the_page(site: Site, url: str) -> None:
    assert embedded_metadata(site.page(url)) == PRINTED | {"abstractNote": printed_abstract()}


def test_a_reader_of_dublin_core_alone_gets_the_same_article(site: Site) -> None:
    page = site.page("chapter-2/")
    for tag in page.select("meta[name^=citation_]"):
        tag.decompose()
    # Dublin Core has no issue field; DC.source carries it in its words
    expected = PRINTED | {"issue": "", "abstractNote": printed_abstract()}
    assert embedded_metadata(page) == expected
    source = page.select_one('meta[name="DC.source"]')
    assert source is not None and "2026(2)" in str(source["content"])


def test_the_json_ld_is_the_web_text_based_on_the_journal_article(site: Site) -> None:
    data = jsonld(site.page("chapter-2/"))
    assert (data["@context"], data["@type"]) == ("https://schema.org", "ScholarlyArticle")
    printed = data["isBasedOn"]
    assert printed["@type"] == "ScholarlyArticle"
    assert printed["headline"] == PRINTED["title"]
    assert printed["author"]["name"] == "吴心伯"
    assert (printed["pageStart"], printed["pageEnd"], printed["pagination"]) == ("35", "48", "35–48")
    issue = printed["isPartOf"]
    assert (issue["@type"], issue["issueNumber"], issue["datePublished"]) == ("PublicationIssue", "2", "2026")
    assert (issue["isPartOf"]["@type"], issue["isPartOf"]["name"]) == ("Periodical", "国际问题研究")
    assert (printed["abstract"], printed["keywords"]) == (printed_abstract(), PRINTED["tags"])


def test_without_an_address_there_is_no_og_url_image_or_pdf_url(site: Site) -> None:
    page = site.page("chapter-2/")
    properties = _meta(page, "property")
    assert properties["og:type"] == ["article"]
    assert "og:url" not in properties and "og:image" not in properties  # Open Graph takes absolute addresses only
    assert not page.select('meta[name="citation_pdf_url"]')
    assert "url" not in jsonld(page) and "image" not in jsonld(page)


def test_with_an_address_og_url_and_image_are_absolute_and_lead_to_the_page_and_image(deployed: Site) -> None:
    page = deployed.page("chapter-2/")
    properties = _meta(page, "property")
    canonical = page.select_one('link[rel="canonical"]')
    assert canonical is not None and canonical["href"] == SITE_URL + "chapter-2/"
    assert properties["og:url"] == [SITE_URL + "chapter-2/"]
    assert properties["og:image"] == [SITE_URL + "assets/images/social-card.png"]
    assert (deployed.root / "assets" / "images" / "social-card.png").is_file()
    assert jsonld(page)["url"] == SITE_URL + "chapter-2/"
    pdf = page.select_one('meta[name="citation_pdf_url"]')
    assert pdf is not None and pdf["content"] == SITE_URL + "pdf/chapter-2.pdf"
    # The link the page shows a reader for the same PDF leads to the same file.
    link = page.select_one(".edition-pdf-links a[href$='chapter-2.pdf']")
    assert link is not None and str(link["href"]).endswith("pdf/chapter-2.pdf")


def test_the_social_image_is_a_1200_by_630_png_made_the_same_each_time(site: Site) -> None:
    written = (site.root / SOCIAL_IMAGE).read_bytes()
    with Image.open(io.BytesIO(written)) as image:
        assert (image.format, image.size) == ("PNG", (1200, 630))
    article = load_article(ROOT, today=reference_date())
    assert card_png(article, SOCIAL) == written


def test_metadata_is_only_on_the_article_pages(site: Site) -> None:
    for url in ("glossary/", "references/"):
        page = site.page(url)
        assert not page.select('script[type="application/ld+json"], meta[name^="DC."], meta[property^="og:"]'), url


def test_a_missing_font_stops_the_image_with_a_clear_problem(tmp_path: Path) -> None:
    from edition.problems import EditionError

    article = load_article(ROOT, today=reference_date())
    with pytest.raises(EditionError) as caught:
        card_png(article, SOCIAL, tmp_path / "NotoSerifCJK-Regular.ttc")
    assert "install fonts-noto-cjk" in str(caught.value)


def test_the_abstract_and_keywords_are_read_from_the_articles_labelled_paragraphs() -> None:
    def paragraph(text: str) -> Block:
        return Block("paragraph", text, 1)

    label = "\u3014{}\u3015 {}".format
    front = front_matter(
        [
            Block("heading", label("提要", "a heading is not the abstract"), 1),
            paragraph("正文的一段，不是摘要。"),
            paragraph(label("提 要", "摘要的\n文字。" + NOTE_PLACEHOLDER)),  # the conversion's stray space in the label
            paragraph(label("关键词", "甲、乙； 丙")),
        ]
    )
    assert front == FrontMatter("摘要的 文字。", ("甲", "乙", "丙"))
    names = [name for name, _ in scholar_meta(load_article(ROOT, today=reference_date()), front=FrontMatter())]
    assert "citation_abstract" not in names and "citation_keywords" not in names  # none printed, none claimed
