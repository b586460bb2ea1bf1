"""Private servers for the fault tests: a Redis and a PostgreSQL of their own, started here and stopped at will.

The machine's shared PostgreSQL (5432) and Redis (6379) are never stopped: every fault
is done to an instance these fixtures start on a free loopback port, in a temporary
folder, and tear down afterwards. Without the binaries (a bare machine) the tests
skip saying so; under CI that is a failure (``need_service``).

These tests run in the PostgreSQL pass (``TEST_DATABASE=postgres``): the moments "in
the middle" of a task or an import are made exact by holding a row or table lock the
work waits on, which SQLite cannot do.
"""

from __future__ import annotations

import contextlib
import os
import pwd
import shutil
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import psycopg
import pytest
from flask import Flask

from core.app import ROOT
from core.extensions import db
from nongsan_app import create_app
from tests.conftest import need_service, test_overrides
from tests.localstripe import free_port

POSTGRES_BIN = Path(os.environ.get("TEST_POSTGRES_BIN", "/usr/lib/postgresql/15/bin"))
CELERY = Path(sys.executable).with_name("celery")


def wait_until(check: Callable[[], object], seconds: float, what: str | Callable[[], str], interval: float = 0.05):
    """``check()``'s first true value within ``seconds``; fails naming ``what`` (or what it returns) otherwise."""
    deadline = time.monotonic() + seconds
    while True:
        value = check()
        if value:
            return value
        if time.monotonic() > deadline:
            pytest.fail(f"timed out after {seconds} s waiting for {what() if callable(what) else what}")
        time.sleep(interval)


def stop_process(process: subprocess.Popen) -> None:
    """Terminate ``process`` and wait for it; killed if it is still there after 10 s."""
    if process.poll() is not None:
        return
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


