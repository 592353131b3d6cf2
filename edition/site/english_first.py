"""The English site's pages lead with English: the bilingual pages written in docs/ (a heading "术语表 · Glossary",
a Chinese paragraph and its English after it, a line ending in its English) are shown English first there,
without a second copy of any page and without dropping the Chinese. The Chinese site is left as written.

The rules read only what docs/ and the edition's templates write (Python-Markdown's and Jinja's HTML: attributes
in double quotes, ``lang="en"`` on every English part), and each applies only where the Chinese comes first, so a
part already English-first is left alone (and running them twice changes nothing).
"""

from __future__ import annotations

import re
from html import unescape

from edition.site.translation_views import Element, top_level_elements

HAN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
# A heading's text "中文 · English" or "中文 <span lang="en">· English</span>", before the theme's permalink.
_HEADING = re.compile(r"(?P<open><h(?P<level>[1-6])\b[^>]*>)(?P<inner>.*?)(?P<close></h(?P=level)>)", re.DOTALL)
_PERMALINK = re.compile(r'<a class="headerlink"[^>]*>.*?</a>$', re.DOTALL)
_TWO_TITLES = re.compile(
    r'^(?P<zh>[^<>·]*?)\s*(?:·\s*<span lang=["\']en["\']>\s*(?P<en_after>[^<>]*?)</span>'
    r'|<span lang=["\']en["\']>\s*·\s*(?P<en_span>[^<>]*?)</span>|·\s*(?P<en_text>[^<>]*?))\s*$'
)
# A block whose English is its last part: "中文。<span lang="en">English.</span>" in a p, li, th or td.
_TRAILING_ENGLISH = re.compile(
    r"(?P<open><(?P<tag>p|li|th|td)(?:\s[^>]*)?>)(?P<zh>(?:(?!</?(?:p|li|th|td|span)\b).)*?)"
    r'(?P<gap>\s*(?:/\s*)?)<span lang=["\']en["\']>(?P<en>(?:(?!</?span\b).)*)</span>\s*(?P<close></(?P=tag)>)',
    re.DOTALL,
)
_HEADING_TAGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
# A heading written in Chinese alone, given its English in docs/ for the English site:
# ``## 链接到段落 { data-title-en="Links to paragraphs" }`` (attr_list writes the value escaped, in double quotes).
_TITLE_EN = re.compile(
    r'(?P<open><h(?P<level>[1-6])\b[^>]*?)\sdata-title-en="(?P<en>[^"]*)"(?P<rest>[^>]*>)(?P<inner>.*?)(?P<close></h(?P=level)>)',
    re.DOTALL,
)
_ID = re.compile(r'\sid="(?P<id>[^"]+)"')


def english_first_title(inner: str, *, marked: bool = True) -> str:
    """A heading's inner HTML "中文 · English" as "English · 中文" (the English marked lang="en", unless not
    ``marked``: a table of contents' title, which the theme's labels mark, theme_labels_in_chinese); anything else
    as it is. The permalink the theme adds stays last."""
    permalink = _PERMALINK.search(inner)
    text, tail = (inner[: permalink.start()], permalink.group(0)) if permalink else (inner, "")
    two = _TWO_TITLES.match(text)
    if two is None:
        return inner
    zh = two.group("zh").strip()
    en = (two.group("en_span") or two.group("en_after") or two.group("en_text") or "").strip()
    if not (zh and en and HAN.search(zh)) or HAN.search(en):
        return inner
    return f'<span lang="en">{en}</span> · {zh}{tail}' if marked else f"{en} · {zh}{tail}"


def english_titles(html: str) -> dict[str, str]:
    """The English that docs/ gives its Chinese-only headings (``data-title-en``), by the heading's id: for the
    table of contents."""
    titles = {}
    for found in _TITLE_EN.finditer(html):
        ident = _ID.search(found.group("open") + found.group("rest"))
        if ident:
            titles[unescape(ident.group("id"))] = unescape(found.group("en"))
    return titles


def without_english_titles(html: str) -> str:
    """The Chinese site's page: the headings' ``data-title-en`` is for the English site only."""
    return _TITLE_EN.sub(lambda m: f"{m.group('open')}{m.group('rest')}{m.group('inner')}{m.group('close')}", html)


def _titled_in_english(html: str) -> str:
    return _TITLE_EN.sub(
        lambda m: (
            f'{m.group("open")}{m.group("rest")}<span lang="en">{m.group("en")}</span> · '
            f"{m.group('inner')}{m.group('close')}"
        ),
        html,
    )


def _headings_first(html: str) -> str:
    return _HEADING.sub(lambda m: f"{m.group('open')}{english_first_title(m.group('inner'))}{m.group('close')}", html)


def _trailing_english_first(html: str) -> str:
    def swap(found: re.Match[str]) -> str:
        zh = found.group("zh").strip()
        if not HAN.search(zh):
            return found.group(0)
        separator = " / " if "/" in found.group("gap") else " "
        return f'{found.group("open")}<span lang="en">{found.group("en")}</span>{separator}{zh}{found.group("close")}'

    return _TRAILING_ENGLISH.sub(swap, html)


def _is_english(attrs: dict[str, str | None]) -> bool:
    return attrs.get("lang") == "en"


def _blocks_first(html: str) -> str:
    """Each run of Chinese blocks followed by its English run (``lang="en"``) becomes the English run, then the
    Chinese; a heading ends a run, and what is neither stays where it is."""
    elements = top_level_elements(html)
    out: list[str] = []
    position = 0
    index = 0
    while index < len(elements):
        start = index
        while index < len(elements) and _chinese_block(html, elements[index]):
            index += 1
        middle = index
        while middle > start and index < len(elements) and _is_english(dict(elements[index].attrs)):
            index += 1
        if middle > start and index > middle:
            chinese = html[elements[start].start : elements[middle - 1].end]
            english = html[elements[middle].start : elements[index - 1].end]
            out.append(html[position : elements[start].start])
            out.append(f"{english}\n{chinese}")
            position = elements[index - 1].end
        elif index == start:
            index += 1
    out.append(html[position:])
    return "".join(out)


def _chinese_block(html: str, element: Element) -> bool:
    """A paragraph, list or the like in Chinese: no heading, no language or class of its own."""
    if element.tag in _HEADING_TAGS or element.attrs.get("lang") or element.attrs.get("class"):
        return False
    return bool(HAN.search(html[element.inner_start : element.inner_end]))


def english_first(html: str) -> str:
    """A page's content as the English site shows it: headings, blocks and lines English first."""
    return _trailing_english_first(_headings_first(_titled_in_english(_blocks_first(html))))
