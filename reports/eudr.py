"""EUDR readiness of the province's rubber, in SQL: the share of harvested rubber and of rubber plots ready.

The rule is the one lots and plots show (``traceability.geometry``): a plot is ready when it has a geolocation
(a polygon above 4 ha, a point or polygon below) and a no-deforestation declaration; a lot is ready when its
origin is known and every plot behind it is ready. Quantities are the rubber harvest lots of the period (the
lots a harvest made, not what processing made of them, so nothing is counted twice).
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy import Numeric, and_, case, cast, func, literal, or_, select, true, union_all

from core.extensions import db
from reports.filters import Filters
from reports.messages import EUDR_UNKNOWN_ORIGIN
from reports.tables import CODE, COUNT, KG, SHARE, TEXT, Column, Table
from traceability.geometry import (
    EUDR_POINT_MAX_HA,
    REASON_NEEDS_POLYGON,
    REASON_NO_DECLARATION,
    REASON_NO_GEOMETRY,
)
from traceability.models import Batch, BatchPlot, ErrorDeclaration, Event, EventQuantity, Plot, QuantityRole

RUBBER = "rubber"
REASONS = {
    "no_geolocation": REASON_NO_GEOMETRY,
    "needs_polygon": REASON_NEEDS_POLYGON,
    "no_declaration": REASON_NO_DECLARATION,
    "unknown_origin": EUDR_UNKNOWN_ORIGIN,
}


def _no_geolocation():
    return Plot.geometry_type.is_(None)


def _needs_polygon():
    return and_(Plot.geometry_type == "Point", Plot.area_ha > EUDR_POINT_MAX_HA)


def _plot_ready():
    return and_(~_no_geolocation(), ~_needs_polygon(), Plot.deforestation_free.is_(True))


def _kg(quantity, unit):
    return quantity * case((unit == "t", 1000), else_=1)


def _harvest_lots(filters: Filters):
    """Rubber lots made by harvests (not withdrawn) in the period, of the product and from the commune chosen."""
    withdrawn = select(ErrorDeclaration.id).where(
        ErrorDeclaration.event_id == Event.id, ErrorDeclaration.reason == "did_not_occur"
    )
    query = (
        select(Batch.id)
        .join(EventQuantity, and_(EventQuantity.batch_id == Batch.id, EventQuantity.role == QuantityRole.OUTPUT))
        .join(Event, Event.id == EventQuantity.event_id)
        .where(Event.operation == "harvest", ~withdrawn.exists(), Batch.commodity == RUBBER)
    )
    if filters.product:
        query = query.where(Batch.product == filters.product)
    if filters.period:
        query = query.where(Batch.harvest_end.between(filters.period.start, filters.period.end))
    if filters.commune_code:
        here = select(BatchPlot.id).join(Plot, Plot.id == BatchPlot.plot_id)
        query = query.where(
            here.where(BatchPlot.batch_id == Batch.id, Plot.commune_code == filters.commune_code).exists()
        )
    return query


def _rubber_plots(filters: Filters):
    """Plots behind those lots (the commune filter narrows the plots too)."""
    query = (
        select(BatchPlot.plot_id)
        .join(Plot, Plot.id == BatchPlot.plot_id)
        .where(BatchPlot.batch_id.in_(_harvest_lots(filters)))
    )
    if filters.commune_code:
        query = query.where(Plot.commune_code == filters.commune_code)
    return query


def _applies(filters: Filters) -> bool:
    return filters.commodity in (None, RUBBER)


def readiness(filters: Filters) -> Table:
    """Rubber harvest lots and plots: how many, how much, and the share that is EUDR-ready."""
    columns = [
        Column("lots", _l("Harvest lots"), COUNT),
        Column("ready_lots", _l("Lots EUDR-ready"), COUNT),
        Column("quantity_kg", _l("Harvested rubber (kg)"), KG),
        Column("ready_quantity_kg", _l("EUDR-ready rubber (kg)"), KG),
        Column("quantity_share", _l("Share of quantity ready"), SHARE),
        Column("plots", _l("Plots"), COUNT),
        Column("ready_plots", _l("Plots EUDR-ready"), COUNT),
        Column("plots_share", _l("Share of plots ready"), SHARE),
    ]
    title = _l("EUDR readiness of rubber")
    note = _l("Rubber harvested in the period; a lot is ready when its origin is known and all its plots are ready.")
    if not _applies(filters):
        return Table("eudr_rubber", title, columns, [], note=_l("The EUDR applies to rubber only."))
    not_ready_plot = (
        select(BatchPlot.id)
        .join(Plot, Plot.id == BatchPlot.plot_id)
        .where(BatchPlot.batch_id == Batch.id, ~_plot_ready())
        .exists()
    )
    has_plot = select(BatchPlot.id).where(BatchPlot.batch_id == Batch.id).exists()
    lot_ready = and_(Batch.unknown_origin.is_(False), has_plot, ~not_ready_plot)
    kg = _kg(Batch.initial_quantity, Batch.unit)

    def share(ready, total):
        return case((total > 0, cast(ready, Numeric(18, 6)) / total), else_=None)

    ready_kg = func.coalesce(func.sum(case((lot_ready, kg), else_=0)), 0)
    total_kg = func.coalesce(func.sum(kg), 0)
    lots = (
        select(
            func.count(Batch.id).label("lots"),
            func.coalesce(func.sum(case((lot_ready, 1), else_=0)), 0).label("ready_lots"),
            total_kg.label("quantity_kg"),
            ready_kg.label("ready_quantity_kg"),
            share(ready_kg, total_kg).label("quantity_share"),
        )
        .where(Batch.id.in_(_harvest_lots(filters)))
        .subquery("lots")
    )
    ready_plots = func.coalesce(func.sum(case((_plot_ready(), 1), else_=0)), 0)
    plots = (
        select(
            func.count(Plot.id).label("plots"),
            ready_plots.label("ready_plots"),
            share(ready_plots, func.count(Plot.id)).label("plots_share"),
        )
        .where(Plot.id.in_(_rubber_plots(filters)))
        .subquery("plots")
    )
    rows = [dict(row) for row in db.session.execute(select(lots, plots).join_from(lots, plots, true())).mappings()]
    return Table("eudr_rubber", title, columns, rows, note=note)


def reasons(filters: Filters) -> Table:
    """Why rubber is not ready: plots missing each requirement, and lots of partly unknown origin."""
    columns = [
        Column("reason", _l("Reason code"), CODE),
        Column("reason_name", _l("Reason"), TEXT),
        Column("count", _l("Plots or lots"), COUNT),
        Column("quantity_kg", _l("Rubber affected (kg)"), KG),
    ]
    title = _l("Main reasons rubber is not EUDR-ready")
    if not _applies(filters):
        return Table("eudr_reasons", title, columns, [], note=_l("The EUDR applies to rubber only."))
    plots = select(Plot.id).where(Plot.id.in_(_rubber_plots(filters)))
    lots = _harvest_lots(filters)
    kg = _kg(Batch.initial_quantity, Batch.unit)

    def plots_where(code: str, condition):
        # The rubber affected: lots of the period with at least one plot missing this.
        affected = (
            select(func.coalesce(func.sum(kg), 0))
            .where(
                Batch.id.in_(lots),
                select(BatchPlot.id)
                .join(Plot, Plot.id == BatchPlot.plot_id)
                .where(BatchPlot.batch_id == Batch.id, condition)
                .exists(),
            )
            .scalar_subquery()
        )
        return plots.with_only_columns(
            literal(code).label("reason"), func.count(Plot.id).label("count"), affected.label("quantity_kg")
        ).where(condition)

    query = union_all(
        plots_where("no_geolocation", _no_geolocation()),
        plots_where("needs_polygon", _needs_polygon()),
        plots_where("no_declaration", or_(Plot.deforestation_free.is_(False), Plot.deforestation_free.is_(None))),
        select(
            literal("unknown_origin").label("reason"),
            func.count(Batch.id).label("count"),
            func.coalesce(func.sum(kg), 0).label("quantity_kg"),
        ).where(Batch.id.in_(lots), Batch.unknown_origin.is_(True)),
    )
    ordered = query.subquery("reasons")
    found = select(ordered).where(ordered.c.count > 0).order_by(ordered.c.count.desc(), ordered.c.reason)
    rows = [{**row, "reason_name": REASONS[row["reason"]]} for row in db.session.execute(found).mappings()]
    note = _l("A plot may miss more than one requirement; a lot with several such plots counts under each.")
    return Table("eudr_reasons", title, columns, rows, note=note)
