"""VietQR bank transfers end to end: the seller's account, the QR the buyer scans, the seller's confirmation and the
bank's signed notification."""

from __future__ import annotations

import io
import json

import pytest
import zxingcpp
from PIL import Image
from sqlalchemy import select

from core.extensions import db
from market.models import FlagKind, Order, OrderStatus, PaymentFlag
from market.payments import vietqr
from market.services.bank_notifications import signature_for
from tests.conftest import csrf_token
from tests.integration.core.accounts.helpers import sign_in
from tests.integration.market.conftest import create_listing, listing_payload, place

VIETCOMBANK = "970436"
ACCOUNT = "0071000123456"
SECRET = "bank-webhook-test-secret"


def give_account(client, world, who: str = "cashew", **overrides):
    body = {"bank_bin": VIETCOMBANK, "account_number": ACCOUNT, "account_name": "Nguyễn Văn Đức", **overrides}
    return client.put(f"/api/v1/organizations/{world.cashew_org}/bank-account", json=body, headers=world.auth(who))


@pytest.fixture
def transfer_order(client, world):
    """A 250.000 ₫ order of 10 kg at 25.000 ₫/kg, collected at the seller, to be paid by VietQR transfer."""
    assert give_account(client, world).status_code == 200
    listing = create_listing(
        client, world, "cashew", world.harvest("cashew"), price_per_kg=25000, payment_methods=["vietqr", "cod"]
    )
    placed = place(client, world, "other_buyer", [(listing["id"], "10")], payment_method="vietqr")
    assert placed.status_code == 201, placed.json
    order = placed.json["orders"][0]
    assert order["totals"]["total"] == 250_000
    return order


def decoded(png: bytes) -> str:
    (found,) = zxingcpp.read_barcodes(Image.open(io.BytesIO(png)))
    return found.text


def status_of(client, world, order_id: str) -> str:
    return client.get(f"/api/v1/orders/{order_id}", headers=world.auth("cashew")).json["status"]


def confirm(client, world, who: str, order_id: str, **body):
    return client.post(f"/api/v1/orders/{order_id}/payments/confirm", json=body, headers=world.auth(who))


# The seller's bank account


def test_the_seller_gives_an_account_which_is_kept_as_the_bank_shows_it(client, world):
    assert (
        client.get(f"/api/v1/organizations/{world.cashew_org}/bank-account", headers=world.auth("cashew")).status_code
        == 404
    )
    given = give_account(client, world, account_number="0071 0001 23456")
    assert given.status_code == 200, given.json
    assert given.json["account_name"] == "NGUYEN VAN DUC"
    assert given.json["account_number"] == ACCOUNT and given.json["bank_name"] == "Vietcombank"
    read = client.get(f"/api/v1/organizations/{world.cashew_org}/bank-account", headers=world.auth("cashew"))
    assert read.json["bank_bin"] == VIETCOMBANK


def test_a_buyer_or_another_seller_cannot_set_or_read_the_sellers_account(client, world):
    for who in ("buyer", "pepper"):
        assert give_account(client, world, who).status_code == 404
        read = client.get(f"/api/v1/organizations/{world.cashew_org}/bank-account", headers=world.auth(who))
        assert read.status_code == 404
    assert give_account(client, world).status_code == 200  # nothing was written by them before


def test_an_unknown_bank_a_bad_number_or_no_holder_is_refused_on_its_field(client, world):
    refused = give_account(client, world, bank_bin="123456", account_number="12-34/56!", account_name="")
    assert refused.status_code == 422
    assert set(refused.json["errors"]) == {"bank_bin", "account_number", "account_name"}
    assert "not the NAPAS code" in refused.json["errors"]["bank_bin"][0]
    too_long = give_account(client, world, account_number="1" * 20)
    assert too_long.status_code == 422 and "at most 19" in too_long.json["errors"]["account_number"][0]


