"""Errors the marketplace services raise; core.errors maps them to HTTP."""

from __future__ import annotations

from core.errors import Conflict, NotFound


class ListingNotFoundError(NotFound):
    def __init__(self, listing_id: str):
        super().__init__(f"No listing {listing_id!r} that you may see.")


class OrderNotFoundError(NotFound):
    def __init__(self, order_id: str):
        super().__init__(f"No order {order_id!r} that you may see.")


class ListingSoldOutError(Conflict):
    """Less is left to reserve than was asked (someone else's checkout got there first)."""


class ListingUnavailableError(Conflict):
    """The listing is paused, a draft or sold out: it cannot be ordered now."""


class TransitionNotAllowedError(Conflict):
    """The order cannot go to the asked status from the one it is in; the answer names the current status."""

    def __init__(self, current: str, target: str, detail: str | None = None):
        super().__init__(detail or f"An order that is {current} cannot become {target}.", current_status=current)


class LotNotSaleableError(Conflict):
    """The lot behind a listing changed since it was listed (recalled, split, shipped away): the sale cannot go on.

    ``problem`` says which (``recalled``, ``not_held``, ``used_up`` or ``short``),
    so that a page can say it in the reader's language.
    """

    def __init__(self, detail: str, *, lot: str, problem: str, field: str | None = None, **extra):
        super().__init__(detail, errors={field: [detail]} if field else None, lot=lot, problem=problem, **extra)


class OrderLapsedError(TransitionNotAllowedError):
    """The order's time ran out before the beat job noticed: it was expired now instead."""

    def __init__(self, target: str):
        detail = (
            f"The order's time ran out before it could become {target}; "
            "it has expired and its reserved stock is back on offer."
        )
        super().__init__("expired", target, detail)
