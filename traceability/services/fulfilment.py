"""Fulfilment of a sale: the public interface through which other domains (the marketplace) move sold lots.

Fulfilment of a sale is traceability: ``ship_to_buyer`` splits the sold quantity
off the seller's lot into a new lot (its own code and QR, same origin plots, a
lineage edge to the parent) and ships that lot to the buyer's organization;
``receive_for_buyer`` records its arrival, after which the buyer holds it. Neither
commits: the market's order transition and these events are one transaction.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from sqlalchemy import select

from core.accounts.models import User
from core.db import utcnow
from core.errors import Conflict, ValidationError
from core.extensions import db
from traceability import catalog
from traceability.models import (
    Batch,
    BatchLink,
    BatchPlot,
    BatchStatus,
    EventType,
    QuantityRole,
    Shipment,
    ShipmentStatus,
)
from traceability.services import ledger
from traceability.services.access import lock_actable
from traceability.services.batches import add_plots, mark_consumed_if_empty, new_batch

SALE_SPLIT_STEP = "repackaging"


def _in_unit(quantity_kg: Decimal, unit: str) -> Decimal:
    """kg → the lot's unit; refused when the lot's precision cannot hold it exactly."""
    amount = Decimal(quantity_kg) / catalog.to_kg(Decimal(1), unit)
    if ledger.quantize(amount) != amount:
        raise ValidationError(
            "Quantity too precise for the lot.",
            errors={"quantity": [f"A lot kept in {unit} cannot take {quantity_kg} kg exactly."]},
        )
    return amount


def _parties(sender: int, receiver: int) -> dict:
    return {
        "sourceList": [{"type": "owning_party", "organization_id": sender}],
        "destinationList": [{"type": "owning_party", "organization_id": receiver}],
    }


@dataclass(frozen=True)
class Delivery:
    """One sold quantity on its way: the buyer's new lot and its shipment."""

    parent_code: str
    code: str
    shipment_id: int


def _split_off(
    user: User, parent: Batch, amount: Decimal, plots: list[int], when: datetime, transaction: dict, reference: str
) -> Batch:
    """The sold quantity as a new lot of the same origin, split off ``parent`` by a recorded event."""
    child = new_batch(parent, initial_quantity=amount, note=f"Sold: order {reference}", created_by_id=user.id)
    add_plots(child, plots)
    split = ledger.append_event(
        type=EventType.TRANSFORMATION,
        operation="split",
        biz_step=SALE_SPLIT_STEP,
        disposition="active",
        organization_id=parent.custodian_id,
        user_id=user.id,
        event_time=when,
        extra=transaction,
        movements=[
            ledger.Movement(parent, QuantityRole.INPUT, amount),
            ledger.Movement(child, QuantityRole.OUTPUT, amount),
        ],
    )
    db.session.add(
        BatchLink(parent_id=parent.id, child_id=child.id, event_id=split.id, quantity=ledger.quantize(amount))
    )
    mark_consumed_if_empty(parent)
    return child


def _ship(
    user: User,
    parent: Batch,
    child: Batch,
    buyer_organization_id: int,
    when: datetime,
    transaction: dict,
    reference: str,
) -> Shipment:
    """``child`` on its way from the seller to the buyer's organization: the shipping event and the shipment."""
    shipped = ledger.append_event(
        type=EventType.OBJECT,
        action="OBSERVE",
        operation="ship",
        biz_step="shipping",
        disposition="in_transit",
        organization_id=parent.custodian_id,
        user_id=user.id,
        event_time=when,
        movements=[ledger.Movement(child, QuantityRole.OBSERVED, child.quantity_remaining)],
        extra={**_parties(parent.custodian_id, buyer_organization_id), **transaction},
    )
    shipment = Shipment(
        batch_id=child.id,
        from_organization_id=parent.custodian_id,
        to_organization_id=buyer_organization_id,
        status=ShipmentStatus.IN_TRANSIT,
        reference=reference,
        shipped_event_id=shipped.id,
        shipped_at=when,
        shipped_by_id=user.id,
    )
    db.session.add(shipment)
    child.status = BatchStatus.IN_TRANSIT
    db.session.flush()
    return shipment


def ship_to_buyer(
    user: User,
    items: list[tuple[int, Decimal]],
    *,
    buyer_organization_id: int,
    reference: str,
    event_time: datetime | None = None,
) -> list[Delivery]:
    """Split each sold quantity (lot id, kg) off the seller's lot and ship the new lot to the buyer. No commit.

    The lots are locked in primary-key order and the user must be able to act on
    each (the seller). A lot without enough left raises ``MassBalanceError``.
    """
    codes = dict(db.session.execute(select(Batch.id, Batch.code).where(Batch.id.in_([i for i, _q in items]))).all())
    _reader, locked = lock_actable(user, [codes[i] for i, _q in items], field="batch_code")
    if buyer_organization_id in {b.custodian_id for b in locked}:
        raise ValidationError("Same organization.", errors={"buyer": ["The buyer already holds this lot."]})
    plots = {
        b.id: list(db.session.scalars(select(BatchPlot.plot_id).where(BatchPlot.batch_id == b.id))) for b in locked
    }
    when = event_time or utcnow()
    transaction = {"bizTransactionList": [{"type": "po", "reference": reference}]}
    deliveries = []
    for parent, (_batch_id, quantity_kg) in zip(locked, items, strict=True):
        child = _split_off(
            user, parent, _in_unit(quantity_kg, parent.unit), plots[parent.id], when, transaction, reference
        )
        shipment = _ship(user, parent, child, buyer_organization_id, when, transaction, reference)
        deliveries.append(Delivery(parent.code, child.code, shipment.id))
    return deliveries


def receive_for_buyer(user: User, shipment_ids: list[int], *, note: str | None = None) -> None:
    """Record the arrival of sold lots: the buyer's organization becomes their custodian. No commit.

    The market decides who may confirm a delivery (the buyer, or the seller handing
    over the goods); the receiving event names the buyer's organization as the party.
    """
    shipments = list(db.session.scalars(select(Shipment).where(Shipment.id.in_(shipment_ids)).order_by(Shipment.id)))
    locked = ledger.lock_batches([s.batch_id for s in shipments])
    for shipment in shipments:
        db.session.refresh(shipment)
        if shipment.status is not ShipmentStatus.IN_TRANSIT:
            raise Conflict("This shipment was already received.")
        batch = locked[shipment.batch_id]
        event = ledger.append_event(
            type=EventType.OBJECT,
            action="OBSERVE",
            operation="receive",
            biz_step="receiving",
            disposition="in_progress",
            organization_id=shipment.to_organization_id,
            user_id=user.id,
            note=note,
            movements=[ledger.Movement(batch, QuantityRole.OBSERVED, batch.quantity_remaining)],
            extra=_parties(shipment.from_organization_id, shipment.to_organization_id),
        )
        shipment.status = ShipmentStatus.RECEIVED
        shipment.received_event_id = event.id
        shipment.received_at = utcnow()
        shipment.received_by_id = user.id
        batch.custodian_id = shipment.to_organization_id
        batch.status = BatchStatus.ACTIVE if batch.quantity_remaining > 0 else BatchStatus.CONSUMED
    db.session.flush()
