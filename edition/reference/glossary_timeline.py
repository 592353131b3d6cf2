"""The glossary and the timeline loaded together with the article's blocks (paragraphs, abstract …) they point into."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from edition.dates import ENGLISH_MONTHS, PartialDate, find_date_mentions, real_date
from edition.paths import ARTICLE_PAGES, GLOSSARY, TIMELINE
from edition.problems import EditionError, Problem, attempt
from edition.reference import glossary, timeline
from edition.reference.glossary import (
    Entry,
    Glossary,
    glossary_problems,
    load_glossary,
    occurrence_exclusion_problems,
    usage,
)
from edition.reference.timeline import Event, Timeline, load_timeline, resolve_mentions
from edition.sources.bib import Bibliography
from edition.sources.citations import CitationIndex, find_citation_blocks
from edition.text.chapters import PageBlock, page_blocks
from edition.text.paragraphs import paragraph_place, paragraph_place_en

FRONT_MATTER_LABELS = {"abstract": "提要", "keywords": "关键词", "author": "作者", "author-note": "作者简介"}
FRONT_MATTER_LABELS_EN = {
    "abstract": "Abstract",
    "keywords": "Keywords",
    "author": "Author",
    "author-note": "About the author",
}


@dataclass
class ReferenceData:
    glossary: Glossary
    timeline: Timeline
    blocks: list[PageBlock]  # the article's blocks with an id, in reading order
    used_in: dict[str, list[tuple[str, str]]] = field(default_factory=dict)
    mentioned_in: dict[str, list[tuple[str, str]]] = field(default_factory=dict)


def article_blocks(pages: list[tuple[str, str]], bib: Bibliography, index: CitationIndex) -> list[PageBlock]:
    """The article's blocks with an id (paragraphs and the front page's abstract, keywords …) in reading order,
    text as the reader reads it, notes rendered."""
    return [
        b
        for name, text in pages
        if name in ARTICLE_PAGES
        for b in page_blocks(name, text, bib, index)
        if b.kind == "paragraph" and b.id
    ]


def paragraph_label(page: str, ident: str) -> str:
    """第二章第4段 for p2-4; 首页·提要 for the abstract."""
    return paragraph_place(ident) or f"首页·{FRONT_MATTER_LABELS.get(ident, ident)}"


def paragraph_label_en(page: str, ident: str) -> str:
    """Chapter 2, paragraph 4 for p2-4; Front page, Abstract for the abstract (the English site's labels)."""
    return paragraph_place_en(ident) or f"Front page, {FRONT_MATTER_LABELS_EN.get(ident, ident)}"


def load_reference_data(
    root: Path, pages: list[tuple[str, str]], bib: Bibliography, *, today: dt.date
) -> ReferenceData:
    """Both data files, checked against the article, refs.bib and the build date; EditionError with every problem.

    The checks against the article need every key the article cites to be in refs.bib: while one is not (the
    citation checks name it), only the data files' own problems are raised.
    """
    article = [(name, text) for name, text in pages if name in ARTICLE_PAGES]
    problems: list[Problem] = []
    glossary = attempt(problems, load_glossary, root / GLOSSARY, GLOSSARY.as_posix())
    timeline = attempt(problems, load_timeline, root / TIMELINE, TIMELINE.as_posix(), today=today)
    cited_keys_known = all(
        ref.key in bib for _, text in article for block in find_citation_blocks(text) for ref in block.refs
    )
    if glossary is None or timeline is None or not cited_keys_known:
        raise EditionError(problems)
    blocks = article_blocks(article, bib, CitationIndex.build(article))
    problems += glossary_problems(glossary, [t for b in blocks for t in (b.text, *b.notes)], bib)
    problems += occurrence_exclusion_problems(glossary, ((b.id, [b.text, *b.notes]) for b in blocks))
    mentioned_in, more = resolve_mentions(timeline, blocks, bib)
    problems += more
    problems += shared_date_problems(glossary, timeline)
    problems += outside_mark_problems(glossary, timeline)
    if problems:
        raise EditionError(problems)
    used_in = usage(glossary, ((b.page, b.id, [b.text, *b.notes]) for b in blocks))
    return ReferenceData(glossary, timeline, blocks, used_in, mentioned_in)


# -- facts the glossary and the timeline both state ---------------------------------------------------

EN_DAY = re.compile(
    rf"\b(?P<month>{'|'.join(m.capitalize() for m in ENGLISH_MONTHS)}) (?P<day>\d{{1,2}})\b(?:, (?P<year>\d{{4}})\b)?"
)
YEAR = re.compile(r"(?<!\d)\d{4}(?!\d)")


def chinese_days(text: str) -> list[PartialDate]:
    """The days a Chinese text names (2025年10月30日; 10月9日 after a year), in order, without repeats."""
    days = [m.date for m in find_date_mentions(text) if m.date.precision == "day" and m.until is None]
    return list(dict.fromkeys(days))


def english_days(text: str) -> list[PartialDate]:
    """The days an English text names in American order (October 30, 2025; October 9 after a year)."""
    days = []
    for found in EN_DAY.finditer(text):
        years = YEAR.findall(text[: found.start()])
        year = found.group("year") or (years[-1] if years else None)
        month = ENGLISH_MONTHS[found.group("month").lower()]
        day = real_date(int(year), month, int(found.group("day"))) if year else None
        if day is not None:
            days.append(day)
    return list(dict.fromkeys(days))


def _chinese_texts(event: Event) -> list[str]:
    """The event's Chinese title and its quotations of the article."""
    return [event.title_zh, *(m.quote for m in event.mentions)]


def _names(texts: list[str], entry: Entry) -> bool:
    """Whether an event's Chinese texts (_chinese_texts) name the entry."""
    return any(form in text for form in entry.forms for text in texts)


def shared_date_problems(glossary: Glossary, timeline: Timeline) -> list[Problem]:
    """A day a glossary definition gives must be the day of a timeline event that names the entry or one of
    its related entries (the talks of Kuala Lumpur suspended the controls of October 9), and the English
    definition must give the same days as the Chinese: the two files state one fact one way."""
    problems = []
    # Each event's texts gathered once, not again for every entry and every related entry compared with it.
    events = [(event, _chinese_texts(event)) for event in timeline.events]
    for entry in glossary.entries:
        zh, en = chinese_days(entry.definition_zh), english_days(entry.definition_en)
        if sorted(map(str, zh)) != sorted(map(str, en)):
            problems.append(
                Problem(
                    glossary.path,
                    entry.line_of("definition_en"),
                    entry.id,
                    f"definition_en gives the days {_listed(en)}, definition_zh {_listed(zh)}; the two definitions "
                    "state the same facts (English dates in American order: October 30, 2025)",
                )
            )
        if not zh:  # no day to find in the timeline (most entries): which events name the entry is not needed
            continue
        concerned = [entry, *(glossary.by_id[r] for r in entry.related if r in glossary.by_id)]
        naming = [event for event, texts in events if any(_names(texts, one) for one in concerned)]
        problems += [
            _undated_problem(glossary.path, entry, day, naming)
            for day in zh
            if not any(e.span.start == day for e in naming)
        ]
    return problems


def _listed(days: list[PartialDate]) -> str:
    return ", ".join(map(str, days)) or "none"


def _undated_problem(shown: str, entry: Entry, day: PartialDate, naming: list[Event]) -> Problem:
    known = "; ".join(f"{e.id} on {e.span.start}" for e in naming) or "none"
    return Problem(
        shown,
        entry.line_of("definition_zh"),
        entry.id,
        f"definition_zh gives {day}, but no event of data/timeline.yml on that day names {entry.zh} or a related "
        f"entry (events that do: {known}); correct the date here or in the timeline, or add the event to the timeline",
    )


# -- facts from outside the article, marked alike in both languages --------------------------------------

OUTSIDE_ZH = "文外资料"
OUTSIDE_EN = re.compile(r"outside the article", re.IGNORECASE)


def _outside_mark_problem(shown: str, line: int, ident: str, zh: tuple[str, str], en: tuple[str, str]) -> list[Problem]:
    """Each fact beyond the article is marked in the Chinese (文外资料：…) and in the English (Outside the article, …):
    the two texts carry as many marks."""
    (zh_field, zh_text), (en_field, en_text) = zh, en
    marked_zh, marked_en = zh_text.count(OUTSIDE_ZH), len(OUTSIDE_EN.findall(en_text))
    if marked_zh == marked_en:
        return []
    return [
        Problem(
            shown,
            line,
            ident,
            f"{zh_field} marks {marked_zh} fact(s) from outside the article ('{OUTSIDE_ZH}：'), {en_field} "
            f"{marked_en} ('Outside the article, …'); mark each such fact in both languages, or give it in neither",
        )
    ]


def outside_mark_problems(glossary: Glossary, timeline: Timeline) -> list[Problem]:
    problems = []
    for event in timeline.events:
        line = event.record.line_of("note_en") if event.record else event.line
        zh, en = ("note_zh", event.note_zh or ""), ("note_en", event.note_en or "")
        problems += _outside_mark_problem(timeline.path, line, event.id, zh, en)
    for entry in glossary.entries:
        zh, en = ("definition_zh", entry.definition_zh), ("definition_en", entry.definition_en)
        problems += _outside_mark_problem(glossary.path, entry.line_of("definition_en"), entry.id, zh, en)
    return problems


def exports(data: ReferenceData, page_url: Callable[[str], str], stamp: dt.datetime) -> dict[str, bytes]:
    """The downloads for teachers: glossary.csv/.json, timeline.json/.ics; ``page_url`` gives a page's site URL."""

    def url(page: str, ident: str) -> str:
        return f"{page_url(page)}#{ident}"

    glossary_rows = glossary.export_rows(data.glossary, data.used_in, url)
    timeline_rows = timeline.export_rows(data.timeline, data.mentioned_in, url)
    return {
        "glossary.csv": glossary.to_csv(glossary_rows),
        "glossary.json": glossary.to_json(glossary_rows).encode("utf-8"),
        "timeline.json": timeline.to_json(timeline_rows).encode("utf-8"),
        "timeline.ics": timeline.to_ics(data.timeline, data.mentioned_in, url, stamp),
    }
