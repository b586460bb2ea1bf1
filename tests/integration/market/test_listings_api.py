"""Listings: made from a lot the seller holds, never offering more than it has, only the seller edits them."""

from __future__ import annotations

from tests.integration.market.conftest import create_listing, listing_payload


def test_a_listing_is_created_as_a_draft_with_the_documented_shape(client, world):
    code = world.harvest("cashew", "1000")
    response = client.post(
        "/api/v1/listings",
        json=listing_payload(code, title_en="Raw cashew nuts", min_order_quantity="50"),
        headers=world.auth("cashew"),
    )
    assert response.status_code == 201, response.json
    listing = response.json
    assert {
        "id",
        "batch_code",
        "title",
        "title_en",
        "description",
        "price_per_kg",
        "quantity",
        "min_order_quantity",
        "payment_methods",
        "status",
    } <= set(listing)
    assert listing["status"] == "draft"
    assert listing["batch_code"] == code
    assert listing["price_per_kg"] == 35000
    assert listing["quantity"] == "500" and listing["min_order_quantity"] == "50"
    assert listing["payment_methods"] == ["cod"]
    assert listing["trace_url"].endswith(f"/t/{code}")
    assert listing["certifications"] == ["vietgap"]
    assert listing["commune_codes"] == ["25270"]


def test_a_draft_is_invisible_to_others_and_published_listings_are_public(client, world):
    code = world.harvest("cashew")
    draft = create_listing(client, world, "cashew", code, publish=False)
    assert client.get(f"/api/v1/listings/{draft['id']}").status_code == 404
    assert client.get(f"/api/v1/listings/{draft['id']}", headers=world.auth("cashew")).json["status"] == "draft"
    client.patch(f"/api/v1/listings/{draft['id']}", json={"status": "active"}, headers=world.auth("cashew"))
    public = client.get(f"/api/v1/listings/{draft['id']}").json
    assert public["status"] == "active" and public["published_at"]
    assert public["reserved"] is None and public["sold"] is None  # the seller's figures stay the seller's
    trace = public["trace"]
    assert trace["code"] == code and trace["farms"] == ["Hộ bán cashew"] and trace["plot_count"] == 1
    assert trace["certifications"] == ["vietgap"] and trace["eudr_applicable"] is False


def test_a_listing_never_offers_more_than_the_lot_has_left_after_its_other_listings(client, world):
    code = world.harvest("cashew", "1000")
    too_much = client.post(
        "/api/v1/listings", json=listing_payload(code, quantity="1001"), headers=world.auth("cashew")
    )
    assert too_much.status_code == 422
    assert "1000 kg" in too_much.json["errors"]["quantity"][0]
    create_listing(client, world, "cashew", code, quantity="700")
    second = client.post("/api/v1/listings", json=listing_payload(code, quantity="301"), headers=world.auth("cashew"))
    assert second.status_code == 422 and "300 kg" in second.json["errors"]["quantity"][0]
    assert (
        client.post(
            "/api/v1/listings", json=listing_payload(code, quantity="300"), headers=world.auth("cashew")
        ).status_code
        == 201
    )


def test_only_the_holder_of_a_lot_may_list_it(client, world):
    code = world.harvest("cashew")
    assert client.post("/api/v1/listings", json=listing_payload(code), headers=world.auth("pepper")).status_code == 404
    assert client.post("/api/v1/listings", json=listing_payload(code)).status_code == 401


def test_a_seller_cannot_touch_another_sellers_listing(client, world):
    listing = create_listing(client, world, "cashew", world.harvest("cashew"))
    response = client.patch(f"/api/v1/listings/{listing['id']}", json={"price_per_kg": 1}, headers=world.auth("pepper"))
    assert response.status_code == 404
    assert client.get(f"/api/v1/listings/{listing['id']}").json["price_per_kg"] == 35000


