"""The glossary (data/glossary.yml): entries, the term matcher shared by checks, pages and tooltips, exports.

Terms are matched in one pass with one alternation sorted longest first: at each
place of the text the longest form wins and is consumed, so 不可靠实体清单 is never
read as 实体清单. An entry's ``excludes`` are longer words that contain a form but
are something else (外交部长 is not 外交部); they take part in the match and yield
nothing.
"""

from __future__ import annotations

import csv
import io
import json
import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from edition.escape import csv_cell, html_attribute, markdown_attribute, title_attribute
from edition.problems import Problem
from edition.records import Record, load_records, reserved_id_problem
from edition.reference.pinyin import PinyinException, check_pinyin, search_forms
from edition.sources.bib import Bibliography

CATEGORIES = {
    "person": ("人物", "People"),
    "institution": ("机构与组织", "Institutions and organizations"),
    "place": ("地名", "Places"),
    "policy-instrument": ("政策工具", "Policy instruments"),
    "agreement-meeting": ("会谈、会议与共识", "Talks, meetings and agreements"),
    "concept-slogan": ("概念与提法", "Concepts and slogans"),
    "publication": ("文件与出版物", "Documents and publications"),
}
EN_BASIS = {
    "official": ("官方译名", "official English name"),
    "standard": ("通行译名", "standard English rendering"),
    "editorial": ("本版译名", "this edition's rendering"),
}
HAN = re.compile(r"[\u3400-\u9fff]")
TONE_MARKS = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜĀÁǍÀĒÉĚÈĪÍǏÌŌÓǑÒŪÚǓÙ"
PINYIN_TOKEN = re.compile(rf"[a-zA-ZüÜ{TONE_MARKS}]+(?:['’][a-zA-ZüÜ{TONE_MARKS}]+)*")
LATIN_OR_DIGIT_TOKEN = re.compile(r"[A-Za-z0-9]*\d[A-Za-z0-9]*")


@dataclass
class Entry:
    id: str
    zh: str
    en: str
    en_basis: str
    category: str
    definition_zh: str
    definition_en: str
    pinyin: str = ""
    aliases: list[str] = field(default_factory=list)
    en_variants: list[str] = field(default_factory=list)  # short forms the English translation may use
    excludes: list[str] = field(default_factory=list)
    related: list[str] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)
    editorial: bool = False
    external: bool = False
    # Reviewed places where pypinyin's reading is not the glossary's: {hanzi, reading, reason}
    pinyin_exceptions: list[dict[str, str]] = field(default_factory=list)
    # Paragraphs where a form of the entry names something else: {paragraph, reason}
    not_used_in: list[dict[str, str]] = field(default_factory=list)
    record: Record | None = None

    @property
    def forms(self) -> list[str]:
        return [self.zh, *self.aliases]

    @property
    def line(self) -> int:
        return self.record.line if self.record else 0

    @property
    def excluded_paragraphs(self) -> frozenset[str]:
        """The paragraphs whose words look like the term but name something else."""
        return frozenset(item["paragraph"] for item in self.not_used_in)

    @property
    def search_pinyin(self) -> list[str]:
        """The toneless pinyin a reader types to find the term (``shiti qingdan``, ``shitiqingdan``)."""
        return search_forms(self.pinyin) if self.pinyin else []

    def line_of(self, name: str, index: int | None = None) -> int:
        return self.record.line_of(name, index) if self.record else 0

    @property
    def short_definition(self) -> str:
        """The first sentence of the English definition: what a tooltip has room for."""
        first = re.split(r"(?<=[.;])\s+(?=[A-Z])", self.definition_en, maxsplit=1)[0]
        return first if len(first) <= 200 else first[:199].rstrip() + "…"

    @property
    def tooltip(self) -> str:
        return f"{self.en} — {self.short_definition}"

    @property
    def sort_key(self) -> tuple[str, str, str]:
        return (*pinyin_sort_key(self.pinyin or self.zh), self.zh)


