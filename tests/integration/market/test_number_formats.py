"""Kilograms in the JSON API use a dot as the decimal mark; on the pages they are read and shown in the page's
language."""

from __future__ import annotations

import pytest

from tests.conftest import csrf_token
from tests.integration.core.accounts.helpers import sign_in
from tests.integration.market.conftest import create_listing, place


def text(response) -> str:
    return response.get_data(as_text=True)


def black_pepper(client, world) -> str:
    """A lot of dried black pepper (sold by the gram, unlike fresh pepper) from 3 t of the pepper seller's harvest."""
    fresh = world.harvest("pepper", "3000")
    dried = client.post(
        "/api/v1/transformations",
        json={
            "inputs": [{"code": fresh}],
            "outputs": [{"product": "black_pepper", "quantity": "1000"}],
            "step": "drying",
        },
        headers=world.auth("pepper"),
    )
    assert dried.status_code == 201, dried.json
    return dried.json["outputs"][0]["code"]


def test_the_api_reads_a_dot_as_the_decimal_mark(client, world):
    listing = create_listing(
        client,
        world,
        "pepper",
        black_pepper(client, world),
        title="Tiêu",
        price_per_kg=60000,
        quantity="100",
        min_order_quantity="1.250",
    )
    assert listing["min_order_quantity"] == "1.25"  # never 1250 kg
    order = place(client, world, "buyer", [(listing["id"], "2.500")])
    assert order.status_code == 201 and order.json["orders"][0]["lines"][0]["quantity"] == "2.5"
    refused = place(client, world, "buyer", [(listing["id"], "2,5")])
    assert refused.status_code == 422 and refused.json["errors"] == {"items.0.quantity": ["Enter a quantity in kg."]}


def test_an_english_page_reads_a_comma_as_grouping(client, world):
    code = world.harvest("pepper", "3000")
    sign_in(client, world.pepper_login)  # the pepper seller reads English
    data = {
        "csrf_token": csrf_token(client, "/market/my-listings/new"),
        "batch_code": code,
        "title": "Tiêu",
        "price_per_kg": "60,000",
        "quantity": "1,250",
        "pickup": "y",
        "publish": "y",
    }
    assert client.post("/market/my-listings/new", data=data).status_code == 303
    listing = client.get("/api/v1/listings?mine=true", headers=world.auth("pepper")).json[0]
    assert listing["quantity"] == "1250"


def test_the_edit_form_shows_kilograms_as_the_page_writes_them(client, world):
    listing = create_listing(
        client,
        world,
        "pepper",
        black_pepper(client, world),
        title="Tiêu",
        price_per_kg=60000,
        quantity="250.5",
        min_order_quantity="1.255",
    )
    sign_in(client, world.pepper_login)
    edit = f"/market/my-listings/{listing['id']}/edit"
    english = text(client.get(f"{edit}?lang=en"))
    assert 'value="250.5"' in english and 'value="1.255"' in english
    page = text(client.get(f"{edit}?lang=vi"))
    assert 'value="250,5"' in page and 'value="1,255"' in page
    # Saved back unchanged from the Vietnamese form, nothing grows a thousandfold.
    form = {
        "csrf_token": csrf_token(client, f"{edit}?lang=vi"),
        "title": "Tiêu",
        "price_per_kg": "60.000",
        "quantity": "250,5",
        "min_order_quantity": "1,255",
        "pickup": "y",
    }
    assert client.post(f"{edit}?lang=vi", data=form).status_code == 303
    saved = client.get(f"/api/v1/listings/{listing['id']}", headers=world.auth("pepper")).json
    assert saved["quantity"] == "250.5" and saved["min_order_quantity"] == "1.255"


def test_a_cart_quantity_with_grams_survives_the_vietnamese_pages(client, world):
    listing = create_listing(
        client,
        world,
        "pepper",
        black_pepper(client, world),
        title="Tiêu",
        price_per_kg=60000,
        quantity="100",
        min_order_quantity="1",
    )
    sign_in(client, world.other_buyer_login)  # reads Vietnamese
    token = csrf_token(client, f"/market/listings/{listing['id']}")
    assert (
        client.post(
            "/market/cart/add", data={"csrf_token": token, "listing_id": listing["id"], "quantity": "1,255"}
        ).status_code
        == 303
    )
    cart = text(client.get("/market/cart"))
    assert 'value="1,255"' in cart
    assert (
        client.post(
            "/market/cart",
            data={"csrf_token": csrf_token(client, "/market/cart"), f"quantity-{listing['id']}": "1,255"},
        ).status_code
        == 303
    )
    placed = client.post(
        "/market/checkout",
        data={
            "csrf_token": csrf_token(client, "/market/checkout"),
            "payment_method": "cod",
            "delivery_method": "pickup",
        },
    )
    assert placed.status_code == 303, text(placed)
    order = client.get("/api/v1/orders", headers=world.auth("other_buyer")).json[0]
    assert order["lines"][0]["quantity"] == "1.255"


@pytest.mark.parametrize(
    ("seller", "shown"),
    [
        ("cashew", "tối đa 1250,5 kg của lô"),  # the cashew seller reads Vietnamese
        ("pepper", "At most 1250.5 kg of lot"),  # the pepper seller reads English
    ],
)
def test_a_listing_offering_more_than_the_lot_has_says_the_bound_in_the_page_language(client, world, seller, shown):
    code = world.harvest(seller, "1250.5")
    sign_in(client, getattr(world, f"{seller}_login"))
    data = {
        "csrf_token": csrf_token(client, "/market/my-listings/new"),
        "batch_code": code,
        "title": "Hàng",
        "price_per_kg": "35000",
        "quantity": "5000",
        "pickup": "y",
    }
    refused = client.post("/market/my-listings/new", data=data)
    assert refused.status_code == 422
    page = text(refused)
    assert shown in page and "1250.5 kg" not in page.replace(shown, "")
    api = client.post(
        "/api/v1/listings",
        json={"batch_code": code, "title": "Hàng", "price_per_kg": 35000, "quantity": "5000", "pickup": True},
        headers=world.auth(seller),
    )
    assert api.status_code == 422
    assert api.json["errors"]["quantity"] == [
        f"At most 1250.5 kg of lot {code} can still be offered (its other listings take the rest)."
    ]