def test_a_listing_takes_vietqr_only_once_the_account_is_given(client, world):
    code = world.harvest("cashew")
    payload = listing_payload(code, payment_methods=["vietqr"])
    before = client.post("/api/v1/listings", json=payload, headers=world.auth("cashew"))
    assert before.status_code == 422 and "Add the bank account" in before.json["errors"]["payment_methods"][0]
    give_account(client, world)
    after = client.post("/api/v1/listings", json=payload, headers=world.auth("cashew"))
    assert after.status_code == 201 and after.json["payment_methods"] == ["vietqr"]


# The QR the buyer scans


def test_the_orders_qr_decodes_to_the_exact_transfer(client, world, transfer_order):
    order_id = transfer_order["id"]
    response = client.get(f"/api/v1/orders/{order_id}/vietqr.png", headers=world.auth("other_buyer"))
    assert response.status_code == 200 and response.mimetype == "image/png"
    fields = vietqr.parse(decoded(response.data))  # checks the CRC
    assert fields["54"] == "250000"
    assert order_id in fields["62.08"]
    assert (fields["38.01.00"], fields["38.01.01"]) == (VIETCOMBANK, ACCOUNT)
    instructions = transfer_order["payment_instructions"]
    assert instructions["vietqr_image_url"] == f"http://localhost/market/orders/{order_id}/vietqr.png"
    assert instructions["account_name"] == "NGUYEN VAN DUC" and instructions["transfer_note"] == f"NS {order_id}"


def test_the_qr_is_for_the_orders_parties_and_gone_once_paid(client, world, transfer_order):
    order_id = transfer_order["id"]
    assert client.get(f"/api/v1/orders/{order_id}/vietqr.png", headers=world.auth("buyer")).status_code == 404
    page_client = world.app.test_client()
    sign_in(page_client, world.other_buyer_login)
    assert page_client.get(f"/market/orders/{order_id}/vietqr.png").mimetype == "image/png"
    assert confirm(client, world, "cashew", order_id, reference="FT26001123456").status_code == 200
    assert page_client.get(f"/market/orders/{order_id}/vietqr.png").status_code == 404
    paid = client.get(f"/api/v1/orders/{order_id}", headers=world.auth("other_buyer")).json
    assert paid["payment_instructions"]["vietqr_image_url"] is None


# The seller's confirmation


def test_the_seller_confirms_the_transfer_and_the_buyer_cannot(client, world, transfer_order):
    order_id = transfer_order["id"]
    assert confirm(client, world, "other_buyer", order_id, reference="FT26001123456").status_code == 403
    assert confirm(client, world, "pepper", order_id, reference="FT26001123456").status_code == 404
    missing = confirm(client, world, "cashew", order_id)
    assert missing.status_code == 422 and "reference" in missing.json["errors"]
    wrong = confirm(client, world, "cashew", order_id, reference="FT26001123456", amount=200_000)
    assert wrong.status_code == 422 and "250000" in wrong.json["errors"]["amount"][0]
    assert status_of(client, world, order_id) == "pending_payment"
    done = confirm(client, world, "cashew", order_id, reference="FT26001123456", amount=250_000)
    assert done.status_code == 200 and done.json["status"] == "paid"
    again = confirm(client, world, "cashew", order_id, reference="FT26001123456")
    assert again.status_code == 409 and again.json["current_status"] == "paid"


def test_a_reference_already_used_for_another_order_is_refused_clearly(client, world, transfer_order):
    listing_id = transfer_order["lines"][0]["listing_id"]
    second = place(client, world, "other_buyer", [(listing_id, "10")], payment_method="vietqr").json["orders"][0]
    assert confirm(client, world, "cashew", transfer_order["id"], reference="FT26001123456").status_code == 200
    reused = confirm(client, world, "cashew", second["id"], reference="FT26001123456")
    assert reused.status_code == 422
    assert "FT26001123456" in reused.json["errors"]["reference"][0]
    assert status_of(client, world, second["id"]) == "pending_payment"


# The bank's notification


def notify(app_client, body: dict, *, secret: str = SECRET, signature: str | None = None):
    raw = json.dumps(body).encode()
    return app_client.post(
        "/webhooks/bank",
        data=raw,
        content_type="application/json",
        headers={"X-Signature": signature or signature_for(raw, secret)},
    )


