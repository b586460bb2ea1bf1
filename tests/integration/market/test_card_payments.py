"""Card payments against a real localstripe process: PaymentIntents, its signed webhooks, refunds, reconciliation."""

from __future__ import annotations

import hashlib
import hmac
import json
import time
import urllib.parse
import urllib.request
import uuid

import pytest
from sqlalchemy import func, select

from core.extensions import db
from market.models import FlagKind, Payment, PaymentFlag, Refund, WebhookEvent
from market.payments.stripe_gateway import gateway
from market.services import reconciliation
from tests.integration.market.conftest import create_listing, move, place
from tests.localstripe import free_port


@pytest.fixture
def shop(stripe_site, world):
    """A cashew offer at 25.000 ₫/kg taking cards (and cash), and a client of the Stripe-enabled site."""
    client = stripe_site.app.test_client()
    offer = create_listing(
        client, world, "cashew", world.harvest("cashew"), price_per_kg=25000, payment_methods=["card", "cod"]
    )
    return client, offer


def card_order(client, world, offer, kg: str = "10") -> dict:
    response = place(client, world, "buyer", [(offer["id"], kg)], payment_method="card")
    assert response.status_code == 201, response.json
    return response.json["orders"][0]


def pay(client, world, order_id: str, payment_method: str = "pm_card_visa", who: str = "buyer"):
    return client.post(
        f"/api/v1/orders/{order_id}/payments/card", json={"payment_method": payment_method}, headers=world.auth(who)
    )


def order_of(client, world, order_id: str, who: str = "buyer") -> dict:
    return client.get(f"/api/v1/orders/{order_id}", headers=world.auth(who)).json


def wait_for(client, world, order_id: str, status: str, seconds: float = 15) -> dict:
    """localstripe delivers its webhook about a second after the event."""
    deadline = time.monotonic() + seconds
    while True:
        order = order_of(client, world, order_id)
        if order["status"] == status or time.monotonic() > deadline:
            return order
        time.sleep(0.2)


def signed(secret: str, event: dict) -> tuple[bytes, dict[str, str]]:
    """An event signed the way Stripe signs: HMAC-SHA256 of "<timestamp>.<body>" with the endpoint's secret."""
    body = json.dumps(event).encode()
    stamp = int(time.time())
    signature = hmac.new(secret.encode(), f"{stamp}.".encode() + body, hashlib.sha256).hexdigest()
    return body, {"Stripe-Signature": f"t={stamp},v1={signature}", "Content-Type": "application/json"}


def intent_event(kind: str, intent: dict) -> dict:
    return {"id": f"evt_{uuid.uuid4().hex[:20]}", "object": "event", "type": kind, "data": {"object": intent}}


def stripe_intent(stripe_site, intent_id: str):
    with stripe_site.app.app_context():
        return gateway().retrieve(intent_id)


def test_a_card_order_is_paid_through_the_payment_intent_and_stripes_own_webhook(shop, world, stripe_site):
    client, offer = shop
    order = card_order(client, world, offer)
    assert order["totals"]["total"] == 250_000
    instructions = order["payment_instructions"]
    assert instructions["publishable_key"] == stripe_site.publishable_key
    assert instructions["card_payment_url"].endswith(f"/api/v1/orders/{order['id']}/payments/card")

    answer = pay(client, world, order["id"])
    assert answer.status_code == 200, answer.json
    assert answer.json["status"] == "succeeded" and answer.json["client_secret"] is None
    intent = stripe_intent(stripe_site, answer.json["payment_intent_id"])
    assert (intent.amount, intent.currency) == (250_000, "VND")  # zero-decimal: never ×100
    assert intent.metadata["order_id"] == order["id"]

    paid = wait_for(client, world, order["id"], "paid")
    assert paid["status"] == "paid"
    assert paid["payment_instructions"]["status"] == "confirmed"
    assert [change["to"] for change in paid["history"]] == ["pending_payment", "paid"]
    listing = client.get(f"/api/v1/listings/{offer['id']}", headers=world.auth("cashew")).json
    assert listing["sold"] == "10" and listing["reserved"] == "0"
    # Paying again is refused: the order is paid.
    assert pay(client, world, order["id"]).status_code == 409


