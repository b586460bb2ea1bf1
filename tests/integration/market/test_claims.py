"""What an open order holds of a lot stays in it: the seller cannot split, merge or ship it away before the order
ships."""

from __future__ import annotations

from tests.conftest import csrf_token
from tests.integration.core.accounts.helpers import sign_in
from tests.integration.market.conftest import create_listing, move, place


def split(client, world, code: str, quantity: str):
    return client.post(
        f"/api/v1/batches/{code}/split", json={"parts": [{"quantity": quantity}]}, headers=world.auth("cashew")
    )


def ship_whole(client, world, code: str):
    return client.post(
        "/api/v1/shipments",
        json={"batch_code": code, "to_organization_id": world.other_buyer_org},
        headers=world.auth("cashew"),
    )


def accepted_order(client, world, code: str, quantity: str = "500") -> str:
    listing = create_listing(client, world, "cashew", code, quantity="500")
    order = place(client, world, "buyer", [(listing["id"], quantity)]).json["orders"][0]
    assert move(client, world, "cashew", order["id"], "accepted").status_code == 200
    return order["id"]


def test_an_accepted_order_keeps_its_quantity_in_the_lot_until_it_ships(client, world):
    code = world.harvest("cashew", "1000")
    order_id = accepted_order(client, world, code)

    refused = split(client, world, code, "600")
    assert refused.status_code == 409
    assert (
        "500 kg is claimed by open marketplace orders" in refused.json["detail"]
        and "at most 500 kg can be taken" in refused.json["detail"]
    )
    assert refused.json["errors"]["parts"] and refused.json["claimed"] == "500"
    assert client.get(f"/api/v1/batches/{code}", headers=world.auth("cashew")).json["remaining"] == "1000"

    assert split(client, world, code, "400").status_code == 201
    shipped_away = ship_whole(client, world, code)
    assert shipped_away.status_code == 409 and "claimed" in shipped_away.json["detail"]
    assert client.get(f"/api/v1/batches/{code}", headers=world.auth("cashew")).json["status"] == "active"

    # The order itself still ships: its own claim is what it takes.
    shipped = move(client, world, "cashew", order_id, "shipped")
    assert shipped.status_code == 200, shipped.json
    assert client.get(f"/api/v1/batches/{code}", headers=world.auth("cashew")).json["remaining"] == "100"
    assert split(client, world, code, "100").status_code == 201


def test_a_cancelled_order_frees_the_lot(client, world):
    code = world.harvest("cashew", "1000")
    order_id = accepted_order(client, world, code)
    assert split(client, world, code, "600").status_code == 409
    assert move(client, world, "cashew", order_id, "cancelled").json["status"] == "cancelled"
    assert split(client, world, code, "600").status_code == 201
    assert ship_whole(client, world, code).status_code == 201


def test_a_reserved_order_holds_its_quantity_too(client, world):
    code = world.harvest("cashew", "1000")
    listing = create_listing(client, world, "cashew", code, quantity="500")
    order = place(client, world, "buyer", [(listing["id"], "300")]).json["orders"][0]
    assert order["status"] == "pending_payment"
    assert split(client, world, code, "701").status_code == 409
    assert split(client, world, code, "700").status_code == 201
    # An offer nobody ordered yet claims nothing: only reservations and sales do.
    assert move(client, world, "cashew", order["id"], "accepted").status_code == 200


def test_merging_a_claimed_lot_is_refused(client, world):
    code = world.harvest("cashew", "1000")
    other = world.harvest("cashew", "200")
    accepted_order(client, world, code, "100")
    refused = client.post("/api/v1/merges", json={"inputs": [code, other]}, headers=world.auth("cashew"))
    assert refused.status_code == 409 and refused.json["errors"]["inputs"]
    assert client.get(f"/api/v1/batches/{other}", headers=world.auth("cashew")).json["remaining"] == "200"


def test_the_split_page_tells_the_seller_what_is_claimed(client, world):
    code = world.harvest("cashew", "1000")
    accepted_order(client, world, code)
    sign_in(client, world.cashew_login)
    page = f"/batches/{code}/split"
    refused = client.post(
        f"{page}?lang=en", data={"csrf_token": csrf_token(client, page), "part_quantity": ["600", ""]}
    )
    assert refused.status_code == 422  # the form again, with the message on the parts
    assert (
        f"500 kg of lot {code} is reserved or sold on the marketplace and not yet shipped: at most 500 kg can be taken."
        in refused.get_data(as_text=True)
    )
