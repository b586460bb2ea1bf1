"""The marketplace JSON API: listings and orders, registered under /api/v1."""

from __future__ import annotations


def blueprints() -> list:
    """Every marketplace API blueprint (imported here so that create_app registers them all)."""
    from market.api import bank_accounts, listings, orders

    return [listings.blp, orders.blp, bank_accounts.blp]
