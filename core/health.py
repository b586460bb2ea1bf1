"""Liveness and readiness probes for the load balancer and the process supervisor."""

from __future__ import annotations

from flask import Blueprint, current_app, jsonify
from sqlalchemy import text

from core.extensions import db

bp = Blueprint("health", __name__)


@bp.get("/healthz")
def healthz():
    return jsonify(status="ok")


def _check_database() -> str | None:
    try:
        db.session.execute(text("SELECT 1"))
        db.session.rollback()
    except Exception as exc:  # any driver error means "not ready"
        db.session.rollback()
        return f"database unreachable: {exc.__class__.__name__}"
    return None


def _check_broker() -> str | None:
    if current_app.config["CELERY"]["task_always_eager"] or not current_app.config["CELERY_BROKER_URL"]:
        return None  # no broker configured (make run): tasks run in-process
    celery_app = current_app.extensions["celery"]
    try:
        with celery_app.connection_for_write() as connection:
            connection.ensure_connection(max_retries=1, timeout=2)
    except Exception as exc:
        return f"broker unreachable: {exc.__class__.__name__}"
    return None


@bp.get("/readyz")
def readyz():
    failures = {name: problem for name, problem in (("database", _check_database()), ("broker", _check_broker())) if problem}
    if failures:
        return jsonify(status="unavailable", failed=sorted(failures), details=failures), 503
    return jsonify(status="ok")
