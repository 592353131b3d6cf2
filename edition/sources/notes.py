"""Notes in the article's own citation style, written as Markdown.

Every field of refs.bib enters the Markdown through ``edition.escape.markdown_text`` (its
address through ``markdown_url``), so a title holding ``[x](javascript:…)``, ``<script>``,
``*``, ``[@key]`` or a blank line is printed as the text it is. The prefix (参见) and the
locator (p.9) are the citing page's own Markdown and are kept as written.

Chinese sources:  作者：《题名》，网站名，YYYY年M月D日，URL
                  作者：《题名》，《期刊》YYYY年第N期，第a-b页
English sources:  Author, “Title,” Publisher, Month D, YYYY, pp.…, URL
A source cited again later in the article takes the article's short form:
《题名》，YYYY年M月D日 / Author, “Title,” p.9.

The English translation's notes (``english=True``) cite a Chinese source as English scholarship does: its
Chinese title kept, the edition's English rendering after it in brackets, the other parts in English from
the entry's ``-en`` fields (``title-en``, ``author-en``, ``publisher-en``, ``journaltitle-en``), in the
parts and order of the Chinese note: Author, 《题名》 [Title in English], Website, Month D, YYYY, URL.
"""

from __future__ import annotations

from dataclasses import dataclass

from edition.escape import markdown_text, markdown_url
from edition.sources.bib import Entry

MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]


@dataclass(frozen=True)
class Cite:
    """One source in a note: the entry plus the article's prefix (参见) and locator (p.9)."""

    entry: Entry
    prefix: str = ""
    locator: str = ""
    short: bool = False
    link: str = ""  # where the short form's title points (the full reference)


def date_zh(iso: str) -> str:
    parts = [int(p) for p in iso.split("-")]
    return "".join(f"{n}{unit}" for n, unit in zip(parts, "年月日", strict=False))


def date_en(iso: str) -> str:
    parts = [int(p) for p in iso.split("-")]
    if len(parts) == 1:
        return str(parts[0])
    if len(parts) == 2:
        return f"{MONTHS[parts[1] - 1]} {parts[0]}"
    return f"{MONTHS[parts[1] - 1]} {parts[2]}, {parts[0]}"


def _field(entry: Entry, name: str) -> str:
    """A field as Markdown text."""
    return markdown_text(entry.get(name))


def _url(entry: Entry) -> str:
    """The address as a link; one that is not http(s) (the checks refuse it) as text, never as a link."""
    url = entry.get("url")
    return (markdown_url(url) or markdown_text(url)) if url else ""


def _titled(entry: Entry, link: str) -> str:
    title = _field(entry, "title")
    return f"[{title}]({link})" if link else title


def _creator(entry: Entry) -> str:
    return markdown_text(entry.creator)


def render_zh(cite: Cite) -> str:
    e = cite.entry
    title = f"《{_titled(e, cite.link)}》"
    head = f"{_creator(e)}：{title}" if e.authors else title
    if cite.short:
        parts = [head, date_zh(e.get("date"))]
    elif e.type == "article":
        number = f"第{_field(e, 'number')}期" if e.get("number") else ""
        parts = [head, f"《{_field(e, 'journaltitle')}》{date_zh(e.get('date')[:4])}{number}"]
        if not cite.locator and e.get("pages"):
            parts.append(f"第{_field(e, 'pages')}页")
    else:
        parts = [head, _field(e, "publisher") or _field(e, "journaltitle"), date_zh(e.get("date"))]
    if cite.locator:
        parts.append(cite.locator)
    if not cite.short:
        parts.append(_url(e))
    return cite.prefix + "，".join(p for p in parts if p)


def render_en(cite: Cite) -> str:
    e = cite.entry
    parts = [_creator(e)] if e.creator else []
    parts.append(f"“{_titled(e, cite.link)}”")
    if not cite.short:
        venue = e.get("journaltitle") or e.get("publisher")
        if venue and venue != e.creator:
            parts.append(markdown_text(venue))
        parts.append(date_en(e.get("date")))
        if not cite.locator and e.get("pages"):
            parts.append(f"pp.{_field(e, 'pages')}")
    if cite.locator:
        parts.append(cite.locator)
    if not cite.short:
        parts.append(_url(e))
    parts = [p for p in parts if p]
    text = ""
    for part in parts[:-1]:
        # English quotation style: the comma goes inside the closing quotation mark.
        text += part[:-1] + ",” " if part.endswith("”") else part + ", "
    text += parts[-1]
    return f"{cite.prefix} {text}" if cite.prefix else text


# The fields a Chinese source's English form prints, each from its English counterpart.
ENGLISH_FIELDS = ("title", "author", "publisher", "journaltitle")


def english_field(entry: Entry, name: str) -> str:
    """The entry's English for a field; the field itself where it is English already."""
    return entry.get(f"{name}-en") if entry.lang == "zh" else entry.get(name)


def missing_english(entry: Entry) -> list[str]:
    """The fields of a Chinese source whose English rendering the English notes need and the entry lacks."""
    if entry.lang != "zh":
        return []
    return [name for name in ENGLISH_FIELDS if entry.get(name) and not entry.get(f"{name}-en")]


def render_zh_in_english(cite: Cite) -> str:
    e = cite.entry
    title = f'<span lang="zh-Hans">《{_titled(e, cite.link)}》</span> [{markdown_text(english_field(e, "title"))}]'
    # As the article's Chinese notes: the author where there is one, not the organisation behind a website.
    parts = [markdown_text(english_field(e, "author")), title] if e.authors else [title]
    if cite.short:
        parts.append(date_en(e.get("date")))
    elif e.type == "article":
        parts.append(markdown_text(english_field(e, "journaltitle")))
        parts.append(date_en(e.get("date")[:4]))
        if e.get("number"):
            parts.append(f"no. {_field(e, 'number')}")
        if not cite.locator and e.get("pages"):
            parts.append(f"pp. {_field(e, 'pages')}")
    else:
        parts.append(markdown_text(english_field(e, "publisher") or english_field(e, "journaltitle")))
        parts.append(date_en(e.get("date")))
    if cite.locator:
        parts.append(cite.locator)
    if not cite.short:
        parts.append(_url(e))
    return (f"{cite.prefix} " if cite.prefix else "") + ", ".join(p for p in parts if p)


def render_cite(cite: Cite) -> str:
    """One source; an English one marked as English (screen readers, hyphenation, the PDF's Latin fonts)."""
    return render_zh(cite) if cite.entry.lang == "zh" else f'<span lang="en">{render_en(cite)}</span>'


def ends_in_url(cite: Cite) -> bool:
    """The full form ends with the source's address; read from the entry, not from the Markdown, whose
    last character a field could choose."""
    return not cite.short and bool(cite.entry.get("url"))


def render_sources(cites: list[Cite], *, english: bool = False) -> str:
    """Several sources in one note, separated as the article separates them (in English, by semicolons)."""
    if english:
        return "; ".join(render_zh_in_english(c) if c.entry.lang == "zh" else render_en(c) for c in cites)
    separator = "；" if any(c.entry.lang == "zh" for c in cites) else "; "
    return separator.join(render_cite(c) for c in cites)


def render_note(cites: list[Cite], *, english: bool = False) -> str:
    """A note that consists of its sources alone.

    It closes with the Chinese full stop, except a note made only of English sources
    that does not end in a URL, which closes with "." as the article's do; in the English notes, with ".".
    """
    body = render_sources(cites, english=english)
    if english:
        return body + "."
    english_only = all(c.entry.lang == "en" for c in cites)
    return body + ("." if english_only and not ends_in_url(cites[-1]) else "。")
