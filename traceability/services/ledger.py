"""Appending events: the one place that writes the event log, moves quantities and chains hashes.

Every operation service (harvest, split, merge, transform, ship, ...) builds its
event through ``append_event`` inside its own transaction and then commits once.
Batches are locked in primary-key order before anything is read from them, so
concurrent operations on the same batch queue up instead of overdrawing it
(PostgreSQL: SELECT ... FOR UPDATE; SQLite: the connection already holds the
write lock from BEGIN IMMEDIATE, see core.db).
"""

from __future__ import annotations

import hashlib
import json
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from types import SimpleNamespace
from typing import Any

from sqlalchemy import bindparam, insert, select

from core.db import utcnow
from core.extensions import db
from traceability.errors import MassBalanceError
from traceability.messages import AT_MOST_REMAIN, BATCH_OVERDRAWN
from traceability.models import Batch, Event, EventQuantity, EventType, QuantityRole


@dataclass(frozen=True)
class Movement:
    """One line of an event's quantities: ``quantity`` of ``batch`` with ``role``."""

    batch: Batch
    role: QuantityRole
    quantity: Decimal


QUANTUM = Decimal("0.0001")  # the precision of Numeric(18, 4) columns


def quantize(quantity: Decimal) -> Decimal:
    """Round to what the database keeps, so that the hashed value equals the stored one."""
    return Decimal(quantity).quantize(QUANTUM)


def lock_batches(batch_ids: Iterable[int]) -> dict[int, Batch]:
    """Load and lock the batches, always in primary-key order (no deadlocks between two operations)."""
    ids = sorted(set(batch_ids))
    if not ids:
        return {}
    statement = select(Batch).where(Batch.id.in_(ids)).order_by(Batch.id).execution_options(populate_existing=True)
    if db.session.get_bind().dialect.name == "postgresql":
        statement = statement.with_for_update()
    return {batch.id: batch for batch in db.session.scalars(statement)}


def _plain(value: Any) -> Any:
    """Values as they are serialized for hashing: stable across backends and Python runs."""
    if isinstance(value, Decimal):
        normalized = value.normalize()
        return format(normalized, "f") if normalized == normalized.to_integral() else str(normalized)
    if isinstance(value, datetime):
        return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if hasattr(value, "value") and not isinstance(value, (str, int, float, bool)):
        return value.value  # enums
    return value


