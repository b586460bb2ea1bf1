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
# Recycle workers now and then so a slow leak never takes the site down; jitter avoids all at once.
max_requests = 2000
max_requests_jitter = 200
preload_app = True
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS") or "127.0.0.1,::1"

# core.logging writes one JSON line per request without IPs or query strings; gunicorn's access
# log would record both, so it stays off. Errors go to stderr for the process supervisor.
accesslog = None
errorlog = "-"
loglevel = os.environ.get("LOG_LEVEL", "info").lower()
# Heartbeat files on tmpfs: a worker blocked on a slow disk is not killed as "timed out".
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None


def post_fork(server, worker):
    """Set up what must not be shared across the fork, in each worker.

    - Database connections: a socket shared by two processes corrupts both sides.
    - The old-address matcher (core.geo) loads in a thread, and a thread started
      before the fork would not carry over.
    """
    from core.extensions import db
    from core.geo.services import warm_up

    app = getattr(server.app, "callable", None)
    if app is not None:
        with app.app_context():
            for engine in db.engines.values():
                engine.dispose(close=False)
    warm_up()
