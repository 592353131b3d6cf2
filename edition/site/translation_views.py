"""The English translation beside the Chinese on each article page, in three views: 原文, 译文, 对照.

Each Chinese block that has an English counterpart becomes a pair, ``<div class="edition-pair">``
holding the Chinese element, unchanged, and then the English (``<p class="edition-en" lang="en">``);
the title holds both as two spans. The English notes follow the Chinese
ones as a second note list whose ids carry ``-en`` (``fn-en:3``), so nothing the Chinese page
links to changes. Which language shows is pure CSS on three radio buttons (reader.css), so the
page is readable and switchable without JavaScript; views.js only remembers the choice.

The Chinese paragraph keeps its id in every view: in the English view it is hidden but keeps its
place (reader.css), so ``#p2-4`` and range links still land where the English paragraph begins.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

import markdown

from edition.escape import html_attribute, html_text, markdown_attribute, title_attribute
from edition.problems import EditionError, Problem
from edition.reference.glossary import MARKED_BLOCKS, PROTECTED, Entry
from edition.site.html_offsets import VOID, OffsetParser
from edition.text.chapters import FRONT_PAGE, PARAGRAPH_ID
from edition.text.paragraphs import paragraph_place_en
from edition.translation.english import EnglishPage

HEADING_IDS = ("heading", "title")
ENGLISH_SETTINGS = "mkdocs.en.yml"
# Ids of the Chinese note list and the English one: "fn:3" and "fn-en:3".
EN_NOTE_SEPARATOR = "-en:"
VIEWS = (("zh", "原文", "Chinese"), ("en", "译文", "English"), ("both", "对照", "Parallel"))
# What a copy of the page in Chinese alone (the PDFs) removes, and what it unwraps.
ENGLISH_VIEW = (".edition-views", ".edition-en")
VIEW_WRAPPERS = ("div.edition-pair", "h1 > span.edition-zh")
_MD_LINK = re.compile(r'href="([A-Za-z0-9_./-]+\.md)(#[^"]*)?"')
_APOSTROPHES = "['’]"  # a glossary form's ' matches the translation's ’ too


@dataclass(frozen=True)
class Element:
    """One top-level element of an HTML fragment: where it starts, where its content starts and ends, where it ends."""

    tag: str
    attrs: Mapping[str, str | None]
    start: int
    inner_start: int
    inner_end: int
    end: int


class _TopLevel(OffsetParser):
    """Finds the top-level elements of well-formed HTML (what Python-Markdown writes)."""

    def __init__(self, text: str) -> None:
        super().__init__(text)
        self.depth = 0
        self.open: tuple[str, dict[str, str | None], int, int] | None = None
        self.found: list[Element] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        start = self.position()
        end = start + len(self.get_starttag_text() or "")
        if tag in VOID:
            if self.depth == 0:
                self.found.append(Element(tag, dict(attrs), start, end, end, end))
            return
        if self.depth == 0:
            self.open = (tag, dict(attrs), start, end)
        self.depth += 1

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        start = self.position()
        end = start + len(self.get_starttag_text() or "")
        if self.depth == 0:
            self.found.append(Element(tag, dict(attrs), start, end, end, end))

    def handle_endtag(self, tag: str) -> None:
        if tag in VOID or self.depth == 0:
            return  # an end tag with nothing open is not the end of anything
        self.depth -= 1
        if self.depth == 0 and self.open is not None:
            start = self.position()
            name, attrs, begin, inner = self.open
            self.found.append(Element(name, attrs, begin, inner, start, self.text.index(">", start) + 1))
            self.open = None


def top_level_elements(html: str) -> list[Element]:
    parser = _TopLevel(html)
    parser.feed(html)
    parser.close()
    return parser.found


# -- the English, rendered ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class EnglishHtml:
    """A page's English as HTML: each block's inner HTML by id, and its note list."""

    blocks: Mapping[str, str]
    status: Mapping[str, str]
    notes: str
    translator: str = ""  # the front matter's names, "中文 · English"
    reviewer: str = ""


@dataclass(frozen=True)
class EnglishTerms:
    """The glossary's English forms in one regular expression, compiled once for the build (each page of the
    translation is marked with it, english_term_marker)."""

    by_form: Mapping[str, Entry]
    pattern: re.Pattern[str]

    @classmethod
    def of(cls, entries: Iterable[Entry]) -> EnglishTerms:
        by_form: dict[str, Entry] = {}
        for entry in entries:
            for form in (entry.en, *entry.en_variants):
                if form.strip():  # an empty form would match before every word
                    by_form.setdefault(_folded(form), entry)
        forms = sorted(by_form, key=lambda f: (-len(f), f))
        # The word boundaries stand once around the alternatives, not in each: the same matches (a form whose
        # end is no boundary backtracks into the next), tried only where a word can start, nine times faster.
        alternatives = "|".join(re.escape(f).replace(chr(39), _APOSTROPHES) for f in forms)
        pattern = re.compile(rf"(?<![\w-])(?:{alternatives})(?![\w-])" if forms else r"(?!)", re.IGNORECASE)
        return cls(by_form, pattern)


def english_term_marker(entries: Iterable[Entry] | EnglishTerms, href: str) -> Callable[[str], str]:
    """Marks, in the English paragraphs of one page, each glossary entry's first occurrence (its English or one of
    its English variants, any case) as a link to its entry whose tooltip gives the Chinese and its pinyin: the
    English reader's way back to the term the article uses. Links, notes, citations and tags are left alone.
    ``entries`` may be the build's EnglishTerms, compiled once for every page."""
    terms = entries if isinstance(entries, EnglishTerms) else EnglishTerms.of(entries)
    by_form, pattern = terms.by_form, terms.pattern
    seen: set[str] = set()

    def mark(text: str) -> str:
        out, position = [], 0
        for found in pattern.finditer(text):
            entry = by_form.get(_folded(found.group(0)))
            if entry is None or entry.id in seen:
                continue
            seen.add(entry.id)
            title = title_attribute(f"{entry.zh} {entry.pinyin} — {entry.en}".replace("  ", " "))
            link = html_attribute(f"{href}#{entry.id}")
            out.append(text[position : found.start()])
            out.append(
                f'<a class="edition-term" href="{markdown_attribute(link)}" title="{markdown_attribute(title)}">'
                f"{found.group(0)}</a>"
            )
            position = found.end()
        return "".join(out) + text[position:]

    def mark_paragraph(text: str) -> str:
        out, position = [], 0
        for protected in PROTECTED.finditer(text):
            out.append(mark(text[position : protected.start()]))
            out.append(protected.group(0))
            position = protected.end()
        return "".join(out) + mark(text[position:])

    return mark_paragraph


