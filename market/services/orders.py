"""Checkout: items from several sellers become one order per seller, their stock reserved in one transaction.

Either every item is reserved and every order placed, or nothing is: a listing
with too little left refuses the whole checkout (409, naming it and what is
left), so the buyer never ends up with half a cart ordered. Before reserving,
the listings are fitted to their lots under the lots' row locks (``lots``): a
recalled lot, or one split or shipped away since it was listed, cannot be ordered
beyond what it still holds.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import after_this_request, current_app, has_request_context
from sqlalchemy import func, or_, select

from core.accounts.models import Organization, User
from core.accounts.permissions import actable_organization_ids, first_organization_id
from core.db import utcnow
from core.errors import DomainError, ValidationError
from core.extensions import db
from core.geo.services import require_commune
from core.outbox import queue_task, send_queued
from market import states
from market.errors import ListingNotFoundError, ListingUnavailableError, OrderNotFoundError
from market.messages import (
    ADD_A_LISTING,
    CART_EMPTY,
    CHOOSE_DELIVERY,
    ITEMS_AT_MOST,
    JOIN_AN_ORGANIZATION,
    LISTING_MIN_ORDER,
    LISTING_NO_PICKUP,
    LISTING_NOT_ON_OFFER,
    LISTING_REFUSES_METHOD,
    METHOD_NOT_ACCEPTED,
    NO_DELIVERY_THERE,
    NO_ORGANIZATION,
    NOT_YOUR_ORGANIZATION,
    OWN_LISTING,
    OWN_OFFER,
    PICKUP_NOT_OFFERED,
    QUANTITIES_INVALID,
    SELLER_DOES_NOT_DELIVER,
    STREET_TOO_LONG,
    TOO_LONG,
    TOO_MANY_ITEMS,
    UNKNOWN_DELIVERY,
    YOU_DO_NOT_ACT_FOR,
)
from market.models import (
    Listing,
    ListingStatus,
    Order,
    OrderLine,
    OrderStatus,
    OrderStatusChange,
    Payment,
    Reservation,
    SellerBankAccount,
)
from market.payments import PaymentMethod, require_method
from market.payments.records import remember_payment
from market.pricing import delivery_fee, line_total, unit_price
from market.quantities import grams_to_kg, parse_kg
from market.services import lots, stock

MAX_ITEMS = 50
MAX_STREET = 300


def reservation_minutes() -> int:
    return int(current_app.config.get("RESERVATION_MINUTES", 30))


def cod_accept_hours() -> int:
    return int(current_app.config.get("COD_ACCEPT_HOURS", 48))


def buyer_organization(user: User, organization_id: int | None) -> Organization:
    """The organization the user buys for: the one named (if they act for it), else their first."""
    if organization_id is not None:
        if organization_id not in actable_organization_ids(user):
            raise ValidationError(NOT_YOUR_ORGANIZATION, errors={"buyer_organization_id": [YOU_DO_NOT_ACT_FOR]})
        return db.session.get(Organization, organization_id)
    first = first_organization_id(user)  # the memberships read once per request, which the answer asks again
    if first is None:
        raise ValidationError(NO_ORGANIZATION, errors={"buyer_organization_id": [JOIN_AN_ORGANIZATION]})
    return db.session.get(Organization, first)


def _items(raw: list[dict]) -> dict[str, object]:
    if not raw:
        raise ValidationError(CART_EMPTY, errors={"items": [ADD_A_LISTING]})
    if len(raw) > MAX_ITEMS:
        raise ValidationError(TOO_MANY_ITEMS, errors={"items": [ITEMS_AT_MOST(count=MAX_ITEMS)]})
    return {str(item.get("listing_id") or ""): item.get("quantity") for item in raw}


def _load_listings(ids: list[str]) -> tuple[dict[str, Listing], list[object]]:
    """The listings by public id (404 for one unknown or a draft), and their sellers and bank accounts, read with them.

    The sellers (whose names the answer shows) and their bank accounts (which decide whether VietQR is accepted)
    come in the same statement: the caller holds them, so that the session's identity map (weak) still has them
    when they are asked for, without a round trip each.
    """
    rows = db.session.execute(
        select(Listing, Organization, SellerBankAccount)
        .join(Organization, Organization.id == Listing.seller_id)
        .outerjoin(SellerBankAccount, SellerBankAccount.organization_id == Listing.seller_id)
        .where(Listing.public_id.in_(ids))
    ).all()
    found = {listing.public_id: listing for listing, _seller, _account in rows}
    for public_id in ids:
        listing = found.get(public_id)
        if listing is None or listing.status is ListingStatus.DRAFT:
            raise ListingNotFoundError(public_id)
    related = [entity for _listing, *entities in rows for entity in entities if entity is not None]
    return found, related


def _check_on_offer(listings: dict[str, Listing]) -> None:
    for public_id, listing in listings.items():
        if listing.status is ListingStatus.SOLD_OUT:
            raise stock.too_little(public_id, 0, None)
        if listing.status is not ListingStatus.ACTIVE:
            raise ListingUnavailableError(
                LISTING_NOT_ON_OFFER(listing=public_id, status=listing.status.value), listing_id=public_id
            )


def _check_available(grams: dict[str, int], listings: dict[str, Listing]) -> None:
    """What the offers hold now that they fit their lots (the reservation re-checks it, row by row)."""
    for public_id in sorted(grams, key=lambda public_id: listings[public_id].id):
        if grams[public_id] > listings[public_id].available_g:
            raise stock.too_little(public_id, listings[public_id].available_g, grams[public_id])


def _quantities(raw: dict[str, object], listings: dict[str, Listing]) -> dict[str, int]:
    grams: dict[str, int] = {}
    errors: dict[str, list[str]] = {}
    for index, (public_id, quantity) in enumerate(raw.items()):
        listing = listings[public_id]
        field = f"items.{index}.quantity"
        try:
            grams[public_id] = parse_kg(quantity, field, product=listing.product)
        except ValidationError as error:
            errors.update(error.errors)
            continue
        if grams[public_id] < listing.min_order_g and grams[public_id] != listing.available_g:
            errors[field] = [LISTING_MIN_ORDER(listing=public_id, quantity=listing.min_order_quantity)]
    if errors:
        raise ValidationError(QUANTITIES_INVALID, errors=errors)
    return grams


def seller_fee(group: list[Listing], method: str, province_code: str | None) -> int | None:
    """The delivery fee of one seller's order, in đồng: 0 when the buyer collects; by province when the seller
    delivers; None when they do not deliver there (or no province is known yet). Checkout's preview asks the same."""
    if method == "pickup":
        return 0
    if province_code is None:
        return None
    return delivery_fee([listing.delivery_fees or {} for listing in group], province_code)


