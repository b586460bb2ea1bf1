"""The marketplace: listings from traceable lots, cart, stock reservations, orders, payments and notifications.

``init_app(app)`` wires the domain into an app built by ``core.app.create_core_app``; the composition root
(``nongsan_app.create_app``) calls it after traceability's, on which the market is built.
"""

from __future__ import annotations

from importlib import import_module

from flask import Flask

# Periodic jobs of the market, run by Celery beat in production.
BEAT_SCHEDULE = {
    "release-expired-reservations": {"task": "market.release_expired_reservations", "schedule": 60.0},
    # Our card payments against Stripe's, once a day (it reads the last few days, so a missed run loses nothing).
    "resend-stuck-refunds": {"task": "market.resend_stuck_refunds", "schedule": 10 * 60.0},
    "reconcile-card-payments": {"task": "market.reconcile_card_payments", "schedule": 24 * 3600.0},
}


def init_app(app: Flask) -> None:
    """Register the market's tables, API resources, pages, tasks and its claims on lots on ``app``."""
    from core.api import register_api_blueprints
    from core.audit import register_actions
    from core.claims import register_claims_provider
    from core.navigation import BUYER, register_landing, register_menu_items
    from core.tasks import register_tasks
    from market.api import blueprints as api_blueprints
    from market.api import webhooks as stripe_webhooks
    from market.services import ledger
    from market.services.claims import claimed_kg
    from market.views import MENU_ITEMS
    from market.views import blueprints as page_blueprints

    # Importing the models puts the domain's tables in the metadata that Alembic and the tests compare.
    import_module("market.models")
    register_api_blueprints(app, *api_blueprints())
    for blueprint in page_blueprints():
        app.register_blueprint(blueprint)
    app.register_blueprint(stripe_webhooks.bp)
    register_menu_items(app, *MENU_ITEMS)
    register_landing(app, BUYER, "market.browse")
    register_tasks(app, "market.tasks", beat=BEAT_SCHEDULE)
    # The ledger leaves in each lot what the market reserved or sold and has not shipped.
    register_claims_provider(app, claimed_kg)
    register_actions(app, ledger.AUDIT_ACTIONS)
