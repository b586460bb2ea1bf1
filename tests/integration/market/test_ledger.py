"""The payout ledger on a real database: what a producer is owed after sales, refunds and payouts, over the API."""

from __future__ import annotations

from decimal import Decimal

import pytest
from sqlalchemy import func, select

from core.accounts.models import User
from core.extensions import db
from market.models import Order, OrderStatus, Refund, RefundStatus
from market.models.ledger import LedgerEntry
from market.services import ledger, orders, transitions
from tests.builders import make_token, make_user
from tests.integration.market.conftest import LOC_NINH, create_listing, move, place
from tests.traceability_builders import seeded

STRIPE = {"STRIPE_SECRET_KEY": "sk_test_x", "STRIPE_PUBLISHABLE_KEY": "pk_test_x", "STRIPE_WEBHOOK_SECRET": "whsec_x"}
COD_TO_PAID = [("cashew", "accepted"), ("cashew", "shipped"), ("cashew", "delivered"), ("cashew", "paid")]


@pytest.fixture
def admin(app):
    def build():
        user = make_user(phone="+84911999001", name="Quản trị nền tảng", is_admin=True)
        return {"id": user.id, "login": user.phone, "token": make_token(user)}

    return seeded(app, build)


def auth(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def balance_of(client, world, who: str = "cashew", **query) -> dict:
    response = client.get("/api/v1/payouts/balance", query_string=query, headers=world.auth(who))
    assert response.status_code == 200, response.json
    return response.json


def entries_of(client, world, who: str = "cashew") -> list[dict]:
    response = client.get("/api/v1/payouts/entries", query_string={"per_page": 100}, headers=world.auth(who))
    assert response.status_code == 200, response.json
    return response.json


def cash_order_paid(client, world, kg: str = "10") -> dict:
    listing = create_listing(client, world, "cashew", world.harvest("cashew", "1000"), price_per_kg=35000)
    order = place(client, world, "buyer", [(listing["id"], kg)]).json["orders"][0]
    for who, status in COD_TO_PAID:
        assert move(client, world, who, order["id"], status).status_code == 200
    return order


@pytest.fixture
def card_order(make_app, world):
    """A card order of two lines (odd prices) and a delivery fee, paid as Stripe's webhook would make it."""
    # Tasks go to an in-memory queue nobody reads: the order emails link to the card payment API, not written yet.
    card_app = make_app(**STRIPE, CELERY_TASK_ALWAYS_EAGER=False)
    client = card_app.test_client()
    fees = {"delivery_fees": {"75": 30_001}, "payment_methods": ["card"]}
    first = create_listing(client, world, "cashew", world.harvest("cashew", "1000"), price_per_kg=33_337, **fees)
    second = create_listing(client, world, "cashew", world.harvest("cashew", "500"), price_per_kg=12_347, **fees)
    with card_app.app_context():
        # Placed through the service: the card checkout's answer links to that API too.
        buyer = db.session.get(User, world.buyer_user)
        items = [
            {"listing_id": first["id"], "quantity": Decimal(7)},
            {"listing_id": second["id"], "quantity": Decimal(3)},
        ]
        delivery = {"method": "delivery", "address": {"commune_code": LOC_NINH, "street": "1 Quốc lộ 13"}}
        (row,) = orders.place_orders(buyer, items=items, payment_method="card", delivery=delivery)
        transitions.move_as_system(transitions.lock_order(row.id), OrderStatus.PAID, note="Paid.", reference="pi_1")
        db.session.commit()
        order = {
            "id": row.public_id,
            "lines": [line.line_total for line in row.lines],
            "delivery_fee": row.delivery_fee,
            "total": row.total,
        }
    return {"app": card_app, "order": order, "id": order["id"]}


def _refund(application, public_id: str, amount: int) -> int:
    """A refund of a card order, through give_back as every refund goes (sent to Stripe later, not here)."""
    with application.app_context():
        order = db.session.scalar(select(Order).where(Order.public_id == public_id))
        refund = transitions.give_back(transitions.lock_order(order.id), amount, "Hàng bị ẩm", None)
        db.session.commit()
        return refund.id


def test_a_paid_card_order_owes_the_producer_its_total_less_three_percent_of_the_produce(client, world, card_order):
    total, lines = card_order["order"]["total"], card_order["order"]["lines"]
    assert lines == [233_359, 37_041] and card_order["order"]["delivery_fee"] == 30_001
    fee = sum(int(line * 3 / 100 + 0.5) for line in lines)  # whole đồng, halves up; none on the delivery
    statement = balance_of(client, world)
    assert statement["balance"] == total - fee
    assert statement | {"balance": 0} == {
        "organization_id": world.cashew_org,
        "organization_name": "Hộ bán cashew",
        "balance": 0,
        "currency": "VND",
        "sales": total,
        "refunds": 0,
        "collected_by_seller": 0,
        "fees": fee,
        "paid_out": 0,
    }
    sales = entries_of(client, world)
    assert sorted((e["gross"], e["for_delivery"]) for e in sales) == sorted(
        [(x, False) for x in lines] + [(30_001, True)]
    )
    assert all(e["kind"] == "sale" and e["order_id"] == card_order["id"] and e["collected_by_platform"] for e in sales)
    assert sum(e["net"] for e in sales) == total - fee


def test_a_partial_then_a_full_refund_take_back_everything_fees_included_and_a_failed_one_comes_back(
    client, world, card_order
):
    application, public_id = card_order["app"], card_order["id"]
    total, owed = card_order["order"]["total"], balance_of(client, world)["balance"]
    first = _refund(application, public_id, 12_345)
    after_first = balance_of(client, world)
    assert (
        after_first["refunds"] == 12_345 and owed - 12_345 < after_first["balance"] < owed - 12_345 + 371
    )  # 3 % of the lines' share came back
    with application.app_context():
        # Stripe refused the refund: the order counts it unrefunded again (refunds.refund_failed), the ledger too.
        refund = db.session.get(Refund, first)
        refund.status = RefundStatus.FAILED
        transitions.lock_order(refund.order_id).refunded_amount -= refund.amount
        reversed_entries = ledger.reverse_refund(refund)
        assert ledger.reverse_refund(refund) == []  # a second report changes nothing
        db.session.commit()
    assert reversed_entries and balance_of(client, world)["balance"] == owed  # the failed refund is back
    _refund(application, public_id, 1)
    _refund(application, public_id, 54_321)
    _refund(application, public_id, total - 54_322)
    final = balance_of(client, world)
    assert (final["balance"], final["fees"], final["refunds"]) == (0, 0, total)
    listed = entries_of(client, world)
    assert sum(e["net"] for e in listed) == final["balance"]


def test_cash_sales_leave_the_producer_owing_the_fee_and_a_full_refund_clears_it(client, world):
    order = cash_order_paid(client, world)  # 10 kg at 35.000 ₫, paid in cash to the seller
    statement = balance_of(client, world)
    assert (statement["balance"], statement["collected_by_seller"], statement["fees"]) == (-10_500, 350_000, 10_500)
    assert move(client, world, "cashew", order["id"], "partially_refunded", amount=50_001).status_code == 200
    assert balance_of(client, world)["balance"] == -10_500 + 1_500  # 3 % of 50.001 ₫ given back
    assert move(client, world, "cashew", order["id"], "refunded").status_code == 200
    assert balance_of(client, world) | {"organization_name": ""} == {
        "organization_id": world.cashew_org,
        "organization_name": "",
        "balance": 0,
        "currency": "VND",
        "sales": 350_000,
        "refunds": 350_000,
        "collected_by_seller": 0,
        "fees": 0,
        "paid_out": 0,
    }


def test_an_order_cancelled_before_payment_writes_nothing(client, world):
    listing = create_listing(client, world, "cashew", world.harvest("cashew", "1000"))
    order = place(client, world, "buyer", [(listing["id"], "5")]).json["orders"][0]
    assert move(client, world, "buyer", order["id"], "cancelled").status_code == 200
    assert entries_of(client, world) == [] and balance_of(client, world)["balance"] == 0


def test_a_payout_reduces_the_balance_and_cannot_exceed_it(client, world, card_order, admin):
    owed = balance_of(client, world)["balance"]
    body = {"organization_id": world.cashew_org, "amount": owed + 1, "bank_reference": "FT24101", "note": None}
    too_much = client.post("/api/v1/payouts", json=body, headers=auth(admin["token"]))
    assert too_much.status_code == 422 and too_much.json["code"] == "payout_above_balance"
    assert f"owes this producer {owed} VND" in too_much.json["detail"]
    paid = client.post("/api/v1/payouts", json={**body, "amount": owed - 1000}, headers=auth(admin["token"]))
    assert paid.status_code == 201, paid.json
    assert paid.json["balance"] == 1000 and paid.json["bank_reference"] == "FT24101"
    statement = balance_of(client, world)
    assert (statement["balance"], statement["paid_out"]) == (1000, owed - 1000)
    newest = entries_of(client, world)[0]
    assert (newest["kind"], newest["net"], newest["bank_reference"]) == ("payout", -(owed - 1000), "FT24101")
    again = client.post("/api/v1/payouts", json={**body, "amount": 500}, headers=auth(admin["token"]))
    assert again.status_code == 422 and again.json["code"] == "bank_reference_taken"
    assert again.json["errors"]["bank_reference"] == ["A payout with the bank reference FT24101 is already recorded."]
    listed = client.get("/api/v1/payouts", headers=auth(admin["token"])).json
    assert listed == [
        {
            "organization_id": world.cashew_org,
            "organization_name": "Hộ bán cashew",
            "balance": 1000,
            "currency": "VND",
            "bank_account": None,
        }
    ]


def test_a_payout_is_in_the_audit_log_with_who_recorded_it_and_from_where(app, client, world, card_order, admin):
    from core.audit.models import AuditEntry

    owed = balance_of(client, world)["balance"]
    body = {"organization_id": world.cashew_org, "amount": owed, "bank_reference": "FT24102", "note": None}
    paid = client.post(
        "/api/v1/payouts", json=body, headers=auth(admin["token"]), environ_base={"REMOTE_ADDR": "198.51.100.4"}
    )
    assert paid.status_code == 201, paid.json
    refused = client.post("/api/v1/payouts", json={**body, "amount": 1}, headers=auth(admin["token"]))
    assert refused.status_code == 422  # nothing owed any more: no payout, no entry
    with app.app_context():
        [entry] = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "payout.recorded")).all()
        assert (entry.actor_id, entry.subject_type, entry.subject_id) == (admin["id"], "payout", paid.json["id"])
        assert entry.ip_address == "198.51.100.4" and entry.at is not None
        assert entry.details["amount"] == owed and entry.details["number"] == "FT24102"
        assert entry.details["seller_id"] == world.cashew_org


