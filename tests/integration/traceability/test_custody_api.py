"""Shipping and receiving: a shipped lot is nobody's to act on until the receiver confirms."""

from __future__ import annotations

import pytest

from tests.traceability_builders import BatchWorld


@pytest.fixture
def world(app):
    return BatchWorld(app)


def test_a_shipped_lot_is_the_receivers_to_act_on_only_once_received(client, world):
    code = world.harvest("an", "500")
    shipped = client.post(
        "/api/v1/shipments",
        json={"batch_code": code, "to_organization_id": world.processor_org, "reference": "PX-0042"},
        headers=world.auth("an"),
    )
    assert shipped.status_code == 201, shipped.json
    shipment = shipped.json
    assert shipment["status"] == "in_transit" and shipment["batch_code"] == code

    lot = client.get(
        f"/api/v1/batches/{code}", headers=world.auth("processor")
    ).json  # the receiver sees what is coming
    assert lot["status"] == "in_transit" and lot["shipment"]["id"] == shipment["id"]
    for who in ("an", "processor"):
        assert (
            client.post(f"/api/v1/batches/{code}/events", json={"step": "drying"}, headers=world.auth(who)).status_code
            == 409
        )
        assert (
            client.post(
                f"/api/v1/batches/{code}/split", json={"parts": [{"quantity": "1"}]}, headers=world.auth(who)
            ).status_code
            == 409
        )
    again = client.post(
        "/api/v1/shipments",
        json={"batch_code": code, "to_organization_id": world.outsider_org},
        headers=world.auth("an"),
    )
    assert again.status_code == 409

    assert (
        client.post(f"/api/v1/shipments/{shipment['id']}/receive", json={}, headers=world.auth("an")).status_code == 403
    )
    assert (
        client.post(f"/api/v1/shipments/{shipment['id']}/receive", json={}, headers=world.auth("outsider")).status_code
        == 404
    )
    received = client.post(
        f"/api/v1/shipments/{shipment['id']}/receive", headers=world.auth("processor")
    )  # no body needed
    assert received.status_code == 200 and received.json["status"] == "received"
    assert (
        client.post(f"/api/v1/shipments/{shipment['id']}/receive", json={}, headers=world.auth("processor")).status_code
        == 409
    )

    assert (
        client.post(
            f"/api/v1/batches/{code}/events", json={"step": "drying"}, headers=world.auth("processor")
        ).status_code
        == 201
    )
    assert client.get(f"/api/v1/batches/{code}", headers=world.auth("an")).status_code == 404  # no longer the farmer's
    lot = client.get(f"/api/v1/batches/{code}", headers=world.auth("processor")).json
    assert lot["custodian_id"] == world.processor_org and lot["status"] == "active" and lot["remaining"] == "500"

    lineage = client.get(f"/api/v1/batches/{code}/lineage", headers=world.auth("processor")).json
    assert [h["organization_id"] for h in lineage["custody"]] == [world.an_org, world.processor_org]
    assert [h["organization_name"] for h in lineage["custody"]] == ["Hộ an", "Xưởng điều Lộc Ninh"]

    events = client.get(f"/api/v1/batches/{code}/events", headers=world.auth("processor")).json
    assert [(e["step"], e["disposition"], e["organization_id"]) for e in events] == [
        ("commissioning", "active", world.an_org),
        ("shipping", "in_transit", world.an_org),
        ("receiving", "in_progress", world.processor_org),
        ("drying", None, world.processor_org),
    ]
    assert events[1]["details"]["bizTransactionList"] == [{"type": "desadv", "reference": "PX-0042"}]


def test_shipping_to_nobody_or_to_oneself_is_a_field_error(client, world):
    code = world.harvest("an")
    nobody = client.post(
        "/api/v1/shipments", json={"batch_code": code, "to_organization_id": 99999}, headers=world.auth("an")
    )
    assert nobody.status_code == 422 and "to_organization_id" in nobody.json["errors"]
    itself = client.post(
        "/api/v1/shipments", json={"batch_code": code, "to_organization_id": world.an_org}, headers=world.auth("an")
    )
    assert itself.status_code == 422 and "to_organization_id" in itself.json["errors"]


def test_an_outsider_cannot_ship_or_see_a_shipment(client, world):
    code = world.harvest("an")
    assert (
        client.post(
            "/api/v1/shipments",
            json={"batch_code": code, "to_organization_id": world.outsider_org},
            headers=world.auth("outsider"),
        ).status_code
        == 404
    )
    shipment = client.post(
        "/api/v1/shipments",
        json={"batch_code": code, "to_organization_id": world.processor_org},
        headers=world.auth("an"),
    ).json
    assert client.get(f"/api/v1/shipments/{shipment['id']}", headers=world.auth("outsider")).status_code == 404
    assert (
        client.get(f"/api/v1/shipments/{shipment['id']}", headers=world.auth("processor")).json["status"]
        == "in_transit"
    )
    assert client.get(f"/api/v1/batches/{code}", headers=world.auth("outsider")).status_code == 404


def test_the_custody_chain_dates_handovers_when_they_happened_not_when_they_were_typed_in(client, world):
    code = world.harvest("an")
    shipped = client.post(
        "/api/v1/shipments",
        json={"batch_code": code, "to_organization_id": world.processor_org, "event_time": "2026-03-27T07:30:00+07:00"},
        headers=world.auth("an"),
    ).json
    client.post(
        f"/api/v1/shipments/{shipped['id']}/receive",
        json={"event_time": "2026-03-27T15:00:00+07:00"},
        headers=world.auth("processor"),
    )
    custody = client.get(f"/api/v1/batches/{code}/lineage", headers=world.auth("processor")).json["custody"]
    assert custody[0]["until"].startswith("2026-03-27T00:30:00")  # 07:30 in Vietnam, stored in UTC
    assert custody[1]["since"].startswith("2026-03-27T08:00:00")
