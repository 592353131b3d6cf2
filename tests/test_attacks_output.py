"""Attacks on output by context (issue 11, item 2): hostile text the edition accepts stays text in every output;
links it cannot make safe are refused.

Class *output by context*: every accepted-but-hostile input below (PLANTS) goes into ONE copy of the book,
built once; each attack then asserts what the built HTML, ICS, CSV or JSON holds: the text shown as
written, no element or attribute created, no javascript: address, calendar lines intact.
Class *refusal*: each unsafe link in an annotation (and an unsafe source address) is refused by the checks
with its file and line; class *bounded work*: brackets that would make rendering quadratic are refused too.
One browser test hovers and focuses every tooltip of the hostile build in Chromium.
"""

from __future__ import annotations

import csv
import io
import json
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from bs4 import BeautifulSoup, Tag
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from attacks import VALID_ANNOTATION, Attack, Plant, Refused, append, assert_refused, line_of, write
from book_inputs import copy_book_inputs
from browsing import visit
from conftest import Site, build_site
from edition.escape import csv_cell, ics_text, markdown_text, title_attribute, url_scheme
from static_server import serve

if TYPE_CHECKING:
    from playwright.sync_api import Browser

# -- the hostile inputs ---------------------------------------------------------------------------------------
# Payloads call alert(n) with a number: with a quote inside, Python-Markdown would leave the tag or the link
# title unparsed, and the attack would not have reached the page even before this work.

# refs.bib: two sources nobody cites (keywords background), one cited only by the hostile annotation.
BIB_TITLE = (
    "<script>alert(101)</script> [点此](javascript:alert(102)) *强调* "
    "[@wang-yi-press-2026-03-08] _下划_ `代码`\n\n第二段 &lt;img src=x onerror=alert(103)&gt;"
)
BIB_PUBLISHER = "# 标题 <svg onload=alert(104)>"
BIB_URL = "https://example.org/hostile/x><img/src=x/onerror=alert(105)>y"
BIB_NOTE = "<script>alert(106)</script>"
BIB_EN_ORGANIZATION = "- !!! note <img src=x onerror=alert(107)>"
BIB_EN_TITLE = "[x](javascript:alert(108)) <b onmouseover=alert(109)>bold</b>"
BIB_EN_JOURNAL = "> quoted <iframe src=javascript:alert(110)></iframe>"
BIB_CITED_AUTHOR = "# 作者 <img src=x onerror=alert(111)>"
BIB_CITED_TITLE = "[链接](javascript:alert(112))</a><script>alert(113)</script>"
HOSTILE_BIB = f"""
@online{{hostile-zh-background,
  title        = {{{BIB_TITLE}}},
  publisher    = {{{BIB_PUBLISHER}}},
  date         = {{2025-05-01}},
  url          = {{{BIB_URL}}},
  note         = {{{BIB_NOTE}}},
  langid       = {{chinese}},
  keywords     = {{media, background}},
}}

@online{{hostile-en-background,
  title        = {{{BIB_EN_TITLE}}},
  organization = {{{BIB_EN_ORGANIZATION}}},
  journaltitle = {{{BIB_EN_JOURNAL}}},
  date         = {{2025-05-02}},
  url          = {{https://example.org/hostile-en}},
  langid       = {{english}},
  keywords     = {{media, background}},
}}

@online{{hostile-cited,
  title        = {{{BIB_CITED_TITLE}}},
  author       = {{{{{BIB_CITED_AUTHOR}}}}},
  publisher    = {{出版者}},
  date         = {{2025-05-03}},
  url          = {{https://example.org/hostile-cited}},
  langid       = {{chinese}},
  keywords     = {{media}},
}}
"""

# data/glossary.yml: entries whose terms the chapters mark, so their tooltips are on the pages.
# Under 200 characters and one sentence: the tooltip shows it whole (a longer one is cut at 199).
# Raw HTML, line breaks and control characters never get this far (the data door refuses them:
# tests/test_attacks_data.py); what passes it is text that only turns into markup if decoded once more.
GL_TERM, GL_DEFINITION = (
    "joe-biden",
    (
        "&lt;img src=x onerror=alert(201)&gt; &#60;img src=x onerror=alert(202)&#62; "
        "[x](javascript:alert(203)) `t` *e* {: onclick=alert(204) } "
        "then &lt;script&gt;alert(205)&lt;/script&gt;"
    ),
)
GL_EN_TERM, GL_EN = "donald-trump", "Donald &lt;b onmouseover=alert(206)&gt;Trump&lt;/b&gt;"
CSV_CELLS = {  # (entry, field): value starting with what a spreadsheet runs as a formula
    ("google", "definition_zh"): '=HYPERLINK("https://evil.example/","点我")',
    ("google", "definition_en"): "@SUM(1+1)*cmd|' /C calc'!A0",
    ("tiktok", "definition_zh"): "-2+3+cmd|' /C calc'!A0",
    ("tiktok", "definition_en"): "+1+1 TikTok",
    ("nvidia", "definition_zh"): "\t=1+1",
    ("nvidia", "definition_en"): "=2+2 NVIDIA",  # a leading CR is refused at the data door
}

