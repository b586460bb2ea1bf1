"""Batches: harvest (commissioning a lot from plots), process steps, and reading batches and their events.

A harvest is an EPCIS ObjectEvent ADD with bizStep ``commissioning`` (CBV has no
"harvesting"; commissioning covers it) whose output quantity brings the new lot
into being. A process step is an ObjectEvent OBSERVE; a step that loses weight
(drying) records the loss as an input taken out of the batch — a step never adds.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import func, or_, select
from werkzeug.datastructures import FileStorage

from core.accounts.models import User
from core.errors import ValidationError
from core.extensions import db
from core.files.services import store_image
from core.routing import MAX_ID
from traceability import catalog, identifiers
from traceability.messages import (
    CHOOSE_HARVEST_HOLDER,
    CHOOSE_HARVEST_PLOTS,
    DIFFERENT_HOLDERS,
    MAY_NOT_HARVEST_FOR,
    NO_PLOT_OF_YOURS,
    NOT_HARVESTED,
    PLOT_DOES_NOT_GROW,
    PRODUCT_OF_OTHER_COMMODITY,
    SAME_HOLDER_NEEDED,
    STEP_ADDS_WEIGHT,
    UNKNOWN_ORIGIN_HAS_NO_PLOTS,
)
from traceability.models import Batch, BatchPlot, BatchStatus, Event, EventQuantity, EventType, Plot, QuantityRole
from traceability.services import event_input, gtins, ledger
from traceability.services.access import Reader, lock_actable, readable_batch
from traceability.services.event_input import Errors

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


def _harvest_plots(reader: Reader, plot_ids: list[int], commodity: str | None, errors: Errors) -> list[Plot]:
    # A larger id names no plot, and the database could not even compare it.
    known = [i for i in plot_ids if 0 < i <= MAX_ID]
    plots = {p.id: p for p in db.session.scalars(select(Plot).where(Plot.id.in_(known)))} if known else {}
    for plot_id in plot_ids:
        plot = plots.get(plot_id)
        if plot is None or plot.organization_id not in reader.organization_ids:
            errors.add("plot_ids", NO_PLOT_OF_YOURS(id=str(plot_id)))
        elif commodity and plot.crops and commodity not in plot.crops:
            errors.add("plot_ids", PLOT_DOES_NOT_GROW(name=plot.name, commodity=commodity))
    return [plots[i] for i in plot_ids if i in plots]


@dataclass(frozen=True)
class _Harvest:
    """A harvest's fields once checked (a field that failed its check is None, and ``errors`` says why)."""

    form: catalog.Product | None
    grade: str | None
    amount: Decimal | None
    unit: str | None
    drc: Decimal | None
    period: tuple[date, date] | None
    gtin: str | None
    lot_number: str | None
    measured: list[dict] | None
    when: event_input.EventTime | None


def _checked_harvest(errors: Errors, fields: dict) -> _Harvest:
    form = errors.check(lambda: catalog.product(fields["product"]))
    commodity = fields["commodity"]
    if form is not None and not form.harvested:
        errors.add("product", NOT_HARVESTED(product=form.code))
    if form is not None and commodity and commodity != form.commodity:
        errors.add(
            "commodity", PRODUCT_OF_OTHER_COMMODITY(product=form.code, commodity=form.commodity, given=commodity)
        )
    gtin, lot_number = fields["gtin"], fields["lot_number"]
    return _Harvest(
        form=form,
        grade=errors.check(lambda: catalog.normalize_grade(form.code, fields["grade"])) if form else None,
        amount=errors.check(lambda: event_input.quantity(fields["quantity"])),
        unit=errors.check(lambda: event_input.unit(fields["unit"])),
        drc=errors.check(lambda: event_input.drc_percent(fields["drc_percent"], form)) if form else None,
        period=errors.check(
            lambda: event_input.harvest_period(fields["harvest_date"], fields["harvest_start"], fields["harvest_end"])
        ),
        gtin=errors.check(lambda: identifiers.validate_gtin(gtin)) if gtin else None,
        lot_number=errors.check(lambda: identifiers.validate_lot_number(lot_number)) if lot_number else None,
        measured=errors.check(lambda: catalog.validate_measurements(fields["measurements"])),
        when=errors.check(lambda: event_input.event_time(fields["event_time"])),
    )


