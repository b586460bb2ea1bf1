"""Idempotency-Key on API creates: a retry answers like the first try and creates nothing twice.

Most tests use a tiny create endpoint registered here on an app of its own, so
they can also make it fail, stall or answer with a secret; one drives the real
sign-up endpoint.
"""

from __future__ import annotations

import threading
import uuid
from datetime import timedelta

import pytest
from flask import Blueprint, jsonify, request
from sqlalchemy import func, select

from core.accounts.models import Organization, OrganizationKind, User
from core.db import utcnow
from core.errors import ValidationError, problem_response
from core.extensions import db
from core.idempotency import IdempotencyRecord
from core.maintenance import purge_idempotency_records
from tests.builders import PASSWORD, bearer, make_token, make_user

PATH = "/api/v1/test-organizations"


class Switches:
    """How the test endpoint behaves on its next call."""

    def __init__(self) -> None:
        self.unavailable = False
        self.explode = False
        self.explode_after_write = False
        self.hold = False
        self.entered = threading.Event()
        self.release = threading.Event()


@pytest.fixture
def switches() -> Switches:
    return Switches()


@pytest.fixture
def api(app, make_app, switches):
    """A client of an app with a create endpoint under /api/v1 (the tables come from ``app``)."""
    application = make_app(WTF_CSRF_ENABLED=False)
    blueprint = Blueprint("idempotency_test", __name__)

    def create(kind: OrganizationKind):
        data = request.get_json()
        if switches.hold:
            switches.entered.set()
            switches.release.wait(10)
        if switches.explode:
            raise RuntimeError("the service crashed")
        if switches.unavailable:
            return problem_response(503, "Service unavailable", "Try again later.")
        if not data.get("name"):
            raise ValidationError("The request has invalid fields; see errors.", errors={"name": ["Required."]})
        organization = Organization(name=data["name"], kind=kind)
        db.session.add(organization)
        db.session.commit()
        if switches.explode_after_write:
            raise RuntimeError("crashed after the service's commit")
        return (
            jsonify(id=organization.id, name=organization.name),
            201,
            {"Location": f"/api/v1/organizations/{organization.id}"},
        )

    @blueprint.post(PATH)
    def create_household():
        return create(OrganizationKind.HOUSEHOLD)

    @blueprint.post(PATH + "/cooperatives")
    def create_cooperative():
        return create(OrganizationKind.COOPERATIVE)

    @blueprint.post(PATH + "/secret")
    def create_with_secret():
        response = create(OrganizationKind.TRADER)
        return response[0], response[1], {"Cache-Control": "no-store"}

    application.register_blueprint(blueprint)
    return application.test_client()


def organizations() -> list[str]:
    db.session.remove()
    return sorted(db.session.scalars(select(Organization.name)))


def key() -> dict[str, str]:
    return {"Idempotency-Key": str(uuid.uuid4())}


def test_a_replay_returns_the_first_answer_and_creates_nothing(ctx, api):
    headers = key()
    first = api.post(PATH, json={"name": "Hộ Điểu Thị Lan"}, headers=headers)
    second = api.post(PATH, json={"name": "Hộ Điểu Thị Lan"}, headers=headers)
    assert first.status_code == second.status_code == 201
    assert second.get_json() == first.get_json()
    assert second.headers["Location"] == first.headers["Location"]
    assert second.mimetype == "application/json"
    assert second.headers["Idempotent-Replayed"] == "true"
    assert "Idempotent-Replayed" not in first.headers
    assert organizations() == ["Hộ Điểu Thị Lan"]


def test_without_the_header_each_request_creates(ctx, api):
    assert api.post(PATH, json={"name": "Hộ A"}).status_code == 201
    assert api.post(PATH, json={"name": "Hộ A"}).status_code == 201
    assert organizations() == ["Hộ A", "Hộ A"]


def test_the_same_key_with_another_body_is_refused(ctx, api):
    headers = key()
    assert api.post(PATH, json={"name": "Hộ A"}, headers=headers).status_code == 201
    response = api.post(PATH, json={"name": "Hộ B"}, headers=headers)
    assert response.status_code == 422
    assert response.mimetype == "application/problem+json"
    assert "Idempotency-Key" in response.get_json()["detail"]
    assert organizations() == ["Hộ A"]


def test_one_callers_key_on_another_path_is_refused(ctx, api):
    token = make_token(make_user())
    headers = {**key(), **bearer(token)}
    assert api.post(PATH, json={"name": "Hộ A"}, headers=headers).status_code == 201
    response = api.post(PATH + "/cooperatives", json={"name": "Hộ A"}, headers=headers)
    assert response.status_code == 422
    assert organizations() == ["Hộ A"]


