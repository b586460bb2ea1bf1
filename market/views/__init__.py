"""Marketplace pages for the phone: browse, listing, cart, checkout, orders, the seller's listings, sales and money,
and the administrators' payouts."""

from __future__ import annotations

from importlib import import_module

from flask import Blueprint, request

from core.messages import N_
from core.navigation import BUYER, EVERYONE, OFFICER, PRODUCER, SIGNED_IN, VISITOR, MenuItem
from market.pricing import MAX_AMOUNT

bp = Blueprint("market", __name__, url_prefix="/market")
PAGE_MODULES = ("browse", "orders", "payments", "payment_review", "payouts", "seller", "transfers")  # each adds routes
MAX_PAGE = 1_000_000
_SEPARATORS = str.maketrans("", "", ".,  \u00a0\u202f")
# A buyer's pages sit in the menu row; a producer finds the market, their listings and sales under "More".
MENU_ITEMS = (
    MenuItem(
        "market.browse",
        N_("Marketplace"),
        EVERYONE,
        primary=frozenset({VISITOR, BUYER}),
        order=5,
        also_current=("market.listing",),
    ),
    MenuItem("market.cart_page", N_("Cart"), frozenset({VISITOR, BUYER}), primary=frozenset({BUYER}), order=20),
    MenuItem("market.my_orders", N_("My orders"), SIGNED_IN - {OFFICER}, primary=frozenset({BUYER}), order=21),
    MenuItem("market.my_listings", N_("My listings"), frozenset({PRODUCER}), order=40),
    MenuItem("market.sales", N_("Sales"), frozenset({PRODUCER}), order=41),
    MenuItem("market.payouts", N_("Sales money"), frozenset({PRODUCER}), order=42),
    MenuItem("market.admin_payouts", N_("Payouts to producers"), SIGNED_IN, order=90, admin_only=True),
    MenuItem("market.payment_review", N_("Payments to check"), SIGNED_IN, order=91, admin_only=True),
)


def page_number() -> int:
    """``?page=`` as a page the database can take: 1 when missing or not a number, at most ``MAX_PAGE``."""
    text = (request.args.get("page") or "").strip()
    if not (text.isascii() and text.isdigit()) or len(text) > len(str(MAX_PAGE)):
        return 1
    return min(max(int(text), 1), MAX_PAGE)


def whole_dong(value: str | None, *, default: int | None = None) -> int | None:
    """An amount typed in đồng ("250.000", "250,000", "250000") as an int; ``default`` when empty, not a number or above
    ``MAX_AMOUNT``."""
    text = (value or "").translate(_SEPARATORS)
    if not (text.isascii() and text.isdigit()) or len(text) > len(str(MAX_AMOUNT)) or int(text) > MAX_AMOUNT:
        return default
    return int(text)


def blueprints() -> list[Blueprint]:
    """The marketplace's page blueprint, with the routes of every page module added, and the bank's webhook."""
    from market.views import bank_webhooks

    for name in PAGE_MODULES:
        import_module(f"{__name__}.{name}")
    return [bp, bank_webhooks.bp]
