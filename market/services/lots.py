"""Keeping sales within the lot: listings are checked against their lot when someone orders and when the seller accepts.

The ledger changes a lot after it is listed (a recall, a split, a merge or
transformation, a shipment) without knowing about listings: traceability never
imports market. So the market re-checks, under the lot's row lock
(``for_sale.lock_for_sale``, the lock every ledger operation takes):

- at checkout, before reserving: listings of a lot that is recalled or no longer
  held by their seller are paused and the order refused; when the lot shrank,
  its listings' offers shrink with it (never below what they reserved and sold),
  newest first, until together they claim no more than the lot holds;
- at acceptance, before the reservation becomes a sale: the lot must not be
  recalled, must still be the seller's, and must hold what is already sold and
  not yet shipped plus this order.

Search hides listings of such lots at once (``for_sale.saleable_clause``);
pausing them here only brings the stored status in line the next time someone
tries to order. The ledger itself refuses to split, merge, transform or ship away
what orders reserved or sold and have not shipped (``market.services.claims``);
only a recorded loss (drying) can still shrink a lot under an open order, which
acceptance then refuses.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from sqlalchemy import select

from core.extensions import db
from core.messages import Message
from market import states
from market.errors import LotNotSaleableError
from market.messages import (
    ACCEPTANCE_LOT_REFUSED,
    LISTING_LOT_REFUSED,
    LOT_NOT_HELD,
    LOT_RECALLED,
    LOT_SHORT,
    LOT_USED_UP,
)
from market.models import Listing, ListingStatus, Order
from market.quantities import GRAMS_PER_KG, grams_to_kg
from traceability.services import for_sale
from traceability.services.for_sale import NOT_HELD, RECALLED, USED_UP, LotForSale

ON_OFFER = (ListingStatus.ACTIVE, ListingStatus.SOLD_OUT)
SHORT = "short"
REFUSALS = {RECALLED: LOT_RECALLED, NOT_HELD: LOT_NOT_HELD, USED_UP: LOT_USED_UP}


def _grams(lot: LotForSale) -> int:
    return int(lot.remaining_kg * GRAMS_PER_KG)


def refusal(lot: LotForSale, seller_id: int) -> Message | None:
    """Why ``seller_id`` can sell nothing of ``lot`` (the ledger gives the code, the market the words); None when
    they can."""
    problem = lot.problem(seller_id)
    return REFUSALS[problem](lot=lot.code) if problem else None


def _listings_of(batch_ids: Iterable[int]) -> dict[int, list[Listing]]:
    """Every listing of the lots, drafts included (they claim part of the lot too), read fresh and locked after the
    lots."""
    statement = (
        select(Listing)
        .where(Listing.batch_id.in_(list(batch_ids)))
        .order_by(Listing.id)
        .execution_options(populate_existing=True)
    )
    if db.session.get_bind().dialect.name == "postgresql":
        statement = statement.with_for_update()
    found: dict[int, list[Listing]] = defaultdict(list)
    for listing in db.session.scalars(statement):
        found[listing.batch_id].append(listing)
    return found


def _fit(lot: LotForSale, listings: list[Listing]) -> bool:
    """Pause, shrink or mark sold out the listings of ``lot`` to fit what it now is; whether any of them changed."""
    before = [(listing.status, listing.quantity_g) for listing in listings]
    for listing in listings:
        if lot.problem(listing.seller_id) in (RECALLED, NOT_HELD) and listing.status in ON_OFFER:
            listing.status = ListingStatus.PAUSED
    excess = sum(listing.quantity_g - listing.shipped_g for listing in listings) - _grams(lot)
    for listing in reversed(listings):  # the newest offers give way first
        if excess <= 0:
            break
        cut = min(excess, max(listing.available_g, 0))
        listing.quantity_g -= cut
        excess -= cut
    for listing in listings:
        if listing.status in ON_OFFER:
            listing.status = ListingStatus.ACTIVE if listing.available_g > 0 else ListingStatus.SOLD_OUT
    return before != [(listing.status, listing.quantity_g) for listing in listings]


# In the session's ``info``: a ``fit_offers`` of its current transaction changed an offer (see ``take_refitted``).
_REFITTED = "market.offers_refitted"


def fit_offers(listings: Iterable[Listing]) -> dict[int, LotForSale]:
    """Lock the listings' lots and fit every listing of them to what its lot now is; the lots by id. No commit.

    The listings given are refreshed in place. The fitted offers are true whatever
    becomes of the order that looked: a refused checkout records them on their own
    (when ``take_refitted`` says that any changed).
    """
    lots = for_sale.lock_for_sale({listing.batch_id for listing in listings})
    changed = False
    for batch_id, group in _listings_of(lots).items():
        changed |= _fit(lots[batch_id], group)
    if changed:
        db.session.flush()
        db.session.info[_REFITTED] = True
    return lots


def take_refitted() -> bool:
    """Whether ``fit_offers`` changed an offer since the last call (which clears it): a refused checkout that changed
    none has nothing of its own to keep."""
    return bool(db.session.info.pop(_REFITTED, False))


def fit_to_lots(listings: Iterable[Listing]) -> None:
    """``fit_offers``, then refuse (409) any listing whose lot cannot sell. No commit."""
    wanted = list(listings)
    lots = fit_offers(wanted)
    for listing in sorted(wanted, key=lambda listing: listing.id):
        lot = lots[listing.batch_id]
        reason = refusal(lot, listing.seller_id)
        if reason:
            raise LotNotSaleableError(
                LISTING_LOT_REFUSED(listing=listing.public_id, reason=reason),
                lot=lot.code,
                problem=lot.problem(listing.seller_id),
                field="items",
                listing_id=listing.public_id,
            )


def check_acceptance(order: Order) -> None:
    """Refuse (409) to turn ``order`` into a sale its lots can no longer fill. No commit.

    Counted against each lot: what its listings sold and have not shipped yet
    (this order too once paid online), plus this order's quantity.
    """
    needed: dict[int, int] = defaultdict(int)
    for line in order.lines:
        needed[line.batch_id] += line.quantity_g
    lots = for_sale.lock_for_sale(needed)
    listings = _listings_of(needed)
    for batch_id in sorted(needed):
        lot = lots[batch_id]
        reason = refusal(lot, order.seller_id)
        if reason:
            raise LotNotSaleableError(
                ACCEPTANCE_LOT_REFUSED(reason=reason), lot=lot.code, problem=lot.problem(order.seller_id)
            )
        sold = sum(listing.sold_g - listing.shipped_g for listing in listings[batch_id])
        if order.status not in states.RESERVED:
            sold -= needed[batch_id]  # paid online: the order's own quantity is counted as sold already
        left = max(_grams(lot) - sold, 0)
        if needed[batch_id] > left:
            raise LotNotSaleableError(
                LOT_SHORT(lot=lot.code, left=grams_to_kg(left), needed=grams_to_kg(needed[batch_id])),
                lot=lot.code,
                problem=SHORT,
                left=str(grams_to_kg(left)),
                needed=str(grams_to_kg(needed[batch_id])),
            )
