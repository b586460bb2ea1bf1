"""Batches (lots), their origin plots, lineage edges and shipments between organizations."""

from __future__ import annotations

import enum
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from core.db import utcnow
from core.extensions import db
from traceability.models._types import Quantity, enum_column


class BatchStatus(enum.StrEnum):
    ACTIVE = "active"  # held by its custodian, can be processed, split, shipped
    IN_TRANSIT = "in_transit"  # shipped, waiting for the receiver to confirm
    CONSUMED = "consumed"  # nothing left: merged, transformed or split away entirely


class Batch(db.Model):
    __tablename__ = "batches"
    __table_args__ = (
        CheckConstraint("quantity_remaining >= 0", name="remaining_not_negative"),
        CheckConstraint("quantity_remaining <= initial_quantity", name="remaining_within_initial"),
        CheckConstraint("initial_quantity > 0", name="initial_positive"),
        CheckConstraint("unit IN ('kg', 't')", name="unit"),
        CheckConstraint(
            "harvest_end IS NULL OR harvest_start IS NULL OR harvest_end >= harvest_start", name="harvest_range"
        ),
        UniqueConstraint("gtin", "lot_number"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # Short random public code (unambiguous characters); the only identifier that appears in public URLs.
    code: Mapped[str] = mapped_column(String(16), unique=True)
    commodity: Mapped[str] = mapped_column(String(20), index=True)  # cashew | pepper | rubber
    product: Mapped[str] = mapped_column(String(40), index=True)  # product form, e.g. raw_cashew_nuts, svr
    grade: Mapped[str | None] = mapped_column(String(20))  # W240, 500gl, SVR10, ...
    unit: Mapped[str] = mapped_column(String(4), default="kg")
    initial_quantity: Mapped[Decimal] = mapped_column(Quantity)
    # Derived from the batch's events (outputs minus inputs) and kept here, under the batch's
    # row lock, so that checks and lists need no aggregate; a CHECK keeps it from going below zero.
    quantity_remaining: Mapped[Decimal] = mapped_column(Quantity)
    drc_percent: Mapped[Decimal | None] = mapped_column(Quantity)  # dry rubber content of latex
    custodian_id: Mapped[int] = mapped_column(ForeignKey("organizations.id"), index=True)
    status: Mapped[BatchStatus] = mapped_column(enum_column(BatchStatus, "batch_status"), default=BatchStatus.ACTIVE)
    harvest_start: Mapped[date | None]
    harvest_end: Mapped[date | None]
    gtin: Mapped[str | None] = mapped_column(String(14))  # GTIN-14, check digit validated
    lot_number: Mapped[str | None] = mapped_column(String(20))  # GS1 AI (10)
    # True when some input came from outside the system with no known plots: never EUDR-ready.
    unknown_origin: Mapped[bool] = mapped_column(default=False)
    note: Mapped[str | None] = mapped_column(Text)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # Raised by one whenever something the lot's public page shows changes: an event touching the lot, a recall,
    # a correction, its plots, their certificates, its or its farms' organizations (trace_versions). The
    # page's version is the sum over the lot and its ancestors, so a change anywhere upstream changes it too.
    trace_version: Mapped[int] = mapped_column(default=0, server_default="0")
    trace_changed_at: Mapped[datetime] = mapped_column(default=utcnow)


class BatchPlot(db.Model):
    """The set of plots a batch's produce came from: follows every split, merge and transform."""

    __tablename__ = "batch_plots"
    __table_args__ = (UniqueConstraint("batch_id", "plot_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    batch_id: Mapped[int] = mapped_column(ForeignKey("batches.id", ondelete="CASCADE"), index=True)
    plot_id: Mapped[int] = mapped_column(ForeignKey("plots.id"), index=True)


class BatchLink(db.Model):
    """A lineage edge: produce of ``parent`` went into ``child`` through ``event``."""

    __tablename__ = "batch_links"
    __table_args__ = (
        UniqueConstraint("parent_id", "child_id", "event_id"),
        CheckConstraint("parent_id <> child_id", name="not_self"),
        # Lineage walks (services.lineage) read every column but the id from these: index-only scans, so that each
        # recursive step is an index lookup per lot reached, not a scan of all the links.
        Index("ix_batch_links_child_walk", "child_id", "parent_id", "event_id", "quantity"),
        Index("ix_batch_links_parent_walk", "parent_id", "child_id", "event_id", "quantity"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    parent_id: Mapped[int] = mapped_column(ForeignKey("batches.id"))
    child_id: Mapped[int] = mapped_column(ForeignKey("batches.id"))
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id"))
    quantity: Mapped[Decimal | None] = mapped_column(Quantity)  # of the parent, in the parent's unit


class ShipmentStatus(enum.StrEnum):
    IN_TRANSIT = "in_transit"
    RECEIVED = "received"


class Shipment(db.Model):
    """Custody of one batch moving to another organization; the receiver confirms."""

    __tablename__ = "shipments"
    __table_args__ = (CheckConstraint("from_organization_id <> to_organization_id", name="different_parties"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    batch_id: Mapped[int] = mapped_column(ForeignKey("batches.id"), index=True)
    from_organization_id: Mapped[int] = mapped_column(ForeignKey("organizations.id"), index=True)
    to_organization_id: Mapped[int] = mapped_column(ForeignKey("organizations.id"), index=True)
    status: Mapped[ShipmentStatus] = mapped_column(
        enum_column(ShipmentStatus, "shipment_status"), default=ShipmentStatus.IN_TRANSIT
    )
    reference: Mapped[str | None] = mapped_column(String(100))  # delivery note / invoice number (EPCIS bizTransaction)
    shipped_event_id: Mapped[int] = mapped_column(ForeignKey("events.id"))
    received_event_id: Mapped[int | None] = mapped_column(ForeignKey("events.id"))
    shipped_at: Mapped[datetime] = mapped_column(default=utcnow)
    received_at: Mapped[datetime | None]
    shipped_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    received_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
