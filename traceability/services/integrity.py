"""Tamper evidence: recompute the hash chain over a batch's whole lineage.

Every event stores a SHA-256 of its canonical content (ledger.canonical_content),
which includes the hash of the previous event of each batch it touches. An edit
made behind the application's back (SQL on the events or event_quantities
tables) changes the recomputed hash of that event; a replaced stored hash breaks
the link the next event holds. Verification loads the lineage, its events and
their quantities in a fixed number of queries and reports the first event (by id)
that fails either check.
"""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from sqlalchemy import select

from core.accounts.models import User
from core.extensions import db
from traceability.models import Batch, Event, EventQuantity, QuantityRole
from traceability.services import ledger
from traceability.services.access import readable_batch
from traceability.services.lineage import ANCESTORS, related_ids

CONTENT_CHANGED = "The event's stored content no longer matches its hash."


def _chain_broken(code: str) -> str:
    return f"The event's link to the previous event of batch {code} does not match that event."


def verify(user: User | None, code: str) -> dict:
    """{"ok", "first_bad_event": {"id", "event_uuid", "batch_code", "reason"} | None, "checked", "batches", "remaining_mismatches"}."""
    batch = readable_batch(user, code)
    batch_ids = related_ids(batch.id, ANCESTORS) | {batch.id}
    touching = select(EventQuantity.event_id).where(EventQuantity.batch_id.in_(batch_ids))
    events = db.session.scalars(select(Event).where(Event.id.in_(touching)).order_by(Event.id).execution_options(populate_existing=True)).all()
    rows = db.session.execute(
        select(EventQuantity.event_id, EventQuantity.batch_id, Batch.code, EventQuantity.role, EventQuantity.quantity, EventQuantity.unit)
        .join(Batch, Batch.id == EventQuantity.batch_id)
        .where(EventQuantity.event_id.in_(touching))
        .order_by(EventQuantity.id)
    ).all()
    batches = {b.id: b for b in db.session.scalars(select(Batch).where(Batch.id.in_(batch_ids)).execution_options(populate_existing=True))}

    lines: dict[int, list[tuple]] = defaultdict(list)
    history: dict[int, list[int]] = defaultdict(list)  # batch id -> its event ids, oldest first
    balance: dict[int, Decimal] = defaultdict(Decimal)
    lineage_code: dict[int, str] = {}  # event id -> the code of a lineage batch it touches
    for event_id, batch_id, batch_code, role, quantity, unit in rows:
        lines[event_id].append((batch_code, QuantityRole(role).value, quantity, unit))
        if batch_id in batches:
            lineage_code.setdefault(event_id, batch_code)
            if not history[batch_id] or history[batch_id][-1] != event_id:
                history[batch_id].append(event_id)
            if role is QuantityRole.OUTPUT:
                balance[batch_id] += quantity
            elif role is QuantityRole.INPUT:
                balance[batch_id] -= quantity

    by_id = {event.id: event for event in events}
    problems: dict[int, tuple[str, str]] = {}  # event id -> (batch code, reason)
    for event in events:
        if ledger.content_hash(event, lines[event.id]) != event.content_hash:
            problems[event.id] = (lineage_code.get(event.id, ""), CONTENT_CHANGED)
    for batch_id, event_ids in history.items():
        code_ = batches[batch_id].code
        previous = None
        for event_id in sorted(event_ids):
            event = by_id[event_id]
            if (event.prev_hashes or {}).get(code_, "missing") != previous and event_id not in problems:
                problems[event_id] = (code_, _chain_broken(code_))
            previous = event.content_hash
    mismatches = sorted(batches[i].code for i in batches if balance[i] != batches[i].quantity_remaining)

    first = None
    if problems:
        event_id = min(problems)
        first = {"id": event_id, "event_uuid": by_id[event_id].event_uuid, "batch_code": problems[event_id][0], "reason": problems[event_id][1]}
    return {"ok": first is None and not mismatches, "first_bad_event": first, "checked": len(events), "batches": len(batches), "remaining_mismatches": mismatches}
