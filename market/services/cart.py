"""The shopping cart of the pages, kept in the session as {listing id: quantity text}; checkout turns it into orders.

The API takes its items directly; the cart only remembers what a buyer picked
while browsing. Nothing is reserved until checkout. Quantities are typed in the
page's language and kept as machine text ("1.255"), so that a page in another
language (or a Vietnamese page reading "1.255" as 1255) never misreads them.
"""

from __future__ import annotations

from collections import defaultdict

from sqlalchemy import select

from core.errors import ValidationError
from core.extensions import db
from core.i18n import number
from core.messages import Message
from core.numbers import API, parse_decimal, request_locale
from market.errors import ListingNotFoundError
from market.messages import (
    BELOW_MIN_ORDER,
    CART_AT_MOST,
    CART_FULL,
    CART_LOT_RECALLED,
    MIN_ORDER,
    NOT_AVAILABLE,
    NOT_THAT_MUCH,
    OFFER_NOT_ORDERABLE,
    ONLY_LEFT,
)
from market.models import Listing, ListingStatus
from market.payments import KNOWN_METHODS, METHODS
from market.pricing import line_total, unit_price
from market.quantities import grams_to_kg, parse_kg
from market.services.describe import describe_listings
from market.services.orders import order_total, seller_fee
from traceability.services import for_sale

MAX_LINES = 50


def _lot_problems(listings: list[Listing]) -> dict[str, Message]:
    """Listings whose lot cannot be sold from now (recalled, shipped away, used up), with what to tell the buyer."""
    lots = for_sale.lots_for_sale(listing.batch_id for listing in listings)
    problems = {}
    for listing in listings:
        problem = lots[listing.batch_id].problem(listing.seller_id)
        if problem == for_sale.RECALLED:
            problems[listing.public_id] = CART_LOT_RECALLED
        elif problem:
            problems[listing.public_id] = OFFER_NOT_ORDERABLE
    return problems


def add(cart: dict[str, str], listing_id: str, quantity: object) -> dict[str, str]:
    """The cart with ``quantity`` kg of an active listing added to what it already held of it.

    Refused (nothing added) when the line would hold more than is left, or less than the listing's minimum order
    (unless it is all that is left): the checkout would refuse it anyway.
    """
    listing = db.session.scalar(select(Listing).where(Listing.public_id == listing_id))
    if listing is None or listing.status is ListingStatus.DRAFT:
        raise ListingNotFoundError(listing_id)
    if listing.status is not ListingStatus.ACTIVE:
        raise ValidationError(NOT_AVAILABLE, errors={"quantity": [OFFER_NOT_ORDERABLE]})
    lot_problem = _lot_problems([listing]).get(listing.public_id)
    if lot_problem:
        raise ValidationError(NOT_AVAILABLE, errors={"quantity": [lot_problem]})
    grams = parse_kg(quantity, product=listing.product)
    if listing_id in cart:
        grams += parse_kg(cart[listing_id], product=listing.product, locale=API)
    if listing_id not in cart and len(cart) >= MAX_LINES:
        raise ValidationError(CART_FULL, errors={"quantity": [CART_AT_MOST(count=MAX_LINES)]})
    if grams > listing.available_g:
        raise ValidationError(
            NOT_THAT_MUCH, errors={"quantity": [ONLY_LEFT(quantity=grams_to_kg(listing.available_g))]}
        )
    if grams < listing.min_order_g and grams != listing.available_g:
        raise ValidationError(
            BELOW_MIN_ORDER, errors={"quantity": [MIN_ORDER(quantity=grams_to_kg(listing.min_order_g))]}
        )
    return {**cart, listing_id: str(grams_to_kg(grams))}


def update(cart: dict[str, str], quantities: dict[str, str]) -> dict[str, str]:
    """New quantities for the cart's lines, as typed on the page; an empty or zero quantity removes the line.

    Text that is no number is kept as typed, for the cart page to point out.
    """
    updated = dict(cart)
    for listing_id, text in quantities.items():
        if listing_id not in updated:
            continue
        amount = parse_decimal(text, locale=request_locale())
        if not (text or "").strip() or amount == 0:
            updated.pop(listing_id)
        else:
            updated[listing_id] = format(amount, "f") if amount is not None else text.strip()
    return updated


