"""Liveness and readiness probes for the load balancer and the process supervisor.

``/healthz`` answers 200 while the process can serve at all: a failing database
must not get every web worker restarted. ``/readyz`` answers 200 only when the
database and the Celery broker answer (with no broker configured, the database
alone decides) and 503 naming what failed, so the load balancer stops sending
traffic. Each check gives up within about two seconds: a probe that hangs is
worse than one that says no.
"""

from __future__ import annotations

from flask import Blueprint, current_app, jsonify
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from core.extensions import db, limiter

PROBE_TIMEOUT_SECONDS = 2

bp = Blueprint("health", __name__)
# The load balancer probes from one address every few seconds; it must never be rate limited.
limiter.exempt(bp)


@bp.get("/healthz")
def healthz():
    return jsonify(status="ok")


def _check_database() -> str | None:
    try:
        db.session.execute(text("SELECT 1"))
    except SQLAlchemyError as exc:  # any driver error means "not ready"
        return f"database unreachable: {exc.__class__.__name__}"
    finally:
        try:
            db.session.rollback()
        except SQLAlchemyError:
            db.session.remove()
    return None


def _check_broker() -> str | None:
    if current_app.config["CELERY"]["task_always_eager"] or not current_app.config["CELERY_BROKER_URL"]:
        return None  # no broker configured (make run): tasks run in-process
    celery_app = current_app.extensions["celery"]
    timeouts = {"socket_connect_timeout": PROBE_TIMEOUT_SECONDS, "socket_timeout": PROBE_TIMEOUT_SECONDS}
    try:
        with celery_app.connection_for_write(
            connect_timeout=PROBE_TIMEOUT_SECONDS, transport_options=timeouts
        ) as connection:
            # No retries: kombu's default would back off and retry for ever.
            connection.ensure_connection(max_retries=0, timeout=PROBE_TIMEOUT_SECONDS)
    except Exception as exc:  # kombu and the transports raise many kinds; each means "not ready"
        return f"broker unreachable: {exc.__class__.__name__}"
    return None


@bp.get("/readyz")
def readyz():
    checks = (("database", _check_database()), ("broker", _check_broker()))
    failures = {name: problem for name, problem in checks if problem}
    if failures:
        return jsonify(status="unavailable", failed=sorted(failures), details=failures), 503
    return jsonify(status="ok")
