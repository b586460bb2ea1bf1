"""The department's pages: an officer verifies organizations and certificates and recalls lots without the API."""

from __future__ import annotations

from sqlalchemy import select

from core.accounts.models import Organization, OrganizationKind
from core.extensions import db
from tests.builders import make_org, make_user
from tests.conftest import csrf_token
from tests.integration.core.accounts.helpers import sign_in
from tests.traceability_builders import BatchWorld, make_certificate, make_plot, seeded
from traceability.models import Certificate, RecalledBatch, VerificationState


def officer_and_certificate(app) -> tuple[str, str, int, int]:
    def build():
        officer = make_user(name="Cán bộ Sở")
        make_org(OrganizationKind.DEPARTMENT, name="Sở NN&MT", owner=officer)
        farmer = make_user(name="Nông dân")
        farm = make_org(OrganizationKind.HOUSEHOLD, name="Hộ Ba Lợi", owner=farmer)
        certificate = make_certificate(farm, [make_plot(farm, name="Vườn điều")], number="VG-0042")
        return officer.phone, farmer.phone, certificate.id, farm.id

    return seeded(app, build)


def post(client, page: str, action: str, **data):
    return client.post(action, data={"csrf_token": csrf_token(client, page), **data})


def certificate_state(app, certificate_id: int) -> tuple[VerificationState, str | None]:
    with app.app_context():
        certificate = db.session.get(Certificate, certificate_id)
        return certificate.verification, certificate.verification_note


def test_an_officer_verifies_a_certificate_from_the_queue(app, client):
    officer, _farmer, certificate_id, _farm = officer_and_certificate(app)
    sign_in(client, officer)
    queue = client.get("/department/certificates").get_data(as_text=True)
    assert "VG-0042" in queue and "Hộ Ba Lợi" in queue and "Vườn điều" in queue
    action = f"/department/certificates/{certificate_id}/verification"
    response = post(client, "/department/certificates", action, state="verified")
    assert response.status_code == 303
    assert certificate_state(app, certificate_id)[0] is VerificationState.VERIFIED
    after = client.get("/department/certificates").get_data(as_text=True)
    assert "Chứng nhận VG-0042 đã được xác minh." in after
    assert "Không có chứng nhận nào chờ xác minh." in after


def test_a_rejection_without_a_reason_is_refused_in_vietnamese_and_changes_nothing(app, client):
    officer, _farmer, certificate_id, _farm = officer_and_certificate(app)
    sign_in(client, officer)
    action = f"/department/certificates/{certificate_id}/verification"
    response = post(client, "/department/certificates", action, state="rejected", note="  ")
    assert response.status_code == 422
    assert "Ghi rõ lý do từ chối chứng nhận." in response.get_data(as_text=True)
    assert certificate_state(app, certificate_id) == (VerificationState.PENDING, None)
    response = post(client, "/department/certificates", action, state="rejected", note="Số hiệu không có trong sổ")
    assert response.status_code == 303
    assert certificate_state(app, certificate_id) == (VerificationState.REJECTED, "Số hiệu không có trong sổ")


def test_a_farmer_cannot_verify_even_by_posting(app, client):
    _officer, farmer, certificate_id, _farm = officer_and_certificate(app)
    sign_in(client, farmer)
    token = csrf_token(client, "/batches")
    action = f"/department/certificates/{certificate_id}/verification"
    assert client.post(action, data={"csrf_token": token, "state": "verified"}).status_code == 403
    assert certificate_state(app, certificate_id)[0] is VerificationState.PENDING


def test_an_officer_verifies_an_organization_and_can_withdraw_it(app, client):
    officer, _farmer, _certificate, farm_id = officer_and_certificate(app)
    sign_in(client, officer)
    queue = client.get("/department/organizations").get_data(as_text=True)
    assert "Hộ Ba Lợi" in queue and "Sở NN&MT" not in queue.split("<main", 1)[1]
    action = f"/department/organizations/{farm_id}/verification"
    assert post(client, "/department/organizations", action, decision="verify").status_code == 303
    with app.app_context():
        assert db.session.get(Organization, farm_id).verified_by_id is not None
    assert "Hộ Ba Lợi đã được xác minh." in client.get("/department/organizations").get_data(as_text=True)
    assert post(client, "/department/organizations", action, decision="withdraw").status_code == 303
    with app.app_context():
        assert db.session.get(Organization, farm_id).verified_at is None


def test_an_officer_recalls_a_lot_from_the_page_and_sees_it_listed(app, client):
    world = BatchWorld(app)
    code = world.harvest("an")

    def officer_phone():
        return (
            db.session.scalar(select(Organization).where(Organization.kind == OrganizationKind.DEPARTMENT))
            .memberships[0]
            .user.phone
        )

    sign_in(client, seeded(app, officer_phone))
    short = post(client, "/department/recalls", "/department/recalls", code=code, reason="x")
    assert short.status_code == 422 and f'value="{code}"' in short.get_data(as_text=True)
    unknown = post(client, "/department/recalls", "/department/recalls", code="ZZZZZZ", reason="Nhiễm nấm mốc")
    assert unknown.status_code == 422
    response = post(client, "/department/recalls", "/department/recalls", code=code.lower(), reason="Nhiễm nấm mốc")
    assert response.status_code == 303
    with app.app_context():
        assert db.session.scalar(select(RecalledBatch.batch_id)) is not None
    page = client.get("/department/recalls").get_data(as_text=True)
    assert f"Đã thu hồi lô {code}." in page and "Nhiễm nấm mốc" in page