def _folded(form: str) -> str:
    return form.casefold().replace("’", "'")


def english_markdown(english: EnglishPage, mark_terms: Callable[[str], str] | None = None) -> str:
    """The page's English as one Markdown document: each block marked with its id, its notes after it, as in
    translation/en/; ``mark_terms`` (english_term_marker) links the glossary's terms in the paragraphs."""
    parts = []
    for block in english.blocks:
        if block.text.startswith("# "):
            parts.append(f'{block.text} {{: data-en="{block.id}" }}')
        else:
            text = mark_terms(block.text) if mark_terms and MARKED_BLOCKS.match(block.id) else block.text
            parts.append(f'{text}\n{{: data-en="{block.id}" }}')
        parts += [f"[^{label}]: {note}" for label, note, _ in block.notes]
    return "\n\n".join(parts) + "\n"


def english_title(english: EnglishPage) -> str:
    """The page's English heading as plain text (for citations): no markup, no note call."""
    heading = next((b.text for b in english.blocks if b.id in HEADING_IDS), "")
    return re.sub(r"<sup>.*?</sup>|[*_`]", "", heading.removeprefix("# ")).strip()


def english_site_url(site_url: str) -> str:
    """Where the English site is published: en/ under the Chinese site's address."""
    return site_url.rstrip("/") + "/en/"


def nav_title_problems(titles: Mapping[str, str], translation: Mapping[str, EnglishPage]) -> list[Problem]:
    """In the English site, a chapter's title in the nav is its heading in the translation, so the two never part."""
    return [
        Problem(
            ENGLISH_SETTINGS,
            None,
            f"nav: {page}",
            f"the title '{titles[page]}' is not the chapter's English heading in {english.shown}: "
            f"'{english_title(english)}'; write that",
        )
        for page, english in translation.items()
        if page in titles and page != FRONT_PAGE and titles[page] != english_title(english)
    ]


def content_in_chinese(html: str) -> str:
    """A page's content marked as Chinese, for the English site, whose pages are lang="en": the content keeps its
    language as on the Chinese site (every English part of it carries lang="en" itself)."""
    return f'<div lang="zh-Hans">{html}</div>'


_THEME_LABEL = re.compile(r'<span class="md-ellipsis">(?P<text>[^<]*)</span>')
_HAN = re.compile(r"[\u3400-\u9fff]")


