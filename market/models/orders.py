"""Orders (one per seller per checkout), their lines and the record of every status change."""

from __future__ import annotations

import enum
from datetime import datetime
from decimal import Decimal

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from core.db import utcnow
from core.extensions import db
from market.models._types import Amount, enum_column, new_public_id
from market.quantities import grams_to_kg


class OrderStatus(enum.StrEnum):
    PENDING_PAYMENT = "pending_payment"
    PAID = "paid"
    ACCEPTED = "accepted"
    SHIPPED = "shipped"
    DELIVERED = "delivered"
    COMPLETED = "completed"
    CANCELLED = "cancelled"
    EXPIRED = "expired"
    REFUNDED = "refunded"
    PARTIALLY_REFUNDED = "partially_refunded"


class Order(db.Model):
    __tablename__ = "market_orders"
    __table_args__ = (
        CheckConstraint("subtotal >= 0 AND delivery_fee >= 0", name="amounts_not_negative"),
        CheckConstraint("total = subtotal + delivery_fee", name="total_adds_up"),
        CheckConstraint("refunded_amount >= 0 AND refunded_amount <= total", name="refund_within_total"),
        CheckConstraint("delivery_method IN ('pickup', 'delivery')", name="delivery_method"),
        CheckConstraint("delivery_method = 'pickup' OR delivery_commune_code IS NOT NULL", name="delivery_has_address"),
        CheckConstraint("buyer_id <> seller_id", name="different_parties"),
        Index("ix_market_orders_buyer_created", "buyer_id", "created_at"),
        Index("ix_market_orders_seller_created", "seller_id", "created_at"),
        Index("ix_market_orders_status_expires", "status", "expires_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    public_id: Mapped[str] = mapped_column(String(12), unique=True, default=new_public_id)
    checkout_id: Mapped[str] = mapped_column(String(36), index=True)  # the orders one checkout made
    buyer_id: Mapped[int] = mapped_column(ForeignKey("organizations.id"))
    seller_id: Mapped[int] = mapped_column(ForeignKey("organizations.id"))
    placed_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    status: Mapped[OrderStatus] = mapped_column(
        enum_column(OrderStatus, "order_status"), default=OrderStatus.PENDING_PAYMENT
    )
    payment_method: Mapped[str] = mapped_column(String(20))
    delivery_method: Mapped[str] = mapped_column(String(20))
    delivery_commune_code: Mapped[str | None] = mapped_column(String(10))
    delivery_street: Mapped[str | None] = mapped_column(String(300))
    subtotal: Mapped[int] = mapped_column(Amount)
    delivery_fee: Mapped[int] = mapped_column(Amount, default=0)
    total: Mapped[int] = mapped_column(Amount)
    refunded_amount: Mapped[int] = mapped_column(Amount, default=0)
    # Until when the reservation holds (payment due, or the seller's time to accept cash on delivery).
    expires_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    lines: Mapped[list[OrderLine]] = relationship(
        back_populates="order", cascade="all, delete-orphan", order_by="OrderLine.id"
    )
    history: Mapped[list[OrderStatusChange]] = relationship(
        cascade="all, delete-orphan", order_by="OrderStatusChange.id"
    )


class OrderLine(db.Model):
    __tablename__ = "market_order_lines"
    __table_args__ = (
        CheckConstraint("quantity_g > 0", name="quantity_positive"),
        CheckConstraint("unit_price > 0 AND line_total >= 0", name="amounts"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("market_orders.id", ondelete="CASCADE"), index=True)
    listing_id: Mapped[int] = mapped_column(ForeignKey("market_listings.id"), index=True)
    batch_id: Mapped[int] = mapped_column(ForeignKey("batches.id"))
    batch_code: Mapped[str] = mapped_column(String(16))
    title: Mapped[str] = mapped_column(String(200))  # as it was when ordered
    quantity_g: Mapped[int] = mapped_column(Amount)
    unit_price: Mapped[int] = mapped_column(Amount)  # VND per kg, the volume tier applied
    line_total: Mapped[int] = mapped_column(Amount)
    # Filled when the order ships: the buyer's own lot split off the seller's, and its shipment.
    buyer_batch_code: Mapped[str | None] = mapped_column(String(16))
    shipment_id: Mapped[int | None] = mapped_column(ForeignKey("shipments.id"))

    order: Mapped[Order] = relationship(back_populates="lines")

    @property
    def quantity(self) -> Decimal:
        return grams_to_kg(self.quantity_g)


class OrderStatusChange(db.Model):
    """Who moved an order from one status to another, and when (``by`` is empty for the system)."""

    __tablename__ = "market_order_status_changes"

    id: Mapped[int] = mapped_column(primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("market_orders.id", ondelete="CASCADE"), index=True)
    from_status: Mapped[str | None] = mapped_column(String(24))
    to_status: Mapped[str] = mapped_column(String(24))
    by_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    at: Mapped[datetime] = mapped_column(default=utcnow)
    note: Mapped[str | None] = mapped_column(Text)


class OrderEmail(db.Model):
    """An order email the mail server accepted: one per order, event and recipient.

    Each is committed as soon as the server says 250, so a retry of the sending task after a partial failure
    (one recipient refused, the connection dropped) sends only what was not accepted.
    """

    __tablename__ = "market_order_emails"
    __table_args__ = (UniqueConstraint("order_id", "event", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("market_orders.id", ondelete="CASCADE"))
    event: Mapped[str] = mapped_column(String(20))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    message_id: Mapped[str] = mapped_column(String(200))
    sent_at: Mapped[datetime] = mapped_column(default=utcnow)
