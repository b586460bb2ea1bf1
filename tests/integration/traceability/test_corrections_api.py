"""Corrections never edit history: the original stays, flagged, and corrective events follow."""

from __future__ import annotations

import pytest

from tests.traceability_builders import BatchWorld


@pytest.fixture
def world(app):
    return BatchWorld(app)


def events_of(client, world, code, who="an"):
    return client.get(f"/api/v1/batches/{code}/events", headers=world.auth(who)).json


def test_a_correction_leaves_the_original_visible_and_flagged(client, world):
    code = world.harvest("an")
    wrong = client.post(
        f"/api/v1/batches/{code}/events",
        json={"step": "drying", "measurements": [{"type": "moisture", "value": "30"}]},
        headers=world.auth("an"),
    ).json
    response = client.post(
        f"/api/v1/events/{wrong['id']}/corrections",
        json={
            "reason": "incorrect_data",
            "note": "Moisture misread",
            "corrective": {"step": "drying", "measurements": [{"type": "moisture", "value": "10"}]},
        },
        headers=world.auth("an"),
    )
    assert response.status_code == 201, response.json
    corrective = response.json["corrective_events"]
    assert len(corrective) == 1 and corrective[0]["corrects"] == wrong["event_uuid"]

    events = events_of(client, world, code)
    original = next(e for e in events if e["id"] == wrong["id"])
    assert original["measurements"][0]["value"] == "30"  # unchanged
    assert original["corrected"] is True
    assert original["correction"]["reason"] == "incorrect_data" and original["correction"]["corrective_event_ids"] == [
        corrective[0]["id"]
    ]
    assert [e["corrected"] for e in events] == [False, True, False]
    assert client.get(f"/api/v1/batches/{code}/verification", headers=world.auth("an")).json["valid"] is True

    twice = client.post(
        f"/api/v1/events/{wrong['id']}/corrections", json={"reason": "did_not_occur"}, headers=world.auth("an")
    )
    assert twice.status_code == 409


def test_a_harvest_quantity_is_corrected_by_a_corrective_event(client, world):
    code = world.harvest("an", "1000")
    harvest = events_of(client, world, code)[0]
    down = client.post(
        f"/api/v1/events/{harvest['id']}/corrections",
        json={"reason": "incorrect_data", "quantity": "900"},
        headers=world.auth("an"),
    )
    assert down.status_code == 201, down.json
    assert down.json["corrective_events"][0]["quantities"] == [
        {"batch_code": code, "role": "input", "quantity": "100", "unit": "kg"}
    ]
    lot = client.get(f"/api/v1/batches/{code}", headers=world.auth("an")).json
    assert lot["quantity"] == "900" and lot["remaining"] == "900"

    other = world.harvest("an", "1000")
    harvest = events_of(client, world, other)[0]
    up = client.post(
        f"/api/v1/events/{harvest['id']}/corrections",
        json={"reason": "incorrect_data", "quantity": "1100"},
        headers=world.auth("an"),
    )
    assert up.status_code == 201
    lot = client.get(f"/api/v1/batches/{other}", headers=world.auth("an")).json
    assert lot["quantity"] == "1100" and lot["remaining"] == "1100"
    assert (
        events_of(client, world, other)[0]["quantities"][0]["quantity"] == "1000"
    )  # the original still says what was recorded


def test_a_harvest_that_did_not_occur_empties_the_lot_unless_some_was_used(client, world):
    code = world.harvest("an", "1000")
    harvest = events_of(client, world, code)[0]
    response = client.post(
        f"/api/v1/events/{harvest['id']}/corrections", json={"reason": "did_not_occur"}, headers=world.auth("an")
    )
    assert response.status_code == 201
    lot = client.get(f"/api/v1/batches/{code}", headers=world.auth("an")).json
    assert lot["remaining"] == "0" and lot["status"] == "consumed"

    used = world.harvest("an", "1000")
    client.post(f"/api/v1/batches/{used}/split", json={"parts": [{"quantity": "10"}]}, headers=world.auth("an"))
    harvest = events_of(client, world, used)[0]
    refused = client.post(
        f"/api/v1/events/{harvest['id']}/corrections", json={"reason": "did_not_occur"}, headers=world.auth("an")
    )
    assert refused.status_code == 409


def test_a_weight_loss_that_did_not_occur_is_given_back(client, world):
    code = world.harvest("an", "1000")
    step = client.post(
        f"/api/v1/batches/{code}/events", json={"step": "drying", "quantity_after": "900"}, headers=world.auth("an")
    ).json
    response = client.post(
        f"/api/v1/events/{step['id']}/corrections", json={"reason": "did_not_occur"}, headers=world.auth("an")
    )
    assert response.status_code == 201
    assert client.get(f"/api/v1/batches/{code}", headers=world.auth("an")).json["remaining"] == "1000"


def test_a_split_cannot_be_declared_as_not_having_occurred(client, world):
    code = world.harvest("an", "1000")
    client.post(f"/api/v1/batches/{code}/split", json={"parts": [{"quantity": "10"}]}, headers=world.auth("an"))
    split = events_of(client, world, code)[-1]
    assert (
        client.post(
            f"/api/v1/events/{split['id']}/corrections", json={"reason": "did_not_occur"}, headers=world.auth("an")
        ).status_code
        == 409
    )
    assert (
        client.post(
            f"/api/v1/events/{split['id']}/corrections",
            json={"reason": "incorrect_data", "quantity": "5"},
            headers=world.auth("an"),
        ).status_code
        == 422
    )
    assert (
        client.post(
            f"/api/v1/events/{split['id']}/corrections",
            json={"reason": "incorrect_data", "note": "wrong time"},
            headers=world.auth("an"),
        ).status_code
        == 201
    )


def test_only_the_recording_organization_corrects_its_events(client, world):
    code = world.harvest("an")
    harvest = events_of(client, world, code)[0]
    assert (
        client.post(
            f"/api/v1/events/{harvest['id']}/corrections",
            json={"reason": "did_not_occur"},
            headers=world.auth("outsider"),
        ).status_code
        == 404
    )
    assert (
        client.post(
            f"/api/v1/events/{harvest['id']}/corrections",
            json={"reason": "did_not_occur"},
            headers=world.auth("officer"),
        ).status_code
        == 403
    )
    assert (
        client.post(
            f"/api/v1/events/{harvest['id']}/corrections", json={"reason": "oops"}, headers=world.auth("an")
        ).status_code
        == 422
    )