def view(cart: dict[str, str], viewer_ids: set[int]) -> dict:
    """The cart grouped by seller (one order each at checkout), with prices and what is wrong with a line."""
    listings = (
        {
            listing.public_id: listing
            for listing in db.session.scalars(select(Listing).where(Listing.public_id.in_(list(cart))))
        }
        if cart
        else {}
    )
    described = {d["id"]: d for d in describe_listings(listings.values(), viewer_ids)}
    lot_problems = _lot_problems(list(listings.values()))
    groups: dict[int, dict] = defaultdict(lambda: {"lines": [], "subtotal": 0})
    problems = 0
    for listing_id, text in cart.items():
        listing = listings.get(listing_id)
        if listing is None:
            continue
        problem, total, price = None, 0, listing.price_per_kg
        try:
            grams = parse_kg(text, product=listing.product, locale=API)
        except ValidationError as error:
            grams, problem = None, next(iter(error.errors.values()))[0]
        if problem is None and listing.status is not ListingStatus.ACTIVE:
            problem = OFFER_NOT_ORDERABLE
        elif problem is None and listing_id in lot_problems:
            problem = lot_problems[listing_id]
        elif problem is None and grams > listing.available_g:
            problem = ONLY_LEFT(quantity=grams_to_kg(listing.available_g))
        elif problem is None and grams < listing.min_order_g and grams != listing.available_g:
            problem = MIN_ORDER(quantity=grams_to_kg(listing.min_order_g))
        if grams is not None:
            price = unit_price(listing.price_per_kg, listing.price_tiers, grams)
            total = line_total(price, grams)
        problems += problem is not None
        group = groups[listing.seller_id]
        group["seller"] = described[listing_id]["seller"]
        group["seller_id"] = listing.seller_id
        shown = number(grams_to_kg(grams)) if grams is not None else text
        group["lines"].append(
            {
                "listing": described[listing_id],
                "quantity": shown,
                "unit_price": price,
                "line_total": total,
                "problem": problem,
            }
        )
        group["subtotal"] += total
    ordered = [groups[seller_id] for seller_id in sorted(groups)]
    return {
        "groups": ordered,
        "total": sum(g["subtotal"] for g in ordered),
        "problems": problems,
        "count": sum(len(g["lines"]) for g in ordered),
    }


def items(cart: dict[str, str]) -> list[dict]:
    """The cart as the order service's items: quantities as numbers, which read the same in any language."""
    return [
        {"listing_id": listing_id, "quantity": parse_decimal(quantity, locale=API) or quantity}
        for listing_id, quantity in cart.items()
    ]


def checkout_preview(cart: dict[str, str], viewer_ids: set[int], method: str, province_code: str | None) -> dict:
    """The cart as checkout shows it before ordering: each order's goods, delivery fee and total, and their sum.

    The fee and the total are those ``orders.place_orders`` stores (the same ``seller_fee`` and ``order_total``);
    a fee is None where the seller does not deliver to the province, and then so is the total.
    """
    content = view(cart, viewer_ids)
    by_seller: dict[int, list[Listing]] = defaultdict(list)
    for listing in db.session.scalars(select(Listing).where(Listing.public_id.in_(list(cart)))) if cart else []:
        by_seller[listing.seller_id].append(listing)
    for group in content["groups"]:
        fee = seller_fee(by_seller[group["seller_id"]], method, province_code)
        group["delivery_fee"] = fee
        group["order_total"] = order_total(group["subtotal"], fee) if fee is not None else None
    fees = [group["delivery_fee"] for group in content["groups"]]
    known = all(fee is not None for fee in fees)
    content["delivery_total"] = sum(fees) if known else None
    content["grand_total"] = sum(group["order_total"] for group in content["groups"]) if known else None
    listings = [listing for group in by_seller.values() for listing in group]
    content["payment_methods"] = common_payment_methods(listings)
    return content


def common_payment_methods(listings: list[Listing]) -> list[str]:
    """The ways to pay that every listing of the cart takes, and that work for each seller now (one choice for the
    whole checkout)."""
    if not listings:
        return []
    return [
        name
        for name in KNOWN_METHODS
        if all(
            name in (listing.payment_methods or []) and METHODS[name].unavailable(listing.seller_id) is None
            for listing in listings
        )
    ]
