"""EPCIS capture: documents sent to us to be mapped into our lots and events, and the classes they named."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from core.db import utcnow
from core.extensions import db
from traceability.models._types import Document, enum_column


class CaptureStatus(enum.StrEnum):
    PENDING = "pending"  # waiting for a worker
    SUCCEEDED = "succeeded"  # every event applied, in one transaction
    FAILED = "failed"  # nothing applied; ``errors`` says which events and why


class CaptureJob(db.Model):
    __tablename__ = "epcis_capture_jobs"

    id: Mapped[int] = mapped_column(primary_key=True)
    # Random, in URLs instead of the sequential id.
    public_id: Mapped[str] = mapped_column(String(32), unique=True)
    # The organization the document's events are recorded for, and who sent it.
    organization_id: Mapped[int] = mapped_column(ForeignKey("organizations.id"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    status: Mapped[CaptureStatus] = mapped_column(
        enum_column(CaptureStatus, "epcis_capture_status", 10), default=CaptureStatus.PENDING
    )
    document: Mapped[dict] = mapped_column(Document)  # the EPCISDocument as sent (schema-valid)
    event_count: Mapped[int]
    # [{"index": 0, "eventID": "urn:uuid:...", "code": "unknown_lot", "message": "...", "params": {...}}]
    errors: Mapped[list[dict]] = mapped_column(Document, default=list)
    # On success: {"events": [our event uuids, in document order], "batches": {class URI: our lot code}}
    result: Mapped[dict] = mapped_column(Document, default=dict)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    finished_at: Mapped[datetime | None]


class CapturedClass(db.Model):
    """Another system's EPC class, captured as one of our lots: later documents naming it reach the same lot."""

    __tablename__ = "epcis_captured_classes"
    __table_args__ = (UniqueConstraint("organization_id", "epc_class"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    organization_id: Mapped[int] = mapped_column(ForeignKey("organizations.id"))
    epc_class: Mapped[str] = mapped_column(String(500))
    batch_id: Mapped[int] = mapped_column(ForeignKey("batches.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
