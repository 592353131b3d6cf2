"""Pages generated from data: a page opts in with a marker ``<!-- edition:NAME -->``.

Each NAME maps to a function that turns the edition's data into HTML through a
Jinja template in ``edition/site/templates``. An unknown NAME is an error, so a typo never
yields a silently empty page.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from html import unescape
from typing import Any

import nh3

from edition.escape import SAFE_SCHEMES
from edition.reference.glossary_timeline import ReferenceData
from edition.site.data_pages import glossary_context, timeline_context
from edition.site.reader_tools import annotations_page, cite_this
from edition.site.templating import TEMPLATES, label_pair
from edition.sources.bib import GROUPS, Bibliography, Entry
from edition.sources.notes import Cite, render_cite
from edition.text.citation_consistency import EXCEPTION_FIELD, exception_parts
from edition.text.emendations import KINDS, EmendationList
from edition.text.markdown_html import inline_html
from edition.text.markers import MARKER, NAMES

# The templates write every attribute in double quotes (Jinja escapes the values).
ELEMENT_ID = re.compile(r'\sid="(?P<id>[^"]+)"')


@dataclass
class EditionData:
    """Everything the generated pages draw on, loaded once per build."""

    bib: Bibliography
    emendations: EmendationList
    cited_in: dict[str, list[str]] = field(default_factory=dict)
    concordance: list[dict[str, Any]] = field(default_factory=list)
    reference: ReferenceData | None = None  # glossary and timeline, with the paragraphs they point into
    annotations: list[Any] = field(default_factory=list)  # edition.reference.annotations.Annotation
    paragraphs: list[Any] = field(default_factory=list)  # edition.text.paragraphs.Paragraph
    article: dict[str, Any] = field(default_factory=dict)  # data/article.yml, for "Cite this"
    site_url: str = ""
    with_pdf: bool = False  # mkdocs.yml extra.pdf: the build that `make pdf` runs links to the PDFs and the EPUB
    downloads_up: str = ""  # where pdf/ and epub/ are from the site's root: "../" from the English site in en/
    # article page → (its English translator, its English title): "Cite this" cites the translation too
    translations: dict[str, tuple[str, str]] = field(default_factory=dict)
    paragraph_pages: Mapping[str, tuple[int, int]] = field(default_factory=dict)  # the printed pages, by id
    language: str = "zh"  # the site's: "en" for the English site, whose pages lead with English

    @property
    def english(self) -> bool:
        return self.language == "en"


@dataclass(frozen=True)
class PageLinks:
    """Titles and URLs of the site's pages, as seen from the page being rendered."""

    titles: dict[str, str]
    url: Callable[[str], str]
    page: str = ""  # src_uri of the page being rendered
    # src_uri → the page's title in the English site's nav (only there): its lists name the pages in English
    english_titles: dict[str, str] = field(default_factory=dict)

    def title(self, page: str) -> str:
        return self.english_titles.get(page) or self.titles.get(page, page)


def reference_html(entry: Entry) -> str:
    """One source in full, as HTML: refs.bib's fields enter the Markdown escaped (edition.sources.notes); nh3 then
    keeps only what a formatted reference holds (a language span, its http(s) link) as a second line."""
    return nh3.clean(
        inline_html(render_cite(Cite(entry))),
        tags={"span", "a"},
        attributes={"*": set(), "span": {"lang"}, "a": {"href"}},
        url_schemes=set(SAFE_SCHEMES),
        link_rel=None,
        url_relative="deny",
    )


def render_references(data: EditionData, links: PageLinks) -> str:
    groups = []
    for group, (zh, en) in GROUPS.items():
        entries = sorted(
            (e for e in data.bib.entries.values() if e.group == group), key=lambda e: (e.get("date"), e.get("title"))
        )
        if entries:
            groups.append(
                {
                    "id": group,
                    "zh": zh,
                    "en": en,
                    "entries": [
                        {
                            "key": e.key,
                            "lang": "zh-Hans" if e.lang == "zh" else "en",
                            "html": reference_html(e),
                            "cited_in": [(links.title(p), links.url(p)) for p in data.cited_in.get(e.key, [])],
                            "exception_dates": exception_parts(e.get(EXCEPTION_FIELD))[0],
                            "exception": exception_parts(e.get(EXCEPTION_FIELD))[1],
                        }
                        for e in entries
                    ],
                }
            )
    return TEMPLATES.get_template("references.html").render(
        groups=groups, english=data.english, pair=label_pair(data.english)
    )


