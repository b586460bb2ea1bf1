"""Listings: made from a lot the seller's organization holds, never offering more than the lot has left.

A lot may be offered by several listings (different bag sizes, prices...). Each
listing claims ``quantity - shipped`` of the lot: what it offers and has not yet
handed over. The claims of all the lot's listings never exceed what the lot
holds; the lot's row lock (taken through ``for_sale``) makes that check
and the write one step, so two sellers' tabs cannot both claim the last tonne.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from core.accounts.models import User
from core.accounts.permissions import actable_organization_ids
from core.db import utcnow
from core.errors import Conflict, ValidationError
from core.extensions import db
from core.files.models import StoredFile
from core.messages import Quantity
from market.errors import ListingNotFoundError
from market.messages import (
    ACCEPT_A_PAYMENT_METHOD,
    BELOW_COMMITTED,
    DRAFT_NOT_PAUSED,
    LISTED_LOT_NOT_HELD,
    LISTING_INVALID,
    LOT_NOT_YET_OFFERED,
    LOT_RECALLED,
    MIN_ORDER_ABOVE_QUANTITY,
    NO_PAYMENT_METHOD,
    NO_SUCH_PHOTO,
    NO_WAY_TO_DELIVER,
    OFFER_AT_MOST,
    PHOTOS_AT_MOST,
    PUBLISHED_NOT_DRAFT,
    REQUIRED,
    SOLD_OUT_BY_ITSELF,
    SOLD_OUT_BY_MARKET,
    TOO_LONG,
    TOO_MANY_PHOTOS,
    UNKNOWN_LISTING_STATUS,
    UNKNOWN_PHOTO,
    USE_LISTING_STATUS,
)
from market.models import Listing, ListingCertification, ListingCommune, ListingStatus
from market.payments import require_method
from market.pricing import clean_delivery_fees, clean_tiers, parse_price
from market.quantities import GRAMS_PER_KG, grams_to_kg, kg_step, parse_kg
from traceability.services import for_sale
from traceability.services.for_sale import ListingSource

MAX_PHOTOS = 8
TEXT_LIMITS = {"title": 200, "title_en": 200, "description": 5000, "description_en": 5000}
SELLER_STATUSES = (ListingStatus.DRAFT, ListingStatus.ACTIVE, ListingStatus.PAUSED)
NO_FIELD = object()


class _Errors:
    def __init__(self):
        self.fields: dict[str, list[str]] = {}

    def check(self, call):
        try:
            return call()
        except ValidationError as error:
            for field, messages in (error.errors or {"_form": [error.detail]}).items():
                self.fields.setdefault(field, []).extend(messages)
            return None

    def add(self, field: str, message: str) -> None:
        self.fields.setdefault(field, []).append(message)

    def raise_if_any(self) -> None:
        if self.fields:
            raise ValidationError(LISTING_INVALID, errors=self.fields)


def _text(errors: _Errors, values: dict, field: str, *, required: bool = False) -> str | None:
    text = (values.get(field) or "").strip() or None
    if required and not text:
        errors.add(field, REQUIRED)
    elif text and len(text) > TEXT_LIMITS[field]:
        errors.add(field, TOO_LONG(count=TEXT_LIMITS[field]))
    return text


def _methods(raw, seller_id: int | None) -> list[str]:
    names = list(dict.fromkeys(raw if raw is not None else ["cod"]))
    if not names:
        raise ValidationError(NO_PAYMENT_METHOD, errors={"payment_methods": [ACCEPT_A_PAYMENT_METHOD]})
    for name in names:
        require_method(name, "payment_methods", seller_id=seller_id)
    return names


def _photos(raw, organization_ids: set[int]) -> list[str]:
    """Photos uploaded for the seller or another organization the user acts for (a co-op selling a member's lot)."""
    ids = list(dict.fromkeys(p for p in raw or [] if p))
    if len(ids) > MAX_PHOTOS:
        raise ValidationError(TOO_MANY_PHOTOS, errors={"photos": [PHOTOS_AT_MOST(count=MAX_PHOTOS)]})
    if ids:
        found = set(
            db.session.scalars(
                select(StoredFile.public_id).where(
                    StoredFile.public_id.in_(ids), StoredFile.organization_id.in_(organization_ids)
                )
            )
        )
        missing = [p for p in ids if p not in found]
        if missing:
            raise ValidationError(UNKNOWN_PHOTO, errors={"photos": [NO_SUCH_PHOTO(photo=missing[0])]})
    return ids


def _claimed_by_others(batch_id: int, listing_id: int | None) -> int:
    """Grams of the lot that its other listings offer and have not yet shipped."""
    query = select(func.coalesce(func.sum(Listing.quantity_g - Listing.shipped_g), 0)).where(
        Listing.batch_id == batch_id
    )
    if listing_id is not None:
        query = query.where(Listing.id != listing_id)
    return int(db.session.scalar(query))


def _check_offer(source: ListingSource, quantity_g: int, listing_id: int | None) -> None:
    left = int(source.remaining_kg * GRAMS_PER_KG) - _claimed_by_others(source.id, listing_id)
    if quantity_g > left:
        shown = grams_to_kg(max(left, 0))
        # The field error's Quantity reads "1000" (ungrouped below five digits, as the form has always shown it)
        # or "750,5" on a Vietnamese page; the API's English text is the same as before.
        raise ValidationError(
            LOT_NOT_YET_OFFERED(lot=source.code, kg=shown),
            errors={"quantity": [OFFER_AT_MOST(kg=Quantity(shown), lot=source.code)]},
        )


def _copy_source(listing: Listing, source: ListingSource) -> None:
    """What search filters on, copied from the lot: product, grade, EUDR readiness, certificates, origin communes."""
    listing.batch_id, listing.batch_code = source.id, source.code
    listing.commodity, listing.product, listing.grade = source.commodity, source.product, source.grade
    listing.eudr_ready = bool(source.eudr_ready)
    # Kept rows stay (a replaced collection would insert the new rows before deleting the old, against the unique key).
    listing.communes = [c for c in listing.communes if c.commune_code in source.commune_codes] + [
        ListingCommune(commune_code=code)
        for code in source.commune_codes
        if code not in {c.commune_code for c in listing.communes}
    ]
    listing.certifications = [c for c in listing.certifications if c.type in source.certifications] + [
        ListingCertification(type=kind)
        for kind in source.certifications
        if kind not in {c.type for c in listing.certifications}
    ]


@dataclass
class _Offer:
    price: int | None
    quantity_g: int | None
    min_order_g: int | None


def _offer(errors: _Errors, values: dict, product: str, current: Listing | None) -> _Offer:
    def given(field):
        return field in values and values[field] is not None

    price = (
        errors.check(lambda: parse_price(values["price_per_kg"]))
        if given("price_per_kg")
        else (current.price_per_kg if current else None)
    )
    if price is None and current is None and not given("price_per_kg"):
        errors.add("price_per_kg", REQUIRED)
    quantity_g = (
        errors.check(lambda: parse_kg(values["quantity"], product=product))
        if given("quantity")
        else (current.quantity_g if current else None)
    )
    if quantity_g is None and current is None and not given("quantity"):
        errors.add("quantity", REQUIRED)
    if given("min_order_quantity"):
        min_order_g = errors.check(
            lambda: parse_kg(values["min_order_quantity"], "min_order_quantity", product=product)
        )
    elif current is not None:
        min_order_g = current.min_order_g
    else:
        min_order_g = min(int(max(kg_step(product), Decimal(1)) * GRAMS_PER_KG), quantity_g or GRAMS_PER_KG)
    if quantity_g and min_order_g and min_order_g > quantity_g:
        errors.add("min_order_quantity", MIN_ORDER_ABOVE_QUANTITY)
    return _Offer(price, quantity_g, min_order_g)


def _apply(errors: _Errors, user: User, listing: Listing, values: dict, offer: _Offer) -> None:
    for field in TEXT_LIMITS:
        if field in values or listing.id is None:
            text = _text(errors, values, field, required=field == "title")
            if text is not None or field != "title":  # a refused title must not reach the row (NOT NULL) on autoflush
                setattr(listing, field, text)
    if offer.price is not None:
        listing.price_per_kg = offer.price
    if offer.min_order_g is not None:
        listing.min_order_g = offer.min_order_g
    if "price_tiers" in values or listing.id is None:
        tiers = errors.check(
            lambda: clean_tiers(values.get("price_tiers"), base_price=offer.price or 10**12, product=listing.product)
        )
        listing.price_tiers = tiers or []
    if "payment_methods" in values or listing.id is None:
        listing.payment_methods = errors.check(lambda: _methods(values.get("payment_methods"), listing.seller_id)) or []
    if "photos" in values or listing.id is None:
        allowed = actable_organization_ids(user) | {listing.seller_id}
        listing.photos = errors.check(lambda: _photos(values.get("photos"), allowed)) or []
    if "pickup" in values or listing.id is None:
        listing.pickup = bool(values.get("pickup", True))
    if "delivery_fees" in values or listing.id is None:
        listing.delivery_fees = errors.check(lambda: clean_delivery_fees(values.get("delivery_fees"))) or {}
    if not listing.pickup and not listing.delivery_fees:
        errors.add("delivery_fees", NO_WAY_TO_DELIVER)


def create_listing(user: User, *, batch_code: str, publish: bool = False, **values) -> Listing:
    """A listing of the lot ``batch_code`` held by an organization the user acts for: a draft, or on sale at once
    (``publish``).

    Made and published in one transaction, so a refused publication leaves no draft behind.
    """
    source = for_sale.source_for_listing(user, batch_code, lock=True)
    errors = _Errors()
    offer = _offer(errors, values, source.product, None)
    listing = Listing(
        seller_id=source.custodian_id,
        status=ListingStatus.DRAFT,
        created_by_id=user.id,
        reserved_g=0,
        sold_g=0,
        shipped_g=0,
    )
    _copy_source(listing, source)
    _apply(errors, user, listing, values, offer)
    errors.raise_if_any()
    _check_offer(source, offer.quantity_g, None)
    listing.quantity_g = offer.quantity_g
    if publish:
        _set_status(listing, ListingStatus.ACTIVE.value, source)
    db.session.add(listing)
    db.session.commit()
    return listing


def lots_to_offer(user: User, organization_id: int) -> list[dict]:
    """The lots the seller's organization could offer now (active, held), for the new-listing form."""
    return for_sale.lots_to_offer(user, organization_id)


def seller_listing(user: User, public_id: str, *, lock: bool = False) -> Listing:
    """A listing of an organization the user acts for; anyone else is told it does not exist (404)."""
    statement = select(Listing).where(Listing.public_id == public_id)
    if lock and db.session.get_bind().dialect.name == "postgresql":
        statement = statement.with_for_update()
    listing = db.session.scalar(statement.execution_options(populate_existing=True))
    if listing is None or listing.seller_id not in actable_organization_ids(user):
        raise ListingNotFoundError(public_id)
    return listing


def _set_status(listing: Listing, status: str, source: ListingSource) -> None:
    try:
        wanted = ListingStatus(status)
    except ValueError:
        raise ValidationError(UNKNOWN_LISTING_STATUS, errors={"status": [USE_LISTING_STATUS]}) from None
    if wanted not in SELLER_STATUSES:
        raise ValidationError(SOLD_OUT_BY_MARKET, errors={"status": [SOLD_OUT_BY_ITSELF]})
    if wanted is ListingStatus.DRAFT and listing.status is not ListingStatus.DRAFT:
        raise Conflict(PUBLISHED_NOT_DRAFT, current_status=listing.status.value)
    if wanted is ListingStatus.ACTIVE:
        if source.recalled:
            raise Conflict(LOT_RECALLED(lot=source.code), current_status=listing.status.value)
        if source.custodian_id != listing.seller_id or source.status != "active":
            raise Conflict(LISTED_LOT_NOT_HELD(lot=source.code), current_status=listing.status.value)
        listing.published_at = listing.published_at or utcnow()
        wanted = ListingStatus.ACTIVE if listing.available_g > 0 else ListingStatus.SOLD_OUT
    if wanted is ListingStatus.PAUSED and listing.status is ListingStatus.DRAFT:
        raise Conflict(DRAFT_NOT_PAUSED, current_status=listing.status.value)
    listing.status = wanted


def update_listing(user: User, public_id: str, **values) -> Listing:
    """Change a listing: text, price, quantity (never below what is reserved and sold), options, status."""
    batch_id = seller_listing(user, public_id).batch_id
    source = for_sale.lock_source(batch_id)  # the lot first, then the listing: the order every writer takes
    listing = seller_listing(user, public_id, lock=True)
    errors = _Errors()
    offer = _offer(errors, values, listing.product, listing)
    _apply(errors, user, listing, values, offer)
    if offer.quantity_g is not None and offer.quantity_g < listing.reserved_g + listing.sold_g:
        committed = grams_to_kg(listing.reserved_g + listing.sold_g)
        errors.add("quantity", BELOW_COMMITTED(kg=committed))
    errors.raise_if_any()
    if offer.quantity_g != listing.quantity_g:
        _check_offer(source, offer.quantity_g, listing.id)
        listing.quantity_g = offer.quantity_g
    if values.get("status"):
        _copy_source(listing, source)
        _set_status(listing, values["status"], source)
    elif listing.status in (ListingStatus.ACTIVE, ListingStatus.SOLD_OUT):
        listing.status = ListingStatus.ACTIVE if listing.available_g > 0 else ListingStatus.SOLD_OUT
    db.session.commit()
    return listing


def own_listings(
    user: User, organization_id: int | None = None, *, offset: int = 0, limit: int = 20
) -> tuple[list[Listing], int]:
    """Listings of the organizations the user acts for (or of one of them), drafts included, newest first."""
    ids = actable_organization_ids(user)
    if organization_id is not None:
        ids &= {organization_id}
    if not ids:
        return [], 0
    query = select(Listing).where(Listing.seller_id.in_(ids))
    total = db.session.scalar(select(func.count()).select_from(query.subquery()))
    found = db.session.scalars(
        query.options(selectinload(Listing.communes), selectinload(Listing.certifications))
        .order_by(Listing.created_at.desc(), Listing.id.desc())
        .offset(offset)
        .limit(limit)
    ).all()
    return list(found), total


def my_organization_ids(user: User | None) -> set[int]:
    return actable_organization_ids(user) if user is not None else set()
