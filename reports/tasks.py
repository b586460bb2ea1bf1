"""Celery tasks of the reports."""

from __future__ import annotations

from celery import shared_task


@shared_task(name="reports.refresh_rollup")
def refresh_rollup(force: bool = False) -> dict:
    """Rebuild the harvest rollup if harvests were recorded since its last refresh (or when ``force``)."""
    from reports import rollup

    return rollup.refresh_if_stale(force=force)
