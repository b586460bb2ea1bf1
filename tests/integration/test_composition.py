"""The composition root: core's app knows no domain; each domain's init_app adds its part, once."""

from __future__ import annotations

from core.app import create_core_app
from core.claims import claimed
from tests import conftest


def test_core_alone_serves_no_domain(database_url, instance_path):
    app = create_core_app(conftest.test_overrides(database_url, instance_path), environ={})
    assert not {"traceability", "trace", "resolver", "market"} & set(app.blueprints)
    celery_app = app.extensions["celery"]
    # (shared tasks join every Celery app of the process once imported: look at what this app's worker imports.)
    assert celery_app.conf.imports == ("core.maintenance", "core.outbox")
    assert all(entry["task"].startswith("core.") for entry in celery_app.conf.beat_schedule.values())
    assert "seed-demo" not in app.cli.commands


def test_each_domain_registers_its_pages_api_tasks_and_claims(app):
    assert {"traceability", "trace", "resolver", "market", "batches", "market_listings"} <= set(app.blueprints)
    celery_app = app.extensions["celery"]
    assert {"traceability.render_label_sheet", "market.send_order_email"} <= set(celery_app.tasks)
    assert {"traceability.tasks", "market.tasks"} <= set(celery_app.conf.imports)
    beat = {entry["task"] for entry in celery_app.conf.beat_schedule.values()}
    assert {"core.purge_login_failures", "market.release_expired_reservations"} <= beat
    assert len(app.extensions["claims_providers"]) == 1  # the market's, registered once
    with app.app_context():
        assert claimed([1]) == {}  # asks the market's provider, which holds nothing here
