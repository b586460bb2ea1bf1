"""Marketplace pages for the phone: browse, listing, cart, checkout, orders, and the seller's listings and sales."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("market", __name__, url_prefix="/market")

from market.views import browse, orders, seller  # noqa: E402,F401  (routes register on bp)
