"""The timeline (data/timeline.yml): events, their mentions resolved to paragraphs, date checks, exports.

An event's date is a span: ``date`` alone (a day, a month or a year, as precise as
the article), or ``date`` to ``date_end`` where the article gives a span (2—3月).
The two date comparisons live in ``text_date_disagreement`` and
``source_date_disagreement``, small functions the URL/date checks may replace.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from edition.dates import (
    EARLIEST_YEAR,
    DateError,
    PartialDate,
    find_date_mentions,
    parse_iso_date,
    sentence_start,
)
from edition.escape import ics_text
from edition.problems import EditionError, Problem
from edition.records import Record, load_records, quote_marks, reserved_id_problem, shown_text
from edition.sources.bib import Bibliography
from edition.sources.notes import MONTHS, date_en, date_zh
from edition.text.chapters import PageBlock

CATEGORIES = {
    "tariffs-trade": ("关税与贸易措施", "Tariffs and trade measures"),
    "export-controls-sanctions": ("出口管制与制裁", "Export controls and sanctions"),
    "negotiations": ("谈判与会谈", "Negotiations"),
    "leaders": ("元首通话与会晤", "Leaders' calls and meetings"),
    "taiwan": ("台湾问题", "Taiwan"),
    "security": ("安全", "Security"),
    "documents": ("文件与战略", "Documents and strategies"),
    "opinion-data": ("民意与数据", "Public opinion and data"),
}
PHASES = {
    "before": ("前情", "Before", "特朗普第二任期之前", "Before Trump's second term"),
    "phase-1": ("第一阶段", "Phase 1", "不打不相识", "No discord, no concord"),
    "phase-2": ("第二阶段", "Phase 2", "打打谈谈", "Fighting and talking"),
    "phase-3": ("第三阶段", "Phase 3", "脆弱的稳定", "Fragile stability"),
    "after": ("展望", "Ahead", "文章所说的2026年议程", "What the article expects in 2026"),
}


@dataclass(frozen=True)
class Span:
    """A stretch of the calendar named at some precision: one date, or from one date to another."""

    start: PartialDate
    end: PartialDate

    @property
    def first_day(self) -> dt.date:
        return self.start.first_day

    @property
    def last_day(self) -> dt.date:
        return self.end.last_day

    def overlaps(self, other: Span) -> bool:
        return self.first_day <= other.last_day and other.first_day <= self.last_day

    def __str__(self) -> str:
        return str(self.start) if self.start == self.end else f"{self.start}/{self.end}"


@dataclass
class Mention:
    quote: str
    line: int
    date_note: str | None = None


@dataclass
class Event:
    id: str
    span: Span
    title_zh: str
    title_en: str
    category: str
    phase: str
    mentions: list[Mention]
    sources: list[str] = field(default_factory=list)
    note_zh: str | None = None
    note_en: str | None = None
    date_note: str | None = None
    record: Record | None = None

    @property
    def line(self) -> int:
        return self.record.line if self.record else 0

    @property
    def sort_key(self) -> tuple[int, int, int, str]:
        start = self.span.start
        return start.year, start.month or 0, start.day or 0, self.id


@dataclass
class Timeline:
    path: str
    events: list[Event]

    def ordered(self) -> list[Event]:
        return sorted(self.events, key=lambda e: e.sort_key)


def load_timeline(path: Path, shown: str, *, today: dt.date) -> Timeline:
    """The events; EditionError with every problem of their records, ids and dates: dates well formed but
    not real (2025-02-30), reversed, or after ``today``, the build's date."""
    events, problems = [], []
    for record in load_records(path, "timeline", shown):
        data = record.data
        reserved = reserved_id_problem(data["id"])
        if reserved:
            problems.append(Problem(shown, record.line_of("id"), data["id"], reserved))
        try:
            start = parse_iso_date(data["date"])
            end = parse_iso_date(data["date_end"]) if "date_end" in data else start
        except DateError as error:
            field_name = "date_end" if "date_end" in data and str(error).startswith(f"'{data['date_end']}'") else "date"
            problems.append(Problem(shown, record.line_of(field_name), data["id"], str(error)))
            continue
        span_problems = event_date_problems(Span(start, end), today)
        if span_problems:
            problems += [Problem(shown, record.line_of(name), data["id"], message) for name, message in span_problems]
            continue
        mentions = [
            Mention(m, record.line_of("mentions", i))
            if isinstance(m, str)
            else Mention(m["quote"], record.line_of("mentions", i), m["date_note"])
            for i, m in enumerate(data["mentions"])
        ]
        events.append(
            Event(
                id=data["id"],
                span=Span(start, end),
                title_zh=data["title_zh"],
                title_en=data["title_en"],
                category=data["category"],
                phase=data["phase"],
                mentions=mentions,
                sources=data.get("sources", []),
                note_zh=data.get("note_zh"),
                note_en=data.get("note_en"),
                date_note=data.get("date_note"),
                record=record,
            )
        )
    if problems:
        raise EditionError(problems)
    return Timeline(shown, events)