def order_total(subtotal: int, fee: int) -> int:
    """What the buyer pays for one order: the goods and the delivery."""
    return subtotal + fee


def _delivery(
    delivery: dict | None, sellers: dict[int, list[Listing]]
) -> tuple[str, str | None, str | None, dict[int, int]]:
    """(method, commune code, street, fee per seller) after checking every listing offers it."""
    delivery = delivery or {}
    method = delivery.get("method") or "pickup"
    if method == "pickup":
        refusing = [listing.public_id for group in sellers.values() for listing in group if not listing.pickup]
        if refusing:
            raise ValidationError(
                PICKUP_NOT_OFFERED, errors={"delivery.method": [LISTING_NO_PICKUP(listing=refusing[0])]}
            )
        return method, None, None, dict.fromkeys(sellers, 0)
    if method != "delivery":
        raise ValidationError(UNKNOWN_DELIVERY, errors={"delivery.method": [CHOOSE_DELIVERY]})
    address = delivery.get("address") or {}
    try:
        commune = require_commune(address.get("commune_code"))
    except ValidationError as error:
        raise ValidationError(
            error.detail, errors={"delivery.address.commune_code": error.errors["commune_code"]}
        ) from None
    street = (address.get("street") or "").strip() or None
    if street and len(street) > MAX_STREET:
        raise ValidationError(STREET_TOO_LONG, errors={"delivery.address.street": [TOO_LONG(count=MAX_STREET)]})
    fees = {}
    for seller_id, group in sellers.items():
        fee = seller_fee(group, method, commune.province_code)
        if fee is None:
            raise ValidationError(
                NO_DELIVERY_THERE,
                errors={"delivery.address.commune_code": [SELLER_DOES_NOT_DELIVER(province=commune.province_name)]},
            )
        fees[seller_id] = fee
    return method, commune.code, street, fees


@dataclass(frozen=True)
class _Checkout:
    """A cart that passed every check: what to reserve and how to deliver it, grouped by seller."""

    method: PaymentMethod
    buyer: Organization
    listings: dict[str, Listing]
    grams: dict[str, int]
    sellers: dict[int, list[Listing]]
    delivery: tuple[str, str | None, str | None, dict[int, int]]


