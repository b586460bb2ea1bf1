"""Reservations (stock held for a limited time by an unpaid order) and allocations (stock sold to an order line)."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index
from sqlalchemy.orm import Mapped, mapped_column

from core.db import utcnow
from core.extensions import db
from market.models._types import Amount, enum_column


class ReservationStatus(enum.StrEnum):
    ACTIVE = "active"  # holds stock until expires_at
    RELEASED = "released"  # cancelled, expired or failed: the stock went back
    CONVERTED = "converted"  # became an allocation (paid, or accepted for cash on delivery)


class Reservation(db.Model):
    __tablename__ = "market_reservations"
    __table_args__ = (
        CheckConstraint("quantity_g > 0", name="quantity_positive"),
        # The beat job looks for active reservations past their time.
        Index("ix_market_reservations_status_expires", "status", "expires_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    listing_id: Mapped[int] = mapped_column(ForeignKey("market_listings.id"), index=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("market_orders.id", ondelete="CASCADE"), index=True)
    order_line_id: Mapped[int] = mapped_column(ForeignKey("market_order_lines.id", ondelete="CASCADE"), unique=True)
    quantity_g: Mapped[int] = mapped_column(Amount)
    status: Mapped[ReservationStatus] = mapped_column(
        enum_column(ReservationStatus, "reservation_status"), default=ReservationStatus.ACTIVE
    )
    expires_at: Mapped[datetime]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    ended_at: Mapped[datetime | None]


class Allocation(db.Model):
    """Stock sold to an order line; released again only when the seller cancels before shipping."""

    __tablename__ = "market_allocations"
    __table_args__ = (CheckConstraint("quantity_g > 0", name="quantity_positive"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    listing_id: Mapped[int] = mapped_column(ForeignKey("market_listings.id"), index=True)
    order_line_id: Mapped[int] = mapped_column(ForeignKey("market_order_lines.id", ondelete="CASCADE"), unique=True)
    quantity_g: Mapped[int] = mapped_column(Amount)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    released_at: Mapped[datetime | None]
