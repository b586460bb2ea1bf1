"""Reservations lapse: the beat job's task expires unaccepted orders and their stock returns."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import update

from core.db import utcnow
from core.extensions import db
from core.tasks import send_task
from market.models import Order
from tests.integration.market.conftest import create_listing, move, place
from tests.traceability_builders import seeded


def backdate(app, order_id: str, **delta) -> None:
    def build():
        db.session.execute(
            update(Order).where(Order.public_id == order_id).values(expires_at=utcnow() - timedelta(**delta))
        )
        db.session.commit()

    seeded(app, build)


def test_cash_on_delivery_holds_the_stock_for_the_sellers_acceptance_window(app, client, world):
    listing = create_listing(client, world, "cashew", world.harvest("cashew"), quantity="100")
    order = place(client, world, "buyer", [(listing["id"], "100")]).json["orders"][0]
    placed = order["history"][0]["at"]
    window = datetime.fromisoformat(order["expires_at"]) - datetime.fromisoformat(placed)
    assert timedelta(hours=47, minutes=59) < window <= timedelta(hours=48, seconds=1)  # COD_ACCEPT_HOURS default


def test_an_expired_reservation_returns_its_stock_through_the_beat_job(app, client, world):
    listing = create_listing(client, world, "cashew", world.harvest("cashew"), quantity="100")
    lapsed = place(client, world, "buyer", [(listing["id"], "70")]).json["orders"][0]
    current = place(client, world, "other_buyer", [(listing["id"], "30")]).json["orders"][0]
    assert client.get(f"/api/v1/listings/{listing['id']}").json["status"] == "sold_out"
    backdate(app, lapsed["id"], minutes=1)

    with app.app_context():
        assert send_task("market.release_expired_reservations").get() == 1
        assert send_task("market.release_expired_reservations").get() == 0  # a second run finds nothing more
        db.session.remove()

    expired = client.get(f"/api/v1/orders/{lapsed['id']}", headers=world.auth("buyer")).json
    assert expired["status"] == "expired"
    assert expired["history"][-1]["from"] == "pending_payment" and expired["history"][-1]["by_user_id"] is None
    again = client.get(f"/api/v1/listings/{listing['id']}", headers=world.auth("cashew")).json
    assert again["status"] == "active" and again["available"] == "70" and again["reserved"] == "30"
    assert (
        client.get(f"/api/v1/orders/{current['id']}", headers=world.auth("other_buyer")).json["status"]
        == "pending_payment"
    )
    # Too late to accept; the seller is told the order's status.
    refused = move(client, world, "cashew", lapsed["id"], "accepted")
    assert refused.status_code == 409 and refused.json["current_status"] == "expired"


def test_an_accepted_order_no_longer_expires(app, client, world):
    listing = create_listing(client, world, "cashew", world.harvest("cashew"), quantity="100")
    order = place(client, world, "buyer", [(listing["id"], "70")]).json["orders"][0]
    assert move(client, world, "cashew", order["id"], "accepted").json["expires_at"] is None
    backdate(app, order["id"], minutes=5)
    with app.app_context():
        assert send_task("market.release_expired_reservations").get() == 0
        db.session.remove()
    assert client.get(f"/api/v1/orders/{order['id']}", headers=world.auth("buyer")).json["status"] == "accepted"


def test_a_seller_cannot_accept_an_order_whose_time_ran_out_before_the_beat_job(app, client, world):
    listing = create_listing(client, world, "cashew", world.harvest("cashew"), quantity="100")
    order = place(client, world, "buyer", [(listing["id"], "70")]).json["orders"][0]
    backdate(app, order["id"], seconds=1)  # lapsed, and the beat job has not run yet

    refused = move(client, world, "cashew", order["id"], "accepted")
    assert refused.status_code == 409 and refused.json["current_status"] == "expired"
    # It expired then and there: the history says so and the stock is back on offer.
    expired = client.get(f"/api/v1/orders/{order['id']}", headers=world.auth("buyer")).json
    assert expired["status"] == "expired" and expired["history"][-1]["by_user_id"] is None
    assert client.get(f"/api/v1/listings/{listing['id']}").json["available"] == "100"