def transfer_body(order_id: str, **overrides) -> dict:
    body = {
        "transaction_id": "FT26001999001",
        "amount": 250_000,
        "description": f"CT DEN:0123 MBVCB.{order_id} NS {order_id} CHUYEN TIEN",
        "account_number": ACCOUNT,
        "bank_bin": VIETCOMBANK,
    }
    body.update(overrides)
    return body


@pytest.fixture
def bank(make_app):
    return make_app(BANK_WEBHOOK_SECRET=SECRET).test_client()


def test_the_banks_notification_pays_the_order_once(client, world, transfer_order, bank):
    order_id = transfer_order["id"]
    first = notify(bank, transfer_body(order_id))
    assert first.status_code == 200 and first.json == {"outcome": "applied"}
    assert status_of(client, world, order_id) == "paid"
    replay = notify(bank, transfer_body(order_id))
    assert replay.status_code == 200 and replay.json == {"outcome": "duplicate"}
    history = client.get(f"/api/v1/orders/{order_id}", headers=world.auth("cashew")).json["history"]
    assert [change["to"] for change in history].count("paid") == 1


def test_a_forged_or_missing_signature_is_refused_and_changes_nothing(client, world, transfer_order, bank):
    order_id = transfer_order["id"]
    forged = notify(bank, transfer_body(order_id), secret="not-the-secret")
    assert forged.status_code == 400
    raw = json.dumps(transfer_body(order_id)).encode()
    unsigned = bank.post("/webhooks/bank", data=raw, content_type="application/json")
    assert unsigned.status_code == 400
    assert status_of(client, world, order_id) == "pending_payment"
    # Not seen either: the genuine delivery that follows still applies.
    assert notify(bank, transfer_body(order_id)).json == {"outcome": "applied"}


def test_a_wrong_amount_is_flagged_for_review_not_paid(client, world, transfer_order, bank):
    order_id = transfer_order["id"]
    short = notify(bank, transfer_body(order_id, amount=200_000))
    assert short.status_code == 200 and short.json == {"outcome": "flagged"}
    assert status_of(client, world, order_id) == "pending_payment"
    with world.app.app_context():
        flag = db.session.scalar(select(PaymentFlag).where(PaymentFlag.provider_reference == "FT26001999001"))
        order = db.session.scalar(select(Order).where(Order.public_id == order_id))
        assert flag.kind is FlagKind.AMOUNT_MISMATCH and flag.order_id == order.id
        assert flag.details["amount"] == 200_000 and flag.details["order_total"] == 250_000


def test_money_for_a_paid_order_or_no_order_is_flagged(client, world, transfer_order, bank):
    order_id = transfer_order["id"]
    assert confirm(client, world, "cashew", order_id, reference="FT26001123456").status_code == 200
    late = notify(bank, transfer_body(order_id, transaction_id="FT26001999002"))
    assert late.json == {"outcome": "flagged"}
    stray = notify(bank, transfer_body(order_id, transaction_id="FT26001999003", description="TIEN HANG"))
    assert stray.json == {"outcome": "flagged"}
    elsewhere = notify(bank, transfer_body(order_id, transaction_id="FT26001999004", account_number="999999"))
    assert elsewhere.json == {"outcome": "ignored"}
    with world.app.app_context():
        kinds = set(db.session.scalars(select(PaymentFlag.kind)))
        assert kinds == {FlagKind.LATE_PAYMENT, FlagKind.UNKNOWN_PAYMENT}
        assert db.session.scalar(select(Order.status).where(Order.public_id == order_id)) is OrderStatus.PAID


def test_the_endpoint_is_off_without_a_secret(client, world, transfer_order):
    assert notify(client, transfer_body(transfer_order["id"])).status_code == 404
    assert status_of(client, world, transfer_order["id"]) == "pending_payment"


# Pages


