"""My lots keeps what a household produced after it left: shipped or sold, to whom, when, linked to its trace page."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from sqlalchemy import select

from core.accounts.models import User
from core.extensions import db
from tests.traceability_builders import BatchWorld, seeded
from traceability.services import fulfilment
from traceability.views import batches as batch_views


@pytest.fixture
def world(app):
    return BatchWorld(app)


def signed_in(client, user_id: int, lang: str):
    with client.session_transaction() as session:
        session["_user_id"] = str(user_id)
        session["_fresh"] = True
    client.set_cookie("lang", lang, domain="localhost")
    return client


def shipped_section(client) -> str:
    page = client.get("/batches").get_data(as_text=True)
    assert 'id="shipped"' in page, "no shipped-or-sold section"
    return page.split('id="shipped"', 1)[1]


def ship_and_receive(client, world, code: str, reference: str | None = None) -> None:
    body = {"batch_code": code, "to_organization_id": world.processor_org}
    if reference:
        body["reference"] = reference
    shipment = client.post("/api/v1/shipments", json=body, headers=world.auth("an")).json
    received = client.post(f"/api/v1/shipments/{shipment['id']}/receive", json={}, headers=world.auth("processor"))
    assert received.status_code == 200, received.json


def test_a_lot_shipped_and_received_elsewhere_stays_on_the_farmers_list(client, world):
    code = world.harvest("an", "500")
    ship_and_receive(client, world, code, reference="PN-HTX-001")
    signed_in(client, world.an_user, "en")
    section = shipped_section(client)
    assert "Shipped or sold" in client.get("/batches").get_data(as_text=True)
    assert code in section and f'href="/t/{code}"' in section  # its public page: no longer the farmer's to edit
    assert f"/batches/{code}" not in section
    assert "Shipped to Xưởng điều Lộc Ninh" in section and "delivery note PN-HTX-001" in section
    assert "500 kg" in section and "Shipped on" in section and "received on" in section

    signed_in(client, world.an_user, "vi")
    section = shipped_section(client)
    assert "Đã giao cho Xưởng điều Lộc Ninh" in section and "phiếu giao hàng PN-HTX-001" in section
    assert "Đã giao hoặc đã bán" in client.get("/batches").get_data(as_text=True)


def test_a_lot_still_on_its_way_is_among_the_held_lots_with_where_it_goes(client, world):
    code = world.harvest("an", "500")
    signed_in(client, world.processor_user, "en")
    page = client.get("/batches").get_data(as_text=True)
    assert 'id="shipped"' not in page
    client.post(
        "/api/v1/shipments",
        json={"batch_code": code, "to_organization_id": world.processor_org},
        headers=world.auth("an"),
    )
    signed_in(client, world.an_user, "en")
    page = client.get("/batches").get_data(as_text=True)
    assert 'id="shipped"' not in page  # still on its way: shown among the lots, in transit, with where it goes
    assert "In transit · to Xưởng điều Lộc Ninh" in page


def test_a_sold_quantity_shows_the_buyer_and_the_order(app, client, world):
    code = world.harvest("an", "800")

    def sell():
        seller = db.session.get(User, world.an_user)
        from traceability.models import Batch

        lot = db.session.scalar(select(Batch).where(Batch.code == code))
        (delivery,) = fulfilment.ship_to_buyer(
            seller, [(lot.id, Decimal("300"))], buyer_organization_id=world.processor_org, reference="DH-2026-0042"
        )
        fulfilment.receive_for_buyer(seller, [delivery.shipment_id])
        db.session.commit()
        return delivery.code

    sold = seeded(app, sell)
    signed_in(client, world.an_user, "en")
    section = shipped_section(client)
    assert sold in section and "Sold to Xưởng điều Lộc Ninh" in section and "order DH-2026-0042" in section
    assert "300 kg" in section
    held = client.get("/batches").get_data(as_text=True).split('id="shipped"', 1)[0]
    assert code in held  # what is left of the lot is still the farmer's

    signed_in(client, world.an_user, "vi")
    section = shipped_section(client)
    assert "Đã bán cho Xưởng điều Lộc Ninh" in section and "đơn hàng DH-2026-0042" in section


def test_the_shipped_list_is_paged(client, world, monkeypatch):
    monkeypatch.setattr(batch_views, "PAGE_SIZE", 2)
    codes = [world.harvest("an", "100") for _ in range(3)]
    for code in codes:
        ship_and_receive(client, world, code)
    signed_in(client, world.an_user, "en")
    first = shipped_section(client)
    assert sum(code in first for code in codes) == 2 and "sent_page=2" in first
    second = client.get("/batches?sent_page=2").get_data(as_text=True).split('id="shipped"', 1)[1]
    assert sum(code in second for code in codes) == 1


def test_the_demo_farmer_sees_the_harvest_shipped_to_the_coop(app, client):
    result = app.test_cli_runner().invoke(args=["seed-demo"])
    assert result.exit_code == 0, result.output
    farmer_id = seeded(app, lambda: db.session.scalar(select(User.id).where(User.phone == "+84912000111")))
    signed_in(client, farmer_id, "vi")
    section = shipped_section(client)
    assert "Đã giao cho Hợp tác xã Điều Bù Gia Mập" in section and "phiếu giao hàng PN-HTX-001" in section
    assert re.search(r'href="/t/[A-Z0-9]+"', section)