def theme_labels_in_chinese(page_html: str) -> str:
    """In the English site, the theme's labels that hold Chinese (the table of contents lists the pages' Chinese
    headings) are marked lang="zh-Hans", so a screen reader does not read them as English; of a label
    "English · 中文", the Chinese part."""

    def mark(found: re.Match[str]) -> str:
        text = found.group("text")
        if not _HAN.search(text):
            return found.group(0)
        english, separator, chinese = text.partition(" · ")
        if separator and not _HAN.search(english) and _HAN.search(chinese):  # "Glossary · 术语表": the Chinese alone
            return f'<span class="md-ellipsis">{english} · <span lang="zh-Hans">{chinese}</span></span>'
        return f'<span class="md-ellipsis" lang="zh-Hans">{text}</span>'

    return _THEME_LABEL.sub(mark, page_html)


def english_converter() -> markdown.Markdown:
    """The converter for the English: the translation is plain prose with notes, emphasis and the odd link."""
    return markdown.Markdown(
        extensions=["attr_list", "footnotes"],
        extension_configs={
            "footnotes": {
                "SEPARATOR": EN_NOTE_SEPARATOR,
                "USE_DEFINITION_ORDER": False,
                "BACKLINK_TITLE": "Back to note %d in the text",
            }
        },
    )


def render_english(
    english: EnglishPage,
    converter: markdown.Markdown,
    render_citations: Callable[[str], str],
    mark_terms: Callable[[str], str] | None = None,
    page_url: Callable[[str], str | None] | None = None,
) -> EnglishHtml:
    """The English of a page as HTML; ``render_citations`` turns citation blocks into notes, as for the Chinese;
    ``page_url`` gives a page's address from this page, for the links the notes make to the references page (MkDocs
    resolves a page's own .md links; this Markdown is not the page's)."""
    converter.reset()
    html = converter.convert(render_citations(english_markdown(english, mark_terms)))
    if page_url is not None:
        html = _MD_LINK.sub(lambda m: f'href="{html_attribute(page_url(m.group(1)) or m.group(1))}{m.group(2)}"', html)
    blocks: dict[str, str] = {}
    notes = ""
    stray: list[str] = []
    for element in top_level_elements(html):
        ident = element.attrs.get("data-en")
        if ident and ident not in blocks:
            blocks[ident] = html[element.inner_start : element.inner_end]
        elif not (element.tag == "div" and element.attrs.get("class") == "footnote"):
            stray.append(ident or element.tag)
        elif element.tag == "div" and element.attrs.get("class") == "footnote":
            inner = html[element.inner_start : element.inner_end]
            titled = inner.replace("<hr />", '<hr />\n<p class="edition-en-notes-title">Notes</p>', 1)
            notes = f'<div class="footnote edition-en" lang="en">{titled}</div>'
    # The checks refuse what could make a block more or less than one paragraph; should anything still do it, the
    # build stops rather than show an English beside the wrong Chinese, or none.
    unpaired = [b for b in english.blocks if b.id not in blocks] if stray or len(blocks) != len(english.blocks) else []
    if stray or unpaired:
        where = unpaired[0] if unpaired else english.blocks[0]
        raise EditionError(
            [
                Problem(
                    english.shown,
                    where.line,
                    where.id,
                    "this English does not render as one paragraph per block (a stray "
                    f"{', '.join(map(str, stray[:3])) or 'block'}); write each block as one paragraph of prose",
                )
            ]
        )
    return EnglishHtml(
        blocks,
        {block.id: block.status for block in english.blocks},
        notes,
        english.front.get("translator", ""),
        english.front.get("reviewer", ""),
    )


# -- the page, with its English -----------------------------------------------------------------------------------


def english_paragraph_label(ident: str) -> tuple[str, str]:
    """(what the number shows, its accessible name): '¶4' and 'Chapter 2, paragraph 4 (link)' for p2-4."""
    match, place = PARAGRAPH_ID.match(ident), paragraph_place_en(ident)
    if match is None or place is None:  # (one is None exactly when the other is)
        return ident, ident
    return f"¶{match.group('number')}", f"{place} (link to it)"


def _english_element(ident: str, inner: str, status: str) -> str:
    number = ""
    if PARAGRAPH_ID.match(ident):
        shown, name = english_paragraph_label(ident)
        number = (
            f'<a class="edition-para-number" href="#{html_attribute(ident)}" aria-label="{html_attribute(name)}" '
            f'title="{html_attribute(name)}" data-edition-para="{html_attribute(ident)}" data-search-exclude>'
            f"{html_text(shown)}</a>"
        )
    return (
        f'<p class="edition-en" lang="en" data-en-for="{html_attribute(ident)}" '
        f'data-status="{html_attribute(status)}">{number}{inner}</p>'
    )


def name_parts(name: str) -> tuple[str, str]:
    """A front-matter name written "中文 · English" as (its Chinese, its English); a name in one language is both."""
    zh, dot, en = name.rpartition("·")
    return (zh.strip(), en.strip()) if dot and zh.strip() and en.strip() else (name.strip(), name.strip())


