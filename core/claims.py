"""Claims on lots: quantities other parts of the platform have promised out of a lot, which the ledger must leave in it.

The ledger (traceability) never imports the domains built on it, yet a
marketplace order reserves or sells part of a lot before it is shipped. So a
domain registers a provider here when the app is created; the ledger asks
``claimed`` under the lot's row lock before taking quantity out of a lot, and
refuses to take what is promised. Providers are per app: no state is shared
between two apps in one process (tests create many).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from decimal import Decimal

from flask import Flask, current_app

ClaimsProvider = Callable[[list[int]], dict[int, Decimal]]
_KEY = "claims_providers"


def register_claims_provider(app: Flask, provider: ClaimsProvider) -> None:
    """Add ``provider`` (lot ids → {lot id: kg claimed}) to ``app``'s claims; registering it twice counts it once."""
    providers: list[ClaimsProvider] = app.extensions.setdefault(_KEY, [])
    if provider not in providers:
        providers.append(provider)


def claimed(batch_ids: Iterable[int]) -> dict[int, Decimal]:
    """Kilograms claimed from each lot by every registered provider; lots nobody claims are absent (none when no
    provider)."""
    ids = sorted(set(batch_ids))
    totals: dict[int, Decimal] = {}
    if not ids:
        return totals
    for provider in current_app.extensions.get(_KEY, []):
        for batch_id, kg in provider(ids).items():
            if kg > 0:
                totals[batch_id] = totals.get(batch_id, Decimal(0)) + Decimal(kg)
    return totals
