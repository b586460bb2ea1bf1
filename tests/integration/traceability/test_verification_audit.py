"""Certificate decisions in the audit log, the reason reaching the producer, and the certificates (with their
photos) on the officer's review of an organization."""

from __future__ import annotations

from types import SimpleNamespace

from sqlalchemy import select

from core.accounts.models import OrganizationKind
from core.audit.models import AuditEntry
from core.extensions import db
from core.files.models import StoredFile
from tests.builders import make_org, make_user
from tests.conftest import csrf_token
from tests.integration.core.accounts.helpers import sign_in
from tests.traceability_builders import make_certificate, make_plot, seeded
from traceability.models import Certificate, VerificationState

QUEUE = "/department/certificates"


def world(app) -> SimpleNamespace:
    def build():
        officer = make_user(name="Cán bộ Sở")
        department = make_org(OrganizationKind.DEPARTMENT, name="Sở NN&MT", owner=officer)
        farmer = make_user(name="Nông dân Ba")
        farm = make_org(OrganizationKind.HOUSEHOLD, name="Hộ Ba Lợi", owner=farmer)
        plot = make_plot(farm, name="Vườn điều")
        db.session.add(
            StoredFile(
                public_id="vietgapphoto42",
                key="images/vg/42.jpg",
                thumbnail_key="images/vg/42-thumb.jpg",
                content_type="image/jpeg",
                size=10,
                width=10,
                height=10,
                organization_id=farm.id,
                uploaded_by_id=farmer.id,
            )
        )
        certificate = make_certificate(farm, [plot], number="VG-0042")
        certificate.document_id = "vietgapphoto42"
        db.session.commit()
        return SimpleNamespace(
            officer=officer.phone,
            officer_id=officer.id,
            department=department.id,
            farmer=farmer.phone,
            farm=farm.id,
            plot=plot.id,
            certificate=certificate.id,
        )

    return seeded(app, build)


def decide(client, certificate_id: int, state: str, note: str = ""):
    data = {"csrf_token": csrf_token(client, QUEUE), "state": state, "note": note}
    return client.post(f"{QUEUE}/{certificate_id}/verification", data=data)


def entries(app) -> list[tuple]:
    """The decisions in the audit log (the officer's own sign-in is logged too, and is not one)."""
    with app.app_context():
        return [
            (e.actor_id, e.actor_organization_id, e.action, e.subject_type, e.subject_id, e.reason)
            for e in db.session.scalars(
                select(AuditEntry).where(AuditEntry.action.not_like("account.sign%")).order_by(AuditEntry.id)
            )
        ]


def test_each_certificate_decision_leaves_exactly_one_entry(app, client):
    w = world(app)
    sign_in(client, w.officer)
    assert decide(client, w.certificate, "verified").status_code == 303
    assert entries(app) == [(w.officer_id, w.department, "certificate.verified", "certificate", w.certificate, None)]
    assert decide(client, w.certificate, "rejected", "Số hiệu không có trong sổ của QUACERT").status_code == 303
    assert entries(app)[1:] == [
        (
            w.officer_id,
            w.department,
            "certificate.rejected",
            "certificate",
            w.certificate,
            "Số hiệu không có trong sổ của QUACERT",
        )
    ]
    log = client.get("/department/audit-log?action=certificate.rejected").get_data(as_text=True)
    assert "VG-0042" in log and "Hộ Ba Lợi" in log and "Số hiệu không có trong sổ của QUACERT" in log


def test_a_rejection_without_a_reason_is_refused_and_writes_nothing(app, client):
    w = world(app)
    sign_in(client, w.officer)
    assert decide(client, w.certificate, "rejected", "  ").status_code == 422
    assert entries(app) == []
    with app.app_context():
        assert db.session.get(Certificate, w.certificate).verification is VerificationState.PENDING


def test_the_producer_reads_why_the_certificate_was_rejected(app, client):
    w = world(app)
    sign_in(client, w.officer)
    decide(client, w.certificate, "rejected", "Ảnh chụp mờ, không đọc được số hiệu")
    client.post("/sign-out")
    sign_in(client, w.farmer)
    page = client.get(f"/plots/{w.plot}").get_data(as_text=True)
    assert "VG-0042" in page and "Ảnh chụp mờ, không đọc được số hiệu" in page


def test_a_farmer_posting_a_decision_gets_403_and_nothing_is_logged(app, client):
    w = world(app)
    sign_in(client, w.farmer)
    token = csrf_token(client, "/batches")
    for state, note in (("verified", ""), ("rejected", "Tự từ chối")):
        answer = client.post(
            f"{QUEUE}/{w.certificate}/verification", data={"csrf_token": token, "state": state, "note": note}
        )
        assert answer.status_code == 403
    assert entries(app) == []


def test_the_officers_review_of_an_organization_shows_its_certificates_and_their_photos(app, client):
    w = world(app)
    sign_in(client, w.officer)
    review = client.get(f"/department/organizations/{w.farm}").get_data(as_text=True)
    documents = review.split('id="documents"', 1)[1].split("</section>", 1)[0]
    assert "VietGAP" in documents and "VG-0042" in documents and "Đang chờ xác minh" in documents
    assert "/files/vietgapphoto42" in documents
    decide(client, w.certificate, "rejected", "Hết hạn")
    review = client.get(f"/department/organizations/{w.farm}").get_data(as_text=True)
    assert "Hết hạn" in review.split('id="documents"', 1)[1].split("</section>", 1)[0]
