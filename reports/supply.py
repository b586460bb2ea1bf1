"""Supply reports for the department: what was harvested, where and when, from the harvest rollup.

``harvested(filters, group_by, interval)`` sums the rollup in SQL by any of commodity, product, commune and
period (months grouped into quarters, years or crop seasons with integer arithmetic on ``ym``), counting the
distinct producers behind each figure. Rows carry codes, names and the period's first and last day.
"""

from __future__ import annotations

from collections.abc import Sequence

from flask_babel import lazy_gettext as _l
from sqlalchemy import case, func, select

from core.errors import ValidationError
from core.extensions import db
from reports import names, periods, rollup
from reports.filters import Filters
from reports.messages import FILTERS_INVALID, GROUP_BY_UNKNOWN, INTERVAL_UNKNOWN
from reports.models import HarvestRollup
from reports.tables import CODE, COUNT, DATE, KG, PERIOD, TEXT, Column, Table

GROUPS = ("commodity", "product", "commune", "period")
DEFAULT_GROUPS = ("commodity", "commune", "period")
R = HarvestRollup


def period_start(interval: str):
    """The ``ym`` of the first month of the period of ``interval`` that holds each row's month."""
    year, month = R.ym // 100, R.ym % 100
    if interval == periods.MONTH:
        return R.ym
    if interval == periods.QUARTER:
        return year * 100 + (month - 1) // 3 * 3 + 1
    if interval == periods.YEAR:
        return year * 100 + 1
    start = periods.SEASON_START_MONTH
    return case((month >= start, year * 100 + start), else_=(year - 1) * 100 + start)


def check_grouping(group_by: Sequence[str], interval: str) -> tuple[str, ...]:
    groups = tuple(dict.fromkeys(group_by))
    errors = {}
    unknown = [g for g in groups if g not in GROUPS]
    if unknown:
        errors["group_by"] = [GROUP_BY_UNKNOWN(value=unknown[0], allowed=", ".join(GROUPS))]
    if interval not in periods.INTERVALS:
        errors["interval"] = [INTERVAL_UNKNOWN]
    if errors:
        raise ValidationError(FILTERS_INVALID, errors=errors)
    return groups


def filtered(query, filters: Filters):
    query = query.where(R.certification == (filters.certification or ""))
    if filters.commodity:
        query = query.where(R.commodity == filters.commodity)
    if filters.product:
        query = query.where(R.product == filters.product)
    if filters.commune_code:
        query = query.where(R.commune_code == filters.commune_code)
    if filters.period:
        query = query.where(R.ym.between(filters.period.first_ym, filters.period.last_ym))
    return query


def harvested(filters: Filters, group_by: Sequence[str] = DEFAULT_GROUPS, interval: str = periods.MONTH) -> Table:
    """Harvested quantity (kg), harvest lots and producers, grouped by ``group_by``."""
    groups = check_grouping(group_by, interval)
    keys = {
        "commodity": R.commodity,
        "product": R.product,
        "commune": R.commune_code,
        "period": period_start(interval).label("period_ym"),
    }
    selected = [keys[g].label(f"g_{g}") for g in groups]
    query = select(
        *selected,
        func.sum(R.quantity_kg).label("quantity_kg"),
        func.sum(R.lots).label("lots"),
        func.count(func.distinct(R.producer_id)).label("producers"),
    )
    query = filtered(query, filters)
    if selected:
        query = query.group_by(*[keys[g] for g in groups]).order_by(*[keys[g] for g in groups])
    columns: list[Column] = []
    if "period" in groups:
        columns += [
            Column("period", _l("Period"), PERIOD),
            Column("period_start", _l("From"), DATE),
            Column("period_end", _l("To"), DATE),
        ]
    if "commodity" in groups:
        columns += [Column("commodity", _l("Commodity code"), CODE), Column("commodity_name", _l("Commodity"), TEXT)]
    if "product" in groups:
        columns += [Column("product", _l("Product code"), CODE), Column("product_name", _l("Product"), TEXT)]
    if "commune" in groups:
        columns += [Column("commune_code", _l("Commune code"), CODE), Column("commune", _l("Commune"), TEXT)]
    columns += [
        Column("quantity_kg", _l("Harvested (kg)"), KG),
        Column("lots", _l("Harvest lots"), COUNT),
        Column("producers", _l("Producers"), COUNT),
    ]
    rows = []
    for found in db.session.execute(query).mappings():
        row = {"quantity_kg": found["quantity_kg"] or 0, "lots": found["lots"] or 0, "producers": found["producers"]}
        if "period" in groups:
            period = periods.of_ym(interval, int(found["g_period"]))
            row.update(period=period.code, period_start=period.start, period_end=period.end)
        if "commodity" in groups:
            row.update(commodity=found["g_commodity"], commodity_name=names.commodity(found["g_commodity"]))
        if "product" in groups:
            row.update(product=found["g_product"], product_name=names.product(found["g_product"]))
        if "commune" in groups:
            row.update(commune_code=found["g_commune"], commune=names.commune(found["g_commune"]))
        rows.append(row)
    return Table(
        "harvested",
        _l("Harvested quantity"),
        columns,
        rows,
        note=_l(
            "A harvest from several plots is shared among them by area; lots declared never harvested are left out."
        ),
        freshness=rollup.freshness(),
    )
