"""Numbers too large for the database are refused where they are read, never sent to SQL (a 500)."""

from __future__ import annotations

import pytest

from tests.conftest import csrf_token
from tests.integration.core.accounts.helpers import sign_in
from tests.integration.market.conftest import create_listing, place

HUGE = "9" * 30


@pytest.mark.parametrize(
    ("query", "field"),
    [
        (f"price_min={HUGE}", "price_min"),
        (f"price_max={HUGE}", "price_max"),
        (f"page={HUGE}", "page"),
        ("page=1e20", "page"),
        ("page=100000000000000000000", "page"),
    ],
)
def test_the_listing_search_refuses_numbers_out_of_range(client, world, query, field):
    response = client.get(f"/api/v1/listings?{query}")
    assert response.status_code == 422
    assert response.content_type == "application/problem+json"
    assert field in str(response.json["errors"])


def test_the_order_list_refuses_a_page_out_of_range(client, world):
    response = client.get(f"/api/v1/orders?page={HUGE}", headers=world.auth("buyer"))
    assert response.status_code == 422
    assert "page" in str(response.json["errors"])


def test_the_highest_bounds_still_search(client, world):
    create_listing(client, world, "cashew", world.harvest("cashew"))
    assert client.get("/api/v1/listings?price_max=1000000000000&page=1000000").status_code == 200
    assert client.get("/api/v1/listings?price_min=1000000000001").status_code == 422


def test_the_marketplace_page_explains_a_price_out_of_range(client, world):
    create_listing(client, world, "cashew", world.harvest("cashew"), title="Điều thô Lộc Ninh")
    page = client.get(f"/market?price_min={HUGE}&lang=en")
    assert page.status_code == 200
    body = page.get_data(as_text=True)
    assert "Enter a price of at most ₫1,000,000,000,000." in body
    assert "Điều thô Lộc Ninh" in body  # the filter is dropped, the offers stay


@pytest.mark.parametrize("path", ["/market", "/market/orders", "/market/sales", "/market/my-listings"])
def test_pages_answer_a_huge_page_number(client, world, path):
    sign_in(client, world.cashew_login)
    for page in (HUGE, "1e20", "-5"):
        assert client.get(f"{path}?page={page}").status_code == 200


def test_a_giant_refund_amount_on_the_order_page_is_a_form_error(client, world):
    listing = create_listing(client, world, "cashew", world.harvest("cashew"), quantity="100")
    order = place(client, world, "buyer", [(listing["id"], "10")]).json["orders"][0]
    sign_in(client, world.cashew_login)
    token = csrf_token(client, f"/market/orders/{order['id']}")
    for amount in ("9" * 5000, "²", HUGE):
        response = client.post(
            f"/market/orders/{order['id']}/transitions?lang=en",
            data={"csrf_token": token, "to": "partially_refunded", "amount": amount},
            follow_redirects=True,
        )
        assert response.status_code == 200
        assert "Enter the amount in whole đồng, at most ₫1,000,000,000,000." in response.get_data(as_text=True)
    assert client.get(f"/api/v1/orders/{order['id']}", headers=world.auth("cashew")).json["status"] == "pending_payment"
