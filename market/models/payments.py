"""Payments and refunds of orders, whatever the method, and what the payment providers told us.

A ``Payment`` is the one money-in record of an order (card, VietQR transfer or
cash). A card payment may take several attempts (a declined card, an abandoned
3-D Secure check): ``reference`` is the PaymentIntent of the latest attempt and
``attempt`` counts them, so each attempt has its own idempotency key at Stripe.
"""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from core.db import utcnow
from core.extensions import db
from market.models._types import Amount, Document, enum_column


class PaymentStatus(enum.StrEnum):
    PENDING = "pending"
    # The provider is finishing it (3-D Secure, a card network's answer): not money yet.
    PROCESSING = "processing"
    CONFIRMED = "confirmed"
    FAILED = "failed"


class Payment(db.Model):
    __tablename__ = "market_payments"
    __table_args__ = (
        CheckConstraint("amount >= 0", name="amount_not_negative"),
        CheckConstraint("attempt >= 0", name="attempt_not_negative"),
        # A provider's reference (a PaymentIntent id, a bank transaction) is processed once.
        UniqueConstraint("method", "reference"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("market_orders.id", ondelete="CASCADE"), unique=True)
    method: Mapped[str] = mapped_column(String(20))
    amount: Mapped[int] = mapped_column(Amount)
    currency: Mapped[str] = mapped_column(String(3), default="VND")
    status: Mapped[PaymentStatus] = mapped_column(
        enum_column(PaymentStatus, "payment_status"), default=PaymentStatus.PENDING
    )
    reference: Mapped[str | None] = mapped_column(String(100))
    attempt: Mapped[int] = mapped_column(default=0)
    # Why the latest attempt failed, as the provider coded it (card_declined, insufficient_funds, ...).
    failure_code: Mapped[str | None] = mapped_column(String(60))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    confirmed_at: Mapped[datetime | None]
    confirmed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))


class RefundStatus(enum.StrEnum):
    PENDING = "pending"  # recorded here, not yet accepted by the provider
    SUCCEEDED = "succeeded"
    FAILED = "failed"


class RefundReason(enum.StrEnum):
    """Why money goes back. Only ``cancelled`` (before the goods left the seller) puts the stock back on offer."""

    CANCELLED = "cancelled"
    DAMAGED = "damaged"
    QUALITY = "quality"
    SHORT_DELIVERY = "short_delivery"
    LATE = "late"
    GOODWILL = "goodwill"
    OTHER = "other"


class Refund(db.Model):
    __tablename__ = "market_refunds"
    __table_args__ = (
        CheckConstraint("amount > 0", name="amount_positive"),
        UniqueConstraint("provider_refund_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("market_orders.id", ondelete="CASCADE"), index=True)
    method: Mapped[str] = mapped_column(String(20))
    amount: Mapped[int] = mapped_column(Amount)
    reason: Mapped[str | None] = mapped_column(Text)
    reason_code: Mapped[RefundReason] = mapped_column(
        enum_column(RefundReason, "refund_reason"), default=RefundReason.OTHER
    )
    status: Mapped[RefundStatus] = mapped_column(
        enum_column(RefundStatus, "refund_status"), default=RefundStatus.SUCCEEDED
    )
    # The bank transfer or cash receipt that gave the money back (VietQR, cash), typed by the seller.
    reference: Mapped[str | None] = mapped_column(String(100))
    provider_refund_id: Mapped[str | None] = mapped_column(String(100))  # Stripe's re_...
    failure_reason: Mapped[str | None] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    by_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))


class WebhookEvent(db.Model):
    """A provider's event, kept so that each is applied once: its row is written in the transaction of its effect."""

    __tablename__ = "market_webhook_events"
    __table_args__ = (UniqueConstraint("provider", "event_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    provider: Mapped[str] = mapped_column(String(20))
    event_id: Mapped[str] = mapped_column(String(100))
    type: Mapped[str] = mapped_column(String(100))
    # What we did with it: applied, ignored (unknown type, stale), flagged (sent for review).
    outcome: Mapped[str] = mapped_column(String(20))
    object_id: Mapped[str | None] = mapped_column(String(100), index=True)
    received_at: Mapped[datetime] = mapped_column(default=utcnow)


class FlagKind(enum.StrEnum):
    AMOUNT_MISMATCH = "amount_mismatch"  # the provider took another amount or currency than the order's
    PAID_THERE_NOT_HERE = "paid_there_not_here"  # Stripe says succeeded, our order is not paid
    PAID_HERE_NOT_THERE = "paid_here_not_there"  # our order is paid by card, Stripe does not say succeeded
    UNKNOWN_PAYMENT = "unknown_payment"  # a PaymentIntent or transfer we cannot match to an order
    REFUND_FAILED = "refund_failed"  # a refund we recorded was refused or failed at the provider
    LATE_PAYMENT = "late_payment"  # money arrived for an order already cancelled or expired


class PaymentFlag(db.Model):
    """A difference between our records and a provider's, waiting for a person to look at it."""

    __tablename__ = "market_payment_flags"
    __table_args__ = (
        # The daily reconciliation raises a difference once, however many days it stays.
        UniqueConstraint("kind", "provider_reference"),
        Index("ix_market_payment_flags_open", "resolved_at", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[FlagKind] = mapped_column(enum_column(FlagKind, "payment_flag_kind"))
    order_id: Mapped[int | None] = mapped_column(ForeignKey("market_orders.id", ondelete="SET NULL"), index=True)
    provider_reference: Mapped[str] = mapped_column(String(100))
    # What each side said, for the person reviewing it: amounts, currencies, statuses.
    details: Mapped[dict] = mapped_column(Document, default=dict)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    resolved_at: Mapped[datetime | None]
    resolved_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    resolution_note: Mapped[str | None] = mapped_column(Text)
