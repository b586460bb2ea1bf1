"""Lots themselves: a new lot and its code, its origin plots, and reading the lots a user may see."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from types import SimpleNamespace

from sqlalchemy import BindParameter, bindparam, func, insert, or_, select

from core.accounts.models import User
from core.errors import ValidationError
from core.extensions import db
from traceability import identifiers
from traceability.messages import DIFFERENT_HOLDERS, SAME_HOLDER_NEEDED
from traceability.models import Batch, BatchPlot, BatchStatus, Event, EventQuantity, Plot
from traceability.services import gtins, trace_versions
from traceability.services.access import Reader, readable_batch

CODE_ATTEMPTS = 5


def unique_batch_code() -> str:
    """A fresh public code; a collision (about one in 10^11 per pair) just draws again."""
    for _ in range(CODE_ATTEMPTS):
        code = identifiers.new_batch_code()
        if db.session.scalar(select(Batch.id).where(Batch.code == code)) is None:
            return code
    raise RuntimeError("could not draw an unused batch code")


def new_batch(template: Batch | None = None, *, lot_field: str = "lot_number", **values) -> Batch:
    """A batch with nothing in it yet: the event that creates it adds its quantity (remaining = outputs - inputs).

    A lot number already taken for its GTIN (by a concurrent request: callers check first)
    is a 409 naming ``lot_field``.
    """
    inherited = {}
    if template is not None:
        inherited = {
            "commodity": template.commodity,
            "product": template.product,
            "grade": template.grade,
            "unit": template.unit,
            "drc_percent": template.drc_percent,
            "custodian_id": template.custodian_id,
            "harvest_start": template.harvest_start,
            "harvest_end": template.harvest_end,
            "unknown_origin": template.unknown_origin,
            "gtin": template.gtin,
        }
    inherited.update(values)
    batch = Batch(code=unique_batch_code(), quantity_remaining=Decimal(0), status=BatchStatus.ACTIVE, **inherited)
    db.session.add(batch)
    with gtins.unique_lot_number(lot_field):
        db.session.flush()
    return batch


def _listed(codes) -> BindParameter:
    """Codes we drew (letters and digits) for an IN list written into the statement: thousands of placeholders cost
    more to send (psycopg rewrites each in Python) than the codes themselves."""
    return bindparam("codes", sorted(codes), expanding=True, literal_execute=True)


def unique_batch_codes(count: int) -> list[str]:
    """``count`` fresh public codes, checked against the database in one query a draw (a sheet import's lots)."""
    codes: set[str] = set()
    for _ in range(CODE_ATTEMPTS):
        drawn = {identifiers.new_batch_code() for _ in range(count - len(codes))} - codes
        taken = set(db.session.scalars(select(Batch.code).where(Batch.code.in_(_listed(drawn))))) if drawn else set()
        codes |= drawn - taken
        if len(codes) == count:
            return sorted(codes)
    raise RuntimeError("could not draw unused batch codes")


def insert_new_batches(values: list[dict], plot_ids: list[list[int]]) -> list[SimpleNamespace]:
    """``new_batch`` and ``add_plots`` written with Core statements (executemany of each table), for a sheet
    import's thousands of lots: the same rows, no ORM object in the session for each.

    A lot holds nothing unless ``values`` say what (``quantity_remaining``: what its first events will leave it).
    The lots come back as plain records of what was inserted, with their ids (attributes named as ``Batch``'s, so
    that ``ledger.Movement`` takes them), not ORM objects and not in the session (so
    ``ledger.insert_events`` can write their harvest events). Nothing is flushed, so ``trace_versions`` does not
    raise their versions: a new lot starts at version 0, and the commit still tells the trace pages' memo.
    """
    codes = unique_batch_codes(len(values))
    rows = [
        {"code": code, "quantity_remaining": Decimal(0), "status": BatchStatus.ACTIVE, **fields}
        for code, fields in zip(codes, values, strict=True)
    ]
    with gtins.unique_lot_number("lot_number"):
        db.session.execute(insert(Batch.__table__), rows)
    # Read back by code rather than INSERT ... RETURNING, whose long statements cost more to send than the rows.
    found: dict[str, int] = {}
    for start in range(0, len(codes), 2000):
        chunk = codes[start : start + 2000]
        found.update(db.session.execute(select(Batch.code, Batch.id).where(Batch.code.in_(_listed(chunk)))).all())
    ids = [found[code] for code in codes]
    links = [
        {"batch_id": batch_id, "plot_id": plot_id}
        for batch_id, plots in zip(ids, plot_ids, strict=True)
        for plot_id in sorted(set(plots))
    ]
    if links:
        db.session.execute(insert(BatchPlot.__table__), links)
    trace_versions.mark_changed(db.session)
    # Plain records, not Batch instances: building 5,000 instrumented ORM objects costs more than their INSERT.
    return [SimpleNamespace(id=batch_id, **row) for batch_id, row in zip(ids, rows, strict=True)]


def add_plots(batch: Batch, plot_ids) -> None:
    for plot_id in sorted(set(plot_ids)):
        db.session.add(BatchPlot(batch_id=batch.id, plot_id=plot_id))


def plot_ids_of(batch_ids) -> dict[int, list[int]]:
    result: dict[int, list[int]] = {batch_id: [] for batch_id in batch_ids}
    rows = db.session.execute(
        select(BatchPlot.batch_id, BatchPlot.plot_id)
        .where(BatchPlot.batch_id.in_(list(result)))
        .order_by(BatchPlot.plot_id)
    )
    for batch_id, plot_id in rows:
        result[batch_id].append(plot_id)
    return result


def plots_for_harvest(user: User, organization_id: int) -> list[Plot]:
    """The organization's plots, for the harvest form (an organization the user does not act for has none here)."""
    if organization_id not in Reader(user).organization_ids:
        return []
    return list(
        db.session.scalars(select(Plot).where(Plot.organization_id == organization_id).order_by(Plot.name, Plot.id))
    )


def get_batch(user: User | None, code: str) -> Batch:
    return readable_batch(user, code)


def list_batches(
    user: User,
    *,
    commodity: str | None = None,
    product: str | None = None,
    custodian_id: int | None = None,
    harvest_from: date | None = None,
    harvest_to: date | None = None,
    include_consumed: bool = True,
    offset: int = 0,
    limit: int = 20,
) -> tuple[list[Batch], int]:
    """Batches the user may see (held, or on their way to them), newest first, with the total count."""
    reader = Reader(user)
    query = select(Batch)
    if not reader.sees_all:
        from traceability.models import Shipment, ShipmentStatus

        incoming = select(Shipment.batch_id).where(
            Shipment.status == ShipmentStatus.IN_TRANSIT, Shipment.to_organization_id.in_(reader.organization_ids)
        )
        query = query.where(or_(Batch.custodian_id.in_(reader.organization_ids), Batch.id.in_(incoming)))
    if commodity:
        query = query.where(Batch.commodity == commodity)
    if product:
        query = query.where(Batch.product == product)
    if custodian_id is not None:
        query = query.where(Batch.custodian_id == custodian_id)
    if harvest_from is not None:
        query = query.where(func.coalesce(Batch.harvest_end, Batch.harvest_start) >= harvest_from)
    if harvest_to is not None:
        query = query.where(Batch.harvest_start <= harvest_to)
    if not include_consumed:
        query = query.where(Batch.status != BatchStatus.CONSUMED)
    total = db.session.scalar(select(func.count()).select_from(query.subquery()))
    batches = db.session.scalars(
        query.order_by(Batch.created_at.desc(), Batch.id.desc()).offset(offset).limit(limit)
    ).all()
    return list(batches), total


def batch_events(user: User | None, code: str, *, offset: int = 0, limit: int = 100) -> tuple[Batch, list[Event], int]:
    """A batch's events in the order they happened (recorded order for equal times), with the total count."""
    batch = readable_batch(user, code)
    ids = select(EventQuantity.event_id).where(EventQuantity.batch_id == batch.id)
    query = select(Event).where(Event.id.in_(ids))
    total = db.session.scalar(select(func.count()).select_from(query.subquery()))
    events = db.session.scalars(query.order_by(Event.event_time, Event.id).offset(offset).limit(limit)).all()
    return batch, list(events), total


def mark_consumed_if_empty(batch: Batch) -> None:
    """After an operation took inputs: a batch with nothing left is marked consumed."""
    if batch.quantity_remaining == 0:
        batch.status = BatchStatus.CONSUMED


def require_same_custodian(batches: list[Batch], field: str) -> int:
    custodians = {batch.custodian_id for batch in batches}
    if len(custodians) != 1:
        raise ValidationError(DIFFERENT_HOLDERS, errors={field: [SAME_HOLDER_NEEDED]})
    return custodians.pop()
