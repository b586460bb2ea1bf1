"""Production start-up: refuse to run on a guess, and serve through gunicorn when told everything."""

from __future__ import annotations

import json
import os
import socket
import stat
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from core.app import ROOT
from core.config import REQUIRED_IN_PRODUCTION, ConfigurationError
from nongsan_app import create_app

BIN = Path(sys.executable).parent


def production_environ(tmp_path: Path) -> dict[str, str]:
    """Everything a production start needs, on local resources (nothing here is contacted at start-up)."""
    return {
        "SECRET_KEY": "production-test-" + "k" * 48,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'production.sqlite3'}",
        "PUBLIC_BASE_URL": "https://nongsan.example.vn",
        "CELERY_BROKER_URL": "redis://127.0.0.1:6379/15",
        "STORAGE_BACKEND": "local",
        "STORAGE_LOCAL_PATH": str(tmp_path / "files"),
        "NONGSAN_INSTANCE_PATH": str(tmp_path / "instance"),
    }


def clean_environ(**settings: str) -> dict[str, str]:
    """A process environment with nothing of ours in it but ``settings`` (NONGSAN_ENV unset: production)."""
    return {"PATH": os.environ.get("PATH", ""), "LANG": "C.UTF-8", **settings}


def run(command: list[str], environ: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(command, cwd=ROOT, env=environ, capture_output=True, text=True, timeout=60)


def test_create_app_without_settings_is_production_and_names_what_is_missing(tmp_path):
    with pytest.raises(ConfigurationError) as error:
        create_app(environ={"NONGSAN_INSTANCE_PATH": str(tmp_path)})
    for name in REQUIRED_IN_PRODUCTION:
        assert name in str(error.value)
    assert not (tmp_path / "secret_key").exists()  # production never invents a secret


def test_create_app_without_only_the_secret_names_only_the_secret(tmp_path):
    environ = production_environ(tmp_path)
    del environ["SECRET_KEY"]
    with pytest.raises(ConfigurationError) as error:
        create_app(environ=environ)
    message = str(error.value)
    assert "SECRET_KEY" in message
    assert "DATABASE_URL" not in message and "STORAGE_BACKEND" not in message


def test_create_app_with_every_setting_starts_in_production(tmp_path):
    app = create_app(environ=production_environ(tmp_path))
    assert app.config["NONGSAN_ENV"] == "production"
    assert app.testing is False
    assert app.config["SESSION_COOKIE_SECURE"] is True


def test_card_payments_half_configured_refuse_to_start_naming_the_missing_stripe_setting(tmp_path):
    """A secret key without the webhook's secret would take money that never becomes a paid order."""
    environ = {**production_environ(tmp_path), "STRIPE_SECRET_KEY": "sk_live_x", "STRIPE_PUBLISHABLE_KEY": "pk_live_x"}
    with pytest.raises(ConfigurationError) as error:
        create_app(environ=environ)
    assert "STRIPE_WEBHOOK_SECRET" in str(error.value) and "STRIPE_SECRET_KEY" not in str(error.value)
    complete = create_app(environ={**environ, "STRIPE_WEBHOOK_SECRET": "whsec_x"})
    assert complete.config["STRIPE_WEBHOOK_SECRET"] == "whsec_x"


def test_development_keeps_one_private_secret_in_the_instance_folder(tmp_path):
    environ = {"NONGSAN_ENV": "development", "NONGSAN_INSTANCE_PATH": str(tmp_path)}
    first, second = create_app(environ=environ), create_app(environ=environ)
    secret_file = tmp_path / "secret_key"
    assert first.secret_key == second.secret_key == secret_file.read_text().strip()
    assert stat.S_IMODE(secret_file.stat().st_mode) == 0o600


def test_importing_wsgi_with_a_bare_environment_exits_naming_the_settings(tmp_path):
    result = run([sys.executable, "-c", "import wsgi"], clean_environ(NONGSAN_INSTANCE_PATH=str(tmp_path)))
    assert result.returncode != 0
    assert "ConfigurationError" in result.stderr
    for name in REQUIRED_IN_PRODUCTION:
        assert name in result.stderr


def test_gunicorn_check_config_fails_on_a_missing_secret(tmp_path):
    environ = production_environ(tmp_path)
    del environ["SECRET_KEY"]
    result = run([str(BIN / "gunicorn"), "--check-config", "wsgi:app"], clean_environ(**environ))
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_gunicorn_serves_with_json_request_logs_and_no_access_log(tmp_path):
    # Also the counterpart of the failing --check-config above: the same command line starts when all is set.
    port = free_port()
    # GEO_WARM_UP=0: the master would first spend 8-12 s building the old-address matcher for its workers.
    environ = clean_environ(
        **production_environ(tmp_path), BIND=f"127.0.0.1:{port}", WEB_CONCURRENCY="1", GEO_WARM_UP="0"
    )
    log_path = tmp_path / "gunicorn.log"
    with log_path.open("wb") as log:
        server = subprocess.Popen(
            [str(BIN / "gunicorn"), "wsgi:app"], cwd=ROOT, env=environ, stdout=log, stderr=subprocess.STDOUT
        )
    try:
        body, deadline = None, time.monotonic() + 20
        while body is None and time.monotonic() < deadline and server.poll() is None:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz?from=lb", timeout=2) as response:
                    body = json.load(response)
            except (urllib.error.URLError, ConnectionError):
                time.sleep(0.2)
        assert body == {"status": "ok"}, log_path.read_text()
    finally:
        server.terminate()
        server.wait(timeout=30)

    lines = log_path.read_text().splitlines()
    request_lines = [json.loads(line) for line in lines if line.startswith("{") and '"nongsan.request"' in line]
    assert [(entry["method"], entry["path"], entry["status"]) for entry in request_lines][:1] == [
        ("GET", "/healthz", 200)
    ]
    assert not any("GET /healthz" in line for line in lines)  # gunicorn's access log (with IPs) stays off
    assert not any("from=lb" in line for line in lines)


def test_behind_the_proxy_the_limiter_sees_the_visitor_not_the_proxy(make_app):
    # Production's default: one trusted proxy, so X-Forwarded-For names the visitor.
    app = make_app(TRUSTED_PROXIES=1)
    seen = []

    @app.get("/whoami-for-test")
    def whoami():
        from flask import request

        seen.append(request.remote_addr)
        return "ok"

    app.test_client().get(
        "/whoami-for-test", headers={"X-Forwarded-For": "203.0.113.7"}, environ_base={"REMOTE_ADDR": "127.0.0.1"}
    )
    assert seen == ["203.0.113.7"]
