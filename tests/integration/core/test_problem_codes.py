"""Every problem JSON names what went wrong with a stable, machine-readable ``code`` beside its English detail."""

from __future__ import annotations


def test_an_unknown_path_is_not_found(client):
    response = client.get("/api/v1/no-such-resource")
    assert response.status_code == 404
    assert response.mimetype == "application/problem+json"
    assert response.json["code"] == "not_found"


def test_invalid_fields_say_so_by_code(client):
    response = client.post("/api/v1/auth/tokens", json={"password": 5})
    assert response.status_code == 422
    assert response.json["code"] == "invalid_fields" and response.json["errors"]


def test_a_domain_error_carries_its_own_code(client):
    response = client.get("/api/v1/plots")  # no token
    assert response.status_code == 401
    assert response.json["code"] == "unauthorized"
