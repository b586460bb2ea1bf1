"""The marketplace pages, used the way a phone browser does: no JavaScript, forms with CSRF tokens."""

from __future__ import annotations

import io
import re

from tests.conftest import csrf_token
from tests.integration.core.accounts.helpers import sign_in
from tests.integration.market.conftest import LOC_NINH, create_listing
from tests.unit.core.files.samples import jpeg_with_gps


def text(response) -> str:
    return response.get_data(as_text=True)


def test_browse_filters_and_shows_the_offers(client, world):
    cashew = create_listing(client, world, "cashew", world.harvest("cashew"), title="Điều thô Lộc Ninh")
    create_listing(
        client,
        world,
        "pepper",
        world.harvest("pepper", "300"),
        title="Tiêu tươi Bù Gia Mập",
        quantity="200",
        price_per_kg=60000,
    )
    page = client.get("/market")
    assert page.status_code == 200
    assert "Điều thô Lộc Ninh" in text(page) and "Tiêu tươi Bù Gia Mập" in text(page)
    assert "35.000 ₫" in text(page)  # Vietnamese by default
    narrowed = text(client.get(f"/market?commune={LOC_NINH}&certification=vietgap"))
    assert "Điều thô Lộc Ninh" in narrowed and "Tiêu tươi Bù Gia Mập" not in narrowed
    assert f'href="/market/listings/{cashew["id"]}"' in narrowed


def test_the_listing_page_shows_the_trace_and_the_eudr_badge(client, world):
    code = world.harvest("rubber", "800")
    listing = create_listing(client, world, "rubber", code, title="Mủ nước Phú Riềng", price_per_kg=18000)
    page = text(client.get(f"/market/listings/{listing['id']}?lang=en"))
    assert "EUDR-ready" in page
    assert f'href="/t/{code}"' in page
    assert "Hộ bán rubber" in page and "Xã Phú Riềng" in page
    assert "₫18,000" in page
    draft = create_listing(client, world, "cashew", world.harvest("cashew"), publish=False)
    assert client.get(f"/market/listings/{draft['id']}").status_code == 404


def test_cart_with_two_sellers_checks_out_into_two_orders_and_the_seller_accepts_on_the_order_page(client, world):
    cashew = create_listing(client, world, "cashew", world.harvest("cashew"))
    pepper = create_listing(
        client, world, "pepper", world.harvest("pepper", "300"), title="Tiêu tươi", quantity="200", price_per_kg=60000
    )
    buyer = client
    sign_in(buyer, world.buyer_login)
    for listing, quantity in ((cashew, "20"), (pepper, "5")):
        token = csrf_token(buyer, f"/market/listings/{listing['id']}")
        added = buyer.post(
            "/market/cart/add", data={"csrf_token": token, "listing_id": listing["id"], "quantity": quantity}
        )
        assert added.status_code == 303
    cart = text(buyer.get("/market/cart"))
    assert "Hộ bán cashew" in cart and "Hộ bán pepper" in cart and "₫700,000" in cart  # the importer reads English
    token = csrf_token(buyer, "/market/checkout")
    placed = buyer.post(
        "/market/checkout", data={"csrf_token": token, "payment_method": "cod", "delivery_method": "pickup"}
    )
    assert placed.status_code == 303, text(placed)
    orders = client.get("/api/v1/orders", headers=world.auth("buyer")).json
    assert len(orders) == 2 and {o["seller"]["id"] for o in orders} == {world.cashew_org, world.pepper_org}
    assert "Hộ bán cashew" in text(buyer.get("/market/orders"))
    assert "Your cart is empty" in text(buyer.get("/market/cart?lang=en"))

    cashew_order = next(o for o in orders if o["seller"]["id"] == world.cashew_org)
    seller = client.application.test_client()
    sign_in(seller, world.cashew_login)
    page = text(seller.get(f"/market/orders/{cashew_order['id']}?lang=en"))
    assert "Accept the order" in page and "History" in page
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
    accepted = seller.post(
        f"/market/orders/{cashew_order['id']}/transitions", data={"csrf_token": token, "to": "accepted"}
    )
    assert accepted.status_code == 303
    after = text(seller.get(f"/market/orders/{cashew_order['id']}?lang=en"))
    assert "Accepted" in after and "Mark as shipped" in after
    # A second click on the old button is refused kindly, naming the status the order is in.
    again = seller.post(
        f"/market/orders/{cashew_order['id']}/transitions",
        data={"csrf_token": token, "to": "accepted"},
        follow_redirects=True,
    )
    assert "không thể thực hiện bước đó nữa" in text(again)
    # The other buyer may not open it at all.
    other = client.application.test_client()
    sign_in(other, world.other_buyer_login)
    assert other.get(f"/market/orders/{cashew_order['id']}").status_code == 404


