"""Checkout shows the whole price before ordering; the cart refuses less than a listing's minimum; cards show
a picture and a readable grade."""

from __future__ import annotations

import io
import re

from sqlalchemy import select

from core.extensions import db
from market.models import Order
from tests.conftest import csrf_token
from tests.integration.core.accounts.helpers import sign_in
from tests.integration.market.conftest import HO_CHI_MINH_COMMUNE, create_listing
from tests.traceability_builders import seeded
from tests.unit.core.files.samples import jpeg_with_gps
from traceability.services import operations

HCM = {"address-province_code": "79", "address-commune_code": HO_CHI_MINH_COMMUNE, "address-street": "12 Lê Lợi"}


def text(response) -> str:
    return response.get_data(as_text=True)


def add_to_cart(client, listing_id: str, quantity: str, lang: str | None = None):
    token = csrf_token(client, f"/market/listings/{listing_id}")
    url = "/market/cart/add" + (f"?lang={lang}" if lang else "")
    return client.post(url, data={"csrf_token": token, "listing_id": listing_id, "quantity": quantity})


def checkout(client, **data):
    return client.post("/market/checkout", data={"csrf_token": csrf_token(client, "/market/checkout"), **data})


def totals(page: str) -> str:
    return page.split('id="total"', 1)[1].split("</section>", 1)[0]


def previewed(page: str) -> str:
    return re.search(r'name="previewed_total" value="([^"]*)"', page).group(1)


def stored_totals(app) -> list[int]:
    return seeded(app, lambda: list(db.session.scalars(select(Order.total).order_by(Order.id))))


def delivered_listing(client, world) -> dict:
    return create_listing(client, world, "cashew", world.harvest("cashew"), delivery_fees={"79": 50000})


def test_checkout_shows_goods_delivery_and_total_in_vietnamese_and_charges_that(app, client, world):
    listing = delivered_listing(client, world)
    sign_in(client, world.other_buyer_login)  # reads Vietnamese
    assert add_to_cart(client, listing["id"], "20").status_code == 303
    page = text(client.get("/market/checkout"))
    shown = totals(page)
    assert "Cần thanh toán" in shown and "Hàng hóa" in shown and "Phí giao hàng" in shown
    assert "700.000 ₫" in shown and "0 ₫" in shown  # collected at the seller: no fee

    delivery = {"payment_method": "cod", "delivery_method": "delivery", **HCM}
    redrawn = checkout(client, preview="1", **delivery)
    assert redrawn.status_code == 200 and not stored_totals(app)
    shown = totals(text(redrawn))
    assert "50.000 ₫" in shown and "750.000 ₫" in shown  # 700.000 + 50.000
    assert previewed(text(redrawn)) == "750000"

    placed = checkout(client, previewed_total=previewed(text(redrawn)), **delivery)
    assert placed.status_code == 303, text(placed)
    assert stored_totals(app) == [750000]


def test_placing_for_a_total_the_buyer_was_not_shown_shows_the_new_total_first(app, client, world):
    listing = delivered_listing(client, world)
    sign_in(client, world.buyer_login)  # reads English
    add_to_cart(client, listing["id"], "20")
    seen = previewed(text(client.get("/market/checkout")))  # collected: 700,000
    assert seen == "700000"
    delivery = {"payment_method": "cod", "delivery_method": "delivery", **HCM}
    changed = checkout(client, previewed_total=seen, **delivery)
    assert changed.status_code == 200 and not stored_totals(app)
    page = text(changed)
    assert "The total changed with your delivery choice" in page and "₫750,000" in totals(page)
    assert checkout(client, previewed_total=previewed(page), **delivery).status_code == 303
    assert stored_totals(app) == [750000]


def test_two_sellers_each_show_their_order_total_and_the_sum(app, client, world):
    cashew = delivered_listing(client, world)
    pepper = create_listing(
        client,
        world,
        "pepper",
        world.harvest("pepper", "300"),
        quantity="200",
        price_per_kg=60000,
        delivery_fees={"79": 30000},
    )
    sign_in(client, world.other_buyer_login)
    add_to_cart(client, cashew["id"], "20")
    add_to_cart(client, pepper["id"], "5")
    delivery = {"payment_method": "cod", "delivery_method": "delivery", **HCM}
    page = text(checkout(client, preview="1", **delivery))
    assert "750.000 ₫" in page and "330.000 ₫" in page  # each order: goods + its seller's fee
    assert "1.080.000 ₫" in totals(page)
    assert checkout(client, previewed_total=previewed(page), **delivery).status_code == 303
    assert sum(stored_totals(app)) == 1080000


