"""Every cited URL and date proven consistent, offline: the rules of ``make check`` and of every build.

1. URL form: absolute https (http only with a recorded ``http-reason``), parseable, no
   whitespace, escape residue or tracking parameters; one URL, one entry (unless
   declared ``same-work-as``).
2. Date form: ISO ``YYYY``/``YYYY-MM``/``YYYY-MM-DD``, a real day, not before 1900, not after
   the build's reference date.
3. A date in the URL agrees with the entry's date.
4. A date named in the sentence that carries a citation is not later than the source's
   date, and in the same month.
5. A date restated in a note (an explanatory note's text beside its citation, or the
   article's own note as printed) equals the entry's date.
6. (edition.sources.citations) every cited key exists; every entry is cited or marked background.

A real disagreement under rules 3–5 is accepted only by a reviewed ``date-exception``
field on the entry that names the date it accepts and says why; an exception that
accepts nothing is itself reported.

The single-record rules take ``(file, line, key, …)`` so any data file can use them:
``url_problems``, ``date_problems``, ``url_date_problems``, ``mentioned_date_problems``
and ``record_problems`` (all three record rules at once).
"""

from __future__ import annotations

import bisect
import datetime as dt
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from edition.dates import (
    EARLIEST_YEAR,
    DateError,
    DateMention,
    PartialDate,
    find_date_mentions,
    parse_iso_date,
    sentence_spans,
)
from edition.problems import LineIndex, Problem, line_of
from edition.sources.bib import Bibliography, Entry
from edition.sources.citations import CitationBlock, find_citation_blocks
from edition.sources.urls import normalized, url_dates, url_form_errors
from edition.text.chapters import PageBlock, plain_text
from edition.text.conversion import Block

DATE_FIELDS = ("date", "urldate", "eventdate", "origdate")
EXCEPTION_FIELD = "date-exception"
HTTP_REASON_FIELD = "http-reason"
SAME_WORK_FIELD = "same-work-as"
_ISO = r"\d{4}(?:-\d{2}){0,2}(?:/\d{4}(?:-\d{2}){0,2})?"
# ``date-exception = {2026-02-05: why}``: the accepted date(s) first, then the reason.
EXCEPTION = re.compile(rf"^\s*(?P<dates>{_ISO}(?:\s*,\s*{_ISO})*)\s*[:：]\s*(?P<reason>\S.*)$", re.DOTALL)


def exception_parts(text: str) -> tuple[list[str], str]:
    """A ``date-exception``'s accepted dates and its reason (the whole text as reason if it is malformed)."""
    parsed = EXCEPTION.match(text or "")
    if not parsed:
        return [], (text or "").strip()
    return re.split(r"\s*,\s*", parsed.group("dates").strip()), parsed.group("reason").strip()


@dataclass(frozen=True)
class Disagreement:
    """A date that disagrees with a record's date; a ``date-exception`` naming ``other`` accepts it."""

    problem: Problem
    other: str


# -- rules for one entry's address and date -----------------------------------------------------------------


def url_problems(file: str, line: int | None, key: str | None, url: str, *, http_reason: str = "") -> list[Problem]:
    """Rule 1 for one address."""
    return [Problem(file, line, key, message) for message in url_form_errors(url, http_reason=http_reason)]


def parse_record_date(
    file: str, line: int | None, key: str | None, text: str, *, reference: dt.date, name: str = "date"
) -> tuple[PartialDate | None, list[Problem]]:
    """Rule 2 for one date: the date, or None and what is wrong with it."""
    try:
        date = parse_iso_date(text)
    except DateError as error:
        return None, [Problem(file, line, key, f"{name}: {error}; write YYYY, YYYY-MM or YYYY-MM-DD")]
    if date.year < EARLIEST_YEAR:
        return None, [Problem(file, line, key, f"{name} {date} is before {EARLIEST_YEAR}; check the year")]
    if date.first_day > reference:
        return None, [
            Problem(
                file,
                line,
                key,
                f"{name} {date} is after the build's reference date {reference}; "
                "a source cannot be dated in the future (check the year, or SOURCE_DATE_EPOCH)",
            )
        ]
    return date, []


def date_problems(
    file: str, line: int | None, key: str | None, text: str, *, reference: dt.date, name: str = "date"
) -> list[Problem]:
    """Rule 2 for one date."""
    return parse_record_date(file, line, key, text, reference=reference, name=name)[1]


