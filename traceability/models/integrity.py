"""Ledger audits: the periodic full re-verification of every event's hash and chain link, and what each found.

The trace page shows the latest finished audit's verdict for a lot's lineage instead of re-hashing the lineage on
every request (integrity.audit_ledger; beat runs it every ``LEDGER_AUDIT_MINUTES``).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from core.db import utcnow
from core.extensions import db


class LedgerAudit(db.Model):
    __tablename__ = "ledger_audits"

    id: Mapped[int] = mapped_column(primary_key=True)
    started_at: Mapped[datetime] = mapped_column(default=utcnow)
    finished_at: Mapped[datetime | None]  # None while running, or if the run died
    # The highest event id the audit covered: later events are not yet checked in full.
    last_event_id: Mapped[int] = mapped_column(default=0)
    events_checked: Mapped[int] = mapped_column(default=0)
    batches_checked: Mapped[int] = mapped_column(default=0)
    problems: Mapped[int] = mapped_column(default=0)


class LedgerFinding(db.Model):
    """One event whose content or link no longer matches (``event_id``), or a lot whose remaining quantity no longer
    adds up (``event_id`` None)."""

    __tablename__ = "ledger_findings"
    __table_args__ = (Index("ix_ledger_findings_audit_batch", "audit_id", "batch_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    audit_id: Mapped[int] = mapped_column(ForeignKey("ledger_audits.id", ondelete="CASCADE"))
    # The lot whose link broke, or the first lot of the event's lines (None: an event left with no lines at all).
    batch_id: Mapped[int | None] = mapped_column(ForeignKey("batches.id", ondelete="CASCADE"))
    event_id: Mapped[int | None] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"))
    reason: Mapped[str] = mapped_column(String(20))  # content_changed | link_broken | quantity_mismatch
