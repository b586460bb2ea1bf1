import pytest
from sqlalchemy import select

from core.accounts.models import Organization, User
from core.extensions import db
from tests.builders import PASSWORD


def _sign_up(client, **login):
    body = {
        **login,
        "password": PASSWORD,
        "name": "Lê Văn Tư",
        "organization": {"name": "Hộ Lê Văn Tư", "kind": "household", "commune_code": "25270"},
    }
    return client.post("/api/v1/accounts", json=body)


@pytest.mark.parametrize("phone", ["0912 345 678", "0912345678", "+84912345678", "84912345678", "+84 912 345 678"])
def test_api_sign_up_with_each_phone_form_then_token_with_another(ctx, client, phone):
    response = _sign_up(client, phone=phone)
    assert response.status_code == 201
    body = response.get_json()
    assert body["user"]["phone"] == "+84912345678"
    assert "password" not in body["user"] and "password_hash" not in body["user"]
    assert body["organization"] | {"id": 0, "created_at": ""} == {
        "id": 0,
        "name": "Hộ Lê Văn Tư",
        "kind": "household",
        "commune_code": "25270",
        "street": None,
        "verified": False,
        "verified_at": None,
        "verification_state": "pending",
        "rejection_reason": None,
        "gln": None,
        "created_at": "",
    }
    assert client.post("/api/v1/auth/tokens", json={"login": "84 912 345 678", "password": PASSWORD}).status_code == 201


def test_api_sign_up_with_email(ctx, client):
    response = _sign_up(client, email="Tu.Le@Example.VN")
    assert response.status_code == 201
    assert response.get_json()["user"]["email"] == "tu.le@example.vn"


def test_duplicate_login_is_409_problem(ctx, client):
    assert _sign_up(client, phone="0912345678").status_code == 201
    response = _sign_up(client, phone="+84 912 345 678")
    assert response.status_code == 409
    assert response.mimetype == "application/problem+json"
    assert "phone" in response.get_json()["errors"]
    assert len(db.session.scalars(select(User)).all()) == 1


def test_department_kind_and_bad_fields_are_refused_with_422(ctx, client):
    body = {
        "phone": "0912345678",
        "password": PASSWORD,
        "name": "X",
        "organization": {"name": "Sở", "kind": "department"},
    }
    response = client.post("/api/v1/accounts", json=body)
    assert response.status_code == 422
    assert "organization.kind" in response.get_json()["errors"]
    short = client.post(
        "/api/v1/accounts",
        json=body | {"password": "1234567", "organization": {"name": "Hộ", "kind": "trader", "commune_code": "12"}},
    )
    assert short.status_code == 422
    errors = short.get_json()["errors"]
    assert errors["password"] == ["The password must be at least 8 characters long."]
    assert "organization.commune_code" in errors
    both = client.post("/api/v1/accounts", json=body | {"email": "a@example.com"})
    assert both.status_code == 422
    assert db.session.scalar(select(Organization)) is None


def test_sign_up_stores_the_address_as_commune_and_street_in_one_go(client):
    response = client.post(
        "/api/v1/accounts",
        json={
            "phone": "0987 654 321",
            "password": "mật khẩu dài",
            "name": "Lê Văn Hồ",
            "organization": {"name": "Hộ Lê Văn Hồ", "kind": "household", "commune_code": "25270", "street": "Ấp 3"},
        },
    )
    assert response.status_code == 201, response.get_json()
    organization = response.get_json()["organization"]
    assert (organization["commune_code"], organization["street"]) == ("25270", "Ấp 3")


def test_a_street_without_its_commune_is_refused_and_nothing_is_created(client):
    body = {
        "phone": "0987 654 322",
        "password": "mật khẩu dài",
        "name": "Lê Văn Hồ",
        "organization": {"name": "Hộ Lê", "kind": "household", "street": "Ấp 3"},
    }
    response = client.post("/api/v1/accounts", json=body)
    assert response.status_code == 422
    assert "organization.commune_code" in response.get_json()["errors"]
    body["organization"]["commune_code"] = "25270"
    assert client.post("/api/v1/accounts", json=body).status_code == 201  # the phone was not taken by the failed try