# data/timeline.yml: a day-dated event, so it is in timeline.ics.
EVENT = "us-reciprocal-tariffs-2025-04-02"
# A CR or LF (which once started calendar lines of their own) is refused at the data door
# (tests/test_attacks_data.py); ics_text escapes them all the same (the property test below).
TL_TITLE_ZH = "美方对华加征34%“对等关税” BEGIN:VEVENT;SUMMARY:injected,DTSTART;VALUE=DATE:19990101 END:VEVENT"
TL_TITLE_EN = "US tariff; a,b \\ c &lt;script&gt;alert(301)&lt;/script&gt;"
TL_NOTE_ZH = "&lt;img src=x onerror=alert(302)&gt;"
TL_NOTE_EN = "line one X-INJECTED-CRLF:1 X-INJECTED-LF:1"
TL_DATE_NOTE = "[x](javascript:alert(303)) =1+1"

# annotations/: a valid note whose author and body are hostile text, with safe links carrying hostile titles.
ANN_NAME = "hostile-output"
ANN_AUTHOR = '<img src=x onerror=alert(401)> & "A"'
ANN_ENTITY = "&lt;script&gt;alert(402)&lt;/script&gt;"
ANN_TITLE = "&lt;img src=x onerror=alert(403)&gt;"
ANN_REF_TITLE = "&lt;img src=x onerror=alert(404)&gt;"
HOSTILE_ANNOTATION = f"""---
target: p2-4
exact: 语焉不详
type: context
author: {json.dumps(ANN_AUTHOR)}
date: 2026-01-15
language: zh-Hans
---
注释 {ANN_ENTITY} 与 *强调*，见[示例](https://example.org/ann "{ANN_TITLE}")与[参考][r]，
及 <https://example.org/auto>。引[@hostile-cited]。

[r]: https://example.org/ref "{ANN_REF_TITLE}"
"""


def _yaml(value: str) -> str:
    return json.dumps(value)  # a JSON string is a YAML double-quoted scalar: escapes for CR, LF, tab


def _glossary_plant(entry: str, field: str, value: str) -> Callable[[Path], None]:
    """Plant: the entry's line ``  field: …`` becomes ``  field: "value"``."""

    def plant(project: Path) -> None:
        path = project / "data" / "glossary.yml"
        text = path.read_text(encoding="utf-8")
        start = text.index(f"\n  {field}: ", text.index(f"- id: {entry}\n")) + 1
        end = text.index("\n", start)
        path.write_text(text[:start] + f"  {field}: {_yaml(value)}" + text[end:], encoding="utf-8")

    return plant


def _event_plant(project: Path) -> None:
    path = project / "data" / "timeline.yml"
    text = path.read_text(encoding="utf-8")
    start = text.index(f"- id: {EVENT}\n")
    end = text.index("\n\n", start)
    event = text[start:end]
    for field, value in (("title_zh", TL_TITLE_ZH), ("title_en", TL_TITLE_EN)):
        line = next(line for line in event.split("\n") if line.startswith(f"  {field}: "))
        event = event.replace(line, f"  {field}: {_yaml(value)}")
    event += f"\n  note_zh: {_yaml(TL_NOTE_ZH)}\n  note_en: {_yaml(TL_NOTE_EN)}\n  date_note: {_yaml(TL_DATE_NOTE)}"
    path.write_text(text[:start] + event + text[end:], encoding="utf-8")


PLANTS: list[Plant] = [
    append("refs.bib", HOSTILE_BIB),
    _glossary_plant(GL_TERM, "definition_en", GL_DEFINITION),
    _glossary_plant(GL_EN_TERM, "en", GL_EN),
    *(_glossary_plant(entry, field, value) for (entry, field), value in CSV_CELLS.items()),
    _event_plant,
    write(f"annotations/{ANN_NAME}.md", HOSTILE_ANNOTATION),
]


@dataclass
class Hostile:
    project: Path
    site: Site

    def page(self, url: str) -> BeautifulSoup:
        return self.site.page(url)

    def text(self, name: str) -> str:
        return (self.site.root / name).read_text(encoding="utf-8")

    def pages(self) -> Iterator[tuple[str, BeautifulSoup]]:
        for path in self.site.html_files():
            yield str(path.relative_to(self.site.root)), BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> Hostile:
    """One copy of the book with every accepted-but-hostile input, built once, strictly, as `make build` does."""
    project = copy_book_inputs(tmp_path_factory.mktemp("hostile") / "project")
    for plant in PLANTS:
        plant(project)
    site_dir = project.parent / "site"
    build_site(project, site_dir)
    return Hostile(project, Site(site_dir))


# -- what the built pages must hold ---------------------------------------------------------------------------

ARTICLE_PAGES = ["", "chapter-1/", "chapter-2/", "chapter-3/", "chapter-4/"]
URL_ATTRIBUTES = ("href", "src", "action", "formaction", "srcset", "poster", "xlink:href", "data")
PAYLOAD_TAGS = ("script", "img", "svg", "iframe", "b")


def shown(value: str) -> str:
    """Text as a reader sees it in HTML: white space runs as one space."""
    return " ".join(value.split())


def printable(value: str) -> str:
    """``value`` without the control characters the outputs drop (\\x02 and \\x03 mark Python-Markdown's
    placeholders); tab, CR and LF are white space and stay."""
    return "".join(c for c in value if c >= " " or c in "\t\n\r\v\f")