def _credits(translator: str, reviewer: str) -> tuple[str, str]:
    """Who translated and who reviewed, in Chinese and in English, as escaped HTML ("" when neither is named)."""
    zh = en = ""
    if translator:
        zh += f"译者：{html_text(name_parts(translator)[0])}。"
        en += f" Translated by {html_text(name_parts(translator)[1])}"
    if reviewer:
        zh += f"复核：{html_text(name_parts(reviewer)[0])}。"
        en += (
            f"{'; reviewed' if translator else ' Reviewed'} against the Chinese by {html_text(name_parts(reviewer)[1])}"
        )
    return zh, en + ("." if en else "")


def view_switch(
    reviewed: int, total: int, default: str = "zh", translator: str = "", reviewer: str = "", *, english: bool = False
) -> str:
    """The three views as radio buttons (CSS shows the chosen one), and the translation's provenance: who
    translated it and who reviewed it, from the front matter of translation/en/; ``english``: the English site's,
    its labels English first."""
    buttons = "".join(
        f'<input type="radio" name="edition-view" id="edition-view-{key}" value="{key}"'
        f"{' checked' if key == default else ''}>"
        f'<label for="edition-view-{key}">'
        + (
            f'<span lang="en">{en}</span> · <span lang="zh-Hans">{zh}</span>'
            if english
            else f'<span lang="zh-Hans">{zh}</span> · <span lang="en">{en}</span>'
        )
        + "</label>"
        for key, zh, en in VIEWS
    )
    state = "reviewed" if reviewed == total else f"a draft: {reviewed} of {total} passages reviewed"
    credit_zh, credit_en = _credits(translator, reviewer if reviewed else "")  # a reviewer of nothing yet is not named
    zh_note = f'<span lang="zh-Hans">英文为本版译文，非作者或期刊所译。{credit_zh}</span>'
    en_note = (
        f'<span lang="en">The English is this edition\'s own translation ({html_text(state)}), '
        f"not the author's or the journal's.{credit_en}</span>"
    )
    label = "Reading view · 阅读视图" if english else "阅读视图 · Reading view"
    return (
        '<div class="edition-views" data-search-exclude>'
        f'<div class="edition-views-choice" role="radiogroup" aria-label="{label}">{buttons}</div>'
        '<p class="edition-views-note">'
        + (f"{en_note} {zh_note}" if english else f"{zh_note} {en_note}")
        + "</p></div>"
    )


def with_translation(html: str, english: EnglishHtml, default: str = "zh", *, english_site: bool = False) -> str:
    """The page's HTML with the English beside each Chinese block it translates, the view switch after the title
    (its labels English first on the English site), and the English notes after the Chinese ones."""
    out: list[str] = []
    position = 0
    reviewed = sum(s == "reviewed" for s in english.status.values())
    switch = view_switch(
        reviewed, len(english.status), default, english.translator, english.reviewer, english=english_site
    )
    heading = next((english.blocks[k] for k in HEADING_IDS if k in english.blocks), None)
    titled = False
    for element in top_level_elements(html):
        ident = element.attrs.get("id") or ""
        start_tag = html[element.start : element.inner_start]
        out.append(html[position : element.start])
        if element.tag == "h1" and not titled:
            titled = True
            inner = html[element.inner_start : element.inner_end]
            if heading is not None:
                # The theme's permalink (the ¶ after the title) stays last, outside both spans.
                link = inner.find('<a class="headerlink"')
                text, tail = (inner[:link], inner[link:]) if link >= 0 else (inner, "")
                # The space keeps the two titles apart where both are read as one (search, the tab's title); the
                # English site's leads with the English (the parallel view, its search result).
                zh_title = f'<span class="edition-zh">{text}</span>'
                en_title = f'<span class="edition-en" lang="en">{heading}</span>'
                inner = f"{en_title} {zh_title}{tail}" if english_site else f"{zh_title} {en_title}{tail}"
            out.append(f"{start_tag}{inner}{html[element.inner_end : element.end]}{switch}")
        elif ident in english.blocks and ident not in HEADING_IDS:
            # The Chinese element is left as it was (its id, its classes): scripts and checks find it unchanged.
            english_part = _english_element(ident, english.blocks[ident], english.status.get(ident, ""))
            out.append(f'<div class="edition-pair">{html[element.start : element.end]}{english_part}</div>')
        elif element.tag == "div" and element.attrs.get("class") == "footnote":
            out.append(html[element.start : element.end] + english.notes)
        else:
            out.append(html[element.start : element.end])
        position = element.end
    out.append(html[position:])
    if not titled:
        out.insert(0, switch)
    if english.notes and 'class="footnote' not in html:
        out.append(english.notes)
    return "".join(out)
