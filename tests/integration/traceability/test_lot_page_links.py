"""A lot's page for its holder: steps by their names, and the way to its QR code, labels, views and trace page."""

from __future__ import annotations

import re

import pytest

from tests.traceability_builders import BatchWorld


@pytest.fixture
def world(app):
    return BatchWorld(app)


def signed_in(client, user_id: int, lang: str = "en"):
    with client.session_transaction() as session:
        session["_user_id"] = str(user_id)
        session["_fresh"] = True
    client.set_cookie("lang", lang, domain="localhost")
    return client


def visible_text(html: str) -> str:
    return re.sub(r"<[^>]+>", " ", html)


def links(html: str) -> set[str]:
    return set(re.findall(r'(?:href|src)="([^"]+)"', html))


def test_the_harvest_is_named_not_coded(client, world):
    code = world.harvest("an")
    signed_in(client, world.an_user)
    page = client.get(f"/batches/{code}").get_data(as_text=True)
    assert "Harvested" in visible_text(page)
    assert "commissioning" not in visible_text(page)


def test_the_holder_reaches_labels_page_views_the_trace_page_and_the_qr_code(client, world):
    code = world.harvest("an")
    signed_in(client, world.an_user)
    found = links(client.get(f"/batches/{code}").get_data(as_text=True))
    wanted = {
        f"/batches/{code}/labels",
        f"/batches/{code}/scans",
        f"/t/{code}",
        f"/t/{code}/qr.svg",
        f"/t/{code}/qr.png",
    }
    assert wanted <= found
    for url in sorted(wanted):
        assert client.get(url).status_code == 200, url
    assert client.get(f"/t/{code}/qr.svg").mimetype == "image/svg+xml"


def test_a_receiver_before_receipt_sees_the_trace_page_but_not_the_holders_tools(client, world):
    code = world.harvest("an", "500")
    shipped = client.post(
        "/api/v1/shipments",
        json={"batch_code": code, "to_organization_id": world.processor_org},
        headers=world.auth("an"),
    )
    assert shipped.status_code == 201
    signed_in(client, world.processor_user)
    found = links(client.get(f"/batches/{code}").get_data(as_text=True))
    assert f"/t/{code}" in found
    assert f"/batches/{code}/labels" not in found and f"/batches/{code}/scans" not in found


def test_a_vietnamese_lot_page_names_the_steps_in_vietnamese(client, world):
    code = world.harvest("an")
    signed_in(client, world.an_user, lang="vi")
    page = visible_text(client.get(f"/batches/{code}").get_data(as_text=True))
    assert "Thu hoạch" in page and "Harvested" not in page