@dataclass
class Glossary:
    path: str
    entries: list[Entry]

    def __post_init__(self) -> None:
        self.by_id = {e.id: e for e in self.entries}

    def ordered(self) -> list[tuple[str, list[Entry]]]:
        """(category, entries) in the categories' order, each ordered by pinyin."""
        return [
            (c, sorted((e for e in self.entries if e.category == c), key=lambda e: e.sort_key))
            for c in CATEGORIES
            if any(e.category == c for e in self.entries)
        ]


def pinyin_sort_key(pinyin: str) -> tuple[str, str]:
    """Letters without tones first (bù dǎ → buda), then the tones, so ā < á < ǎ < à on the same letters."""
    decomposed = unicodedata.normalize("NFD", pinyin.lower())
    letters = "".join(c for c in decomposed if c.isalnum() and not unicodedata.combining(c))
    tones = "".join(str("\u0304\u0301\u030c\u0300".find(c) + 1) for c in decomposed if unicodedata.combining(c))
    return letters, tones


def load_glossary(path: Path, shown: str) -> Glossary:
    entries = [Entry(**record.data, record=record) for record in load_records(path, "glossary", shown)]
    return Glossary(shown, entries)


@dataclass(frozen=True)
class Match:
    start: int
    end: int
    form: str
    entry: str


class TermMatcher:
    """Every form of every entry (and every exclusion) in one regular expression, longest first."""

    def __init__(self, entries: Iterable[Entry]):
        self.owner: dict[str, str | None] = {}
        for entry in entries:
            for form in entry.forms:
                self.owner.setdefault(form, entry.id)
            for word in entry.excludes:
                self.owner.setdefault(word, None)
        forms = sorted(self.owner, key=lambda f: (-len(f), f))
        self.pattern = re.compile("|".join(_alternative(f) for f in forms) or r"(?!)")

    def finditer(self, text: str, *, with_excluded: bool = False) -> Iterator[Match]:
        for found in self.pattern.finditer(text):
            entry = self.owner[found.group(0)]
            if entry is not None or with_excluded:
                yield Match(found.start(), found.end(), found.group(0), entry or "")


def _alternative(form: str) -> str:
    """One form in the matcher's alternation. A Latin term (TikTok, H200) must not match inside a longer Latin word:
    the check that no letter or digit comes before it is made after its first character (no letter or digit before
    that character), so that every alternative begins with a character and the regular expression engine skips at
    once the places where no form begins (an assertion first made it try every alternative at every place)."""
    if not re.match(r"[A-Za-z0-9]", form):
        return re.escape(form)
    first = re.escape(form[0])
    return rf"{first}(?<![A-Za-z0-9]{first}){re.escape(form[1:])}(?![A-Za-z0-9])"


# -- checks -------------------------------------------------------------------------------------


def pinyin_problem(entry: Entry) -> str | None:
    han = len(HAN.findall(entry.zh))
    if not han:
        return "the term has no Chinese characters, so it takes no pinyin; remove the field" if entry.pinyin else None
    if not entry.pinyin:
        return "pinyin is missing; write it with tone marks (Zhōng-Měi)"
    rest = entry.pinyin
    for token in LATIN_OR_DIGIT_TOKEN.findall(entry.pinyin):
        # A name with letters stays as written (H200); a number is read out (301 → sān-líng-yī).
        if token.isdigit() or token not in entry.zh:
            return f"'{token}' in the pinyin: spell numbers in pinyin (301 → sān-líng-yī)"
        rest = rest.replace(token, " ")
    leftover = PINYIN_TOKEN.sub(" ", rest)
    if re.search(r"[^\s,，'’-]", leftover):
        return f"pinyin has characters that are not pinyin: {''.join(sorted(set(leftover.split())))!r}"
    marks = sum(1 for c in unicodedata.normalize("NFC", entry.pinyin) if c in TONE_MARKS)
    if marks * 2 < han:
        return f"pinyin has {marks} tone mark(s) for {han} characters; write the tones (guānshuì, not guanshui)"
    return None