def seen(element: Tag | None) -> str:  # (None: the test fails on it)
    return shown(element.get_text())


def payload_elements(soup: BeautifulSoup | Tag | None) -> list[str]:  # (None: the test fails on it)
    """Elements or attributes a payload would have created: anything carrying alert(…) outside text."""
    found = []
    for element in soup.find_all(True):
        for name, raw in element.attrs.items():
            value = " ".join(raw) if isinstance(raw, list) else raw
            if name.startswith("on") or (name in URL_ATTRIBUTES and url_scheme(value) not in ("", "http", "https")):
                found.append(f"<{element.name} {name}={value!r}>")
        if element.name in PAYLOAD_TAGS and "alert(" in str(element):
            found.append(str(element)[:80])
    return found


def reference(hostile: Hostile, key: str) -> Tag:
    entry = hostile.page("references/").select_one(f"li[id='{key}']")
    assert entry is not None, f"{key} is not on the references page"
    return entry


def term_link(hostile: Hostile, entry: str) -> Tag:
    """The first link of a glossary entry's term in the article's pages."""
    for url in ARTICLE_PAGES:
        link = hostile.page(url).select_one(f"article a.edition-term[href$='#{entry}']")
        if link is not None:
            return link
    raise AssertionError(f"no page marks the term of {entry}")


def tooltip_shows(element: Tag) -> str:
    """What a reader is shown for an element's title: the attribute as the HTML parser decodes it, as text (the
    browser's tooltip, and glossary-tap.js's box, which sets it with textContent)."""
    return str(element["title"])


def aside(hostile: Hostile) -> Tag:
    note = hostile.page("chapter-2/").select_one(f"aside#annotation-{ANN_NAME}")
    assert note is not None
    return note


def listed(hostile: Hostile) -> Tag:
    item = hostile.page("annotations/").select_one(f"li#annotation-{ANN_NAME}")
    assert item is not None
    return item


def ics_lines(hostile: Hostile) -> list[str]:
    raw = (hostile.site.root / "timeline.ics").read_bytes().decode("utf-8")
    assert "\r" not in raw.replace("\r\n", ""), "a CR that is not part of a CRLF line end"
    assert "\n" not in raw.replace("\r\n", ""), "an LF that is not part of a CRLF line end"
    return raw.replace("\r\n ", "").split("\r\n")


def ics_event(hostile: Hostile) -> dict[str, str]:
    lines = ics_lines(hostile)
    start = lines.index(f"UID:{EVENT}@timeline.trump-return-edition") - 1
    end = lines.index("END:VEVENT", start)
    return dict(line.split(":", 1) for line in lines[start + 1 : end])


def csv_rows(hostile: Hostile) -> dict[str, dict[str, str]]:
    raw = (hostile.site.root / "glossary.csv").read_bytes().decode("utf-8-sig")
    return {row["id"]: row for row in csv.DictReader(io.StringIO(raw, newline=""))}


def ics_unescape(value: str) -> str:
    out, escaped = [], False
    for c in value:
        if escaped:
            out.append("\n" if c in "nN" else c)
            escaped = False
        elif c == "\\":
            escaped = True
        else:
            out.append(c)
    return "".join(out)


@dataclass(frozen=True)
class Neutralised:
    """An accepted input and what the built output must hold for it."""

    name: str
    check: Callable[[Hostile], None]

    def __str__(self) -> str:
        return self.name


def _bib_title_text(h: Hostile) -> None:
    entry = reference(h, "hostile-zh-background")
    assert shown(BIB_TITLE) in seen(entry)
    assert not entry.select("script, img, p, em, strong, code, sup"), entry


def _bib_title_link(h: Hostile) -> None:
    entry = reference(h, "hostile-zh-background")
    assert "[点此](javascript:alert(102))" in seen(entry)
    assert [a["href"] for a in entry.select("a")] == [a["href"] for a in entry.select("a[href^='https://']")]


def _bib_title_blank_line(h: Hostile) -> None:
    entry = reference(h, "hostile-zh-background").select_one("span.edition-reference")
    assert "`代码` 第二段" in seen(entry) and not entry.select("p, br")


def _bib_title_entity(h: Hostile) -> None:
    assert "第二段 &lt;img src=x onerror=alert(103)&gt;" in seen(reference(h, "hostile-zh-background"))


def _bib_publisher(h: Hostile) -> None:
    entry = reference(h, "hostile-zh-background")
    assert shown(BIB_PUBLISHER) in seen(entry) and not entry.select("h1, svg")


def _bib_url(h: Hostile) -> None:
    entry = reference(h, "hostile-zh-background")
    links = entry.select("a")
    assert len(links) == 1 and links[0]["href"].startswith("https://example.org/hostile/x")
    assert "<" not in links[0]["href"] and ">" not in links[0]["href"]
    assert not entry.select("img")


def _bib_unused_field(h: Hostile) -> None:
    for name, soup in h.pages():
        assert "alert(106)" not in str(soup), name


def _bib_en_organization(h: Hostile) -> None:
    entry = reference(h, "hostile-en-background")
    assert shown(BIB_EN_ORGANIZATION) in seen(entry)
    assert not entry.select("ul, ol, li li, div, details, img")