def url_date_disagreements(
    file: str, line: int | None, key: str | None, url: str, date: PartialDate
) -> list[Disagreement]:
    """Rule 3 before exceptions: each date in the address that cannot name the record's date."""
    return [
        Disagreement(
            Problem(
                file,
                line,
                key,
                f"date {date} disagrees with the date in its URL ({url_date.date}, from "
                f"'{url_date.text.strip('/')}'); correct the date, or if both are right (an event "
                f"published the next day) add {EXCEPTION_FIELD} = {{{url_date.date}: why}}",
            ),
            str(url_date.date),
        )
        for url_date in url_dates(url)
        if not url_date.date.agrees_with(date)
    ]


def mention_disagreement(mention: DateMention, date: PartialDate, *, exact: bool) -> str | None:
    """Rule 4 (``exact=False``) or 5 (``exact=True``): what is wrong when a written date meets a source's date."""
    said = f"{mention.text.strip()} ({mention})"
    if exact:
        if mention.until is not None:
            if mention.first_day <= date.first_day and date.last_day <= mention.last_day:
                return None
        elif date.agrees_with(mention.date):
            if _precision_rank(date) >= _precision_rank(mention.date):
                return None
            return f"the note says {said} but the source's date is only {date}; make the entry's date as precise"
        return f"the note says {said} but the source is dated {date}"
    if date.last_day < mention.first_day:
        return f"the sentence says {said} but the source is dated {date}, before it"
    month_end = PartialDate(mention.last_day.year, mention.last_day.month).last_day
    if date.first_day > month_end:
        return f"the sentence says {said} but the source is dated {date}, in a later month"
    return None


def _precision_rank(date: PartialDate) -> int:
    return ("year", "month", "day").index(date.precision)


def _what_to_do(mention: DateMention) -> str:
    return (
        f"; check the citation and the entry's date, or if both are right add "
        f"{EXCEPTION_FIELD} = {{{mention}: why}} to the entry"
    )


def accept_exceptions(
    found: list[Disagreement],
    exception: str,
    file: str,
    line: int | None,
    key: str | None,
    *,
    exception_line: int | None = None,
) -> list[Problem]:
    """Disagreements left after the exception, plus any exception that accepts nothing."""
    if not exception.strip():
        return [d.problem for d in found]
    where = exception_line or line
    parsed = EXCEPTION.match(exception)
    if not parsed:
        return [d.problem for d in found] + [
            Problem(
                file,
                where,
                key,
                f"{EXCEPTION_FIELD} must begin with the date it accepts, then say why: "
                f"{{YYYY-MM-DD: reason}} (or YYYY-MM, YYYY)",
            )
        ]
    named = set(exception_parts(exception)[0])
    left = [d.problem for d in found if d.other not in named]
    unused = sorted(named - {d.other for d in found})
    if unused:
        left.append(
            Problem(
                file,
                where,
                key,
                f"{EXCEPTION_FIELD} accepts {', '.join(unused)}, but nothing disagrees "
                f"with the date on that date any more; remove it from the exception",
            )
        )
    return left


# -- the bibliography ----------------------------------------------------------------------------------------


def entry_date(entry: Entry) -> PartialDate | None:
    try:
        return parse_iso_date(entry.get("date"))
    except DateError:
        return None


