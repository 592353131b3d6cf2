"""A teacher copies a citation, prints a chapter and downloads PDFs with real Chinese text in them."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from browsing import PHONE, WIDTHS, visit
from conftest import ROOT, Site, build_both_sites, build_site
from edition.book import Book
from edition.dates import reference_date
from edition.paths import BOOK_EPUB
from edition.reference.article import citations, load_article
from site_pages import chinese_view, pages_of_paragraphs, tool_missing
from static_server import serve

CHAPTERS = ["chapter-1/", "chapter-2/", "chapter-3/", "chapter-4/"]


def cite_texts(site: Site, url: str) -> dict[str, str]:
    page = site.page(url)
    return {str(entry["id"]): entry.select_one("pre").get_text() for entry in page.select("div.edition-cite-entry")}


def test_the_front_page_cites_the_article_in_four_styles_with_copy_buttons(site: Site) -> None:
    page = site.page("")
    texts = cite_texts(site, "")
    assert texts["cite-gbt"].startswith("吴心伯. 特朗普归来与中美博弈的新阶段[J/OL]. 国际问题研究, 2026(2): 35-48.")
    assert texts["cite-apa"].startswith(
        "Wu, X. (2026). Telangpu guilai yu Zhong-Mei boyi de xin jieduan "
        "[特朗普归来与中美博弈的新阶段; Trump’s Return and the New Stage of China–US Rivalry]."
    )
    assert "Guoji Wenti Yanjiu [International Studies], (2), 35–48." in texts["cite-apa"]
    assert texts["cite-chicago-bib"].startswith("Wu Xinbo 吴心伯. “Telangpu guilai")
    assert re.search(r"@article\{wu-2026-trump-return,.*pages\s+= \{35--48\}", texts["cite-bibtex"], re.DOTALL)
    buttons = page.select("button.edition-copy")
    assert {b["data-copy"] for b in buttons} == set(texts)
    # The English title is the edition's, and the citation block says so.
    assert "本版编者所译" in page.select_one(".edition-cite-note").get_text()
    # The old hand-typed line is gone; there is one citation component.
    assert len(page.select("#cite-this")) == 1


@pytest.mark.parametrize("url", CHAPTERS)
def test_each_chapter_cites_its_own_pages_in_notes_and_the_articles_in_reference_entries(site: Site, url: str) -> None:
    page = site.page(url)
    title = chinese_view(page).select_one("article h1").get_text().rstrip("¶#").strip()
    texts = cite_texts(site, url)
    assert "未知" not in page.select_one(".edition-cite-note").get_text()
    n = url[len("chapter-") : -1]
    spans = [span for ident, span in pages_of_paragraphs(site.root, 35).items() if ident.startswith(f"p{n}-")]
    first, last = min(s[0] for s in spans), max(s[1] for s in spans)
    assert f"特朗普归来与中美博弈的新阶段：{title}[J/OL]" in texts["cite-gbt"]
    assert f"2026(2): {first}-{last}." in texts["cite-gbt"]  # GB/T 7714's 引文页码: the pages cited
    assert f"no. 2 (2026): {first}–{last}, section" in texts["cite-chicago-note"]  # a note cites its pages
    assert "(2), 35–48." in texts["cite-apa"] and "(2026): 35–48." in texts["cite-chicago-bib"]
    assert f"本章在原刊第{first}–{last}页" in page.select_one(".edition-cite-note").get_text()
    assert f"wu-2026-trump-return-chapter-{n}," in texts["cite-bibtex"]
    assert page.select_one(".edition-pdf-links") is None  # a plain build makes no PDFs, so links to none


def scholar_tags(page: BeautifulSoup) -> dict[str, str]:
    return {str(m["name"]): str(m["content"]) for m in page.select("meta[name^=citation_]")}


@pytest.mark.parametrize("url", ["", "chapter-1/", "chapter-4/"])
def test_the_article_pages_tell_reference_managers_what_they_hold(site: Site, url: str) -> None:
    """Google Scholar, Zotero and EndNote read Highwire Press tags: the article as data/article.yml records it."""
    article = load_article(ROOT, today=reference_date())
    assert scholar_tags(site.page(url)) == {
        "citation_title": article["title"]["zh"],
        "citation_author": article["author"]["zh"],
        "citation_journal_title": article["journal"]["zh"],
        "citation_publication_date": str(article["year"]),
        "citation_issue": str(article["issue"]),
        "citation_firstpage": str(article["first_page"]),
        "citation_lastpage": str(article["last_page"]),
        "citation_language": "zh",
        # As printed at the article's head (docs/index.md; tests/test_metadata.py reads them as Zotero does).
        "citation_abstract": scholar_tags(site.page(""))["citation_abstract"],
        "citation_keywords": "特朗普第二任期; 中美关系; 美国对华政策; 元首外交",
    }


def test_pages_that_are_not_the_article_carry_no_article_metadata(site: Site) -> None:
    for url in ("glossary/", "timeline/", "references/", "colophon/"):
        assert scholar_tags(site.page(url)) == {}, url


def test_a_hostile_title_stays_inside_its_meta_tag(project_copy: Path, tmp_path: Path) -> None:
    path = project_copy / "data" / "article.yml"
    text = path.read_text(encoding="utf-8")
    # Raw HTML is refused in data (tests/test_attacks_data.py); a double quote is text, and must stay inside.
    hostile = "zh: '特朗普\" data-injected=\"1'"  # YAML single quotes: the value holds double quotes
    path.write_text(text.replace("zh: 特朗普归来与中美博弈的新阶段", hostile, 1), encoding="utf-8")
    build_site(project_copy, tmp_path / "site")
    page = Site(tmp_path / "site").page("chapter-2/")
    assert page.select("[data-injected]") == []
    assert scholar_tags(page)["citation_title"] == '特朗普" data-injected="1'
    # The same title in Dublin Core, Open Graph and the JSON-LD: each stays inside its attribute or its script.
    dc_title, og_title = page.select_one('meta[name="DC.title"]'), page.select_one('meta[property="og:title"]')
    assert dc_title is not None and dc_title["content"] == '特朗普" data-injected="1'
    assert og_title is not None and str(og_title["content"]).startswith('特朗普" data-injected="1 · ')
    (script,) = page.select('script[type="application/ld+json"]')
    assert json.loads(script.string or "")["isBasedOn"]["headline"] == '特朗普" data-injected="1'


def test_without_site_url_the_address_is_left_for_the_browser_to_fill() -> None:
    article = load_article(ROOT, today=reference_date())
    plain = {c.style: c.text for c in citations(article)}
    assert "〈本页网址 URL of this page〉" in plain["gbt"]
    placed = {
        c.style: c.text
        for c in citations(
            article, url="https://example.org/chapter-2/", chapter=2, chapter_title="二、特朗普第二任期对华政策走向"
        )
    }
    assert placed["gbt"].endswith("35-48. https://example.org/chapter-2/.")
    assert "*" not in placed["apa"]  # italics are markup on the page, not asterisks in what is copied


def test_a_bad_article_file_is_named(tmp_path: Path) -> None:
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "article.yml").write_text("key: x\nyear: soon\n", encoding="utf-8")
    from edition.problems import EditionError

    with pytest.raises(EditionError) as caught:
        load_article(tmp_path, today=reference_date())
    assert "data/article.yml:2: year: 'soon' where a whole number is expected" in str(caught.value)


def test_the_print_stylesheet_hides_the_site_and_keeps_numbers_and_notes(site: Site) -> None:
    css = (site.root / "stylesheets" / "print.css").read_text(encoding="utf-8")
    assert "@media print" in css
    for hidden in (".md-header", ".md-sidebar", ".md-footer", ".md-search"):
        assert hidden in css
    # The site's copy is minified (edition/site/minify.py): compared without white space.
    compact = "".join(css.split())
    assert "a.edition-para-number" in css and "break-before:page" in compact
    assert 'content:"<"attr(href)">"' in compact


# -- PDFs ------------------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def pdf_site(tmp_path_factory: pytest.TempPathFactory) -> Site:
    """The site as `make pdf` makes it: built with EDITION_PDF=true, then the PDFs written into site/pdf/."""
    pytest.importorskip("weasyprint", reason="make pdf and make test install WeasyPrint from requirements-pdf.txt")
    from edition.outputs.epub import build_epub
    from edition.outputs.pdf import build_pdfs

    site_dir = tmp_path_factory.mktemp("pdf-site")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("EDITION_PDF", "true")  # both sites, as the Makefile builds them
        build_both_sites(ROOT, site_dir)
    build_pdfs(site_dir, site_dir / "pdf", ROOT, papers=("a4", "letter"))  # as `make pdf PAPER=letter`
    build_epub(site_dir, site_dir / "epub" / BOOK_EPUB, ROOT)
    return Site(site_dir)


@pytest.fixture(scope="module")
def pdfs(pdf_site: Site) -> dict[str, Path]:
    return {path.name: path for path in sorted((pdf_site.root / "pdf").glob("*.pdf"))}


@pytest.mark.parametrize("url", ["", *CHAPTERS, "en/", *(f"en/{chapter}" for chapter in CHAPTERS)])
def test_each_page_of_the_pdf_build_links_to_pdfs_that_exist(pdf_site: Site, url: str) -> None:
    """The cite box's downloads and those under the title, on both sites: the EPUB in the cite box too."""
    page = pdf_site.page(url)
    links = [str(a["href"]) for a in page.select(".edition-pdf-links a[href], .edition-title-downloads a[href]")]
    assert links and any(link.endswith("trump-return-and-china-us-rivalry.pdf") for link in links)
    cite_box = [str(a["href"]) for a in page.select(".edition-pdf-links a[href]")]
    assert any(link.endswith("epub/" + BOOK_EPUB) for link in cite_box), cite_box
    chapter = url.removeprefix("en/").rstrip("/")
    if chapter:
        assert any(link.endswith(f"pdf/{chapter}.pdf") for link in links), links
    for link in links:
        assert (pdf_site.root / url / link).resolve().is_file(), link
        assert (pdf_site.root / url / link).resolve().is_relative_to(pdf_site.root.resolve()), link


