"""Marketplace records: listings and their stock, reservations and allocations, orders and payments.

Stock follows Saleor's model: a listing offers a quantity of a lot; checkout
*reserves* part of it for a limited time (``Reservation``); payment, or a
seller's acceptance of cash on delivery, turns the reservation into a sale
(``Allocation``). The listing row keeps the running totals (reserved, sold,
shipped) that the conditional updates and the CHECK constraints work on.

Quantities are whole grams (integers) in these tables: the "never oversell"
comparisons run inside the database, and SQLite would do them on floats if the
columns were decimals. Services and schemas speak kilograms as ``Decimal``.
"""

from market.models.ledger import EntryKind, LedgerEntry, Payout, SellerBankAccount
from market.models.listings import Listing, ListingCertification, ListingCommune, ListingStatus
from market.models.orders import Order, OrderEmail, OrderLine, OrderStatus, OrderStatusChange
from market.models.payments import (
    FlagKind,
    Payment,
    PaymentFlag,
    PaymentStatus,
    Refund,
    RefundReason,
    RefundStatus,
    WebhookEvent,
)
from market.models.stock import Allocation, Reservation, ReservationStatus

__all__ = [
    "Allocation",
    "EntryKind",
    "FlagKind",
    "LedgerEntry",
    "Listing",
    "ListingCertification",
    "ListingCommune",
    "ListingStatus",
    "Order",
    "OrderEmail",
    "OrderLine",
    "OrderStatus",
    "OrderStatusChange",
    "Payment",
    "PaymentFlag",
    "Payout",
    "PaymentStatus",
    "Refund",
    "RefundReason",
    "RefundStatus",
    "Reservation",
    "ReservationStatus",
    "SellerBankAccount",
    "WebhookEvent",
]
