"""What the department's officers ask of the reports: each call checks the officer's role, then builds tables.

The API, the dashboard pages and the downloads call these and nothing below them, so the role is checked in
one place whatever asks. Each section is a list of ``Table`` (``reports.tables``), each with a stable ``key``;
``table(user, key, filters)`` builds one of them by its key (the downloads' file names).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from core.accounts.permissions import require_department_officer
from core.errors import NotFound
from reports import periods, supply
from reports.filters import Filters
from reports.messages import REPORT_UNKNOWN, SECTION_UNKNOWN
from reports.tables import Table

SECTIONS = ("supply", "market", "eudr", "anomalies")


def _supply_tables(filters: Filters) -> dict[str, Callable[[], Table]]:
    return {
        "harvested_over_time": lambda: supply.harvested(filters, ("commodity", "period"), periods.MONTH).renamed(
            "harvested_over_time"
        ),
        "harvested_by_commune": lambda: supply.harvested(filters, ("commodity", "commune")).renamed(
            "harvested_by_commune"
        ),
        "harvested": lambda: supply.harvested(filters),
    }


BUILDERS: dict[str, Callable[[Filters], dict[str, Callable[[], Table]]]] = {
    "supply": _supply_tables,
}


def section(user, name: str, filters: Filters) -> list[Table]:
    """Every table of one dashboard section (``SECTIONS``), for a department officer."""
    require_department_officer(user)
    builders = BUILDERS.get(name)
    if builders is None:
        raise NotFound(SECTION_UNKNOWN(value=name))
    return [build() for build in builders(filters).values()]


def table(user, key: str, filters: Filters) -> Table:
    """One table by its key, for a department officer; NotFound for an unknown key."""
    require_department_officer(user)
    for builders in BUILDERS.values():
        found = builders(filters).get(key)
        if found is not None:
            return found()
    raise NotFound(REPORT_UNKNOWN(value=key))


def supply_report(
    user, filters: Filters, group_by: Sequence[str] = supply.DEFAULT_GROUPS, interval: str = periods.MONTH
) -> Table:
    """The harvested quantity grouped as the caller asks (the API's supply report)."""
    require_department_officer(user)
    return supply.harvested(filters, group_by, interval)