def _bib_en_title(h: Hostile) -> None:
    entry = reference(h, "hostile-en-background")
    assert shown(BIB_EN_TITLE) in seen(entry) and not entry.select("b, [onmouseover]")


def _bib_en_journal(h: Hostile) -> None:
    entry = reference(h, "hostile-en-background")
    assert shown(BIB_EN_JOURNAL) in seen(entry) and not entry.select("blockquote, iframe")


def _bib_author_block_start(h: Hostile) -> None:
    entry = reference(h, "hostile-cited")
    assert seen(entry).startswith(shown(BIB_CITED_AUTHOR) + "：《")
    assert not entry.select("h1, img, script")


def _bib_short_form_in_annotation(h: Hostile) -> None:
    for note in (aside(h), listed(h)):
        body = note.select_one(".edition-annotation-body")
        link = body.select_one("a[href$='#hostile-cited']")
        assert link is not None and seen(link) == shown(BIB_CITED_TITLE), body
        assert not body.select("script, img") and not payload_elements(body)


def _bib_full_form_in_annotation(h: Hostile) -> None:
    for note in (aside(h), listed(h)):
        sources = note.select_one("ul.edition-annotation-sources")
        assert f"{shown(BIB_CITED_AUTHOR)}：《{shown(BIB_CITED_TITLE)}》" in seen(sources)
        assert not sources.select("h1, img, script") and not payload_elements(sources)


def _glossary_tooltip_html(h: Hostile) -> None:
    # What the tooltip shows is the definition as written: a numeric entity stays an entity, not a tag.
    title = tooltip_shows(term_link(h, GL_TERM))
    assert "&#60;img src=x onerror=alert(202)&#62;" in title and "&lt;script&gt;alert(205)&lt;/script&gt;" in title


def _glossary_tooltip_entity(h: Hostile) -> None:
    assert "&lt;img src=x onerror=alert(201)&gt;" in tooltip_shows(term_link(h, GL_TERM))


def _glossary_tooltip_markdown(h: Hostile) -> None:
    link = term_link(h, GL_TERM)
    title = tooltip_shows(link)
    assert "[x](javascript:alert(203)) `t` *e* {: onclick=alert(204) } then" in title
    assert seen(link) == "拜登" and not link.find_all(True)
    assert not link.has_attr("onclick")


def _glossary_tooltip_whole(h: Hostile) -> None:
    link = term_link(h, GL_TERM)
    assert tooltip_shows(link) == f"Joe Biden — {shown(GL_DEFINITION)}"


def _glossary_blank_line_keeps_paragraph(h: Hostile, site: Site) -> None:
    link = term_link(h, GL_TERM)
    paragraph = link.find_parent("p")
    assert paragraph is not None and paragraph.get("id", "").startswith("p")
    real = site.page(_page_of(h, str(paragraph["id"]))).select_one(f"p#{paragraph['id']}")
    assert seen(paragraph) == seen(real)


def _page_of(h: Hostile, ident: str) -> str:
    return next(url for url in ARTICLE_PAGES if h.page(url).select_one(f"p#{ident}") is not None)


def _glossary_en(h: Hostile) -> None:
    assert tooltip_shows(term_link(h, GL_EN_TERM)).startswith(GL_EN + " — ")
    for url in [*ARTICLE_PAGES, "glossary/"]:
        assert not h.page(url).select("b, [onmouseover]"), url


def _glossary_page(h: Hostile) -> None:
    entry = h.page("glossary/").select_one(f"div#{GL_TERM}")
    assert shown(GL_DEFINITION) in seen(entry.select_one("dd p[lang='en']"))
    assert not entry.select("img, script") and not payload_elements(entry)


def _csv_cell(entry: str, field: str) -> Callable[[Hostile], None]:
    def check(h: Hostile) -> None:
        value = CSV_CELLS[(entry, field)]
        assert csv_rows(h)[entry][field] == "'" + value

    return check


def _glossary_json(h: Hostile) -> None:
    rows = {row["id"]: row for row in json.loads(h.text("glossary.json"))}
    assert rows[GL_TERM]["definition_en"] == GL_DEFINITION and rows[GL_EN_TERM]["en"] == GL_EN
    assert all(rows[entry][field] == value for (entry, field), value in CSV_CELLS.items())


def _ics_cr(h: Hostile) -> None:
    lines = ics_lines(h)
    assert not [ln for ln in lines if ln.startswith(("SUMMARY:injected", "DTSTART;VALUE=DATE:19990101"))]
    assert lines.count("BEGIN:VEVENT") == lines.count("END:VEVENT") == sum(ln.startswith("UID:") for ln in lines)
    assert ics_unescape(ics_event(h)["SUMMARY"]) == TL_TITLE_ZH


def _ics_crlf_lf(h: Hostile) -> None:
    lines = ics_lines(h)
    assert not [ln for ln in lines if ln.startswith("X-INJECTED")]
    assert TL_NOTE_EN in ics_unescape(ics_event(h)["DESCRIPTION"])


def _ics_separators(h: Hostile) -> None:
    description = ics_event(h)["DESCRIPTION"]
    assert "US tariff\\; a\\,b \\\\ c" in description
    assert TL_TITLE_EN in ics_unescape(description)


def _ics_every_line_a_property(h: Hostile) -> None:
    for line in ics_lines(h)[:-1]:  # the last is the empty string after the final CRLF
        name = line.split(":", 1)[0].split(";", 1)[0]
        assert name and name.replace("-", "").isalnum() and name.upper() == name, line


