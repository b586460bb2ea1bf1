"""A Celery worker killed (SIGKILL) in the middle of a label sheet or an EPCIS capture: the task runs again, once.

The worker is the production entry point (prefork, one child) on a private Redis and a
database of the private PostgreSQL. "In the middle" is made exact: the test takes a
lock the task is about to wait on, sees the task's connection waiting for it, and
kills the child process running the task (what the kernel's OOM killer or a deploy does).
"""

from __future__ import annotations

import io
import json
import os
import signal

import psycopg
import pytest
from pypdf import PdfReader
from sqlalchemy import func, select

from core.accounts.models import OrganizationKind
from core.extensions import db
from tests.builders import make_org, make_token
from tests.integration.faults.conftest import wait_until
from tests.traceability_builders import make_harvest, make_plot, quick_user, seeded
from traceability.models import Batch, CaptureJob, Event, LabelJob

pytestmark = pytest.mark.postgres


def waiting_on_a_lock(url: str) -> bool:
    """Whether another session of the database waits for a lock (the task, held up by the test)."""
    with psycopg.connect(url, autocommit=True) as conn:
        return bool(
            conn.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                "AND wait_event_type = 'Lock' AND pid <> pg_backend_pid()"
            ).fetchone()[0]
        )


@pytest.fixture
def farm(fault_app, private_redis):
    app = fault_app(CELERY_BROKER_URL=private_redis.url, CELERY_TASK_ALWAYS_EAGER=False)

    def build():
        manager = quick_user("Trần Văn Minh")
        organization = make_org(OrganizationKind.COOPERATIVE, name="HTX Điều Bù Đăng", owner=manager)
        plot = make_plot(organization, name="Vườn điều")
        batch = make_harvest(manager, [plot], quantity="50000")
        return {"Authorization": f"Bearer {make_token(manager)}"}, batch.code, organization.id

    headers, code, organization_id = seeded(app, build)
    return app, headers, code, organization_id


def kill_the_child(worker) -> int:
    children = wait_until(worker.children, 10, "the worker's pool process")
    assert len(children) == 1, children
    os.kill(children[0], signal.SIGKILL)
    return children[0]


def test_a_label_sheet_whose_worker_is_killed_mid_sheet_is_drawn_again_once(
    farm, fault_app, private_redis, start_worker
):
    app, headers, code, _ = farm
    client = app.test_client()
    worker = start_worker(fault_app.database_url, private_redis.url, fault_app.instance_path)
    created = client.post(
        f"/api/v1/batches/{code}/label-sheets",
        json={"count": 500, "format": "a4", "net_weight_kg": "80"},
        headers=headers,
    )
    assert created.status_code == 202, created.json
    status_url = created.json["status_url"]

    def drawing() -> bool:
        sheet = client.get(status_url, headers=headers).json
        assert sheet["status"] != "done", "the sheet was finished before the test could stop it midway"
        return sheet["status"] == "running" and 0 < sheet["progress"] < 500

    wait_until(drawing, 60, lambda: "the worker to start drawing:\n" + worker.tail(), interval=0.01)
    # Hold the job's row: the task's next progress update waits on it, mid-sheet.
    with psycopg.connect(fault_app.database_url) as holder:
        holder.execute("SELECT id FROM label_jobs FOR UPDATE")
        wait_until(lambda: waiting_on_a_lock(fault_app.database_url), 20, "the task to wait on the job's row")
        killed = kill_the_child(worker)
        wait_until(lambda: killed not in worker.children() and worker.children(), 20, "a new pool process")
        holder.rollback()

    sheet = wait_until(
        lambda: (s := client.get(status_url, headers=headers).json)["status"] == "done" and s,
        60,
        lambda: "the sheet to be drawn again:\n" + worker.tail(),
        interval=0.1,
    )
    assert sheet["progress"] == 500 and sheet["count"] == 500
    download = client.get(sheet["download_url"], headers=headers)
    assert download.status_code == 200 and len(PdfReader(io.BytesIO(download.data)).pages) == 21
    assert "WorkerLostError" in worker.tail() or "SIGKILL" in worker.tail()
    # One job, one file: the rerun drew the sheet under the same key.
    assert seeded(app, lambda: db.session.scalar(select(func.count(LabelJob.id)))) == 1
    stored = [p.name for p in (fault_app.instance_path / "files" / "labels").iterdir() if p.suffix == ".pdf"]
    assert len(stored) == 1, stored


def harvest_event(epc_class: str) -> dict:
    return {
        "type": "ObjectEvent",
        "action": "ADD",
        "bizStep": "commissioning",
        "eventTime": "2026-11-02T08:00:00+07:00",
        "eventTimeZoneOffset": "+07:00",
        "quantityList": [{"epcClass": epc_class, "quantity": 500, "uom": "KGM"}],
        "readPoint": {"id": "https://partner.example/site/1"},
        "ilmd": {"cbvmda:harvestStartDate": "2026-11-01", "cbvmda:harvestEndDate": "2026-11-02"},
    }


def partner_document(classes: list[str]) -> dict:
    attributes = [
        {"id": "nongsan:commodity", "attribute": "pepper"},
        {"id": "nongsan:product", "attribute": "black_pepper"},
    ]
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
                        "vocabularyElementList": [{"id": c, "attributes": attributes} for c in classes],
                    }
                ]
            }
        },
        "epcisBody": {"eventList": [harvest_event(c) for c in classes]},
    }


def test_a_capture_whose_worker_is_killed_mid_document_is_applied_again_once(
    farm, fault_app, private_redis, start_worker
):
    app, headers, _, _ = farm
    if not app.config["EPCIS_SCHEMA_DIR"]:
        from tests.conftest import need_service

        need_service("GS1's EPCIS 2.0 schema is not here: set EPCIS_SCHEMA_DIR")
    client = app.test_client()
    count_events = lambda: seeded(app, lambda: db.session.scalar(select(func.count(Event.id))))  # noqa: E731
    before = count_events()
    classes = [f"https://partner.example/lot/{letter}" for letter in "ABC"]
    with psycopg.connect(fault_app.database_url) as holder:
        # Writes of events' quantities wait: the task stops inside its transaction, after its first event.
        holder.execute("LOCK TABLE event_quantities IN EXCLUSIVE MODE")
        worker = start_worker(fault_app.database_url, private_redis.url, fault_app.instance_path)
        response = client.post(
            "/api/v1/epcis/capture",
            data=json.dumps(partner_document(classes)),
            content_type="application/ld+json",
            headers=headers,
        )
        assert response.status_code == 202, response.get_data(as_text=True)
        wait_until(
            lambda: waiting_on_a_lock(fault_app.database_url),
            60,
            lambda: "the task to reach its events:\n" + worker.tail(),
        )
        killed = kill_the_child(worker)
        wait_until(lambda: killed not in worker.children() and worker.children(), 20, "a new pool process")
        holder.rollback()

    location = response.headers["Location"]
    job = wait_until(
        lambda: (j := client.get(location, headers=headers).get_json())["status"] != "pending" and j,
        60,
        lambda: "the capture to be applied again:\n" + worker.tail(),
        interval=0.1,
    )
    assert job["status"] == "succeeded", job
    assert sorted(job["batches"]) == classes
    assert count_events() == before + 3  # each event once, none from the killed attempt
    lots = seeded(app, lambda: db.session.scalar(select(func.count(Batch.id)).where(Batch.product == "black_pepper")))
    assert lots == 3
    assert seeded(app, lambda: db.session.scalar(select(func.count(CaptureJob.id)))) == 1