def bibliography_problems(
    bib: Bibliography, *, reference: dt.date
) -> tuple[list[Problem], dict[str, list[Disagreement]]]:
    """Rules 1 and 2 for every entry, and rule 3's disagreements (exceptions are applied with rules 4–5)."""
    problems: list[Problem] = []
    disagreements: dict[str, list[Disagreement]] = {}
    seen: dict[str, Entry] = {}
    for key, entry in bib.entries.items():
        url = entry.get("url")
        http_reason = entry.get(HTTP_REASON_FIELD)
        if url:
            problems += url_problems(bib.path, entry.line_of("url"), key, url, http_reason=http_reason)
            if http_reason and url.startswith("https://"):
                problems.append(
                    Problem(
                        bib.path,
                        entry.line_of(HTTP_REASON_FIELD),
                        key,
                        f"{HTTP_REASON_FIELD} is set but the URL is https; remove the field",
                    )
                )
            other = seen.get(normalized(url))
            if other is not None and not _declared_same_work(entry, other):
                problems.append(
                    Problem(
                        bib.path,
                        entry.line_of("url"),
                        key,
                        f"same URL as entry {other.key} (line {other.line}); merge the entries, or "
                        f"declare {SAME_WORK_FIELD} = {{{other.key}}} if they are one work",
                    )
                )
            seen.setdefault(normalized(url), entry)
        same = entry.get(SAME_WORK_FIELD)
        if same and same not in bib:
            problems.append(
                Problem(
                    bib.path,
                    entry.line_of(SAME_WORK_FIELD),
                    key,
                    f"{SAME_WORK_FIELD} names '{same}', which is not an entry",
                )
            )
        for name in DATE_FIELDS:
            if entry.get(name):
                date, more = parse_record_date(
                    bib.path, entry.line_of(name), key, entry.get(name), reference=reference, name=name
                )
                problems += more
                if name == "date" and date and url:
                    disagreements[key] = url_date_disagreements(bib.path, entry.line_of("date"), key, url, date)
    return problems, disagreements


def _declared_same_work(a: Entry, b: Entry) -> bool:
    return a.get(SAME_WORK_FIELD) == b.key or b.get(SAME_WORK_FIELD) == a.key


# -- dates in the chapters ------------------------------------------------------------------------------------

FOOTNOTE_DEFINITION = re.compile(r"^\[\^(?P<label>[^\]\s]+)\]:", re.MULTILINE)
FOOTNOTE_REF = re.compile(r"\[\^(?P<label>[^\]\s]+)\](?!:)")


@dataclass(frozen=True)
class DateClaim:
    """A date written beside a citation, and the source it is held to."""

    file: str
    line: int
    key: str
    mention: DateMention
    exact: bool  # rule 5 (a note restating the source's date) rather than rule 4


NOT_NEWLINE = re.compile(r"[^\n]")


def _blank(text: str, spans: Iterable[tuple[int, int]]) -> str:
    """``text`` with every character of the spans but line breaks made a space (offsets and lines kept).

    The spans overlap (a citation inside a note's definition): they are merged first, and each stretch is blanked
    at once, not character by character."""
    out, position = [], 0
    for start, end in sorted((start, end) for start, end in spans if start < end):
        begin = max(start, position)  # what an earlier span has not blanked yet
        if begin < end:
            out += [text[position:begin], NOT_NEWLINE.sub(" ", text[begin:end])]
            position = end
    out.append(text[position:])
    return "".join(out)


def _definition_spans(markdown: str) -> dict[str, tuple[int, int]]:
    spans = {}
    for match in FOOTNOTE_DEFINITION.finditer(markdown):
        end = markdown.find("\n\n", match.end())
        spans[match.group("label")] = (match.start(), len(markdown) if end < 0 else end)
    return spans


class _Spans:
    """Which of some (start, end) spans holds an offset, by bisection: one lookup per offset, not a scan."""

    def __init__(self, spans: Iterable[tuple[int, int, str]]):
        # (start, end, order given, label): where spans overlap, the first given wins.
        self._spans = sorted((start, end, order, label) for order, (start, end, label) in enumerate(spans))
        self._starts = [span[0] for span in self._spans]
        # Definitions may overlap (each runs to the next blank line): the furthest end reached so far.
        self._reach: list[int] = []
        for _, end, _, _ in self._spans:
            self._reach.append(max(end, self._reach[-1] if self._reach else end))

    def label_at(self, offset: int) -> str | None:
        """The label of the first-given span that holds ``offset``, None when none does."""
        found: tuple[int, str] | None = None
        index = bisect.bisect_right(self._starts, offset) - 1
        while index >= 0 and self._reach[index] > offset:  # no span before index reaches past offset otherwise
            start, end, order, label = self._spans[index]
            if start <= offset < end and (found is None or order < found[0]):
                found = (order, label)
            index -= 1
        return found[1] if found else None


