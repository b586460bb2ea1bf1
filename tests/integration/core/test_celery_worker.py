"""Background tasks: through a real Celery worker on Redis, and in-process without a broker.

The worker is the production entry point (``celery -A wsgi:celery_app worker``)
started as a subprocess with the environment pointing it at this session's test
database and at Redis db 15. It listens on a queue of its own, so parallel test
runs sharing that Redis never take each other's tasks.
"""

from __future__ import annotations

import os
import subprocess
import sys
import uuid
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from core.accounts.models import LoginFailure
from core.app import ROOT
from core.db import utcnow
from core.extensions import db
from core.tasks import send_task
from tests.conftest import REDIS_URL, need_service

CELERY = Path(sys.executable).with_name("celery")


@pytest.fixture
def redis_client():
    import redis

    client = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2)
    try:
        client.ping()
    except redis.RedisError as exc:
        need_service(f"Redis is not reachable at {REDIS_URL}: {exc}")
    yield client
    client.close()


@pytest.fixture
def worker(app, database_url, instance_path, redis_client, tmp_path) -> Iterator[dict[str, str]]:
    """A Celery worker process on this session's database; yields its queue and log file."""
    queue = f"nongsan-test-{uuid.uuid4().hex[:12]}"
    log_path = tmp_path / "worker.log"
    environ = {
        "PATH": os.environ.get("PATH", ""),
        "HOME": os.environ.get("HOME", str(tmp_path)),
        "NONGSAN_ENV": "testing",
        "NONGSAN_INSTANCE_PATH": str(instance_path),
        "SECRET_KEY": "test-only-" + uuid.uuid4().hex,
        "DATABASE_URL": database_url,
        "CELERY_BROKER_URL": REDIS_URL,
        "CELERY_RESULT_BACKEND": REDIS_URL,
        "RATELIMIT_STORAGE_URI": "memory://",
    }
    command = [
        str(CELERY),
        "-A",
        "wsgi:celery_app",
        "worker",
        "--pool=solo",
        "--queues",
        queue,
        "--hostname",
        f"{queue}@%h",
        "--without-gossip",
        "--without-mingle",
        "--without-heartbeat",
        "--loglevel=INFO",
    ]
    with log_path.open("wb") as log:
        process = subprocess.Popen(command, cwd=ROOT, env=environ, stdout=log, stderr=subprocess.STDOUT)
    try:
        yield {"queue": queue, "log": str(log_path)}
    finally:
        process.terminate()  # warm shutdown: finish the task at hand, then exit
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        for name in (queue, f"_kombu.binding.{queue}", f"_kombu.binding_permanent.{queue}"):
            redis_client.delete(name)


def add_failures(*ages: timedelta) -> None:
    now = utcnow()
    db.session.add_all(LoginFailure(login="+84912345678", at=now - age) for age in ages)
    db.session.commit()


def remaining_ages() -> list[int]:
    db.session.remove()
    now = utcnow()
    return sorted(round((now - at).total_seconds() / 60) for at in db.session.scalars(select(LoginFailure.at)))


def test_a_worker_on_redis_purges_old_login_failures(ctx, app, make_app, worker):
    window = app.config["LOGIN_FAILURE_WINDOW_SECONDS"] // 60
    add_failures(timedelta(minutes=window + 5), timedelta(days=3), timedelta(minutes=1), timedelta(minutes=window - 5))
    sender = make_app(CELERY_BROKER_URL=REDIS_URL, CELERY_RESULT_BACKEND=REDIS_URL)
    celery_app = sender.extensions["celery"]
    assert celery_app.conf.task_always_eager is False
    celery_app.conf.task_default_queue = worker["queue"]
    with sender.app_context():
        result = send_task("core.purge_login_failures")
        try:
            deleted = result.get(timeout=20)
        except Exception:
            pytest.fail("the worker did not answer; its log:\n" + Path(worker["log"]).read_text()[-4000:])
        finally:
            result.forget()
    assert deleted == 2
    # Failures inside the window still count toward the sign-in limit, so they stay.
    assert remaining_ages() == [1, window - 5]


def test_without_a_broker_tasks_run_in_process_before_send_task_returns(ctx, app):
    window = app.config["LOGIN_FAILURE_WINDOW_SECONDS"] // 60
    add_failures(timedelta(minutes=window + 1), timedelta(minutes=2))
    assert app.extensions["celery"].conf.task_always_eager is True
    result = send_task("core.purge_login_failures")
    assert remaining_ages() == [2]
    assert result.get() == 1


def test_beat_schedules_the_purges_every_fifteen_minutes_and_hourly(app):
    celery_app = app.extensions["celery"]
    schedule = {entry["task"]: entry["schedule"] for entry in celery_app.conf.beat_schedule.values()}
    assert schedule == {
        "core.purge_login_failures": 15 * 60,
        "core.purge_idempotency_records": 60 * 60,
        "core.send_outbox": 60,
        "market.release_expired_reservations": 60,
        "market.resend_stuck_refunds": 600,
        "market.reconcile_card_payments": 86400,
        "reports.refresh_rollup": 600,
        "traceability.audit_ledger": 60 * 60,  # LEDGER_AUDIT_MINUTES: the full re-verification trace pages show
    }
    # Beat sends by name: every scheduled name must be a task the worker knows.
    assert set(schedule) <= set(celery_app.tasks)
    assert "core.maintenance" in celery_app.conf.imports
