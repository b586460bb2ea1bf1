"""Refusals carry a code: the API keeps its English sentence, a Vietnamese page says it in Vietnamese with its numbers;
and a refused checkout leaves nothing of itself behind."""

from __future__ import annotations

from sqlalchemy import func, select

from core.extensions import db
from market.errors import ListingSoldOutError
from market.models import Listing, Order, OrderLine, OrderStatusChange, Payment, Reservation
from market.services import orders
from tests.conftest import csrf_token
from tests.integration.core.accounts.helpers import sign_in
from tests.integration.market.conftest import create_listing, place
from tests.integration.market.test_lot_changes import recall


def test_a_vietnamese_checkout_says_how_much_is_left_in_vietnamese_and_the_api_gives_the_code(client, world):
    listing = create_listing(client, world, "cashew", world.harvest("cashew", "3000"), quantity="2500")
    sign_in(client, world.other_buyer_login)  # reads Vietnamese
    token = csrf_token(client, f"/market/listings/{listing['id']}")
    added = client.post("/market/cart/add", data={"csrf_token": token, "listing_id": listing["id"], "quantity": "2000"})
    assert added.status_code == 303
    assert place(client, world, "buyer", [(listing["id"], "1300")]).status_code == 201  # 1200 kg left

    refused = client.post(
        "/market/checkout",
        data={
            "csrf_token": csrf_token(client, "/market/checkout"),
            "payment_method": "cod",
            "delivery_method": "pickup",
        },
    )
    assert refused.status_code == 409
    assert f"Tin bán {listing['id']} chỉ còn 1.200 kg." in refused.get_data(as_text=True)

    api = place(client, world, "buyer", [(listing["id"], "1500")])
    assert api.status_code == 409
    assert api.json["code"] == "sold_out"
    assert api.json["detail"] == f"Listing {listing['id']} has 1200 kg left; 1500 kg was asked."
    assert api.json["errors"] == {"items": [f"Only 1200 kg of listing {listing['id']} is left."]}


def test_a_refused_recall_checkout_has_its_code(client, world):
    code = world.harvest("cashew", "1000")
    listing = create_listing(client, world, "cashew", code, quantity="500")
    recall(client, world, "cashew", code)
    refused = place(client, world, "buyer", [(listing["id"], "100")])
    assert refused.status_code == 409 and refused.json["code"] == "lot_recalled"
    assert refused.json["detail"] == (
        f"Listing {listing['id']} cannot be ordered: Lot {code} is recalled; nothing of it can be sold."
    )


def _counts(app) -> dict[str, int]:
    with app.app_context():
        counted = {
            model.__name__: db.session.scalar(select(func.count()).select_from(model))
            for model in (Order, OrderLine, OrderStatusChange, Payment, Reservation)
        }
        counted["reserved_g"] = db.session.scalar(select(func.coalesce(func.sum(Listing.reserved_g), 0)))
        db.session.remove()
    return counted


def test_a_refused_checkout_leaves_no_order_reservation_or_payment_behind(client, world):
    cashew = create_listing(client, world, "cashew", world.harvest("cashew"), quantity="500")
    pepper = create_listing(
        client, world, "pepper", world.harvest("pepper", "300"), title="Tiêu tươi", quantity="200", price_per_kg=60000
    )
    before = _counts(world.app)
    # The cashew item alone could be reserved and ordered; the pepper one asks for more than is offered.
    refused = place(client, world, "buyer", [(cashew["id"], "100"), (pepper["id"], "250")])
    assert refused.status_code == 409 and refused.json["code"] == "sold_out"
    assert _counts(world.app) == before
    assert client.get(f"/api/v1/listings/{cashew['id']}").json["available"] == "500"


def test_a_checkout_failing_after_its_first_order_was_written_leaves_nothing_behind(client, world, monkeypatch):
    cashew = create_listing(client, world, "cashew", world.harvest("cashew"), quantity="500")
    pepper = create_listing(
        client, world, "pepper", world.harvest("pepper", "300"), title="Tiêu tươi", quantity="200", price_per_kg=60000
    )
    before = _counts(world.app)
    written = []

    def second_seller_fails(*args):
        if written:  # the first seller's order, payment and reservations are flushed by now
            raise ListingSoldOutError("Sold out meanwhile.")
        written.append(make_order(*args))
        return written[0]

    make_order = orders._order
    monkeypatch.setattr(orders, "_order", second_seller_fails)
    refused = place(client, world, "buyer", [(cashew["id"], "100"), (pepper["id"], "50")])
    assert refused.status_code == 409 and written
    assert _counts(world.app) == before
    assert client.get(f"/api/v1/listings/{pepper['id']}").json["available"] == "200"