def _timeline_page(h: Hostile) -> None:
    event = h.page("timeline/").select_one(f"li#{EVENT}")
    assert shown(TL_TITLE_EN) in seen(event) and shown(TL_NOTE_ZH) in seen(event)
    assert shown(TL_DATE_NOTE) in seen(event)
    assert not event.select("script, img") and not payload_elements(event)


def _timeline_json(h: Hostile) -> None:
    row = next(row for row in json.loads(h.text("timeline.json")) if row["id"] == EVENT)
    assert (row["title_zh"], row["title_en"], row["note_en"], row["date_note"]) == (
        TL_TITLE_ZH,
        TL_TITLE_EN,
        TL_NOTE_EN,
        TL_DATE_NOTE,
    )


def _annotation_author(h: Hostile) -> None:
    assert shown(ANN_AUTHOR) in seen(aside(h).select_one("summary"))
    item = listed(h)
    assert item["data-author"] == ANN_AUTHOR and shown(ANN_AUTHOR) in seen(item.select_one(".edition-annotation-where"))
    assert not aside(h).select("img") and not item.select("img")


def _annotation_entity(h: Hostile) -> None:
    for note in (aside(h), listed(h)):
        body = note.select_one(".edition-annotation-body")
        assert "<script>alert(402)</script>" in seen(body) and not body.select("script")


def _annotation_link_titles(h: Hostile) -> None:
    for note in (aside(h), listed(h)):
        body = note.select_one(".edition-annotation-body")
        links = {a["href"]: a for a in body.select("a")}
        assert {"https://example.org/ann", "https://example.org/ref", "https://example.org/auto"} <= set(links)
        assert not body.select("[title]"), body


def _annotation_note_link(h: Hostile) -> None:
    ref = h.page("chapter-2/").select_one(f"sup.edition-annotation-ref a[href='#annotation-{ANN_NAME}']")
    assert ref is not None and tooltip_shows(ref) == "注释：背景 · Annotation: Context"


def _annotation_jsonld(h: Hostile) -> None:
    data = json.loads(h.text("annotations.jsonld"))
    item = next(i for i in data["first"]["items"] if i["id"].endswith(f"#annotation-{ANN_NAME}"))
    assert item["creator"]["name"] == ANN_AUTHOR
    body = BeautifulSoup(item["body"]["value"], "html.parser")
    assert "<script>alert(402)</script>" in seen(body)
    assert not body.select("script, img, [title]") and not payload_elements(body)


def _no_payload_anywhere(h: Hostile) -> None:
    for name, soup in h.pages():
        assert not payload_elements(soup), (name, payload_elements(soup))


def _no_tag_in_any_tooltip(h: Hostile) -> None:
    for name, soup in h.pages():
        for element in soup.select("[title]"):
            assert "<" not in element["title"], (name, element["title"])


def _search_index(h: Hostile) -> None:
    for doc in json.loads(h.text("search/search_index.json"))["docs"]:
        # The titles too: an entry's or an event's result is titled with its names (hooks/search_sections.py).
        for field in ("title", "text"):
            text = BeautifulSoup(doc[field], "html.parser")
            assert not text.select("script, img, svg, iframe, b") and not payload_elements(text), doc["location"]


NEUTRALISED = [
    Neutralised("bib title <script> is text on the references page", _bib_title_text),
    Neutralised("bib title [x](javascript:) is no link", _bib_title_link),
    Neutralised("bib title blank line splits nothing", _bib_title_blank_line),
    Neutralised("bib title &lt;img onerror&gt; shows as written", _bib_title_entity),
    Neutralised("bib publisher '# …<svg onload>' is no heading, no svg", _bib_publisher),
    Neutralised("bib url breaking out of its autolink stays one https link", _bib_url),
    Neutralised("bib note field reaches no page", _bib_unused_field),
    Neutralised("bib organization '- !!! note <img>' is no list, no admonition", _bib_en_organization),
    Neutralised("bib English title <b onmouseover> is text", _bib_en_title),
    Neutralised("bib journaltitle '> …<iframe>' is no quote, no iframe", _bib_en_journal),
    Neutralised("bib author '# …<img>' first in a reference is no heading", _bib_author_block_start),
    Neutralised("bib title in an annotation's short citation is link text", _bib_short_form_in_annotation),
    Neutralised("bib fields in an annotation's sources are text", _bib_full_form_in_annotation),
    Neutralised("glossary definition <img onerror> in a tooltip is text", _glossary_tooltip_html),
    Neutralised("glossary definition &lt;img&gt; in a tooltip shows as written", _glossary_tooltip_entity),
    Neutralised("glossary definition Markdown in a tooltip is text", _glossary_tooltip_markdown),
    Neutralised("glossary tooltip shows the definition whole on one line", _glossary_tooltip_whole),
    Neutralised("glossary English name <b onmouseover> is text", _glossary_en),
    Neutralised("glossary page shows the definition as text", _glossary_page),
    *(
        Neutralised(f"glossary.csv {entry}.{field} starting {value[0]!r} is no formula", _csv_cell(entry, field))
        for (entry, field), value in CSV_CELLS.items()
    ),
    Neutralised("glossary.json keeps the definitions as written", _glossary_json),
    Neutralised("timeline title with calendar syntax starts no event", _ics_cr),
    Neutralised("timeline note with property names starts no property", _ics_crlf_lf),
    Neutralised("timeline title ; , and backslash escaped in the calendar", _ics_separators),
    Neutralised("timeline.ics: every line is a property", _ics_every_line_a_property),
    Neutralised("timeline page shows title, note and date note as text", _timeline_page),
    Neutralised("timeline.json keeps the text as written", _timeline_json),
    Neutralised("annotation author <img onerror> is text and a plain attribute", _annotation_author),
    Neutralised("annotation body &lt;script&gt; shows as written", _annotation_entity),
    Neutralised("annotation link titles (inline and reference) are dropped", _annotation_link_titles),
    Neutralised("annotation note link's tooltip is text", _annotation_note_link),
    Neutralised("annotations.jsonld: body and author are text", _annotation_jsonld),
    Neutralised("no page holds a payload element, handler or javascript: address", _no_payload_anywhere),
    Neutralised("no title on any page can start a tag in a tooltip", _no_tag_in_any_tooltip),
    Neutralised("search index holds no payload element", _search_index),
]