def test_a_declined_card_leaves_the_order_unpaid_and_releases_the_reservation(shop, world, stripe_site, app):
    client, offer = shop
    order = card_order(client, world, offer)
    declined = pay(client, world, order["id"], "pm_card_chargeCustomerFail")
    assert declined.status_code == 402
    assert declined.json["code"] == "card_declined" and declined.json["decline_code"] == "card_declined"
    time.sleep(2)  # localstripe's payment_failed webhook arrives too, and must change nothing more
    after = order_of(client, world, order["id"])
    assert after["status"] == "cancelled"
    assert after["payment_instructions"]["status"] == "failed"
    listing = client.get(f"/api/v1/listings/{offer['id']}", headers=world.auth("cashew")).json
    assert listing["available"] == "500" and listing["reserved"] == "0"
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(PaymentFlag)) == 0


def test_the_same_event_delivered_twice_is_applied_once(shop, world, stripe_site, app):
    client, offer = shop
    order = card_order(client, world, offer)
    intent = {
        "id": "pi_twice",
        "object": "payment_intent",
        "amount": 250_000,
        "currency": "vnd",
        "status": "succeeded",
        "metadata": {"order_id": order["id"], "attempt": "1"},
    }
    body, headers = signed(stripe_site.webhook_secret, intent_event("payment_intent.succeeded", intent))
    first = client.post("/webhooks/stripe", data=body, headers=headers)
    second = client.post("/webhooks/stripe", data=body, headers=headers)
    assert (first.json["outcome"], second.json["outcome"]) == ("applied", "duplicate")
    after = order_of(client, world, order["id"])
    assert after["status"] == "paid"
    assert [change["to"] for change in after["history"]].count("paid") == 1


def test_a_forged_signature_is_refused_and_changes_nothing(shop, world, stripe_site, app):
    client, offer = shop
    order = card_order(client, world, offer)
    intent = {
        "id": "pi_forged",
        "amount": 250_000,
        "currency": "vnd",
        "status": "succeeded",
        "metadata": {"order_id": order["id"]},
    }
    body, headers = signed("whsec_not_ours", intent_event("payment_intent.succeeded", intent))
    forged = client.post("/webhooks/stripe", data=body, headers=headers)
    unsigned = client.post("/webhooks/stripe", data=body, headers={"Content-Type": "application/json"})
    assert forged.status_code == 400 and forged.json["code"] == "bad_signature"
    assert unsigned.status_code == 400
    assert order_of(client, world, order["id"])["status"] == "pending_payment"
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(WebhookEvent)) == 0


def test_a_late_payment_failed_leaves_a_paid_order_paid(shop, world, stripe_site):
    client, offer = shop
    order = card_order(client, world, offer)
    intent_id = pay(client, world, order["id"]).json["payment_intent_id"]
    assert wait_for(client, world, order["id"], "paid")["status"] == "paid"
    failed = {
        "id": intent_id,
        "amount": 250_000,
        "currency": "vnd",
        "status": "requires_payment_method",
        "metadata": {"order_id": order["id"], "attempt": "1"},
        "last_payment_error": {"code": "card_declined"},
    }
    body, headers = signed(stripe_site.webhook_secret, intent_event("payment_intent.payment_failed", failed))
    answer = client.post("/webhooks/stripe", data=body, headers=headers)
    assert answer.status_code == 200 and answer.json["outcome"] == "ignored"
    assert order_of(client, world, order["id"])["status"] == "paid"