def _harvest_holder(
    reader: Reader, plots: list[Plot], organization_id: int | None, harvest: _Harvest, errors: Errors
) -> int | None:
    """The organization recording the harvest: the one given, else the one farming every plot; its GTIN checked."""
    owners = {plot.organization_id for plot in plots}
    if organization_id is None and len(owners) == 1:
        organization_id = owners.pop()
    if organization_id is None:
        errors.add("organization_id", CHOOSE_HARVEST_HOLDER)
    elif organization_id not in reader.organization_ids:
        errors.add("organization_id", MAY_NOT_HARVEST_FOR)
    elif harvest.gtin:
        errors.check(lambda: gtins.check_gtin(harvest.gtin, organization_id))
    if harvest.gtin and harvest.lot_number:
        errors.check(lambda: gtins.check_lot_number(harvest.gtin, harvest.lot_number))
    return organization_id


def build_harvest(
    user: User,
    *,
    product: str,
    quantity: Decimal,
    plot_ids: list[int] | None = None,
    unit: str | None = "kg",
    commodity: str | None = None,
    grade: str | None = None,
    drc_percent: Decimal | None = None,
    organization_id: int | None = None,
    harvest_date: date | None = None,
    harvest_start: date | None = None,
    harvest_end: date | None = None,
    gtin: str | None = None,
    lot_number: str | None = None,
    note: str | None = None,
    event_time: datetime | str | None = None,
    measurements: list[dict] | None = None,
    origin_unknown: bool = False,
    reader: Reader | None = None,
) -> Batch:
    """Commission a batch from plots: checked, added and flushed, NOT committed (bulk imports commit once).

    Every field is checked and all field errors are raised together. ``origin_unknown``
    registers produce bought from outside the platform (no plots): it is never EUDR-ready.
    """
    reader = reader or Reader(user)
    errors = Errors()
    harvest = _checked_harvest(
        errors,
        {
            "product": product,
            "commodity": commodity,
            "grade": grade,
            "quantity": quantity,
            "unit": unit,
            "drc_percent": drc_percent,
            "harvest_date": harvest_date,
            "harvest_start": harvest_start,
            "harvest_end": harvest_end,
            "gtin": gtin,
            "lot_number": lot_number,
            "measurements": measurements,
            "event_time": event_time,
        },
    )
    plot_ids = list(dict.fromkeys(plot_ids or []))
    if not plot_ids and not origin_unknown:
        errors.add("plot_ids", CHOOSE_HARVEST_PLOTS)
    if plot_ids and origin_unknown:
        errors.add("plot_ids", UNKNOWN_ORIGIN_HAS_NO_PLOTS)
    plots = _harvest_plots(reader, plot_ids, harvest.form.commodity if harvest.form else None, errors)
    organization_id = _harvest_holder(reader, plots, organization_id, harvest, errors)
    errors.raise_if_any()
    if harvest.gtin:
        gtins.register(harvest.gtin, organization_id)
    return _commission(user, harvest, organization_id, plots, plot_ids, origin_unknown, note)


def _commission(
    user: User,
    harvest: _Harvest,
    organization_id: int,
    plots: list[Plot],
    plot_ids: list[int],
    origin_unknown: bool,
    note: str | None,
) -> Batch:
    """The new lot and the ObjectEvent ADD that brings its quantity into being, naming its plots and period."""
    start, end = harvest.period
    batch = new_batch(
        commodity=harvest.form.commodity,
        product=harvest.form.code,
        grade=harvest.grade,
        unit=harvest.unit,
        initial_quantity=harvest.amount,
        drc_percent=harvest.drc,
        custodian_id=organization_id,
        harvest_start=start,
        harvest_end=end,
        gtin=harvest.gtin,
        lot_number=harvest.lot_number,
        unknown_origin=origin_unknown,
        note=(note or "").strip() or None,
        created_by_id=user.id,
    )
    add_plots(batch, plot_ids)
    single = plots[0] if len(plots) == 1 else None
    ilmd = {"harvest_start": start.isoformat(), "harvest_end": end.isoformat(), "plot_ids": sorted(plot_ids)}
    if harvest.drc is not None:
        ilmd["drc_percent"] = catalog.decimal_text(harvest.drc)
    ledger.append_event(
        type=EventType.OBJECT,
        action="ADD",
        operation="harvest",
        biz_step="commissioning",
        disposition="active",
        organization_id=organization_id,
        user_id=user.id,
        movements=[ledger.Movement(batch, QuantityRole.OUTPUT, harvest.amount)],
        event_time=harvest.when.at,
        event_time_zone_offset=harvest.when.zone_offset,
        plot_id=single.id if single else None,
        location_commune_code=single.commune_code if single else None,
        measurements=harvest.measured,
        note=batch.note,
        extra={"ilmd": ilmd, **({"origin_unknown": True} if origin_unknown else {})},
    )
    return batch


