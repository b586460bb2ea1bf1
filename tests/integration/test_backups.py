"""The README's backup procedure: pg_dump in the custom format, pg_restore into a new database, and every lot's
tamper-evidence chain still verifies there (PostgreSQL only: the procedure is PostgreSQL's own tools)."""

from __future__ import annotations

import shutil
import subprocess

import pytest
from sqlalchemy import func, select

from core.extensions import db
from tests.conftest import create_postgres_database, need_service
from tests.integration.traceability.test_integrity import kernel_lot
from tests.traceability_builders import BatchWorld, seeded
from traceability.models import Batch, Event
from traceability.services import integrity

pytestmark = pytest.mark.postgres


def tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        need_service(f"{name} is not installed (PostgreSQL's client tools, 15 or newer)")
    return path


def test_a_dump_restored_into_a_new_database_keeps_every_chain_verifying(app, client, make_app, database_url, tmp_path):
    world = BatchWorld(app)
    kernels, harvests = kernel_lot(client, world)  # harvests, shipments, a merge and a transformation
    extra = world.harvest("an", "300")

    events_before = seeded(app, lambda: db.session.scalar(select(func.count(Event.id))))
    batches_before = seeded(app, lambda: sorted(db.session.scalars(select(Batch.code))))
    assert events_before >= 7 and len(batches_before) >= 5

    dump = tmp_path / "nongsan.dump"
    subprocess.run(
        [tool("pg_dump"), "--format=custom", "--no-owner", f"--file={dump}", f"--dbname={database_url}"], check=True
    )
    restored_url, drop = create_postgres_database()
    try:
        subprocess.run(
            [
                tool("pg_restore"),
                "--no-owner",
                "--exit-on-error",
                "--single-transaction",
                f"--dbname={restored_url}",
                str(dump),
            ],
            check=True,
        )
        restored = make_app(DATABASE_URL=restored_url)
        with restored.app_context():
            assert sorted(db.session.scalars(select(Batch.code))) == batches_before
            audit = integrity.audit_ledger()  # every event's hash and link, every lot's remaining quantity
            assert audit.problems == 0
            assert audit.events_checked == events_before
            assert audit.batches_checked == len(batches_before)
            db.session.remove()
        # And per lot, as the API and the trace page check it, on the restored copy.
        restored_client = restored.test_client()
        for code, who in [(kernels, "processor"), *((h, "processor") for h in harvests), (extra, "an")]:
            answer = restored_client.get(f"/api/v1/batches/{code}/verification", headers=world.auth(who))
            assert answer.status_code == 200, answer.json
            assert answer.json["valid"] is True, (code, answer.json)
        with restored.app_context():
            db.session.remove()
            db.engine.dispose()
    finally:
        drop()
