"""Dates with a precision: ``2025``, ``2025-06`` and ``2025-06-05`` are different claims."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

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

    def truncate(self, precision: str) -> "PartialDate":
        """The same date at a coarser precision (never finer than it is)."""
        keep = min(PRECISIONS.index(precision), PRECISIONS.index(self.precision))
        return PartialDate(self.year, self.month if keep >= 1 else None, self.day if keep >= 2 else None)

    def agrees_with(self, other: "PartialDate") -> bool:
        """True when the two can name the same day: equal at the coarser of the two precisions."""
        coarser = PRECISIONS[min(PRECISIONS.index(self.precision), PRECISIONS.index(other.precision))]
        return self.truncate(coarser) == other.truncate(coarser)


class DateError(ValueError):
    """A date string that is not an ISO date of a real calendar day, month or year."""


def parse_iso_date(text: str) -> PartialDate:
    match = ISO_DATE.match(text.strip())
    if not match:
        raise DateError(f"'{text}' is not an ISO date (YYYY, YYYY-MM or YYYY-MM-DD)")
    year = int(match.group("year"))
    month = int(match.group("month")) if match.group("month") else None
    day = int(match.group("day")) if match.group("day") else None
    try:
        dt.date(year, month or 1, day or 1)
    except ValueError:
        raise DateError(f"'{text}' is not a real calendar date") from None
    return PartialDate(year, month, day)