def event_date_problems(span: Span, reference: dt.date | None) -> list[tuple[str, str]]:
    """(field, what is wrong) for an event's dates: in order, not before EARLIEST_YEAR, and not after the build
    date. A date names a stretch of time (2026 is a year); it is after the build date when its first day is,
    so an event of "2026" may be listed from the first day of 2026. ``reference`` None checks no build date."""
    start, end = span.start, span.end
    found = []
    if start.year < EARLIEST_YEAR:
        found.append(("date", f"date {start} is before {EARLIEST_YEAR}; check the year"))
    if end != start and end.first_day <= start.last_day:
        found.append(
            (
                "date_end",
                (
                    f"date_end {end} does not come after date {start}; give the span's last day, "
                    "month or year as date_end, or remove date_end"
                ),
            )
        )
    for name, date in (("date", start), ("date_end", end)):
        if reference is not None and date.first_day > reference and (name == "date" or end != start):
            found.append(
                (
                    name,
                    (
                        f"{name} {date} is after the build date {reference}; the timeline lists events "
                        f"that have happened, {reference} or earlier: check the year (or SOURCE_DATE_EPOCH)"
                    ),
                )
            )
    return found


# -- dates written in the article's Chinese text ---------------------------------------------------


def text_dates(text: str, year: int | None = None) -> list[tuple[int, int, Span]]:
    """(start, end, span) of every date written in ``text`` (edition.dates.find_date_mentions, shared with
    the URL/date checks): a month without a year takes the last year named before it, or ``year``."""
    return [(m.start, m.end, Span(m.date, m.until or m.date)) for m in find_date_mentions(text, year)]


def last_year(text: str) -> int | None:
    dates = text_dates(text)
    return dates[-1][2].end.year if dates else None


def text_date_disagreement(event: Span, written: Span) -> str | None:
    """A date the article writes beside an event must name a stretch of time that contains the event's date."""
    return None if event.overlaps(written) else f"the text there says {written}"


def source_date_disagreement(event: Span, source: PartialDate) -> str | None:
    """A source reports an event on or after it, and in its month (a month-precise event: in that month)."""
    if source.last_day < event.first_day:
        return f"is dated {source}, before the event ({event})"
    window_end = event.end.truncate("month").last_day
    if source.first_day > window_end:
        return f"is dated {source}, after the event's month ({event}); add a date_note saying why"
    return None


# -- mentions resolved to paragraphs ----------------------------------------------------------------


def written_dates(
    paragraphs: list[PageBlock], index: int, text: str, offset: int, quote: str, *, in_note: bool
) -> list[Span]:
    """The dates the article gives for what a quotation reports: those inside the quotation, else the last
    one before it in the same sentence (2—3月，特朗普…). A month takes its year from the text before it."""
    start = sentence_start(text, offset)
    year = last_year(text[:start])
    if year is None and not in_note:
        page = paragraphs[index].page
        year = next(
            (y for p in reversed(paragraphs[:index]) if p.page == page for y in [last_year(p.text)] if y is not None),
            None,
        )
    dates = text_dates(text[start : offset + len(quote)], year)
    inside = [span for at, _, span in dates if at >= offset - start]
    return inside or [span for _, _, span in dates[-1:]]


