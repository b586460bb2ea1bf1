"""Checkout and the order state machine over the API."""

from __future__ import annotations

import pytest

from market.models import OrderStatus
from market.states import COD, ONLINE
from tests.integration.market.conftest import HO_CHI_MINH_COMMUNE, LOC_NINH, create_listing, move, place


@pytest.fixture
def offers(client, world):
    cashew = create_listing(
        client,
        world,
        "cashew",
        world.harvest("cashew", "1000"),
        quantity="500",
        price_per_kg=35000,
        price_tiers=[{"min_quantity": "100", "price_per_kg": 34000}],
        delivery_fees={"75": 50000, "79": 300000},
    )
    pepper = create_listing(
        client,
        world,
        "pepper",
        world.harvest("pepper", "300"),
        title="Tiêu tươi Bù Gia Mập",
        quantity="200",
        price_per_kg=60000,
        delivery_fees={"75": 30000},
    )
    return {"cashew": cashew, "pepper": pepper}


def test_a_cart_with_two_sellers_becomes_two_orders_each_with_lines_totals_and_instructions(client, world, offers):
    response = place(client, world, "buyer", [(offers["cashew"]["id"], "120"), (offers["pepper"]["id"], "10")])
    assert response.status_code == 201, response.json
    orders = {order["seller"]["id"]: order for order in response.json["orders"]}
    assert set(orders) == {world.cashew_org, world.pepper_org}
    cashew, pepper = orders[world.cashew_org], orders[world.pepper_org]
    assert cashew["status"] == pepper["status"] == "pending_payment"
    assert cashew["lines"][0]["unit_price"] == 34000  # the 100 kg volume price applies to 120 kg
    assert cashew["lines"][0]["line_total"] == 4_080_000 and cashew["lines"][0]["quantity"] == "120"
    assert cashew["totals"] == {
        "subtotal": 4_080_000,
        "delivery_fee": 0,
        "total": 4_080_000,
        "refunded": 0,
        "currency": "VND",
    }
    assert pepper["totals"]["total"] == 600_000
    assert (
        cashew["payment_instructions"]["method"] == "cod" and cashew["payment_instructions"]["amount_due"] == 4_080_000
    )
    assert cashew["history"][0]["to"] == "pending_payment" and cashew["history"][0]["by_user_id"] == world.buyer_user
    assert cashew["expires_at"]
    listing = client.get(f"/api/v1/listings/{offers['cashew']['id']}", headers=world.auth("cashew")).json
    assert listing["reserved"] == "120" and listing["available"] == "380"


def test_delivery_uses_the_new_communes_and_the_sellers_fee_for_the_province(client, world, offers):
    far = {"method": "delivery", "address": {"commune_code": HO_CHI_MINH_COMMUNE, "street": "12 Lê Lợi"}}
    refused = place(
        client, world, "buyer", [(offers["cashew"]["id"], "10"), (offers["pepper"]["id"], "10")], delivery=far
    )
    assert refused.status_code == 422 and "delivery.address.commune_code" in refused.json["errors"]
    order = place(client, world, "buyer", [(offers["cashew"]["id"], "10")], delivery=far).json["orders"][0]
    assert order["totals"]["delivery_fee"] == 300_000 and order["totals"]["total"] == 650_000
    assert order["delivery"]["address"]["text"].startswith("12 Lê Lợi, Phường An Đông")
    unknown = place(
        client,
        world,
        "buyer",
        [(offers["cashew"]["id"], "10")],
        delivery={"method": "delivery", "address": {"commune_code": "99999"}},
    )
    assert unknown.status_code == 422
    near = place(
        client,
        world,
        "buyer",
        [(offers["pepper"]["id"], "10")],
        delivery={"method": "delivery", "address": {"commune_code": LOC_NINH}},
    )
    assert near.json["orders"][0]["totals"]["delivery_fee"] == 30_000


def test_card_and_vietqr_orders_are_refused_clearly_where_they_cannot_work(client, world, offers):
    # A listing takes a transfer only once its seller gave a bank account: this one does not.
    for method, says in (("card", "not set up on this server"), ("vietqr", "does not accept vietqr")):
        response = place(client, world, "buyer", [(offers["cashew"]["id"], "10")], payment_method=method)
        assert response.status_code == 422
        assert says in response.json["errors"]["payment_method"][0]


def test_more_than_is_left_refuses_the_whole_checkout(client, world, offers):
    response = place(client, world, "buyer", [(offers["pepper"]["id"], "10"), (offers["cashew"]["id"], "501")])
    assert response.status_code == 409
    assert response.json["listing_id"] == offers["cashew"]["id"] and response.json["available"] == "500"
    pepper = client.get(f"/api/v1/listings/{offers['pepper']['id']}", headers=world.auth("pepper")).json
    assert pepper["reserved"] == "0"  # the pepper reserved before the cashew failed went back too
    assert client.get("/api/v1/orders", headers=world.auth("buyer")).json == []


