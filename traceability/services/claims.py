"""Leaving in a lot what is claimed from it: a split, merge, transformation or shipment may not take it.

Other domains claim quantities of lots without the ledger knowing them (the
marketplace: reserved for an open order, or sold and not yet shipped); they
register with ``core.claims``. The operations that take quantity out of a lot on
the holder's say-so call ``refuse_claimed`` after ``ledger.lock_batches``, so that
no claim can be added between the check and the commit (placing or accepting an
order takes the same lock). A physical loss (a drying step) or a correction is
not refused: it records what happened. Fulfilling a claim (``fulfilment.ship_to_buyer``)
takes its quantity without asking here.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

from core import claims
from traceability import catalog
from traceability.errors import ClaimedQuantityError
from traceability.messages import LOT_CLAIMED, LOT_CLAIMED_FIELD
from traceability.models import Batch


def _plain(quantity: Decimal) -> str:
    normalized = quantity.normalize()
    return format(normalized, "f")


def _shown(quantity: Decimal) -> Decimal:
    """The quantity without trailing zeros and never in exponent form ("500", not "500.0000" or "5E+2")."""
    return Decimal(_plain(quantity))


def claimed_in_unit(batches: Iterable[Batch]) -> dict[int, Decimal]:
    """Quantity claimed from each lot, in the lot's own unit (kg or t); unclaimed lots are absent."""
    batches = list(batches)
    kilograms = claims.claimed(b.id for b in batches)
    return {b.id: kilograms[b.id] / catalog.to_kg(Decimal(1), b.unit) for b in batches if b.id in kilograms}


def refuse_claimed(taken: Iterable[tuple[Batch, Decimal, str]]) -> None:
    """Raise ``ClaimedQuantityError`` (409) when taking (lot, quantity in its unit, form field) would leave less than is
    claimed.

    The batches must be locked already (``ledger.lock_batches``, as ``lock_actable`` does).
    """
    taken = list(taken)
    held = claimed_in_unit(batch for batch, _quantity, _field in taken)
    for batch, quantity, field in taken:
        claim = held.get(batch.id, Decimal(0))
        free = max(batch.quantity_remaining - claim, Decimal(0))
        if claim > 0 and quantity > free:
            unit = batch.unit
            left, claimed, available, asked = (_shown(q) for q in (batch.quantity_remaining, claim, free, quantity))
            raise ClaimedQuantityError(
                LOT_CLAIMED(code=batch.code, left=left, unit=unit, claimed=claimed, free=available, asked=asked),
                errors={field: [LOT_CLAIMED_FIELD(claimed=claimed, unit=unit, code=batch.code, free=available)]},
                lot=batch.code,
                claimed=_plain(claim),
                available=_plain(free),
                unit=unit,
            )
