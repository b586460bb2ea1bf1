"""The province's open supply data: harvest by commodity, product, commune and month, in long format.

Published under CC BY 4.0 for anyone (no sign-in), from the harvest rollup. No personal data: no producer, plot
or lot is named, and every cell built from fewer than ``MIN_PRODUCERS`` producers has its values suppressed and
flagged. There are no province or period totals, so a suppressed cell cannot be worked out by subtraction.

``records(filters)`` yields the rows one at a time from a streamed query (constant memory however large the
province's history); ``count`` and ``page`` serve the paginated JSON.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from core.extensions import db
from core.geo.services import DEFAULT_PROVINCE_CODE
from reports import periods, rollup, supply
from reports.describe import value
from reports.filters import Filters
from reports.models import HarvestRollup as R
from reports.tables import COUNT, KG

MIN_PRODUCERS = 3
LICENCE = "CC-BY-4.0"
LICENCE_URL = "https://creativecommons.org/licenses/by/4.0/"
SOURCE = "nongsan"
SUPPRESSED = "suppressed"  # the flag of a cell built from fewer than MIN_PRODUCERS producers
FIELDS = (
    "commodity",
    "product",
    "province_code",
    "commune_code",
    "period_start",
    "period_end",
    "element",
    "unit",
    "value",
    "flag",
    "source",
)
# element, unit, the cell's column and its kind
ELEMENTS = (
    ("harvested_quantity", "kg", "quantity_kg", KG),
    ("harvest_lots", "lot", "lots", COUNT),
    ("producers", "producer", "producers", COUNT),
)


@dataclass(frozen=True)
class Dataset:
    key: str
    title: Any
    description: Any
    json_endpoint: str
    csv_endpoint: str


SUPPLY = Dataset(
    "supply",
    _l("Harvested supply by commune and month"),
    _l(
        "Harvested quantity (kg), harvest lots and producers for each commodity, product form, commune and month, "
        "from the harvests farmers and co-operatives record. A harvest from several plots is shared among them by "
        "area. Cells from fewer than 3 producers are suppressed."
    ),
    "reports_open_data.Supply",
    "reports_open_data.SupplyCsv",
)
DATASETS = (SUPPLY,)


def _cells(filters: Filters):
    query = select(
        R.commodity,
        R.product,
        R.commune_code,
        R.ym,
        func.sum(R.quantity_kg).label("quantity_kg"),
        func.sum(R.lots).label("lots"),
        func.count(func.distinct(R.producer_id)).label("producers"),
    )
    # Every harvest, whatever its certification: the same narrowing as the department's supply report.
    query = supply.filtered(query, filters.without(certification=True))
    keys = (R.commodity, R.product, R.commune_code, R.ym)
    return query.group_by(*keys).order_by(R.ym, R.commodity, R.product, R.commune_code)


def _records(cell) -> list[dict[str, Any]]:
    month = periods.of_ym(periods.MONTH, int(cell.ym))
    hidden = cell.producers < MIN_PRODUCERS
    return [
        {
            "commodity": cell.commodity,
            "product": cell.product,
            "province_code": DEFAULT_PROVINCE_CODE,
            "commune_code": cell.commune_code,
            "period_start": month.start,
            "period_end": month.end,
            "element": element,
            "unit": unit,
            "value": None if hidden else value(kind, getattr(cell, column)),
            "flag": SUPPRESSED if hidden else None,
            "source": SOURCE,
        }
        for element, unit, column, kind in ELEMENTS
    ]


def records(filters: Filters) -> Iterator[dict[str, Any]]:
    """Every record, streamed from the database (a server-side cursor where the driver has one)."""
    result = db.session.execute(_cells(filters).execution_options(yield_per=1000))
    for cell in result:
        yield from _records(cell)


def count(filters: Filters) -> int:
    return db.session.scalar(select(func.count()).select_from(_cells(filters).order_by(None).subquery())) * len(
        ELEMENTS
    )


def page(filters: Filters, first: int, size: int) -> list[dict[str, Any]]:
    """Records ``first`` to ``first + size`` (whole cells are fetched, the records cut to the page)."""
    per = len(ELEMENTS)
    cells = db.session.execute(_cells(filters).offset(first // per).limit(-(-(first % per + size) // per))).all()
    found = [record for cell in cells for record in _records(cell)]
    return found[first % per : first % per + size]


def updated_at() -> datetime | None:
    """When the figures were last refreshed (the dataset's update time)."""
    return rollup.freshness().refreshed_at
