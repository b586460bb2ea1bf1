"""What the phone's offline queue relies on: a form sent again with its Idempotency-Key creates one record, answers
in JSON in the reader's language, keeps the phone's event time, and authenticates with the session and a CSRF token
fetched at sync time."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from sqlalchemy import func, select

from core.accounts.models import User
from core.extensions import db
from tests.integration.core.accounts.helpers import sign_in
from tests.traceability_builders import BatchWorld, seeded
from traceability.models import Batch, Event

JSON = "application/json"


def signed_in_farmer(app, client) -> BatchWorld:
    world = BatchWorld(app)

    def phone():
        return db.session.get(User, world.an_user).phone

    sign_in(client, seeded(app, phone))
    return world


def fresh_token(client) -> str:
    answer = client.get("/offline/session")
    assert answer.status_code == 200 and answer.headers["Cache-Control"] == "no-store"
    return answer.json["csrf_token"]


def send(client, path: str, key: str, data: dict, token: str | None = None):
    headers = {"Idempotency-Key": key, "Accept": JSON}
    if token is not None:
        headers["X-CSRFToken"] = token
    return client.post(path, data=data, headers=headers)


def harvest_form(world: BatchWorld, quantity: str = "120,5") -> dict:
    yesterday = (date.today() - timedelta(days=1)).isoformat()
    return {"product": "raw_cashew_nuts", "quantity": quantity, "unit": "kg", "plot_ids": str(world.an_plot),
            "harvest_date": yesterday}  # fmt: skip


def lots_of(app, organization_id: int) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(Batch).where(Batch.custodian_id == organization_id))


def test_a_queued_harvest_sent_three_times_creates_one_lot(app, client):
    world = signed_in_farmer(app, client)
    token = fresh_token(client)
    answers = [send(client, "/batches/new", "phone-7f3a", harvest_form(world), token) for _ in range(3)]
    assert [a.status_code for a in answers] == [201, 201, 201]
    assert [a.headers.get("Idempotent-Replayed") for a in answers] == [None, "true", "true"]
    assert len({a.json["url"] for a in answers}) == 1 and answers[0].json["url"].startswith("/batches/")
    assert lots_of(app, world.an_org) == 1
    # The page the queue opens next says what happened, once.
    assert "Đã ghi nhận thu hoạch" in client.get(answers[0].json["url"]).get_data(as_text=True)


def test_a_refused_send_answers_in_vietnamese_with_its_field_and_stores_nothing(app, client):
    world = signed_in_farmer(app, client)
    code = world.harvest("an", quantity="100")
    answer = send(
        client, f"/batches/{code}/split", "phone-split-1", {"part_quantity": ["80", "40"]}, fresh_token(client)
    )
    assert answer.status_code == 422 and answer.mimetype == "application/problem+json"
    assert answer.json["code"] == "mass_balance"
    assert answer.json["detail"] == f"Tổng các phần là 120 kg nhưng lô {code} chỉ còn 100 kg."
    assert answer.json["errors"] == {"parts": ["Tổng các phần là 120 kg; chỉ còn tối đa 100 kg."]}
    assert lots_of(app, world.an_org) == 1  # the lot itself, not split


def test_the_phones_event_time_is_kept_not_the_sync_time(app, client):
    world = signed_in_farmer(app, client)
    code = world.harvest("an", quantity="100")
    two_hours_ago = (datetime.now(UTC) - timedelta(hours=2)).astimezone().isoformat(timespec="seconds")
    form = {"step": "drying", "event_time": two_hours_ago, "quantity_after": "95"}
    assert send(client, f"/batches/{code}/steps/new", "phone-step-1", form, fresh_token(client)).status_code == 201
    with app.app_context():
        event = db.session.scalars(select(Event).where(Event.operation == "process")).one()
        assert abs(event.event_time.replace(tzinfo=UTC) - datetime.fromisoformat(two_hours_ago)) < timedelta(seconds=1)


def test_a_send_needs_the_session_and_a_fresh_csrf_token(app, client):
    world = signed_in_farmer(app, client)
    assert send(client, "/batches/new", "phone-no-token", harvest_form(world)).status_code == 400  # no CSRF token
    token = fresh_token(client)
    client.post("/sign-out", headers={"X-CSRFToken": token})
    assert client.get("/offline/session").status_code == 401  # the queue waits for a new sign-in
    refused = send(client, "/batches/new", "phone-after-sign-out", harvest_form(world), token)
    assert refused.status_code in (302, 400, 401)
    assert lots_of(app, world.an_org) == 0


def test_a_browser_form_post_without_the_header_still_redirects(app, client):
    world = signed_in_farmer(app, client)
    from tests.conftest import csrf_token

    form = harvest_form(world) | {"csrf_token": csrf_token(client, "/batches/new")}
    response = client.post("/batches/new", data=form)
    assert response.status_code == 303 and response.headers["Location"].startswith("/batches/")


def test_the_same_key_with_another_body_on_a_page_is_refused_and_records_nothing_more(app, client):
    world = signed_in_farmer(app, client)
    token = fresh_token(client)
    assert send(client, "/batches/new", "phone-same", harvest_form(world, "100"), token).status_code == 201
    other = send(client, "/batches/new", "phone-same", harvest_form(world, "200"), token)
    assert other.status_code == 422 and other.json["code"] == "idempotency_key_reused"
    assert lots_of(app, world.an_org) == 1


def test_a_send_queued_by_another_person_is_refused_under_this_session(app, client):
    world = signed_in_farmer(app, client)
    headers = {"X-Queued-For": str(world.binh_user)}
    answer = client.post(
        "/batches/new",
        data=harvest_form(world),
        headers={"Idempotency-Key": "phone-shared", "Accept": JSON, "X-CSRFToken": fresh_token(client), **headers},
    )
    assert answer.status_code == 403 and answer.json["code"] == "queued_for_another_user"
    assert lots_of(app, world.an_org) == 0


def test_a_queued_harvest_stays_with_the_organization_it_was_filled_for(app, client):
    from core.accounts.models import Organization, OrganizationKind
    from tests.builders import join_cooperative, make_org

    world = signed_in_farmer(app, client)

    def coop_of_an():
        user = db.session.get(User, world.an_user)
        coop = make_org(OrganizationKind.COOPERATIVE, name="HTX của An", owner=user)
        join_cooperative(coop, db.session.get(Organization, world.an_org))
        return coop.id

    coop_id = seeded(app, coop_of_an)
    client.post("/org/switch", data={"organization_id": coop_id, "csrf_token": fresh_token(client)})
    form = harvest_form(world) | {"organization_id": str(world.an_org)}  # filled for the household, then switched
    assert send(client, "/batches/new", "phone-household", form, fresh_token(client)).status_code == 201
    assert lots_of(app, world.an_org) == 1 and lots_of(app, coop_id) == 0


def test_a_pages_key_is_kept_as_long_as_a_session_lasts(app, client):
    from core.db import utcnow
    from core.maintenance import purge_idempotency_records

    world = signed_in_farmer(app, client)
    assert send(client, "/batches/new", "phone-late", harvest_form(world), fresh_token(client)).status_code == 201
    with app.app_context():
        assert purge_idempotency_records(now=utcnow() + timedelta(days=3)) == 0  # the phone may still come back
        assert purge_idempotency_records(now=utcnow() + timedelta(days=31)) == 1
