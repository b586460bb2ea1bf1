"""A report is a ``Table``: named, typed columns and rows of plain values, the same for every way it is shown.

The dashboard formats the values for its reader (Vietnamese numbers and dates), the API sends them as JSON, CSV
and XLSX write them as numbers a spreadsheet can add up; each column's ``kind`` says what a value is. Labels are
lazy English msgids, read in the reader's language where they are shown.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any

TEXT = "text"  # a name, in the reader's language where it is translated
CODE = "code"  # a stable machine value (a commune's GSO code, a product code)
PERIOD = "period"  # a period code: 2026, 2026-Q1, 2026-03, 2025/26
KG = "kg"
HA = "ha"
COUNT = "count"
SHARE = "share"  # a fraction from 0 to 1, shown as a percentage
VND = "vnd"
VND_PER_KG = "vnd_per_kg"
RATIO = "ratio"  # output over input
DATE = "date"
KINDS = (TEXT, CODE, PERIOD, KG, HA, COUNT, SHARE, VND, VND_PER_KG, RATIO, DATE)
NUMERIC = frozenset({KG, HA, COUNT, SHARE, VND, VND_PER_KG, RATIO})


@dataclass(frozen=True)
class Column:
    key: str
    label: Any  # a lazy msgid
    kind: str = TEXT


@dataclass(frozen=True)
class Freshness:
    """How current a report built from a rollup is: when it was refreshed, and what was recorded since."""

    refreshed_at: datetime | None  # None: never refreshed yet
    pending: int  # harvests recorded since the refresh, not in the figures yet

    @property
    def current(self) -> bool:
        return self.refreshed_at is not None and self.pending == 0


@dataclass
class Table:
    key: str  # stable: the file name of its downloads and the anchor of its section
    title: Any  # a lazy msgid
    columns: list[Column]
    rows: list[dict[str, Any]] = field(default_factory=list)
    note: Any = None  # a lazy msgid or a Message: how the figures are made
    freshness: Freshness | None = None  # set for reports read from the rollup

    def values(self) -> Iterator[list[Any]]:
        for row in self.rows:
            yield [row.get(column.key) for column in self.columns]

    def renamed(self, key: str, title: Any = None) -> Table:
        """The same figures under another key (and title): one query shown as two reports."""
        return replace(self, key=key, title=title if title is not None else self.title)

    def column(self, key: str) -> Column:
        return next(column for column in self.columns if column.key == key)
