"""What the platform owes each producer: an append-only ledger of sales, fees, refunds and payouts.

Stripe cannot pay out to Vietnamese bank accounts, so card money is collected by
the platform and paid on to the producer by bank transfer. Every movement is an
entry that is never changed or deleted: a refund or a payout is a new entry with
the opposite sign. A producer's balance is the sum of the ``net`` of its
entries, nothing else.

``net`` is what the entry moves between the platform and the producer:
gross − fee when the platform collected the money (card), −fee when the producer
collected it themselves (cash, a VietQR transfer to their own account), and
−amount for a payout.
"""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text, event
from sqlalchemy.orm import Mapped, mapped_column

from core.db import utcnow
from core.extensions import db
from market.models._types import Amount, enum_column


class EntryKind(enum.StrEnum):
    SALE = "sale"  # one order line, or the order's delivery fee, once the order is paid
    REFUND = "refund"  # a refund's share of one line or of the delivery
    REFUND_REVERSED = "refund_reversed"  # a refund the provider failed: its share comes back
    PAYOUT = "payout"  # a bank transfer from the platform to the producer


class LedgerEntry(db.Model):
    __tablename__ = "market_ledger_entries"
    __table_args__ = (
        CheckConstraint(
            "(collected_by_platform AND net = gross - fee) OR (NOT collected_by_platform AND net = -fee)"
            " OR kind = 'payout'",
            name="net_adds_up",
        ),
        CheckConstraint("kind <> 'payout' OR (gross = 0 AND fee = 0 AND net < 0)", name="payout_shape"),
        Index("ix_market_ledger_entries_seller_id", "seller_id", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    seller_id: Mapped[int] = mapped_column(ForeignKey("organizations.id"))
    kind: Mapped[EntryKind] = mapped_column(enum_column(EntryKind, "ledger_entry_kind"))
    order_id: Mapped[int | None] = mapped_column(ForeignKey("market_orders.id"), index=True)
    order_line_id: Mapped[int | None] = mapped_column(ForeignKey("market_order_lines.id"))
    refund_id: Mapped[int | None] = mapped_column(ForeignKey("market_refunds.id"))
    payout_id: Mapped[int | None] = mapped_column(ForeignKey("market_payouts.id"))
    collected_by_platform: Mapped[bool] = mapped_column(default=True)
    gross: Mapped[int] = mapped_column(Amount, default=0)
    fee: Mapped[int] = mapped_column(Amount, default=0)
    net: Mapped[int] = mapped_column(Amount)
    description: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


@event.listens_for(LedgerEntry, "before_update")
@event.listens_for(LedgerEntry, "before_delete")
def _entries_are_immutable(mapper, connection, target) -> None:
    raise RuntimeError("Ledger entries are never changed or deleted: write an entry with the opposite sign.")


class Payout(db.Model):
    """A bank transfer of what the platform owed a producer, recorded by an administrator."""

    __tablename__ = "market_payouts"
    __table_args__ = (CheckConstraint("amount > 0", name="amount_positive"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    seller_id: Mapped[int] = mapped_column(ForeignKey("organizations.id"), index=True)
    amount: Mapped[int] = mapped_column(Amount)
    bank_reference: Mapped[str] = mapped_column(String(100), unique=True)
    note: Mapped[str | None] = mapped_column(Text)
    recorded_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class SellerBankAccount(db.Model):
    """Where a producer is paid: VietQR transfers from buyers, and the platform's payouts."""

    __tablename__ = "market_seller_bank_accounts"

    organization_id: Mapped[int] = mapped_column(ForeignKey("organizations.id", ondelete="CASCADE"), primary_key=True)
    bank_bin: Mapped[str] = mapped_column(String(6))  # NAPAS bank identification number
    account_number: Mapped[str] = mapped_column(String(19))
    account_name: Mapped[str] = mapped_column(String(100))
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
