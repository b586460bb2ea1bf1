"""What the marketplace has promised out of each lot: reserved for open orders, or sold and not yet shipped.

Registered with ``core.claims`` when the market's pages are (``register``), so that
the ledger leaves that much in the lot: a split, merge, transformation or
shipment of the lot that would take it is refused. Shipping an order consumes
its own claim through ``fulfilment.ship_to_buyer``, which does not ask.
"""

from __future__ import annotations

from decimal import Decimal

from flask.blueprints import BlueprintSetupState
from sqlalchemy import func, select

from core.claims import register_claims_provider
from core.extensions import db
from market.models import Listing
from market.quantities import grams_to_kg


def claimed_kg(batch_ids: list[int]) -> dict[int, Decimal]:
    """{lot id: kg reserved + sold and not shipped} across every listing of the lots; lots with no claim are absent."""
    if not batch_ids:
        return {}
    grams = func.sum(Listing.reserved_g + Listing.sold_g - Listing.shipped_g)
    rows = db.session.execute(
        select(Listing.batch_id, grams).where(Listing.batch_id.in_(batch_ids)).group_by(Listing.batch_id)
    )
    return {batch_id: grams_to_kg(int(total)) for batch_id, total in rows if total}


def register(state: BlueprintSetupState) -> None:
    """Blueprint hook: make the ledger respect the market's claims in the app the market is registered on."""
    register_claims_provider(state.app, claimed_kg)