class PrivateRedis:
    """redis-server on a free port, nothing written to disk; ``stop()`` and ``start()`` keep the port."""

    def __init__(self, folder: Path):
        self.folder, self.port, self.process = folder, free_port(), None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        self.process = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"]
            + ["--dir", str(self.folder)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        import redis

        client = redis.Redis.from_url(self.url, socket_connect_timeout=1)

        def answers() -> bool:
            try:
                return bool(client.ping())
            except redis.RedisError:
                return False

        wait_until(answers, 10, f"redis-server on port {self.port}")
        client.close()

    def stop(self) -> None:
        if self.process is not None:
            stop_process(self.process)
        self.process = None

    def client(self):
        import redis

        return redis.Redis.from_url(self.url, socket_connect_timeout=1)


@pytest.fixture
def private_redis(tmp_path) -> Iterator[PrivateRedis]:
    if shutil.which("redis-server") is None:
        need_service("redis-server is not installed: the Redis fault tests start a private one")
    server = PrivateRedis(tmp_path)
    server.start()
    yield server
    server.stop()


class PrivatePostgres:
    """A PostgreSQL cluster of its own (initdb in a temporary folder) on a free port; ``restart()`` keeps its data.

    PostgreSQL refuses to run as root: as root, the cluster belongs to the ``postgres`` user.
    """

    def __init__(self) -> None:
        self.folder = Path(tempfile.mkdtemp(prefix="nongsan-faults-pg-"))
        self.data, self.port = self.folder / "data", free_port()
        self.as_user: list[str] = []
        if os.geteuid() == 0:
            owner = pwd.getpwnam("postgres")
            os.chown(self.folder, owner.pw_uid, owner.pw_gid)
            self.as_user = ["runuser", "-u", "postgres", "--"]
        self._run(POSTGRES_BIN / "initdb", "-D", self.data, "-U", "postgres", "--auth=trust", "-E", "UTF8", "-N")

    def _run(self, *command) -> None:
        done = subprocess.run([*self.as_user, *map(str, command)], capture_output=True, text=True, timeout=120)
        if done.returncode != 0:
            raise RuntimeError(f"{command[0]} failed: {done.stdout}\n{done.stderr}")

    def url(self, database: str = "postgres") -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/{database}"

    def start(self) -> None:
        options = f"-p {self.port} -c listen_addresses=127.0.0.1 -k {self.folder} -c fsync=off -c full_page_writes=off"
        self._run(POSTGRES_BIN / "pg_ctl", "-D", self.data, "-l", self.folder / "log", "-o", options, "-w", "start")

    def stop(self) -> None:
        self._run(POSTGRES_BIN / "pg_ctl", "-D", self.data, "-m", "fast", "-w", "stop")

    def restart(self) -> None:
        self.stop()
        self.start()

    def create_database(self, name: str) -> str:
        with psycopg.connect(self.url(), autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        return self.url(name)

    def remove(self) -> None:
        with contextlib.suppress(RuntimeError, subprocess.TimeoutExpired):
            self.stop()  # already stopped by a test that failed midway
        shutil.rmtree(self.folder, ignore_errors=True)


@pytest.fixture(scope="session")
def private_postgres() -> Iterator[PrivatePostgres]:
    if not (POSTGRES_BIN / "initdb").exists():
        need_service(f"PostgreSQL's initdb is not in {POSTGRES_BIN} (TEST_POSTGRES_BIN): the fault tests start one")
    server = PrivatePostgres()
    try:
        server.start()
        yield server
    finally:
        server.remove()


@pytest.fixture
def fault_app(private_postgres, tmp_path) -> Iterator[Callable[..., Flask]]:
    """Build an app on a fresh database of the private server (tables made), with ``overrides``."""
    built: list[Flask] = []
    url = private_postgres.create_database(f"faults_{uuid.uuid4().hex[:10]}")

    def build(**overrides) -> Flask:
        app = create_app(test_overrides(url, tmp_path / "instance", **overrides), environ={})
        if not built:
            with app.app_context():
                db.create_all()
        built.append(app)
        return app

    build.database_url = url  # type: ignore[attr-defined]
    build.instance_path = tmp_path / "instance"  # type: ignore[attr-defined]
    yield build
    for app in built:
        with app.app_context():
            db.session.remove()
            db.engine.dispose()


class Worker:
    """A Celery worker process (the production entry point, prefork with one child) on the private Redis."""

    def __init__(self, database_url: str, broker_url: str, instance_path: Path, log: Path, **settings: str):
        self.log = log
        environ = {
            "PATH": os.environ.get("PATH", ""),
            "HOME": os.environ.get("HOME", str(instance_path)),
            "NONGSAN_ENV": "testing",
            "NONGSAN_INSTANCE_PATH": str(instance_path),
            "STORAGE_LOCAL_PATH": str(instance_path / "files"),
            "PUBLIC_BASE_URL": "http://localhost",
            "SECRET_KEY": "test-only-" + uuid.uuid4().hex,
            "DATABASE_URL": database_url,
            "CELERY_BROKER_URL": broker_url,
            "RATELIMIT_STORAGE_URI": "memory://",
            "GEO_WARM_UP": "0",
            **settings,
        }
        command = [str(CELERY), "-A", "wsgi:celery_app", "worker", "--pool=prefork", "--concurrency=1"]
        command += ["--without-gossip", "--without-mingle", "--without-heartbeat", "--loglevel=INFO"]
        with log.open("wb") as out:
            self.process = subprocess.Popen(command, cwd=ROOT, env=environ, stdout=out, stderr=subprocess.STDOUT)

    def children(self) -> list[int]:
        try:
            text = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children").read_text()
        except OSError:
            return []
        return [int(pid) for pid in text.split()]

    def tail(self) -> str:
        return self.log.read_text(errors="replace")[-4000:]

    def stop(self) -> None:
        stop_process(self.process)


@pytest.fixture
def start_worker(tmp_path) -> Iterator[Callable[..., Worker]]:
    started: list[Worker] = []

    def start(database_url: str, broker_url: str, instance_path: Path, **settings: str) -> Worker:
        log = tmp_path / f"worker{len(started)}.log"
        started.append(Worker(database_url, broker_url, instance_path, log, **settings))
        return started[-1]

    yield start
    for worker in started:
        worker.stop()
