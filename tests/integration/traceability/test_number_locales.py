"""Numbers are read as the sender writes them: JSON with a dot, forms in the page's language, "0.500" never as 500."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from tests.conftest import csrf_token
from tests.traceability_builders import BatchWorld

YESTERDAY = (date.today() - timedelta(days=1)).isoformat()


@pytest.fixture
def world(app):
    return BatchWorld(app)


def signed_in(client, world, who: str, language: str):
    with client.session_transaction() as session:
        session["_user_id"] = str(getattr(world, f"{who}_user"))
        session["_fresh"] = True
    client.set_cookie("lang", language, domain="localhost")
    return client


def harvest_on_page(client, world, quantity: str) -> str:
    """The remaining quantity of the lot the harvest page made from ``quantity``."""
    data = {
        "csrf_token": csrf_token(client, "/batches/new"),
        "plot_ids": str(world.an_plot),
        "product": "raw_cashew_nuts",
        "quantity": quantity,
        "unit": "kg",
        "harvest_date": YESTERDAY,
    }
    response = client.post("/batches/new", data=data)
    assert response.status_code == 303, response.get_data(as_text=True)
    return client.get("/api/v1/batches", headers=world.auth("an")).json[0]["remaining"]


@pytest.mark.parametrize(
    ("language", "typed", "kg"),
    [
        ("vi", "12.500", "12500"),
        ("vi", "12,5", "12.5"),
        ("vi", "0.500", "0.5"),
        ("vi", "1.250,5", "1250.5"),
        ("en", "12.500", "12.5"),
        ("en", "12,500", "12500"),
        ("en", "0.500", "0.5"),
        ("en", "1,250.5", "1250.5"),
    ],
)
def test_the_harvest_form_reads_numbers_in_the_pages_language(client, world, language, typed, kg):
    signed_in(client, world, "an", language)
    assert harvest_on_page(client, world, typed) == kg


@pytest.mark.parametrize(("sent", "kg"), [("12.500", "12.5"), ("0.500", "0.5"), (12.5, "12.5"), ("1250", "1250")])
def test_the_api_reads_a_dot_as_the_decimal_mark_whatever_the_language(client, world, sent, kg):
    body = {"product": "raw_cashew_nuts", "quantity": sent, "plot_ids": [world.an_plot], "harvest_date": YESTERDAY}
    response = client.post("/api/v1/batches", json=body, headers={**world.auth("an"), "Accept-Language": "vi"})
    assert response.status_code == 201, response.json
    assert response.json["quantity"] == kg


@pytest.mark.parametrize("sent", ["12,5", "1.250,5", "1 250"])
def test_the_api_refuses_thousands_separators_and_decimal_commas(client, world, sent):
    body = {"product": "raw_cashew_nuts", "quantity": sent, "plot_ids": [world.an_plot], "harvest_date": YESTERDAY}
    response = client.post("/api/v1/batches", json=body, headers=world.auth("an"))
    assert response.status_code == 422
    assert response.json["errors"]["quantity"] == [
        "Use a dot as the decimal mark and no thousands separators, e.g. 1250.5."
    ]


def test_label_weights_follow_the_same_rules(client, world):
    code = world.harvest("an", "1000")
    # Three bags of half a kilo, not of 500 kg (which would be more than the lot).
    api = client.post(
        f"/api/v1/batches/{code}/label-sheets",
        json={"count": 3, "format": "a4", "net_weight_kg": "0.500"},
        headers=world.auth("an"),
    )
    assert api.status_code == 202, api.json
    assert api.json["net_weight_kg"] == "0.5"
    signed_in(client, world, "an", "vi")
    url = f"/batches/{code}/labels"
    page = client.post(
        url, data={"csrf_token": csrf_token(client, url), "count": "3", "format": "a4", "net_weight_kg": "0.500"}
    )
    assert page.status_code == 303, page.get_data(as_text=True)
    public_id = page.headers["Location"].rsplit("/", 1)[-1]
    assert client.get(f"/api/v1/label-sheets/{public_id}", headers=world.auth("an")).json["net_weight_kg"] == "0.5"
