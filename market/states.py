"""The order state machine: which status may follow which, and who may move it there.

Two flows share the statuses. Paid online (card, VietQR; through the payment
interface): pending_payment → paid → accepted → shipped → delivered → completed.
Card orders follow the same path, but only the system (Stripe's webhook) makes them paid.
Cash on delivery: pending_payment → accepted → shipped → delivered, then the
seller's confirmation of the cash makes it paid → completed.

Anywhere a transition is not in the table it is impossible from that status
(409 with the current status, whoever asks); where it is in the table but the
caller plays none of the named parts it is forbidden (403). ``system`` is the
platform itself: the beat job that expires orders, a payment provider's webhook.
"""

from __future__ import annotations

from market.models.orders import OrderStatus as S

BUYER, SELLER, SYSTEM = "buyer", "seller", "system"
CASH_ON_DELIVERY = "cod"
CARD_PAYMENT = "card"

_REFUNDS = {S.REFUNDED: {SELLER}, S.PARTIALLY_REFUNDED: {SELLER}}

ONLINE: dict[S, dict[S, set[str]]] = {
    S.PENDING_PAYMENT: {S.PAID: {SELLER, SYSTEM}, S.CANCELLED: {BUYER, SELLER, SYSTEM}, S.EXPIRED: {SYSTEM}},
    S.PAID: {S.ACCEPTED: {SELLER}, S.CANCELLED: {SELLER}},
    S.ACCEPTED: {S.SHIPPED: {SELLER}, S.CANCELLED: {SELLER}},
    S.SHIPPED: {S.DELIVERED: {BUYER, SELLER}},
    S.DELIVERED: {S.COMPLETED: {BUYER, SELLER, SYSTEM}, **_REFUNDS},
    S.COMPLETED: dict(_REFUNDS),
    S.PARTIALLY_REFUNDED: dict(_REFUNDS),
}

# A card order is paid only on Stripe's word (its signed webhook): no person can say the money arrived.
CARD: dict[S, dict[S, set[str]]] = {
    **ONLINE,
    S.PENDING_PAYMENT: {**ONLINE[S.PENDING_PAYMENT], S.PAID: {SYSTEM}},
}

COD: dict[S, dict[S, set[str]]] = {
    S.PENDING_PAYMENT: {S.ACCEPTED: {SELLER}, S.CANCELLED: {BUYER, SELLER}, S.EXPIRED: {SYSTEM}},
    S.ACCEPTED: {S.SHIPPED: {SELLER}, S.CANCELLED: {SELLER}},
    S.SHIPPED: {S.DELIVERED: {BUYER, SELLER}},
    S.DELIVERED: {S.PAID: {SELLER}},
    S.PAID: {S.COMPLETED: {BUYER, SELLER, SYSTEM}, **_REFUNDS},
    S.COMPLETED: dict(_REFUNDS),
    S.PARTIALLY_REFUNDED: dict(_REFUNDS),
}

# Statuses in which the buyer's stock is still only reserved (not yet sold).
RESERVED = frozenset({S.PENDING_PAYMENT})
# Statuses after which nothing more happens to the goods.
FINAL = frozenset({S.CANCELLED, S.EXPIRED, S.REFUNDED})


def table(payment_method: str) -> dict[S, dict[S, set[str]]]:
    if payment_method == CASH_ON_DELIVERY:
        return COD
    return CARD if payment_method == CARD_PAYMENT else ONLINE


def allowed_roles(payment_method: str, current: S, target: S) -> frozenset[str] | None:
    """Who may move an order of this payment method from ``current`` to ``target``; None when impossible."""
    roles = table(payment_method).get(current, {}).get(target)
    return frozenset(roles) if roles is not None else None


def next_statuses(payment_method: str, current: S, roles: set[str]) -> list[S]:
    """The statuses the caller may move the order to now (for the buttons on the order page)."""
    return [target for target, who in table(payment_method).get(current, {}).items() if who & roles]


def sells_on(payment_method: str) -> S:
    """The transition that turns the reservation into a sale: payment, or the seller accepting of cash on delivery."""
    return S.ACCEPTED if payment_method == CASH_ON_DELIVERY else S.PAID
