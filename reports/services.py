"""What the department's officers ask of the reports: each call checks the officer's role, then builds tables.

The API, the dashboard pages and the downloads call these and nothing below them, so the role is checked in
one place whatever asks. Each section is a list of ``Table`` (``reports.tables``), each with a stable ``key``;
``table(user, key, filters)`` builds one of them by its key (the downloads' file names).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from flask_babel import lazy_gettext as _l

from core.accounts.permissions import require_department_officer
from core.errors import NotFound
from core.extensions import db
from core.tasks import send_task
from reports import eudr, market, periods, processing, supply
from reports import plot_map as plot_map_drawing
from reports.filters import Filters
from reports.messages import REPORT_UNKNOWN, SECTION_UNKNOWN
from reports.tables import Table

SECTIONS = ("supply", "market", "eudr", "anomalies")


def _supply_tables(filters: Filters) -> dict[str, Callable[[], Table]]:
    today = periods.today()
    return {
        "harvested_over_time": lambda: supply.harvested(filters, ("commodity", "period"), periods.MONTH).renamed(
            "harvested_over_time", _l("Harvested quantity by month")
        ),
        "harvested_by_commune": lambda: supply.harvested(filters, ("commodity", "commune")).renamed(
            "harvested_by_commune", _l("Harvested quantity by commune")
        ),
        "harvested": lambda: supply.harvested(filters),
        "processed": lambda: processing.processed(filters),
        "plots_by_commune": lambda: supply.plots_by_commune(filters, today=today),
        "certified_area": lambda: supply.certified_area(filters, today=today),
        "certified_quantity": lambda: supply.certified_quantity(filters),
    }


def _market_tables(filters: Filters) -> dict[str, Callable[[], Table]]:
    return {"market_sales": lambda: market.sales(filters), "market_orders": lambda: market.orders_by_status(filters)}


def _eudr_tables(filters: Filters) -> dict[str, Callable[[], Table]]:
    return {"eudr_rubber": lambda: eudr.readiness(filters), "eudr_reasons": lambda: eudr.reasons(filters)}


def _anomaly_tables(filters: Filters) -> dict[str, Callable[[], Table]]:
    return {
        "anomalous_transforms": lambda: processing.anomalous_transforms(filters),
        "corrections": lambda: processing.corrections(filters),
    }


BUILDERS: dict[str, Callable[[Filters], dict[str, Callable[[], Table]]]] = {
    "supply": _supply_tables,
    "market": _market_tables,
    "eudr": _eudr_tables,
    "anomalies": _anomaly_tables,
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


def market_report(user, filters: Filters) -> list[Table]:
    """Marketplace sales by commodity, product and grade, and orders by status (the API's market report)."""
    return section(user, "market", filters)


def eudr_report(user, filters: Filters) -> list[Table]:
    """EUDR readiness of rubber and the reasons it fails (the API's EUDR report)."""
    return section(user, "eudr", filters)


def request_refresh(user) -> None:
    """Rebuild the harvest rollup now (department officers only), in the worker."""
    require_department_officer(user)
    # End the read transaction first: the task opens its own, and SQLite lets one writer in at a time.
    db.session.commit()
    send_task("reports.refresh_rollup", force=True)


def plot_map(user, filters: Filters):
    """The plots' points by commune as an SVG scatter (None when no plot is located), for a department officer."""
    require_department_officer(user)
    return plot_map_drawing.chart(filters)
