"""The audit log of sign-ins, role changes and verifications: each leaves one entry naming who, what, when and from
which address (payouts: tests/integration/market/test_ledger.py)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from core.accounts.models import Organization, OrganizationKind, Role
from core.audit.models import AuditEntry
from core.db import utcnow
from core.extensions import db
from tests.builders import PASSWORD, bearer, make_org, make_token, make_user
from tests.integration.core.accounts.helpers import sign_in
from tests.traceability_builders import seeded

ADDRESS = "203.0.113.7"


@pytest.fixture
def visitor(app):
    """A client whose requests come from ADDRESS."""
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = ADDRESS
    return client


def entries(action: str) -> list[AuditEntry]:
    db.session.remove()
    return list(db.session.scalars(select(AuditEntry).where(AuditEntry.action == action).order_by(AuditEntry.id)))


def only(action: str) -> AuditEntry:
    found = entries(action)
    assert len(found) == 1, [(e.action, e.details) for e in found]
    entry = found[0]
    assert entry.ip_address == ADDRESS
    assert utcnow() - timedelta(minutes=1) < entry.at <= utcnow()
    return entry


def test_a_sign_in_on_the_page_is_logged(ctx, visitor):
    farmer = make_user(phone="+84912000111", name="Điểu Văn Lâm").id
    assert sign_in(visitor, "0912 000 111", PASSWORD).status_code == 303
    entry = only("account.signed_in")
    assert (entry.actor_id, entry.subject_type, entry.subject_id) == (farmer, "user", farmer)
    assert entry.details == {"login": "+84912000111", "via": "password"}
    assert entries("account.sign_in_failed") == []


def test_a_wrong_password_is_logged_against_the_account(ctx, visitor):
    farmer = make_user(phone="+84912000112").id
    assert sign_in(visitor, "0912000112", "not the password").status_code != 303
    entry = only("account.sign_in_failed")
    assert entry.actor_id == farmer and entry.subject_id == farmer
    assert entry.details == {"login": "+84912000112", "reason": "bad_credentials"}
    assert entries("account.signed_in") == []


def test_a_sign_in_under_an_unknown_login_is_logged_without_an_actor(ctx, visitor):
    response = visitor.post("/api/v1/auth/tokens", json={"login": "nobody@example.vn", "password": "guess"})
    assert response.status_code == 401
    entry = only("account.sign_in_failed")
    assert entry.actor_id is None and entry.subject_id is None
    assert entry.details == {"login": "nobody@example.vn", "reason": "bad_credentials"}


def test_a_blocked_login_is_logged_each_time(ctx, make_app):
    client = make_app(LOGIN_FAILURE_LIMIT=1).test_client()
    client.environ_base["REMOTE_ADDR"] = ADDRESS
    make_user(phone="+84912000113")
    body = {"login": "0912000113", "password": "wrong"}
    assert client.post("/api/v1/auth/tokens", json=body).status_code == 401
    assert client.post("/api/v1/auth/tokens", json={**body, "password": PASSWORD}).status_code == 429
    reasons = [entry.details["reason"] for entry in entries("account.sign_in_failed")]
    assert reasons == ["bad_credentials", "blocked"]
    assert entries("account.signed_in") == []


def test_a_new_api_token_is_a_logged_sign_in(ctx, visitor):
    buyer = make_user(email="importer@example.com").id
    response = visitor.post("/api/v1/auth/tokens", json={"login": "importer@example.com", "password": PASSWORD})
    assert response.status_code == 201
    entry = only("account.signed_in")
    assert entry.actor_id == buyer and entry.details["via"] == "api_token"


def test_an_administrators_grant_is_logged_with_the_role_before_and_after(ctx, visitor):
    admin = make_user(is_admin=True, name="Quản trị")
    headers = bearer(make_token(admin))
    admin, officer = admin.id, make_user(name="Cán bộ Hà").id
    department = make_org(OrganizationKind.DEPARTMENT, name="Sở NN&MT").id
    grant = {"organization_id": department, "role": "manager"}
    response = visitor.post(f"/api/v1/admin/users/{officer}/grants", json=grant, headers=headers)
    assert response.status_code == 201, response.get_json()
    entry = only("membership.granted")
    assert (entry.actor_id, entry.subject_type, entry.subject_id) == (admin, "user", officer)
    assert entry.actor_organization_id == department
    assert entry.details["role_before"] is None and entry.details["role"] == "manager"
    # Granting the role it already has changes nothing and logs nothing.
    assert visitor.post(f"/api/v1/admin/users/{officer}/grants", json=grant, headers=headers).status_code == 201
    assert len(entries("membership.granted")) == 1


def test_an_owner_adding_and_removing_a_member_is_logged(ctx, visitor):
    owner = make_user(name="Chủ hộ")
    farm = make_org(owner=owner).id
    headers = bearer(make_token(owner))
    owner, worker = owner.id, make_user(phone="+84912000114", name="Người làm").id
    added = visitor.post(
        f"/api/v1/organizations/{farm}/members", json={"login": "0912000114", "role": "member"}, headers=headers
    )
    assert added.status_code == 201, added.get_json()
    entry = only("membership.added")
    assert (entry.actor_id, entry.subject_id, entry.actor_organization_id) == (owner, worker, farm)
    assert entry.details["role"] == "member"
    assert visitor.delete(f"/api/v1/organizations/{farm}/members/{worker}", headers=headers).status_code == 204
    removed = only("membership.removed")
    assert removed.details["role_before"] == "member" and removed.details["role"] is None


def test_an_organizations_verification_is_logged_with_its_address(ctx, visitor):
    officer = make_user(name="Cán bộ Hà")
    headers = bearer(make_token(officer))
    department = make_org(OrganizationKind.DEPARTMENT, owner=officer, role=Role.MEMBER).id
    officer, farm = officer.id, make_org(name="Hộ Điểu Thị Lan").id
    response = visitor.post(f"/api/v1/organizations/{farm}/verification", headers=headers)
    assert response.status_code == 200, response.get_json()
    entry = only("organization.verified")
    assert (entry.actor_id, entry.actor_organization_id, entry.subject_id) == (officer, department, farm)
    assert db.session.get(Organization, farm).verified_at is not None


def test_the_officers_log_page_shows_sign_ins_with_their_address(app, client, visitor):
    # No app context around the requests: each one must load its own signed-in user.
    def build():
        make_user(phone="+84912000115", name="Điểu Văn Lâm")
        officer = make_user(phone="+84912000116", name="Cán bộ Hà")
        make_org(OrganizationKind.DEPARTMENT, owner=officer)

    seeded(app, build)
    sign_in(visitor, "0912000115", PASSWORD)
    sign_in(client, "0912000116", PASSWORD)
    page = client.get("/department/audit-log?action=account.signed_in").get_data(as_text=True)
    assert "Điểu Văn Lâm" in page and ADDRESS in page
