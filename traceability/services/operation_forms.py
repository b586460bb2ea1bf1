"""Read-only queries behind the operations pages: the lots an organization may use, its shipments, an event to correct.

Each function answers for one organization the user acts for (the page's
current organization) and nothing for any other; a lot or event the user may
not see is a 404, as everywhere else.
"""

from __future__ import annotations

from sqlalchemy import select

from core.accounts.directory import organization_names
from core.accounts.models import User
from core.errors import NotFound, PermissionDenied
from core.extensions import db
from traceability.models import Batch, BatchStatus, Event, EventQuantity, Shipment, ShipmentStatus
from traceability.services.access import Reader, check_actable, readable_batch
from traceability.services.summaries import (
    describe_batch,
    describe_batches,
    describe_events,
    product_name,
)

LOT_PICKER_LIMIT = 100


def usable_lots(
    user: User, organization_id: int, *, product: str | None = None, grade: str | None = None
) -> list[dict]:
    """Active lots ``organization_id`` holds (what a merge or transformation may take), by product, newest first."""
    if organization_id not in Reader(user).organization_ids:
        return []
    query = select(Batch).where(Batch.custodian_id == organization_id, Batch.status == BatchStatus.ACTIVE)
    if product:
        query = query.where(Batch.product == product)
    if grade is not None:
        query = query.where(Batch.grade == grade) if grade else query.where(Batch.grade.is_(None))
    lots = db.session.scalars(
        query.order_by(Batch.product, Batch.created_at.desc(), Batch.id.desc()).limit(LOT_PICKER_LIMIT)
    ).all()
    return describe_batches(lots)


def actable_lot(user: User, code: str) -> dict:
    """The lot ``code`` described, if the user may act on it now: 404 unseen, 403 read only, 409 in transit/used up."""
    reader = Reader(user)
    batch = readable_batch(user, code, reader)
    check_actable(reader, batch)
    return describe_batch(batch)


def _describe_shipments(shipments: list[Shipment]) -> list[dict]:
    batches = (
        {b.id: b for b in db.session.scalars(select(Batch).where(Batch.id.in_([s.batch_id for s in shipments])))}
        if shipments
        else {}
    )
    names = organization_names([s.from_organization_id for s in shipments] + [s.to_organization_id for s in shipments])
    result = []
    for s in shipments:
        batch = batches[s.batch_id]
        result.append(
            {
                "id": s.id,
                "batch_code": batch.code,
                "product_name": product_name(batch.product),
                "grade": batch.grade,
                "quantity": batch.quantity_remaining,
                "unit": batch.unit,
                "reference": s.reference,
                "shipped_at": s.shipped_at,
                "from_organization_name": names.get(s.from_organization_id),
                "to_organization_name": names.get(s.to_organization_id),
            }
        )
    return result


def open_shipments(user: User, organization_id: int) -> dict[str, list[dict]]:
    """Shipments in transit to (``incoming``) and from (``outgoing``) ``organization_id``, oldest first."""
    if organization_id not in Reader(user).organization_ids:
        return {"incoming": [], "outgoing": []}
    rows = db.session.scalars(
        select(Shipment)
        .where(
            Shipment.status == ShipmentStatus.IN_TRANSIT,
            (Shipment.to_organization_id == organization_id) | (Shipment.from_organization_id == organization_id),
        )
        .order_by(Shipment.shipped_at, Shipment.id)
    ).all()
    return {
        "incoming": _describe_shipments([s for s in rows if s.to_organization_id == organization_id]),
        "outgoing": _describe_shipments([s for s in rows if s.from_organization_id == organization_id]),
    }


def event_to_correct(user: User, code: str, event_id: int) -> tuple[dict, dict]:
    """The lot ``code`` and one of its events that the user's organization recorded, shown for the correction form."""
    reader = Reader(user)
    batch = readable_batch(user, code, reader)
    touches = select(EventQuantity.id).where(EventQuantity.event_id == event_id, EventQuantity.batch_id == batch.id)
    event = db.session.scalar(select(Event).where(Event.id == event_id, touches.exists()))
    if event is None:
        raise NotFound("No such event on this batch.")
    if event.organization_id not in reader.organization_ids:
        raise PermissionDenied("Only the organization that recorded an event may correct it.")
    return describe_batch(batch), describe_events([event])[0]