@pytest.mark.browser
@pytest.mark.parametrize("width", list(WIDTHS))
@pytest.mark.parametrize("url", ["", "chapter-2/", "en/", "en/chapter-2/"])
def test_the_downloads_sit_under_the_title_and_lead_to_the_files(
    browser, pdf_site: Site, screenshots: Path, url: str, width: str
) -> None:
    """On both sites, at a phone's width too: the PDFs (the chapter's, the book's, the English book's) and on the
    front page the EPUB, small, right under the title, each a file `make pdf` wrote."""
    with serve(pdf_site.root) as base, visit(browser, base + url, viewport=WIDTHS[width]) as seen:
        page = seen.page
        links = page.locator("article .edition-title-downloads a")
        hrefs = links.evaluate_all("links => links.map(a => new URL(a.getAttribute('href'), location.href).pathname)")
        names = [href.rsplit("/", 1)[-1] for href in hrefs]
        assert "trump-return-and-china-us-rivalry.pdf" in names and "trump-return-and-china-us-rivalry-en.pdf" in names
        assert "trump-return-and-china-us-rivalry-parallel.pdf" in names
        assert ("chapter-2.pdf" in names) == url.endswith("chapter-2/")
        assert (BOOK_EPUB in names) == (url in ("", "en/")), names
        for href in hrefs:
            assert (pdf_site.root / href.lstrip("/")).is_file(), href
            response = page.request.get(base.rstrip("/") + href)
            assert response.ok and response.body()[:4] in (b"%PDF", b"PK\x03\x04"), href
        title = page.locator("article h1").bounding_box()
        block = page.locator("article .edition-title-downloads").bounding_box()
        assert title is not None and block is not None
        assert 0 <= block["y"] - (title["y"] + title["height"]) < 40, (title, block)  # under the title
        size = float(
            page.evaluate("parseFloat(getComputedStyle(document.querySelector('.edition-title-downloads')).fontSize)")
        )
        title_size = float(page.evaluate("parseFloat(getComputedStyle(document.querySelector('article h1')).fontSize)"))
        assert size < title_size / 2, (size, title_size)  # small beside the title, not a second heading
        for box in links.evaluate_all("links => links.map(a => a.getBoundingClientRect().right)"):
            assert box <= WIDTHS[width]["width"], box  # nothing runs off a phone's screen
        if WIDTHS[width] == PHONE:
            assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
        page.screenshot(path=str(screenshots / f"downloads-{url.replace('/', '-') or 'front'}-{width}.png"))
        assert not seen.errors and not seen.outside_requests


