"""Supply reports for the department: what was harvested, where and when, from the harvest rollup.

``harvested(filters, group_by, interval)`` sums the rollup in SQL by any of commodity, product, commune and
period (months grouped into quarters, years or crop seasons with integer arithmetic on ``ym``), counting the
distinct producers behind each figure. Rows carry codes, names and the period's first and last day.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from flask_babel import lazy_gettext as _l
from sqlalchemy import Numeric, String, and_, case, cast, func, literal, select, union_all
from sqlalchemy.orm import aliased

from core.errors import ValidationError
from core.extensions import db
from reports import names, periods, rollup
from reports.filters import ANY, CERTIFICATIONS, Filters
from reports.messages import FILTERS_INVALID, GROUP_BY_UNKNOWN, INTERVAL_UNKNOWN
from reports.models import HarvestRollup
from reports.tables import CODE, COUNT, DATE, HA, KG, PERIOD, SHARE, TEXT, Column, Table
from traceability.models import Certificate, CertificatePlot, CertificateType, Plot, VerificationState

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


_EVERY = object()


def filtered(query, filters: Filters, *, certification=_EVERY):
    """``query`` of the rollup narrowed to ``filters``; ``certification=None`` leaves the rollup's copies unfiltered."""
    if certification is _EVERY:
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
    # Producers are counted by summing per producer first, then counting those rows: a hash aggregate twice,
    # where COUNT(DISTINCT producer_id) made PostgreSQL sort the whole season's cells.
    per_producer = filtered(
        select(
            *[keys[g].label(f"g_{g}") for g in groups],
            func.sum(R.quantity_kg).label("quantity_kg"),
            func.sum(R.lots).label("lots"),
        ),
        filters,
    )
    per_producer = per_producer.group_by(*[keys[g] for g in groups], R.producer_id).subquery("per_producer")
    selected = [per_producer.c[f"g_{g}"] for g in groups]
    query = select(
        *selected,
        func.sum(per_producer.c.quantity_kg).label("quantity_kg"),
        func.sum(per_producer.c.lots).label("lots"),
        func.count().label("producers"),
    )
    if selected:
        query = query.group_by(*selected).order_by(*selected)
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


def _plots(filters: Filters):
    """Plots matching the commodity (a crop grown there) and commune filters: the registry as it stands."""
    query = select(Plot.id).where(Plot.commune_code.is_not(None))
    if filters.commodity:
        # ``crops`` is a JSON list of commodity codes on both backends; its text holds the quoted code.
        query = query.where(cast(Plot.crops, String).like(f'%"{filters.commodity}"%'))
    if filters.commune_code:
        query = query.where(Plot.commune_code == filters.commune_code)
    return query


def reference_day(filters: Filters, today) -> date:
    """The day certificates must be valid on: the period's last day, or today when the period is not over."""
    if filters.period is None or filters.period.end >= today:
        return today
    return filters.period.end


def _covered(plot_id, day: date, certification: str | None):
    link = aliased(CertificatePlot)
    condition = and_(
        link.plot_id == plot_id,
        Certificate.valid_from <= day,
        Certificate.valid_to >= day,
        Certificate.verification != VerificationState.REJECTED,
    )
    if certification and certification != ANY:
        condition = and_(condition, Certificate.type == CertificateType(certification))
    return select(link.id).join(Certificate, Certificate.id == link.certificate_id).where(condition).exists()


def plots_by_commune(filters: Filters, *, today: date) -> Table:
    """Plots, their area and the producers holding them, by commune (certified ones only, with that filter)."""
    query = select(
        Plot.commune_code,
        func.count(Plot.id).label("plots"),
        func.sum(Plot.area_ha).label("area_ha"),
        func.count(func.distinct(Plot.organization_id)).label("producers"),
        func.count(Plot.growing_area_code).label("with_growing_area_code"),
    ).where(Plot.id.in_(_plots(filters)))
    if filters.certification:
        query = query.where(_covered(Plot.id, reference_day(filters, today), filters.certification))
    query = query.group_by(Plot.commune_code).order_by(Plot.commune_code)
    rows = [{**row, "commune": names.commune(row["commune_code"])} for row in db.session.execute(query).mappings()]
    columns = [
        Column("commune_code", _l("Commune code"), CODE),
        Column("commune", _l("Commune"), TEXT),
        Column("plots", _l("Plots"), COUNT),
        Column("area_ha", _l("Area (ha)"), HA),
        Column("producers", _l("Producers"), COUNT),
        Column("with_growing_area_code", _l("With a growing area code"), COUNT),
    ]
    note = _l("Plots registered today where the commodity is grown; the period does not apply.")
    return Table("plots_by_commune", _l("Plots, area and producers by commune"), columns, rows, note=note)


def certified_area(filters: Filters, *, today: date) -> Table:
    """Area covered by a valid certificate of each type (and by any), and its share of all the plots' area."""
    day = reference_day(filters, today)
    plots = _plots(filters).subquery("matching")
    total = select(func.coalesce(func.sum(Plot.area_ha), 0)).where(Plot.id.in_(select(plots.c.id))).scalar_subquery()
    parts = []
    for certification in CERTIFICATIONS:
        area = func.coalesce(func.sum(Plot.area_ha), 0)
        parts.append(
            select(
                literal(certification).label("certification"),
                area.label("area_ha"),
                case((total > 0, cast(area, Numeric(18, 6)) / total), else_=None).label("share"),
            ).where(Plot.id.in_(select(plots.c.id)), _covered(Plot.id, day, certification))
        )
    query = union_all(*parts)
    rows = [
        {**row, "certification_name": names.certification(row["certification"])}
        for row in db.session.execute(query).mappings()
    ]
    columns = [
        Column("certification", _l("Certification code"), CODE),
        Column("certification_name", _l("Certification"), TEXT),
        Column("area_ha", _l("Certified area (ha)"), HA),
        Column("share", _l("Share of area"), SHARE),
    ]
    note = _l("Certificates valid on %(day)s and not rejected by the department.", day=day.isoformat())
    return Table("certified_area", _l("Certified share of area"), columns, rows, note=note)


def certified_quantity(filters: Filters) -> Table:
    """Harvested quantity from plots certified on the harvest day, by certificate type, and its share."""
    every = filters.without(certification=True)
    total = filtered(select(func.coalesce(func.sum(R.quantity_kg), 0)), every).scalar_subquery()
    quantity = func.sum(R.quantity_kg)
    query = (
        filtered(
            select(
                R.certification,
                quantity.label("quantity_kg"),
                case((total > 0, cast(quantity, Numeric(18, 6)) / total), else_=None).label("share"),
            ),
            every,
            certification=None,
        )
        .where(R.certification != "")
        .group_by(R.certification)
        .order_by(R.certification)
    )
    if filters.certification:
        query = query.where(R.certification == filters.certification)
    rows = [
        {**row, "certification_name": names.certification(row["certification"])}
        for row in db.session.execute(query).mappings()
    ]
    columns = [
        Column("certification", _l("Certification code"), CODE),
        Column("certification_name", _l("Certification"), TEXT),
        Column("quantity_kg", _l("Certified harvest (kg)"), KG),
        Column("share", _l("Share of the harvest"), SHARE),
    ]
    note = _l("Harvests from plots covered on the harvest day by a certificate not rejected by the department.")
    return Table(
        "certified_quantity", _l("Certified share of quantity"), columns, rows, note=note, freshness=rollup.freshness()
    )
