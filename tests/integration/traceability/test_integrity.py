"""Tamper evidence: an event edited behind the application's back is named by verification."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from core.extensions import db
from tests.traceability_builders import BatchWorld


@pytest.fixture
def world(app):
    return BatchWorld(app)


def kernel_lot(client, world) -> tuple[str, list[str]]:
    codes = [world.harvest(who, "1000") for who in ("an", "binh")]
    for who, code in zip(("an", "binh"), codes, strict=True):
        shipment = client.post(
            "/api/v1/shipments",
            json={"batch_code": code, "to_organization_id": world.processor_org},
            headers=world.auth(who),
        ).json
        client.post(f"/api/v1/shipments/{shipment['id']}/receive", json={}, headers=world.auth("processor"))
    merged = client.post("/api/v1/merges", json={"inputs": codes}, headers=world.auth("processor")).json["batch"][
        "code"
    ]
    body = {
        "inputs": [{"code": merged}],
        "outputs": [{"product": "cashew_kernels", "grade": "W320", "quantity": "460"}],
        "step": "shelling",
    }
    kernels = client.post("/api/v1/transformations", json=body, headers=world.auth("processor")).json["outputs"][0][
        "code"
    ]
    return kernels, codes


def harvest_event_id(client, world, code) -> int:
    return client.get(f"/api/v1/batches/{code}/events", headers=world.auth("processor")).json[0]["id"]


def sql(app, statement: str, **params) -> None:
    with app.app_context(), db.engine.begin() as conn:
        conn.execute(text(statement), params)


def verification(client, world, code) -> dict:
    response = client.get(f"/api/v1/batches/{code}/verification", headers=world.auth("processor"))
    assert response.status_code == 200
    return response.json


def test_an_untouched_lineage_verifies(client, world):
    kernels, _codes = kernel_lot(client, world)
    result = verification(client, world, kernels)
    assert result["valid"] is True and result["first_invalid_event"] is None
    assert result["checked"] == 8  # 2 harvests, 2 shipments, 2 receipts, the merge, the transformation


def test_editing_an_event_note_names_that_event(app, client, world):
    kernels, codes = kernel_lot(client, world)
    target = harvest_event_id(client, world, codes[1])
    sql(app, "UPDATE events SET note = 'changed later' WHERE id = :id", id=target)
    result = verification(client, world, kernels)
    assert result["valid"] is False
    assert result["first_invalid_event"]["id"] == target
    assert result["first_invalid_event"]["batch_code"] == codes[1]
    assert "content" in result["first_invalid_event"]["reason"]


def test_editing_a_quantity_names_that_event(app, client, world):
    kernels, codes = kernel_lot(client, world)
    target = harvest_event_id(client, world, codes[0])
    sql(app, "UPDATE event_quantities SET quantity = 1200 WHERE event_id = :id", id=target)
    result = verification(client, world, kernels)
    assert result["ok"] is False and result["first_bad_event"]["id"] == target


def test_rewriting_an_events_hash_breaks_the_next_link(app, client, world):
    kernels, codes = kernel_lot(client, world)
    target = harvest_event_id(client, world, codes[0])
    sql(app, "UPDATE events SET note = 'x', content_hash = :h WHERE id = :id", h="0" * 64, id=target)
    result = verification(client, world, kernels)
    assert result["first_bad_event"]["id"] == target  # its content no longer matches the (forged) hash


def test_changing_a_remaining_quantity_is_reported(app, client, world):
    code = world.harvest("an", "1000")
    sql(app, "UPDATE batches SET quantity_remaining = 999 WHERE code = :code", code=code)
    result = client.get(f"/api/v1/batches/{code}/verification", headers=world.auth("an")).json
    assert result["valid"] is False and result["remaining_mismatches"] == [code]
