"""The payment interface: how a method turns an order into instructions, confirms payment and records refunds.

Orders never know which method they use beyond its name. A method implements
``PaymentMethod`` and is registered in ``METHODS`` by that name: cash on
delivery (``cod``), card payments through Stripe (``card``) and VietQR bank
transfers (``vietqr``). A method is offered only where it works end to end:
cards once Stripe is configured, transfers once the seller has given the bank
account they are paid into; naming one that is not is refused with a clear 422.

Methods write rows in the caller's transaction and never commit; the order
service commits once with the status change they belong to. Anything a method
must ask a provider (Stripe) happens outside that transaction, in the services
that own the call (``market.services.card_payments``, ``market.services.refunds``).
"""

from __future__ import annotations

from typing import Protocol

from core.accounts.models import User
from core.errors import ValidationError
from core.messages import Message
from market.messages import PAYMENT_METHOD_UNKNOWN, PAYMENT_METHOD_UNKNOWN_FIELD
from market.models import Order, Payment, Refund
from market.payments.bank_transfer import BankTransfer
from market.payments.card import CardPayments
from market.payments.cod import CashOnDelivery

KNOWN_METHODS = ("card", "vietqr", "cod")


class PaymentMethod(Protocol):
    name: str
    # Whether the money passes through the platform (cards), or goes straight to the seller (cash, a transfer
    # to the seller's own account): the payout ledger owes the producer the first, and charges them the fee of both.
    collected_by_platform: bool

    def unavailable(self, seller_id: int | None) -> tuple[Message, Message] | None:
        """Why this seller cannot take this method now (the problem and the field's message); None when it can."""

    def instructions(self, order: Order) -> dict:
        """What the buyer must do to pay: shown on the order page and in the API answer."""

    def confirm(self, order: Order, *, amount: int, reference: str | None = None, by: User | None = None) -> Payment:
        """Record that the order's money arrived."""

    def refund(
        self,
        order: Order,
        amount: int,
        reason: str | None = None,
        *,
        by: User | None = None,
        reason_code: str = "other",
        reference: str | None = None,
    ) -> Refund:
        """Give back ``amount`` of what was paid and record it (a card refund is sent to Stripe after the commit)."""


METHODS: dict[str, PaymentMethod] = {
    method.name: method for method in (CashOnDelivery(), CardPayments(), BankTransfer())
}


def require_method(name: str | None, field: str = "payment_method", *, seller_id: int | None = None) -> PaymentMethod:
    """The method named ``name``; 422 naming the field when it is unknown or not available (to this seller)."""
    method = METHODS.get(name or "")
    if method is None:
        unknown = PAYMENT_METHOD_UNKNOWN_FIELD(method=repr(name), allowed=", ".join(KNOWN_METHODS))
        raise ValidationError(PAYMENT_METHOD_UNKNOWN, errors={field: [unknown]})
    problem = method.unavailable(seller_id)
    if problem is not None:
        detail, reason = problem
        raise ValidationError(detail, errors={field: [reason]})
    return method


def offered_methods(seller_id: int | None) -> list[str]:
    """The methods this seller can enable now (for the listing form)."""
    return [name for name in KNOWN_METHODS if METHODS[name].unavailable(seller_id) is None]


def method_of(order: Order) -> PaymentMethod:
    return METHODS[order.payment_method]