def pinyin_reading_problems(shown: str, entry: Entry) -> list[Problem]:
    """The pinyin against pypinyin's reading of the term, syllable by syllable (edition/reference/pinyin.py);
    and reviewed exceptions that no longer accept anything."""
    exceptions = [PinyinException(**item) for item in entry.pinyin_exceptions]
    message, used = check_pinyin(entry.zh, entry.pinyin, exceptions)
    problems = [Problem(shown, entry.line_of("pinyin"), entry.id, message)] if message else []
    if message:  # the reading stopped at the first disagreement: the later exceptions were not tried
        return problems
    for index, exception in enumerate(exceptions):
        if index not in used:
            where = (
                f"pypinyin's reading of {exception.hanzi} is the pinyin's"
                if exception.hanzi in entry.zh
                else f"{exception.hanzi} is not in {entry.zh}"
            )
            problems.append(
                Problem(
                    shown,
                    entry.line_of("pinyin_exceptions", index),
                    entry.id,
                    f"the pinyin exception for {exception.hanzi} ({exception.reading}) accepts nothing: {where}; "
                    "remove it",
                )
            )
    return problems


# A letter or digit of a Latin-script word: a Latin term (AI, H20) inside a longer one (AIDS, H200)
# is not that term. Chinese has no spaces between words, so for a Chinese form the longer words
# are the glossary's own: another entry's longer form, or an exclusion.
LATIN_WORD_CHAR = re.compile(r"[A-Za-z0-9\u00c0-\u024f]")
WORDS_SHOWN = 3


def _inside_a_latin_word(text: str, start: int, end: int) -> bool:
    """Whether text[start:end] begins or ends a Latin word that goes on beyond it."""

    def joined(a: int, b: int) -> bool:
        return (
            a >= 0 and b < len(text) and bool(LATIN_WORD_CHAR.match(text[a])) and bool(LATIN_WORD_CHAR.match(text[b]))
        )

    return joined(start - 1, start) or joined(end - 1, end)


def _longer_words(form: str, text: str) -> list[str]:
    """The Latin words of ``text`` that hold ``form`` inside them (a few, in order of appearance)."""
    words: list[str] = []
    for found in re.finditer(re.escape(form), text):
        start, end = found.start(), found.end()
        if not _inside_a_latin_word(text, start, end):
            continue
        while start > 0 and LATIN_WORD_CHAR.match(text[start - 1]):
            start -= 1
        while end < len(text) and LATIN_WORD_CHAR.match(text[end]):
            end += 1
        if text[start:end] not in words:
            words.append(text[start:end])
        if len(words) == WORDS_SHOWN:
            break
    return words


def whole_occurrences(matcher: TermMatcher, texts: Iterable[str]) -> dict[str, int]:
    """How often each form (and exclusion) occurs as itself: matched longest first, and not the start or
    end of a longer Latin word."""
    found: dict[str, int] = {}
    for text in texts:
        for match in matcher.finditer(text, with_excluded=True):
            if not _inside_a_latin_word(text, match.start, match.end):
                found[match.form] = found.get(match.form, 0) + 1
    return found


def _form_problem(form: str, matcher: TermMatcher, joined: str) -> str:
    """Why a form of an entry that is not external never occurs as itself in the article."""
    if form not in joined:
        return (
            f"'{form}' does not occur in the article; use the article's exact wording, or mark the entry external: true"
        )
    longer = sorted({f for f in matcher.owner if form in f and f != form and f in joined}, key=len)
    words = _longer_words(form, joined)
    inside = "、".join(longer) if longer else ""
    if words:
        inside = f"{inside}; " if inside else ""
        return (
            f"'{form}' occurs only inside longer words ({inside}{', '.join(words)}); drop it or list the "
            "wording the article uses"
        )
    return f"'{form}' occurs only inside longer terms ({inside}); drop it or list the wording the article uses"


