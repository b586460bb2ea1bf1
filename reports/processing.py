"""What processors made of the harvest: transformations by input and output product, and those outside the band.

A transformation event has input and output quantities (``event_quantities``); each event's inputs and outputs
are summed in kg in SQL first, so a merge of five lots into one kernel lot counts once, then grouped by the pair
of products. The period and commune are the event's: when and where the processing was recorded.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy import Numeric, case, cast, func, select

from core.accounts.models import Organization
from core.extensions import db
from reports import names, periods
from reports.filters import Filters
from reports.tables import CODE, COUNT, DATE, KG, RATIO, TEXT, Column, Table
from traceability.models import Batch, ErrorDeclaration, Event, EventQuantity, QuantityRole

TRANSFORM = "transform"
ANOMALIES_SHOWN = 500


def _kg(quantity, unit):
    return quantity * case((unit == "t", 1000), else_=1)


def _sides(role: QuantityRole, name: str):
    """Per transformation: its product on one side (the first, by code) and the kg on that side."""
    return (
        select(
            EventQuantity.event_id.label("event_id"),
            func.min(Batch.product).label("product"),
            func.min(Batch.commodity).label("commodity"),
            func.sum(_kg(EventQuantity.quantity, EventQuantity.unit)).label("kg"),
        )
        .join(Batch, Batch.id == EventQuantity.batch_id)
        .where(EventQuantity.role == role)
        .group_by(EventQuantity.event_id)
        .subquery(name)
    )


def _transformations(filters: Filters, *columns):
    """``columns`` of each transformation matching ``filters`` (not withdrawn), with ``inputs`` and ``outputs``."""
    inputs, outputs = _sides(QuantityRole.INPUT, "inputs"), _sides(QuantityRole.OUTPUT, "outputs")
    withdrawn = select(ErrorDeclaration.id).where(
        ErrorDeclaration.event_id == Event.id, ErrorDeclaration.reason == "did_not_occur"
    )
    ratio = case((inputs.c.kg > 0, cast(outputs.c.kg, Numeric(18, 6)) / inputs.c.kg), else_=None)
    fields = {
        "input_product": inputs.c.product,
        "output_product": outputs.c.product,
        "input_kg": inputs.c.kg,
        "output_kg": outputs.c.kg,
        "ratio": ratio,
    }
    query = (
        select(*[fields[c].label(c) if isinstance(c, str) else c for c in columns])
        .select_from(Event)
        .join(inputs, inputs.c.event_id == Event.id)
        .join(outputs, outputs.c.event_id == Event.id)
        .where(Event.operation == TRANSFORM, ~withdrawn.exists())
    )
    if filters.commodity:
        query = query.where(outputs.c.commodity == filters.commodity)
    if filters.product:
        query = query.where(outputs.c.product == filters.product)
    if filters.commune_code:
        query = query.where(Event.location_commune_code == filters.commune_code)
    if filters.period:
        start, end = periods.moments(filters.period)
        query = query.where(Event.event_time >= start, Event.event_time < end)
    return query


def processed(filters: Filters) -> Table:
    """Kg in and out by input → output product, the overall ratio, and how many were outside the band."""
    cells = _transformations(
        filters, "input_product", "output_product", "input_kg", "output_kg", Event.anomaly_reason.label("anomaly")
    ).subquery("cells")
    input_kg, output_kg = func.sum(cells.c.input_kg), func.sum(cells.c.output_kg)
    query = (
        select(
            cells.c.input_product,
            cells.c.output_product,
            input_kg.label("input_kg"),
            output_kg.label("output_kg"),
            case((input_kg > 0, cast(output_kg, Numeric(18, 6)) / input_kg), else_=None).label("ratio"),
            func.count().label("transforms"),
            func.count(cells.c.anomaly).label("outside_band"),
        )
        .group_by(cells.c.input_product, cells.c.output_product)
        .order_by(cells.c.input_product, cells.c.output_product)
    )
    rows = [
        {
            **row,
            "input_product_name": names.product(row["input_product"]),
            "output_product_name": names.product(row["output_product"]),
        }
        for row in db.session.execute(query).mappings()
    ]
    columns = [
        Column("input_product", _l("Input code"), CODE),
        Column("input_product_name", _l("Input"), TEXT),
        Column("output_product", _l("Output code"), CODE),
        Column("output_product_name", _l("Output"), TEXT),
        Column("input_kg", _l("Input (kg)"), KG),
        Column("output_kg", _l("Output (kg)"), KG),
        Column("ratio", _l("Output per kg of input"), RATIO),
        Column("transforms", _l("Transformations"), COUNT),
        Column("outside_band", _l("Outside the usual band"), COUNT),
    ]
    note = _l("Processing recorded in the period and commune chosen; certification does not apply.")
    return Table("processed", _l("Processed quantity by transformation"), columns, rows, note=note)


def anomalous_transforms(filters: Filters) -> Table:
    """Each transformation outside its product pair's conversion band, with the reason its processor gave."""
    query = (
        _transformations(
            filters,
            Event.event_time.label("time"),
            Organization.name.label("organization"),
            "input_product",
            "output_product",
            "input_kg",
            "output_kg",
            "ratio",
            Event.anomaly_reason.label("reason"),
        )
        .join(Organization, Organization.id == Event.organization_id)
        .where(Event.anomaly_reason.is_not(None))
        .order_by(Event.event_time.desc(), Event.id.desc())
        .limit(ANOMALIES_SHOWN)
    )
    rows = [
        {
            **{key: value for key, value in row.items() if key != "time"},
            "day": periods.local_day(row["time"]),
            "input_product_name": names.product(row["input_product"]),
            "output_product_name": names.product(row["output_product"]),
        }
        for row in db.session.execute(query).mappings()
    ]
    columns = [
        Column("day", _l("Date"), DATE),
        Column("organization", _l("Processor"), TEXT),
        Column("input_product_name", _l("Input"), TEXT),
        Column("output_product_name", _l("Output"), TEXT),
        Column("input_kg", _l("Input (kg)"), KG),
        Column("output_kg", _l("Output (kg)"), KG),
        Column("ratio", _l("Output per kg of input"), RATIO),
        Column("reason", _l("Reason given"), TEXT),
    ]
    note = _l("Transformations whose yield was outside the usual band for the product, newest first.")
    return Table("anomalous_transforms", _l("Transformations outside the conversion band"), columns, rows, note=note)


