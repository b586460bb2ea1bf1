"""Structured (JSON) request logging: one line per request with method, path, status and duration.

The line carries no IP address and no query string: a trace page is opened by
scanning a bag, and the logs must not become a record of who scanned what.
Under gunicorn this replaces its access log (``accesslog`` is off in
gunicorn.conf.py). In tests no handler is installed and the records stay at
INFO, below the root logger's WARNING, so they are silent unless a test asks
for them (``caplog.set_level(logging.INFO, "nongsan.request")``).
"""

from __future__ import annotations

import logging
import re
import time
import uuid

from flask import Flask, g, request
from pythonjsonlogger.json import JsonFormatter

request_logger = logging.getLogger("nongsan.request")
# A request id from the proxy is echoed and logged; anything else gets a fresh one.
_REQUEST_ID = re.compile(r"[A-Za-z0-9._-]{1,64}")


def json_formatter() -> JsonFormatter:
    return JsonFormatter("%(asctime)s %(levelname)s %(name)s %(message)s")


def request_id(given: str) -> str:
    """The proxy's X-Request-ID if it looks like one, else a fresh id."""
    return given if _REQUEST_ID.fullmatch(given) else uuid.uuid4().hex


def log_request(*, request_id: str, method: str, path: str, endpoint: str | None, status: int, started: float | None):
    """The one line a request leaves (also written by code that answers before Flask, see traceability's replay)."""
    duration_ms = round((time.perf_counter() - started) * 1000, 1) if started else None
    request_logger.info(
        "request",
        extra={
            "request_id": request_id,
            "method": method,
            "path": path,  # without the query string
            "endpoint": endpoint,
            "status": status,
            "duration_ms": duration_ms,
        },
    )


def init_logging(app: Flask) -> None:
    if not app.testing and not logging.getLogger().handlers:
        handler = logging.StreamHandler()
        handler.setFormatter(json_formatter())
        logging.basicConfig(level=logging.INFO, handlers=[handler])
        logging.getLogger("alembic").setLevel(logging.WARNING)

    @app.before_request
    def _start_timer() -> None:
        g.request_started = time.perf_counter()
        g.request_id = request_id(request.headers.get("X-Request-ID", ""))

    @app.after_request
    def _log_request(response):
        response.headers["X-Request-ID"] = g.get("request_id", "")
        log_request(
            request_id=g.get("request_id"),
            method=request.method,
            path=request.path,
            endpoint=request.endpoint,
            status=response.status_code,
            started=g.pop("request_started", None),
        )
        return response