def glossary_problems(glossary: Glossary, texts: list[str], bib: Bibliography) -> list[Problem]:
    """Every rule of the glossary beyond its schema; ``texts`` are the article's paragraphs and notes."""
    problems = _identity_problems(glossary)
    matcher = TermMatcher(glossary.entries)
    found = whole_occurrences(matcher, texts)
    joined = "\n".join(texts)
    for entry in glossary.entries:
        if not entry.external:
            problems += _unused_form_problems(glossary.path, entry, matcher, found, joined)
        problems += _exclusion_problems(glossary.path, entry, found)
        problems += _reference_problems(glossary, entry, bib)
        message = pinyin_problem(entry)
        if message:
            line = entry.line_of("pinyin") if entry.pinyin else entry.line
            problems.append(Problem(glossary.path, line, entry.id, message))
        elif entry.pinyin:
            problems += pinyin_reading_problems(glossary.path, entry)
        elif entry.pinyin_exceptions:
            problems.append(
                Problem(
                    glossary.path,
                    entry.line_of("pinyin_exceptions"),
                    entry.id,
                    "pinyin exceptions without pinyin; remove them",
                )
            )
    return problems


def _form_line(entry: Entry, index: int) -> int:
    """The line of an entry's form: its term (index 0), else its alias index - 1."""
    return entry.line_of("zh") if index == 0 else entry.line_of("aliases", index - 1)


def _identity_problems(glossary: Glossary) -> list[Problem]:
    """Ids used twice or reserved, and forms (terms and aliases) that belong to two entries."""
    shown, problems = glossary.path, []
    first_line: dict[str, int] = {}
    owner: dict[str, tuple[str, int]] = {}
    for entry in glossary.entries:
        if entry.id in first_line:
            problems.append(
                Problem(
                    shown,
                    entry.line_of("id"),
                    entry.id,
                    f"id already used by the entry on line {first_line[entry.id]}; rename one",
                )
            )
        first_line.setdefault(entry.id, entry.line)
        reserved = reserved_id_problem(entry.id)
        if reserved:
            problems.append(Problem(shown, entry.line_of("id"), entry.id, reserved))
        for index, form in enumerate(entry.forms):
            line = _form_line(entry, index)
            if form in owner:
                other, other_line = owner[form]
                where = "this entry" if other == entry.id else f"'{other}'"
                problems.append(
                    Problem(
                        shown,
                        line,
                        entry.id,
                        f"'{form}' is already a term or alias of {where} "
                        f"(line {other_line}); a form may belong to one entry only",
                    )
                )
            owner.setdefault(form, (entry.id, line))
    return problems


def _unused_form_problems(
    shown: str, entry: Entry, matcher: TermMatcher, found: dict[str, int], joined: str
) -> list[Problem]:
    """The entry's forms that never occur in the article as whole terms."""
    return [
        Problem(shown, _form_line(entry, index), entry.id, _form_problem(form, matcher, joined))
        for index, form in enumerate(entry.forms)
        if not found.get(form)
    ]


def _exclusion_problems(shown: str, entry: Entry, found: dict[str, int]) -> list[Problem]:
    """Exclusions that contain none of the entry's forms, or never occur."""
    problems = []
    for index, word in enumerate(entry.excludes):
        line = entry.line_of("excludes", index)
        if not any(form in word and form != word for form in entry.forms):
            problems.append(
                Problem(
                    shown,
                    line,
                    entry.id,
                    f"exclusion '{word}' contains none of the entry's "
                    "forms; an exclusion is a longer word that is not the term",
                )
            )
        elif not found.get(word):
            problems.append(Problem(shown, line, entry.id, f"exclusion '{word}' does not occur in the article"))
    return problems


def _reference_problems(glossary: Glossary, entry: Entry, bib: Bibliography) -> list[Problem]:
    """Related entries that are the entry itself or do not exist; sources missing from refs.bib."""
    shown, problems = glossary.path, []
    for index, ident in enumerate(entry.related):
        line = entry.line_of("related", index)
        if ident == entry.id:
            problems.append(Problem(shown, line, entry.id, "an entry cannot be related to itself"))
        elif ident not in glossary.by_id:
            problems.append(Problem(shown, line, entry.id, f"related entry '{ident}' does not exist"))
    problems += [
        Problem(
            shown,
            entry.line_of("sources", index),
            entry.id,
            f"source '{key}' is not in refs.bib; add the entry there or cite another",
        )
        for index, key in enumerate(entry.sources)
        if key not in bib
    ]
    return problems


