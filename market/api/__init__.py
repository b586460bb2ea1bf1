"""The marketplace JSON API: listings, orders and payouts, registered under /api/v1."""

from __future__ import annotations


def blueprints() -> list:
    """Every marketplace API blueprint (imported here so that create_app registers them all)."""
    from market.api import bank_accounts, listings, orders, payouts

    return [listings.blp, orders.blp, bank_accounts.blp, payouts.blp]
