"""Errors the traceability services raise; core.errors maps them to HTTP."""

from __future__ import annotations

from core.errors import Conflict, NotFound, ValidationError


class BatchNotFoundError(NotFound):
    def __init__(self, code: str):
        super().__init__(f"No batch with code {code!r} that you may see.")


class MassBalanceError(ValidationError):
    """More was asked of a batch than it has left."""


class BatchNotActiveError(Conflict):
    """The batch is in transit or used up, so it cannot be acted on now."""


class ClaimedQuantityError(Conflict, ValidationError):
    """What was asked of a lot is promised elsewhere (an open market order): 409, with field errors for the form."""