def test_an_event_whose_amount_differs_is_flagged_not_paid(shop, world, stripe_site, app):
    client, offer = shop
    order = card_order(client, world, offer)
    intent = {
        "id": "pi_short",
        "amount": 200_000,
        "currency": "vnd",
        "status": "succeeded",
        "metadata": {"order_id": order["id"], "attempt": "1"},
    }
    body, headers = signed(stripe_site.webhook_secret, intent_event("payment_intent.succeeded", intent))
    assert client.post("/webhooks/stripe", data=body, headers=headers).json["outcome"] == "flagged"
    assert order_of(client, world, order["id"])["status"] == "pending_payment"
    with app.app_context():
        found = db.session.scalars(select(PaymentFlag)).all()
        assert [(f.kind, f.provider_reference) for f in found] == [(FlagKind.AMOUNT_MISMATCH, "pi_short")]
        assert found[0].details["stripe_amount"] == 200_000 and found[0].details["order_total"] == 250_000


def test_unknown_event_types_are_acknowledged_and_ignored(shop, world, stripe_site):
    client, _offer = shop
    body, headers = signed(
        stripe_site.webhook_secret, {"id": "evt_x", "type": "customer.created", "data": {"object": {"id": "cus_1"}}}
    )
    answer = client.post("/webhooks/stripe", data=body, headers=headers)
    assert answer.status_code == 200 and answer.json["outcome"] == "ignored"


def test_a_partial_refund_goes_to_stripe_and_updates_the_order(shop, world, stripe_site, app):
    client, offer = shop
    order = card_order(client, world, offer)
    pay(client, world, order["id"])
    assert wait_for(client, world, order["id"], "paid")["status"] == "paid"
    for step in ("accepted", "shipped"):
        assert move(client, world, "cashew", order["id"], step).status_code == 200
    assert move(client, world, "buyer", order["id"], "delivered").status_code == 200
    refunded = client.post(
        f"/api/v1/orders/{order['id']}/refunds",
        json={"amount": 50_000, "reason_code": "damaged", "reason": "Một bao bị ướt"},
        headers=world.auth("cashew"),
    )
    assert refunded.status_code == 201, refunded.json
    assert refunded.json["status"] == "partially_refunded" and refunded.json["totals"]["refunded"] == 50_000
    # The ledger: the platform collected 250.000 ₫ and owes the producer that less its 3 % fee, less the refund's
    # share (50.000 ₫ back to the buyer, its 1.500 ₫ of fee back to the producer).
    balance = client.get("/api/v1/payouts/balance", headers=world.auth("cashew")).json
    assert balance["balance"] == 250_000 - 7_500 - (50_000 - 1_500)
    with app.app_context():
        refund = db.session.scalars(select(Refund)).one()
        assert refund.status.value == "succeeded" and refund.provider_refund_id.startswith("re_")
        assert refund.reason_code.value == "damaged"
    # The buyer cannot refund themselves.
    assert (
        client.post(
            f"/api/v1/orders/{order['id']}/refunds", json={"amount": 1000}, headers=world.auth("buyer")
        ).status_code
        == 403
    )


def test_orders_below_stripes_minimum_are_refused_clearly(shop, world):
    client, offer = shop
    small = client.post(
        "/api/v1/listings",
        json={
            "batch_code": world.harvest("cashew", "5"),
            "title": "Điều mẫu",
            "price_per_kg": 3000,
            "quantity": "5",
            "payment_methods": ["card"],
        },
        headers=world.auth("cashew"),
    ).json
    client.patch(f"/api/v1/listings/{small['id']}", json={"status": "active"}, headers=world.auth("cashew"))
    order = place(client, world, "buyer", [(small["id"], "2")], payment_method="card").json["orders"][0]
    refused = pay(client, world, order["id"])
    assert refused.status_code == 422 and refused.json["code"] == "amount_below_card_minimum"
    assert "15000" in refused.json["detail"]


def test_only_the_buyer_pays_and_strangers_see_nothing(shop, world):
    client, offer = shop
    order = card_order(client, world, offer)
    assert pay(client, world, order["id"], who="cashew").status_code == 403
    assert pay(client, world, order["id"], who="other_buyer").status_code == 404
    bad = pay(client, world, order["id"], "tok_visa")
    assert bad.status_code == 422 and "payment_method" in bad.json["errors"]


