"""Dates with a precision: ``2025``, ``2025-06`` and ``2025-06-05`` are different claims."""

from __future__ import annotations

import datetime as dt
import functools
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

# Where a sentence of the article ends (closing quotes and brackets stay with it): a date written in a sentence
# is the date of what that sentence says, for the citation checks and the timeline alike.
SENTENCE_END = re.compile(r"[。！？]+[”’」』）)】]*")
ISO_DATE = re.compile(r"^(?P<year>\d{4})(?:-(?P<month>\d{2})(?:-(?P<day>\d{2}))?)?$")
PRECISIONS = ("year", "month", "day")


@dataclass(frozen=True, order=True)
class PartialDate:
    year: int
    month: int | None = None
    day: int | None = None

    @property
    def precision(self) -> str:
        return "day" if self.day else "month" if self.month else "year"

    def __str__(self) -> str:
        text = f"{self.year:04d}"
        if self.month:
            text += f"-{self.month:02d}"
        if self.day:
            text += f"-{self.day:02d}"
        return text

    @property
    def first_day(self) -> dt.date:
        return dt.date(self.year, self.month or 1, self.day or 1)

    @property
    def last_day(self) -> dt.date:
        if self.day:
            return self.first_day
        if self.month:
            following = dt.date(self.year + (self.month == 12), self.month % 12 + 1, 1)
            return following - dt.timedelta(days=1)
        return dt.date(self.year, 12, 31)

    def truncate(self, precision: str) -> PartialDate:
        """The same date at a coarser precision (never finer than it is)."""
        keep = min(PRECISIONS.index(precision), PRECISIONS.index(self.precision))
        return PartialDate(self.year, self.month if keep >= 1 else None, self.day if keep >= 2 else None)

    def agrees_with(self, other: PartialDate) -> bool:
        """True when the two can name the same day: equal at the coarser of the two precisions."""
        coarser = PRECISIONS[min(PRECISIONS.index(self.precision), PRECISIONS.index(other.precision))]
        return self.truncate(coarser) == other.truncate(coarser)


def real_date(year: int, month: int | None = None, day: int | None = None) -> PartialDate | None:
    """The date if it names a real calendar day, month or year (2025-02-30 does not), else None."""
    try:
        dt.date(year, month or 1, day or 1)
    except ValueError:
        return None
    return PartialDate(year, month, day)


class DateError(ValueError):
    """A date string that is not an ISO date of a real calendar day, month or year."""


def parse_iso_date(text: str) -> PartialDate:
    match = ISO_DATE.match(text.strip())
    if not match:
        raise DateError(f"'{text}' is not an ISO date (YYYY, YYYY-MM or YYYY-MM-DD)")
    year = int(match.group("year"))
    month = int(match.group("month")) if match.group("month") else None
    day = int(match.group("day")) if match.group("day") else None
    date = real_date(year, month, day)
    if date is None:
        raise DateError(f"'{text}' is not a real calendar date")
    return date


EARLIEST_YEAR = 1900


def _epoch_time(environ: Mapping[str, str] | None) -> dt.datetime | None:
    """``SOURCE_DATE_EPOCH`` as a time (UTC), None when unset: the one place the variable is read."""
    epoch = (os.environ if environ is None else environ).get("SOURCE_DATE_EPOCH", "").strip()
    if not epoch:
        return None
    try:
        return dt.datetime.fromtimestamp(int(epoch), dt.UTC)
    except (ValueError, OverflowError, OSError):
        raise DateError(
            f"'{epoch[:40]}' is not a whole number of seconds since 1970; unset it or give "
            "e.g. $(git log -1 --format=%ct)"
        ) from None


def build_time(environ: Mapping[str, str] | None = None) -> dt.datetime:
    """When the build happened, for exports and PDFs: ``SOURCE_DATE_EPOCH`` when set (reproducible builds), else now."""
    return _epoch_time(environ) or dt.datetime.now(dt.UTC).replace(microsecond=0)


def reference_date(environ: Mapping[str, str] | None = None) -> dt.date:
    """The build's "today", which no dated record may come after: ``SOURCE_DATE_EPOCH``'s day when set, else the
    local date (the contributor's own calendar day: an annotation written this morning in Beijing is not future)."""
    epoch = _epoch_time(environ)
    return epoch.date() if epoch else dt.date.today()  # noqa: DTZ011 (the local calendar day, as documented)


# -- dates written in running text: 2025年6月, 9月29日, 7月, 2—3月, November 13, 2025 ---------------------------

