"""The department's review of organizations: every decision is in the audit log, a rejection's reason reaches
the producer, and only officers decide or read the log."""

from __future__ import annotations

from types import SimpleNamespace

from sqlalchemy import func, select

from core.accounts.models import Organization, OrganizationKind, VerificationStatus
from core.audit.models import AuditEntry
from core.extensions import db
from tests.builders import make_org, make_token, make_user
from tests.conftest import csrf_token
from tests.integration.core.accounts.helpers import sign_in
from tests.traceability_builders import seeded

QUEUE = "/department/organizations"


def people(app) -> SimpleNamespace:
    def build():
        officer = make_user(name="Cán bộ Trần Văn Sở")
        department = make_org(OrganizationKind.DEPARTMENT, name="Sở NN&MT Đồng Nai", owner=officer)
        farmer = make_user(name="Lê Thị Nông")
        farm = make_org(OrganizationKind.HOUSEHOLD, name="Hộ Lê Thị Nông", owner=farmer)
        return SimpleNamespace(
            officer=officer.phone,
            officer_id=officer.id,
            officer_token=make_token(officer),
            department=department.id,
            farmer=farmer.phone,
            farmer_id=farmer.id,
            farmer_token=make_token(farmer),
            farm=farm.id,
        )

    return seeded(app, build)


def decide(client, organization_id: int, decision: str, reason: str = ""):
    page = f"{QUEUE}/{organization_id}"
    data = {"csrf_token": csrf_token(client, page), "decision": decision, "reason": reason}
    return client.post(f"{QUEUE}/{organization_id}/verification", data=data)


def entries(app) -> list[AuditEntry]:
    """The log's decisions about organizations (sign-ins are logged too)."""
    with app.app_context():
        found = list(
            db.session.scalars(
                select(AuditEntry).where(AuditEntry.subject_type == "organization").order_by(AuditEntry.id)
            )
        )
        db.session.expunge_all()
        return found


def organization(app, organization_id: int) -> Organization:
    with app.app_context():
        found = db.session.get(Organization, organization_id)
        db.session.expunge(found)
        return found


def test_each_decision_leaves_exactly_one_entry_with_actor_action_subject_and_reason(app, client):
    world = people(app)
    sign_in(client, world.officer)

    assert decide(client, world.farm, "reject", "  Tên hộ không khớp\n với CCCD ").status_code == 303
    assert decide(client, world.farm, "verify").status_code == 303
    assert decide(client, world.farm, "withdraw", "Hộ đã ngừng sản xuất").status_code == 303

    logged = entries(app)
    assert [(e.action, e.reason) for e in logged] == [
        ("organization.rejected", "Tên hộ không khớp với CCCD"),
        ("organization.verified", None),
        ("organization.verification_withdrawn", "Hộ đã ngừng sản xuất"),
    ]
    for entry in logged:
        assert (entry.actor_id, entry.actor_organization_id) == (world.officer_id, world.department)
        assert (entry.subject_type, entry.subject_id) == ("organization", world.farm)
        assert entry.details["name"] == "Hộ Lê Thị Nông"
    assert organization(app, world.farm).verification_state is VerificationStatus.PENDING


def test_a_decision_that_changes_nothing_is_not_logged(app, client):
    world = people(app)
    sign_in(client, world.officer)
    assert decide(client, world.farm, "withdraw").status_code == 303  # not verified: nothing to withdraw
    decide(client, world.farm, "verify")
    decide(client, world.farm, "verify")
    assert [e.action for e in entries(app)] == ["organization.verified"]


def test_a_rejected_organizations_owner_reads_the_reason_in_vietnamese_and_in_english(app, client):
    world = people(app)
    sign_in(client, world.officer)
    decide(client, world.farm, "reject", "Thiếu giấy chứng nhận VietGAP của vườn")
    assert "Đã từ chối Hộ Lê Thị Nông; người của tổ chức sẽ thấy lý do bạn ghi." in client.get(QUEUE).get_data(
        as_text=True
    )
    client.post("/sign-out")

    sign_in(client, world.farmer)
    page = client.get("/org").get_data(as_text=True)
    assert "Sở chưa xác minh tổ chức của bạn" in page and "Thiếu giấy chứng nhận VietGAP của vườn" in page
    client.set_cookie("lang", "en", domain="localhost")
    page = client.get("/org").get_data(as_text=True)
    assert "The Department did not verify your organization" in page
    assert "Thiếu giấy chứng nhận VietGAP của vườn" in page


def test_a_rejection_without_a_reason_gets_a_field_error_in_the_officers_language_and_writes_nothing(app, client):
    world = people(app)
    sign_in(client, world.officer)
    refused = decide(client, world.farm, "reject", " \n ")
    assert refused.status_code == 422
    assert "Ghi rõ lý do từ chối tổ chức: người của tổ chức sẽ thấy lý do này." in refused.get_data(as_text=True)
    client.set_cookie("lang", "en", domain="localhost")
    refused = decide(client, world.farm, "reject", "")
    assert "Say why the organization is rejected: its people see your reason." in refused.get_data(as_text=True)
    assert entries(app) == []
    assert organization(app, world.farm).verification_state is VerificationStatus.PENDING