def test_keys_belong_to_each_caller(ctx, api):
    headers = key()
    lan, minh = make_token(make_user()), make_token(make_user())
    first = api.post(PATH, json={"name": "Hộ A"}, headers={**headers, **bearer(lan)})
    other = api.post(PATH, json={"name": "Hộ A"}, headers={**headers, **bearer(minh)})
    replay = api.post(PATH, json={"name": "Hộ A"}, headers={**headers, **bearer(lan)})
    assert first.status_code == other.status_code == 201
    assert other.get_json()["id"] != first.get_json()["id"]
    assert replay.get_json() == first.get_json()
    assert organizations() == ["Hộ A", "Hộ A"]


def test_without_a_token_the_key_belongs_to_the_path(ctx, api):
    headers = key()
    assert api.post(PATH, json={"name": "Hộ A"}, headers=headers).status_code == 201
    assert api.post(PATH + "/cooperatives", json={"name": "Hộ A"}, headers=headers).status_code == 201
    assert api.post(PATH, json={"name": "Hộ A"}, headers=headers).headers["Idempotent-Replayed"] == "true"
    assert organizations() == ["Hộ A", "Hộ A"]


def test_a_refusal_is_replayed_too(ctx, api):
    headers = key()
    first = api.post(PATH, json={"name": ""}, headers=headers)
    second = api.post(PATH, json={"name": ""}, headers=headers)
    assert first.status_code == second.status_code == 422
    assert second.get_json() == first.get_json()
    assert second.mimetype == "application/problem+json"
    assert second.headers["Idempotent-Replayed"] == "true"


def test_a_server_error_is_not_kept_so_the_retry_runs(ctx, api, switches):
    headers = key()
    switches.unavailable = True
    assert api.post(PATH, json={"name": "Hộ A"}, headers=headers).status_code == 503
    switches.unavailable = False
    retry = api.post(PATH, json={"name": "Hộ A"}, headers=headers)
    assert retry.status_code == 201
    assert "Idempotent-Replayed" not in retry.headers
    assert organizations() == ["Hộ A"]


def test_a_crash_releases_the_key(ctx, api, switches):
    headers = key()
    switches.explode = True
    with pytest.raises(RuntimeError):  # under test the exception reaches the client; in production a 500
        api.post(PATH, json={"name": "Hộ A"}, headers=headers)
    switches.explode = False
    assert api.post(PATH, json={"name": "Hộ A"}, headers=headers).status_code == 201
    assert organizations() == ["Hộ A"]


def test_an_answer_marked_no_store_is_never_kept(ctx, api):
    # Such an answer shows a secret (a new API token): it must not sit in the database for a day.
    headers = key()
    assert api.post(PATH + "/secret", json={"name": "Thương lái A"}, headers=headers).status_code == 201
    assert api.post(PATH + "/secret", json={"name": "Thương lái A"}, headers=headers).status_code == 201
    assert organizations() == ["Thương lái A", "Thương lái A"]
    assert db.session.scalar(select(func.count(IdempotencyRecord.id))) == 0


def test_a_second_request_while_the_first_runs_is_told_to_retry(ctx, api, switches):
    headers = key()
    answers = {}
    switches.hold = True

    def first_request():
        answers["first"] = api.post(PATH, json={"name": "Hộ A"}, headers=headers)

    worker = threading.Thread(target=first_request)
    worker.start()
    try:
        assert switches.entered.wait(10), "the first request never reached the endpoint"
        racing = api.post(PATH, json={"name": "Hộ A"}, headers=headers)
    finally:
        switches.release.set()
        worker.join(15)
    assert racing.status_code == 409
    assert racing.headers["Retry-After"] == "1"
    assert answers["first"].status_code == 201
    switches.hold = False
    assert api.post(PATH, json={"name": "Hộ A"}, headers=headers).get_json() == answers["first"].get_json()
    assert organizations() == ["Hộ A"]


def test_a_claim_left_by_a_dead_process_is_taken_over(ctx, api):
    headers = key()
    api.post(PATH, json={"name": "Hộ A"}, headers=headers)
    # As if the process died mid-request ten minutes ago: claimed, never answered.
    record = db.session.scalar(select(IdempotencyRecord))
    record.status, record.response_body, record.created_at = None, None, utcnow() - timedelta(minutes=10)
    record.committed_at = None  # it died before its write committed
    db.session.commit()
    retry = api.post(PATH, json={"name": "Hộ A"}, headers=headers)
    assert retry.status_code == 201
    assert "Idempotent-Replayed" not in retry.headers