def test_a_seller_who_does_not_deliver_there_shows_no_total(client, world):
    listing = create_listing(client, world, "cashew", world.harvest("cashew"), delivery_fees={"75": 20000})
    sign_in(client, world.buyer_login)
    add_to_cart(client, listing["id"], "20")
    page = text(checkout(client, preview="1", payment_method="cod", delivery_method="delivery", **HCM))
    assert "not to this province" in page and "A seller does not deliver to this province" in totals(page)
    assert previewed(page) == "None"


def test_the_cart_refuses_less_than_the_minimum_and_keeps_what_was_typed(client, world):
    listing = create_listing(client, world, "cashew", world.harvest("cashew"), min_order_quantity="19")
    sign_in(client, world.other_buyer_login)  # reads Vietnamese
    refused = add_to_cart(client, listing["id"], "18")
    assert refused.status_code == 422
    page = text(refused)
    assert page.count("Đơn tối thiểu là 19 kg.") == 1
    assert 'value="18"' in page and 'aria-invalid="true"' in page
    assert "Đã thêm vào giỏ" not in page and "Đã thêm" not in text(client.get("/market/cart"))
    assert "Giỏ hàng của bạn đang trống" in text(client.get("/market/cart"))

    refused = add_to_cart(client, listing["id"], "7", lang="en")
    assert refused.status_code == 422
    page = text(refused)
    assert page.count("The minimum order is 19 kg.") == 1 and "Added to your cart" not in page
    assert 'value="7"' in page
    assert add_to_cart(client, listing["id"], "19").status_code == 303


def test_listing_cards_show_a_picture_and_a_readable_grade(app, client, world):
    raw_code = world.harvest("cashew", "1000")

    def kernels():
        from core.accounts.models import User
        from traceability.models import Batch

        seller = db.session.get(User, world.cashew_user)
        raw = db.session.scalar(select(Batch).where(Batch.code == raw_code))
        outputs = [{"product": "cashew_kernels", "grade": "W320", "quantity": "250", "unit": "kg"}]
        _event, (made,) = operations.transform(seller, inputs=[{"code": raw.code}], outputs=outputs, step="shelling")
        return made.code

    code = seeded(app, kernels)
    listing = create_listing(client, world, "cashew", code, title="Nhân điều W320", quantity="200")
    page = text(client.get("/market"))  # Vietnamese by default
    card = page.split("Nhân điều W320", 1)[0].rsplit('<li class="card">', 1)[1]
    picture = re.search(r"<img [^>]*>", card).group(0)
    assert 'src="/illustrations/cashew.png"' in picture and 'loading="lazy"' in picture
    assert 'width="480"' in picture and 'height="252"' in picture and 'alt="Hình vẽ Nhân điều' in picture
    assert "Nhân trắng nguyên hạt, 320 hạt/pound" in page
    english = text(client.get("/market?lang=en"))
    assert (
        "White whole kernels, 320 per pound" in english and 'alt="Drawing of Cashew kernels (no photo yet)"' in english
    )
    detail = text(client.get(f"/market/listings/{listing['id']}?lang=en"))
    assert "Cashew kernels · White whole kernels, 320 per pound" in detail


def test_a_listing_card_shows_its_first_photo(client, world):
    code = world.harvest("cashew", "1000")
    sign_in(client, world.cashew_login)
    form = {
        "csrf_token": csrf_token(client, "/market/my-listings/new"),
        "batch_code": code,
        "title": "Điều thô có ảnh",
        "price_per_kg": "36.000",
        "quantity": "400",
        "pickup": "y",
        "publish": "y",
        "photo": (io.BytesIO(jpeg_with_gps()), "vuon.jpg"),
    }
    assert client.post("/market/my-listings/new", data=form, content_type="multipart/form-data").status_code == 303
    (photo,) = client.get("/api/v1/listings", headers=world.auth("cashew")).json[0]["photos"]
    page = text(client.get("/market?lang=en"))
    picture = re.search(rf'<img [^>]*src="/files/{photo}/thumb"[^>]*>', page).group(0)
    assert 'alt="Photo of Raw cashew nuts"' in picture and 'loading="lazy"' in picture and 'width="480"' in picture
    assert "/illustrations/cashew.png" not in page