def test_a_rejected_organization_goes_back_to_the_queue_when_its_owner_updates_it(app, client):
    world = people(app)
    sign_in(client, world.officer)
    decide(client, world.farm, "reject", "Sai tên chủ hộ")
    queue = client.get(QUEUE).get_data(as_text=True)
    assert queue.index(f'id="organization-{world.farm}"') > queue.index("<h2>Bị từ chối</h2>")  # among the rejected
    client.post("/sign-out")

    sign_in(client, world.farmer)
    saved = client.post(
        "/org",
        data={
            "csrf_token": csrf_token(client, "/org"),
            "name": "Hộ Lê Thị Nông (chủ hộ Lê Văn Tư)",
            "address-province_code": "75",
            "address-commune_code": "25270",
        },
    )
    assert saved.status_code == 303
    assert organization(app, world.farm).verification_state is VerificationStatus.PENDING
    assert "Sở chưa xác minh tổ chức của bạn" not in client.get("/org").get_data(as_text=True)
    resubmitted = entries(app)[-1]
    assert (resubmitted.action, resubmitted.actor_id, resubmitted.actor_organization_id) == (
        "organization.resubmitted",
        world.farmer_id,
        world.farm,
    )
    client.post("/sign-out")

    sign_in(client, world.officer)
    waiting = client.get(QUEUE).get_data(as_text=True).split("<h2>Bị từ chối</h2>")[0]
    assert "Hộ Lê Thị Nông (chủ hộ Lê Văn Tư)" in waiting
    review = client.get(f"{QUEUE}/{world.farm}").get_data(as_text=True)
    assert "Sai tên chủ hộ" in review  # the earlier rejection, in the organization's history


def test_non_officers_get_403_on_decisions_the_review_page_and_the_audit_log(app, client):
    world = people(app)
    sign_in(client, world.farmer)
    token = csrf_token(client, "/org")
    for decision in ("verify", "reject", "withdraw"):
        answer = client.post(
            f"{QUEUE}/{world.farm}/verification", data={"csrf_token": token, "decision": decision, "reason": "x"}
        )
        assert answer.status_code == 403
    assert client.get(f"{QUEUE}/{world.farm}").status_code == 403
    assert client.get("/department/audit-log").status_code == 403
    # The API asks the service, which refuses a member of the organization just the same.
    rejection = client.post(
        f"/api/v1/organizations/{world.farm}/rejection",
        json={"reason": "Tự từ chối"},
        headers={"Authorization": f"Bearer {world.farmer_token}"},
    )
    assert rejection.status_code == 403
    assert entries(app) == []
    assert organization(app, world.farm).verification_state is VerificationStatus.PENDING


def test_an_officer_rejects_through_the_api_and_an_empty_reason_is_refused(app, client):
    world = people(app)
    officer = {"Authorization": f"Bearer {world.officer_token}"}
    url = f"/api/v1/organizations/{world.farm}/rejection"
    empty = client.post(url, json={"reason": "   "}, headers=officer)
    assert empty.status_code == 422 and empty.json["code"] == "rejection_reason_required"
    assert list(empty.json["errors"]) == ["reason"]
    assert entries(app) == []
    rejected = client.post(url, json={"reason": "Mã số thuế không tồn tại"}, headers=officer)
    assert rejected.status_code == 200
    assert rejected.json["verification_state"] == "rejected"
    assert rejected.json["rejection_reason"] == "Mã số thuế không tồn tại"
    assert [(e.action, e.reason) for e in entries(app)] == [("organization.rejected", "Mã số thuế không tồn tại")]
    mine = client.get("/api/v1/me", headers={"Authorization": f"Bearer {world.farmer_token}"}).json
    assert mine["memberships"][0]["organization"]["rejection_reason"] == "Mã số thuế không tồn tại"


def test_the_audit_log_page_lists_newest_first_filters_by_action_and_pages(app, client):
    world = people(app)
    sign_in(client, world.officer)  # the log's oldest entry: the officer's sign-in

    def build():
        from core import audit
        from core.accounts.models import User

        officer = db.session.get(User, world.officer_id)
        for number in range(1, 56):
            farm = make_org(OrganizationKind.HOUSEHOLD, name=f"Hộ số {number:02d}")
            audit.record(officer, "organization.verified", farm, details={"name": farm.name})
        farm = db.session.get(Organization, world.farm)
        audit.record(officer, "organization.rejected", farm, reason="Lý do thứ 56", details={"name": farm.name})
        db.session.commit()

    seeded(app, build)
    home = client.get("/department/organizations").get_data(as_text=True)
    assert 'href="/department/audit-log"' in home and "Nhật ký quyết định" in home

    first = client.get("/department/audit-log").get_data(as_text=True)
    assert first.index("Lý do thứ 56") < first.index("Hộ số 55") < first.index("Hộ số 07")
    assert "Hộ số 06" not in first and "Cán bộ Trần Văn Sở" in first and "Sở NN&amp;MT Đồng Nai" in first
    second = client.get("/department/audit-log?page=2").get_data(as_text=True)
    assert "Hộ số 06" in second and "Hộ số 01" in second and "Hộ số 07" not in second

    rejected = client.get("/department/audit-log?action=organization.rejected").get_data(as_text=True)
    assert "Lý do thứ 56" in rejected and "Hộ số" not in rejected
    with app.app_context():
        assert db.session.scalar(select(func.count(AuditEntry.id))) == 57