def test_a_seller_offers_part_of_a_lot_with_the_form(client, world):
    code = world.harvest("cashew", "1000")
    sign_in(client, world.cashew_login)
    form = text(client.get("/market/my-listings/new"))
    assert code in form
    data = {
        "csrf_token": csrf_token(client, "/market/my-listings/new"),
        "batch_code": code,
        "title": "Điều thô vụ mới",
        "price_per_kg": "36.000",
        "quantity": "1.001",
        "pickup": "y",
        "fee_province_0": "75",
        "fee_0": "50.000",
        "publish": "y",
    }
    photo = (io.BytesIO(jpeg_with_gps()), "vuon.jpg")
    too_much = client.post("/market/my-listings/new", data={**data, "photo": photo}, content_type="multipart/form-data")
    assert too_much.status_code == 422 and "1000 kg" in text(too_much)
    kept = re.findall(r'name="photos" value="([^"]+)"', text(too_much))
    assert len(kept) == 1  # the photo taken is not asked for again
    saved = client.post("/market/my-listings/new", data={**data, "quantity": "400", "photos": kept})
    assert saved.status_code == 303
    listing = client.get("/api/v1/listings", headers=world.auth("cashew")).json[0]
    assert listing["photos"] == kept
    assert listing["price_per_kg"] == 36000 and listing["quantity"] == "400" and listing["status"] == "active"
    assert listing["delivery_fees"] == {"75": 50000}
    assert "Điều thô vụ mới" in text(client.get("/market/my-listings"))
    edit = f"/market/my-listings/{listing['id']}/edit"
    paused = client.post(
        edit,
        data={
            "csrf_token": csrf_token(client, edit),
            "title": "Điều thô vụ mới",
            "price_per_kg": "36000",
            "quantity": "400",
            "pickup": "y",
            "fee_province_0": "75",
            "fee_0": "50000",
            "status": "paused",
        },
    )
    assert paused.status_code == 303
    assert client.get(f"/api/v1/listings/{listing['id']}").json["status"] == "paused"


def test_a_listing_that_fails_to_publish_leaves_no_draft_behind(client, world, monkeypatch):
    from core.errors import Conflict
    from market.services import listings

    def refuse(listing, status, source):
        raise Conflict(
            f"Lot {source.code} is no longer held by the seller or has nothing left.",
            current_status=listing.status.value,
        )

    code = world.harvest("cashew", "1000")
    sign_in(client, world.cashew_login)
    data = {
        "batch_code": code,
        "title": "Điều thô",
        "price_per_kg": "36000",
        "quantity": "400",
        "pickup": "y",
        "publish": "y",
    }
    with monkeypatch.context() as patched:
        patched.setattr(listings, "_set_status", refuse)  # the publish step fails (the lot changed hands meanwhile)
        for _attempt in range(2):
            failed = client.post(
                "/market/my-listings/new", data={**data, "csrf_token": csrf_token(client, "/market/my-listings/new")}
            )
            assert failed.status_code == 409
    assert client.get("/api/v1/listings?mine=true", headers=world.auth("cashew")).json == []
    saved = client.post(
        "/market/my-listings/new", data={**data, "csrf_token": csrf_token(client, "/market/my-listings/new")}
    )
    assert saved.status_code == 303
    assert [
        listing["status"] for listing in client.get("/api/v1/listings?mine=true", headers=world.auth("cashew")).json
    ] == ["active"]


def test_a_refused_photo_on_the_listing_form_says_why_in_vietnamese(client, world):
    code = world.harvest("cashew", "1000")
    sign_in(client, world.cashew_login)
    data = {
        "csrf_token": csrf_token(client, "/market/my-listings/new"),
        "batch_code": code,
        "title": "Điều thô vụ mới",
        "price_per_kg": "36.000",
        "quantity": "100",
        "pickup": "y",
        "photo": (io.BytesIO(b"not a picture at all"), "ghi-chu.txt"),
    }
    refused = client.post("/market/my-listings/new", data=data, content_type="multipart/form-data")
    assert refused.status_code == 422
    assert "Tệp này không phải là ảnh định dạng JPEG, PNG hoặc WebP." in text(refused)
