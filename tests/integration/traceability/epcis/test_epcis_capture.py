"""EPCIS capture: schema-checked, applied by the worker all or nothing, and a round trip keeps the lineage."""

from __future__ import annotations

import copy
import json
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import func, select

from core.accounts.models import OrganizationKind
from core.extensions import db
from nongsan_app import create_app
from tests.builders import make_org, make_token
from tests.conftest import fresh_database
from tests.conftest import test_overrides as settings_for
from tests.integration.traceability.epcis.conftest import schema_problems
from tests.traceability_builders import quick_user, seeded
from traceability.models import Batch, CaptureJob, Event
from traceability.services import lineage

OTHER_BASE = "https://other.example"


def capture(client, headers, document, **query):
    response = client.post(
        "/api/v1/epcis/capture",
        data=json.dumps(document),
        content_type="application/ld+json",
        headers=headers,
        query_string=query,
    )
    return response


def job_of(client, headers, response):
    assert response.status_code == 202, response.get_data(as_text=True)
    assert response.headers["GS1-EPCIS-Version"] == "2.0.0"
    location = response.headers["Location"]
    assert location == response.get_json()["status_url"]
    job = client.get(location, headers=headers)
    assert job.status_code == 200
    return job.get_json()


def export(client, chain, code=None, who="processor"):
    response = client.get(f"/api/v1/batches/{code or chain.kernels}/epcis", headers=chain.world.auth(who))
    assert response.status_code == 200
    return response.get_json(force=True)


def counts(app):
    return seeded(
        app, lambda: (db.session.scalar(select(func.count(Event.id))), db.session.scalar(select(func.count(Batch.id))))
    )


# -- the empty database a lineage is captured into ------------------------------------------------------------------


@pytest.fixture
def empty(tmp_path: Path) -> Iterator[tuple[Flask, dict]]:
    """Another installation (its own empty database, another public URL) with one exporter and their token."""
    with fresh_database(tmp_path) as url:
        other = create_app(settings_for(url, tmp_path / "instance", PUBLIC_BASE_URL=OTHER_BASE), environ={})
        with other.app_context():
            db.create_all()

        def build():
            user = quick_user("Nhà xuất khẩu")
            org = make_org(OrganizationKind.PROCESSOR, name="Công ty xuất khẩu điều", owner=user)
            return {"Authorization": f"Bearer {make_token(user)}"}, org.id

        headers, org_id = seeded(other, build)
        yield other, {"headers": headers, "org": org_id}
        with other.app_context():
            db.session.remove()
            db.drop_all()
            db.engine.dispose()


def shape(document: dict) -> list[dict]:
    """What a document says happened, with each lot named by the order it first appears in (URIs differ)."""
    names: dict[str, int] = {}
    ids: dict[str, int] = {e["eventID"]: i for i, e in enumerate(document["epcisBody"]["eventList"])}

    def lots(items):
        return sorted((names.setdefault(q["epcClass"], len(names)), q.get("quantity"), q.get("uom")) for q in items)

    described = []
    for event in document["epcisBody"]["eventList"]:
        described.append(
            {
                "eventID": event["eventID"],
                "type": event["type"],
                "action": event.get("action"),
                "bizStep": event["bizStep"].rsplit("/", 1)[-1],
                "disposition": event.get("disposition"),
                "eventTime": event["eventTime"],
                "quantities": lots(event.get("quantityList", [])),
                "inputs": lots(event.get("inputQuantityList", [])),
                "outputs": lots(event.get("outputQuantityList", [])),
                "removed": lots(event.get("nongsan:removedQuantityList", [])),
                "sensors": [
                    (r["type"].rsplit("/", 1)[-1], r["value"], r.get("uom"))
                    for s in event.get("sensorElementList", [])
                    for r in s["sensorReport"]
                ],
                "declaration": (
                    (
                        event["errorDeclaration"]["reason"],
                        [ids[i] for i in event["errorDeclaration"]["correctiveEventIDs"]],
                    )
                    if "errorDeclaration" in event
                    else None
                ),
            }
        )
    return described


def lineage_shape(code: str) -> dict:
    """The lot's lineage as products and quantities: the same in both databases after a round trip."""
    batch = db.session.scalar(select(Batch).where(Batch.code == code))
    ancestors, back = lineage.lineage_nodes(batch, lineage.ANCESTORS)
    descendants, forward = lineage.lineage_nodes(batch, lineage.DESCENDANTS)
    codes = {n.batch.code: n.batch for n in [*ancestors, *descendants]} | {batch.code: batch}

    def lot(b):
        return (b.product, b.grade, b.initial_quantity, b.quantity_remaining, b.unit)

    return {
        "lot": lot(batch),
        "ancestors": sorted((n.depth, *lot(n.batch)) for n in ancestors),
        "descendants": sorted((n.depth, *lot(n.batch)) for n in descendants),
        "edges": sorted((lot(codes[e.parent_code]), lot(codes[e.child_code]), e.quantity) for e in [*back, *forward]),
    }