@pytest.mark.parametrize("attack", NEUTRALISED, ids=str)
def test_accepted_hostile_text_stays_text(hostile: Hostile, attack: Neutralised) -> None:
    attack.check(hostile)


def test_glossary_blank_line_leaves_the_article_paragraph_whole(hostile: Hostile, site: Site) -> None:
    """The paragraph holding the hostile term reads exactly as in the real book."""
    _glossary_blank_line_keeps_paragraph(hostile, site)


# -- refused: links in annotations ---------------------------------------------------------------------------

ANNOTATION = "annotations/attack.md"
BODY_LINE = VALID_ANNOTATION.count("\n", 0, VALID_ANNOTATION.index("---\n", 4) + 4) + 1


def _annotation(name: str, body: str, message: str, line: int = 0) -> Attack:
    """A valid annotation whose body is ``body``, refused at the body's first line + ``line``."""
    return Attack(
        name,
        write(ANNOTATION, VALID_ANNOTATION.replace("一条有效的注释。\n", body + "\n")),
        Refused(ANNOTATION, BODY_LINE + line, message),
    )


NOT_WEB = "only http and https links are allowed, not javascript:"
NOT_FULL = "is not a full address"
REFUSED = [
    _annotation("inline javascript:", "[x](javascript:alert(1))", "link to 'javascript:alert(1' refused: " + NOT_WEB),
    _annotation("scheme colon as &#58;", "[x](javascript&#58;alert(1))", NOT_WEB),
    _annotation("scheme letter as hex entity", "[x](jav&#x61;script:alert(1))", NOT_WEB),
    _annotation("scheme letter as decimal entity", "[x](&#106;avascript:alert(1))", NOT_WEB),
    _annotation("scheme letter percent-encoded", "[x](%6Aavascript:alert(1))", NOT_WEB),
    _annotation("tab percent-encoded inside the scheme", "[x](java%09script:alert(1))", NOT_WEB),
    _annotation("scheme in mixed case", "[x](JaVaScRiPt:alert(1))", NOT_WEB),
    _annotation("scheme-relative //host", "[x](//evil.example/a)", NOT_FULL),
    _annotation("scheme-relative as entities", "[x](&#x2F;&#x2F;evil.example/a)", NOT_FULL),
    _annotation("backslashes for slashes", "[x](\\\\evil.example/a)", NOT_FULL),
    _annotation("slash and backslash", "[x](/\\evil.example/a)", NOT_FULL),
    _annotation("https with a backslash and no host", "[x](https:/\\evil.example/a)", "not a well-formed address"),
    _annotation("reference definition with a title", '见[x][r]。\n\n[r]: javascript:alert(1) "title"', NOT_WEB, 2),
    _annotation(
        "reference definition, address on the next line", "见[x][r]。\n\n[r]:\n  javascript:alert(1)", NOT_WEB, 2
    ),
    _annotation("reference definition inside a quote", "见[x][r]。\n\n> [r]: javascript:alert(1)", NOT_WEB, 2),
    _annotation("reference definition in a quote in a list", "见[x][r]。\n\n- > [r]: javascript:alert(1)", NOT_WEB, 2),
    _annotation("autolink <javascript:…>", "见<javascript:alert(1)>。", NOT_WEB),
    _annotation("angle-bracket destination", "[x](<javascript:alert(1)>)", NOT_WEB),
    _annotation("data: URL", "[x](data:text/html;base64,PHNjcmlwdD4=)", "not data:"),
    _annotation("vbscript: URL", "[x](vbscript:msgbox(1))", "not vbscript:"),
    _annotation("mailto link (http and https only)", "[信](mailto:someone@example.org)", "not mailto:"),
    _annotation("mailto autolink", "<mailto:someone@example.org>", "not mailto:"),
    _annotation("e-mail autolink", "<someone@example.org>", "e-mail links are not allowed"),
    _annotation("image from another site", "![图](https://example.org/a.png)", "images are not allowed"),
    _annotation("image with a javascript: source", "![图](javascript:alert(1))", "images are not allowed"),
    _annotation("relative link", "[第一章](../chapter-1/)", "only absolute http and https addresses"),
    _annotation("link without an address", "[x]()", "the link has no address"),
    _annotation(
        "address with a space, seen in the rendered body",
        "[x](https://exa mple.org/)",
        "a link in the text points to 'https://exa mple.org/'",
    ),
    _annotation("link on a later line of the body", "第一行。\n第二行[x](javascript:alert(1))。", NOT_WEB, 1),
    # Bounded work: Python-Markdown looks for the ']' of every '[' up to the paragraph's end, so these would
    # take minutes to render; they are refused, in one pass, before anything renders them.
    # The one reading door refuses these first (edition.problems.markdown_work_problems); bracket_problem,
    # behind it, would say "nested more than 3 deep" / "never closed".
    _annotation("20,000 unclosed '['", "正文。\n\n" + "[" * 20_000, "this paragraph holds 20,000 '['", 2),
    _annotation("unclosed '[' before the paragraph ends", "见[注释\n\n下一段]。", "this '[' is never closed"),
    _annotation(
        "20,000 links whose '(' is never closed", "正文。\n\n" + "[x](" * 20_000, "this paragraph holds 20,000 '['", 2
    ),
]


