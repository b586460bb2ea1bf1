"""The payment interface: how a method turns an order into instructions, confirms payment and records refunds.

Orders never know which method they use beyond its name. A method implements
``PaymentMethod`` and is registered in ``METHODS`` by that name; card payments
(Stripe) and VietQR bank transfers plug in here without touching the order code.
Until they exist, naming them is refused with a clear 422.

Methods write rows in the caller's transaction and never commit; the order
service commits once with the status change they belong to.
"""

from __future__ import annotations

from typing import Protocol

from core.accounts.models import User
from core.errors import ValidationError
from market.messages import (
    PAYMENT_METHOD_NOT_YET,
    PAYMENT_METHOD_NOT_YET_FIELD,
    PAYMENT_METHOD_UNKNOWN,
    PAYMENT_METHOD_UNKNOWN_FIELD,
)
from market.models import Order, Payment, Refund
from market.payments.cod import CashOnDelivery

KNOWN_METHODS = ("card", "vietqr", "cod")
NOT_YET = ("card", "vietqr")


class PaymentMethod(Protocol):
    name: str

    def instructions(self, order: Order) -> dict:
        """What the buyer must do to pay: shown on the order page and in the API answer."""

    def confirm(self, order: Order, *, amount: int, reference: str | None = None, by: User | None = None) -> Payment:
        """Record that the order's money arrived."""

    def refund(self, order: Order, amount: int, reason: str | None = None, *, by: User | None = None) -> Refund:
        """Give back ``amount`` of what was paid and record it."""


METHODS: dict[str, PaymentMethod] = {CashOnDelivery.name: CashOnDelivery()}


def require_method(name: str | None, field: str = "payment_method") -> PaymentMethod:
    """The method named ``name``; 422 naming the field when it is unknown or not available yet."""
    if name in METHODS:
        return METHODS[name]
    if name in NOT_YET:
        raise ValidationError(
            PAYMENT_METHOD_NOT_YET(method=repr(name)), errors={field: [PAYMENT_METHOD_NOT_YET_FIELD(method=name)]}
        )
    unknown = PAYMENT_METHOD_UNKNOWN_FIELD(method=repr(name), allowed=", ".join(KNOWN_METHODS))
    raise ValidationError(PAYMENT_METHOD_UNKNOWN, errors={field: [unknown]})


def method_of(order: Order) -> PaymentMethod:
    return METHODS[order.payment_method]
