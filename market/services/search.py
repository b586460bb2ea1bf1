"""Browsing the marketplace: active listings filtered by what buyers ask for, sorted, a page at a time.

Every filter is a column of the listing itself or an indexed side table
(origin communes, certificates), copied from the lot when the listing was made,
so a search over thousands of listings is one indexed query and one count. What
can change under a listing after that (a recall, the lot shipped away or used up)
is asked of the lot itself, by key, in the same query.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from core.errors import ValidationError
from core.extensions import db
from market.models import Listing, ListingCertification, ListingCommune, ListingStatus
from traceability.services import for_sale

SORTS = {
    "newest": (Listing.published_at.desc(), Listing.id.desc()),
    "price_asc": (Listing.price_per_kg.asc(), Listing.id.asc()),
    "price_desc": (Listing.price_per_kg.desc(), Listing.id.desc()),
}


@dataclass(frozen=True)
class Filters:
    commodity: str | None = None
    product: str | None = None
    grade: str | None = None
    certification: str | None = None
    commune: str | None = None
    eudr_ready: bool | None = None
    price_min: int | None = None
    price_max: int | None = None
    seller_id: int | None = None
    sort: str = "newest"


def search_listings(filters: Filters, *, offset: int = 0, limit: int = 20) -> tuple[list[Listing], int]:
    if filters.sort not in SORTS:
        raise ValidationError("Unknown sort.", errors={"sort": [f"Use one of: {', '.join(SORTS)}."]})
    if filters.price_min is not None and filters.price_max is not None and filters.price_min > filters.price_max:
        raise ValidationError("Empty price range.", errors={"price_max": ["The highest price is below the lowest."]})
    # A lot recalled, shipped away or used up since it was listed takes its listings off the marketplace at once.
    query = select(Listing).where(
        Listing.status == ListingStatus.ACTIVE, for_sale.saleable_clause(Listing.batch_id, Listing.seller_id)
    )
    if filters.commodity:
        query = query.where(Listing.commodity == filters.commodity)
    if filters.product:
        query = query.where(Listing.product == filters.product)
    if filters.grade:
        query = query.where(Listing.grade == filters.grade.strip().upper())
    if filters.certification:
        query = query.where(
            Listing.id.in_(
                select(ListingCertification.listing_id).where(ListingCertification.type == filters.certification)
            )
        )
    if filters.commune:
        query = query.where(
            Listing.id.in_(select(ListingCommune.listing_id).where(ListingCommune.commune_code == filters.commune))
        )
    if filters.eudr_ready is not None:
        query = query.where(Listing.commodity == "rubber", Listing.eudr_ready.is_(filters.eudr_ready))
    if filters.price_min is not None:
        query = query.where(Listing.price_per_kg >= filters.price_min)
    if filters.price_max is not None:
        query = query.where(Listing.price_per_kg <= filters.price_max)
    if filters.seller_id is not None:
        query = query.where(Listing.seller_id == filters.seller_id)
    total = db.session.scalar(select(func.count()).select_from(query.subquery()))
    found = db.session.scalars(
        query.options(selectinload(Listing.communes), selectinload(Listing.certifications))
        .order_by(*SORTS[filters.sort])
        .offset(offset)
        .limit(limit)
    ).all()
    return list(found), total


def public_listing(public_id: str, viewer_ids: set[int]) -> Listing | None:
    """A listing anyone may read (published ones), or a draft for its seller's people; None otherwise."""
    listing = db.session.scalar(select(Listing).where(Listing.public_id == public_id))
    if listing is None or (listing.status is ListingStatus.DRAFT and listing.seller_id not in viewer_ids):
        return None
    return listing
