"""The seller refunds from the order page: one form, the reason chosen from a list, in Vietnamese."""

from __future__ import annotations

from sqlalchemy import select

from core.extensions import db
from market.models import Refund
from tests.conftest import csrf_token
from tests.integration.core.accounts.helpers import sign_in
from tests.integration.market.conftest import create_listing, move, place


def paid_cash_order(client, world) -> dict:
    listing = create_listing(client, world, "cashew", world.harvest("cashew"), price_per_kg=25000)
    order = place(client, world, "buyer", [(listing["id"], "10")]).json["orders"][0]
    for who, step in (("cashew", "accepted"), ("cashew", "shipped"), ("buyer", "delivered"), ("cashew", "paid")):
        assert move(client, world, who, order["id"], step).status_code == 200, step
    return order


def test_the_seller_refunds_part_of_a_cash_order_with_a_reason_from_the_list(client, world, app):
    order = paid_cash_order(client, world)
    sign_in(client, world.cashew_login)
    page = client.get(f"/market/orders/{order['id']}").get_data(as_text=True)
    assert "Hàng bị hư hỏng" in page and "Để trống để hoàn toàn bộ 250.000 ₫ chưa hoàn." in page
    url = f"/market/orders/{order['id']}"
    bad = client.post(f"{url}/refunds", data={"csrf_token": csrf_token(client, url), "amount": "300.000"})
    assert bad.status_code == 303
    assert "Hoàn tiền một phần phải lớn hơn 0 và nhỏ hơn 250.000" in client.get(url).get_data(as_text=True)
    done = client.post(
        f"{url}/refunds",
        data={"csrf_token": csrf_token(client, url), "amount": "50.000", "reason_code": "damaged", "reason": "Ướt"},
    )
    assert done.status_code == 303
    after = client.get(url).get_data(as_text=True)
    assert "Đã hoàn tiền: 50.000 ₫." in after and "Đã hoàn một phần tiền" in after
    with app.app_context():
        refund = db.session.scalars(select(Refund)).one()
        assert (refund.amount, refund.reason_code.value, refund.reason) == (50_000, "damaged", "Ướt")


def test_the_buyer_has_no_refund_form_and_cannot_post_one(client, world, app):
    order = paid_cash_order(client, world)
    sign_in(client, world.buyer_login)
    url = f"/market/orders/{order['id']}"
    assert 'id="refund"' not in client.get(url).get_data(as_text=True)
    client.post(f"{url}/refunds", data={"csrf_token": csrf_token(client, url), "amount": "1000"})
    with app.app_context():
        assert db.session.scalars(select(Refund)).all() == []
