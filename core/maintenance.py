"""Housekeeping tasks that keep bookkeeping tables from growing without bound.

Celery beat sends them on the schedule in ``core.tasks.BEAT_SCHEDULE``. Both are
idempotent (a second run deletes nothing more), so they acknowledge late and a
worker that dies mid-run just has the task run again.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from celery import shared_task
from flask import current_app
from sqlalchemy import and_, delete, or_

from core.accounts.models import LoginFailure
from core.db import utcnow
from core.extensions import db
from core.idempotency import PAGE_RETENTION, RETENTION, IdempotencyRecord


def purge_login_failures(now: datetime | None = None) -> int:
    """Delete failed sign-ins older than the login window; they no longer count toward any limit."""
    cutoff = (now or utcnow()) - timedelta(seconds=current_app.config["LOGIN_FAILURE_WINDOW_SECONDS"])
    deleted = db.session.execute(delete(LoginFailure).where(LoginFailure.at <= cutoff)).rowcount
    db.session.commit()
    return deleted


def purge_idempotency_records(now: datetime | None = None) -> int:
    """Delete stored Idempotency-Key answers older than their retention (24 h; a page's 30 days): the key may be
    reused then."""
    now = now or utcnow()
    api = IdempotencyRecord.path.startswith("/api/")
    deleted = db.session.execute(
        delete(IdempotencyRecord).where(
            or_(
                and_(api, IdempotencyRecord.created_at < now - RETENTION),
                and_(~api, IdempotencyRecord.created_at < now - PAGE_RETENTION),
            )
        )
    ).rowcount
    db.session.commit()
    return deleted


@shared_task(name="core.purge_login_failures", acks_late=True, ignore_result=False)
def purge_login_failures_task() -> int:
    return purge_login_failures()


@shared_task(name="core.purge_idempotency_records", acks_late=True, ignore_result=False)
def purge_idempotency_records_task() -> int:
    return purge_idempotency_records()
