"""How to cite the article or one chapter: GB/T 7714-2015, APA 7, Chicago and BibTeX, from data/article.yml.

A chapter is cited with its own address; its GB/T 7714 and Chicago note give its own printed pages
(edition/text/print_pages.py, the pages the page marks in the text show), the reference entries the
article's range (pp. 35–48). The
English title is the edition's translation and is marked as such: in brackets, after the Chinese title and its pinyin.
The address is the page's own: ``site_url`` when mkdocs.yml sets it, else filled in
by the reader's browser (the placeholder says what to write without JavaScript).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

from edition.paths import ARTICLE_RECORD as ARTICLE
from edition.problems import EditionError, Problem
from edition.records import SMALL_FILE_LIMIT, read_yaml, schema_problems
from edition.text.front_matter import FrontMatter

if TYPE_CHECKING:
    from markupsafe import Markup

ITALIC = re.compile(r"\*([^*]+)\*")
URL_PLACEHOLDER = "〈本页网址 URL of this page〉"


@dataclass(frozen=True)
class Citation:
    style: str
    label: str
    marked: str  # *italics* marked as in Markdown
    lang: str

    @property
    def text(self) -> str:
        """What a reader copies: plain text, as a word processor would paste it."""
        return self.marked.replace("*", "")

    @property
    def html(self) -> Markup:
        from markupsafe import Markup, escape  # noqa: PLC0415 (only the pages' templates ask for it, not `make check`)

        escaped = str(escape(self.marked))
        return Markup(ITALIC.sub(r"<em>\1</em>", escaped))  # noqa: S704 (escaped above; the only markup is this <em>)


def _field(path: tuple[Any, ...]) -> str | None:
    return ".".join(str(step) for step in path) or None


def load_article(root: Path, *, today: dt.date) -> dict[str, Any]:
    """data/article.yml, checked by ``schemas/article.schema.json``; ``today`` is the build's date: an article is
    not published after it."""
    shown = ARTICLE.as_posix()
    node, data = read_yaml(root / ARTICLE, shown, limit=SMALL_FILE_LIMIT)
    problems = schema_problems(shown, node, data, "article", key=_field, where=lambda _: ())
    if problems:
        raise EditionError(problems)
    article: dict[str, Any] = data  # the schema says: a mapping
    problems += article_problems(article, _field_lines(node), shown, reference=today)
    if problems:
        raise EditionError(problems)
    return article


def _field_lines(node: yaml.Node) -> dict[str, int]:
    assert isinstance(node, yaml.MappingNode)  # the schema says so
    return {key.value: value.start_mark.line + 1 for key, value in node.value}


def article_problems(
    article: dict[str, Any], lines: dict[str, int], shown: str, *, reference: dt.date | None
) -> list[Problem]:
    """What the schema cannot say: the pages run forwards, and the article is not from the future."""
    problems = []
    if article["last_page"] < article["first_page"]:
        problems.append(
            Problem(
                shown,
                lines["last_page"],
                "last_page",
                f"{article['last_page']} is before the "
                f"first page {article['first_page']}; give the article's last page",
            )
        )
    if reference is not None and article["year"] > reference.year:
        problems.append(
            Problem(
                shown,
                lines["year"],
                "year",
                f"{article['year']} is after the build date "
                f"{reference}; the article is already published: check the year",
            )
        )
    return problems


def scholar_meta(
    article: Mapping[str, Any], *, url: str = "", pdf_url: str = "", front: FrontMatter | None = None
) -> list[tuple[str, str]]:
    """The article as Google Scholar and reference managers (Zotero, EndNote) read a page: Highwire Press
    ``citation_*`` meta tags, then Dublin Core for the readers that know only that. Only what the print says: the
    issue's year, not a day no one has recorded; the abstract and keywords as the article prints them
    (``front``); the PDF's address only in a build that makes the PDFs."""
    front = front or FrontMatter()
    a, t, j = article["author"], article["title"], article["journal"]
    tags = [
        ("citation_title", t["zh"]),
        ("citation_author", a["zh"]),
        ("citation_journal_title", j["zh"]),
        ("citation_publication_date", str(article["year"])),
        ("citation_issue", str(article["issue"])),
        ("citation_firstpage", str(article["first_page"])),
        ("citation_lastpage", str(article["last_page"])),
        ("citation_language", "zh"),
    ]
    tags += [("citation_abstract", front.abstract)] if front.abstract else []
    # One tag, the keywords apart by semicolons: how Highwire lists them, and how Zotero splits them into tags.
    tags += [("citation_keywords", "; ".join(front.keywords))] if front.keywords else []
    tags += [("citation_public_url", url)] if url else []
    tags += [("citation_pdf_url", pdf_url)] if pdf_url else []
    tags += [
        ("DC.title", t["zh"]),
        ("DC.creator", a["zh"]),
        ("DC.date", str(article["year"])),
        (
            "DC.source",
            f"{j['zh']}, {article['year']}({article['issue']}): {article['first_page']}-{article['last_page']}",
        ),
        ("DCTERMS.isPartOf", j["zh"]),
        ("DC.language", "zh"),
        ("DC.type", "Text"),
    ]
    tags += [("DC.description", front.abstract)] if front.abstract else []
    tags += [("DC.subject", keyword) for keyword in front.keywords]
    return tags


