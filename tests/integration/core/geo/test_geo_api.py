"""The public picker API: provinces, communes, one commune, and old-address matching."""

from __future__ import annotations

import pytest


def test_34_provinces_with_code_and_name(client):
    response = client.get("/api/v1/geo/provinces")
    assert response.status_code == 200
    assert "public" in response.headers["Cache-Control"] and "max-age=" in response.headers["Cache-Control"]
    provinces = response.get_json()
    assert len(provinces) == 34
    assert {"code": "75", "name": "Đồng Nai", "codename": "dong_nai"} in provinces


def test_dong_nai_lists_its_95_communes(client):
    response = client.get("/api/v1/geo/provinces/75/communes")
    assert response.status_code == 200
    assert "max-age=" in response.headers["Cache-Control"]
    communes = response.get_json()
    assert len(communes) == 95
    by_code = {item["code"]: item["name"] for item in communes}
    assert by_code["25270"] == "Xã Lộc Ninh"
    assert by_code["25195"] == "Phường Bình Phước"
    assert all(item["province_code"] == "75" for item in communes)


@pytest.mark.parametrize("code", ["99", "abc", "7500"])
def test_an_unknown_province_is_a_404_problem(client, code):
    response = client.get(f"/api/v1/geo/provinces/{code}/communes")
    assert response.status_code == 404
    assert response.mimetype == "application/problem+json"
    assert response.get_json()["status"] == 404


def test_one_commune_with_its_province(client):
    response = client.get("/api/v1/geo/communes/25222")
    assert response.status_code == 200
    assert response.get_json() == {
        "code": "25222",
        "name": "Xã Bù Gia Mập",
        "codename": "xa_bu_gia_map",
        "province_code": "75",
        "province_name": "Đồng Nai",
    }
    missing = client.get("/api/v1/geo/communes/00001")
    assert missing.status_code == 404
    assert missing.mimetype == "application/problem+json"


def test_an_old_address_matches_one_new_commune(client):
    response = client.post("/api/v1/geo/address-matches", json={"address": "xã Lộc Thái, huyện Lộc Ninh, Bình Phước"})
    assert response.status_code == 200
    body = response.get_json()
    assert body["status"] == "matched"
    assert (body["commune"]["code"], body["commune"]["name"], body["commune"]["province_code"]) == (
        "25270",
        "Xã Lộc Ninh",
        "75",
    )
    assert body["candidates"] == []


def test_the_old_dong_xoai_centre_without_province(client):
    body = client.post(
        "/api/v1/geo/address-matches", json={"address": "12 Trần Hưng Đạo, phường Tân Phú, thành phố Đồng Xoài"}
    ).get_json()
    assert body["status"] == "matched"
    assert body["commune"]["name"] == "Phường Bình Phước"
    assert body["street"] == "12 Trần Hưng Đạo"


def test_an_ambiguous_address_returns_candidates(client):
    response = client.post("/api/v1/geo/address-matches", json={"address": "xã Tân Lập"})
    assert response.status_code == 200
    body = response.get_json()
    assert body["status"] == "ambiguous"
    assert body["commune"] is None
    assert body["candidates"][0] == {
        "code": "25363",
        "name": "Xã Đồng Phú",
        "codename": "xa_dong_phu",
        "province_code": "75",
        "province_name": "Đồng Nai",
    }
    assert len(body["candidates"]) > 10


def test_an_unknown_address_is_not_found_but_still_200(client):
    response = client.post("/api/v1/geo/address-matches", json={"address": "qwerty zxcv"})
    assert response.status_code == 200
    assert response.get_json() == {"status": "not_found", "commune": None, "candidates": [], "street": None}


@pytest.mark.parametrize("body", [{"address": ""}, {"address": "   "}, {}, {"address": "x" * 301}])
def test_an_empty_or_missing_address_is_422(client, body):
    response = client.post("/api/v1/geo/address-matches", json=body)
    assert response.status_code == 422
    assert response.mimetype == "application/problem+json"
    assert "address" in response.get_json()["errors"]


def test_the_api_needs_no_token(client):
    # Public pickers: a sign-up form calls them before anyone has an account.
    assert client.get("/api/v1/geo/provinces", headers={}).status_code == 200
