"""Tamper evidence: an event edited behind the application's back is named by verification."""

from __future__ import annotations

import pytest
from sqlalchemy import select, text

from core.extensions import db
from tests.traceability_builders import BatchWorld, seeded
from traceability.models import Batch, LedgerAudit, LedgerFinding
from traceability.services import integrity


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


def audit_findings(app) -> tuple[dict, list[tuple]]:
    """Run the full ledger audit; (its figures, its findings as (event id, lot code, reason))."""
    with app.app_context():
        audit = integrity.audit_ledger()
        rows = db.session.execute(
            select(LedgerFinding.event_id, Batch.code, LedgerFinding.reason)
            .outerjoin(Batch, Batch.id == LedgerFinding.batch_id)
            .where(LedgerFinding.audit_id == audit.id)
            .order_by(LedgerFinding.id)
        ).all()
        figures = {
            "events": audit.events_checked,
            "batches": audit.batches_checked,
            "problems": audit.problems,
            "finished": audit.finished_at is not None,
            "last_event_id": audit.last_event_id,
        }
        db.session.remove()
    return figures, [tuple(row) for row in rows]


def test_the_full_audit_of_an_untouched_ledger_finds_nothing(app, client, world, monkeypatch):
    kernel_lot(client, world)
    monkeypatch.setattr(integrity, "AUDIT_CHUNK", 3)  # several chunks: links are followed across them
    figures, findings = audit_findings(app)
    assert findings == [] and figures["problems"] == 0 and figures["finished"]
    assert figures["events"] == 8 and figures["batches"] == 4


@pytest.mark.parametrize("chunk", [3, 5000])
def test_the_full_audit_names_each_altered_event_and_lot(app, client, world, monkeypatch, chunk):
    monkeypatch.setattr(integrity, "AUDIT_CHUNK", chunk)
    kernels, codes = kernel_lot(client, world)
    edited = harvest_event_id(client, world, codes[1])
    forged = harvest_event_id(client, world, codes[0])
    sql(app, "UPDATE events SET note = 'changed later' WHERE id = :id", id=edited)
    sql(app, "UPDATE events SET content_hash = :h WHERE id = :id", h="0" * 64, id=forged)
    sql(app, "UPDATE batches SET quantity_remaining = 1 WHERE code = :code", code=kernels)
    figures, findings = audit_findings(app)
    next_of_forged = client.get(f"/api/v1/batches/{codes[0]}/events", headers=world.auth("processor")).json[1]["id"]
    events = sorted(
        [
            (forged, codes[0], integrity.CONTENT_CHANGED),
            (next_of_forged, codes[0], integrity.LINK_BROKEN),  # the shipment still links to the real hash
            (edited, codes[1], integrity.CONTENT_CHANGED),
        ]
    )
    assert findings == [*events, (None, kernels, integrity.QUANTITY_MISMATCH)]  # by event, then the lots
    assert figures["problems"] == 4 and figures["events"] == 8


def test_an_audit_that_never_finished_is_not_a_verdict(app, client, world):
    kernels, _codes = kernel_lot(client, world)

    def died():
        db.session.add(LedgerAudit(last_event_id=10**6, events_checked=10**6))
        db.session.commit()

    seeded(app, died)
    html = client.get(f"/t/{kernels}", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert "Not yet checked" in html and "✓ Record intact" not in html
