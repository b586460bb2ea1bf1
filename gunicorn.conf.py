"""gunicorn settings for production: ``gunicorn wsgi:app`` (this file is read from the working directory).

Everything comes from the environment:

- ``BIND`` (default ``127.0.0.1:$PORT``, ``PORT`` default 8000): behind the reverse proxy
  on the same host. Give ``BIND=0.0.0.0:8000`` in a container.
- ``WEB_CONCURRENCY`` worker processes (default 2 x cores + 1), ``GUNICORN_TIMEOUT`` seconds
  a request may take (default 30).
- ``FORWARDED_ALLOW_IPS``: the proxies whose X-Forwarded-Proto is trusted (default loopback).

The app is loaded once in the master before forking (``preload_app``): a missing setting
stops the master at once with the setting's name instead of every worker failing in a loop.
"""

from __future__ import annotations

import multiprocessing
import os

bind = os.environ.get("BIND") or f"127.0.0.1:{os.environ.get('PORT') or 8000}"
workers = int(os.environ.get("WEB_CONCURRENCY") or multiprocessing.cpu_count() * 2 + 1)
worker_class = "sync"
timeout = int(os.environ.get("GUNICORN_TIMEOUT") or 30)
graceful_timeout = 30
keepalive = 5
# Recycle workers now and then so a slow leak never takes the site down; jitter avoids all at once. Each new worker
# starts with empty trace-page caches (it rebuilds a deep lot's page once), so not too often: at 2,000 a busy worker
# recycled every few seconds.
max_requests = 20000
max_requests_jitter = 2000
preload_app = True
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS") or "127.0.0.1,::1"

# core.logging writes one JSON line per request without IPs or query strings; gunicorn's access
# log would record both, so it stays off. Errors go to stderr for the process supervisor.
accesslog = None
errorlog = "-"
loglevel = os.environ.get("LOG_LEVEL", "info").lower()
# Heartbeat files on tmpfs: a worker blocked on a slow disk is not killed as "timed out".
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None


def when_ready(server):
    """Load the old-address matcher (core.geo) once, in the master, before any worker is forked.

    It takes 8-12 s of CPU and some 80 MB; loaded here, every worker (and every worker that
    replaces a recycled one, see ``max_requests``) starts with it already built, sharing the
    master's pages copy-on-write, instead of spending those seconds again after each fork.
    ``GEO_WARM_UP=0`` leaves it to the first request that needs it.
    """
    if os.environ.get("GEO_WARM_UP", "1").strip().lower() in {"0", "false", "no", "off"}:
        return
    from core.geo.matching import ensure_loaded

    ensure_loaded()  # waits for a warm-up thread the app may have started, so nothing is half-built at the fork


def post_fork(server, worker):
    """Set up what must not be shared across the fork, in each worker.

    Database connections: a socket shared by two processes corrupts both sides.
    """
    from core.extensions import db

    app = getattr(server.app, "callable", None)
    if app is not None and "sqlalchemy" in getattr(app, "extensions", {}):
        with app.app_context():
            for engine in db.engines.values():
                engine.dispose(close=False)
