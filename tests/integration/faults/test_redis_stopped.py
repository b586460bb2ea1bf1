"""Redis stopped: harvests and steps are still recorded, work meant for a worker waits in the outbox, /readyz says 503.

The app is set up as in production: Celery's broker and the rate limits' storage are
Redis (a private one, stopped and started by the test). When Redis is back, the
outbox's drain (what beat sends every minute) hands the waiting tasks to a worker.
"""

from __future__ import annotations

import json
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from core.accounts.models import OrganizationKind
from core.extensions import db
from core.outbox import OutboxMessage
from core.tasks import send_task
from tests.builders import make_org, make_token
from tests.integration.faults.conftest import wait_until
from tests.integration.faults.test_worker_killed import partner_document
from tests.traceability_builders import make_plot, quick_user, seeded

pytestmark = pytest.mark.postgres


@pytest.fixture
def site(fault_app, private_redis):
    app = fault_app(
        CELERY_BROKER_URL=private_redis.url,
        CELERY_TASK_ALWAYS_EAGER=False,
        RATELIMIT_STORAGE_URI=private_redis.url,
        OUTBOX_GRACE_SECONDS=0,
    )

    def build():
        farmer = quick_user("Nguyễn Thị Hà")
        farm = make_org(OrganizationKind.COOPERATIVE, name="HTX Điều Lộc Ninh", owner=farmer)
        plot = make_plot(farm, name="Vườn điều")
        return {"Authorization": f"Bearer {make_token(farmer)}"}, plot.id

    headers, plot_id = seeded(app, build)
    return app, headers, plot_id


def queued(app) -> list[str]:
    return seeded(app, lambda: list(db.session.scalars(select(OutboxMessage.name).order_by(OutboxMessage.id))))


def test_with_redis_stopped_work_is_recorded_kept_for_the_worker_and_sent_when_redis_returns(
    site, fault_app, private_redis, start_worker
):
    app, headers, plot_id = site
    client = app.test_client()
    assert client.get("/readyz").status_code == 200
    private_redis.stop()

    ready = client.get("/readyz")
    assert ready.status_code == 503 and ready.json["failed"] == ["broker"]

    harvest = client.post(
        "/api/v1/batches",
        json={
            "product": "raw_cashew_nuts",
            "quantity": "2000",
            "unit": "kg",
            "plot_ids": [plot_id],
            "harvest_date": (date.today() - timedelta(days=1)).isoformat(),
        },
        headers=headers,
    )
    assert harvest.status_code == 201, harvest.get_data(as_text=True)
    code = harvest.json["code"]
    step = client.post(
        f"/api/v1/batches/{code}/events",
        json={"step": "sun_drying", "measurements": [{"type": "moisture", "value": "9.5"}], "quantity_after": "1900"},
        headers=headers,
    )
    assert step.status_code == 201, step.get_data(as_text=True)
    events = client.get(f"/api/v1/batches/{code}/events", headers=headers).json
    assert [e["step"] for e in events] == ["commissioning", "sun_drying"]

    # Work for the worker: accepted, recorded, and waiting for the broker instead of lost.
    sheet = client.post(
        f"/api/v1/batches/{code}/label-sheets",
        json={"count": 60, "format": "a4", "net_weight_kg": "25"},
        headers=headers,
    )
    assert sheet.status_code == 202, sheet.get_data(as_text=True)
    assert sheet.json["status"] == "pending"
    expected = ["traceability.render_label_sheet"]
    capture = None
    if app.config["EPCIS_SCHEMA_DIR"]:
        capture = client.post(
            "/api/v1/epcis/capture",
            data=json.dumps(partner_document(["https://partner.example/lot/R"])),
            content_type="application/ld+json",
            headers=headers,
        )
        assert capture.status_code == 202, capture.get_data(as_text=True)
        expected.append("traceability.capture_epcis")
    assert queued(app) == expected

    private_redis.start()
    assert client.get("/readyz").status_code == 200
    worker = start_worker(fault_app.database_url, private_redis.url, fault_app.instance_path, OUTBOX_GRACE_SECONDS="0")
    with app.app_context():
        send_task("core.send_outbox")  # what beat sends every minute
    done = wait_until(
        lambda: (s := client.get(sheet.json["status_url"], headers=headers).json)["status"] == "done" and s,
        60,
        lambda: "the label sheet after Redis returned:\n" + worker.tail(),
        interval=0.1,
    )
    assert done["progress"] == 60
    assert client.get(done["download_url"], headers=headers).mimetype == "application/pdf"
    if capture is not None:
        job = client.get(capture.headers["Location"], headers=headers).get_json()
        assert job["status"] == "succeeded", job
    assert queued(app) == []


def test_a_task_refused_by_a_stopped_broker_after_the_commit_is_kept_and_sent_later(site, private_redis):
    """send_task (after a commit) never fails the request: what Redis did not take is kept for the drain."""
    app, _, _ = site
    private_redis.stop()
    with app.app_context():
        assert send_task("reports.refresh_rollup", force=True) is None
    assert queued(app) == ["reports.refresh_rollup"]
    private_redis.start()
    with app.app_context():
        from core.outbox import send_outbox

        assert send_outbox() == 1
    assert queued(app) == []
    messages = private_redis.client().lrange("celery", 0, -1)
    assert [json.loads(m)["headers"]["task"] for m in messages] == ["reports.refresh_rollup"]