def test_round_trip_into_an_empty_database_keeps_lineage_and_quantities(client, chain, empty, official_validator):
    other, who = empty
    document = export(client, chain)
    job = job_of(other.test_client(), who["headers"], capture(other.test_client(), who["headers"], document))
    assert job["status"] == "succeeded", job["errors"]
    assert job["success"] is True and job["running"] is False
    assert len(job["events"]) == len(document["epcisBody"]["eventList"])
    kernels_there = job["batches"][f"http://localhost/t/{chain.kernels}"]

    before = seeded(chain.world.app, lambda: lineage_shape(chain.kernels))
    after = seeded(other, lambda: lineage_shape(kernels_there))
    assert after == before
    assert before["ancestors"] and before["descendants"]

    again = (
        other.test_client().get(f"/api/v1/batches/{kernels_there}/epcis", headers=who["headers"]).get_json(force=True)
    )
    assert schema_problems(official_validator, again) == []
    assert shape(again) == shape(document)


def test_capturing_the_same_document_twice_is_refused_whole(client, chain, empty):
    other, who = empty
    document = export(client, chain)
    first = job_of(other.test_client(), who["headers"], capture(other.test_client(), who["headers"], document))
    assert first["status"] == "succeeded"
    events_before = counts(other)
    second = job_of(other.test_client(), who["headers"], capture(other.test_client(), who["headers"], document))
    assert second["status"] == "failed"
    assert {e["code"] for e in second["errors"]} >= {"duplicate_event"}
    assert counts(other) == events_before


def a_harvest(epc_class: str, quantity=500) -> dict:
    return {
        "type": "ObjectEvent",
        "action": "ADD",
        "bizStep": "commissioning",
        "eventTime": "2026-11-02T08:00:00+07:00",
        "eventTimeZoneOffset": "+07:00",
        "quantityList": [{"epcClass": epc_class, "quantity": quantity, "uom": "KGM"}],
        "readPoint": {"id": "https://partner.example/site/1"},
        "ilmd": {"cbvmda:harvestStartDate": "2026-11-01", "cbvmda:harvestEndDate": "2026-11-02"},
    }


def partner_document(*events, classes=("https://partner.example/lot/A",)) -> dict:
    return {
        "@context": [
            "https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld",
            {"nongsan": "http://localhost/voc/"},
        ],
        "type": "EPCISDocument",
        "schemaVersion": "2.0",
        "creationDate": "2026-11-03T00:00:00Z",
        "epcisHeader": {
            "epcisMasterData": {
                "vocabularyList": [
                    {
                        "type": "urn:epcglobal:epcis:vtype:EPCClass",
                        "vocabularyElementList": [
                            {
                                "id": c,
                                "attributes": [
                                    {"id": "nongsan:commodity", "attribute": "pepper"},
                                    {"id": "nongsan:product", "attribute": "black_pepper"},
                                ],
                            }
                            for c in classes
                        ],
                    }
                ]
            }
        },
        "epcisBody": {"eventList": list(events)},
    }


def test_an_unknown_class_becomes_a_lot_of_the_capturing_organization(client, chain):
    headers = chain.world.auth("processor")
    job = job_of(
        client, headers, capture(client, headers, partner_document(a_harvest("https://partner.example/lot/A")))
    )
    assert job["status"] == "succeeded", job["errors"]
    code = job["batches"]["https://partner.example/lot/A"]

    def lot():
        batch = db.session.scalar(select(Batch).where(Batch.code == code))
        return batch.custodian_id, batch.product, batch.initial_quantity, batch.unknown_origin, str(batch.harvest_start)

    assert seeded(chain.world.app, lot) == (chain.world.processor_org, "black_pepper", Decimal(500), True, "2026-11-01")
    # Later documents naming the same class reach the same lot: here a drying step on it.
    step = {
        "type": "ObjectEvent",
        "action": "OBSERVE",
        "bizStep": "http://localhost/voc/bizstep/drying",
        "eventTime": "2026-11-03T08:00:00+07:00",
        "eventTimeZoneOffset": "+07:00",
        "quantityList": [{"epcClass": "https://partner.example/lot/A", "quantity": 500, "uom": "KGM"}],
        "sensorElementList": [
            {"sensorReport": [{"type": "http://localhost/voc/measurement/moisture", "value": 12.5, "uom": "P1"}]}
        ],
    }
    job = job_of(client, headers, capture(client, headers, partner_document(step)))
    assert job["status"] == "succeeded", job["errors"]
    events = client.get(f"/api/v1/batches/{code}/events", headers=headers).get_json()
    assert [e["measurements"] for e in events][-1] == [{"type": "moisture", "value": "12.5", "unit": "percent"}]


def test_one_bad_event_and_nothing_is_applied(client, chain):
    headers = chain.world.auth("processor")
    before = counts(chain.world.app)
    unknown = copy.deepcopy(a_harvest("https://partner.example/lot/B"))
    unknown.update(action="OBSERVE", bizStep="inspecting")
    del unknown["ilmd"]  # an observation makes nothing, so it carries no lot master data
    document = partner_document(
        a_harvest("https://partner.example/lot/A"), unknown, a_harvest("https://partner.example/lot/C")
    )
    job = job_of(client, headers, capture(client, headers, document))
    assert job["status"] == "failed" and job["success"] is False
    assert [(e["index"], e["code"]) for e in job["errors"]] == [(1, "unknown_lot"), (2, "lot_master_data_missing")]
    assert "https://partner.example/lot/B" in job["errors"][0]["message"]
    assert counts(chain.world.app) == before
    assert job["events"] == [] and job["batches"] == {}


