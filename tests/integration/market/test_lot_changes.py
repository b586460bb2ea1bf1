"""What happens to the lot after it is listed (a recall, a split, a shipment) decides what can still be sold from it."""

from __future__ import annotations

from tests.conftest import csrf_token
from tests.integration.core.accounts.helpers import sign_in
from tests.integration.market.conftest import create_listing, move, place


def recall(client, world, who: str, code: str):
    response = client.post(
        f"/api/v1/batches/{code}/recalls", json={"reason": "Aflatoxin above the limit"}, headers=world.auth(who)
    )
    assert response.status_code == 201, response.json
    return response


def split_away(client, world, who: str, code: str, quantity: str):
    response = client.post(
        f"/api/v1/batches/{code}/split", json={"parts": [{"quantity": quantity}]}, headers=world.auth(who)
    )
    assert response.status_code == 201, response.json
    return response


def dry_down(client, world, who: str, code: str, quantity_after: str):
    """The lot loses weight in drying: a loss the ledger records even when orders hold part of the lot."""
    response = client.post(
        f"/api/v1/batches/{code}/events",
        json={"step": "drying", "quantity_after": quantity_after},
        headers=world.auth(who),
    )
    assert response.status_code == 201, response.json
    return response


def searched(client) -> list[str]:
    return [listing["id"] for listing in client.get("/api/v1/listings").json]


def listing_of(client, world, who: str, listing_id: str) -> dict:
    return client.get(f"/api/v1/listings/{listing_id}", headers=world.auth(who)).json


def test_a_recalled_lot_leaves_the_marketplace_and_cannot_be_ordered(client, world):
    code = world.harvest("cashew", "1000")
    listing = create_listing(client, world, "cashew", code, quantity="500")
    assert listing["id"] in searched(client)
    recall(client, world, "cashew", code)

    assert listing["id"] not in searched(client)
    assert "Điều thô Lộc Ninh" not in client.get("/market").get_data(as_text=True)
    refused = place(client, world, "buyer", [(listing["id"], "100")])
    assert refused.status_code == 409
    assert "recalled" in refused.json["detail"] and code in refused.json["detail"]

    # The buyer reading the listing learns why; the seller finds it paused and cannot publish it again.
    shown = listing_of(client, world, "buyer", listing["id"])
    assert shown["recall"]["reason"] == "Aflatoxin above the limit"
    page = client.get(f"/market/listings/{listing['id']}?lang=en").get_data(as_text=True)
    assert "This lot is recalled" in page and "Aflatoxin above the limit" in page
    assert "Add to cart" not in page
    assert listing_of(client, world, "cashew", listing["id"])["status"] == "paused"
    again = client.patch(f"/api/v1/listings/{listing['id']}", json={"status": "active"}, headers=world.auth("cashew"))
    assert again.status_code == 409 and "recalled" in again.json["detail"]


def test_a_recall_after_the_order_stops_its_acceptance(client, world):
    code = world.harvest("cashew", "1000")
    listing = create_listing(client, world, "cashew", code, quantity="500")
    order = place(client, world, "buyer", [(listing["id"], "100")]).json["orders"][0]
    recall(client, world, "cashew", code)
    refused = move(client, world, "cashew", order["id"], "accepted")
    assert refused.status_code == 409 and "recalled" in refused.json["detail"]
    # The seller can still cancel it: the buyer is not left waiting.
    assert move(client, world, "cashew", order["id"], "cancelled").json["status"] == "cancelled"


def test_a_recall_of_the_lot_it_came_from_reaches_the_listing(client, world):
    parent = world.harvest("cashew", "1000")
    child = split_away(client, world, "cashew", parent, "400").json["parts"][0]["code"]
    listing = create_listing(client, world, "cashew", child, quantity="400")
    recall(client, world, "cashew", parent)
    assert listing["id"] not in searched(client)
    assert place(client, world, "buyer", [(listing["id"], "100")]).status_code == 409


def test_splitting_most_of_the_lot_away_refuses_orders_it_can_no_longer_fill(client, world):
    code = world.harvest("cashew", "1000")
    listing = create_listing(client, world, "cashew", code, quantity="500")
    split_away(client, world, "cashew", code, "900")

    refused = place(client, world, "buyer", [(listing["id"], "500")])
    assert refused.status_code == 409
    assert refused.json["detail"] == f"Listing {listing['id']} has 100 kg left; 500 kg was asked."
    # The offer shrank to what the lot holds: 100 kg can still be ordered, accepted and shipped.
    assert listing_of(client, world, "buyer", listing["id"])["available"] == "100"
    order = place(client, world, "buyer", [(listing["id"], "100")])
    assert order.status_code == 201, order.json
    order_id = order.json["orders"][0]["id"]
    assert move(client, world, "cashew", order_id, "accepted").status_code == 200
    assert move(client, world, "cashew", order_id, "shipped").status_code == 200
    assert listing_of(client, world, "buyer", listing["id"])["status"] == "sold_out"


