"""Refusals carry a code in the API and read in the reader's language, numbers included, on pages."""

from __future__ import annotations

import re

from core.extensions import db
from tests.builders import make_org, make_user
from tests.integration.core.accounts.helpers import sign_in


def test_a_blocked_sign_in_says_how_long_to_wait_in_vietnamese_numbers(app, make_app):
    limited = make_app(LOGIN_FAILURE_WINDOW_SECONDS=3600)  # on the tables the `app` fixture made
    with limited.app_context():
        make_org(owner=make_user(phone="+84912345678"))
        db.session.remove()
    client = limited.test_client()
    for _ in range(5):
        assert sign_in(client, "0912345678", "wrong password").status_code == 422

    page = sign_in(client, "0912345678", "wrong password")
    assert page.status_code == 429
    assert re.search(r"Hãy thử lại sau 3\.[56]\d\d giây", page.get_data(as_text=True))

    api = client.post("/api/v1/auth/tokens", json={"login": "0912345678", "password": "wrong password"})
    assert api.status_code == 429
    assert api.json["code"] == "too_many_attempts"
    assert re.fullmatch(
        r"Too many failed sign-in attempts for this login\. Try again in 3[56]\d\d seconds\.", api.json["detail"]
    )


def test_an_unknown_commune_is_refused_with_its_code(client):
    response = client.get("/api/v1/geo/communes/99999")
    assert response.status_code == 404
    assert response.json["code"] == "commune_unknown"
    assert response.json["detail"] == "There is no commune with code 99999."
