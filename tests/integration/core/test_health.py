"""/healthz and /readyz as the load balancer sees them."""

from __future__ import annotations

import time

import pytest

from tests.conftest import REDIS_URL, need_service

# Nothing listens on port 1: connecting is refused at once, as with a stopped server.
DEAD_DATABASE = "postgresql://postgres@127.0.0.1:1/nongsan"
DEAD_BROKER = "redis://127.0.0.1:1/0"


def redis_reachable() -> None:
    import redis

    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2).ping()
    except redis.RedisError as exc:
        need_service(f"Redis is not reachable at {REDIS_URL}: {exc}")


def test_ready_with_the_database_and_no_broker(client):
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok"}


def test_ready_with_a_reachable_broker(app, make_app):
    redis_reachable()
    response = make_app(CELERY_BROKER_URL=REDIS_URL).test_client().get("/readyz")
    assert response.status_code == 200


def test_not_ready_names_the_database_when_it_is_down(make_app):
    client = make_app(DATABASE_URL=DEAD_DATABASE).test_client()
    response = client.get("/readyz")
    assert response.status_code == 503
    body = response.get_json()
    assert body["status"] == "unavailable"
    assert body["failed"] == ["database"]
    # Alive though not ready: the supervisor must not restart workers because the database is down.
    assert client.get("/healthz").status_code == 200


def test_not_ready_names_the_broker_when_it_is_down_and_answers_promptly(app, make_app):
    client = make_app(CELERY_BROKER_URL=DEAD_BROKER).test_client()
    started = time.monotonic()
    response = client.get("/readyz")
    elapsed = time.monotonic() - started
    assert response.status_code == 503
    assert response.get_json()["failed"] == ["broker"]
    # Not a benchmark: a probe that hangs makes the load balancer time out instead of reading the answer.
    assert elapsed < 5


def test_not_ready_names_both_when_both_are_down(make_app):
    response = make_app(DATABASE_URL=DEAD_DATABASE, CELERY_BROKER_URL=DEAD_BROKER).test_client().get("/readyz")
    assert response.status_code == 503
    assert response.get_json()["failed"] == ["broker", "database"]


@pytest.mark.parametrize("path", ["/healthz", "/readyz"])
def test_probes_are_never_rate_limited(client, path):
    # The load balancer polls from one address; the default limit is 600 a minute per address.
    statuses = {client.get(path).status_code for _ in range(605)}
    assert statuses == {200}