@pytest.mark.parametrize("attack", REFUSED, ids=str)
def test_unsafe_links_in_annotations_are_refused(project_copy: Path, attack: Attack) -> None:
    started = time.perf_counter()
    assert_refused(project_copy, attack)
    assert time.perf_counter() - started < 10, "the checks took too long"


def _bib_url_attack(name: str, url: str, message: str) -> Attack:
    entry = (
        f"\n@online{{bad-url,\n  title = {{T}},\n  organization = {{O}},\n  publisher = {{P}},\n"
        f"  date = {{2025-05-01}},\n  url = {{{url}}},\n  langid = {{chinese}},\n"
        "  keywords = {media, background},\n}\n"
    )
    return Attack(
        name, append("refs.bib", entry), Refused("refs.bib", line_of("refs.bib", "url = {" + url), message, "bad-url")
    )


BIB_URLS = [
    _bib_url_attack("refs.bib url javascript:", "javascript:alert(1)", "is not https"),
    _bib_url_attack("refs.bib url data:", "data:text/html,x", "is not https"),
    _bib_url_attack("refs.bib url //host", "//evil.example/x", "not absolute"),
]


@pytest.mark.parametrize("attack", BIB_URLS, ids=str)
def test_unsafe_source_addresses_are_refused(project_copy: Path, attack: Attack) -> None:
    assert_refused(project_copy, attack)


# -- the escaping functions over any text ------------------------------------------------------------------------

PIECES = st.sampled_from(
    [
        *("ab 1.#>-+*_`[]()!?~:=|{}<>&;\\/\"'@^\n\r\t"),
        "&lt;",
        "&#58;",
        "<img src=x onerror=alert(1)>",
        "[^1]",
        "[@k]",
        "!!! note",
        "??? x",
        "```",
        "~~~",
        "    ",
        "javascript:",
        "<https://x.example>",
        "\x02",
        "\x03",
        "wzxhzdk:0",
        "{: onclick=x}",
        "*[HTML]: x",
        "[r]: /x",
    ]
)
TEXTS = st.lists(PIECES, max_size=25).map("".join)
EXTENSIONS = [
    "abbr",
    "admonition",
    "attr_list",
    "md_in_html",
    "footnotes",
    "tables",
    "pymdownx.details",
    "pymdownx.superfences",
    "toc",
]  # as mkdocs.yml configures the chapters


@settings(max_examples=400, deadline=None, suppress_health_check=list(HealthCheck))
@given(TEXTS)
def test_markdown_text_is_text_inline_and_first_in_a_note(value: str) -> None:
    import markdown

    converter = markdown.Markdown(extensions=EXTENSIONS)
    expected = shown(printable(value))
    soup = BeautifulSoup(converter.convert("前" + markdown_text(value) + "后"), "html.parser")
    assert [t.name for t in soup.find_all(True)] == ["p"] and seen(soup) == shown("前" + expected + "后")
    converter.reset()
    soup = BeautifulSoup(converter.convert("文[^1]\n\n[^1]: " + markdown_text(value) + "。"), "html.parser")
    note = soup.select_one("div.footnote li p")
    assert [t.name for t in note.find_all(True)] == ["a"], note  # the back link only
    assert seen(note).removesuffix("↩").strip() == shown(expected + "。")


@settings(max_examples=400, deadline=None, suppress_health_check=list(HealthCheck))
@given(TEXTS)
def test_a_title_shows_its_text_as_written_after_one_decoding(value: str) -> None:
    soup = BeautifulSoup(f'<a title="{title_attribute(value)}" href="x">y</a>', "html.parser")
    assert soup.a is not None and list(soup.a.attrs) == ["title", "href"]  # nothing broke out of the attribute
    assert str(soup.a["title"]) == shown(printable(value))


@settings(max_examples=400, deadline=None, suppress_health_check=list(HealthCheck))
@given(TEXTS)
def test_ics_text_stays_on_its_line_and_csv_cells_start_no_formula(value: str) -> None:
    escaped = ics_text(value)
    assert "\r" not in escaped and "\n" not in escaped
    assert ics_unescape(escaped) == "".join(
        c for c in value.replace("\r\n", "\n").replace("\r", "\n") if c >= " " or c in "\t\n"
    )
    assert not csv_cell(value).startswith(("=", "+", "-", "@", "\t", "\r"))


