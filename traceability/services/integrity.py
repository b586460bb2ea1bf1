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
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import Select, select

from core.accounts.models import User
from core.extensions import db
from traceability.messages import CHAIN_CONTENT_CHANGED, CHAIN_LINK_BROKEN
from traceability.models import Batch, Event, EventQuantity, QuantityRole
from traceability.services import ledger
from traceability.services.access import readable_batch
from traceability.services.lineage import ANCESTORS, related_ids

CONTENT_CHANGED = "content_changed"  # the event's content no longer matches its hash
LINK_BROKEN = "link_broken"  # its link to the previous event of a batch does not match that event


@dataclass(frozen=True)
class Line:
    event_id: int
    batch_id: int
    batch_code: str
    role: QuantityRole
    quantity: Decimal
    unit: str


@dataclass(frozen=True)
class ChainResult:
    ok: bool
    checked: int
    first_bad_event: Event | None
    bad_batch_code: str | None
    reason: str | None  # CONTENT_CHANGED or LINK_BROKEN
    remaining_mismatches: list[str]


def quantity_lines(event_ids: Select) -> list[Line]:
    """The quantity lines of the events ``event_ids`` selects, with their batch codes, in the order written (one
    query): what the hash of each event covers."""
    rows = db.session.execute(
        select(
            EventQuantity.event_id,
            EventQuantity.batch_id,
            Batch.code,
            EventQuantity.role,
            EventQuantity.quantity,
            EventQuantity.unit,
        )
        .join(Batch, Batch.id == EventQuantity.batch_id)
        .where(EventQuantity.event_id.in_(event_ids))
        .order_by(EventQuantity.id)
    ).all()
    return [
        Line(event_id, batch_id, batch_code, QuantityRole(role), quantity, unit)
        for event_id, batch_id, batch_code, role, quantity, unit in rows
    ]


def check_chain(events: Iterable[Event], lines: list[Line], batches: dict[int, Batch]) -> ChainResult:
    """Verify ``events`` (every event touching ``batches``) with their quantity ``lines`` (ordered by line id)."""
    events = sorted(events, key=lambda event: event.id)
    by_id = {event.id: event for event in events}
    hashed: dict[int, list[tuple]] = defaultdict(list)
    history: dict[int, list[int]] = defaultdict(list)
    balance: dict[int, Decimal] = defaultdict(Decimal)
    lineage_code: dict[int, str] = {}
    for line in lines:
        hashed[line.event_id].append((line.batch_code, line.role.value, line.quantity, line.unit))
        if line.batch_id in batches:
            lineage_code.setdefault(line.event_id, line.batch_code)
            if not history[line.batch_id] or history[line.batch_id][-1] != line.event_id:
                history[line.batch_id].append(line.event_id)
            if line.role is QuantityRole.OUTPUT:
                balance[line.batch_id] += line.quantity
            elif line.role is QuantityRole.INPUT:
                balance[line.batch_id] -= line.quantity

    problems: dict[int, tuple[str, str]] = {}
    for event in events:
        if ledger.content_hash(event, hashed[event.id]) != event.content_hash:
            problems[event.id] = (lineage_code.get(event.id, ""), CONTENT_CHANGED)
    for batch_id, event_ids in history.items():
        code = batches[batch_id].code
        previous = None
        for event_id in sorted(event_ids):
            event = by_id.get(event_id)
            if event is None:
                continue
            if (event.prev_hashes or {}).get(code, "missing") != previous and event_id not in problems:
                problems[event_id] = (code, LINK_BROKEN)
            previous = event.content_hash
    mismatches = sorted(
        batch.code for batch_id, batch in batches.items() if balance[batch_id] != batch.quantity_remaining
    )
    if not problems:
        return ChainResult(not mismatches, len(events), None, None, None, mismatches)
    first = min(problems)
    return ChainResult(False, len(events), by_id[first], problems[first][0], problems[first][1], mismatches)


REASONS = {CONTENT_CHANGED: CHAIN_CONTENT_CHANGED, LINK_BROKEN: CHAIN_LINK_BROKEN}


def verify(user: User | None, code: str) -> dict:
    """{"ok", "first_bad_event": {"id", "event_uuid", "batch_code", "reason"} | None, "checked", "batches",
    "remaining_mismatches"}."""
    batch = readable_batch(user, code)
    batch_ids = related_ids(batch.id, ANCESTORS) | {batch.id}
    touching = select(EventQuantity.event_id).where(EventQuantity.batch_id.in_(batch_ids))
    events = db.session.scalars(
        select(Event).where(Event.id.in_(touching)).order_by(Event.id).execution_options(populate_existing=True)
    ).all()
    batches = {
        b.id: b
        for b in db.session.scalars(
            select(Batch).where(Batch.id.in_(batch_ids)).execution_options(populate_existing=True)
        )
    }
    result = check_chain(events, quantity_lines(touching), batches)

    first = None
    if result.first_bad_event is not None:
        bad = result.first_bad_event
        first = {
            "id": bad.id,
            "event_uuid": bad.event_uuid,
            "batch_code": result.bad_batch_code,
            "reason": REASONS[result.reason](code=result.bad_batch_code),
        }
    return {
        "ok": result.ok,
        "first_bad_event": first,
        "checked": result.checked,
        "batches": len(batches),
        "remaining_mismatches": result.remaining_mismatches,
    }