def open_graph(
    article: Mapping[str, Any], *, chapter_title: str = "", url: str = "", image_url: str = ""
) -> list[tuple[str, str]]:
    """Open Graph properties: what a link preview (WeChat, Mastodon, Slack) shows. ``og:url`` and ``og:image`` only
    with an absolute address (mkdocs.yml's site_url): the protocol takes no relative one."""
    description, _ = print_identity(article, chapter_title)
    tags = [
        ("og:type", "article"),
        ("og:title", article["title"]["zh"] + (f" · {chapter_title}" if chapter_title else "")),
        ("og:description", description),
        ("og:locale", "zh_CN"),
    ]
    tags += [("og:url", url)] if url else []
    if image_url:
        tags += [("og:image", image_url), ("og:image:type", "image/png"), ("og:image:width", "1200")]
        tags += [("og:image:height", "630"), ("og:image:alt", description)]
    return tags


def journal_article(article: Mapping[str, Any], front: FrontMatter | None = None) -> dict[str, Any]:
    """The printed article as schema.org data: a ScholarlyArticle in an issue of a periodical."""
    front = front or FrontMatter()
    a, t, j = article["author"], article["title"], article["journal"]
    year, issue, first, last = article["year"], article["issue"], article["first_page"], article["last_page"]
    return (
        {
            "@type": "ScholarlyArticle",
            "headline": t["zh"],
            "alternativeHeadline": t["pinyin"],
            "author": {"@type": "Person", "name": a["zh"], "familyName": a["family"], "givenName": a["given"]},
            "inLanguage": "zh",
            "datePublished": str(year),
            "pageStart": str(first),
            "pageEnd": str(last),
            "pagination": f"{first}–{last}",
            "isPartOf": {
                "@type": "PublicationIssue",
                "issueNumber": str(issue),
                "datePublished": str(year),
                "isPartOf": {"@type": "Periodical", "name": j["zh"], "alternateName": [j["pinyin"], j["en"]]},
            },
        }
        | ({"abstract": front.abstract} if front.abstract else {})
        | ({"keywords": list(front.keywords)} if front.keywords else {})
    )


def scholarly_jsonld(
    article: Mapping[str, Any],
    *,
    chapter_title: str = "",
    url: str = "",
    image_url: str = "",
    front: FrontMatter | None = None,
) -> dict[str, Any]:
    """This page as schema.org JSON-LD: the web edition's text (or one chapter of it), based on the journal
    article; placed in the page through ``edition.escape.json_script``."""
    a, t = article["author"], article["title"]
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "ScholarlyArticle",
        "headline": t["zh"] + (f" · {chapter_title}" if chapter_title else ""),
        "author": {"@type": "Person", "name": a["zh"]},
        "inLanguage": "zh-Hans",
        "isBasedOn": journal_article(article, front),
    }
    data |= {"url": url} if url else {}
    data |= {"image": image_url} if image_url else {}
    return data


# Where a range citation's reader-side parts go (javascripts/ranges.js fills them): private-use characters,
# which no checked input may hold (edition.records refuses them), so no title can be mistaken for one.
SLOTS = {
    "url": "\ue001",  # the page's address with the range's anchor, #p2-3-4
    "range_zh": "\ue002",  # 第二章第3—4段
    "range_en": "\ue003",  # ch. 2, paras. 3–4
    "accessed_iso": "\ue004",  # 2026-12-02, the reader's date
    "accessed_en": "\ue005",  # December 2, 2026
    "pages_zh": "\ue006",  # 40-41, the printed pages the range runs over
    "pages_en": "\ue007",  # 40–41
}
_SLOT = re.compile("(" + "|".join(SLOTS.values()) + ")")
_SLOT_NAMES = {char: name for name, char in SLOTS.items()}


