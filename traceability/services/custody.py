"""Custody moving between organizations: the sender ships a whole lot, the receiver confirms.

Shipping is an EPCIS ObjectEvent OBSERVE with bizStep ``shipping`` and disposition
``in_transit``; its bizTransactionList carries the delivery note or invoice and
its source/destination lists the two parties (``owning_party``). From then until
the receiver's ``receiving`` event the lot is in transit: neither side may act
on it (409). On receipt the receiver becomes the custodian. To ship part of a
lot, split it first. ``handed_over`` lists what an organization shipped or sold
(through ``fulfilment``) and no longer holds, for its "My lots" page.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from sqlalchemy import func, select

from core.accounts.directory import organization_names
from core.accounts.models import Organization, User
from core.errors import Conflict, NotFound, PermissionDenied, ValidationError
from core.extensions import db
from traceability.messages import (
    ALREADY_HELD_HERE,
    ALREADY_RECEIVED,
    NO_SUCH_ORGANIZATION,
    NO_SUCH_SHIPMENT,
    ONLY_RECEIVER_CONFIRMS,
    SAME_ORGANIZATION,
    UNKNOWN_RECEIVER,
)
from traceability.models import (
    Batch,
    BatchStatus,
    Event,
    EventQuantity,
    EventType,
    QuantityRole,
    Shipment,
    ShipmentStatus,
)
from traceability.services import event_input, ledger
from traceability.services.access import Reader, lock_actable
from traceability.services.claims import refuse_claimed


def _parties(sender: int, receiver: int) -> dict:
    return {
        "sourceList": [{"type": "owning_party", "organization_id": sender}],
        "destinationList": [{"type": "owning_party", "organization_id": receiver}],
    }


def ship(
    user: User,
    code: str,
    *,
    to_organization_id: int,
    reference: str | None = None,
    note: str | None = None,
    event_time: datetime | str | None = None,
) -> Shipment:
    _reader, (batch,) = lock_actable(user, [code], field="batch_code")
    receiver = db.session.get(Organization, to_organization_id)
    if receiver is None:
        raise ValidationError(UNKNOWN_RECEIVER, errors={"to_organization_id": [NO_SUCH_ORGANIZATION]})
    if receiver.id == batch.custodian_id:
        raise ValidationError(SAME_ORGANIZATION, errors={"to_organization_id": [ALREADY_HELD_HERE]})
    refuse_claimed([(batch, batch.quantity_remaining, "batch_code")])
    when = event_input.event_time(event_time)
    reference = (reference or "").strip() or None
    extra = _parties(batch.custodian_id, receiver.id)
    if reference:
        extra["bizTransactionList"] = [{"type": "desadv", "reference": reference}]
    event = ledger.append_event(
        type=EventType.OBJECT,
        action="OBSERVE",
        operation="ship",
        biz_step="shipping",
        disposition="in_transit",
        organization_id=batch.custodian_id,
        user_id=user.id,
        movements=[ledger.Movement(batch, QuantityRole.OBSERVED, batch.quantity_remaining)],
        event_time=when.at,
        event_time_zone_offset=when.zone_offset,
        note=(note or "").strip() or None,
        extra=extra,
    )
    shipment = Shipment(
        batch_id=batch.id,
        from_organization_id=batch.custodian_id,
        to_organization_id=receiver.id,
        status=ShipmentStatus.IN_TRANSIT,
        reference=reference,
        shipped_event_id=event.id,
        shipped_at=event.event_time,
        shipped_by_id=user.id,
    )
    db.session.add(shipment)
    batch.status = BatchStatus.IN_TRANSIT
    db.session.commit()
    return shipment


def receive(
    user: User, shipment_id: int, *, note: str | None = None, event_time: datetime | str | None = None
) -> Shipment:
    """The receiver confirms: the lot becomes theirs and active again."""
    reader = Reader(user)
    shipment = _visible_shipment(reader, shipment_id)
    if shipment.to_organization_id not in reader.organization_ids:
        raise PermissionDenied(ONLY_RECEIVER_CONFIRMS)
    batch = ledger.lock_batches([shipment.batch_id])[shipment.batch_id]
    db.session.refresh(shipment)
    if shipment.status is not ShipmentStatus.IN_TRANSIT:
        raise Conflict(ALREADY_RECEIVED)
    when = event_input.event_time(event_time)
    event = ledger.append_event(
        type=EventType.OBJECT,
        action="OBSERVE",
        operation="receive",
        biz_step="receiving",
        disposition="in_progress",
        organization_id=shipment.to_organization_id,
        user_id=user.id,
        movements=[ledger.Movement(batch, QuantityRole.OBSERVED, batch.quantity_remaining)],
        event_time=when.at,
        event_time_zone_offset=when.zone_offset,
        note=(note or "").strip() or None,
        extra=_parties(shipment.from_organization_id, shipment.to_organization_id),
    )
    shipment.status = ShipmentStatus.RECEIVED
    shipment.received_event_id = event.id
    shipment.received_at = event.event_time  # when it happened, as the custody chain shows it
    shipment.received_by_id = user.id
    batch.custodian_id = shipment.to_organization_id
    batch.status = BatchStatus.ACTIVE if batch.quantity_remaining > 0 else BatchStatus.CONSUMED
    db.session.commit()
    return shipment


def _visible_shipment(reader: Reader, shipment_id: int) -> Shipment:
    shipment = db.session.get(Shipment, shipment_id)
    if shipment is None or not (
        reader.sees_all or {shipment.from_organization_id, shipment.to_organization_id} & reader.organization_ids
    ):
        raise NotFound(NO_SUCH_SHIPMENT)
    return shipment


def batch_code(shipment: Shipment) -> str:
    return db.session.scalar(select(Batch.code).where(Batch.id == shipment.batch_id))


def get_shipment(user: User, shipment_id: int) -> Shipment:
    """A shipment the user is a party to (or any, for department officers)."""
    return _visible_shipment(Reader(user), shipment_id)


def incoming_shipments(user: User) -> list[Shipment]:
    """Shipments on their way to an organization the user acts for, oldest first (a picker list)."""
    reader = Reader(user)
    if not reader.organization_ids:
        return []
    return list(
        db.session.scalars(
            select(Shipment)
            .where(
                Shipment.status == ShipmentStatus.IN_TRANSIT, Shipment.to_organization_id.in_(reader.organization_ids)
            )
            .order_by(Shipment.id)
        )
    )


@dataclass(frozen=True)
class HandedOver:
    """A lot an organization shipped or sold and no longer holds: where it went, when, and under what reference."""

    code: str
    product: str
    grade: str | None
    quantity: Decimal
    unit: str
    receiver_id: int
    receiver_name: str | None
    shipped_at: datetime
    received_at: datetime | None
    reference: str | None
    sold: bool  # shipped to fulfil an order (its shipping event carries the order as a "po" transaction)


def _last_shipments_from(organization_id: int):
    """The latest shipment of each lot that left ``organization_id`` and was received elsewhere."""
    return (
        select(func.max(Shipment.id))
        .where(Shipment.from_organization_id == organization_id, Shipment.status == ShipmentStatus.RECEIVED)
        .group_by(Shipment.batch_id)
    )


def _is_sale(extra: dict | None) -> bool:
    return any(item.get("type") == "po" for item in (extra or {}).get("bizTransactionList", []))


def handed_over(user: User, organization_id: int, *, offset: int = 0, limit: int = 20) -> tuple[list[HandedOver], int]:
    """Lots ``organization_id`` shipped or sold and no longer holds, last received first, with their count."""
    reader = Reader(user)
    if not (reader.sees_all or organization_id in reader.organization_ids):
        return [], 0
    query = (
        select(Shipment, Batch, Event.extra, EventQuantity.quantity, EventQuantity.unit)
        .join(Batch, Batch.id == Shipment.batch_id)
        .join(Event, Event.id == Shipment.shipped_event_id)
        .join(EventQuantity, (EventQuantity.event_id == Event.id) & (EventQuantity.batch_id == Batch.id))
        .where(Shipment.id.in_(_last_shipments_from(organization_id)), Batch.custodian_id != organization_id)
    )
    total = db.session.scalar(select(func.count()).select_from(query.subquery()))
    rows = db.session.execute(
        query.order_by(Shipment.received_at.desc(), Shipment.id.desc()).offset(offset).limit(limit)
    ).all()
    names = organization_names(shipment.to_organization_id for shipment, *_rest in rows)
    return [_handed_over(row, names) for row in rows], total


def _handed_over(row, names: dict[int, str]) -> HandedOver:
    shipment, batch, extra, quantity, unit = row
    return HandedOver(
        code=batch.code,
        product=batch.product,
        grade=batch.grade,
        quantity=quantity,
        unit=unit,
        receiver_id=shipment.to_organization_id,
        receiver_name=names.get(shipment.to_organization_id),
        shipped_at=shipment.shipped_at,
        received_at=shipment.received_at,
        reference=shipment.reference,
        sold=_is_sale(extra),
    )