def corrections(filters: Filters) -> Table:
    """Records of the period that were corrected (error declarations), by what was corrected and why."""
    query = (
        select(
            Event.operation,
            ErrorDeclaration.reason,
            func.count(ErrorDeclaration.id).label("corrections"),
            func.count(func.distinct(ErrorDeclaration.organization_id)).label("organizations"),
        )
        .join(Event, Event.id == ErrorDeclaration.event_id)
        .group_by(Event.operation, ErrorDeclaration.reason)
        .order_by(Event.operation, ErrorDeclaration.reason)
    )
    if filters.period:
        start, end = periods.moments(filters.period)
        query = query.where(Event.event_time >= start, Event.event_time < end)
    if filters.commune_code:
        query = query.where(Event.location_commune_code == filters.commune_code)
    if filters.commodity or filters.product:
        touched = select(EventQuantity.event_id).join(Batch, Batch.id == EventQuantity.batch_id)
        if filters.commodity:
            touched = touched.where(Batch.commodity == filters.commodity)
        if filters.product:
            touched = touched.where(Batch.product == filters.product)
        query = query.where(Event.id.in_(touched))
    rows = [
        {
            **row,
            "operation_name": names.operation(row["operation"]),
            "reason_name": names.correction_reason(row["reason"]),
        }
        for row in db.session.execute(query).mappings()
    ]
    columns = [
        Column("operation", _l("Record code"), CODE),
        Column("operation_name", _l("Record corrected"), TEXT),
        Column("reason", _l("Reason code"), CODE),
        Column("reason_name", _l("Reason"), TEXT),
        Column("corrections", _l("Corrections"), COUNT),
        Column("organizations", _l("Organizations"), COUNT),
    ]
    note = _l("Records of the period declared wrong since; the original record stays, marked as corrected.")
    return Table("corrections", _l("Corrections"), columns, rows, note=note)
