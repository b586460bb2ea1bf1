"""The web process killed (SIGKILL) in the middle of a bulk import: the import happened whole or not at all.

The app runs as in production, under gunicorn (one worker), on a database of the
private PostgreSQL. The test holds a lock on the events' quantities, so the import
stops inside its transaction with its lots and events already written; it then kills
the worker that runs it. Nothing of the sheet may be left; sent again, all of it lands.
"""

from __future__ import annotations

import os
import signal
import subprocess
import threading
import urllib.error
import urllib.request
import uuid
from datetime import date, timedelta
from pathlib import Path

import psycopg
import pytest
from sqlalchemy import func, select

from core.accounts.models import Organization
from core.app import ROOT
from core.extensions import db
from tests.integration.faults.conftest import stop_process, wait_until
from tests.integration.faults.test_worker_killed import waiting_on_a_lock
from tests.integration.traceability.test_imports import HARVEST_HEADER, csv_bytes
from tests.localstripe import free_port
from tests.traceability_builders import PlotWorld, make_plot, seeded
from traceability.models import Batch, Event, EventQuantity

pytestmark = pytest.mark.postgres
GUNICORN = Path(os.sys.executable).with_name("gunicorn")


def multipart(fields: dict[str, str], filename: str, content: bytes) -> tuple[bytes, str]:
    boundary = uuid.uuid4().hex
    parts = [
        f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
        for name, value in fields.items()
    ]
    parts.append(
        f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{filename}"\r\n'
        f"Content-Type: text/csv\r\n\r\n".encode()
        + content
        + b"\r\n"
    )
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


class Server:
    """gunicorn serving wsgi:app with one worker on a free port."""

    def __init__(self, database_url: str, instance_path: Path, log: Path):
        self.port = free_port()
        environ = {
            "PATH": os.environ.get("PATH", ""),
            "HOME": os.environ.get("HOME", str(instance_path)),
            "NONGSAN_ENV": "testing",
            "NONGSAN_INSTANCE_PATH": str(instance_path),
            "SECRET_KEY": "test-only-" + uuid.uuid4().hex,
            "DATABASE_URL": database_url,
            "PUBLIC_BASE_URL": "http://localhost",
            "RATELIMIT_STORAGE_URI": "memory://",
            "GEO_WARM_UP": "0",
            "BIND": f"127.0.0.1:{self.port}",
            "WEB_CONCURRENCY": "1",
            "GUNICORN_TIMEOUT": "120",
        }
        self.log = log
        with log.open("wb") as out:
            self.process = subprocess.Popen(
                [str(GUNICORN), "wsgi:app"], cwd=ROOT, env=environ, stdout=out, stderr=subprocess.STDOUT
            )
        wait_until(self.answers, 60, lambda: "gunicorn to answer:\n" + log.read_text(errors="replace")[-3000:], 0.1)

    def answers(self) -> bool:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{self.port}/healthz", timeout=2) as response:
                return response.status == 200
        except (urllib.error.URLError, ConnectionError):
            return False

    def workers(self) -> list[int]:
        try:
            text = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children").read_text()
        except OSError:
            return []
        return [int(pid) for pid in text.split()]

    def post_import(self, token: str, organization_id: int, content: bytes) -> tuple[int, str]:
        body, content_type = multipart(
            {"kind": "harvests", "organization_id": str(organization_id)}, "thu-hoach.csv", content
        )
        request = urllib.request.Request(
            f"http://127.0.0.1:{self.port}/api/v1/imports",
            data=body,
            headers={"Content-Type": content_type, "Authorization": f"Bearer {token}"},
            method="POST",
        )
        try:
            with urllib.request.urlopen(request, timeout=60) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode()

    def stop(self) -> None:
        stop_process(self.process)


def counts(app) -> tuple[int, int, int]:
    return seeded(
        app,
        lambda: tuple(
            db.session.scalar(select(func.count()).select_from(model)) for model in (Batch, Event, EventQuantity)
        ),
    )


def test_a_bulk_import_killed_midway_leaves_nothing_and_sent_again_lands_whole(fault_app, tmp_path):
    app = fault_app()
    world = PlotWorld(app)
    seeded(app, lambda: make_plot(db.session.get(Organization, world.coop), name="Vườn điều HTX", crops=["cashew"]))
    day = (date.today() - timedelta(days=1)).strftime("%d/%m/%Y")
    rows = [["Vườn điều HTX", "", "hạt điều thô", str(100 + i), "kg", "", day] for i in range(120)]
    sheet = csv_bytes(HARVEST_HEADER, rows)
    server = Server(fault_app.database_url, fault_app.instance_path, tmp_path / "gunicorn.log")
    try:
        answers: list = []
        with psycopg.connect(fault_app.database_url) as holder:
            holder.execute("LOCK TABLE event_quantities IN EXCLUSIVE MODE")

            def send() -> None:
                try:
                    answers.append(server.post_import(world.manager, world.coop, sheet))
                except OSError as exc:  # the connection dies with the worker
                    answers.append((None, repr(exc)))

            sender = threading.Thread(target=send)
            sender.start()
            wait_until(lambda: waiting_on_a_lock(fault_app.database_url), 60, "the import to reach its quantities")
            [worker] = server.workers()
            os.kill(worker, signal.SIGKILL)
            sender.join(timeout=30)
            holder.rollback()
        assert answers and answers[0][0] != 201, answers  # the client never heard of a finished import
        # The lots and events the import had written in its transaction are gone with it.
        wait_until(lambda: not waiting_on_a_lock(fault_app.database_url), 20, "the killed import's session to end")
        assert counts(app) == (0, 0, 0)

        wait_until(lambda: server.workers() and server.answers(), 60, "gunicorn's new worker")
        status, body = server.post_import(world.manager, world.coop, sheet)
        assert status == 201, body
        assert counts(app) == (120, 120, 120)
    finally:
        server.stop()
