"""Errors the marketplace services raise; core.errors maps them to HTTP.

Their details are ``market.messages`` (a code, an English template, typed parameters), so the API keeps its
English text and pages show them translated.
"""

from __future__ import annotations

from core.errors import Conflict, DomainError, NotFound
from core.messages import Message
from market.messages import LISTING_NOT_FOUND, ORDER_LAPSED, ORDER_NOT_FOUND, TRANSITION_NOT_ALLOWED


class ListingNotFoundError(NotFound):
    code = "listing_not_found"

    def __init__(self, listing_id: str):
        super().__init__(LISTING_NOT_FOUND(listing=repr(listing_id)))


class OrderNotFoundError(NotFound):
    code = "order_not_found"

    def __init__(self, order_id: str):
        super().__init__(ORDER_NOT_FOUND(order=repr(order_id)))


class ListingSoldOutError(Conflict):
    """Less is left to reserve than was asked (someone else's checkout got there first)."""

    code = "sold_out"


class ListingUnavailableError(Conflict):
    """The listing is paused, a draft or sold out: it cannot be ordered now."""

    code = "listing_unavailable"


class TransitionNotAllowedError(Conflict):
    """The order cannot go to the asked status from the one it is in; the answer names the current status."""

    code = "transition_not_allowed"

    def __init__(self, current: str, target: str, detail: Message | None = None):
        super().__init__(detail or TRANSITION_NOT_ALLOWED(current=current, target=target), current_status=current)


class LotNotSaleableError(Conflict):
    """The lot behind a listing changed since it was listed (recalled, split, shipped away): the sale cannot go on.

    ``problem`` says which (``recalled``, ``not_held``, ``used_up`` or ``short``), so that a page can say it in the
    reader's language; the code is ``lot_`` and the problem (``lot_recalled``...).
    """

    code = "lot_not_saleable"

    def __init__(self, detail: Message, *, lot: str, problem: str, field: str | None = None, **extra):
        super().__init__(detail, errors={field: [detail]} if field else None, lot=lot, problem=problem, **extra)
        # The detail names the listing or the order around the reason; the code is the reason itself.
        self.code = f"lot_{problem}"


class OrderLapsedError(TransitionNotAllowedError):
    """The order's time ran out before the beat job noticed: it was expired now instead."""

    code = "order_expired"

    def __init__(self, target: str):
        super().__init__("expired", target, ORDER_LAPSED(target=target))


class CardDeclinedError(DomainError):
    """The buyer's card was refused; the order is cancelled and its stock released (``code`` is Stripe's reason)."""

    status = 402
    title = "Payment required"
    code = "card_declined"


class PaymentProviderError(DomainError):
    """Stripe could not be reached or answered with an error that is not about the card."""

    status = 503
    title = "Service unavailable"
    code = "payment_provider_unavailable"