def test_the_buyer_sees_the_qr_and_the_seller_confirms_on_the_order_page(client, world, transfer_order):
    order_id = transfer_order["id"]
    sign_in(client, world.other_buyer_login)  # reads Vietnamese
    page = client.get(f"/market/orders/{order_id}").get_data(as_text=True)
    assert f'src="http://localhost/market/orders/{order_id}/vietqr.png"' in page
    assert "250.000 ₫" in page and f"NS {order_id}" in page and ACCOUNT in page and "NGUYEN VAN DUC" in page
    assert "Vietcombank" in page and "người bán" in page.lower()
    assert "Xác nhận đã nhận tiền" not in page

    seller = world.app.test_client()
    sign_in(seller, world.cashew_login)
    seller_page = seller.get(f"/market/orders/{order_id}").get_data(as_text=True)
    assert "Xác nhận đã nhận tiền" in seller_page and 'name="reference"' in seller_page
    token = csrf_token(seller, f"/market/orders/{order_id}")
    empty = seller.post(
        f"/market/orders/{order_id}/payments/confirm",
        data={"csrf_token": token, "reference": ""},
        follow_redirects=True,
    )
    assert "mã giao dịch" in empty.get_data(as_text=True).lower()
    assert status_of(client, world, order_id) == "pending_payment"
    done = seller.post(
        f"/market/orders/{order_id}/payments/confirm",
        data={"csrf_token": token, "reference": "FT26001123456"},
        follow_redirects=True,
    )
    assert "Đã thanh toán" in done.get_data(as_text=True)
    assert status_of(client, world, order_id) == "paid"


def test_the_bank_account_form_says_what_is_wrong_in_vietnamese(client, world):
    sign_in(client, world.cashew_login)
    form = client.get("/market/bank-account").get_data(as_text=True)
    assert "Vietcombank (970436)" in form
    token = csrf_token(client, "/market/bank-account")
    refused = client.post(
        "/market/bank-account",
        data={"csrf_token": token, "bank_bin": "123456", "account_number": "", "account_name": "Nguyễn Văn Đức"},
    )
    assert refused.status_code == 422
    text = refused.get_data(as_text=True)
    assert "không phải mã NAPAS" in text and "bắt buộc" in text
    assert 'value="Nguyễn Văn Đức"' in text  # what was typed is kept
    saved = client.post(
        "/market/bank-account",
        data={
            "csrf_token": token,
            "bank_bin": VIETCOMBANK,
            "account_number": ACCOUNT,
            "account_name": "Nguyễn Văn Đức",
        },
        follow_redirects=True,
    )
    assert "NGUYEN VAN DUC" in saved.get_data(as_text=True)
    listing_form = client.get("/market/my-listings/new").get_data(as_text=True)
    assert 'value="vietqr"' in listing_form and "Thêm tài khoản ngân hàng" not in listing_form


def test_the_listing_form_links_to_the_bank_account_until_one_is_given(client, world):
    sign_in(client, world.cashew_login)
    form = client.get("/market/my-listings/new").get_data(as_text=True)
    assert 'value="vietqr"' not in form and 'value="cod"' in form
    assert "Thêm tài khoản ngân hàng để nhận chuyển khoản VietQR" in form and 'href="/market/bank-account"' in form
    assert 'href="/market/bank-account"' in client.get("/market/sales").get_data(as_text=True)


def test_the_listing_form_offers_vietqr_once_the_account_is_given(client, world):
    code = world.harvest("cashew", "1000")
    give_account(client, world)
    sign_in(client, world.cashew_login)
    data = {
        "csrf_token": csrf_token(client, "/market/my-listings/new"),
        "batch_code": code,
        "title": "Điều thô vụ mới",
        "price_per_kg": "25.000",
        "quantity": "100",
        "pickup": "y",
        "publish": "y",
        "payment_choice": "y",
    }
    nothing = client.post("/market/my-listings/new", data=data)
    assert nothing.status_code == 422 and "phương thức thanh toán" in nothing.get_data(as_text=True).lower()
    saved = client.post("/market/my-listings/new", data={**data, "payment_methods": ["vietqr", "cod"]})
    assert saved.status_code == 303
    listing = client.get("/api/v1/listings", headers=world.auth("cashew")).json[0]
    assert sorted(listing["payment_methods"]) == ["cod", "vietqr"]
    edit = client.get(f"/market/my-listings/{listing['id']}/edit").get_data(as_text=True)
    assert 'value="vietqr" checked' in edit
