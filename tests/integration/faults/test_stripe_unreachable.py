"""localstripe unreachable during checkout: the buyer is told so, nothing is half-paid, the stock comes back.

The app's Stripe API base is a loopback port nobody listens on (Stripe down, or the
network to it). The buyer gets a coded problem (503 ``payment_provider_unavailable``)
from the API and the translated message on the payment page; the attempt is given up
(no payment left "processing", no intent recorded), so the buyer may try again, and
the reservation ends like any unpaid one: released when its window lapses (or at once
when the buyer cancels), never held for ever.
"""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import update

from core.db import utcnow
from core.extensions import db
from market.models import Order, Payment, PaymentStatus
from market.services import transitions
from tests.integration.market.conftest import MarketWorld, create_listing, move, place
from tests.localstripe import free_port, stripe_settings
from tests.traceability_builders import seeded

pytestmark = pytest.mark.postgres

CSRF = re.compile(r'data-csrf="([^"]+)"')


@pytest.fixture
def shop(fault_app):
    app = fault_app(**stripe_settings(f"http://127.0.0.1:{free_port()}"))
    world = MarketWorld(app)
    client = app.test_client()
    offer = create_listing(
        client, world, "cashew", world.harvest("cashew"), price_per_kg=25000, quantity="100", payment_methods=["card"]
    )
    return app, world, client, offer


def card_order(client, world, offer, kg="40") -> dict:
    placed = place(client, world, "buyer", [(offer["id"], kg)], payment_method="card")
    assert placed.status_code == 201, placed.json
    return placed.json["orders"][0]


def available(client, offer) -> str:
    return client.get(f"/api/v1/listings/{offer['id']}").json["available"]


def payment_state(app, public_id: str) -> tuple[str, str | None, str | None]:
    def read():
        payment = db.session.scalar(db.select(Payment).join(Order).where(Order.public_id == public_id))
        return payment.status.value, payment.reference, payment.failure_code

    return seeded(app, read)


def test_the_api_says_the_card_service_is_down_and_the_reservation_lapses(shop):
    app, world, client, offer = shop
    order = card_order(client, world, offer)
    assert available(client, offer) == "60"

    paid = client.post(
        f"/api/v1/orders/{order['id']}/payments/card",
        json={"payment_method": "pm_card_visa"},
        headers=world.auth("buyer"),
    )
    assert paid.status_code == 503 and paid.mimetype == "application/problem+json"
    assert paid.json["code"] == "payment_provider_unavailable"
    assert "did not answer" in paid.json["detail"]
    # Not half-paid: the attempt is given up, the order still waits for a payment it can be retried with.
    assert payment_state(app, order["id"]) == (PaymentStatus.PENDING.value, None, "provider_unreachable")
    seen = client.get(f"/api/v1/orders/{order['id']}", headers=world.auth("buyer")).json
    assert seen["status"] == "pending_payment" and seen["payment_instructions"]["status"] == "pending"

    # The reservation's window ends (as 30 minutes later): beat's job releases the stock.
    seeded(
        app,
        lambda: (
            db.session.execute(
                update(Order).where(Order.public_id == order["id"]).values(expires_at=utcnow() - timedelta(seconds=1))
            ),
            db.session.commit(),
        ),
    )
    assert seeded(app, transitions.expire_overdue) == 1
    assert available(client, offer) == "100"
    assert client.get(f"/api/v1/orders/{order['id']}", headers=world.auth("buyer")).json["status"] == "expired"


def test_the_payment_page_says_so_in_vietnamese_and_cancelling_gives_the_stock_back(shop):
    app, world, client, offer = shop
    order = card_order(client, world, offer, kg="25")
    with client.session_transaction() as session:
        session["_user_id"] = str(world.buyer_user)
        session["_fresh"] = True
    client.set_cookie("lang", "vi", domain="localhost")
    page = client.get(f"/market/orders/{order['id']}/pay")
    assert page.status_code == 200
    token = CSRF.search(page.get_data(as_text=True)).group(1)

    answer = client.post(
        f"/market/orders/{order['id']}/pay/card",
        json={"payment_method": "pm_card_visa"},
        headers={"X-CSRFToken": token},
    )
    assert answer.status_code == 503 and answer.json["code"] == "payment_provider_unavailable"
    assert "Dịch vụ thanh toán thẻ không phản hồi" in answer.json["message"], answer.json["message"]
    assert payment_state(app, order["id"])[0] == PaymentStatus.PENDING.value
    assert available(client, offer) == "75"

    cancelled = move(client, world, "buyer", order["id"], "cancelled")
    assert cancelled.status_code == 200, cancelled.json
    assert available(client, offer) == "100"