def resolve_mentions(
    timeline: Timeline, paragraphs: list[PageBlock], bib: Bibliography
) -> tuple[dict[str, list[tuple[str, str]]], list[Problem]]:
    """Event id → (page, paragraph id) of each mention, and every mention or date that does not check out."""
    shown, problems = timeline.path, []
    resolved: dict[str, list[tuple[str, str]]] = {}
    seen: dict[str, int] = {}
    for event in timeline.events:
        if event.id in seen:
            problems.append(
                Problem(
                    shown, event.line, event.id, f"id already used by the event on line {seen[event.id]}; rename one"
                )
            )
        seen.setdefault(event.id, event.line)
        places: list[tuple[int, str, str]] = []
        for mention in event.mentions:
            hit = _find_mention(shown, event, mention, paragraphs)
            if isinstance(hit, Problem):
                problems.append(hit)
                continue
            paragraph = paragraphs[hit[0]]
            places.append((hit[0], paragraph.page, paragraph.id))
            if not mention.date_note:
                problems += _mention_date_problems(shown, event, mention, paragraphs, hit)
        resolved[event.id] = [(page, ident) for _, page, ident in sorted(set(places))]  # in reading order
        problems += _event_source_problems(shown, event, bib)
    return resolved, problems


_Hit = tuple[int, str, int]  # paragraph index, "text" or "note k", offset of the quotation there


def _find_mention(shown: str, event: Event, mention: Mention, paragraphs: list[PageBlock]) -> _Hit | Problem:
    """Where the quotation occurs, or why it cannot be placed: it must occur exactly once."""
    hits = [
        (i, where, text.find(mention.quote))
        for i, p in enumerate(paragraphs)
        for where, text in [("text", p.text), *((f"note {k + 1}", n) for k, n in enumerate(p.notes))]
        for _ in range(text.count(mention.quote))
    ]
    quote = f"«{shown_text(mention.quote)}»"
    if not hits:
        return Problem(
            shown, mention.line, event.id, f"quotation {quote} is not in any {_nowhere(mention, paragraphs)}"
        )
    if len(hits) > 1:
        where = "、".join(sorted({paragraphs[i].id for i, _, _ in hits}))
        return Problem(
            shown,
            mention.line,
            event.id,
            f"quotation {quote} occurs {len(hits)} times ({where}); quote more words so it is unique",
        )
    return hits[0]


def _nowhere(mention: Mention, paragraphs: list[PageBlock]) -> str:
    """The rest of the message for a quotation in no paragraph: what to do."""
    inner = quote_marks(mention.quote)
    if inner is not None and any(inner in text for p in paragraphs for text in (p.text, *p.notes)):
        return (
            f"paragraph or note of the article, but it is without the quotation marks {mention.quote[0]}"
            f"{mention.quote[-1]} (YAML keeps them as part of the value): remove them"
        )
    return "paragraph or note of the article; copy it exactly from the chapter"


def _mention_date_problems(
    shown: str, event: Event, mention: Mention, paragraphs: list[PageBlock], hit: _Hit
) -> list[Problem]:
    """The dates written at the quotation that disagree with the event's."""
    index, where, offset = hit
    paragraph = paragraphs[index]
    text = paragraph.text if where == "text" else paragraph.notes[int(where.split()[1]) - 1]
    problems = []
    for written in written_dates(paragraphs, index, text, offset, mention.quote, in_note=where != "text"):
        message = text_date_disagreement(event.span, written)
        if message:
            problems.append(
                Problem(
                    shown,
                    mention.line,
                    event.id,
                    f"date {event.span} disagrees with {paragraph.page}#{paragraph.id}: "
                    f"{message}; fix the date, or give the mention a date_note saying "
                    "why that date is another one",
                )
            )
    return problems


def _event_source_problems(shown: str, event: Event, bib: Bibliography) -> list[Problem]:
    """Sources missing from refs.bib, or dated in a way the event's date cannot agree with."""
    problems = []
    for index, key in enumerate(event.sources):
        line = event.record.line_of("sources", index) if event.record else event.line
        if key not in bib:
            problems.append(Problem(shown, line, event.id, f"source '{key}' is not in refs.bib"))
            continue
        try:
            source = parse_iso_date(bib[key].get("date"))
        except DateError:
            continue  # refs.bib's own checks report it
        message = source_date_disagreement(event.span, source)
        if message and not event.date_note:
            problems.append(Problem(shown, line, event.id, f"source '{key}' {message}"))
    return problems


# -- exports ---------------------------------------------------------------------------------------

PRECISION_ZH = {"day": "日", "month": "月", "year": "年"}


def date_label(date: PartialDate) -> str:
    return date_zh(str(date))


def span_label(span: Span) -> str:
    if span.start == span.end:
        return date_label(span.start)
    if span.start.year == span.end.year and span.start.month and span.end.month and not span.start.day:
        return f"{span.start.year}年{span.start.month}—{span.end.month}月"
    return f"{date_label(span.start)}—{date_label(span.end)}"