def render_emendations(data: EditionData, links: PageLinks) -> str:
    rows = [
        {
            "where": e.where,
            "before": e.before,
            "after": e.after,
            "kind": KINDS[e.kind],
            "reason": e.reason,
            "count": e.count,
        }
        for e in data.emendations.emendations
    ]
    joins = [{"where": j.where, "end": j.end, "start": j.start} for j in data.emendations.joins]
    return TEMPLATES.get_template("emendations.html").render(rows=rows, joins=joins, concordance=data.concordance)


def render_annotations(data: EditionData, links: PageLinks) -> str:
    titles = {page: links.title(page) for page in links.titles}
    return annotations_page(data.annotations, data.paragraphs, data.bib, titles, links.url, english=data.english)


def render_cite_this(data: EditionData, links: PageLinks) -> str:
    return cite_this(
        data.article,
        links.page,
        links.titles.get(links.page, ""),
        links.url,
        data.site_url,
        with_pdf=data.with_pdf,
        translation=data.translations.get(links.page, ("", "")),
        paragraph_pages=data.paragraph_pages,
        up=data.downloads_up,
        english=data.english,
    )


def render_glossary(data: EditionData, links: PageLinks) -> str:
    assert data.reference is not None, "the book is loaded only when the glossary can be read"
    context = glossary_context(data.reference, data.bib, links.url, english=data.english)
    downloads = {"csv": links.url("glossary.csv"), "json": links.url("glossary.json")}
    return TEMPLATES.get_template("glossary.html").render(**context, downloads=downloads, pair=label_pair(data.english))


def render_timeline(data: EditionData, links: PageLinks) -> str:
    assert data.reference is not None, "the book is loaded only when the timeline can be read"
    context = timeline_context(data.reference, data.bib, links.url, english=data.english)
    downloads = {"json": links.url("timeline.json"), "ics": links.url("timeline.ics")}
    return TEMPLATES.get_template("timeline.html").render(**context, downloads=downloads, pair=label_pair(data.english))


RENDERERS: dict[str, Callable[[EditionData, PageLinks], str]] = {
    "references": render_references,
    "emendations": render_emendations,
    "glossary": render_glossary,
    "timeline": render_timeline,
    "annotations": render_annotations,
    "cite-this": render_cite_this,
}
if tuple(RENDERERS) != NAMES:
    raise ImportError(
        "edition.text.markers.NAMES must list the markers of edition.site.generated_pages.RENDERERS, in the same order"
    )


# Headings of a page, generated or not: every template and Python-Markdown write <h2 id="…"> with the id in double
# quotes; the permalink Python-Markdown adds inside a heading is not part of its title.
HEADING = re.compile(r'<h(?P<level>[23])\b[^>]*?\sid="(?P<id>[^"]+)"[^>]*>(?P<inner>.*?)</h(?P=level)>', re.DOTALL)
PERMALINK = re.compile(r'<a\b[^>]*\bclass="headerlink"[^>]*>.*?</a>', re.DOTALL)
TAG = re.compile(r"<[^>]*>")


def outline(html: str) -> list[tuple[int, str, str]]:
    """(level, id, title) of every h2 and h3 of a page, in order: the table of contents of a page whose sections
    the build writes (MkDocs makes one only from the Markdown's own headings)."""
    return [
        (
            int(m.group("level")),
            unescape(m.group("id")),
            " ".join(unescape(TAG.sub(" ", PERMALINK.sub("", m.group("inner")))).split()),
        )
        for m in HEADING.finditer(html)
    ]


def element_ids(html: str) -> set[str]:
    """The ids a link may point to in generated HTML (MkDocs collects them only from Markdown)."""
    return {unescape(m.group("id")) for m in ELEMENT_ID.finditer(html)}


def expand_markers(html: str, data: EditionData, links: PageLinks) -> str:
    """The page's HTML with each known marker replaced by what its renderer makes.

    Run on the rendered page, not its Markdown: the generated HTML then skips Python-Markdown's
    raw-HTML pass, which costs more than rendering it; a marker shown in a code block is escaped
    there and stays as written.
    """
    return MARKER.sub(
        lambda m: RENDERERS[m.group("name")](data, links) if m.group("name") in RENDERERS else m.group(0), html
    )