def test_a_payout_needs_an_amount_and_a_bank_reference(client, world, card_order, admin):
    body = {"organization_id": world.cashew_org, "amount": 0, "bank_reference": "  "}
    refused = client.post("/api/v1/payouts", json=body, headers=auth(admin["token"]))
    assert refused.status_code == 422
    assert set(refused.json["errors"]) == {"amount", "bank_reference"}
    unknown = {**body, "amount": 1, "bank_reference": "X", "organization_id": 9999}
    assert client.post("/api/v1/payouts", json=unknown, headers=auth(admin["token"])).status_code == 404


def test_only_an_administrator_records_payouts_or_sees_every_balance(client, world, card_order):
    body = {"organization_id": world.cashew_org, "amount": 1000, "bank_reference": "FT1"}
    for who in ("cashew", "buyer"):
        assert client.post("/api/v1/payouts", json=body, headers=world.auth(who)).status_code == 403
        assert client.get("/api/v1/payouts", headers=world.auth(who)).status_code == 403
    assert balance_of(client, world)["paid_out"] == 0


def test_a_seller_sees_only_their_own_balance(client, world, card_order):
    assert balance_of(client, world, "pepper")["balance"] == 0
    theirs = {"organization_id": world.cashew_org}
    assert client.get("/api/v1/payouts/balance", query_string=theirs, headers=world.auth("pepper")).status_code == 404
    assert client.get("/api/v1/payouts/entries", query_string=theirs, headers=world.auth("pepper")).status_code == 404
    assert client.get("/api/v1/payouts/balance", headers=world.auth("buyer")).status_code == 404
    assert balance_of(client, world, organization_id=world.cashew_org)["balance"] > 0


def test_entries_are_never_changed_or_deleted_and_the_balance_is_their_sum(app, client, world, card_order):
    with app.app_context():
        entry = db.session.scalars(select(LedgerEntry)).first()
        entry.net = 1
        with pytest.raises(RuntimeError, match="never changed"):
            db.session.flush()
        db.session.rollback()
        db.session.delete(db.session.scalars(select(LedgerEntry)).first())
        with pytest.raises(RuntimeError, match="never changed"):
            db.session.flush()
        db.session.rollback()
        total = db.session.scalar(select(func.sum(LedgerEntry.net)).where(LedgerEntry.seller_id == world.cashew_org))
        assert ledger.balance(world.cashew_org) == total == balance_of(client, world)["balance"]
