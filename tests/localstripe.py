"""localstripe, a stateful fake Stripe (GPL, so run as its own process, never imported), and the app served to it.

``localstripe`` (session) starts it on a free loopback port with nothing pickled
to disk; ``stripe_site`` (module) serves an app configured with keys for it on
another loopback port and registers that app's ``/webhooks/stripe`` with
localstripe, which then delivers its own signed events about a second after each
one. Without the package (a bare machine) the tests skip saying so; in CI that
is a failure.
"""

from __future__ import annotations

import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from importlib.util import find_spec

import pytest
from flask import Flask
from werkzeug.serving import make_server

from core.extensions import db
from nongsan_app import create_app
from tests import conftest

SERVER = (
    "from aiohttp import web; from localstripe import server; from localstripe.resources import store; "
    "store.dump_to_disk = lambda *a, **k: None; web.run_app(server.app, host='127.0.0.1', port={port})"
)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="session")
def localstripe() -> Iterator[str]:
    if find_spec("localstripe") is None:
        conftest.need_service("localstripe is not installed (pip install -e '.[test]')")
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-c", SERVER.format(port=port)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while True:
        try:
            urllib.request.urlopen(f"{url}/js.stripe.com/v3/", timeout=2).close()
            break
        except (urllib.error.URLError, ConnectionError):
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                conftest.need_service(f"localstripe did not start on {url}")
            time.sleep(0.2)
    yield url
    process.terminate()
    process.wait(timeout=10)


@dataclass
class StripeSite:
    app: Flask
    url: str
    localstripe: str
    webhook_secret: str
    publishable_key: str


def stripe_settings(localstripe_url: str) -> dict[str, str]:
    return {
        "STRIPE_SECRET_KEY": "sk_test_" + uuid.uuid4().hex,
        "STRIPE_PUBLISHABLE_KEY": "pk_test_" + uuid.uuid4().hex,
        "STRIPE_WEBHOOK_SECRET": "whsec_" + uuid.uuid4().hex,
        "STRIPE_API_BASE": localstripe_url,
        "STRIPE_JS_URL": f"{localstripe_url}/js.stripe.com/v3/",
    }


@pytest.fixture(scope="module")
def stripe_site(app, database_url, instance_path, localstripe) -> Iterator[StripeSite]:
    """The app with Stripe keys, served on loopback, its webhook registered with localstripe."""
    settings = stripe_settings(localstripe)
    served = create_app(conftest.test_overrides(database_url, instance_path, SERVER_NAME=None, **settings), environ={})
    server = make_server("127.0.0.1", 0, served, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    url = f"http://127.0.0.1:{server.server_port}"
    served.config["PUBLIC_BASE_URL"] = url
    register = urllib.parse.urlencode({"url": f"{url}/webhooks/stripe", "secret": settings["STRIPE_WEBHOOK_SECRET"]})
    # One id for the whole session: each module's site replaces the one before, so events reach the live one.
    urllib.request.urlopen(f"{localstripe}/_config/webhooks/nongsan", data=register.encode(), timeout=5).close()
    yield StripeSite(served, url, localstripe, settings["STRIPE_WEBHOOK_SECRET"], settings["STRIPE_PUBLISHABLE_KEY"])
    server.shutdown()
    server.server_close()
    thread.join(timeout=5)
    with served.app_context():
        db.session.remove()
        db.engine.dispose()
