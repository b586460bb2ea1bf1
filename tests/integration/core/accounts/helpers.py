"""Page actions shared by the account tests, done the way a browser does them."""

from __future__ import annotations

from tests.builders import PASSWORD
from tests.conftest import csrf_token


def sign_in(client, login: str, password: str = PASSWORD, next_url: str | None = None):
    url = "/sign-in" + (f"?next={next_url}" if next_url else "")
    return client.post(url, data={"csrf_token": csrf_token(client, "/sign-in"), "login": login, "password": password})


def sign_up(client, login: str, password: str = PASSWORD, **fields):
    data = {
        "csrf_token": csrf_token(client, "/sign-up"),
        "name": "Trần Thị Lan",
        "login": login,
        "password": password,
        "org_name": "Vườn điều Lộc Ninh",
        "org_kind": "household",
        "address-province_code": "75",
        "address-commune_code": "25270",
    }
    data.update(fields)
    return client.post("/sign-up", data=data)


def post_form(client, form_url: str, action: str, **data):
    """Post to ``action`` with the CSRF token found in the form at ``form_url``."""
    return client.post(action, data={"csrf_token": csrf_token(client, form_url), **data})


class Seed:
    """Builds data in its own app context, so that requests made afterwards get fresh contexts.

    (With an app context held open, every test request would share it, and with it
    ``g``: the API caller resolved for one request would be reused by the next.)
    """

    def __init__(self, app):
        self.app = app

    def __call__(self, build):
        from core.extensions import db

        with self.app.app_context():
            try:
                return build()
            finally:
                db.session.remove()