# -- where each entry is used ---------------------------------------------------------------------


def usage(glossary: Glossary, paragraphs: Iterable[tuple[str, str, list[str]]]) -> dict[str, list[tuple[str, str]]]:
    """Entry id → (page, paragraph id) of every paragraph whose text or notes name it, in reading order."""
    matcher = TermMatcher(glossary.entries)
    used: dict[str, list[tuple[str, str]]] = {e.id: [] for e in glossary.entries}
    for page, ident, texts in paragraphs:
        for entry in sorted({m.entry for text in texts for m in matcher.finditer(text)}):
            if ident not in glossary.by_id[entry].excluded_paragraphs:
                used[entry].append((page, ident))
    return used


def occurrence_exclusion_problems(glossary: Glossary, paragraphs: Iterable[tuple[str, list[str]]]) -> list[Problem]:
    """``not_used_in`` names a paragraph (or the abstract …) of the article where a form of the entry occurs;
    ``paragraphs`` are (id, its text and notes). An exclusion that excludes nothing is stale: reported."""
    matcher = TermMatcher(glossary.entries)
    named: dict[str, set[str]] = {
        ident: {m.entry for text in texts for m in matcher.finditer(text)} for ident, texts in paragraphs
    }
    problems = []
    for entry in glossary.entries:
        for index, item in enumerate(entry.not_used_in):
            ident, line = item["paragraph"], entry.line_of("not_used_in", index)
            if ident not in named:
                message = (
                    f"not_used_in: no paragraph of the article has the id '{ident}'; "
                    "give the id shown beside the paragraph (p1-3)"
                )
            elif entry.id not in named[ident]:
                message = (
                    f"not_used_in: paragraph {ident} does not name {entry.zh}, so the exclusion excludes nothing; "
                    "remove it, or give the paragraph where the term means something else"
                )
            else:
                continue
            problems.append(Problem(glossary.path, line, entry.id, message))
    return problems


# -- tooltips in the chapters ----------------------------------------------------------------------

ATTR_LINE = re.compile(r"\n\{:?\s*#(?P<id>[\w-]+)(?P<rest>[^}\n]*)\}\s*$")
# What a term must never be matched inside: code, links, footnote references and citations,
# HTML elements and tags, attribute lists, bare URLs.
PROTECTED = re.compile(
    r"`[^`]*`"
    r"|!?\[(?:[^\[\]]|\[[^\]]*\])*\](?:\([^)]*\)|\[[^\]]*\])?"
    r"|<(?P<tag>[a-zA-Z][\w-]*)\b[^>]*>.*?</(?P=tag)>"
    r"|<[^>\n]+>"
    r"|\{[^}\n]*\}"
    r"|https?://\S+",
    re.DOTALL,
)
# Article paragraphs (p2-4) and the abstract; not the byline or the catalogue data of the front page.
MARKED_BLOCKS = re.compile(r"^(?:p\d+-\d+|abstract)$")
NOT_ARTICLE_TEXT = ("#", "[^", "!!!", "???", "<", "    ", "\t", "|", "---", "*[")


def _link(entry: Entry, text: str, href: str) -> str:
    """The term as a link to its entry. The tag goes into the chapter's Markdown, so its attribute values
    are escaped for HTML, then for Markdown (``markdown_attribute``); the title is the gloss a reader is shown
    (``title_attribute``): an English name or definition holding ``<img onerror>``, ``&lt;script&gt;``,
    ``[x](javascript:…)`` or a blank line shows as text and leaves the paragraph whole.
    ``text`` is the article's own words, as the page's Markdown has them."""
    href_value = markdown_attribute(html_attribute(f"{href}#{entry.id}"))
    title = markdown_attribute(title_attribute(entry.tooltip))
    return f'<a class="edition-term" href="{href_value}" title="{title}">{text}</a>'


