"""Lists page with ``page`` and ``per_page`` (the API convention), in the answer and in the OpenAPI document."""

from __future__ import annotations

import json

from tests.builders import bearer, make_token, make_user


def test_per_page_limits_the_page_and_x_pagination_counts_the_rest(app, client):
    with app.app_context():
        user = make_user()
        token = make_token(user)
        for _ in range(4):
            make_token(user)

    response = client.get("/api/v1/auth/tokens?page=2&per_page=2", headers=bearer(token))
    assert response.status_code == 200
    assert len(response.get_json()) == 2
    meta = json.loads(response.headers["X-Pagination"])
    assert meta["total"] == 5
    assert meta["total_pages"] == 3
    assert meta["page"] == 2


def test_per_page_beyond_the_maximum_is_a_field_error(app, client):
    with app.app_context():
        token = make_token(make_user())
    response = client.get("/api/v1/auth/tokens?per_page=100000", headers=bearer(token))
    assert response.status_code == 422
    assert response.mimetype == "application/problem+json"
    assert "per_page" in response.get_json()["errors"]


def test_the_document_names_page_and_per_page(client):
    document = client.get("/api/openapi.json").get_json()
    parameters = {p["name"] for p in document["paths"]["/api/v1/auth/tokens"]["get"]["parameters"]}
    assert {"page", "per_page"} <= parameters
    assert "page_size" not in parameters