ENGLISH_MONTHS = {
    name: number
    for number, name in enumerate(
        [
            "january",
            "february",
            "march",
            "april",
            "may",
            "june",
            "july",
            "august",
            "september",
            "october",
            "november",
            "december",
        ],
        start=1,
    )
}
# A range's dash, after `\s*(?:月\s*)?`: written `\s*月?\s*` the two runs of spaces overlap, and a
# digit followed by a long run of spaces was scanned quadratically.
_DASH = r"[—–\-~～至到]\s*"
_MENTION = re.compile(
    # Every form starts with a digit or a capital: the lookahead skips other places ten times faster.
    r"(?=[\dA-Z])(?:"
    # Order matters: the most specific form first, so "2025年6月5日" is one mention, not three.
    rf"(?P<ymd>(?<!\d)(?P<y1>\d{{4}})\s*年\s*(?P<m1>\d{{1,2}})\s*月\s*(?P<d1>\d{{1,2}})\s*[日号])"
    rf"|(?P<ymrange>(?<!\d)(?P<y2>\d{{4}})\s*年\s*(?P<m2>\d{{1,2}})\s*(?:月\s*)?{_DASH}"
    rf"(?P<m2b>\d{{1,2}})\s*月(?!\s*\d{{1,2}}\s*[日号]))"
    rf"|(?P<ym>(?<!\d)(?P<y3>\d{{4}})\s*年\s*(?P<m3>\d{{1,2}})\s*月)"
    rf"|(?P<md>(?<![\d.])(?P<m4>\d{{1,2}})\s*月\s*(?P<d4>\d{{1,2}})\s*[日号])"
    rf"|(?P<mrange>(?<![\d.年])(?P<m5>\d{{1,2}})\s*(?:月\s*)?{_DASH}"
    rf"(?P<m5b>\d{{1,2}})\s*月(?!\s*\d{{1,2}}\s*[日号]))"
    rf"|(?P<m>(?<![\d.年])(?P<m6>\d{{1,2}})\s*月(?!\s*\d{{1,2}}\s*[日号]))"
    rf"|(?P<y>(?<![\d.])(?P<y7>\d{{4}})\s*年(?!代))"
    rf"|(?P<enmdy>\b(?P<en1>[A-Z][a-z]+)\.?\s+(?P<d8>\d{{1,2}}),\s*(?P<y8>\d{{4}})\b)"
    rf"|(?P<enmy>\b(?P<en2>[A-Z][a-z]+)\s+(?P<y9>\d{{4}})\b)"
    r")"
)


@dataclass(frozen=True)
class DateMention:
    """A date as the text writes it, with the year supplied from context where the text leaves it out."""

    start: int
    end: int
    text: str
    date: PartialDate
    until: PartialDate | None = None  # the end of a span such as 2—3月
    year_from_context: bool = False

    @property
    def first_day(self) -> dt.date:
        return self.date.first_day

    @property
    def last_day(self) -> dt.date:
        return (self.until or self.date).last_day

    def __str__(self) -> str:
        return f"{self.date}/{self.until}" if self.until else str(self.date)


# The same texts are read for dates by several rules (a glossary definition by the glossary's and the timeline's,
# a paragraph's Chinese for its numbers and for its dates): each text is scanned once per process. Bounded, so that
# `mkdocs serve` does not keep every version of a page it has rebuilt.
@functools.lru_cache(maxsize=4096)
def find_date_mentions(text: str, default_year: int | None = None) -> tuple[DateMention, ...]:
    """Every date the text names, in order.

    A month or day written without a year takes the nearest explicit year before it in
    ``text``, else ``default_year``; without either it is left out, as is anything that is
    not a real calendar date (13月, 2月30日).
    """
    mentions: list[DateMention] = []
    year = default_year
    for match in _MENTION.finditer(text):
        g = match.groupdict()
        explicit = _date_with_its_year(g)
        from_context = explicit is None
        if explicit is not None:
            found, until = explicit
        elif year is not None:
            found, until = _date_in_year(g, year)
        else:
            continue
        if found is None or (until is not None and until < found):
            continue
        if not from_context:
            year = found.year
        mentions.append(DateMention(match.start(), match.end(), match.group(0), found, until, from_context))
    return tuple(mentions)


_Span = tuple[PartialDate | None, PartialDate | None]  # a date, and the end of a range of months (or None)


def _date_with_its_year(g: dict[str, Any]) -> _Span | None:
    """The date a mention names with its own year (None, None if not a real one); None if it names no year."""
    if g["ymd"]:
        return real_date(int(g["y1"]), int(g["m1"]), int(g["d1"])), None
    if g["ymrange"]:
        return real_date(int(g["y2"]), int(g["m2"]), None), real_date(int(g["y2"]), int(g["m2b"]), None)
    if g["ym"]:
        return real_date(int(g["y3"]), int(g["m3"]), None), None
    if g["y"]:
        return real_date(int(g["y7"]), None, None), None
    if g["enmdy"] or g["enmy"]:
        month = ENGLISH_MONTHS.get((g["en1"] or g["en2"]).lower())
        if month is None:
            return None, None
        return real_date(int(g["y8"] or g["y9"]), month, int(g["d8"]) if g["d8"] else None), None
    return None


def _date_in_year(g: dict[str, Any], year: int) -> _Span:
    """A month or day written without a year, in the year the text last named."""
    if g["md"]:
        return real_date(year, int(g["m4"]), int(g["d4"])), None
    if g["mrange"]:
        return real_date(year, int(g["m5"]), None), real_date(year, int(g["m5b"]), None)
    return real_date(year, int(g["m6"]), None), None


def sentence_spans(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """(start, end) of each non-blank sentence of ``text[start:end]``; the last may lack its full stop."""
    end = len(text) if end is None else end
    found, position = [], start
    for match in SENTENCE_END.finditer(text, start, end):
        if text[position : match.end()].strip():
            found.append((position, match.end()))
        position = match.end()
    if text[position:end].strip():
        found.append((position, end))
    return found


def sentence_start(text: str, offset: int) -> int:
    """Where the sentence holding ``offset`` begins."""
    return max((match.end() for match in SENTENCE_END.finditer(text, 0, offset)), default=0)