@dataclass(frozen=True)
class _Locator:
    """What a citation of some paragraphs adds to a citation of the chapter: where and when it was read."""

    range_zh: str = ""
    range_en: str = ""
    accessed_iso: str = ""
    accessed_en: str = ""
    pages_zh: str = ""  # the pages cited: the chapter's or the range's, where known
    pages_en: str = ""


def page_span(pages: tuple[int, int] | None, dash: str) -> str:
    return "" if pages is None else str(pages[0]) if pages[0] == pages[1] else f"{pages[0]}{dash}{pages[1]}"


def _styled(article: dict[str, Any], chapter_title: str, here: str, at: _Locator) -> tuple[str, str, str, str]:
    """GB/T 7714, APA 7, Chicago note and bibliography, marked with *italics*; ``at`` adds the paragraphs and the
    date read (GB/T's 引用日期, APA's "Retrieved", Chicago's "accessed") where each style puts them."""
    a, t, j = article["author"], article["title"], article["journal"]
    year, issue = article["year"], article["issue"]
    first, last = article["first_page"], article["last_page"]
    # The reference entries (APA, Chicago bibliography) give the article's pages; a note and GB/T 7714's
    # 引文页码, the pages cited, where they are known.
    pages_zh, pages_en = f"{first}-{last}", f"{first}–{last}"
    cited_zh, cited_en = at.pages_zh or pages_zh, at.pages_en or pages_en
    chapter_zh = f"：{chapter_title}" if chapter_title else ""
    chapter_en = f", section “{chapter_title}”" if chapter_title else ""
    if at.range_zh:
        cited_zh += f"（{at.range_zh}）[{at.accessed_iso}]"
        apa_at = f" ({at.range_en}). Retrieved {at.accessed_en}, from "
        note_at = f", {at.range_en}, accessed {at.accessed_en}"
    else:
        apa_at, note_at = ". ", ""
    gbt = f"{a['zh']}. {t['zh']}{chapter_zh}[J/OL]. {j['zh']}, {year}({issue}): {cited_zh}. {here}."
    apa = (
        f"{a['family']}, {a['given'][0]}. ({year}). {t['pinyin']} [{t['zh']}; {t['en']}]{chapter_en}. "
        f"*{j['pinyin'].title()} [{j['en']}]*, ({issue}), {pages_en}{apa_at}{here}"
    )
    chicago_note = (
        f"{a['pinyin']} {a['zh']}, “{t['pinyin']}” {t['zh']} [{t['en']}], *{j['pinyin']}* {j['zh']}, "
        f"no. {issue} ({year}): {cited_en}{chapter_en}{note_at}, {here}."
    )
    chicago_bib = (
        f"{a['pinyin']} {a['zh']}. “{t['pinyin']}” {t['zh']} [{t['en']}]. *{j['pinyin']}* {j['zh']}, "
        f"no. {issue} ({year}): {pages_en}. {here}."
    )
    return gbt, apa, chicago_note, chicago_bib


def print_identity(article: Mapping[str, Any], chapter_title: str = "") -> tuple[str, str]:
    """The line that identifies the article on every printed page, in Chinese and in English (the English title
    in brackets: the edition's translation)."""
    a, t, j = article["author"], article["title"], article["journal"]
    year, issue, first, last = article["year"], article["issue"], article["first_page"], article["last_page"]
    section = f" · {chapter_title}" if chapter_title else ""
    zh = f"{a['zh']}《{t['zh']}》，《{j['zh']}》{year}年第{issue}期，第{first}–{last}页{section}"
    en = f"{a['pinyin']}, [{t['en']}], {j['pinyin']} [{j['en']}], no. {issue} ({year}): {first}–{last}"
    return zh, en