def test_lots_of_other_organizations_are_not_touched(client, chain):
    headers = chain.world.auth("cuc")
    step = {
        "type": "ObjectEvent",
        "action": "OBSERVE",
        "bizStep": "inspecting",
        "eventTime": "2026-11-03T08:00:00+07:00",
        "eventTimeZoneOffset": "+07:00",
        "quantityList": [{"epcClass": f"http://localhost/t/{chain.kernels}", "quantity": 1, "uom": "KGM"}],
    }
    before = counts(chain.world.app)
    job = job_of(client, headers, capture(client, headers, partner_document(step)))
    assert job["errors"][0]["code"] == "lot_not_yours"
    assert counts(chain.world.app) == before
    # Nor may another organization read the job.
    other = client.get(job["status_url"], headers=chain.world.auth("an"))
    assert other.status_code == 404


def test_a_document_failing_the_schema_gets_its_errors(client, chain):
    document = partner_document(a_harvest("https://partner.example/lot/A"))
    document["epcisBody"]["eventList"][0]["bizStep"] = "harvesting"  # not CBV, not a URI
    del document["epcisBody"]["eventList"][0]["eventTimeZoneOffset"]
    response = capture(client, chain.world.auth("processor"), document)
    assert response.status_code == 400 and response.mimetype == "application/problem+json"
    problem = response.get_json()
    assert problem["code"] == "schema_invalid"
    paths = " ".join(problem["errors"])
    assert "eventList[0]" in paths
    assert seeded(chain.world.app, lambda: db.session.scalar(select(func.count(CaptureJob.id)))) == 0


def test_a_body_that_is_not_json_is_refused(client, chain):
    headers = chain.world.auth("processor")
    response = client.post("/api/v1/epcis/capture", data="hello", content_type="text/plain", headers=headers)
    assert response.status_code == 415 and response.mimetype == "application/problem+json"
    broken = client.post("/api/v1/epcis/capture", data="{", content_type="application/json", headers=headers)
    assert broken.status_code == 400
    assert client.post("/api/v1/epcis/capture", json={}).status_code == 401


def test_without_the_schema_capture_says_it_is_not_configured(make_app, chain):
    app = make_app(EPCIS_SCHEMA_DIR="")
    response = capture(app.test_client(), chain.world.auth("processor"), partner_document(a_harvest("urn:x:1")))
    assert response.status_code == 503
    assert response.get_json()["code"] == "capture_not_configured"


# -- GS1's own examples ------------------------------------------------------------------------------------------

# What each official example asks for that we do not do, or that we do: a precise refusal per event.
EXPECTED = {
    "AssociationEvent-a.jsonld": ["event_type_unsupported"],
    "Example_9.6.3-AggregationEvent.jsonld": ["event_type_unsupported"],
    "Example_9.6.1-ObjectEvent.jsonld": ["instance_epcs_unsupported", "instance_epcs_unsupported"],
    "Example-TransactionEvents-2020_07_03y.jsonld": ["instance_epcs_unsupported", "instance_epcs_unsupported"],
    "Example_9.6.4-TransformationEvent.jsonld": ["instance_epcs_unsupported"],
    "Example_9.6.4-TransformationEventWithDigitalLink.jsonld": ["instance_epcs_unsupported"],
    "ErrorDeclarationAndCorrectiveEvent.jsonld": ["instance_epcs_unsupported", "instance_epcs_unsupported"],
    "SensorDataExample14.jsonld": ["instance_epcs_unsupported"],
    "object_event_all_possible_fields.jsonld": ["instance_epcs_unsupported"],
}


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_official_examples_are_captured_or_refused_precisely(client, chain, standards, name):
    document = json.loads((standards / "examples" / name).read_text(encoding="utf-8"))
    headers = chain.world.auth("processor")
    before = counts(chain.world.app)
    job = job_of(client, headers, capture(client, headers, document))
    assert [e["code"] for e in job["errors"]] == EXPECTED[name]
    assert [e["index"] for e in job["errors"]] == list(range(len(EXPECTED[name])))
    assert all(e["field"] for e in job["errors"])
    assert counts(chain.world.app) == before


def test_a_query_document_is_not_a_capture(client, chain, standards):
    document = json.loads((standards / "examples" / "EPCISQueryDocument.jsonld").read_text(encoding="utf-8"))
    response = capture(client, chain.world.auth("processor"), document)
    assert response.status_code == 400 and response.get_json()["code"] == "not_epcis_document"


def test_every_official_example_is_covered(standards):
    names = {p.name for p in (standards / "examples").glob("*.jsonld")} - {"EPCISQueryDocument.jsonld"}
    assert names == set(EXPECTED)
