"""The money pages in Vietnamese: a producer's balance and history, the administrators' payouts form."""

from __future__ import annotations

import pytest

from tests.builders import make_user
from tests.conftest import csrf_token
from tests.integration.core.accounts.helpers import sign_in
from tests.integration.market.test_ledger import card_order, cash_order_paid  # noqa: F401 (a fixture)
from tests.traceability_builders import seeded
from tests.vietnamese_pages import english_left

ADMIN_PHONE = "+84911999002"


def text(response) -> str:
    return response.get_data(as_text=True)


@pytest.fixture
def admin(app):
    seeded(app, lambda: make_user(phone=ADMIN_PHONE, name="Quản trị nền tảng", is_admin=True).id)
    return ADMIN_PHONE


def vietnamese(client, login: str) -> None:
    client.set_cookie("lang", "vi", domain="localhost")
    assert sign_in(client, login).status_code == 303


def test_a_producer_paid_in_cash_reads_that_they_owe_the_fee(client, world):
    order = cash_order_paid(client, world)  # 350.000 ₫ in cash: 10.500 ₫ of fees owed to the platform
    vietnamese(client, world.cashew_login)
    page = client.get("/market/payouts")
    assert page.status_code == 200
    html = text(page)
    assert "Bạn đang nợ sàn 10.500 ₫ tiền phí" in html
    assert f'href="/market/orders/{order["id"]}"' in html and "Điều thô Lộc Ninh" in html
    assert "Người mua đã trả thẳng cho bạn: ở đây chỉ tính tiền phí." in html
    assert english_left(html) == []
    assert 'href="/market/payouts"' in text(client.get("/market/sales"))  # in the producer's menu


def test_the_payouts_page_is_for_administrators_only(client, world):
    vietnamese(client, world.cashew_login)
    assert client.get("/market/admin/payouts").status_code == 403
    token = csrf_token(client, "/market/payouts")
    refused = client.post(
        "/market/admin/payouts",
        data={"csrf_token": token, "organization_id": world.cashew_org, "amount": "1000", "bank_reference": "FT9"},
    )
    assert refused.status_code == 403


def test_an_administrator_records_a_payout_and_reads_each_refusal_in_vietnamese(app, client, world, admin):
    cash_order_paid(client, world)  # cashew owes 10.500 ₫: nothing to pay out
    vietnamese(client, admin)
    page = client.get("/market/admin/payouts")
    assert page.status_code == 200 and "Hộ bán cashew" in text(page) and "-10.500 ₫" in text(page)
    token = csrf_token(client, "/market/admin/payouts")
    form = {"csrf_token": token, "organization_id": str(world.cashew_org), "amount": "5.000", "bank_reference": "FT7"}
    refused = client.post("/market/admin/payouts", data=form)
    assert refused.status_code == 422
    html = text(refused)
    assert "Hiện sàn không nợ người bán này khoản nào (số dư -10.500 đồng)." in html
    assert 'value="FT7"' in html and english_left(html) == []
    empty = client.post("/market/admin/payouts", data={"csrf_token": token, "organization_id": str(world.cashew_org)})
    assert empty.status_code == 422
    assert "Số tiền chi trả phải là số đồng nguyên, lớn hơn 0." in text(empty)
    assert "Hãy nhập mã giao dịch chuyển khoản." in text(empty) and english_left(text(empty)) == []


def test_an_administrator_pays_a_card_sale_out_once_per_bank_reference(client, world, admin, card_order):  # noqa: F811
    vietnamese(client, admin)
    token = csrf_token(client, "/market/admin/payouts")
    form = {"csrf_token": token, "organization_id": str(world.cashew_org), "amount": "100.000", "bank_reference": "FT8"}
    paid = client.post("/market/admin/payouts", data=form, follow_redirects=True)
    assert paid.status_code == 200
    assert "Đã ghi nhận khoản chi trả. Sàn còn nợ người bán này 192.289 ₫." in text(paid)
    again = client.post("/market/admin/payouts", data={**form, "amount": "1.000"})
    assert again.status_code == 422 and "Đã có khoản chi trả với mã giao dịch FT8." in text(again)
    client.set_cookie("lang", "vi", domain="localhost")
    vietnamese(client, world.cashew_login)
    page = text(client.get("/market/payouts"))
    assert "Sàn đang nợ bạn 192.289 ₫" in page and "Mã giao dịch ngân hàng: FT8" in page
