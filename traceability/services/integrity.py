"""Tamper evidence: recompute the hash chain over a batch's whole lineage.

Every event stores a SHA-256 of its canonical content (ledger.canonical_content),
which includes the hash of the previous event of each batch it touches. An edit
made behind the application's back (SQL on the events or event_quantities
tables) changes the recomputed hash of that event; a replaced stored hash breaks
the link the next event holds.

Two ways to check:

- ``verify`` (the API, for one lot): loads the lineage, its events and their
  quantities in a fixed number of queries and reports the first event (by id)
  that fails either check.
- ``audit_ledger`` (a periodic Celery job, every ``LEDGER_AUDIT_MINUTES``): walks
  the whole ledger once, in chunks, and records what fails in ``ledger_findings``.
  Hashes are made once, when an event is written; the public trace page shows the
  latest audit's verdict on its lineage (``lineage_verdict``) and when it ran,
  instead of hashing the lineage again on every request.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from sqlalchemy import Select, select

from core.accounts.models import User
from core.db import utcnow
from core.extensions import db
from traceability.messages import CHAIN_CONTENT_CHANGED, CHAIN_LINK_BROKEN
from traceability.models import Batch, Event, EventQuantity, LedgerAudit, LedgerFinding, QuantityRole
from traceability.services import ledger, trace_versions
from traceability.services.access import readable_batch
from traceability.services.lineage import ANCESTORS, related_ids

CONTENT_CHANGED = "content_changed"  # the event's content no longer matches its hash
LINK_BROKEN = "link_broken"  # its link to the previous event of a batch does not match that event
QUANTITY_MISMATCH = "quantity_mismatch"  # a lot's remaining quantity is not what its events add up to


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


class ChainWalker:
    """Checks events in id order, a chunk at a time: each event's content against its hash, and its link to the
    previous event of each batch in ``batches`` (None: every batch). Memory grows with the batches, not the events."""

    def __init__(self, batches: dict[int, Batch] | None = None) -> None:
        self.batches = batches
        self.checked = 0
        self.last_event_id = 0
        self.problems: dict[int, tuple[int | None, str, str]] = {}  # event id -> (batch id, batch code, reason)
        self.balance: dict[int, Decimal] = defaultdict(Decimal)
        self._head: dict[int, str | None] = {}  # batch id -> hash of its newest event walked so far

    def _followed(self, batch_id: int) -> bool:
        return self.batches is None or batch_id in self.batches

    def feed(self, events: Iterable[Event], lines: list[Line]) -> None:
        """``events`` with ids above every event fed before, and all their quantity ``lines`` (in line id order)."""
        hashed: dict[int, list[tuple]] = defaultdict(list)
        touched: dict[int, dict[int, str]] = defaultdict(dict)  # event id -> {batch id: code}, in line order
        for line in lines:
            hashed[line.event_id].append((line.batch_code, line.role.value, line.quantity, line.unit))
            if self._followed(line.batch_id):
                touched[line.event_id].setdefault(line.batch_id, line.batch_code)
                if line.role is QuantityRole.OUTPUT:
                    self.balance[line.batch_id] += line.quantity
                elif line.role is QuantityRole.INPUT:
                    self.balance[line.batch_id] -= line.quantity
        for event in sorted(events, key=lambda event: event.id):
            self.checked += 1
            self.last_event_id = max(self.last_event_id, event.id)
            batches = touched.get(event.id, {})
            if ledger.content_hash(event, hashed[event.id]) != event.content_hash:
                batch_id, code = next(iter(batches.items()), (None, ""))
                self.problems[event.id] = (batch_id, code, CONTENT_CHANGED)
            for batch_id, code in batches.items():
                previous = self._head.get(batch_id)
                if (event.prev_hashes or {}).get(code, "missing") != previous and event.id not in self.problems:
                    self.problems[event.id] = (batch_id, code, LINK_BROKEN)
                self._head[batch_id] = event.content_hash

    def mismatches(self, remaining: dict[int, tuple[str, Decimal]]) -> list[tuple[int, str]]:
        """(batch id, code) of each batch in ``remaining`` (id -> (code, quantity_remaining)) whose events do not add
        up to what it says is left."""
        return sorted(
            ((batch_id, code) for batch_id, (code, left) in remaining.items() if self.balance[batch_id] != left),
            key=lambda item: item[1],
        )


def check_chain(events: Iterable[Event], lines: list[Line], batches: dict[int, Batch]) -> ChainResult:
    """Verify ``events`` (every event touching ``batches``) with their quantity ``lines`` (ordered by line id)."""
    events = sorted(events, key=lambda event: event.id)
    walker = ChainWalker(batches)
    walker.feed(events, lines)
    mismatches = [
        code for _id, code in walker.mismatches({b.id: (b.code, b.quantity_remaining) for b in batches.values()})
    ]
    if not walker.problems:
        return ChainResult(not mismatches, len(events), None, None, None, mismatches)
    first = min(walker.problems)
    _batch_id, code, reason = walker.problems[first]
    by_id = {event.id: event for event in events}
    return ChainResult(False, len(events), by_id[first], code, reason, mismatches)


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


AUDIT_CHUNK = 5000  # events per round trip of the full audit


def audit_ledger() -> LedgerAudit:
    """Re-verify every event of the ledger, oldest first, and record what fails (the periodic full check).

    Reads the events a chunk at a time by id (memory grows with the number of lots, not of events), checks each
    hash and link exactly as ``verify`` does, then compares every lot's remaining quantity with its events. The
    audit row is committed first and finished last, so a run that dies is seen as unfinished, never as a pass.
    """
    audit = LedgerAudit(started_at=utcnow())
    db.session.add(audit)
    db.session.commit()
    audit_id = audit.id
    walker = ChainWalker()
    after = 0
    while True:
        events = db.session.scalars(select(Event).where(Event.id > after).order_by(Event.id).limit(AUDIT_CHUNK)).all()
        if not events:
            break
        after = events[-1].id
        ids = select(Event.id).where(Event.id.between(events[0].id, after))
        walker.feed(events, quantity_lines(ids))
        for event in events:  # keep memory flat: the walker keeps what it needs
            db.session.expunge(event)
    remaining = {
        batch_id: (code, left)
        for batch_id, code, left in db.session.execute(select(Batch.id, Batch.code, Batch.quantity_remaining))
    }
    findings = [
        LedgerFinding(audit_id=audit_id, batch_id=batch_id, event_id=event_id, reason=reason)
        for event_id, (batch_id, _code, reason) in sorted(walker.problems.items())
    ] + [
        LedgerFinding(audit_id=audit_id, batch_id=batch_id, event_id=None, reason=QUANTITY_MISMATCH)
        for batch_id, _code in walker.mismatches(remaining)
    ]
    db.session.add_all(findings)
    audit = db.session.get(LedgerAudit, audit_id)
    audit.last_event_id = walker.last_event_id
    audit.events_checked = walker.checked
    audit.batches_checked = len(remaining)
    audit.problems = len(findings)
    audit.finished_at = utcnow()
    trace_versions.mark_changed(db.session())  # every trace page shows the latest audit
    db.session.commit()
    return audit


def latest_audit() -> LedgerAudit | None:
    """The newest finished full audit (None before the first has finished)."""
    return db.session.scalars(
        select(LedgerAudit).where(LedgerAudit.finished_at.is_not(None)).order_by(LedgerAudit.id.desc()).limit(1)
    ).first()


@dataclass(frozen=True)
class LineageVerdict:
    """What the latest full audit said of one lot's lineage."""

    audited_at: datetime | None  # None: no full audit has finished yet
    ok: bool | None  # None: not audited yet
    checked: int  # events of the lineage the audit covered
    newer: int  # events of the lineage written after it, not yet checked in full
    first_bad_event_id: int | None
    bad_batch_code: str | None
    reason: str | None  # CONTENT_CHANGED | LINK_BROKEN
    mismatches: list[str]


