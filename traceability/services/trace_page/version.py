"""The trace page's version: what a browser's copy and the server's rendered copy are compared with.

The version of a lot's page is the sum of ``trace_version`` over the lot and its ancestors (every change a page
shows raises the version of the lots it names: ``trace_versions``), with the id of the latest full ledger
audit (its verdict is on the page). One query computes it, whatever the lineage's size; nothing that grows with
the lot's history is read or hashed.

Each process keeps what it learnt in a small memo for ``TRACE_VERSION_TTL`` seconds (default 5): while an entry is
fresh a conditional request is answered 304, and a cached page is sent, without touching the database. A change
made by this process clears the memo at once; a change made by another worker or host is seen when the entry
expires. The pages carry ``Cache-Control: max-age=60`` anyway, so a visitor never waits longer for news than a
shared cache would make them.
"""

from __future__ import annotations

import hashlib
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass
from datetime import datetime

from flask import current_app
from sqlalchemy import func, or_, select

from core.accounts.models import Organization
from core.extensions import db
from traceability.errors import BatchNotFoundError
from traceability.models import Batch, LedgerAudit
from traceability.services import trace_versions
from traceability.services.integrity import AuditMark
from traceability.services.lineage import ANCESTORS, walk_cte

# Change when the page's markup changes, so that no browser keeps an old layout for a new one.
RENDER_VERSION = "3"
MEMO_SIZE = 4096  # lots x languages remembered per process


@dataclass(frozen=True)
class Version:
    code: str
    batch_id: int
    audit: AuditMark | None  # the latest finished full audit, whose verdict the page shows
    etag: str  # a weak entity tag, unquoted: the view sets it with weak=True
    last_modified: datetime


class _Memo:
    """Versions by (code, variant), each for a few seconds; thread-safe, bounded, least recently used out first."""

    def __init__(self) -> None:
        self._entries: OrderedDict[tuple[str, str], tuple[float, Version]] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: tuple[str, str], now: float) -> Version | None:
        with self._lock:
            entry = self._entries.get(key)
            if entry is None or entry[0] <= now:
                return None
            self._entries.move_to_end(key)
            return entry[1]

    def put(self, key: tuple[str, str], version: Version, until: float) -> None:
        with self._lock:
            self._entries[key] = (until, version)
            self._entries.move_to_end(key)
            while len(self._entries) > MEMO_SIZE:
                self._entries.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()


memo = _Memo()
trace_versions.on_commit(memo.clear)


def load_batch(code: str) -> tuple[Batch, Organization]:
    row = db.session.execute(
        select(Batch, Organization).join(Organization, Organization.id == Batch.custodian_id).where(Batch.code == code)
    ).first()
    if row is None:
        raise BatchNotFoundError(code)
    return row[0], row[1]


def _read(code: str) -> tuple | None:
    """(batch id, lots, sum of versions, last change, audit id, audit finished, audit's last event) in one statement;
    None if the code is unknown."""
    start = select(Batch.id).where(Batch.code == code).scalar_subquery()
    walk = walk_cte(start, ANCESTORS)
    audit = (
        select(LedgerAudit.id, LedgerAudit.finished_at, LedgerAudit.last_event_id)
        .where(LedgerAudit.finished_at.is_not(None))
        .order_by(LedgerAudit.id.desc())
        .limit(1)
        .subquery()
    )
    row = db.session.execute(
        select(
            start,
            func.count(Batch.id),
            func.sum(Batch.trace_version),
            func.max(Batch.trace_changed_at),
            select(audit.c.id).scalar_subquery(),
            select(audit.c.finished_at).scalar_subquery(),
            select(audit.c.last_event_id).scalar_subquery(),
        ).where(or_(Batch.id == start, Batch.id.in_(select(walk.c.batch_id))))
    ).one()
    return None if row[0] is None else tuple(row)


def page_version(code: str, variant: str) -> Version:
    """The validators of the page of lot ``code`` as ``variant`` (language, viewer) sees it; 404 if unknown."""
    now = time.monotonic()
    key = (code, variant)
    known = memo.get(key, now)
    if known is not None:
        return known
    row = _read(code)
    if row is None:
        raise BatchNotFoundError(code)
    batch_id, lots, versions, changed_at, audit_id, audited_at, audited_through = row
    last_modified = max(moment for moment in (changed_at, audited_at) if moment is not None)
    parts = (RENDER_VERSION, code, batch_id, lots, versions, audit_id, variant)
    etag = hashlib.sha256("|".join(str(part) for part in parts).encode()).hexdigest()[:32]
    audit = AuditMark(audit_id, audited_at, audited_through) if audit_id is not None else None
    version = Version(code, batch_id, audit, etag, last_modified.replace(microsecond=0))
    ttl = float(current_app.config.get("TRACE_VERSION_TTL", 5))
    if ttl > 0:
        memo.put(key, version, now + ttl)
    return version
