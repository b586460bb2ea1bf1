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

    def __init__(self, current: str, target: str):
        super().__init__(f"An order that is {current} cannot become {target}.", current_status=current)
