"""Process steps: an EPCIS ObjectEvent OBSERVE; a step that loses weight (drying) records the loss as an input taken
out of the batch — a step never adds."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from werkzeug.datastructures import FileStorage

from core.accounts.models import User
from core.errors import ValidationError
from core.extensions import db
from core.files.services import store_image
from traceability import catalog
from traceability.messages import (
    COMMODITY_NAMES,
    MEASUREMENT_NAMES,
    MEASUREMENT_NOT_FOR_COMMODITY,
    MEASUREMENT_NOT_FOR_PRODUCT,
    STEP_ADDS_WEIGHT,
    STEP_NOT_FOR_COMMODITY,
)
from traceability.models import Batch, Event, EventType, QuantityRole
from traceability.services import event_input, ledger
from traceability.services.access import lock_actable, readable_batch
from traceability.services.event_input import Errors
from traceability.step_names import step_message


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
    # Inspecting or destroying a recalled lot is recorded.
    reader, (batch,) = lock_actable(user, [code], allow_recalled=True)
    errors = Errors()
    stored_step = errors.check(lambda: event_input.biz_step(step))
    disposition = errors.check(lambda: event_input.disposition(disposition))
    when = errors.check(lambda: event_input.event_time(event_time))
    where = errors.check(lambda: event_input.location(location, reader.organization_ids)) or (None, None, None)
    measured = errors.check(lambda: catalog.validate_measurements(measurements))
    _check_commodity(batch, event_input.step_word(stored_step or ""), measured or [], errors)
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


def _check_commodity(batch: Batch, step: str, measured: list[dict], errors: Errors) -> None:
    """A step and measurements of another commodity (tapping a cashew lot, its DRC) are refused by field."""
    commodity = COMMODITY_NAMES.get(batch.commodity, batch.commodity)
    if step and not catalog.step_fits(step, batch.commodity):
        errors.add("step", STEP_NOT_FOR_COMMODITY(code=batch.code, commodity=commodity, step=step_message(step)))
    for index, item in enumerate(measured):
        kind, field = MEASUREMENT_NAMES[item["type"]], f"measurements.{index}.type"
        if not catalog.measurement_fits(item["type"], batch.commodity):
            errors.add(field, MEASUREMENT_NOT_FOR_COMMODITY(code=batch.code, commodity=commodity, kind=kind))
        elif not catalog.measurement_fits(item["type"], batch.commodity, batch.product):
            errors.add(field, MEASUREMENT_NOT_FOR_PRODUCT(code=batch.code, kind=kind))


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