def _check(
    raw: dict[str, object], listings: dict[str, Listing], method: PaymentMethod, buyer: Organization, delivery
) -> _Checkout:
    """Fit the offers to their lots (under the lots' locks) and check every item against them. No commit."""
    lots.fit_to_lots(listings.values())
    _check_on_offer(listings)
    own = [public_id for public_id, listing in listings.items() if listing.seller_id == buyer.id]
    if own:
        raise ValidationError(OWN_LISTING, errors={"items": [OWN_OFFER(listing=own[0])]})
    refusing = [
        public_id
        for public_id, listing in listings.items()
        if method.name not in (listing.payment_methods or []) or method.unavailable(listing.seller_id) is not None
    ]
    if refusing:
        raise ValidationError(
            METHOD_NOT_ACCEPTED,
            errors={"payment_method": [LISTING_REFUSES_METHOD(listing=refusing[0], method=method.name)]},
        )
    grams = _quantities(raw, listings)
    _check_available(grams, listings)
    sellers: dict[int, list[Listing]] = defaultdict(list)
    for public_id in raw:
        sellers[listings[public_id].seller_id].append(listings[public_id])
    return _Checkout(method, buyer, listings, grams, sellers, _delivery(delivery, sellers))


def _hold(method: PaymentMethod) -> timedelta:
    """How long the stock stays reserved: until the seller accepts cash on delivery, or until the payment."""
    if method.name == states.CASH_ON_DELIVERY:
        return timedelta(hours=cod_accept_hours())
    return timedelta(minutes=reservation_minutes())


def _order(user: User, checkout: _Checkout, seller_id: int, checkout_id: str, now: datetime) -> Order:
    """The order of one seller's items, its payment and its reservations (added to the session). No commit."""
    method, (delivery_method, commune_code, street, fees) = checkout.method, checkout.delivery
    order = Order(
        checkout_id=checkout_id,
        buyer_id=checkout.buyer.id,
        seller_id=seller_id,
        placed_by_id=user.id,
        status=OrderStatus.PENDING_PAYMENT,
        payment_method=method.name,
        delivery_method=delivery_method,
        delivery_commune_code=commune_code,
        delivery_street=street,
        delivery_fee=fees[seller_id],
        subtotal=0,
        total=0,
        refunded_amount=0,
        expires_at=now + _hold(method),
    )
    for listing in checkout.sellers[seller_id]:
        amount = checkout.grams[listing.public_id]
        price = unit_price(listing.price_per_kg, listing.price_tiers, amount)
        order.lines.append(
            OrderLine(
                listing_id=listing.id,
                batch_id=listing.batch_id,
                batch_code=listing.batch_code,
                title=listing.title,
                quantity_g=amount,
                unit_price=price,
                line_total=line_total(price, amount),
            )
        )
    order.subtotal = sum(line.line_total for line in order.lines)
    order.total = order_total(order.subtotal, order.delivery_fee)
    order.history.append(
        OrderStatusChange(from_status=None, to_status=OrderStatus.PENDING_PAYMENT.value, by_user_id=user.id, at=now)
    )
    db.session.add(order)
    db.session.flush()
    payment = Payment(order_id=order.id, method=method.name, amount=order.total)
    db.session.add(payment)
    remember_payment(payment)
    for line in order.lines:
        db.session.add(
            Reservation(
                listing_id=line.listing_id,
                order_id=order.id,
                order_line_id=line.id,
                quantity_g=line.quantity_g,
                expires_at=order.expires_at,
            )
        )
    return order


def _keep_offers_fitted(listing_ids: list[int]) -> None:
    """After a refused checkout (rolled back whole), fit its listings to their lots again and commit only that.

    This is the one thing a refused checkout leaves written, in a transaction of
    its own: a listing paused because its lot was recalled, or shrunk to what its
    lot still holds, is true whatever became of this order, and the next buyer
    should see it so.
    """
    lots.fit_offers(db.session.scalars(select(Listing).where(Listing.id.in_(listing_ids))).all())
    db.session.commit()


