"""Listings and orders as the API and the pages show them, loaded in a few queries per page of rows."""

from __future__ import annotations

from collections.abc import Iterable

from flask import current_app
from sqlalchemy import inspect, select
from sqlalchemy.orm.util import identity_key

from core.accounts.directory import organization_names, verified_ids
from core.accounts.models import Organization, User
from core.accounts.permissions import actable_organization_ids
from core.extensions import db
from core.geo.services import format_address, get_commune
from market import states
from market.models import Listing, Order, PaymentFlag
from market.payments import method_of
from market.quantities import grams_to_kg
from traceability import catalog
from traceability.services import for_sale


def trace_url(batch_code: str) -> str:
    return f"{current_app.config['PUBLIC_BASE_URL']}/t/{batch_code}"


def describe_listings(
    listings: Iterable[Listing], viewer_ids: set[int] | None = None, *, with_trace: bool = False
) -> list[dict]:
    """Listing dicts; stock counters beyond what is available only for the seller's own people."""
    listings = list(listings)
    viewer_ids = viewer_ids or set()
    names = organization_names(listing.seller_id for listing in listings)
    verified = verified_ids(listing.seller_id for listing in listings)
    traces = for_sale.trace_summaries(listing.batch_id for listing in listings) if with_trace else {}
    recalls = for_sale.recalls(listing.batch_id for listing in listings)
    result = []
    for listing in listings:
        own = listing.seller_id in viewer_ids
        trace = traces.get(listing.batch_id)
        if trace is not None:
            trace = {**trace, "communes": [_commune_name(code) for code in trace["commune_codes"]]}
        result.append(
            {
                "id": listing.public_id,
                "batch_code": listing.batch_code,
                "title": listing.title,
                "title_en": listing.title_en,
                "description": listing.description,
                "description_en": listing.description_en,
                "price_per_kg": listing.price_per_kg,
                "price_tiers": listing.price_tiers or [],
                "quantity": grams_to_kg(listing.quantity_g),
                "available": grams_to_kg(max(listing.available_g, 0)),
                "reserved": grams_to_kg(listing.reserved_g) if own else None,
                "sold": grams_to_kg(listing.sold_g) if own else None,
                "min_order_quantity": grams_to_kg(listing.min_order_g),
                "payment_methods": list(listing.payment_methods or []),
                "photos": list(listing.photos or []),
                "pickup": listing.pickup,
                "delivery_fees": dict(listing.delivery_fees or {}),
                "status": listing.status.value,
                "commodity": listing.commodity,
                "product": listing.product,
                "grade": listing.grade,
                "product_name": _product_name(listing.product),
                "grade_label": catalog.grade_label(listing.product, listing.grade),
                "eudr_ready": listing.eudr_ready if listing.commodity == "rubber" else None,
                "certifications": sorted(c.type for c in listing.certifications),
                "commune_codes": sorted(c.commune_code for c in listing.communes),
                "seller": {
                    "id": listing.seller_id,
                    "name": names.get(listing.seller_id),
                    "verified": listing.seller_id in verified,
                },
                "is_own": own,
                "trace_url": trace_url(listing.batch_code),
                "trace": trace,
                "recall": recalls.get(listing.batch_id),
                "created_at": listing.created_at,
                "published_at": listing.published_at,
            }
        )
    return result


def _product_name(code: str):
    """The product form's name (lazy: shown in the reader's language), or its code when the catalog has none."""
    found = catalog.PRODUCTS.get(code)
    return found.name if found else code


def _commune_name(code: str | None) -> str | None:
    commune = get_commune(code) if code else None
    return f"{commune.name}, {commune.province_name}" if commune else code


def _loaded_values(model: type, ids: set[int], attribute: str) -> dict:
    """``attribute`` of those ``model`` rows the session holds loaded (not expired), by id, without a round trip."""
    values = {}
    for key in ids:
        instance = db.session.identity_map.get(identity_key(model, key))
        loaded = inspect(instance).dict if instance is not None else {}
        if attribute in loaded:
            values[key] = loaded[attribute]
    return values