def mark_terms(markdown: str, glossary: Glossary, href: str, *, matcher: TermMatcher | None = None) -> str:
    """Each entry's first occurrence in the page's article paragraphs becomes a link to its glossary entry
    whose title (the tooltip) gives the English and a short definition; the article's words are unchanged."""
    matcher = matcher or TermMatcher(glossary.entries)
    seen: set[str] = set()

    def mark(segment: str, paragraph: str) -> str:
        out, position = [], 0
        for match in matcher.finditer(segment):
            if match.entry in seen or paragraph in glossary.by_id[match.entry].excluded_paragraphs:
                continue
            seen.add(match.entry)
            out.append(segment[position : match.start])
            out.append(_link(glossary.by_id[match.entry], match.form, href))
            position = match.end
        return "".join(out) + segment[position:]

    def mark_paragraph(text: str, paragraph: str) -> str:
        out, position = [], 0
        for protected in PROTECTED.finditer(text):
            out.append(mark(text[position : protected.start()], paragraph))
            out.append(protected.group(0))
            position = protected.end()
        return "".join(out) + mark(text[position:], paragraph)

    parts = re.split(r"(\n[ \t]*\n)", markdown)
    for i, block in enumerate(parts):
        attr = ATTR_LINE.search(block)
        body = block.lstrip("\n")
        if (
            not attr
            or i % 2
            or body.startswith(NOT_ARTICLE_TEXT)
            or ".article-note" in attr.group("rest")
            or not MARKED_BLOCKS.match(attr.group("id"))
        ):
            continue
        parts[i] = mark_paragraph(block[: attr.start()], attr.group("id")) + block[attr.start() :]
    return "".join(parts)


# -- exports ---------------------------------------------------------------------------------------

CSV_FIELDS = [
    "id",
    "zh",
    "aliases",
    "pinyin",
    "en",
    "en_basis",
    "category",
    "definition_zh",
    "definition_en",
    "related",
    "sources",
    "used_in",
    "editorial",
    "external",
]


def export_rows(
    glossary: Glossary, used: dict[str, list[tuple[str, str]]], url: Callable[[str, str], str]
) -> list[dict[str, object]]:
    return [
        {
            "id": e.id,
            "zh": e.zh,
            "aliases": e.aliases,
            "pinyin": e.pinyin,
            "en": e.en,
            "en_basis": e.en_basis,
            "category": e.category,
            "definition_zh": e.definition_zh,
            "definition_en": e.definition_en,
            "related": e.related,
            "sources": e.sources,
            "used_in": [url(page, ident) for page, ident in used.get(e.id, [])],
            "editorial": e.editorial,
            "external": e.external,
        }
        for _, entries in glossary.ordered()
        for e in entries
    ]


def to_json(rows: list[dict[str, object]]) -> str:
    return json.dumps(rows, ensure_ascii=False, indent=2, sort_keys=True) + "\n"


def to_csv(rows: list[dict[str, object]]) -> bytes:
    """UTF-8 with a byte-order mark, so that Excel opens the Chinese correctly; lists joined by '; '.

    Every cell goes through ``csv_cell``: a definition starting with ``=`` is data, not a formula.
    """
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=CSV_FIELDS, lineterminator="\r\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({k: csv_cell(_csv_value(v)) for k, v in row.items()})
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def _csv_value(value: object) -> str:
    if isinstance(value, list):
        return "; ".join(str(item) for item in value)
    if isinstance(value, bool):
        return str(value).lower()
    return "" if value is None else str(value)


def jieba_user_dictionary(glossary: Glossary) -> str:
    """One word per line (jieba's user-dictionary format); jieba chooses a frequency that keeps it whole."""
    words = sorted({form for e in glossary.entries for form in e.forms if HAN.search(form) and " " not in form})
    return "".join(f"{w}\n" for w in words)
