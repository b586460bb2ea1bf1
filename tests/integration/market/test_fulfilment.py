"""Shipping an order is traceability: the buyer gets their own lot, split off the seller's, traced back to the farms."""

from __future__ import annotations

from core.accounts.models import User
from core.extensions import db
from tests.integration.market.conftest import create_listing, move, place
from tests.traceability_builders import seeded
from traceability.services import lineage


def test_a_shipped_orders_buyer_lot_traces_back_to_the_original_plots(app, client, world):
    code = world.harvest("cashew", "1000")
    listing = create_listing(client, world, "cashew", code, quantity="400")
    order = place(client, world, "buyer", [(listing["id"], "150")]).json["orders"][0]
    move(client, world, "cashew", order["id"], "accepted")
    shipped = move(client, world, "cashew", order["id"], "shipped").json
    line = shipped["lines"][0]
    buyer_code = line["buyer_batch_code"]
    assert buyer_code and buyer_code != code
    assert line["buyer_trace_url"].endswith(f"/t/{buyer_code}")

    # On its way the buyer already reads the lot; it is in transit to them, 150 kg, from the seller's lot.
    lot = client.get(f"/api/v1/batches/{buyer_code}", headers=world.auth("buyer")).json
    assert (
        lot["status"] == "in_transit"
        and lot["remaining"] == "150"
        and lot["shipment"]["to_organization_id"] == world.buyer_org
    )
    assert client.get(f"/api/v1/batches/{code}", headers=world.auth("cashew")).json["remaining"] == "850"

    def trace():
        buyer = db.session.get(User, world.buyer_user)
        found = lineage.lineage(buyer, buyer_code)
        return [node.batch.code for node in found.ancestors], [plot.id for plot in found.plots]

    ancestors, plots = seeded(app, trace)
    assert ancestors == [code] and plots == [world.cashew_plot]

    move(client, world, "buyer", order["id"], "delivered")
    held = client.get(f"/api/v1/batches/{buyer_code}", headers=world.auth("buyer")).json
    assert held["status"] == "active" and held["custodian_id"] == world.buyer_org
    events = client.get(f"/api/v1/batches/{buyer_code}/events", headers=world.auth("buyer")).json
    assert [e["operation"] for e in events] == ["split", "ship", "receive"]
    assert (
        events[1]["biz_step"] == "shipping"
        and events[1]["details"]["bizTransactionList"][0]["reference"] == order["id"]
    )


def test_the_offer_stays_within_the_lot_after_shipping(client, world):
    code = world.harvest("pepper", "100")
    listing = create_listing(client, world, "pepper", code, quantity="100", title="Tiêu tươi", price_per_kg=60000)
    order = place(client, world, "buyer", [(listing["id"], "40")]).json["orders"][0]
    for status in ("accepted", "shipped"):
        move(client, world, "pepper", order["id"], status)
    # 60 kg are left in the lot and the listing still offers those 60: no room for another listing.
    extra = client.post(
        "/api/v1/listings",
        json={"batch_code": code, "title": "x", "price_per_kg": 1000, "quantity": "1"},
        headers=world.auth("pepper"),
    )
    assert extra.status_code == 422
    seller_view = client.get(f"/api/v1/listings/{listing['id']}", headers=world.auth("pepper")).json
    assert seller_view["sold"] == "40" and seller_view["available"] == "60"
