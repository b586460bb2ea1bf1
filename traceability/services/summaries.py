"""Batches and events as the API and the pages show them, loaded in a few queries per list.

Quantities remaining, origin plots, EUDR readiness, custodian names, open
shipments and corrections are gathered in bulk for a whole page of rows, never
one query per row.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import datetime, timedelta, timezone

from sqlalchemy import select

from core.accounts.directory import organization_names
from core.accounts.models import User
from core.extensions import db
from traceability import catalog
from traceability.models import Batch, BatchStatus, ErrorDeclaration, Event, EventQuantity, Shipment, ShipmentStatus
from traceability.services.access import Reader, readable_batch
from traceability.services.batches import plot_ids_of
from traceability.services.eudr import readiness_many
from traceability.services.event_input import step_word


def product_name(code: str) -> str:
    found = catalog.PRODUCTS.get(code)
    return str(found.name) if found else code


def describe_batches(batches: Iterable[Batch]) -> list[dict]:
    batches = list(batches)
    ids = [b.id for b in batches]
    plots = plot_ids_of(ids)
    eudr = readiness_many(batches)
    in_transit = [b.id for b in batches if b.status is BatchStatus.IN_TRANSIT]
    shipments = {}
    if in_transit:
        rows = db.session.scalars(
            select(Shipment).where(Shipment.batch_id.in_(in_transit), Shipment.status == ShipmentStatus.IN_TRANSIT)
        )
        shipments = {s.batch_id: s for s in rows}
    names = organization_names([b.custodian_id for b in batches] + [s.to_organization_id for s in shipments.values()])
    result = []
    for b in batches:
        state = eudr[b.id]
        shipment = shipments.get(b.id)
        result.append(
            {
                "id": b.id,
                "code": b.code,
                "commodity": b.commodity,
                "product": b.product,
                "product_name": product_name(b.product),
                "grade": b.grade,
                "quantity": b.initial_quantity,
                "unit": b.unit,
                "remaining": b.quantity_remaining,
                "drc_percent": b.drc_percent,
                "status": b.status.value,
                "custodian_id": b.custodian_id,
                "custodian_name": names.get(b.custodian_id),
                "harvest_date": b.harvest_start if b.harvest_start and b.harvest_start == b.harvest_end else None,
                "harvest_start": b.harvest_start,
                "harvest_end": b.harvest_end,
                "plot_ids": plots[b.id],
                "gtin": b.gtin,
                "lot_number": b.lot_number,
                "note": b.note,
                "unknown_origin": b.unknown_origin,
                "eudr_applicable": state.applicable,
                "eudr_ready": state.ready,
                "eudr_reasons": state.reasons,
                "eudr_problems": list(state.problems),
                "created_at": b.created_at,
                "shipment": {
                    "id": shipment.id,
                    "to_organization_id": shipment.to_organization_id,
                    "to_organization_name": names.get(shipment.to_organization_id),
                    "reference": shipment.reference,
                }
                if shipment
                else None,
            }
        )
    return result


def describe_batch(batch: Batch) -> dict:
    return describe_batches([batch])[0]


def local_time(moment: datetime, offset: str) -> datetime:
    """The stored UTC time shown in the offset it was recorded with."""
    sign = -1 if offset.startswith("-") else 1
    hours, minutes = int(offset[1:3]), int(offset[4:6])
    return moment.astimezone(timezone(sign * timedelta(hours=hours, minutes=minutes)))


def describe_events(events: Iterable[Event]) -> list[dict]:
    events = list(events)
    ids = [e.id for e in events]
    lines: dict[int, list[dict]] = defaultdict(list)
    declarations: dict[int, ErrorDeclaration] = {}
    if ids:
        rows = db.session.execute(
            select(EventQuantity, Batch.code)
            .join(Batch, Batch.id == EventQuantity.batch_id)
            .where(EventQuantity.event_id.in_(ids))
            .order_by(EventQuantity.id)
        )
        for line, code in rows:
            lines[line.event_id].append(
                {"batch_code": code, "role": line.role.value, "quantity": line.quantity, "unit": line.unit}
            )
        declarations = {
            d.event_id: d
            for d in db.session.scalars(select(ErrorDeclaration).where(ErrorDeclaration.event_id.in_(ids)))
        }
    names = organization_names(e.organization_id for e in events)
    result = []
    for e in events:
        declaration = declarations.get(e.id)
        result.append(
            {
                "id": e.id,
                "event_uuid": e.event_uuid,
                "type": e.type.value,
                "action": e.action,
                "operation": e.operation,
                "step": step_word(e.biz_step),
                "biz_step": e.biz_step,
                "disposition": e.disposition,
                "event_time": local_time(e.event_time, e.event_time_zone_offset),
                "event_time_zone_offset": e.event_time_zone_offset,
                "record_time": e.record_time,
                "location": {"plot_id": e.plot_id, "name": e.location_name, "commune_code": e.location_commune_code}
                if (e.plot_id or e.location_name or e.location_commune_code)
                else None,
                "organization_id": e.organization_id,
                "organization_name": names.get(e.organization_id),
                "user_id": e.user_id,
                "measurements": e.measurements or [],
                "photos": e.photos or [],
                "note": e.note,
                "anomaly": e.anomaly_reason is not None,
                "anomaly_reason": e.anomaly_reason,
                "quantities": lines[e.id],
                "corrected": declaration is not None,
                "correction": {
                    "reason": declaration.reason,
                    "note": declaration.note,
                    "declared_at": declaration.declared_at,
                    "corrective_event_ids": list(declaration.corrective_event_ids or []),
                }
                if declaration
                else None,
                "corrects": (e.extra or {}).get("corrects"),
                "details": {k: v for k, v in (e.extra or {}).items() if k != "corrects"},
            }
        )
    return result


def batch_overview(user: User, code: str) -> dict:
    """Everything a lot's page shows: the lot, its events, lineage, EUDR status and hash-chain verification."""
    from traceability.services.integrity import verify
    from traceability.services.lineage import lineage

    reader = Reader(user)
    batch = readable_batch(user, code, reader)
    ids = select(EventQuantity.event_id).where(EventQuantity.batch_id == batch.id)
    events = db.session.scalars(
        select(Event).where(Event.id.in_(ids)).order_by(Event.event_time.desc(), Event.id.desc()).limit(200)
    ).all()
    described = describe_batch(batch)
    return {
        "batch": described,
        "events": describe_events(events),
        "lineage": lineage(user, batch.code),
        "verification": verify(user, batch.code),
        "can_act": reader.may_act(batch) and batch.status is BatchStatus.ACTIVE,
    }