def _commit_keeping(user: User, placed: list[Order], read: list[object]) -> None:
    """Commit the checkout, keeping loaded, until the request's answer is made, what the answer shows of it.

    A commit normally expires everything in the session, and the answer would read back each order, its lines,
    history and payment, the caller, the listings' public ids, the sellers' names and bank accounts (one round trip
    each). Those are kept as this transaction wrote or read them and committed them (the orders are new; the
    sellers and accounts were read in it to accept the payment method; a listing's public id never changes, and the
    answer reads nothing else of the listings), held until the request's answer is made and expired then;
    everything else is expired at the commit, as usual. Outside a request (a CLI command) the commit is a plain one.
    """
    session = db.session()
    if not has_request_context():
        session.commit()
        return
    kept = {user, *placed, *read}
    placed_ids = {order.id for order in placed}
    kept.update(
        instance
        for instance in (*session.new, *session.identity_map.values())
        if isinstance(instance, Payment) and instance.order_id in placed_ids
    )
    for order in placed:
        kept.update(order.lines)
        kept.update(order.history)
    kept.update(instance for instance in session.identity_map.values() if isinstance(instance, SellerBankAccount))
    expire_on_commit = session.expire_on_commit
    session.expire_on_commit = False
    try:
        session.commit()
    finally:
        session.expire_on_commit = expire_on_commit
    for instance in list(session.identity_map.values()):
        if instance not in kept:
            session.expire(instance)

    @after_this_request
    def _expire_kept(response):
        for instance in kept:
            if instance in session:
                session.expire(instance)
        return response


def place_orders(
    user: User,
    *,
    items: list[dict],
    payment_method: str,
    delivery: dict | None = None,
    buyer_organization_id: int | None = None,
) -> list[Order]:
    """Reserve every item and make one order per seller; all or nothing: one transaction, rolled back when refused."""
    method = require_method(payment_method)
    buyer = buyer_organization(user, buyer_organization_id)
    raw = _items(items)
    listings, related = _load_listings(list(raw))
    listing_ids = [listing.id for listing in listings.values()]
    lots.take_refitted()  # only what this checkout's fitting changes counts below
    try:
        checkout = _check(raw, listings, method, buyer, delivery)
        stock.reserve({listings[public_id].id: amount for public_id, amount in checkout.grams.items()})
        checkout_id, now = str(uuid.uuid4()), utcnow()
        placed = [_order(user, checkout, seller_id, checkout_id, now) for seller_id in sorted(checkout.sellers)]
    except Exception as error:
        refitted = lots.take_refitted()
        db.session.rollback()  # reservations and fitted offers alike: nothing of this checkout stays
        if isinstance(error, DomainError) and refitted:
            _keep_offers_fitted(listing_ids)
        raise
    # By id, read before the commit: touching the orders now would open a new transaction (on SQLite,
    # the write lock) while an eager task runs in its own session. Queued in the checkout's transaction, so
    # the emails go out even when the broker was down at the time.
    queued = [queue_task("market.send_order_email", order.id, "placed") for order in placed]
    _commit_keeping(user, placed, [buyer, *listings.values(), *related])
    send_queued(queued)
    return placed


def _roles(user: User | None, order: Order) -> set[str]:
    ids = actable_organization_ids(user) if user is not None else set()
    return {role for role, org in ((states.BUYER, order.buyer_id), (states.SELLER, order.seller_id)) if org in ids}


def visible_order(user: User, public_id: str, *, lock: bool = False) -> tuple[Order, set[str]]:
    """An order the user buys or sells in, with the parts they play; 404 for anyone else."""
    statement = select(Order).where(Order.public_id == public_id).execution_options(populate_existing=True)
    if lock and db.session.get_bind().dialect.name == "postgresql":
        statement = statement.with_for_update(of=Order)
    order = db.session.scalar(statement)
    roles = _roles(user, order) if order is not None else set()
    if not roles:
        raise OrderNotFoundError(public_id)
    return order, roles


def list_orders(
    user: User,
    *,
    role: str | None = None,
    organization_id: int | None = None,
    status: str | None = None,
    offset: int = 0,
    limit: int = 20,
) -> tuple[list[Order], int]:
    """Orders the user's organizations placed (role buyer) or received (role seller), newest first."""
    ids = actable_organization_ids(user)
    if organization_id is not None:
        ids &= {organization_id}
    if not ids:
        return [], 0
    sides = {"buyer": Order.buyer_id.in_(ids), "seller": Order.seller_id.in_(ids)}
    query = select(Order).where(sides[role] if role in sides else or_(*sides.values()))
    if status:
        query = query.where(Order.status == status)
    total = db.session.scalar(select(func.count()).select_from(query.subquery()))
    found = db.session.scalars(
        query.order_by(Order.created_at.desc(), Order.id.desc()).offset(offset).limit(limit)
    ).all()
    return list(found), total


def quantity_text(grams: int) -> str:
    return str(grams_to_kg(grams))