def pdf_text(path: Path) -> str:
    from pypdf import PdfReader

    return "\n".join(page.extract_text() for page in PdfReader(path).pages)


A4_POINTS = (595.28, 841.89)  # 210 × 297 mm at 72 points an inch
LETTER_POINTS = (612.0, 792.0)  # 8.5 × 11 in


def test_make_pdf_writes_the_book_and_one_pdf_per_chapter(pdfs: dict[str, Path]) -> None:
    a4 = [
        "chapter-1.pdf",
        "chapter-2.pdf",
        "chapter-3.pdf",
        "chapter-4.pdf",
        "trump-return-and-china-us-rivalry-en.pdf",
        "trump-return-and-china-us-rivalry-parallel.pdf",
        "trump-return-and-china-us-rivalry.pdf",
    ]
    # The US Letter copies, asked for, lie beside the A4 files the pages link.
    assert sorted(pdfs) == sorted(a4 + [name.replace(".pdf", "-letter.pdf") for name in a4])


def test_the_pdfs_are_a4_and_the_letter_copies_us_letter(pdfs: dict[str, Path]) -> None:
    from pypdf import PdfReader

    for name, path in pdfs.items():
        expected = LETTER_POINTS if name.endswith("-letter.pdf") else A4_POINTS
        for number, page in enumerate(PdfReader(path).pages, 1):
            size = (float(page.mediabox.width), float(page.mediabox.height))
            assert size == pytest.approx(expected, abs=0.5), (name, number, size)