def test_the_reconciliation_flags_a_payment_intent_paid_at_stripe_while_our_order_is_unpaid(
    shop, world, stripe_site, app
):
    client, offer = shop
    order = card_order(client, world, offer)
    # Webhooks lost: localstripe delivers to a port where nothing listens.
    lost = urllib.parse.urlencode({"url": f"http://127.0.0.1:{free_port()}/webhooks/stripe", "secret": "whsec_x"})
    urllib.request.urlopen(f"{stripe_site.localstripe}/_config/webhooks/nongsan", data=lost.encode()).close()
    try:
        intent_id = pay(client, world, order["id"]).json["payment_intent_id"]
        time.sleep(1.5)
        assert order_of(client, world, order["id"])["status"] == "pending_payment"
        with stripe_site.app.app_context():
            result = reconciliation.reconcile(gateway=gateway())
            again = reconciliation.reconcile(gateway=gateway())
        assert intent_id in result.flagged and intent_id not in again.flagged  # flagged once
        with app.app_context():
            flags = db.session.scalars(select(PaymentFlag).where(PaymentFlag.provider_reference == intent_id)).all()
            assert [f.kind for f in flags] == [FlagKind.PAID_THERE_NOT_HERE]
            assert db.session.scalar(select(Payment.status).where(Payment.reference == intent_id)).value == "processing"
    finally:
        back = urllib.parse.urlencode(
            {"url": f"{stripe_site.url}/webhooks/stripe", "secret": stripe_site.webhook_secret}
        )
        urllib.request.urlopen(f"{stripe_site.localstripe}/_config/webhooks/nongsan", data=back.encode()).close()


def test_the_buyer_sees_the_payment_state_on_the_order_page_and_in_the_email_in_their_language(
    shop, world, stripe_site
):
    from core.accounts.models import User
    from market.models import Order
    from market.services import notifications
    from tests.integration.core.accounts.helpers import sign_in

    client, offer = shop
    order = place(client, world, "other_buyer", [(offer["id"], "10")], payment_method="card").json["orders"][0]
    page_client = stripe_site.app.test_client()
    sign_in(page_client, world.other_buyer_login)
    unpaid = page_client.get(f"/market/orders/{order['id']}").get_data(as_text=True)
    assert "Thanh toán bằng thẻ" in unpaid and "chưa thanh toán" in unpaid
    assert f"/market/orders/{order['id']}/pay" in unpaid
    pay_page = page_client.get(f"/market/orders/{order['id']}/pay").get_data(as_text=True)
    assert f"{stripe_site.localstripe}/js.stripe.com/v3/" in pay_page and "250.000 ₫" in pay_page

    pay(client, world, order["id"], who="other_buyer")
    deadline = time.monotonic() + 15
    while order_of(client, world, order["id"], "other_buyer")["status"] != "paid" and time.monotonic() < deadline:
        time.sleep(0.2)
    paid = page_client.get(f"/market/orders/{order['id']}").get_data(as_text=True)
    assert "đã nhận tiền" in paid and "Đã thanh toán bằng thẻ." in paid
    assert f'/market/orders/{order["id"]}/pay"' not in paid  # nothing left to pay

    with stripe_site.app.app_context():
        row = db.session.scalar(select(Order).where(Order.public_id == order["id"]))
        vietnamese = notifications.compose(row, "paid", db.session.get(User, world.other_buyer_user), "buyer")
        english = notifications.compose(row, "paid", db.session.get(User, world.buyer_user), "buyer")
        assert "Thanh toán: bằng thẻ, đã nhận tiền." in vietnamese.get_content()
        assert "Payment: by card, received." in english.get_content()
        db.session.remove()


def localstripe_post(stripe_site, path: str, data: dict, query: str = "") -> dict:
    request = urllib.request.Request(
        f"{stripe_site.localstripe}{path}{query}",
        data=urllib.parse.urlencode(data).encode(),
        headers={"Authorization": f"Bearer {stripe_site.app.config['STRIPE_SECRET_KEY']}"},
    )
    with urllib.request.urlopen(request, timeout=5) as answer:
        return json.loads(answer.read())


