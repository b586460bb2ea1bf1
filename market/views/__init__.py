"""Marketplace pages for the phone: browse, listing, cart, checkout, orders, and the seller's listings and sales."""

from __future__ import annotations

from flask import Blueprint, request

from market.pricing import MAX_AMOUNT
from market.services import claims

bp = Blueprint("market", __name__, url_prefix="/market")
bp.record_once(claims.register)  # the ledger leaves in each lot what the market reserved or sold
MAX_PAGE = 1_000_000
_SEPARATORS = str.maketrans("", "", ".,  \u00a0\u202f")


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


from market.views import browse, orders, seller  # noqa: E402,F401  (routes register on bp)