def span_label_en(span: Span) -> str:
    """The English of ``span_label``, in American order: April 8, 2025; April 2025; February–March 2025; 2019."""
    if span.start == span.end:
        return date_en(str(span.start))
    if span.start.year == span.end.year and span.start.month and span.end.month and not span.start.day:
        return f"{MONTHS[span.start.month - 1]}–{MONTHS[span.end.month - 1]} {span.start.year}"
    return f"{date_en(str(span.start))} – {date_en(str(span.end))}"


def export_rows(
    timeline: Timeline, resolved: dict[str, list[tuple[str, str]]], url: Callable[[str, str], str]
) -> list[dict[str, object]]:
    return [
        {
            "id": e.id,
            "date": str(e.span.start),
            "date_end": str(e.span.end) if e.span.end != e.span.start else None,
            "precision": e.span.start.precision,
            "title_zh": e.title_zh,
            "title_en": e.title_en,
            "category": e.category,
            "phase": e.phase,
            "paragraphs": [url(p, i) for p, i in resolved.get(e.id, [])],
            "sources": e.sources,
            "note_zh": e.note_zh,
            "note_en": e.note_en,
            "date_note": e.date_note,
        }
        for e in timeline.ordered()
    ]


def to_json(rows: list[dict[str, object]]) -> str:
    return json.dumps(rows, ensure_ascii=False, indent=2, sort_keys=True) + "\n"


def _octets(char: str) -> int:
    return 1 if char < "\x80" else 2 if char < "\u0800" else 3 if char < "\U00010000" else 4


def _fold(line: str) -> list[str]:
    """RFC 5545 3.1: lines of at most 75 octets, continued with a leading space, never inside a character."""
    if len(line.encode("utf-8")) <= 75:
        return [line]
    parts: list[str] = []
    start = size = 0
    for index, char in enumerate(line):
        octets = _octets(char)
        if size + octets > (75 if not parts else 74):
            parts.append(line[start:index])
            start, size = index, 0
        size += octets
    parts.append(line[start:])
    return [parts[0]] + [" " + part for part in parts[1:]]


def to_ics(
    timeline: Timeline, resolved: dict[str, list[tuple[str, str]]], url: Callable[[str, str], str], stamp: dt.datetime
) -> bytes:
    """All-day events. A month-precise event is put on the month's first day and says so; an event known
    only to the year is left out (no day of a calendar would be honest for it). Every value from the data
    goes through ``ics_text``: a CR, LF or CRLF in a title is ``\\n`` inside its property, never a new line."""
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//trump-return-edition//timeline//ZH",
        "CALSCALE:GREGORIAN",
        "X-WR-CALNAME:大事记 · 特朗普归来与中美博弈的新阶段",
    ]
    for event in timeline.ordered():
        start = event.span.start
        if start.precision == "year":
            continue
        precision = ""
        if start.precision == "month" or event.span.end != start:
            precision = f"日期仅精确到月：{span_label(event.span)}。Date known to the month only: {event.span}.\n"
        paragraphs = " ".join(url(p, i) for p, i in resolved.get(event.id, []))
        description = (
            precision
            + event.title_en
            + "\n"
            + (event.note_zh + "\n" if event.note_zh else "")
            + (event.note_en + "\n" if event.note_en else "")
            + (f"见于 / In: {paragraphs}" if paragraphs else "")
        )
        lines += [
            "BEGIN:VEVENT",
            f"UID:{ics_text(event.id)}@timeline.trump-return-edition",
            f"DTSTAMP:{stamp.astimezone(dt.UTC):%Y%m%dT%H%M%SZ}",
            f"DTSTART;VALUE=DATE:{start.first_day:%Y%m%d}",
            f"DTEND;VALUE=DATE:{start.first_day + dt.timedelta(days=1):%Y%m%d}",
            f"SUMMARY:{ics_text(event.title_zh)}",
            f"DESCRIPTION:{ics_text(description.strip())}",
            f"CATEGORIES:{ics_text(event.category)}",
            "TRANSP:TRANSPARENT",
            "END:VEVENT",
        ]
    lines.append("END:VCALENDAR")
    return "".join(part + "\r\n" for line in lines for part in _fold(line)).encode("utf-8")