def test_a_card_that_needs_3d_secure_answers_the_client_secret_and_is_paid_once_authenticated(shop, world, stripe_site):
    client, offer = shop
    order = card_order(client, world, offer)
    answer = pay(client, world, order["id"], three_d_secure_card(stripe_site))
    assert answer.status_code == 200 and answer.json["status"] == "requires_action"
    secret = answer.json["client_secret"]
    assert secret.startswith(answer.json["payment_intent_id"] + "_secret_")
    assert order_of(client, world, order["id"])["payment_instructions"]["status"] == "processing"
    # The bank's check passes (localstripe's stand-in for the 3-D Secure window the page opens).
    localstripe_post(
        stripe_site,
        f"/v1/payment_intents/{answer.json['payment_intent_id']}/_authenticate",
        {"client_secret": secret},
        "?success=true",
    )
    assert wait_for(client, world, order["id"], "paid")["status"] == "paid"


def test_a_refund_that_fails_at_stripe_gives_the_amount_back_to_the_order_and_is_flagged(shop, world, stripe_site, app):
    client, offer = shop
    order = card_order(client, world, offer)
    pay(client, world, order["id"])
    assert wait_for(client, world, order["id"], "paid")["status"] == "paid"
    cancelled = client.post(
        f"/api/v1/orders/{order['id']}/refunds", json={"reason_code": "cancelled"}, headers=world.auth("cashew")
    )
    assert cancelled.status_code == 201 and cancelled.json["status"] == "cancelled"
    assert cancelled.json["totals"]["refunded"] == 250_000
    listing = client.get(f"/api/v1/listings/{offer['id']}", headers=world.auth("cashew")).json
    assert listing["available"] == "500"  # cancelled before shipping: the stock is back on offer
    with app.app_context():
        refund_id = db.session.scalar(select(Refund.provider_refund_id))
    failed = {
        "id": refund_id,
        "object": "refund",
        "amount": 250_000,
        "status": "failed",
        "failure_reason": "expired_or_canceled_card",
    }
    body, headers = signed(stripe_site.webhook_secret, intent_event("refund.updated", failed))
    assert client.post("/webhooks/stripe", data=body, headers=headers).json["outcome"] == "applied"
    assert order_of(client, world, order["id"])["totals"]["refunded"] == 0
    # The refund never left: the producer is owed the sale again (less the fee), as before the cancellation.
    assert client.get("/api/v1/payouts/balance", headers=world.auth("cashew")).json["balance"] == 250_000 - 7_500
    with app.app_context():
        refund = db.session.scalars(select(Refund)).one()
        assert refund.status.value == "failed" and refund.failure_reason == "expired_or_canceled_card"
        assert [f.kind for f in db.session.scalars(select(PaymentFlag))] == [FlagKind.REFUND_FAILED]
    # A later "succeeded" for the same refund changes nothing: it is settled.
    late = {**failed, "status": "succeeded"}
    body, headers = signed(stripe_site.webhook_secret, intent_event("refund.updated", late))
    assert client.post("/webhooks/stripe", data=body, headers=headers).json["outcome"] == "ignored"


