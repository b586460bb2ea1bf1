"""Report periods: a month, a quarter, a year or a crop season, and the intervals reports group by.

A crop season (niên vụ) runs from 1 October to 30 September and is named by its two years, "2025/26": the
cashew and pepper harvests of early 2026 and the rubber tapping year around them fall in one season. Periods
are whole months, so each is a range of ``year * 100 + month`` numbers (``ym``), which both SQLite and
PostgreSQL compare and compute with integer arithmetic: no date functions that differ between them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, timezone

from reports.messages import PERIOD_INVALID

MONTH, QUARTER, YEAR, SEASON = "month", "quarter", "year", "season"
INTERVALS = (MONTH, QUARTER, YEAR, SEASON)
SEASON_START_MONTH = 10

_PATTERNS = (
    (YEAR, re.compile(r"^(\d{4})$")),
    (QUARTER, re.compile(r"^(\d{4})-Q([1-4])$")),
    (MONTH, re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")),
    (SEASON, re.compile(r"^(\d{4})/(\d{2})$")),
)


@dataclass(frozen=True)
class Period:
    kind: str
    start: date  # first day
    end: date  # last day

    @property
    def code(self) -> str:
        if self.kind == YEAR:
            return f"{self.start.year}"
        if self.kind == QUARTER:
            return f"{self.start.year}-Q{(self.start.month - 1) // 3 + 1}"
        if self.kind == MONTH:
            return f"{self.start:%Y-%m}"
        return f"{self.start.year}/{(self.start.year + 1) % 100:02d}"

    @property
    def first_ym(self) -> int:
        return self.start.year * 100 + self.start.month

    @property
    def last_ym(self) -> int:
        return self.end.year * 100 + self.end.month

    def __str__(self) -> str:
        return self.code


def _months(year: int, month: int, count: int) -> Period:
    index = year * 12 + month - 1 + count
    end = date(index // 12, index % 12 + 1, 1) - timedelta(days=1)
    return date(year, month, 1), end


def make(kind: str, year: int, month: int = 1) -> Period:
    """The period of ``kind`` that contains the month ``year``-``month``."""
    if kind == YEAR:
        start, end = _months(year, 1, 12)
    elif kind == QUARTER:
        start, end = _months(year, (month - 1) // 3 * 3 + 1, 3)
    elif kind == MONTH:
        start, end = _months(year, month, 1)
    else:
        first = year if month >= SEASON_START_MONTH else year - 1
        start, end = _months(first, SEASON_START_MONTH, 12)
    return Period(kind, start, end)


def parse(text: str) -> Period:
    """``2026``, ``2026-Q1``, ``2026-03`` or ``2025/26``; ValueError (a coded message) otherwise."""
    text = (text or "").strip().upper()
    for kind, pattern in _PATTERNS:
        found = pattern.match(text)
        if not found:
            continue
        year, second = int(found.group(1)), found.group(2) if pattern.groups > 1 else None
        if kind == YEAR:
            return make(YEAR, year)
        if kind == QUARTER:
            return make(QUARTER, year, (int(second) - 1) * 3 + 1)
        if kind == MONTH:
            return make(MONTH, year, int(second))
        if int(second) == (year + 1) % 100:
            return make(SEASON, year, SEASON_START_MONTH)
    raise ValueError(PERIOD_INVALID)


def current_season(today: date) -> Period:
    return make(SEASON, today.year, today.month)


def of_ym(kind: str, ym: int) -> Period:
    """The period of ``kind`` holding the month ``ym`` (``year * 100 + month``)."""
    return make(kind, ym // 100, ym % 100)


def between(first: Period, last: Period, kind: str) -> list[Period]:
    """Every period of ``kind`` from the one holding ``first.start`` to the one holding ``last.end``."""
    found, cursor = [], of_ym(kind, first.first_ym)
    while cursor.start <= last.end:
        found.append(cursor)
        cursor = of_ym(kind, (cursor.end + timedelta(days=1)).year * 100 + (cursor.end + timedelta(days=1)).month)
    return found


VIETNAM = timezone(timedelta(hours=7), "ICT")


def today() -> date:
    """Today in Vietnam, where the department reads its reports."""
    return datetime.now(VIETNAM).date()


def moments(period: Period) -> tuple[datetime, datetime]:
    """The period as UTC instants, [first moment, first moment after): its days are Vietnam's days."""
    start = datetime.combine(period.start, time.min, VIETNAM)
    end = datetime.combine(period.end + timedelta(days=1), time.min, VIETNAM)
    return start.astimezone(UTC), end.astimezone(UTC)


def local_day(moment: datetime | None) -> date | None:
    """The day in Vietnam of a stored instant (naive values are UTC)."""
    if moment is None:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(VIETNAM).date()


def recent_seasons(today: date, count: int) -> list[Period]:
    """The current crop season and the ``count - 1`` before it, newest first."""
    current = current_season(today)
    return [make(SEASON, current.start.year - back, SEASON_START_MONTH) for back in range(count)]