def range_citations(article: dict[str, Any], *, chapter_title: str = "") -> list[dict[str, Any]]:
    """The citations of a range of paragraphs, as the reader's browser completes them (javascripts/ranges.js):
    for each style, its label, language and parts, each part plain text or ``{"slot": name}`` for what only the
    browser knows (the address with the range's anchor, the range, the reader's date). The same data and wording
    as ``citations``; copied as plain text, so italics are not marked."""
    at = _Locator(
        SLOTS["range_zh"],
        SLOTS["range_en"],
        SLOTS["accessed_iso"],
        SLOTS["accessed_en"],
        SLOTS["pages_zh"],
        SLOTS["pages_en"],
    )
    gbt, apa, note, _ = _styled(article, chapter_title, SLOTS["url"], at)
    styles = [
        ("gbt", "GB/T 7714-2015", gbt, "zh-Hans"),
        ("apa", "APA 7", apa, "en"),
        ("chicago-note", "Chicago", note, "en"),
    ]
    return [
        {
            "style": style,
            "label": label,
            "lang": lang,
            "parts": [
                {"slot": _SLOT_NAMES[part]} if part in _SLOT_NAMES else part.replace("*", "")
                for part in _SLOT.split(marked)
                if part
            ],
        }
        for style, label, marked, lang in styles
    ]


def citations(
    article: dict[str, Any],
    *,
    chapter: int = 0,
    chapter_title: str = "",
    url: str = "",
    translator: str = "",
    english_title: str = "",
    pages: tuple[int, int] | None = None,
) -> list[Citation]:
    """The four citations and BibTeX; with ``chapter_title`` they cite that chapter of the article; with a
    ``translator`` (translation/en/'s front matter), APA and Chicago citations of the edition's English too, of
    the chapter ``english_title``; ``pages``, the printed pages the chapter runs over, are the pages GB/T 7714
    and the Chicago note cite."""
    a, t, j = article["author"], article["title"], article["journal"]
    year, issue = article["year"], article["issue"]
    first, last = article["first_page"], article["last_page"]
    here = url or URL_PLACEHOLDER
    chapter_zh = f"：{chapter_title}" if chapter_title else ""
    cited = _Locator(pages_zh=page_span(pages, "-"), pages_en=page_span(pages, "–"))
    gbt, apa, chicago_note, chicago_bib = _styled(article, chapter_title, here, cited)
    key = article["key"] + (f"-chapter-{chapter}" if chapter_title else "")
    bibtex = "\n".join(
        [
            f"@article{{{key},",
            f"  author       = {{{a['zh']} ({a['pinyin']})}},",
            f"  title        = {{{t['zh']}{chapter_zh}}},",
            f"  journal      = {{{j['zh']}}},",
            f"  year         = {{{year}}},",
            f"  number       = {{{issue}}},",
            f"  pages        = {{{first}--{last}}},",
            f"  url          = {{{here}}},",
            "  langid       = {chinese},",
            f"  note         = {{English title (editorial translation): {t['en']}}},",
            "}",
        ]
    )
    found = [
        Citation("gbt", "GB/T 7714-2015", gbt, "zh-Hans"),
        Citation("apa", "APA 7", apa, "en"),
        Citation("chicago-note", "Chicago（注释 note）", chicago_note, "en"),
        Citation("chicago-bib", "Chicago（参考书目 bibliography）", chicago_bib, "en"),
        Citation("bibtex", "BibTeX", bibtex, "und"),
    ]
    return found + (translation_citations(article, english_title, here, translator) if translator else [])


def translation_citations(article: dict[str, Any], chapter_title: str, here: str, translator: str) -> list[Citation]:
    """The edition's English cited as a translation, by its translator, with the journal article as the original."""
    a, t, j = article["author"], article["title"], article["journal"]
    year, issue, first, last = article["year"], article["issue"], article["first_page"], article["last_page"]
    # "本版编者 · the edition's editors": the English part names the translator in an English citation.
    by = translator.rsplit(" · ", 1)[-1].strip()
    section = f", section “{chapter_title}”" if chapter_title else ""
    apa = (
        f"{a['family']}, {a['given'][0]}. (n.d.). *{t['en']}*{section} ({by}, Trans.) [Unpublished translation, "
        f"web edition]. {here} (Original work published {year}, *{j['pinyin'].title()} [{j['en']}]*, ({issue}), "
        f"{first}–{last})"
    )
    within = f"section “{chapter_title},” " if chapter_title else ""
    chicago = (
        f"{a['pinyin']}, “{t['en']},” {within}trans. {by} (web edition), {here}. "
        f"Originally published as “{t['pinyin']}” {t['zh']}, *{j['pinyin']}* {j['zh']}, no. {issue} ({year}): "
        f"{first}–{last}."
    )
    return [
        Citation("apa-en", "APA 7（本版英译 · English translation）", apa, "en"),
        Citation("chicago-en", "Chicago（本版英译 · English translation）", chicago, "en"),
    ]