def date_claims(page: str, markdown: str) -> list[DateClaim]:
    """Each month- or day-precise date named in the sentence that carries a citation, with the cited key.

    A block citing n sources after n sentences supports them in order (``7月…。9月…。[@a; @b]``);
    otherwise every source supports the sentence the citation ends or stands in. A footnote
    reference carries the sources its note cites. Inside a note, a date beside a citation is a
    restatement (rule 5). Every lookup is a bisection: the work grows with the page, not its square.
    """
    shown = f"docs/{page}"
    blocks = find_citation_blocks(markdown)
    block_starts = [b.start for b in blocks]
    definitions = _definition_spans(markdown)
    in_definition = _Spans((start, end, label) for label, (start, end) in definitions.items())

    def blocks_within(start: int, end: int) -> tuple[CitationBlock, ...]:
        return blocks[bisect.bisect_left(block_starts, start) : bisect.bisect_left(block_starts, end)]

    definition_keys = {
        label: tuple(ref.key for b in blocks_within(start, end) for ref in b.refs)
        for label, (start, end) in definitions.items()
    }
    running = _blank(markdown, [(b.start, b.end) for b in blocks] + list(definitions.values()))
    running_mentions = find_date_mentions(running)
    mention_starts = [m.start for m in running_mentions]
    markers, first_reference = _citation_markers(markdown, blocks, definition_keys, in_definition)

    note_mentions: dict[str, list[DateMention]] = {}
    for label, (start, end) in definitions.items():
        reference = first_reference.get(label)
        before = bisect.bisect_left(mention_starts, reference) if reference is not None else 0
        year = running_mentions[before - 1].date.year if before else None
        text = _blank(markdown[start:end], [(b.start - start, b.end - start) for b in blocks_within(start, end)])
        note_mentions[label] = [
            DateMention(m.start + start, m.end + start, m.text, m.date, m.until, m.year_from_context)
            for m in find_date_mentions(text, year)
        ]

    claims = []
    paragraph_of_previous, previous_end = -1, -1
    for start, end, line, keys, in_note in markers:
        paragraph = markdown.rfind("\n\n", 0, start)
        paragraph = 0 if paragraph < 0 else paragraph + 2
        # Earlier markers of the same paragraph end at or before ``previous``, so the span holds no citation.
        previous = max(previous_end, paragraph) if paragraph == paragraph_of_previous else paragraph
        paragraph_of_previous, previous_end = (
            paragraph,
            max(end, previous_end if paragraph == paragraph_of_previous else end),
        )
        sentences = sentence_spans(markdown, previous, start)
        if not sentences:
            continue
        mentions = note_mentions.get(in_definition.label_at(start) or "", []) if in_note else running_mentions
        starts = [m.start for m in mentions] if in_note else mention_starts
        claims += [
            DateClaim(shown, line, key, mention, exact=in_note)
            for key, (first, last) in _sentence_of_each_key(keys, sentences)
            for mention in mentions[bisect.bisect_left(starts, first) : bisect.bisect_left(starts, last)]
            if mention.end <= last and not (mention.date.precision == "year" and mention.until is None)
        ]
    return claims


_Marker = tuple[int, int, int, tuple[str, ...], bool]  # start, end, line, keys, in a note


def _citation_markers(
    markdown: str, blocks: tuple[CitationBlock, ...], definition_keys: dict[str, tuple[str, ...]], in_definition: _Spans
) -> tuple[list[_Marker], dict[str, int]]:
    """Every place that cites, in order: citation blocks, and footnote references in running text that carry
    the keys their note cites; and each note's first reference in running text."""
    lines = LineIndex(markdown)
    markers: list[_Marker] = [
        (block.start, block.end, block.line, tuple(r.key for r in block.refs), block.in_note) for block in blocks
    ]
    first_reference: dict[str, int] = {}  # a note's first call in running text
    for match in FOOTNOTE_REF.finditer(markdown):
        if in_definition.label_at(match.start()) is not None:
            continue
        first_reference.setdefault(match.group("label"), match.start())
        keys = definition_keys.get(match.group("label"), ())
        if keys:
            markers.append((match.start(), match.end(), lines.line(match.start()), keys, False))
    markers.sort()
    return markers, first_reference


def _sentence_of_each_key(
    keys: tuple[str, ...], sentences: list[tuple[int, int]]
) -> Iterator[tuple[str, tuple[int, int]]]:
    """n keys after n sentences or more: the i-th key supports the i-th of the last n; otherwise every key
    supports the last sentence."""
    for n, key in enumerate(keys):
        if 1 < len(keys) <= len(sentences):
            yield key, sentences[len(sentences) - len(keys) + n]
        else:
            yield key, sentences[-1]


