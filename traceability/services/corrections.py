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
from traceability.models import Batch, BatchStatus, ErrorDeclaration, Event, EventQuantity, EventType, QuantityRole
from traceability.services import event_input, ledger
from traceability.services.access import Reader, check_actable
from traceability.services.batches import mark_consumed_if_empty, record_step

REASONS = ("did_not_occur", "incorrect_data")
UNDOABLE = ("harvest", "process")


def _visible_event(reader: Reader, event_id: int) -> Event:
    event = db.session.get(Event, event_id)
    if event is None or not (reader.sees_all or event.organization_id in reader.organization_ids):
        raise NotFound("No such event that you may see.")
    if event.organization_id not in reader.organization_ids:
        raise PermissionDenied("Only the organization that recorded an event may correct it.")
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
        raise ValidationError("Unknown reason.", errors={"reason": [f"Use one of: {', '.join(REASONS)}."]})
    lines = (
        db.session.execute(
            select(EventQuantity).where(EventQuantity.event_id == original.id).order_by(EventQuantity.id)
        )
        .scalars()
        .all()
    )
    locked = ledger.lock_batches(line.batch_id for line in lines)
    if db.session.scalar(select(ErrorDeclaration.id).where(ErrorDeclaration.event_id == original.id)) is not None:
        raise Conflict("This event was already corrected.")
    if reason == "did_not_occur" and original.operation not in UNDOABLE:
        raise Conflict(
            f"A {original.operation} made other lots or moved custody and cannot be declared as not having "
            "occurred; correct the lots it made instead."
        )
    if quantity not in (None, "") and (original.operation != "harvest" or reason != "incorrect_data"):
        raise ValidationError(
            "Quantity not correctable here.",
            errors={"quantity": ["Only a harvest's quantity is corrected this way (reason incorrect_data)."]},
        )

    only = locked[lines[0].batch_id] if len({line.batch_id for line in lines}) == 1 else None
    corrective_events: list[Event] = []
    if corrective:
        target = corrective.get("batch_code") or (only.code if only else None)
        if target is None:
            raise ValidationError(
                "Which lot?",
                errors={
                    "corrective.batch_code": [
                        "This event touched several lots; say which one the corrective step is for."
                    ]
                },
            )
        fields = {
            k: corrective.get(k)
            for k in ("step", "event_time", "disposition", "location", "measurements", "note", "photos")
        }
        try:
            corrective_events.append(
                record_step(
                    user, target, operation="process", extra={"corrects": original.event_uuid}, commit=False, **fields
                )
            )
        except ValidationError as error:
            raise ValidationError(
                error.detail, errors={f"corrective.{k}": v for k, v in error.errors.items()}
            ) from None

    line = lines[0] if only is not None else None
    if reason == "did_not_occur" and line is not None and line.role is not QuantityRole.OBSERVED:
        check_actable(reader, only)
        if original.operation == "harvest":
            if only.quantity_remaining != line.quantity:
                raise BatchNotActiveError(
                    f"Some of batch {only.code} was already used; correct what was made from it first."
                )
            corrective_events.append(
                _adjust(
                    user,
                    only,
                    original,
                    QuantityRole.INPUT,
                    only.quantity_remaining,
                    action="DELETE",
                    biz_step="decommissioning",
                    disposition="inactive",
                )
            )
            only.status = BatchStatus.CONSUMED
        else:  # a process step's weight loss is given back
            corrective_events.append(
                _adjust(
                    user, only, original, QuantityRole.OUTPUT, line.quantity, action="OBSERVE", biz_step="stock_taking"
                )
            )
    elif quantity not in (None, ""):
        check_actable(reader, only)
        corrected = event_input.quantity(quantity)
        delta = corrected - line.quantity
        if delta > 0:
            only.initial_quantity += delta
            corrective_events.append(
                _adjust(user, only, original, QuantityRole.OUTPUT, delta, action="OBSERVE", biz_step="stock_taking")
            )
        elif delta < 0:
            corrective_events.append(
                _adjust(user, only, original, QuantityRole.INPUT, -delta, action="OBSERVE", biz_step="stock_taking")
            )
            only.initial_quantity += delta
            mark_consumed_if_empty(only)

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