# -- in Chromium -------------------------------------------------------------------------------------------------

# What a payload would create (the theme's own svg icons carry no handler).
PAYLOAD_SELECTOR = (
    "img[src='x'], iframe, article b, [onmouseover], [onerror], [onload], [onclick], [onfocus], "
    ".md-tooltip2 img, .md-tooltip2 script, .md-tooltip2 a, .md-tooltip2 b, #edition-gloss *"
)
# Every tooltip (any title: glossary terms, note links, paragraph numbers), every marked passage and every link
# in an annotation's text.
HOVERED = "article [title], article mark.edition-annotated, article .edition-annotation-body a"


@pytest.mark.browser
def test_hovering_and_focusing_every_tooltip_runs_nothing(browser: Browser, hostile: Hostile) -> None:
    dialogs: list[str] = []
    hovered = 0
    with serve(hostile.site.root) as base:
        for url in [*ARTICLE_PAGES, "annotations/"]:
            with visit(browser, base + url, viewport={"width": 1280, "height": 900}) as v:
                page = v.page
                page.evaluate("document.querySelectorAll('article details').forEach(d => { d.open = true; })")
                page.wait_for_timeout(300)
                if url == "chapter-1/":
                    _hover_hostile_term(page)
                # The elements as they are now: a hovered term's title is lifted while its gloss shows, so a
                # query by position would shift to another element after each hover.
                for target in page.locator(HOVERED).element_handles():
                    if not target.is_visible():
                        continue  # (the English of a paragraph, in the Chinese view)
                    # The pointer waits in the corner while the page scrolls: scrolling the text under a resting
                    # pointer would hover whatever passes below it (a note call opens its note's tooltip).
                    page.mouse.move(0, 0)
                    target.scroll_into_view_if_needed(timeout=2_000)
                    target.hover(timeout=2_000)
                    target.focus()
                    hovered += 1
                    page.wait_for_timeout(20)
                    # A tooltip lives only while hovered or focused: look while it is open.
                    created = page.evaluate(
                        f"Array.from(document.querySelectorAll({json.dumps(PAYLOAD_SELECTOR)}), e => e.outerHTML)"
                    )
                    hovering = target.evaluate("e => e.outerHTML")[:120]
                    assert created == [], f"{url or 'index'}: hovering {hovering} made {created}"
                page.wait_for_timeout(300)
                assert page.locator(PAYLOAD_SELECTOR).count() == 0, url
                assert not page.evaluate("Array.from(document.scripts).some(s => s.textContent.includes('alert('))")
                dialogs += v.dialogs
    assert hovered > 0
    assert dialogs == [], dialogs


def _hover_hostile_term(page) -> None:
    """The hostile glossary tooltip opens and shows its payload as text."""
    links = page.locator(f"article a.edition-term[href$='#{GL_TERM}']")
    assert links.count() > 0, f"the term of {GL_TERM} is not marked: its definition broke the paragraph"
    link = links.first
    link.scroll_into_view_if_needed()
    page.mouse.move(0, 0)
    link.hover()
    tooltip = page.locator("#edition-gloss").filter(has_text="Joe Biden")
    tooltip.wait_for(state="visible", timeout=5_000)
    text = tooltip.inner_text()
    # The definition exactly as written in the data: its entities shown, not decoded into tags.
    assert "&#60;img src=x onerror=alert(202)&#62;" in text and "&lt;script&gt;alert(205)&lt;/script&gt;" in text, text
    assert "&lt;img src=x onerror=alert(201)&gt;" in text, text
    assert tooltip.locator("img, script, a").count() == 0


@pytest.mark.browser
def test_tapping_a_hostile_term_on_a_phone_shows_its_gloss_as_written(browser: Browser, hostile: Hostile) -> None:
    """The gloss a first tap shows (javascripts/glossary-tap.js) is the data as written: entities shown as typed,
    no element made from them, nothing run."""
    cases = [(GL_TERM, "&lt;img src=x onerror=alert(201)&gt;"), (GL_EN_TERM, GL_EN)]
    with serve(hostile.site.root) as base:
        for entry, written in cases:
            url = next(u for u in ARTICLE_PAGES if hostile.page(u).select_one(f"article a[href$='#{entry}']"))
            with visit(browser, base + url, viewport={"width": 375, "height": 812}, touch=True) as v:
                page = v.page
                link = page.locator(f"article a.edition-term[href$='#{entry}']").first
                link.scroll_into_view_if_needed()
                link.tap()
                gloss = page.locator("#edition-gloss")
                gloss.wait_for(state="visible", timeout=5_000)
                page.wait_for_timeout(300)
                assert written in gloss.inner_text(), f"{entry}: the gloss shows {gloss.inner_text()!r}"
                assert "&amp;" not in gloss.inner_text(), f"{entry}: escaped twice: {gloss.inner_text()!r}"
                assert gloss.locator("*").count() == 0, gloss.inner_html()
                assert page.locator(PAYLOAD_SELECTOR).count() == 0, url
                assert page.url == base + url
                assert v.dialogs == [], v.dialogs