def claim_disagreements(claims: list[DateClaim], bib: Bibliography) -> dict[str, list[Disagreement]]:
    found: dict[str, list[Disagreement]] = {}
    for claim in claims:
        if claim.key not in bib:
            continue  # reported as an unknown key
        date = entry_date(bib[claim.key])
        if date is None:
            continue  # reported by rule 2
        message = mention_disagreement(claim.mention, date, exact=claim.exact)
        if message:
            found.setdefault(claim.key, []).append(
                Disagreement(
                    Problem(claim.file, claim.line, claim.key, message + _what_to_do(claim.mention)), str(claim.mention)
                )
            )
    return found


# -- the article's own notes, as printed ---------------------------------------------------------------------


def restated_note_date_problems(
    bib: Bibliography, source: list[Block], edition: list[PageBlock], source_path: str = "source/article.md"
) -> list[Problem]:
    """Rule 5 for the article's notes: the date printed after a source's title is the entry's date.

    The edition's blocks say which sources each note cites; they are paired with the
    source's blocks in order, as the fidelity check pairs them.
    """
    problems = []
    for src, ed in zip(source, edition, strict=False):  # unequal: the fidelity check reports it
        if src.kind != ed.kind or len(src.notes) != len(ed.note_keys):
            continue  # the fidelity check reports the mismatch
        for k, keys in enumerate(ed.note_keys):
            note = plain_text(src.notes[k])
            titles = {key: note.find(bib[key].get("title")) for key in keys if key in bib}
            for key, position in titles.items():
                entry = bib[key]
                date = entry_date(entry)
                if position < 0 or date is None:
                    continue
                start = position + len(entry.get("title"))
                ends = [p for p in titles.values() if p > position] + [
                    p for p in (note.find("；", start), note.find("; ", start)) if p >= 0
                ]
                segment = note[start : min(ends, default=len(note))]
                mentions = find_date_mentions(segment)
                if mentions and mentions[0].date != date:
                    said = mentions[0].text.strip()
                    problems.append(
                        Problem(
                            bib.path,
                            entry.line_of("date"),
                            key,
                            f"date {date}, but the article's note restates it as {said} ({mentions[0].date}, "
                            f"{source_path}:{src.note_lines[k]}); the entry must carry the article's date",
                        )
                    )
    return problems


# -- all of it --------------------------------------------------------------------------------------------------


# Linear: an address ends before the next '(' '[' or '<' that could start another one, so no match
# attempt runs across the text after it ('<a://' * 8000 took four seconds).
MARKDOWN_URL = re.compile(
    r"\]\((?P<a>[a-z][a-z0-9+.-]*://[^()\[\]\s]*)\)|<(?P<b>[a-z][a-z0-9+.-]*://[^<>\s]*)>", re.IGNORECASE
)


def page_url_problems(page: str, markdown: str) -> list[Problem]:
    """Rule 1 for absolute links written in a page's Markdown."""
    problems = []
    for match in MARKDOWN_URL.finditer(markdown):
        url = match.group("a") or match.group("b")
        problems += url_problems(f"docs/{page}", line_of(markdown, match.start()), None, url)
    return problems


def consistency_problems(
    bib: Bibliography,
    pages: Iterable[tuple[str, str]],
    *,
    reference: dt.date,
    source: list[Block] | None = None,
    edition: list[PageBlock] | None = None,
) -> list[Problem]:
    """Rules 1–5 over the bibliography and the pages (and the article's notes, when both are given)."""
    problems, disagreements = bibliography_problems(bib, reference=reference)
    for page, markdown in pages:
        problems += page_url_problems(page, markdown)
        for key, found in claim_disagreements(date_claims(page, markdown), bib).items():
            disagreements.setdefault(key, []).extend(found)
    for key, entry in bib.entries.items():
        problems += accept_exceptions(
            disagreements.get(key, []),
            entry.get(EXCEPTION_FIELD),
            bib.path,
            entry.line,
            key,
            exception_line=entry.line_of(EXCEPTION_FIELD),
        )
    if source is not None and edition is not None:
        problems += restated_note_date_problems(bib, source, edition)
    return problems