@dataclass(frozen=True)
class AuditMark:
    """Which full audit a verdict comes from: enough to read its findings."""

    id: int
    finished_at: datetime
    last_event_id: int


def lineage_verdict(audit: AuditMark | None, event_ids: Iterable[int], batches: dict[int, Batch]) -> LineageVerdict:
    """The verdict of ``audit`` on the events ``event_ids`` of the lots ``batches`` (one query for its findings:
    every finding on an event names a lot of its lines)."""
    event_ids = set(event_ids)
    if audit is None:
        return LineageVerdict(None, None, 0, len(event_ids), None, None, None, [])
    checked = sum(1 for event_id in event_ids if event_id <= audit.last_event_id)
    findings = db.session.execute(
        select(LedgerFinding.event_id, LedgerFinding.batch_id, LedgerFinding.reason).where(
            LedgerFinding.audit_id == audit.id, LedgerFinding.batch_id.in_(batches)
        )
    ).all()
    bad = sorted((event_id, batch_id, reason) for event_id, batch_id, reason in findings if event_id is not None)
    mismatches = sorted(
        batches[batch_id].code
        for event_id, batch_id, reason in findings
        if event_id is None and reason == QUANTITY_MISMATCH
    )
    first = bad[0] if bad else None
    return LineageVerdict(
        audit.finished_at,
        not bad and not mismatches,
        checked,
        len(event_ids) - checked,
        first[0] if first else None,
        batches[first[1]].code if first and first[1] in batches else None,
        first[2] if first else None,
        mismatches,
    )
