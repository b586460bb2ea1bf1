"""Corrections: history is never edited; an error declaration points at the events that correct it.

Following EPCIS 2.0, the wrong event stays in the log exactly as it was (its hash
still verifies) and an ``ErrorDeclaration`` row says why it is wrong
(``did_not_occur`` or ``incorrect_data``) and which corrective events replace it.

Quantities follow from events, so a correction that changes a quantity records a
corrective ObjectEvent (bizStep ``stock_taking``: the quantity is reconciled)
that moves the difference:

- a harvest that did not occur: the corrective event takes out everything the lot
  holds (DELETE, ``decommissioning``); only possible while nothing was taken from it;
- a harvest of the wrong quantity (``incorrect_data`` with ``quantity``): the
  corrective event adds or takes the difference, and the lot's initial quantity
  becomes the corrected one;
- a process step that lost weight but did not occur: the loss is given back.

Splits, merges, transformations and shipments made other lots and moved custody;
they cannot be declared as not having occurred (409) — correct the lots they made
instead. Any event may be declared ``incorrect_data`` with a corrective step.
"""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import select

from core.accounts.models import User
from core.errors import Conflict, NotFound, PermissionDenied, ValidationError
from core.extensions import db
from traceability.errors import BatchNotActiveError
from traceability.messages import (
    ALREADY_CORRECTED,
    ALREADY_USED,
    CANNOT_UNDO_OPERATION,
    NO_SUCH_EVENT,
    ONLY_HARVEST_QUANTITY,
    ONLY_RECORDER_CORRECTS,
    QUANTITY_NOT_CORRECTABLE,
    SAY_WHICH_LOT,
    UNKNOWN_REASON,
    USE_ONE_OF,
    WHICH_LOT,
)
from traceability.models import Batch, BatchStatus, ErrorDeclaration, Event, EventQuantity, EventType, QuantityRole
from traceability.services import event_input, ledger
from traceability.services.access import Reader, check_actable
from traceability.services.batches import mark_consumed_if_empty, record_step

REASONS = ("did_not_occur", "incorrect_data")
UNDOABLE = ("harvest", "process")
CORRECTIVE_FIELDS = ("step", "event_time", "disposition", "location", "measurements", "note", "photos")


def _visible_event(reader: Reader, event_id: int) -> Event:
    event = db.session.get(Event, event_id)
    if event is None or not (reader.sees_all or event.organization_id in reader.organization_ids):
        raise NotFound(NO_SUCH_EVENT)
    if event.organization_id not in reader.organization_ids:
        raise PermissionDenied(ONLY_RECORDER_CORRECTS)
    return event


def _adjust(user: User, batch: Batch, original: Event, role: QuantityRole, amount: Decimal, **fields) -> Event:
    return ledger.append_event(
        type=EventType.OBJECT,
        operation="correct",
        organization_id=batch.custodian_id,
        user_id=user.id,
        movements=[ledger.Movement(batch, role, amount)],
        extra={"corrects": original.event_uuid},
        **fields,
    )