def test_card_and_vietqr_are_refused_clearly_where_they_cannot_work(client, world):
    """No Stripe keys on this server: no cards; no bank account given by the seller: no transfers."""
    code = world.harvest("cashew")
    for method, says in (("card", "not set up on this server"), ("vietqr", "Add the bank account")):
        response = client.post(
            "/api/v1/listings",
            json=listing_payload(code, payment_methods=["cod", method]),
            headers=world.auth("cashew"),
        )
        assert response.status_code == 422
        assert says in response.json["errors"]["payment_methods"][0]


def test_whole_kilograms_for_raw_nuts_and_tiers_must_get_cheaper(client, world):
    code = world.harvest("cashew")
    fraction = client.post(
        "/api/v1/listings", json=listing_payload(code, quantity="12.5"), headers=world.auth("cashew")
    )
    assert fraction.status_code == 422 and "Whole kilograms" in fraction.json["errors"]["quantity"][0]
    dearer = client.post(
        "/api/v1/listings",
        json=listing_payload(code, price_tiers=[{"min_quantity": "100", "price_per_kg": 36000}]),
        headers=world.auth("cashew"),
    )
    assert dearer.status_code == 422 and "price_tiers" in dearer.json["errors"]
    tiers = [{"min_quantity": "200", "price_per_kg": 33000}, {"min_quantity": "100", "price_per_kg": 34000}]
    good = client.post(
        "/api/v1/listings", json=listing_payload(code, price_tiers=tiers), headers=world.auth("cashew")
    ).json
    assert good["price_tiers"] == [
        {"min_quantity": "100", "price_per_kg": 34000},
        {"min_quantity": "200", "price_per_kg": 33000},
    ]


def test_quantity_cannot_drop_below_what_is_reserved_or_sold(client, world):
    listing = create_listing(client, world, "cashew", world.harvest("cashew"), quantity="100")
    order = client.post(
        "/api/v1/orders",
        json={"items": [{"listing_id": listing["id"], "quantity": "60"}], "payment_method": "cod"},
        headers=world.auth("buyer"),
    )
    assert order.status_code == 201, order.json
    lower = client.patch(f"/api/v1/listings/{listing['id']}", json={"quantity": "50"}, headers=world.auth("cashew"))
    assert lower.status_code == 422 and "60 kg" in lower.json["errors"]["quantity"][0]
    fine = client.patch(f"/api/v1/listings/{listing['id']}", json={"quantity": "60"}, headers=world.auth("cashew")).json
    assert fine["status"] == "sold_out" and fine["available"] == "0" and fine["reserved"] == "60"


def test_a_rubber_listing_carries_the_eudr_badge_only_when_every_plot_is_ready(client, world):
    ready = create_listing(
        client, world, "rubber", world.harvest("rubber", "800"), title="Mủ nước Phú Riềng", price_per_kg=18000
    )
    not_ready = create_listing(
        client, world, "rubber", world.harvest("rubber", "800", plot="rubber_bare_plot"), price_per_kg=17000
    )
    assert ready["eudr_ready"] is True and not_ready["eudr_ready"] is False
    detail = client.get(f"/api/v1/listings/{not_ready['id']}").json
    assert detail["trace"]["eudr_reasons"]
    cashew = create_listing(client, world, "cashew", world.harvest("cashew"))
    assert cashew["eudr_ready"] is None  # the regulation does not cover cashew


def test_my_listings_include_drafts_and_need_a_token(client, world):
    code = world.harvest("cashew")
    create_listing(client, world, "cashew", code, publish=False, quantity="10")
    create_listing(client, world, "cashew", code, quantity="10")
    assert client.get("/api/v1/listings?mine=true").status_code == 401
    mine = client.get("/api/v1/listings?mine=true", headers=world.auth("cashew"))
    assert sorted(item["status"] for item in mine.json) == ["active", "draft"]
    assert [item["status"] for item in client.get("/api/v1/listings").json] == ["active"]