def canonical_content(event: Event, quantities: Sequence[tuple[str, str, Decimal, str]]) -> bytes:
    """The bytes an event's hash is taken over: its content, its quantities and its predecessors' hashes.

    ``quantities`` are (batch code, role, quantity, unit) tuples. Keys are sorted and
    numbers written as normalized decimal strings, so the same content always gives
    the same bytes on SQLite and PostgreSQL.
    """
    document = {
        "event_uuid": event.event_uuid,
        "type": event.type,
        "action": event.action,
        "operation": event.operation,
        "biz_step": event.biz_step,
        "disposition": event.disposition,
        "event_time": event.event_time,
        "event_time_zone_offset": event.event_time_zone_offset,
        "record_time": event.record_time,
        "plot_id": event.plot_id,
        "location_name": event.location_name,
        "location_commune_code": event.location_commune_code,
        "organization_id": event.organization_id,
        "user_id": event.user_id,
        "measurements": event.measurements or [],
        "photos": event.photos or [],
        "note": event.note,
        "extra": event.extra or {},
        "anomaly_reason": event.anomaly_reason,
        "quantities": sorted([code, role, _plain(quantity), unit] for code, role, quantity, unit in quantities),
        "prev_hashes": event.prev_hashes or {},
    }
    return json.dumps(_plain(document), sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def content_hash(event: Event, quantities: Sequence[tuple[str, str, Decimal, str]]) -> str:
    return hashlib.sha256(canonical_content(event, quantities)).hexdigest()


def latest_hashes(batch_ids: Iterable[int]) -> dict[int, str | None]:
    """The hash of the newest event touching each batch (None for a batch with no event yet)."""
    ids = list(set(batch_ids))
    result: dict[int, str | None] = dict.fromkeys(ids)
    if not ids:
        return result
    newest = (
        select(EventQuantity.batch_id, db.func.max(EventQuantity.event_id).label("event_id"))
        .where(EventQuantity.batch_id.in_(ids))
        .group_by(EventQuantity.batch_id)
        .subquery()
    )
    rows = db.session.execute(select(newest.c.batch_id, Event.content_hash).join(Event, Event.id == newest.c.event_id))
    for batch_id, digest in rows:
        result[batch_id] = digest
    return result


def append_event(
    *,
    type: EventType,
    operation: str,
    biz_step: str,
    organization_id: int,
    user_id: int | None,
    movements: Sequence[Movement],
    event_time: datetime | None = None,
    event_time_zone_offset: str = "+07:00",
    action: str | None = None,
    disposition: str | None = None,
    plot_id: int | None = None,
    location_name: str | None = None,
    location_commune_code: str | None = None,
    measurements: list[dict] | None = None,
    photos: list[str] | None = None,
    note: str | None = None,
    extra: dict | None = None,
    anomaly_reason: str | None = None,
    event_uuid: str | None = None,
) -> Event:
    """Write one event with its quantities, move the batches' remaining quantities, chain the hash.

    The caller has locked every batch in ``movements`` (``lock_batches``) and commits.
    An input larger than what a batch has left raises ``MassBalanceError`` and
    nothing is written. ``event_uuid`` is given only by EPCIS capture, which keeps the sender's eventID.
    """
    movements = _checked(movements)
    event = _new_event(
        type=type,
        action=action,
        operation=operation,
        biz_step=biz_step,
        disposition=disposition,
        event_time=event_time,
        event_time_zone_offset=event_time_zone_offset,
        plot_id=plot_id,
        location_name=location_name,
        location_commune_code=location_commune_code,
        organization_id=organization_id,
        user_id=user_id,
        measurements=measurements,
        photos=photos,
        note=note,
        extra=extra,
        anomaly_reason=anomaly_reason,
        event_uuid=event_uuid,
    )
    return _write([(event, movements)], latest_hashes({movement.batch.id for movement in movements}))[0]


def append_events(events: Sequence[tuple[dict[str, Any], Sequence[Movement]]]) -> list[Event]:
    """``append_event`` for many events at once (each a mapping of its fields and its movements), in two flushes.

    For bulk writes such as a sheet import: the events go in one batched INSERT and
    their quantity lines in another, instead of a round trip or three each. No two
    of them may touch the same batch (each links to the hash of its batches' newest
    event before this call, so a second one would break the chain); the caller
    locks and commits as for ``append_event``.
    """
    checked = [(_new_event(**fields), _checked(movements)) for fields, movements in events]
    # Each event's distinct batches: one event may name a batch twice (an input and an output).
    touched = [m.batch.id for _event, movements in checked for m in {m.batch.id: m for m in movements}.values()]
    if len(touched) != len(set(touched)):
        raise ValueError("append_events takes at most one event per batch; append them one by one instead")
    return _write(checked, latest_hashes(touched))


_EVENT_COLUMNS = tuple(column.key for column in Event.__table__.columns if column.key != "id")
_IDS_PER_QUERY = 2000


def insert_events(events: Sequence[tuple[dict[str, Any], Sequence[Movement]]]) -> list[int]:
    """``append_events`` for the first events of lots the caller has just inserted, written with SQLAlchemy Core:
    an executemany of the events and one of their quantity lines, no ORM object per row; the events' ids, in order.

    The same checks, chaining and hashes as ``append_events`` (its own functions), with the same rule of one event
    per batch, for bulk writers such as a sheet import. The movements' batches are plain records (attributes named
    as ``Batch``'s) of lots inserted with Core in this transaction, each already holding what these events leave it
    (outputs less inputs, from nothing): that is checked, and nothing more is written to them. Having no events yet,
    each links to no previous hash. Nothing flushes, so ``trace_versions``' listener does not raise the lots'
    versions: a new lot starts at version 0.
    """
    checked = [(SimpleNamespace(**_event_values(**fields)), _checked(movements)) for fields, movements in events]
    touched = [m.batch.id for _event, movements in checked for m in {m.batch.id: m for m in movements}.values()]
    if len(touched) != len(set(touched)):
        raise ValueError("insert_events takes at most one event per batch; append them one by one instead")
    held: dict[int, tuple[Any, Decimal]] = {}
    for _event, movements in checked:
        for movement in movements:
            change = {QuantityRole.INPUT: -movement.quantity, QuantityRole.OUTPUT: movement.quantity}.get(movement.role)
            held[movement.batch.id] = (
                movement.batch,
                held.get(movement.batch.id, (None, Decimal(0)))[1] + (change or 0),
            )
    if any(batch.quantity_remaining != quantity for batch, quantity in held.values()):
        raise ValueError("a new lot should be inserted holding what its first events leave it")
    previous = dict.fromkeys(touched)  # new lots: no event before these
    for event, movements in checked:
        _chain(event, movements, previous)
    db.session.execute(insert(Event.__table__), [vars(event) for event, _movements in checked])
    ids = _event_ids([event.event_uuid for event, _movements in checked])
    lines = [
        {
            "event_id": event_id,
            "batch_id": movement.batch.id,
            "role": movement.role,
            "quantity": movement.quantity,
            "unit": movement.batch.unit,
        }
        for event_id, (_event, movements) in zip(ids, checked, strict=True)
        for movement in movements
    ]
    db.session.execute(insert(EventQuantity.__table__), lines)
    return ids


def _event_ids(uuids: list[str]) -> list[int]:
    """The ids of the events with these uuids, in the same order (read back instead of an INSERT ... RETURNING,
    whose one long statement per thousand rows costs more to send than the plain executemany)."""
    found: dict[str, int] = {}
    for start in range(0, len(uuids), _IDS_PER_QUERY):
        chunk = uuids[start : start + _IDS_PER_QUERY]
        # Written into the statement (uuids we drew): thousands of placeholders cost more to send than the values.
        listed = bindparam("uuids", chunk, expanding=True, literal_execute=True)
        found.update(db.session.execute(select(Event.event_uuid, Event.id).where(Event.event_uuid.in_(listed))).all())
    return [found[uuid] for uuid in uuids]


def _event_values(
    *,
    event_uuid: str | None = None,
    measurements: list[dict] | None = None,
    photos: list[str] | None = None,
    extra: dict | None = None,
    event_time_zone_offset: str = "+07:00",
    **fields: Any,
) -> dict[str, Any]:
    """``_new_event``'s fields as a row of the events table (every column but the id)."""
    unknown = set(fields) - set(_EVENT_COLUMNS)
    if unknown:
        raise TypeError(f"not a field of an event: {', '.join(sorted(unknown))}")
    values = dict.fromkeys(_EVENT_COLUMNS)
    values.update(
        event_uuid=event_uuid or f"urn:uuid:{uuid.uuid4()}",
        event_time_zone_offset=event_time_zone_offset,
        measurements=measurements or [],
        photos=photos or [],
        extra=extra or {},
        **fields,
    )
    return values


def _new_event(
    *,
    event_uuid: str | None = None,
    measurements: list[dict] | None = None,
    photos: list[str] | None = None,
    extra: dict | None = None,
    event_time_zone_offset: str = "+07:00",
    **fields: Any,
) -> Event:
    return Event(
        event_uuid=event_uuid or f"urn:uuid:{uuid.uuid4()}",
        event_time_zone_offset=event_time_zone_offset,
        measurements=measurements or [],
        photos=photos or [],
        extra=extra or {},
        **fields,
    )


def _write(events: list[tuple[Event, list[Movement]]], previous: dict[int, str | None]) -> list[Event]:
    """Chain, add and flush the events, then their quantity lines (two flushes, however many events)."""
    for event, movements in events:
        _chain(event, movements, previous)
        db.session.add(event)
    db.session.flush()
    for event, movements in events:
        _move(event, movements)
    db.session.flush()
    return [event for event, _movements in events]


def _checked(movements: Sequence[Movement]) -> list[Movement]:
    """The movements rounded to what the database keeps; ``MassBalanceError`` if an input overdraws its batch."""
    if not movements:
        raise ValueError("an event must touch at least one batch")
    movements = [Movement(m.batch, m.role, quantize(m.quantity)) for m in movements]
    if any(m.quantity < 0 for m in movements):
        raise ValueError("event quantities are never negative; the role says which way they move")
    taken: dict[int, Decimal] = {}
    for movement in movements:
        if movement.role is QuantityRole.INPUT:
            taken[movement.batch.id] = taken.get(movement.batch.id, Decimal(0)) + movement.quantity
    for movement in movements:
        batch = movement.batch
        if batch.id in taken and taken[batch.id] > batch.quantity_remaining:
            left, unit = batch.quantity_remaining, batch.unit
            raise MassBalanceError(
                BATCH_OVERDRAWN(code=batch.code, left=left, unit=unit, asked=taken[batch.id]),
                errors={"quantity": [AT_MOST_REMAIN(left=left, unit=unit, code=batch.code)]},
            )
    return movements


def _chain(event: Event, movements: list[Movement], latest: dict[int, str | None]) -> None:
    """Stamp the event's times, link it to the newest event of each batch it touches and hash its content."""
    batches = {movement.batch.id: movement.batch for movement in movements}
    previous = {batch_id: latest.get(batch_id) for batch_id in batches}
    event.record_time = utcnow()
    event.event_time = event.event_time or event.record_time
    event.prev_hashes = {batches[batch_id].code: digest for batch_id, digest in sorted(previous.items())}
    lines = [(m.batch.code, m.role.value, m.quantity, m.batch.unit) for m in movements]
    event.content_hash = content_hash(event, lines)


def _move(event: Event, movements: list[Movement]) -> None:
    """Write the event's quantity lines and move each batch's remaining quantity by them."""
    for movement in movements:
        db.session.add(
            EventQuantity(
                event_id=event.id,
                batch_id=movement.batch.id,
                role=movement.role,
                quantity=movement.quantity,
                unit=movement.batch.unit,
            )
        )
        if movement.role is QuantityRole.INPUT:
            movement.batch.quantity_remaining -= movement.quantity
        elif movement.role is QuantityRole.OUTPUT:
            movement.batch.quantity_remaining += movement.quantity