def correct(
    user: User,
    event_id: int,
    *,
    reason: str,
    note: str | None = None,
    corrective: dict | None = None,
    quantity: Decimal | None = None,
) -> tuple[ErrorDeclaration, list[Event]]:
    """Declare event ``event_id`` wrong, recording the corrective events; returns the declaration and them."""
    reader = Reader(user)
    original = _visible_event(reader, event_id)
    if reason not in REASONS:
        raise ValidationError(UNKNOWN_REASON, errors={"reason": [USE_ONE_OF(choices=", ".join(REASONS))]})
    lines = (
        db.session.execute(
            select(EventQuantity).where(EventQuantity.event_id == original.id).order_by(EventQuantity.id)
        )
        .scalars()
        .all()
    )
    locked = ledger.lock_batches(line.batch_id for line in lines)
    _refuse_uncorrectable(original, reason, quantity)

    only = locked[lines[0].batch_id] if len({line.batch_id for line in lines}) == 1 else None
    corrective_events: list[Event] = []
    if corrective:
        corrective_events.append(_corrective_step(user, original, corrective, only))
    line = lines[0] if only is not None else None
    if reason == "did_not_occur" and line is not None and line.role is not QuantityRole.OBSERVED:
        check_actable(reader, only)
        corrective_events.append(_undo(user, original, only, line))
    elif quantity not in (None, ""):
        check_actable(reader, only)
        corrective_events.extend(_correct_quantity(user, original, only, line, event_input.quantity(quantity)))

    declaration = ErrorDeclaration(
        event_id=original.id,
        reason=reason,
        note=(note or "").strip() or None,
        corrective_event_ids=[e.id for e in corrective_events],
        declared_by_id=user.id,
        organization_id=original.organization_id,
    )
    db.session.add(declaration)
    db.session.commit()
    return declaration, corrective_events


def _refuse_uncorrectable(original: Event, reason: str, quantity: Decimal | None) -> None:
    """409 for an event already corrected or one that cannot be undone; 422 for a quantity given where none fits."""
    if db.session.scalar(select(ErrorDeclaration.id).where(ErrorDeclaration.event_id == original.id)) is not None:
        raise Conflict(ALREADY_CORRECTED)
    if reason == "did_not_occur" and original.operation not in UNDOABLE:
        raise Conflict(CANNOT_UNDO_OPERATION(operation=original.operation))
    if quantity not in (None, "") and (original.operation != "harvest" or reason != "incorrect_data"):
        raise ValidationError(QUANTITY_NOT_CORRECTABLE, errors={"quantity": [ONLY_HARVEST_QUANTITY]})


def _corrective_step(user: User, original: Event, corrective: dict, only: Batch | None) -> Event:
    """The process step recorded as the correction, its field errors under ``corrective.``."""
    target = corrective.get("batch_code") or (only.code if only else None)
    if target is None:
        raise ValidationError(WHICH_LOT, errors={"corrective.batch_code": [SAY_WHICH_LOT]})
    fields = {key: corrective.get(key) for key in CORRECTIVE_FIELDS}
    try:
        return record_step(
            user, target, operation="process", extra={"corrects": original.event_uuid}, commit=False, **fields
        )
    except ValidationError as error:
        raise ValidationError(error.detail, errors={f"corrective.{k}": v for k, v in error.errors.items()}) from None


def _undo(user: User, original: Event, batch: Batch, line: EventQuantity) -> Event:
    """Take back what an event that did not occur moved: a harvest's whole lot, a process step's weight loss."""
    if original.operation == "harvest":
        if batch.quantity_remaining != line.quantity:
            raise BatchNotActiveError(ALREADY_USED(code=batch.code))
        event = _adjust(
            user,
            batch,
            original,
            QuantityRole.INPUT,
            batch.quantity_remaining,
            action="DELETE",
            biz_step="decommissioning",
            disposition="inactive",
        )
        batch.status = BatchStatus.CONSUMED
        return event
    return _adjust(user, batch, original, QuantityRole.OUTPUT, line.quantity, action="OBSERVE", biz_step="stock_taking")


def _correct_quantity(
    user: User, original: Event, batch: Batch, line: EventQuantity, corrected: Decimal
) -> list[Event]:
    """A harvest of the wrong quantity: the difference added or taken, and the lot's initial quantity corrected."""
    delta = corrected - line.quantity
    if delta > 0:
        batch.initial_quantity += delta
        return [_adjust(user, batch, original, QuantityRole.OUTPUT, delta, action="OBSERVE", biz_step="stock_taking")]
    if delta < 0:
        event = _adjust(user, batch, original, QuantityRole.INPUT, -delta, action="OBSERVE", biz_step="stock_taking")
        batch.initial_quantity += delta
        mark_consumed_if_empty(batch)
        return [event]
    return []