def test_a_loss_after_the_order_stops_its_acceptance(client, world):
    code = world.harvest("cashew", "1000")
    listing = create_listing(client, world, "cashew", code, quantity="500")
    order = place(client, world, "buyer", [(listing["id"], "500")]).json["orders"][0]
    dry_down(client, world, "cashew", code, "100")  # a split of what the order holds is refused (test_claims)

    refused = move(client, world, "cashew", order["id"], "accepted")
    assert refused.status_code == 409
    assert refused.json["detail"] == f"Lot {code} has 100 kg left; this order needs 500 kg of it."
    assert client.get(f"/api/v1/orders/{order['id']}", headers=world.auth("buyer")).json["status"] == "pending_payment"


def test_accepting_counts_what_earlier_accepted_orders_took(client, world):
    code = world.harvest("cashew", "1000")
    listing = create_listing(client, world, "cashew", code, quantity="500")
    first = place(client, world, "buyer", [(listing["id"], "300")]).json["orders"][0]
    second = place(client, world, "other_buyer", [(listing["id"], "200")]).json["orders"][0]
    assert move(client, world, "cashew", first["id"], "accepted").status_code == 200
    dry_down(client, world, "cashew", code, "400")  # 400 kg left: 300 sold, room for 100 more
    refused = move(client, world, "cashew", second["id"], "accepted")
    assert refused.status_code == 409
    assert refused.json["detail"] == f"Lot {code} has 100 kg left; this order needs 200 kg of it."
    assert move(client, world, "cashew", first["id"], "shipped").status_code == 200


def test_a_lot_shipped_away_whole_takes_its_listing_off_sale(client, world):
    code = world.harvest("pepper", "300")
    listing = create_listing(client, world, "pepper", code, quantity="200", title="Tiêu tươi", price_per_kg=60000)
    shipped = client.post(
        "/api/v1/shipments",
        json={"batch_code": code, "to_organization_id": world.other_buyer_org},
        headers=world.auth("pepper"),
    )
    assert shipped.status_code == 201, shipped.json
    assert listing["id"] not in searched(client)
    refused = place(client, world, "buyer", [(listing["id"], "10")])
    assert refused.status_code == 409 and "no longer held by the seller" in refused.json["detail"]


def test_the_cart_refuses_a_recalled_lot(client, world):
    code = world.harvest("cashew", "1000")
    listing = create_listing(client, world, "cashew", code, quantity="500")
    sign_in(client, world.buyer_login)
    token = csrf_token(client, f"/market/listings/{listing['id']}")
    recall(client, world, "cashew", code)
    added = client.post(
        "/market/cart/add?lang=en",
        data={"csrf_token": token, "listing_id": listing["id"], "quantity": "10"},
        follow_redirects=True,
    )
    assert "This lot was recalled; it cannot be ordered." in added.get_data(as_text=True)
    assert "Your cart is empty" in client.get("/market/cart?lang=en").get_data(as_text=True)


def test_the_order_page_tells_the_seller_why_the_order_cannot_be_accepted(client, world):
    code = world.harvest("cashew", "1000")
    listing = create_listing(client, world, "cashew", code, quantity="500")
    order = place(client, world, "buyer", [(listing["id"], "500")]).json["orders"][0]
    dry_down(client, world, "cashew", code, "100")
    sign_in(client, world.cashew_login)
    page = f"/market/orders/{order['id']}"
    refused = client.post(
        f"{page}/transitions?lang=en",
        data={"csrf_token": csrf_token(client, page), "to": "accepted"},
        follow_redirects=True,
    )
    assert f"Lot {code} has only 100 kg left; this order needs 500 kg of it." in refused.get_data(as_text=True)
    assert client.get(f"/api/v1/orders/{order['id']}", headers=world.auth("cashew")).json["status"] == "pending_payment"


def test_checkout_tells_the_buyer_which_lot_was_recalled(client, world):
    code = world.harvest("cashew", "1000")
    listing = create_listing(client, world, "cashew", code, quantity="500")
    sign_in(client, world.buyer_login)  # reads English
    token = csrf_token(client, f"/market/listings/{listing['id']}")
    assert (
        client.post(
            "/market/cart/add", data={"csrf_token": token, "listing_id": listing["id"], "quantity": "10"}
        ).status_code
        == 303
    )
    recall(client, world, "cashew", code)
    refused = client.post(
        "/market/checkout",
        data={
            "csrf_token": csrf_token(client, "/market/checkout"),
            "payment_method": "cod",
            "delivery_method": "pickup",
        },
    )
    assert refused.status_code == 409
    assert f"Lot {code} was recalled; nothing of it can be sold." in refused.get_data(as_text=True)
