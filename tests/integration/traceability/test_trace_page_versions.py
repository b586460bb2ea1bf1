"""The trace page is built once per version: every change it shows makes a new version, nothing else does.

A visitor's page is sent from the copy rendered for the current version, and a process that has read a version in
the last TRACE_VERSION_TTL seconds answers without the database; a change made in the same process is seen at once,
a change made elsewhere once the memo expires.
"""

from __future__ import annotations

import pytest
from flask import request_started
from sqlalchemy import select, text

from core.accounts.models import Organization, OrganizationKind, User
from core.db import utcnow
from core.extensions import db
from tests.builders import make_org
from tests.trace_page_builders import build_story, counted
from tests.traceability_builders import audited, make_certificate, make_plot, quick_user, seeded
from traceability.models import Batch, Certificate, Plot, VerificationState
from traceability.services import recalls, scans
from traceability.services.trace_page import version as page_versions


@pytest.fixture
def story(app):
    return seeded(app, build_story)


def fetch(client, code: str, **headers):
    response = client.get(f"/t/{code}", headers={"Accept-Language": "en", **headers})
    response.close()
    return response


def _farm(story) -> Organization:
    return db.session.scalar(select(Organization).where(Organization.name == "Hộ Điều Lộc Ninh"))


def rename_plot(story):
    db.session.scalar(select(Plot).where(Plot.name == "Vườn đồi")).name = "Vườn đồi mới"


def add_certificate(story):
    farm = _farm(story)
    make_certificate(
        farm, list(db.session.scalars(select(Plot).where(Plot.organization_id == farm.id))), number="NEW-1"
    )


def verify_certificate(story):
    certificate = db.session.scalar(select(Certificate).where(Certificate.number == "VG-WAITING"))
    certificate.verification, certificate.verified_at = VerificationState.VERIFIED, utcnow()


def rename_farm(story):
    _farm(story).name = "Hộ Điều Lộc Ninh Mới"


def verify_processor(story):
    db.session.scalar(select(Organization).where(Organization.name == "Xưởng Điều Phú Riềng")).verified_at = utcnow()


@pytest.mark.parametrize(
    ("change", "shown"),
    [
        (rename_plot, "Vườn đồi mới"),
        (add_certificate, "NEW-1"),
        (verify_certificate, None),
        (rename_farm, "Hộ Điều Lộc Ninh Mới"),
        (verify_processor, None),
    ],
)
def test_each_change_the_page_shows_gives_it_a_new_version(app, client, story, change, shown):
    before = fetch(client, story["kernels"])
    assert before.status_code == 200 and (shown is None or shown not in before.get_data(as_text=True))

    def apply():
        change(story)
        db.session.commit()

    seeded(app, apply)
    after = fetch(client, story["kernels"], **{"If-None-Match": before.headers["ETag"]})
    assert after.status_code == 200 and after.headers["ETag"] != before.headers["ETag"]
    assert after.data != before.data  # the new version, not the copy rendered for the old one
    if shown is not None:
        assert shown in after.get_data(as_text=True)


def test_a_recall_upstream_and_an_audit_give_new_versions(app, client, story):
    first = fetch(client, story["kernels"])
    seeded(app, lambda: recalls.recall(_user(story), story["harvest"], "Aflatoxin"))
    recalled = fetch(client, story["kernels"], **{"If-None-Match": first.headers["ETag"]})
    assert recalled.status_code == 200 and "This lot is recalled" in recalled.get_data(as_text=True)
    audited(app)
    checked = fetch(client, story["kernels"], **{"If-None-Match": recalled.headers["ETag"]})
    assert checked.status_code == 200 and "The whole ledger was last checked on " in checked.get_data(as_text=True)


def _user(story):
    return db.session.get(User, story["owner_id"])


