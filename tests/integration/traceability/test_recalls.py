"""Recalls: a lot and everything made from it marked recalled, each with a ledger event; recall_status for the trace
page."""

from __future__ import annotations

from decimal import Decimal

import pytest
from sqlalchemy import select

from core.accounts.models import User
from core.extensions import db
from tests.traceability_builders import BatchWorld, seeded
from traceability.models import Event, EventQuantity
from traceability.services import custody, integrity, operations
from traceability.services.access import find_batch
from traceability.services.recalls import recall_status, recall_statuses


@pytest.fixture
def world(app):
    return BatchWorld(app)


@pytest.fixture
def family(world):
    """A harvest split in two; one part merged with another harvest; the merged lot split again. And a stranger lot."""

    parent, other, stranger = world.harvest("an", "1000"), world.harvest("an", "400"), world.harvest("an", "50")

    def build():
        user = db.session.get(User, world.an_user)
        _p, (left, right) = operations.split(
            user, parent, parts=[{"quantity": Decimal(300)}, {"quantity": Decimal(200)}]
        )
        left_code, right_code = left.code, right.code
        merged, _warnings = operations.merge(user, [left_code, other])
        merged_code = merged.code
        _m, (grandchild,) = operations.split(user, merged_code, parts=[{"quantity": Decimal(100)}])
        return {
            "parent": parent,
            "left": left_code,
            "right": right_code,
            "other": other,
            "merged": merged_code,
            "grandchild": grandchild.code,
            "stranger": stranger,
        }

    return seeded(world.app, build)


def recall(client, world, code, who="an", reason="Aflatoxin above the limit in a sample", **headers):
    return client.post(
        f"/api/v1/batches/{code}/recalls", json={"reason": reason}, headers={**world.auth(who), **headers}
    )


def test_a_recall_of_a_parent_marks_every_descendant(app, client, world, family):
    response = recall(client, world, family["parent"])
    assert response.status_code == 201, response.json
    body = response.json
    descendants = sorted([family["left"], family["right"], family["merged"], family["grandchild"]])
    assert body["affected"] == [family["parent"], *descendants]
    assert body["batch_code"] == family["parent"] and body["reason"] == "Aflatoxin above the limit in a sample"
    assert body["organization_name"] == "Hộ an"

    with app.app_context():
        for code in (family["parent"], *descendants):
            status = recall_status(find_batch(code))
            assert status is not None and status.id == body["id"] and status.reason == body["reason"], code
        # The other input of the merge and an unrelated lot are not recalled.
        assert recall_status(find_batch(family["other"])) is None
        assert recall_status(find_batch(family["stranger"])) is None
        statuses = recall_statuses([find_batch(c).id for c in (family["grandchild"], family["stranger"])])
        assert list(statuses) == [find_batch(family["grandchild"]).id]


def test_each_recalled_lot_gets_a_recalled_event_on_its_intact_history(app, client, world, family):
    recall(client, world, family["parent"])
    with app.app_context():
        for code in (family["parent"], family["grandchild"]):
            batch = find_batch(code)
            events = db.session.scalars(
                select(Event)
                .join(EventQuantity, EventQuantity.event_id == Event.id)
                .where(EventQuantity.batch_id == batch.id)
            ).all()
            recalls = [e for e in events if e.disposition == "recalled"]
            assert len(recalls) == 1
            (event,) = recalls
            assert (event.type.value, event.action, event.biz_step, event.operation) == (
                "ObjectEvent",
                "OBSERVE",
                "holding",
                "recall",
            )
            assert event.note == "Aflatoxin above the limit in a sample"
            user = db.session.get(User, world.an_user)
            assert integrity.verify(user, code)["ok"] is True


def test_a_department_officer_may_recall_any_lot(client, world, family):
    response = recall(client, world, family["merged"], who="officer")
    assert response.status_code == 201
    assert response.json["affected"] == [family["merged"], family["grandchild"]]
    assert response.json["organization_name"] == "Sở NN&MT Đồng Nai"


def test_others_are_told_the_lot_does_not_exist_and_readers_may_not_recall(app, client, world, family):
    assert recall(client, world, family["parent"], who="outsider").status_code == 404
    assert (
        client.post(f"/api/v1/batches/{family['parent']}/recalls", json={"reason": "No token here"}).status_code == 401
    )

    def ship():
        custody.ship(db.session.get(User, world.an_user), family["stranger"], to_organization_id=world.processor_org)

    seeded(app, ship)
    # The receiver of a lot in transit may read it but not recall it.
    assert recall(client, world, family["stranger"], who="processor").status_code == 403


def test_the_reason_is_required(client, world, family):
    for reason in ("", "  bad "):
        response = recall(client, world, family["parent"], reason=reason)
        assert response.status_code == 422 and "reason" in response.json["errors"]
    assert client.post(f"/api/v1/batches/{family['parent']}/recalls", json={}, headers=world.auth("an")).json[
        "errors"
    ] == {"reason": ["Missing data for required field."]}


def test_a_second_recall_marks_only_lots_not_yet_recalled(client, world, family):
    assert recall(client, world, family["merged"], who="officer").status_code == 201
    again = recall(client, world, family["parent"])
    assert again.status_code == 201
    assert again.json["affected"] == [family["parent"], *sorted([family["left"], family["right"]])]
    assert recall(client, world, family["grandchild"]).status_code == 409


def test_a_retried_recall_with_the_same_idempotency_key_recalls_once(client, world, family):
    first = recall(client, world, family["parent"], **{"Idempotency-Key": "recall-1"})
    second = recall(client, world, family["parent"], **{"Idempotency-Key": "recall-1"})
    assert first.status_code == second.status_code == 201
    assert second.json == first.json and second.headers["Idempotent-Replayed"] == "true"


def test_a_recalled_lot_cannot_be_split_or_shipped_but_its_destruction_is_recorded(client, world, family):
    assert recall(client, world, family["parent"]).status_code == 201

    split = client.post(
        f"/api/v1/batches/{family['right']}/split", json={"parts": [{"quantity": "10"}]}, headers=world.auth("an")
    )
    assert split.status_code == 409
    assert "recalled" in split.json["detail"]

    step = client.post(
        f"/api/v1/batches/{family['right']}/events",
        json={"step": "destroying", "note": "Burnt under supervision"},
        headers=world.auth("an"),
    )
    assert step.status_code == 201, step.json

    # A lot outside the recalled family is untouched.
    untouched = client.post(
        f"/api/v1/batches/{family['stranger']}/split", json={"parts": [{"quantity": "10"}]}, headers=world.auth("an")
    )
    assert untouched.status_code == 201, untouched.json
