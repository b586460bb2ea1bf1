"""The tamper check of traceability.services.integrity, run on events the page has loaded already.

``integrity.verify`` answers only users who may read the lot and loads the events
itself; the public page has the lineage's events and quantity lines in memory
and checks them here with the same rules (ledger.content_hash over each event,
each event's link to the previous event of every lineage batch it touches, and
each batch's remaining quantity against its events), adding no query.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from traceability.models import Batch, Event, QuantityRole
from traceability.services import ledger

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
    mismatches = sorted(batch.code for batch_id, batch in batches.items() if balance[batch_id] != batch.quantity_remaining)
    if not problems:
        return ChainResult(not mismatches, len(events), None, None, None, mismatches)
    first = min(problems)
    return ChainResult(False, len(events), by_id[first], problems[first][0], problems[first][1], mismatches)