def describe_orders(orders: Iterable[Order], user: User | None = None) -> list[dict]:
    orders = list(orders)
    viewer_ids = actable_organization_ids(user) if user is not None else set()
    organization_ids = {o.buyer_id for o in orders} | {o.seller_id for o in orders}
    names = _loaded_values(Organization, organization_ids, "name")  # checkout's buyer and sellers are loaded
    if organization_ids - names.keys():
        names.update(organization_names(organization_ids - names.keys()))
    line_listings = {line.listing_id for o in orders for line in o.lines}
    listing_ids = _loaded_values(Listing, line_listings, "public_id")  # checkout's listings are loaded
    unknown_listings = line_listings - listing_ids.keys()
    if unknown_listings:
        listing_ids.update(
            db.session.execute(select(Listing.id, Listing.public_id).where(Listing.id.in_(unknown_listings))).all()
        )
    by_ids = {change.by_user_id for o in orders for change in o.history if change.by_user_id}
    people = _loaded_values(User, by_ids, "name")  # the caller, who just placed the order, is loaded already
    unknown = by_ids - people.keys()
    if unknown:
        people.update(db.session.execute(select(User.id, User.name).where(User.id.in_(unknown))).all())
    result = []
    for order in orders:
        roles = {
            role
            for role, org in ((states.BUYER, order.buyer_id), (states.SELLER, order.seller_id))
            if org in viewer_ids
        }
        address = (
            format_address(order.delivery_commune_code, order.delivery_street) if order.delivery_commune_code else None
        )
        result.append(
            {
                "id": order.public_id,
                "status": order.status.value,
                "buyer": {"id": order.buyer_id, "name": names.get(order.buyer_id)},
                "seller": {"id": order.seller_id, "name": names.get(order.seller_id)},
                "payment_method": order.payment_method,
                "lines": [
                    {
                        "listing_id": listing_ids.get(line.listing_id),
                        "batch_code": line.batch_code,
                        "title": line.title,
                        "quantity": grams_to_kg(line.quantity_g),
                        "unit_price": line.unit_price,
                        "line_total": line.line_total,
                        "buyer_batch_code": line.buyer_batch_code,
                        "buyer_trace_url": trace_url(line.buyer_batch_code) if line.buyer_batch_code else None,
                    }
                    for line in order.lines
                ],
                "totals": {
                    "subtotal": order.subtotal,
                    "delivery_fee": order.delivery_fee,
                    "total": order.total,
                    "refunded": order.refunded_amount,
                    "currency": "VND",
                },
                "delivery": {
                    "method": order.delivery_method,
                    "address": {
                        "commune_code": order.delivery_commune_code,
                        "street": order.delivery_street,
                        "text": address,
                    }
                    if address
                    else None,
                },
                "payment_instructions": method_of(order).instructions(order),
                "expires_at": order.expires_at,
                "created_at": order.created_at,
                "history": [
                    {
                        "from": change.from_status,
                        "to": change.to_status,
                        "by_user_id": change.by_user_id,
                        "by_name": people.get(change.by_user_id),
                        "at": change.at,
                        "note": change.note,
                    }
                    for change in order.history
                ],
                "roles": sorted(roles),
                "next_statuses": [s.value for s in states.next_statuses(order.payment_method, order.status, roles)],
            }
        )
    return result


def describe_flags(flags: Iterable[PaymentFlag]) -> list[dict]:
    """Payment flags as the review page lists them, with their order's public code."""
    flags = list(flags)
    order_ids = {flag.order_id for flag in flags if flag.order_id}
    codes = (
        dict(db.session.execute(select(Order.id, Order.public_id).where(Order.id.in_(order_ids))).all())
        if order_ids
        else {}
    )
    return [
        {
            "id": flag.id,
            "kind": flag.kind.value,
            "order_id": codes.get(flag.order_id),
            "provider_reference": flag.provider_reference,
            "details": dict(flag.details or {}),
            "created_at": flag.created_at,
            "resolved_at": flag.resolved_at,
            "resolution_note": flag.resolution_note,
        }
        for flag in flags
    ]
