"""The append-only event log (EPCIS 2.0 shaped) with its quantities and error declarations.

No code path updates or deletes these rows. Each event stores a SHA-256 over a
canonical serialization of its content and of the previous event hash of every
batch it touches, so that an edit made behind the application's back shows.
"""

from __future__ import annotations

import enum
from datetime import datetime
from decimal import Decimal

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from core.db import utcnow
from core.extensions import db
from traceability.models._types import Document, Quantity, enum_column


class EventType(enum.StrEnum):
    OBJECT = "ObjectEvent"
    AGGREGATION = "AggregationEvent"
    TRANSFORMATION = "TransformationEvent"
    TRANSACTION = "TransactionEvent"


class QuantityRole(enum.StrEnum):
    INPUT = "input"  # taken out of the batch (consumed, split away, shipped part)
    OUTPUT = "output"  # put into the batch (harvested, produced, split into)
    OBSERVED = "observed"  # the batch was observed/processed without a change of quantity


class Event(db.Model):
    __tablename__ = "events"
    __table_args__ = (
        CheckConstraint(
            "event_time_zone_offset LIKE '+__:__' OR event_time_zone_offset LIKE '-__:__'", name="tz_offset"
        ),
        Index("ix_events_event_time", "event_time"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # EPCIS eventID (urn:uuid:...), stable across exports.
    event_uuid: Mapped[str] = mapped_column(String(45), unique=True)
    type: Mapped[EventType] = mapped_column(enum_column(EventType, "event_type", 24))
    action: Mapped[str | None] = mapped_column(String(10))  # ADD | OBSERVE | DELETE; none for transformations
    # Our operation name: harvest, process, split, merge, transform, ship, receive, correct.
    operation: Mapped[str] = mapped_column(String(20), index=True)
    biz_step: Mapped[str] = mapped_column(String(200))  # CBV word, or a URI of our vocabulary
    disposition: Mapped[str | None] = mapped_column(String(200))
    event_time: Mapped[datetime]
    event_time_zone_offset: Mapped[str] = mapped_column(String(6), default="+07:00")
    record_time: Mapped[datetime] = mapped_column(default=utcnow)
    # where: a plot (read point) or a named facility in a commune
    plot_id: Mapped[int | None] = mapped_column(ForeignKey("plots.id"))
    location_name: Mapped[str | None] = mapped_column(String(200))
    location_commune_code: Mapped[str | None] = mapped_column(String(10))
    # who
    organization_id: Mapped[int] = mapped_column(ForeignKey("organizations.id"), index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    # how: [{"type": "moisture", "value": "10.5", "unit": "percent"}, ...]
    measurements: Mapped[list[dict]] = mapped_column(Document, default=list)
    photos: Mapped[list[str]] = mapped_column(Document, default=list)  # StoredFile public ids
    note: Mapped[str | None] = mapped_column(Text)
    # EPCIS bizTransactionList / sourceList / destinationList and ilmd, as stored documents.
    extra: Mapped[dict] = mapped_column(Document, default=dict)
    # A transformation outside its commodity's conversion band needs a reason; it is kept and flagged.
    anomaly_reason: Mapped[str | None] = mapped_column(Text)
    # Tamper evidence
    prev_hashes: Mapped[dict] = mapped_column(Document, default=dict)  # batch code -> previous event hash (or None)
    content_hash: Mapped[str] = mapped_column(String(64))


class EventQuantity(db.Model):
    """How much of which batch an event took (input), made (output) or only observed."""

    __tablename__ = "event_quantities"
    __table_args__ = (
        CheckConstraint("quantity >= 0", name="quantity_not_negative"),
        Index("ix_event_quantities_batch_event", "batch_id", "event_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id"), index=True)
    batch_id: Mapped[int] = mapped_column(ForeignKey("batches.id"))
    role: Mapped[QuantityRole] = mapped_column(enum_column(QuantityRole, "quantity_role", 10))
    quantity: Mapped[Decimal] = mapped_column(Quantity)
    unit: Mapped[str] = mapped_column(String(4))


class ErrorDeclaration(db.Model):
    """EPCIS error declaration: the original event stays; this says it was wrong and which events correct it."""

    __tablename__ = "error_declarations"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id"), unique=True)
    reason: Mapped[str] = mapped_column(String(40))  # did_not_occur | incorrect_data
    note: Mapped[str | None] = mapped_column(Text)
    corrective_event_ids: Mapped[list[int]] = mapped_column(Document, default=list)
    declared_at: Mapped[datetime] = mapped_column(default=utcnow)
    declared_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    organization_id: Mapped[int] = mapped_column(ForeignKey("organizations.id"))
