"""Scan counts: each page a person opens counts once a day per lot, after the response, with nothing about them kept."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import inspect, select

from core.extensions import db
from tests.traceability_builders import BatchWorld
from traceability.models import Batch, BatchScanDay
from traceability.services import scans
from traceability.services.scans import scan_day

PHONE = (
    "Mozilla/5.0 (Linux; Android 11; SM-A105F) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Mobile Safari/537.36"
)
PREVIEWERS = [
    "facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)",
    "Mozilla/5.0 (compatible; Zalo/1.0; +https://zalo.me)",
    "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
    "Mozilla/5.0 (compatible; bingbot/2.0)",
    "WhatsApp/2.23.20.0",
    "TelegramBot (like TwitterBot)",
    "",
]


@pytest.fixture
def world(app):
    return BatchWorld(app)


def views(app, code: str) -> int:
    with app.app_context():
        batch_id = db.session.scalar(select(Batch.id).where(Batch.code == code))
        return db.session.scalar(
            select(db.func.coalesce(db.func.sum(BatchScanDay.count), 0)).where(BatchScanDay.batch_id == batch_id)
        )


def open_page(client, code: str, user_agent: str = PHONE, **headers):
    response = client.get(f"/t/{code}", headers={"User-Agent": user_agent, **headers})
    response.close()  # what a WSGI server does once the response is sent: the count is made then
    return response


def test_each_view_counts_one_after_the_response_is_sent(app, client, world):
    code = world.harvest("an")
    for expected in (1, 2, 3):
        response = client.get(f"/t/{code}", headers={"User-Agent": PHONE})
        assert response.status_code == 200
        assert views(app, code) == expected - 1  # not yet: the page did not wait for the count
        response.close()
        assert views(app, code) == expected


def test_robots_link_previews_and_rechecks_do_not_count(app, client, world):
    code = world.harvest("an")
    for agent in PREVIEWERS:
        assert open_page(client, code, agent).status_code == 200
    assert views(app, code) == 0
    first = open_page(client, code)
    assert open_page(client, code, If_None_Match=first.headers["ETag"]).status_code == 304
    client.head(f"/t/{code}", headers={"User-Agent": PHONE}).close()
    assert views(app, code) == 1


def test_counts_are_kept_per_day_with_nothing_about_the_visitor(app, client, world):
    code = world.harvest("an")
    open_page(client, code, REMOTE_ADDR="203.0.113.77")
    with app.app_context():
        columns = {column["name"] for column in inspect(db.engine).get_columns("batch_scan_days")}
        row = db.session.scalars(select(BatchScanDay)).one()
        assert (row.day, row.count) == (scan_day(), 1)
    assert columns == {"id", "batch_id", "day", "count"}  # no address, agent or cookie column to fill


def test_the_holder_reads_views_by_day(app, client, world):
    code = world.harvest("an")
    for _ in range(3):
        open_page(client, code)
    today = scan_day()
    response = client.get(f"/api/v1/batches/{code}/scans", headers=world.auth("an"))
    assert response.status_code == 200
    body = response.json
    assert body["batch_code"] == code and body["total"] == 3 and body["all_time"] == 3
    assert len(body["days"]) == 30 and body["days"][-1] == {"day": today.isoformat(), "count": 3}
    assert body["days"][0] == {"day": (today - timedelta(days=29)).isoformat(), "count": 0}
    week = client.get(
        f"/api/v1/batches/{code}/scans?start={(today - timedelta(days=6)).isoformat()}&end={today.isoformat()}",
        headers=world.auth("an"),
    )
    assert [day["count"] for day in week.json["days"]] == [0, 0, 0, 0, 0, 0, 3]


def test_only_the_holder_sees_the_counts(client, world):
    code = world.harvest("an")
    assert client.get(f"/api/v1/batches/{code}/scans").status_code == 401
    assert client.get(f"/api/v1/batches/{code}/scans", headers=world.auth("outsider")).status_code == 404
    assert client.get(f"/api/v1/batches/{code}/scans", headers=world.auth("officer")).status_code == 403
    too_long = client.get(f"/api/v1/batches/{code}/scans?start=2024-01-01&end=2025-12-31", headers=world.auth("an"))
    assert too_long.status_code == 422 and "start" in too_long.json["errors"]


def test_the_holder_has_a_page_of_views(app, world):
    code = world.harvest("an")
    visitor, holder = app.test_client(), app.test_client()
    open_page(visitor, code)
    with holder.session_transaction() as session:
        session["_user_id"] = str(world.an_user)
        session["_fresh"] = True
    page = holder.get(f"/batches/{code}/scans?lang=en")
    assert page.status_code == 200
    assert "1 view from" in page.get_data(as_text=True)
    with app.test_client() as stranger:
        with stranger.session_transaction() as session:
            session["_user_id"] = str(world.binh_user)
        assert stranger.get(f"/batches/{code}/scans").status_code == 404


def test_a_busy_process_sends_its_views_together(make_app, app, world, monkeypatch):
    code, other = world.harvest("an"), world.harvest("an")
    busy = make_app(SCAN_FLUSH_SECONDS=3600)
    client = busy.test_client()
    for _ in range(3):
        open_page(client, code)
    open_page(client, other)
    assert views(app, code) == 0 and views(app, other) == 0  # added up in the process, not yet sent
    later = scans.time.monotonic() + 3601
    monkeypatch.setattr(scans.time, "monotonic", lambda: later)
    open_page(client, code)
    assert views(app, code) == 4 and views(app, other) == 1  # one task with both lots


def test_views_that_could_not_be_sent_go_with_the_next_send():
    tally = scans.ViewTally()
    day = scan_day()
    tally.add(7, day)
    tally.add(7, day)

    def broken(counts):
        raise ConnectionError("broker down")

    with pytest.raises(ConnectionError):
        tally.flush(broken, interval=0)
    sent = []
    tally.add(8, day)
    tally.flush(sent.append, interval=0)
    assert sent == [[[7, day.isoformat(), 2], [8, day.isoformat(), 1]]]
    tally.flush(sent.append, interval=0)
    assert len(sent) == 1  # nothing left to send
