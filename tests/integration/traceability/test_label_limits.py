"""A label sheet is for what is left of a lot, not for what was harvested."""

from __future__ import annotations

import pytest

from tests.traceability_builders import BatchWorld


@pytest.fixture
def world(app):
    return BatchWorld(app)


def test_labels_cannot_weigh_more_than_what_remains(client, world):
    code = world.harvest("an", "1000")
    split = client.post(
        f"/api/v1/batches/{code}/split", json={"parts": [{"quantity": "900"}]}, headers=world.auth("an")
    )
    assert split.status_code == 201
    too_many = client.post(
        f"/api/v1/batches/{code}/label-sheets",
        json={"count": 3, "format": "a4", "net_weight_kg": "50"},
        headers=world.auth("an"),
    )
    assert too_many.status_code == 422
    assert too_many.json["errors"]["count"] == [
        "These bags together weigh more than the lot: print fewer labels or lower the weight per bag."
    ]
    enough = client.post(
        f"/api/v1/batches/{code}/label-sheets",
        json={"count": 2, "format": "a4", "net_weight_kg": "50"},
        headers=world.auth("an"),
    )
    assert enough.status_code == 202, enough.json
