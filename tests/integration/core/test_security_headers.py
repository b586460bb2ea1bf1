"""Every answer carries the security headers (pages above all, replayed ones too); cookies are Secure in production,
HttpOnly and SameSite; a production error shows no traceback."""

from __future__ import annotations

import itertools

from flask import Flask

from core import replay
from core.web_security import init_web_security, style_nonce
from tests.trace_page_builders import build_story
from tests.traceability_builders import seeded


def assert_secured(response) -> None:
    policy = response.headers["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in policy and "default-src 'self'" in policy
    assert "'unsafe-inline'" not in policy and "'unsafe-eval'" not in policy
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "strict-origin-when-cross-origin"


def test_pages_api_answers_and_errors_carry_the_headers(client):
    for path in ("/", "/sign-in", "/market", "/no-such-page", "/api/v1/no-such-resource", "/api/openapi.json"):
        assert_secured(client.get(path))
    assert_secured(client.post("/api/v1/auth/tokens", data="x", content_type="text/plain"))


def test_a_replayed_trace_page_carries_the_same_headers(app):
    story = seeded(app, build_story)
    client = app.test_client(use_cookies=False)
    first = client.get(f"/t/{story['kernels']}")
    again = client.get(f"/t/{story['kernels']}")
    revalidated = client.get(f"/t/{story['kernels']}", headers={"If-None-Match": first.headers["ETag"]})
    assert first.status_code == again.status_code == 200 and revalidated.status_code == 304
    for response in (first, again, revalidated):
        assert_secured(response)
        assert response.headers["Content-Security-Policy"] == first.headers["Content-Security-Policy"]
    assert "nonce-" not in first.headers["Content-Security-Policy"]  # one policy for every visitor of the page


def test_an_answer_with_a_nonce_is_never_replayed():
    app = Flask(__name__, root_path=str(Flask(__name__).root_path), static_folder=str(_static_folder()))
    init_web_security(app)
    calls = itertools.count(1)

    @app.get("/page")
    def page():
        replay.mark("demo", seconds=60)
        return f'<style nonce="{style_nonce()}">p{{}}</style>{next(calls)}'

    @app.get("/plain")
    def plain():
        replay.mark("demo", seconds=60)
        return str(next(calls))

    replay.install(app)
    client = app.test_client(use_cookies=False)
    nonces = {client.get("/page").headers["Content-Security-Policy"] for _ in range(2)}
    assert len(nonces) == 2  # each answer made afresh, with its own nonce
    assert client.get("/plain").data == client.get("/plain").data  # the replay itself still works


def _static_folder():
    from core.app import ROOT

    return ROOT / "static"


def production(make_app, **extra):
    return make_app(
        NONGSAN_ENV="production",
        CELERY_BROKER_URL="redis://127.0.0.1:6379/15",
        CELERY_TASK_ALWAYS_EAGER=True,
        STORAGE_BACKEND="local",
        **extra,
    )


def test_hsts_only_in_production_over_https(app, make_app):
    live = production(make_app).test_client()
    assert live.get("/", base_url="https://localhost").headers["Strict-Transport-Security"] == "max-age=31536000"
    assert "Strict-Transport-Security" not in live.get("/", base_url="http://localhost").headers
    behind_proxy = live.get("/", base_url="http://localhost", headers={"X-Forwarded-Proto": "https"})
    assert "Strict-Transport-Security" in behind_proxy.headers  # TLS ends at the proxy in front
    assert "Strict-Transport-Security" not in app.test_client().get("/", base_url="https://localhost").headers
    off = production(make_app, HSTS_SECONDS=0).test_client()
    assert "Strict-Transport-Security" not in off.get("/", base_url="https://localhost").headers


def test_cookies_are_secure_in_production_httponly_and_samesite(app, make_app):
    live = production(make_app).test_client()
    for response in (
        live.get("/sign-in", base_url="https://localhost"),
        live.get("/lang/en", base_url="https://localhost"),
    ):
        cookies = response.headers.getlist("Set-Cookie")
        assert cookies, response.status_code
        for cookie in cookies:
            assert "Secure" in cookie and "HttpOnly" in cookie and "SameSite=Lax" in cookie, cookie
    for cookie in app.test_client().get("/sign-in").headers.getlist("Set-Cookie"):
        assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Secure" not in cookie, cookie


def test_a_production_error_shows_no_traceback(make_app):
    live = production(make_app)

    def broken():
        raise RuntimeError("secret internals: /srv/nongsan/core/db.py line 42")

    live.add_url_rule("/broken", "broken", broken)
    live.add_url_rule("/api/v1/broken", "api_broken", broken)
    client = live.test_client()
    page = client.get("/broken", base_url="https://localhost")
    api = client.get("/api/v1/broken", base_url="https://localhost")
    assert page.status_code == api.status_code == 500
    assert page.mimetype == "text/html" and api.mimetype == "application/problem+json"
    assert api.json["code"] == "internal_error"
    for response in (page, api):
        text = response.get_data(as_text=True)
        assert "Traceback" not in text and "secret internals" not in text and "RuntimeError" not in text
        assert_secured(response)