def record_harvest(user: User, **fields) -> Batch:
    """``build_harvest`` in its own transaction."""
    batch = build_harvest(user, **fields)
    db.session.commit()
    return batch


def record_step(
    user: User,
    code: str,
    *,
    step: str,
    event_time: datetime | str | None = None,
    disposition: str | None = None,
    location: dict | None = None,
    measurements: list[dict] | None = None,
    note: str | None = None,
    photos: list[str] | None = None,
    quantity_after: Decimal | None = None,
    operation: str = "process",
    extra: dict | None = None,
    commit: bool = True,
) -> Event:
    """A process step on a batch (drying, grading, inspecting...): an ObjectEvent OBSERVE.

    ``quantity_after`` is the batch's weight after the step, when the step lost
    some (drying): the loss is recorded as an input taken out of the batch.
    """
    reader, (batch,) = lock_actable(
        user, [code], allow_recalled=True
    )  # inspecting or destroying a recalled lot is recorded
    errors = Errors()
    stored_step = errors.check(lambda: event_input.biz_step(step))
    disposition = errors.check(lambda: event_input.disposition(disposition))
    when = errors.check(lambda: event_input.event_time(event_time))
    where = errors.check(lambda: event_input.location(location, reader.organization_ids)) or (None, None, None)
    measured = errors.check(lambda: catalog.validate_measurements(measurements))
    pictures = errors.check(lambda: event_input.photos(photos, batch.custodian_id))
    loss = _step_loss(batch, quantity_after, errors)
    errors.raise_if_any()

    movement = (
        ledger.Movement(batch, QuantityRole.INPUT, loss)
        if loss
        else ledger.Movement(batch, QuantityRole.OBSERVED, batch.quantity_remaining)
    )
    event = ledger.append_event(
        type=EventType.OBJECT,
        action="OBSERVE",
        operation=operation,
        biz_step=stored_step,
        disposition=disposition,
        organization_id=batch.custodian_id,
        user_id=user.id,
        movements=[movement],
        event_time=when.at,
        event_time_zone_offset=when.zone_offset,
        plot_id=where[0],
        location_name=where[1],
        location_commune_code=where[2],
        measurements=measured,
        photos=pictures,
        note=(note or "").strip() or None,
        extra=extra,
    )
    if commit:
        db.session.commit()
    return event


def _step_loss(batch: Batch, quantity_after: Decimal | str | None, errors: Errors) -> Decimal:
    """What a step took out of the batch, given its weight after the step (none given: nothing was lost)."""
    if quantity_after is None or quantity_after == "":
        return Decimal(0)
    after = errors.check(lambda: event_input.quantity(quantity_after, "quantity_after"))
    if after is None:
        return Decimal(0)
    if after > batch.quantity_remaining:
        errors.add("quantity_after", STEP_ADDS_WEIGHT(code=batch.code, left=batch.quantity_remaining, unit=batch.unit))
        return Decimal(0)
    return batch.quantity_remaining - after


def record_step_with_photo(
    user: User, code: str, *, photo: FileStorage | None = None, photos: list[str] | None = None, **fields
) -> Event:
    """A step from the phone form: a photo taken with the camera is stored first, then the step refers to it.

    The stored photo's id comes back in a failed form's field error data (``photos``)
    so that a second attempt does not ask for the picture again.
    """
    photos = [p for p in (photos or []) if p]
    if photo is not None and photo.filename:
        batch = readable_batch(user, code)
        photos.append(store_image(user, batch.custodian_id, photo).public_id)
    try:
        return record_step(user, code, photos=photos, **fields)
    except ValidationError as error:
        error.extra["photos"] = photos
        raise


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