def test_a_crash_after_the_write_committed_never_runs_the_request_again(ctx, api, switches):
    headers = key()
    switches.explode_after_write = True
    with pytest.raises(RuntimeError):
        api.post(PATH, json={"name": "Hộ A"}, headers=headers)
    switches.explode_after_write = False
    retry = api.post(PATH, json={"name": "Hộ A"}, headers=headers)
    assert retry.status_code == 409
    assert retry.get_json()["code"] == "idempotency_answer_lost"
    assert "Retry-After" not in retry.headers  # retrying will not help: look the result up
    assert organizations() == ["Hộ A"]


def test_a_500_after_the_write_committed_keeps_the_key(ctx, make_app, api, switches):
    # In production an exception after the commit becomes a 500 page, which goes through the answer hook.
    application = api.application
    application.config["PROPAGATE_EXCEPTIONS"] = False
    headers = key()
    switches.explode_after_write = True
    assert api.post(PATH, json={"name": "Hộ A"}, headers=headers).status_code == 500
    switches.explode_after_write = False
    retry = api.post(PATH, json={"name": "Hộ A"}, headers=headers)
    assert retry.status_code == 409
    assert retry.get_json()["code"] == "idempotency_answer_lost"
    assert organizations() == ["Hộ A"]


def test_a_process_dead_between_the_write_and_the_answer_never_runs_twice(ctx, api, monkeypatch):
    # The write and the claim's mark commit together; keeping the answer, the step after, never happens.
    headers = key()

    def die(*_args):
        raise SystemExit("the worker was killed")

    monkeypatch.setattr("core.idempotency._store", die)
    with pytest.raises(SystemExit):
        api.post(PATH, json={"name": "Hộ A"}, headers=headers)
    monkeypatch.undo()
    record = db.session.scalar(select(IdempotencyRecord))
    assert record.status is None and record.committed_at is not None
    db.session.rollback()  # SQLite: a reading transaction here would hold the write lock the request needs
    soon = api.post(PATH, json={"name": "Hộ A"}, headers=headers)
    assert soon.status_code == 409 and soon.headers["Retry-After"] == "1"  # its answer may still be coming
    # Long after, when a claim without a write would be taken over, this one is not run again.
    record = db.session.scalar(select(IdempotencyRecord))
    record.created_at = record.committed_at = utcnow() - timedelta(minutes=10)
    db.session.commit()
    later = api.post(PATH, json={"name": "Hộ A"}, headers=headers)
    assert later.status_code == 409
    assert later.get_json()["code"] == "idempotency_answer_lost"
    assert organizations() == ["Hộ A"]


def test_racing_requests_with_one_key_write_once(ctx, api):
    headers = key()
    answers = []

    def send():
        answers.append(api.post(PATH, json={"name": "Hộ A"}, headers=headers))

    threads = [threading.Thread(target=send) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert len(answers) == 4 and {a.status_code for a in answers} <= {201, 409}
    created = [a.get_json() for a in answers if a.status_code == 201]
    assert created and all(answer == created[0] for answer in created)
    assert organizations() == ["Hộ A"]


@pytest.mark.parametrize("bad", ["", "x" * 256, "khóa-tiếng-việt", "two words"])
def test_a_malformed_key_is_refused(ctx, api, bad):
    response = api.post(PATH, json={"name": "Hộ A"}, headers={"Idempotency-Key": bad.encode().decode("latin-1")})
    assert response.status_code == 400
    assert organizations() == []


def test_a_wrong_token_is_refused_before_any_key_is_kept(ctx, api):
    response = api.post(PATH, json={"name": "Hộ A"}, headers={**key(), **bearer("ns_not-a-token")})
    assert response.status_code == 401
    assert db.session.scalar(select(func.count(IdempotencyRecord.id))) == 0


def test_answers_are_forgotten_after_a_day(ctx, api):
    headers = key()
    api.post(PATH, json={"name": "Hộ A"}, headers=headers)
    assert purge_idempotency_records() == 0
    assert purge_idempotency_records(now=utcnow() + timedelta(hours=25)) == 1
    # The key may be used again, for a new request.
    assert api.post(PATH, json={"name": "Hộ B"}, headers=headers).status_code == 201
    assert organizations() == ["Hộ A", "Hộ B"]


def test_sign_up_retried_with_the_same_key_makes_one_account(ctx, client):
    body = {
        "phone": "0912 345 678",
        "password": PASSWORD,
        "name": "Lê Văn Tư",
        "organization": {"name": "Hộ Lê Văn Tư", "kind": "household", "commune_code": "25270"},
    }
    headers = key()
    first = client.post("/api/v1/accounts", json=body, headers=headers)
    second = client.post("/api/v1/accounts", json=body, headers=headers)
    assert first.status_code == 201, first.get_json()
    assert second.status_code == 201
    assert second.get_json() == first.get_json()
    assert second.headers["Idempotent-Replayed"] == "true"
    db.session.remove()
    assert len(db.session.scalars(select(User)).all()) == 1