def test_money_arriving_for_an_expired_order_is_flagged_and_refunded(shop, world, stripe_site, app):
    from datetime import timedelta

    from core.db import utcnow
    from market.models import Order
    from market.services import transitions

    client, offer = shop
    order = card_order(client, world, offer)

    def lapse():
        row = db.session.scalar(select(Order).where(Order.public_id == order["id"]))
        row.expires_at = utcnow() - timedelta(minutes=1)
        db.session.commit()
        transitions.expire_overdue()

    with stripe_site.app.app_context():
        lapse()
        intent = gateway().pay(
            amount=250_000,
            currency="VND",
            payment_method="pm_card_visa",
            idempotency_key=uuid.uuid4().hex,
            metadata={"order_id": order["id"], "attempt": "1"},
        )
    time.sleep(2)  # localstripe's succeeded webhook arrives for an order that has ended
    after = order_of(client, world, order["id"])
    assert after["status"] == "expired" and after["totals"]["refunded"] == 250_000
    with app.app_context():
        assert [(f.kind, f.provider_reference) for f in db.session.scalars(select(PaymentFlag))] == [
            (FlagKind.LATE_PAYMENT, intent.id)
        ]
        refund = db.session.scalars(select(Refund)).one()
        assert refund.status.value == "succeeded" and refund.amount == 250_000


def test_administrators_review_flagged_payments_on_a_page(shop, world, stripe_site, app):
    from tests.integration.core.accounts.helpers import sign_in
    from tests.traceability_builders import quick_user, seeded

    client, offer = shop
    order = card_order(client, world, offer)
    intent = {
        "id": "pi_review",
        "amount": 1_000,
        "currency": "vnd",
        "status": "succeeded",
        "metadata": {"order_id": order["id"], "attempt": "1"},
    }
    body, headers = signed(stripe_site.webhook_secret, intent_event("payment_intent.succeeded", intent))
    client.post("/webhooks/stripe", data=body, headers=headers)

    def make_admin():
        admin = quick_user("Quản trị viên")
        admin.is_admin = True
        db.session.commit()
        return admin.phone

    admin_login = seeded(app, make_admin)
    stranger = stripe_site.app.test_client()
    sign_in(stranger, world.cashew_login)
    assert stranger.get("/market/admin/payments").status_code == 403

    page_client = stripe_site.app.test_client()
    sign_in(page_client, admin_login)
    page = page_client.get("/market/admin/payments").get_data(as_text=True)
    assert "Stripe thu số tiền hoặc loại tiền khác với đơn hàng" in page
    assert "1.000 ₫" in page and "250.000 ₫" in page and order["id"] in page
    with app.app_context():
        flag_id = db.session.scalar(select(PaymentFlag.id))
    from tests.conftest import csrf_token

    resolved = page_client.post(
        f"/market/admin/payments/{flag_id}/resolve",
        data={"csrf_token": csrf_token(page_client, "/market/admin/payments"), "note": "Đã hỏi Stripe"},
    )
    assert resolved.status_code == 303
    assert "Không có gì cần xử lý" in page_client.get("/market/admin/payments").get_data(as_text=True)


def three_d_secure_card(stripe_site) -> str:
    return localstripe_post(
        stripe_site,
        "/v1/payment_methods",
        {
            "type": "card",
            "card[number]": "4000002500003155",
            "card[exp_month]": "12",
            "card[exp_year]": "2034",
            "card[cvc]": "123",
        },
    )["id"]


def test_no_person_can_say_a_card_order_is_paid(shop, world):
    client, offer = shop
    order = card_order(client, world, offer)
    confirmed = client.post(
        f"/api/v1/orders/{order['id']}/payments/confirm", json={"reference": "FT123"}, headers=world.auth("cashew")
    )
    moved = move(client, world, "cashew", order["id"], "paid")
    assert confirmed.status_code == 403 and moved.status_code == 403
    seen = order_of(client, world, order["id"], "cashew")
    assert seen["status"] == "pending_payment" and "paid" not in seen["next_statuses"]


def test_an_unknown_payment_method_is_refused_without_cancelling_the_order(shop, world):
    client, offer = shop
    order = card_order(client, world, offer)
    refused = pay(client, world, order["id"], "pm_made_up_by_the_browser")
    assert refused.status_code == 422 and "payment_method" in refused.json["errors"]
    assert order_of(client, world, order["id"])["status"] == "pending_payment"
    assert pay(client, world, order["id"]).status_code == 200  # the buyer can still pay


