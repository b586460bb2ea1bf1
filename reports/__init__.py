"""The department's reports: supply by commodity, commune and period, the marketplace, EUDR readiness, anomalies,
and the open data published from them.

Reports read the other domains' tables with SQL aggregates only (``GROUP BY`` and window functions; no rows are
loaded into Python to be added up). Harvested quantities come from a rollup refreshed by Celery
(``reports.rollup``), and each report built from it says how fresh it is. ``init_app(app)`` wires the domain in;
no other domain imports it.
"""

from __future__ import annotations

from importlib import import_module

from flask import Flask

# Refresh the harvest rollup when harvests were recorded since (a refresh with nothing new does nothing).
BEAT_SCHEDULE = {
    "refresh-report-rollup": {"task": "reports.refresh_rollup", "schedule": 10 * 60.0},
}


def init_app(app: Flask) -> None:
    """Register the reports' tables, API resources, pages and tasks on ``app``."""
    from core.api import register_api_blueprints
    from core.navigation import register_menu_items
    from core.tasks import register_tasks
    from reports import api, open_data_views, views

    import_module("reports.models")
    register_api_blueprints(app, api.blp, api.open_blp)
    app.register_blueprint(open_data_views.bp)
    app.register_blueprint(views.bp)
    register_menu_items(app, *views.MENU_ITEMS)
    register_tasks(app, "reports.tasks", beat=BEAT_SCHEDULE)