def test_a_change_elsewhere_leaves_the_page_as_it_was(app, client, story):
    first = fetch(client, story["kernels"])

    def elsewhere():
        other = make_org(OrganizationKind.HOUSEHOLD, name="Hộ Khác", owner=quick_user("Người khác"))
        make_plot(other, name="Vườn khác")
        other.name = "Hộ Khác Nữa"
        db.session.commit()

    seeded(app, elsewhere)
    again = fetch(client, story["kernels"], **{"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304


@pytest.fixture
def remembering(make_app, app):
    """An app whose processes remember a page's version for a minute, as production does for a few seconds."""
    page_versions.memo.clear()
    yield make_app(TRACE_VERSION_TTL=60, SCAN_FLUSH_SECONDS=3600)  # views are sent later, not by the page
    page_versions.memo.clear()


def test_a_remembered_version_is_answered_without_the_database(remembering, story):
    client = remembering.test_client()
    first = fetch(client, story["kernels"])
    again, statements = counted(
        remembering, lambda: fetch(client, story["kernels"], **{"If-None-Match": first.headers["ETag"]})
    )
    assert again.status_code == 304 and statements == []
    full, statements = counted(remembering, lambda: fetch(client, story["kernels"]))
    assert full.status_code == 200 and statements == []  # the copy rendered for this version
    assert full.data == first.data and full.headers["ETag"] == first.headers["ETag"]


def test_a_change_in_this_process_is_seen_at_once_one_elsewhere_when_the_memo_expires(remembering, story, monkeypatch):
    client = remembering.test_client()
    first = fetch(client, story["kernels"])

    def elsewhere():  # another worker's commit: this process's session sees nothing of it
        with db.engine.begin() as connection:
            connection.execute(
                text("UPDATE batches SET trace_version = trace_version + 1 WHERE code = :c"), {"c": story["harvest"]}
            )

    seeded(remembering, elsewhere)
    assert fetch(client, story["kernels"], **{"If-None-Match": first.headers["ETag"]}).status_code == 304
    later = page_versions.time.monotonic() + 61
    monkeypatch.setattr(page_versions.time, "monotonic", lambda: later)
    moved = fetch(client, story["kernels"], **{"If-None-Match": first.headers["ETag"]})
    assert moved.status_code == 200 and moved.headers["ETag"] != first.headers["ETag"]

    def here():
        batch = db.session.scalar(select(Batch).where(Batch.code == story["kernels"]))
        batch.note = "Kiểm tra lại"
        db.session.commit()

    seeded(remembering, here)
    now = fetch(client, story["kernels"], **{"If-None-Match": moved.headers["ETag"]})
    assert now.status_code == 200 and now.headers["ETag"] != moved.headers["ETag"]


def test_a_signed_in_reader_never_gets_a_visitors_copy(app, client, story):
    visitor = fetch(client, story["kernels"])
    with client.session_transaction() as session:
        session["_user_id"] = str(story["owner_id"])
        session["_fresh"] = True
    reader = fetch(client, story["kernels"])
    assert reader.status_code == 200 and reader.data != visitor.data
    assert reader.headers["Cache-Control"].startswith("private")
    assert 'data-user="' in reader.get_data(as_text=True) and 'data-user="' not in visitor.get_data(as_text=True)


PHONE = "Mozilla/5.0 (Linux; Android 11; SM-A105F) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Mobile Safari"


def _without_request_id(response) -> list[tuple[str, str]]:
    return sorted((name, value) for name, value in response.headers if name not in ("X-Request-ID", "Date"))


def test_a_visitors_page_is_replayed_exactly_as_flask_sent_it(remembering, story, caplog):
    client = remembering.test_client()
    headers = {"Accept-Encoding": "gzip", "User-Agent": PHONE}
    first = fetch(client, story["kernels"], **headers)
    assert first.headers["Content-Encoding"] == "gzip"
    caplog.set_level("INFO", "nongsan.request")
    again, statements = counted(remembering, lambda: fetch(client, story["kernels"], **headers))
    assert statements == []
    assert again.data == first.data and _without_request_id(again) == _without_request_id(first)
    assert again.headers["X-Request-ID"] != first.headers["X-Request-ID"]
    logged = [record for record in caplog.records if record.name == "nongsan.request"]
    assert [(r.endpoint, r.status, r.path) for r in logged] == [("trace.page", 200, f"/t/{story['kernels']}")]
    check = fetch(client, story["kernels"], **headers, **{"If-None-Match": first.headers["ETag"]})
    assert check.status_code == 304 and check.data == b"" and "Content-Encoding" not in check.headers
    assert check.headers["ETag"] == first.headers["ETag"] and check.headers["Cache-Control"] == "public, max-age=60"


def test_replayed_views_count_like_the_others(remembering, story):
    client = remembering.test_client()
    for _ in range(3):
        fetch(client, story["kernels"], **{"User-Agent": PHONE})
    fetch(client, story["kernels"], **{"User-Agent": "facebookexternalhit/1.1"})
    tally = scans.tally_of(remembering)
    assert sum(tally._counts.values()) == 3  # the first built by Flask, two replayed; the previewer not counted


def test_what_is_not_a_plain_visitors_request_goes_to_flask(remembering, story):
    client = remembering.test_client()
    fetch(client, story["kernels"])
    flask_answers = []

    def answered(sender, **extra):
        flask_answers.append(1)

    with request_started.connected_to(answered, remembering):
        fetch(client, story["kernels"])
        assert flask_answers == []  # replayed
        fetch(client, story["kernels"], **{"Authorization": "Bearer x"})
        client.set_cookie("session", "abc")
        fetch(client, story["kernels"])
        client.delete_cookie("session")
        client.get(f"/t/{story['kernels']}?utm=1").close()
    assert len(flask_answers) == 3