def test_stripe_not_answering_gives_the_attempt_up_and_its_late_failure_never_cancels_a_later_one(
    shop, world, stripe_site
):
    from market.errors import PaymentProviderError
    from market.payments.stripe_gateway import StripeGateway
    from market.services import card_payments
    from tests.localstripe import free_port

    client, offer = shop
    order = card_order(client, world, offer)
    down = StripeGateway("sk_test_x", api_base=f"http://127.0.0.1:{free_port()}")
    with stripe_site.app.app_context():
        from core.accounts.models import User

        buyer = db.session.get(User, world.buyer_user)
        with pytest.raises(PaymentProviderError):
            card_payments.pay_by_card(buyer, order["id"], "pm_card_visa", gateway=down)
        db.session.remove()
    assert order_of(client, world, order["id"])["payment_instructions"]["status"] == "pending"
    paid = pay(client, world, order["id"])
    assert paid.status_code == 200
    assert stripe_intent(stripe_site, paid.json["payment_intent_id"]).metadata["attempt"] == "2"  # a new key
    assert wait_for(client, world, order["id"], "paid")["status"] == "paid"
    stale = {
        "id": "pi_lost_attempt",
        "amount": 250_000,
        "currency": "vnd",
        "status": "canceled",
        "metadata": {"order_id": order["id"], "attempt": "1"},
    }
    body, headers = signed(stripe_site.webhook_secret, intent_event("payment_intent.canceled", stale))
    assert client.post("/webhooks/stripe", data=body, headers=headers).json["outcome"] == "ignored"
    assert order_of(client, world, order["id"])["status"] == "paid"


def test_an_abandoned_3d_secure_attempt_is_cancelled_at_stripe_before_another_card_is_tried(shop, world, stripe_site):
    client, offer = shop
    order = card_order(client, world, offer)
    first = pay(client, world, order["id"], three_d_secure_card(stripe_site)).json
    assert first["status"] == "requires_action"
    second = pay(client, world, order["id"])  # the buyer gives up on their bank's check and uses another card
    assert second.status_code == 200 and second.json["payment_intent_id"] != first["payment_intent_id"]
    assert stripe_intent(stripe_site, first["payment_intent_id"]).status == "canceled"
    time.sleep(1.5)  # any event about the first attempt is stale now
    assert wait_for(client, world, order["id"], "paid")["status"] == "paid"


def test_cancelling_an_order_cancels_its_open_attempt_at_stripe(shop, world, stripe_site):
    client, offer = shop
    order = card_order(client, world, offer)
    first = pay(client, world, order["id"], three_d_secure_card(stripe_site)).json
    assert move(client, world, "buyer", order["id"], "cancelled").status_code == 200
    assert stripe_intent(stripe_site, first["payment_intent_id"]).status == "canceled"
    after = order_of(client, world, order["id"])
    assert after["status"] == "cancelled" and after["payment_instructions"]["status"] == "failed"


def test_the_api_sends_every_payment_instruction_each_method_gives(shop, world, stripe_site):
    """The order schema names each field of the methods' instructions: none is dropped on the way out."""
    from market.payments import METHODS
    from market.schemas import PaymentInstructionsSchema

    client, _offer = shop
    account = client.put(
        f"/api/v1/organizations/{world.cashew_org}/bank-account",
        json={"bank_bin": "970405", "account_number": "5500123456789", "account_name": "Nguyen Van A"},
        headers=world.auth("cashew"),
    )
    assert account.status_code == 200, account.json
    offer = create_listing(client, world, "cashew", world.harvest("cashew"), payment_methods=["card", "vietqr", "cod"])
    declared = set(PaymentInstructionsSchema().fields)
    for method in METHODS:
        order = place(client, world, "buyer", [(offer["id"], "10")], payment_method=method).json["orders"][0]
        with stripe_site.app.test_request_context():
            from market.models import Order

            row = db.session.scalar(select(Order).where(Order.public_id == order["id"]))
            given = METHODS[method].instructions(row)
            db.session.remove()
        assert set(given) <= declared, set(given) - declared
        assert order["payment_instructions"] == given