def test_a_cash_on_delivery_order_walks_to_completed(client, world, offers):
    order = place(client, world, "buyer", [(offers["cashew"]["id"], "50")]).json["orders"][0]
    steps = [
        ("cashew", "accepted"),
        ("cashew", "shipped"),
        ("buyer", "delivered"),
        ("cashew", "paid"),
        ("buyer", "completed"),
    ]
    for who, status in steps:
        response = move(client, world, who, order["id"], status)
        assert response.status_code == 200, (status, response.json)
        assert response.json["status"] == status
    final = client.get(f"/api/v1/orders/{order['id']}", headers=world.auth("buyer")).json
    assert [(h["from"], h["to"]) for h in final["history"]] == [
        (None, "pending_payment"),
        ("pending_payment", "accepted"),
        ("accepted", "shipped"),
        ("shipped", "delivered"),
        ("delivered", "paid"),
        ("paid", "completed"),
    ]
    assert [h["by_user_id"] for h in final["history"]] == [
        world.buyer_user,
        world.cashew_user,
        world.cashew_user,
        world.buyer_user,
        world.cashew_user,
        world.buyer_user,
    ]
    assert all(h["at"] for h in final["history"])
    assert final["payment_instructions"]["amount_due"] == 0
    listing = client.get(f"/api/v1/listings/{offers['cashew']['id']}", headers=world.auth("cashew")).json
    assert listing["sold"] == "50" and listing["reserved"] == "0"


def _walk(client, world, order_id, path):
    for who, status in path:
        assert move(client, world, who, order_id, status).status_code == 200


COD_PATH = [
    ("cashew", "accepted"),
    ("cashew", "shipped"),
    ("cashew", "delivered"),
    ("cashew", "paid"),
    ("cashew", "completed"),
]


def test_every_impossible_transition_is_refused_with_409_and_the_current_status_whoever_asks(client, world, offers):
    order = place(client, world, "buyer", [(offers["cashew"]["id"], "10")]).json["orders"][0]
    reached = ["pending_payment"] + [status for _who, status in COD_PATH]
    for index, current in enumerate(reached):
        possible = {s.value for s in COD.get(OrderStatus(current), {})}
        for target in (s.value for s in OrderStatus):
            if target in possible:
                continue
            for who in ("buyer", "cashew"):
                response = move(client, world, who, order["id"], target)
                assert response.status_code == 409, (current, target, who, response.json)
                assert response.json["current_status"] == current
        if index < len(COD_PATH):
            _walk(client, world, order["id"], [COD_PATH[index]])
    assert ONLINE[OrderStatus.PENDING_PAYMENT][OrderStatus.PAID]  # the online flow is the same table, another path


def test_the_wrong_party_is_refused_with_403_and_outsiders_learn_nothing(client, world, offers):
    order = place(client, world, "buyer", [(offers["cashew"]["id"], "10")]).json["orders"][0]
    assert move(client, world, "buyer", order["id"], "accepted").status_code == 403
    assert move(client, world, "cashew", order["id"], "expired").status_code == 403  # only the beat job expires
    assert move(client, world, "other_buyer", order["id"], "cancelled").status_code == 404
    assert move(client, world, "pepper", order["id"], "accepted").status_code == 404
    assert move(client, world, "buyer", order["id"], "teleported").status_code == 422


def test_a_buyer_cannot_read_another_buyers_order(client, world, offers):
    order = place(client, world, "buyer", [(offers["cashew"]["id"], "10")]).json["orders"][0]
    assert client.get(f"/api/v1/orders/{order['id']}", headers=world.auth("other_buyer")).status_code == 404
    assert client.get(f"/api/v1/orders/{order['id']}", headers=world.auth("pepper")).status_code == 404
    assert client.get(f"/api/v1/orders/{order['id']}").status_code == 401
    assert client.get("/api/v1/orders", headers=world.auth("other_buyer")).json == []
    assert [o["id"] for o in client.get("/api/v1/orders?role=seller", headers=world.auth("cashew")).json] == [
        order["id"]
    ]
    assert client.get("/api/v1/orders?role=buyer", headers=world.auth("cashew")).json == []


def test_cancelling_gives_the_stock_back_at_once(client, world, offers):
    listing_id = offers["pepper"]["id"]
    first = place(client, world, "buyer", [(listing_id, "200")]).json["orders"][0]
    sold_out = client.get(f"/api/v1/listings/{listing_id}").json
    assert sold_out["status"] == "sold_out" and sold_out["available"] == "0"
    assert place(client, world, "other_buyer", [(listing_id, "1")]).status_code == 409
    assert move(client, world, "buyer", first["id"], "cancelled").json["status"] == "cancelled"
    back = client.get(f"/api/v1/listings/{listing_id}").json
    assert back["status"] == "active" and back["available"] == "200"
    accepted = place(client, world, "other_buyer", [(listing_id, "150")]).json["orders"][0]
    move(client, world, "pepper", accepted["id"], "accepted")
    assert (
        move(client, world, "other_buyer", accepted["id"], "cancelled").status_code == 403
    )  # sold: only the seller cancels now
    assert move(client, world, "pepper", accepted["id"], "cancelled").status_code == 200
    assert client.get(f"/api/v1/listings/{listing_id}", headers=world.auth("pepper")).json["sold"] == "0"


def test_a_paid_order_refunded_in_part_then_in_full(client, world, offers):
    order = place(client, world, "buyer", [(offers["cashew"]["id"], "10")]).json["orders"][0]
    _walk(client, world, order["id"], COD_PATH[:4])
    assert move(client, world, "cashew", order["id"], "partially_refunded").status_code == 422  # the amount is needed
    partial = move(client, world, "cashew", order["id"], "partially_refunded", amount=50_000, reason="Một bao bị ẩm")
    assert partial.json["status"] == "partially_refunded" and partial.json["totals"]["refunded"] == 50_000
    full = move(client, world, "cashew", order["id"], "refunded")
    assert full.json["status"] == "refunded" and full.json["totals"]["refunded"] == 350_000
