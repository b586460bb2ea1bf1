"""Demo marketplace: active listings of the season's lots and past orders in every state, through the real services.

Called by the composition root's ``flask seed-demo`` after the traceability demo::

    seed_market_demo(world.users, world.orgs, lots)

- ``users``: demo people by key; the sellers are found among them (whoever may act for
  each lot's holder) and ``users["buyer"]`` buys for the importer. ``users["processor"]``,
  when present, also buys raw produce.
- ``orgs``: demo organizations by key (only used to name the buyers' organizations:
  ``orgs["buyer"]`` and ``orgs["processor"]``).
- ``lots``: the notable lots by name, as ``seed_traceability`` returns them. Listings are
  made from those still active with something left: kernels, black pepper, SVR rubber,
  raw nuts... whatever the season left in stock. A lot missing or used up is skipped.

Each listing is then bought once more, a tenth of it, and paid for (the department's
sales by commodity and grade). Returns the public ids of the listings made, by lot name.
Emails go through the normal task (without MAIL_SERVER they are only logged). Orders
expired on purpose are backdated.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import timedelta
from decimal import Decimal

from sqlalchemy import update

from core.accounts.models import Organization, User
from core.accounts.permissions import can_act_for
from core.db import utcnow
from core.extensions import db
from market.models import Listing, Order
from market.payments import offered_methods
from market.services import bank_accounts, listings, orders, transitions
from traceability.services import for_sale

# name of the lot → (title in Vietnamese, title in English, price per kg in VND, share of the lot offered)
OFFERS = {
    "cashew_w240": ("Nhân điều W240 Bù Gia Mập", "W240 cashew kernels from Bù Gia Mập", 265_000, Decimal("0.8")),
    "cashew_w320": ("Nhân điều W320 Bù Gia Mập", "W320 cashew kernels from Bù Gia Mập", 235_000, Decimal("0.8")),
    "cashew_raw": ("Hạt điều thô vụ mới", "New-crop raw cashew nuts", 34_000, Decimal("0.5")),
    "cashew_merged": ("Hạt điều thô HTX Bù Gia Mập", "Raw cashew nuts, Bù Gia Mập co-op", 33_500, Decimal("0.5")),
    "pepper_black": ("Tiêu đen Lộc Ninh 500 g/l", "Lộc Ninh black pepper 500 g/l", 145_000, Decimal("0.8")),
    "pepper_fresh": ("Tiêu tươi Lộc Ninh", "Fresh pepper from Lộc Ninh", 48_000, Decimal("0.5")),
    "rubber_svr": ("Cao su SVR 10 đạt EUDR", "EUDR-ready SVR 10 rubber", 48_500, Decimal("0.8")),
    "rubber_latex_other": ("Mủ nước Phú Riềng", "Field latex from Phú Riềng", 17_500, Decimal("0.5")),
    # The season's other lots (traceability.demo_season), so that sales span the trade's grades.
    "cashew_w450": ("Nhân điều W450 Bình Phước", "W450 cashew kernels from Bình Phước", 205_000, Decimal("0.8")),
    "cashew_late_w320": (
        "Nhân điều W320 Lộc Ninh cuối vụ",
        "Late-crop W320 kernels, Lộc Ninh",
        228_000,
        Decimal("0.8"),
    ),
    "pepper_black_550": (
        "Tiêu đen hữu cơ Lộc Ninh 550 g/l",
        "Organic black pepper 550 g/l, Lộc Ninh",
        172_000,
        Decimal("0.8"),
    ),
    "rubber_svr_3l": (
        "Cao su SVR 3L Đồng Xoài đạt EUDR",
        "EUDR-ready SVR 3L rubber, Đồng Xoài",
        52_000,
        Decimal("0.8"),
    ),
}
# Past orders: the path each one walked (seller and buyer moves), from a fresh cash-on-delivery order.
STORIES = [
    [],  # still waiting for the seller
    [("seller", "accepted")],
    [("seller", "accepted"), ("seller", "shipped")],
    [("seller", "accepted"), ("seller", "shipped"), ("buyer", "delivered")],
    [("seller", "accepted"), ("seller", "shipped"), ("buyer", "delivered"), ("seller", "paid")],
    [("seller", "accepted"), ("seller", "shipped"), ("buyer", "delivered"), ("seller", "paid"), ("buyer", "completed")],
    [
        ("seller", "accepted"),
        ("seller", "shipped"),
        ("buyer", "delivered"),
        ("seller", "paid"),
        ("seller", "partially_refunded"),
    ],
    [
        ("seller", "accepted"),
        ("seller", "shipped"),
        ("seller", "delivered"),
        ("seller", "paid"),
        ("seller", "refunded"),
    ],
    [("buyer", "cancelled")],
    ["expire"],
]
# Then every offer is bought once more and paid for, a tenth of it at a time, so that sales span every grade.
SALE = STORIES[5]


def _seller_of(users: Mapping[str, User], organization_id: int) -> User | None:
    return next((user for user in users.values() if can_act_for(user, organization_id)), None)


def _listing(users: Mapping[str, User], name: str, lot) -> tuple[Listing, User] | None:
    source = for_sale.sources([lot.id]).get(lot.id)
    if source is None or source.status != "active" or source.remaining_kg < 10:
        return None
    seller = _seller_of(users, source.custodian_id)
    if seller is None:
        return None
    title, title_en, price, share = OFFERS[name]
    quantity = int(source.remaining_kg * share)
    if bank_accounts.bank_account(seller, source.custodian_id) is None:
        # A made-up Agribank account (the farmers' bank), so that the demo's orders can be paid by VietQR.
        bank_accounts.set_bank_account(
            seller,
            source.custodian_id,
            bank_bin="970405",
            account_number=f"5500{source.custodian_id:09d}",
            account_name=seller.name,
        )
    created = listings.create_listing(
        seller,
        batch_code=source.code,
        title=title,
        title_en=title_en,
        price_per_kg=price,
        quantity=str(quantity),
        min_order_quantity=str(max(1, min(quantity // 20, 50))),
        price_tiers=[{"min_quantity": str(max(2, quantity // 4)), "price_per_kg": price * 97 // 100}],
        description="Truy xuất được đến từng lô vườn; xem trang truy xuất của lô.",
        description_en="Traceable to every plot; see the lot's trace page.",
        pickup=True,
        delivery_fees={"75": 50_000, "79": 250_000},
        # Every way to pay that works here: cards once Stripe's keys are set, transfers, cash.
        payment_methods=offered_methods(source.custodian_id),
    )
    return listings.update_listing(seller, created.public_id, status="active"), seller


def _walk(order_id: str, story: list, buyer: User, seller: User) -> None:
    for step in story:
        if step == "expire":
            db.session.execute(
                update(Order).where(Order.public_id == order_id).values(expires_at=utcnow() - timedelta(minutes=1))
            )
            db.session.commit()
            transitions.expire_overdue()
            continue
        who, status = step
        extra = {"amount": 20_000, "reason": "Giao thiếu 1 kg"} if status == "partially_refunded" else {}
        transitions.transition(seller if who == "seller" else buyer, order_id, status, **extra)


def seed_market_demo(
    users: Mapping[str, User], orgs: Mapping[str, Organization], lots: Mapping[str, object]
) -> dict[str, str]:
    """Listings for the lots of all three commodities still in stock, past orders in each state and a paid sale of
    each listing (see the module doc)."""
    made: dict[str, tuple[str, int, str, str, User]] = {}  # public id, seller, minimum order, a tenth, who sells
    for name in OFFERS:
        if name in lots:
            result = _listing(users, name, lots[name])
            if result is not None:
                listing, seller = result
                minimum = listing.min_order_quantity
                tenth = max(int(listing.quantity) // 10, int(minimum))
                made[name] = (listing.public_id, listing.seller_id, str(minimum), str(tenth), seller)
    buyers = [(users[key], orgs[key]) for key in ("buyer", "processor") if key in users and key in orgs]
    offers = list(made.values())
    stories = [(offers[index % len(offers)], story, False) for index, story in enumerate(STORIES if offers else [])]
    stories += [(offer, SALE, True) for offer in offers]
    for (public_id, seller_org, minimum, tenth, seller), story, large in stories:
        buyer, organization = next(((u, o) for u, o in buyers if not can_act_for(u, seller_org)), (None, None))
        if buyer is None:
            continue
        order = orders.place_orders(
            buyer,
            items=[{"listing_id": public_id, "quantity": tenth if large else minimum}],
            payment_method="cod",
            delivery={"method": "pickup"},
            buyer_organization_id=organization.id,
        )[0]
        _walk(order.public_id, story, buyer, seller)
    return {name: public_id for name, (public_id, *_rest) in made.items()}
