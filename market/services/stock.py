"""Stock moves on a listing's counters: reserve, release, sell, un-sell, ship.

Reserving is one conditional UPDATE: it adds to ``reserved_g`` only where the
listing is active and still has that much available, and reports whether a row
changed. PostgreSQL takes the row lock for the UPDATE and re-checks the condition
after a concurrent writer commits, so two checkouts can never both take the last
kilogram; SQLite's connection already holds the database write lock (BEGIN
IMMEDIATE, core.db). Several listings are always reserved in primary-key order,
so two checkouts over the same listings cannot deadlock. The CHECK constraint
``reserved_g + sold_g <= quantity_g`` is the backstop under all of it.
"""

from __future__ import annotations

from sqlalchemy import case, select, update

from core.db import utcnow
from core.extensions import db
from market.errors import ListingSoldOutError
from market.messages import LISTING_HAS_LEFT, LISTING_SOLD_OUT, ONLY_LEFT_OF_LISTING
from market.models import Allocation, Listing, ListingStatus, Order, Reservation, ReservationStatus
from market.quantities import grams_to_kg

AVAILABLE = Listing.quantity_g - Listing.reserved_g - Listing.sold_g


def _update(statement) -> int:
    return db.session.execute(statement, execution_options={"synchronize_session": False}).rowcount


def _sold_out_or_back(listing_ids: list[int]) -> None:
    """Active listings with nothing available become sold out; sold-out ones with stock again become active."""
    if not listing_ids:
        return
    _update(
        update(Listing)
        .where(Listing.id.in_(listing_ids), Listing.status.in_([ListingStatus.ACTIVE, ListingStatus.SOLD_OUT]))
        .values(status=case((AVAILABLE > 0, ListingStatus.ACTIVE.value), else_=ListingStatus.SOLD_OUT.value))
    )


def too_little(public_id: str, available_g: int, asked_g: int | None) -> ListingSoldOutError:
    """The 409 for a listing with less left than asked (nothing at all when ``asked_g`` is None)."""
    left = grams_to_kg(max(available_g, 0))
    if asked_g is None:
        return ListingSoldOutError(
            LISTING_SOLD_OUT(listing=public_id),
            errors={"items": [LISTING_SOLD_OUT(listing=public_id)]},
            listing_id=public_id,
            available="0",
        )
    return ListingSoldOutError(
        LISTING_HAS_LEFT(listing=public_id, left=left, asked=grams_to_kg(asked_g)),
        errors={"items": [ONLY_LEFT_OF_LISTING(left=left, listing=public_id)]},
        listing_id=public_id,
        available=str(left),
    )


def reserve(wanted: dict[int, int]) -> None:
    """Reserve grams of each listing (id → grams), in primary-key order; ``ListingSoldOutError`` if one has too little.

    On failure the caller rolls back: reservations already taken in this
    transaction go with it.
    """
    for listing_id in sorted(wanted):
        grams = wanted[listing_id]
        changed = _update(
            update(Listing)
            .where(Listing.id == listing_id, Listing.status == ListingStatus.ACTIVE, grams <= AVAILABLE)
            # The same statement turns the listing sold out when this takes its last gram (what ``_sold_out_or_back``
            # did after it): the row is written once. SET reads the row as it was: what is left is AVAILABLE - grams.
            .values(
                reserved_g=Listing.reserved_g + grams,
                status=case((AVAILABLE - grams > 0, ListingStatus.ACTIVE.value), else_=ListingStatus.SOLD_OUT.value),
            )
        )
        if changed != 1:
            public_id, available, status = db.session.execute(
                select(Listing.public_id, AVAILABLE, Listing.status).where(Listing.id == listing_id)
            ).one()
            raise too_little(public_id, available if status is ListingStatus.ACTIVE else 0, grams)


def _active_reservations(order: Order) -> list[Reservation]:
    return list(
        db.session.scalars(
            select(Reservation)
            .where(Reservation.order_id == order.id, Reservation.status == ReservationStatus.ACTIVE)
            .order_by(Reservation.listing_id)
        )
    )


def release_reservations(order: Order) -> None:
    """Give an unpaid order's reserved stock back at once (cancelled, expired, payment failed)."""
    now = utcnow()
    reservations = _active_reservations(order)
    for reservation in reservations:
        _update(
            update(Listing)
            .where(Listing.id == reservation.listing_id)
            .values(reserved_g=Listing.reserved_g - reservation.quantity_g)
        )
        reservation.status, reservation.ended_at = ReservationStatus.RELEASED, now
    _sold_out_or_back([r.listing_id for r in reservations])


def convert_reservations(order: Order) -> None:
    """The reservation becomes a sale (payment, or the seller accepting cash on delivery)."""
    now = utcnow()
    for reservation in _active_reservations(order):
        _update(
            update(Listing)
            .where(Listing.id == reservation.listing_id)
            .values(
                reserved_g=Listing.reserved_g - reservation.quantity_g, sold_g=Listing.sold_g + reservation.quantity_g
            )
        )
        reservation.status, reservation.ended_at = ReservationStatus.CONVERTED, now
        db.session.add(
            Allocation(
                listing_id=reservation.listing_id,
                order_line_id=reservation.order_line_id,
                quantity_g=reservation.quantity_g,
            )
        )


def release_allocations(order: Order) -> None:
    """A sold but unshipped order is cancelled by the seller: its stock is on offer again."""
    now = utcnow()
    line_ids = [line.id for line in order.lines]
    allocations = list(
        db.session.scalars(
            select(Allocation)
            .where(Allocation.order_line_id.in_(line_ids), Allocation.released_at.is_(None))
            .order_by(Allocation.listing_id)
        )
    )
    for allocation in allocations:
        _update(
            update(Listing)
            .where(Listing.id == allocation.listing_id)
            .values(sold_g=Listing.sold_g - allocation.quantity_g)
        )
        allocation.released_at = now
    _sold_out_or_back([a.listing_id for a in allocations])


def record_shipped(order: Order) -> None:
    """The sold quantity left the seller's lot: it no longer counts against the lot's other listings."""
    for line in sorted(order.lines, key=lambda line: line.listing_id):
        _update(
            update(Listing).where(Listing.id == line.listing_id).values(shipped_g=Listing.shipped_g + line.quantity_g)
        )
