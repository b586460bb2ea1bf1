"""Bodies the JSON API cannot read are refused with a coded problem, on every endpoint, before anything runs."""

from __future__ import annotations

import io
import json

import pytest

from core.accounts.models import OrganizationKind
from tests.builders import bearer, make_org, make_token, make_user

SIGN_UP = {
    "name": "Lê Thị B",
    "email": "b@example.vn",
    "password": "đủ dài rồi nhé",
    "organization": {"name": "Vườn B", "kind": "household"},
}
DEEP = "[" * 5000 + "]" * 5000


@pytest.fixture
def token(ctx):
    user = make_user()
    make_org(OrganizationKind.HOUSEHOLD, owner=user)
    return make_token(user)


def problem(response, status: int, code: str) -> dict:
    assert response.status_code == status, response.data
    assert response.mimetype == "application/problem+json"
    assert response.json["code"] == code
    return response.json


@pytest.mark.parametrize("path", ["/api/v1/accounts", "/api/v1/auth/tokens", "/api/v1/geo/address-matches"])
def test_json_nested_thousands_deep_is_a_400_without_signing_in(client, path):
    body = problem(client.post(path, data=DEEP, content_type="application/json"), 400, "json_too_deep")
    assert "32 levels" in body["detail"]


def test_json_nested_too_deep_is_refused_on_an_authenticated_endpoint(client, token):
    response = client.post("/api/v1/batches", data=DEEP, content_type="application/json", headers=bearer(token))
    problem(response, 400, "json_too_deep")


def test_deep_json_is_refused_where_the_view_reads_the_body_itself(client, token):
    # EPCIS capture reads request.get_json() itself: the app's JSON provider refuses the same way (a 400, not a 500).
    response = client.post(
        "/api/v1/epcis/capture", data=DEEP, content_type="application/ld+json", headers=bearer(token)
    )
    assert response.status_code == 400 and response.mimetype == "application/problem+json"


def test_nesting_at_the_limit_is_still_read(client):
    nested: object = "x"
    for _ in range(31):
        nested = [nested]
    response = client.post("/api/v1/auth/tokens", json={"login": "0912345678", "password": "wrong one", "x": nested})
    assert response.status_code == 422  # read: the unknown field is named, not a refused body
    assert "x" in response.json["errors"]


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ('{"login": "0912345678", "password": NaN}', "json_not_a_number"),
        ('{"login": "0912345678", "password": -Infinity}', "json_not_a_number"),
        ('{"login": "0912345678", "password": 1e999}', "json_number_too_large"),
        ('{"login": "0912345678", "password": ' + "9" * 5000 + "}", "json_number_too_large"),
        ('{"login": "0912345678", "password": "x"', "invalid_json"),
        ("\xff\xfe{}", "invalid_json"),
    ],
)
def test_odd_json_is_a_coded_400(client, text, code):
    data = text.encode("latin-1") if text.startswith("\xff") else text.encode()
    problem(client.post("/api/v1/auth/tokens", data=data, content_type="application/json"), 400, code)


def test_large_but_valid_numbers_are_field_errors_not_server_errors(client, token):
    for quantity, plot in ((10**300, 1), (1e308, 1), (12, 10**40)):
        body = {"product": "fresh_pepper", "quantity": quantity, "plot_ids": [plot]}
        response = client.post("/api/v1/batches", json=body, headers=bearer(token))
        assert response.status_code in (400, 404, 422), response.data
        assert response.mimetype == "application/problem+json"


@pytest.mark.parametrize("content_type", ["text/plain", "application/x-www-form-urlencoded", None])
def test_a_json_body_of_another_type_is_415_naming_json(client, content_type):
    response = client.post(
        "/api/v1/auth/tokens",
        data=json.dumps({"login": "0912345678", "password": "whatever it is"}),
        content_type=content_type,
    )
    body = problem(response, 415, "unsupported_media_type")
    assert body["accepted"] == ["application/json"]
    assert "application/json" in body["detail"]


def test_a_json_body_with_charset_or_a_json_suffix_is_read(client):
    data = json.dumps({"login": "0912345678", "password": "whatever it is"})
    for content_type in ("application/json; charset=utf-8", "application/merge-patch+json"):
        response = client.post("/api/v1/auth/tokens", data=data, content_type=content_type)
        assert response.status_code == 401, (content_type, response.data)  # read, and the login is unknown


def test_a_415_claims_no_idempotency_key(client):
    data = json.dumps(SIGN_UP)
    refused = client.post(
        "/api/v1/accounts", data=data, content_type="text/plain", headers={"Idempotency-Key": "sign-up-1"}
    )
    assert refused.status_code == 415
    created = client.post(
        "/api/v1/accounts", data=data, content_type="application/json", headers={"Idempotency-Key": "sign-up-1"}
    )
    assert created.status_code == 201, created.data


def test_uploads_keep_their_multipart_form(client, token):
    response = client.post(
        "/api/v1/photos",
        data={"file": (io.BytesIO(b"not an image"), "a.jpg")},
        content_type="multipart/form-data",
        headers=bearer(token),
    )
    assert response.status_code != 415  # the upload is read (and its content judged), not refused for its type
    sent_as_json = client.post("/api/v1/photos", json={"file": "x"}, headers=bearer(token))
    body = problem(sent_as_json, 415, "unsupported_media_type")
    assert body["accepted"] == ["multipart/form-data"]


def test_epcis_capture_still_takes_json_ld(client, token):
    response = client.post(
        "/api/v1/epcis/capture", data="{}", content_type="application/ld+json", headers=bearer(token)
    )
    assert response.status_code != 415


def test_an_endpoint_without_a_body_ignores_one(client, token):
    response = client.get("/api/v1/me", data="hello", content_type="text/plain", headers=bearer(token))
    assert response.status_code == 200


def test_a_nul_character_anywhere_is_a_coded_400_and_nothing_is_written(client, token):
    """PostgreSQL cannot store U+0000 in text: it was a 500 there (found by the API fuzz test)."""
    listing = {"batch_code": "\u0000", "price_per_kg": 1000, "quantity": "1", "title": "Điều"}
    problem(client.post("/api/v1/listings", json=listing, headers=bearer(token)), 400, "nul_character")
    plot = {"name": "Vườn", "commune_code": "25270", "crops": ["cashew"], "geometry": None, "n\u0000": 1}
    problem(client.post("/api/v1/plots", json=plot, headers=bearer(token)), 400, "nul_character")
    problem(client.get("/api/v1/batches?q=a%00b", headers=bearer(token)), 400, "nul_character")
    problem(client.get("/api/v1/batches/AB%00CD", headers=bearer(token)), 400, "nul_character")
    page = client.post("/sign-in", data={"login": "09\u000012", "password": "x"})
    assert page.status_code == 400 and page.mimetype == "text/html"  # the translated "check what you entered" page
    assert client.get("/api/v1/plots", headers=bearer(token)).json == []