@pytest.mark.parametrize("value", ["b5", "", "A4; rm -rf /", "legal\n::error::x"])
def test_an_unknown_paper_is_named_and_nothing_is_written(
    value: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from edition.outputs.pdf import main

    (tmp_path / "index.html").write_text("<article><h1>x</h1></article>", encoding="utf-8")
    assert main([str(tmp_path), "--paper", value]) == 1
    err = capsys.readouterr().err
    assert "make pdf: PAPER: " in err and "is not a paper size this edition makes" in err
    assert "use PAPER=a4 (the default) or PAPER=letter" in err and "Traceback" not in err
    assert all(line.startswith("make pdf") for line in err.splitlines())  # one problem a line, nothing else
    assert not (tmp_path / "pdf").exists()


def test_paper_is_read_in_either_spelling() -> None:
    from edition.outputs.pdf import papers_asked

    assert papers_asked(["site"]) == (["site"], ["a4"])
    assert papers_asked(["site", "--paper", "letter"]) == (["site"], ["a4", "letter"])
    assert papers_asked(["--paper=A4", "site"]) == (["site"], ["a4"])


def test_the_english_pdf_is_the_translation_said_to_be_the_editions(pdfs: dict[str, Path], book: Book) -> None:
    text = re.sub(r"\s+", "", pdf_text(pdfs["trump-return-and-china-us-rivalry-en.pdf"]))
    assert "edition's own translation".replace(" ", "") in text and "Howtocitethistranslation" in text
    for page in book.translation.values():
        for block in page.blocks:
            if block.id.startswith("p"):
                opening = re.sub(r"\s+|\[[^\]]*\]|[*_]", "", block.text)[:30]
                assert opening in text, block.id
    for paragraph in book.paragraphs:  # the Chinese text is not in it (its cited titles may be)
        assert re.sub(r"\s+", "", paragraph.start)[:12] not in text, paragraph.id
    assert "Notes" in text and "Contents" in text


def test_the_parallel_pdf_follows_each_paragraph_with_its_english(pdfs: dict[str, Path], book: Book) -> None:
    """对照 · Parallel on paper: the Chinese paragraph, then its English, then the next paragraph; the cover says the
    English is the edition's translation."""
    text = re.sub(r"\s+", "", pdf_lines(pdfs["trump-return-and-china-us-rivalry-parallel.pdf"]))  # in reading order
    assert "中英对照本" in text and "edition'sowntranslation" in text
    english = {
        block.id: re.sub(r"\s+|\[[^\]]*\]|[*_]", "", block.text)[:30]
        for page in book.translation.values()
        for block in page.blocks
    }
    at = 0
    for paragraph in book.paragraphs:
        if paragraph.id not in english:
            continue
        chinese = text.find(re.sub(r"\s+", "", paragraph.start)[:12], at)
        assert chinese >= 0, paragraph.id  # the Chinese, in reading order
        at = text.find(english[paragraph.id], chinese)
        assert at >= 0, paragraph.id  # its English after it, before the next paragraph's Chinese
    assert "注释" in text and "Notes" in text  # the Chinese notes and the English


def test_the_book_pdf_has_real_chinese_text_notes_contents_and_the_citation(pdfs: dict[str, Path]) -> None:
    text = pdf_text(pdfs["trump-return-and-china-us-rivalry.pdf"])
    compact = re.sub(r"\s+", "", text)
    assert "中美博弈" in compact and "特朗普第二任期对华政策何去何从" in compact
    assert "https://www.fmprc.gov.cn/web/zyxw/202602/t20260205_11851255.shtml" in compact
    assert "目录" in compact and "注释" in compact
    assert "吴心伯.特朗普归来与中美博弈的新阶段[J/OL].国际问题研究,2026(2):35-48." in compact


def test_the_book_pdf_ends_with_the_references_glossary_and_timeline(pdf_site: Site, pdfs: dict[str, Path]) -> None:
    """After the article, as in the contents and the bookmarks: each reference page's entries as the site lists
    them, without the site's filters and data downloads."""
    from pypdf import PdfReader

    for name in ("trump-return-and-china-us-rivalry.pdf", "trump-return-and-china-us-rivalry-letter.pdf"):
        reader = PdfReader(pdfs[name])
        bookmarks = [item.title for item in reader.outline if not isinstance(item, list)]
        back = [title for title in bookmarks if title.endswith(("References", "Glossary", "Timeline"))]
        assert back == ["参考文献 · References", "术语表 · Glossary", "大事记 · Timeline"], bookmarks
        assert bookmarks[-3:] == back, bookmarks  # after the chapters
        text = re.sub(r"\s+", "", "".join(page.extract_text() for page in reader.pages))
        for title in back:
            assert text.count(title.replace(" ", "")) >= 2, title  # the contents list and the section's heading
        for url, selector in (
            ("references/", "li[id] .edition-reference"),
            ("glossary/", ".edition-glossary-entry .edition-glossary-zh"),
            ("glossary/", ".edition-glossary-entry .edition-glossary-en"),
            ("timeline/", ".edition-event-title strong"),
        ):
            for entry in pdf_site.page(url).select(selector):
                assert re.sub(r"\s+", "", entry.get_text()) in text, (name, url, entry.get_text())
        for site_only in ("筛选术语", "glossary.csv", "timeline.ics", "按类别筛选"):
            assert site_only not in text, (name, site_only)


def test_every_link_in_the_pdfs_leads_inside_the_pdf_or_to_the_web(pdfs: dict[str, Path]) -> None:
    """A link to another page of the site would be a file address on the reader's computer: within the book it
    goes to the place in the book (a glossary term in the text, a source in the references), else it is text."""
    from pypdf import PdfReader

    for name, path in pdfs.items():
        reader = PdfReader(path)
        destinations = set(reader.named_destinations)
        inside = 0
        for page in reader.pages:
            for annotation in page.get("/Annots") or []:
                link = annotation.get_object()
                action = link.get("/A") or {}
                if "/URI" in action:
                    assert str(action["/URI"]).startswith(("https://", "http://")), (name, action["/URI"])
                    continue
                target = link.get("/Dest") or action.get("/D")
                assert target is not None, (name, link)
                assert str(target) in destinations, (name, target)
                inside += 1
        assert inside, name  # the notes, at least, are links inside the file
    for name in ("trump-return-and-china-us-rivalry.pdf", "trump-return-and-china-us-rivalry-en.pdf"):
        # Terms in the text lead to the glossary in the Chinese book; the English book has none to lead to.
        glossary = [ident for ident in PdfReader(pdfs[name]).named_destinations if ident.startswith("glossary-")]
        assert bool(glossary) == (name == "trump-return-and-china-us-rivalry.pdf"), name


def test_the_pdfs_embed_their_fonts(pdfs: dict[str, Path]) -> None:
    from pypdf import PdfReader

    for path in pdfs.values():
        fonts = {}
        for page in PdfReader(path).pages:
            for reference in (page.get("/Resources", {}).get("/Font") or {}).values():
                font = reference.get_object()
                descendants = font.get("/DescendantFonts")
                target = descendants[0].get_object() if descendants else font
                descriptor = target.get("/FontDescriptor")
                descriptor = descriptor.get_object() if descriptor else {}
                fonts[str(target.get("/BaseFont"))] = any(
                    k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3")
                )
        assert fonts and all(fonts.values()), (path.name, fonts)
        assert any("CJK" in name for name in fonts), fonts


def test_a_chapter_pdf_numbers_its_pages_and_keeps_paragraph_numbers(pdfs: dict[str, Path], pdf_site: Site) -> None:
    from pypdf import PdfReader

    spans = [span for ident, span in pages_of_paragraphs(pdf_site.root, 35).items() if ident.startswith("p2-")]
    first, last = min(s[0] for s in spans), max(s[1] for s in spans)

    reader = PdfReader(pdfs["chapter-2.pdf"])
    assert len(reader.pages) >= 3
    pages = [re.sub(r"\s+", "", p.extract_text()) for p in reader.pages]
    assert "二、特朗普第二任期对华政策走向" in pages[0]  # the cover names the chapter
    assert f"本章在原刊第{first}–{last}页，全文为第35–48页" in pages[0] and "|页码|" in pages[0]
    assert f"2026(2):{first}-{last}." in pages[0] and "未知" not in pages[0]  # its citation gives its pages
    for number, page in enumerate(pages[1:], start=2):  # running head and page number in the margin
        assert page.endswith(f"二、特朗普第二任期对华政策走向{number}"), page[-40:]
    text = "".join(pages)
    assert all(f"¶{n}" in text for n in range(1, 5))


def structure_roles(node: object, depth: int = 0) -> set[str]:
    """The roles (/S: /H1, /P, /L, /Link …) in a PDF's structure tree below ``node``."""
    from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject

    if isinstance(node, IndirectObject):
        node = node.get_object()
    roles: set[str] = set()
    if depth > 40:
        return roles
    if isinstance(node, ArrayObject):
        for child in node:
            roles |= structure_roles(child, depth + 1)
    elif isinstance(node, DictionaryObject):
        if "/S" in node:
            roles.add(str(node["/S"]))
        if "/K" in node:
            roles |= structure_roles(node["/K"], depth + 1)
    return roles


def test_the_pdfs_are_tagged_for_screen_readers(pdfs: dict[str, Path]) -> None:
    """PDF/UA-1 as WeasyPrint writes it: a structure tree with headings, paragraphs and links, marked content, the
    document's language, and its title shown instead of the file name."""
    from pypdf import PdfReader
    from pypdf.generic import BooleanObject

    for name, path in pdfs.items():
        reader = PdfReader(path)
        catalog = reader.root_object
        assert "/StructTreeRoot" in catalog, name
        assert catalog["/MarkInfo"]["/Marked"] == BooleanObject(True), name
        assert str(catalog["/Lang"]) == ("en" if "-en" in name else "zh-Hans"), name
        assert catalog["/ViewerPreferences"]["/DisplayDocTitle"] == BooleanObject(True), name
        assert reader.metadata is not None and reader.metadata.title, name
        xmp = catalog["/Metadata"].get_object().get_data().decode("utf-8")
        assert 'pdfuaid:part="1"' in xmp, name
        roles = structure_roles(catalog["/StructTreeRoot"])
        assert {"/H1", "/P", "/Link"} <= roles, (name, roles)
        for page in reader.pages:  # every page's content belongs to the tree
            assert "/StructParents" in page, name


# Chinese typesetting's first rule (GB/T 15834, W3C's clreq): no line begins with closing punctuation, none ends with
# opening punctuation. (Escaped: tortoise-shell brackets, full-width braces and brackets and the left single quote
# look like ASCII to the linter.)
CLOSING = set("，。、；：？！”’）》」』】〉〗〙〛,.;:?!)]}…\u3015\uff5d\uff3d")
OPENING = set("“（《「『【〈〖〘〚\u2018\u3014\uff5b\uff3b")


def badly_broken_lines(text: str) -> list[str]:
    """The lines of ``text`` (as pdftotext reads a PDF's lines) that begin with closing or end with opening
    punctuation."""
    lines = (line.strip(" \f") for line in text.splitlines())
    return [line for line in lines if line and (line[0] in CLOSING or line[-1] in OPENING)]


def test_the_line_rule_finds_a_badly_broken_line() -> None:
    assert badly_broken_lines("中美关系\n，稳中求进\f") == ["，稳中求进"]
    assert badly_broken_lines("他说“\n中美") == ["他说“"]
    assert badly_broken_lines("”\n》。\n正常的一行。") == ["”", "》。"]
    assert badly_broken_lines("中美关系，\n稳中求进。") == []


def pdf_lines(path: Path) -> str:
    pdftotext = shutil.which("pdftotext")
    if pdftotext is None:
        tool_missing("pdftotext", "run scripts/install-system-packages.sh as root (installs poppler-utils)")
    run = subprocess.run([pdftotext, str(path), "-"], capture_output=True, text=True, check=True, timeout=120)
    return run.stdout


def test_no_line_of_the_chinese_pdfs_begins_with_closing_punctuation(pdfs: dict[str, Path]) -> None:
    """Read back as a reader sees the pages: justified lines, broken where Chinese may break, on both papers."""
    chinese = [path for name, path in pdfs.items() if "-en" not in name]
    for path in chinese:
        text = pdf_lines(path)
        assert len(text.splitlines()) > 50, path.name  # the reading worked
        assert badly_broken_lines(text) == [], path.name


@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="poppler-utils not installed")
def test_pdf_pages_render_to_images(pdfs: dict[str, Path], tmp_path: Path) -> None:
    subprocess.run(
        ["pdftoppm", "-r", "30", "-png", "-f", "1", "-l", "2", str(pdfs["chapter-1.pdf"]), str(tmp_path / "page")],
        check=True,
        timeout=120,
    )
    assert len(list(tmp_path.glob("page-*.png"))) == 2
