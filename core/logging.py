"""Structured (JSON) request logging: one line per request with method, path, status and duration."""

from __future__ import annotations

import logging
import time
import uuid

from flask import Flask, g, request
from pythonjsonlogger.json import JsonFormatter

request_logger = logging.getLogger("nongsan.request")


def init_logging(app: Flask) -> None:
    if not app.testing and not logging.getLogger().handlers:
        handler = logging.StreamHandler()
        handler.setFormatter(JsonFormatter("%(asctime)s %(levelname)s %(name)s %(message)s"))
        logging.basicConfig(level=logging.INFO, handlers=[handler])
        logging.getLogger("alembic").setLevel(logging.WARNING)

    @app.before_request
    def _start_timer() -> None:
        g.request_started = time.perf_counter()
        g.request_id = request.headers.get("X-Request-ID") or uuid.uuid4().hex

    @app.after_request
    def _log_request(response):
        started = g.pop("request_started", None)
        duration_ms = round((time.perf_counter() - started) * 1000, 1) if started else None
        response.headers["X-Request-ID"] = g.get("request_id", "")
        # No IP address, no query string: logs must not become a record of who scanned what.
        request_logger.info(
            "request",
            extra={
                "request_id": g.get("request_id"),
                "method": request.method,
                "path": request.path,
                "endpoint": request.endpoint,
                "status": response.status_code,
                "duration_ms": duration_ms,
            },
        )
        return response
