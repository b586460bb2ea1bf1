"""Certificates: recorded by the holder, verified by the department, valid only within their dates."""

from __future__ import annotations

from datetime import date

import pytest

from core.accounts.models import Organization
from core.extensions import db
from core.files.models import StoredFile
from tests.traceability_builders import PlotWorld, make_certificate, make_plot, seeded
from traceability.models import Plot
from traceability.services.certificates import certificates_valid_on


@pytest.fixture
def world(app):
    world = PlotWorld(app)

    def build():
        farm, other = db.session.get(Organization, world.farm), db.session.get(Organization, world.other)
        world.plot_a, world.plot_b = make_plot(farm, name="Lô A").id, make_plot(farm, name="Lô B").id
        world.other_plot = make_plot(other, name="Lô của Bình").id
        db.session.add(
            StoredFile(
                public_id="certphoto123",
                key="images/ce/x.jpg",
                thumbnail_key="images/ce/x-thumb.jpg",
                content_type="image/jpeg",
                size=10,
                width=10,
                height=10,
                organization_id=world.farm,
                uploaded_by_id=world.farmer_id,
            )
        )
        db.session.commit()

    seeded(app, build)
    return world


def certificate_body(world, **fields):
    body = {
        "organization_id": world.farm,
        "type": "vietgap",
        "number": "VG-2025-0012",
        "issuer": "QUACERT",
        "valid_from": "2025-03-01",
        "valid_to": "2027-02-28",
        "plot_ids": [world.plot_a, world.plot_b],
    }
    body.update(fields)
    return body


def test_holder_records_a_certificate_that_awaits_verification(client, world):
    response = client.post(
        "/api/v1/certificates", json=certificate_body(world, document_id="certphoto123"), headers=world.auth("farmer")
    )
    assert response.status_code == 201
    certificate = response.get_json()
    assert certificate["verification"] == "pending"
    assert certificate["plot_ids"] == sorted([world.plot_a, world.plot_b])
    assert certificate["document_id"] == "certphoto123"
    listed = client.get("/api/v1/certificates", headers=world.auth("farmer")).get_json()
    assert [c["number"] for c in listed] == ["VG-2025-0012"]
    by_plot = client.get(f"/api/v1/certificates?plot_id={world.plot_a}", headers=world.auth("farmer")).get_json()
    assert len(by_plot) == 1


def test_certificate_fields_are_checked(client, world):
    auth = world.auth("farmer")
    response = client.post(
        "/api/v1/certificates",
        json=certificate_body(world, valid_to="2024-01-01", plot_ids=[world.other_plot], document_id="nope"),
        headers=auth,
    )
    assert response.status_code == 422
    assert set(response.get_json()["errors"]) == {"valid_to", "plot_ids", "document_id"}
    other = client.post("/api/v1/certificates", json=certificate_body(world, type="other", plot_ids=[]), headers=auth)
    assert other.status_code == 422 and "type_other" in other.get_json()["errors"]
    bad_type = client.post("/api/v1/certificates", json=certificate_body(world, type="iso9001"), headers=auth)
    assert bad_type.status_code == 422 and "type" in bad_type.get_json()["errors"]


def test_other_organizations_certificates_are_not_found(client, world):
    certificate_id = client.post(
        "/api/v1/certificates", json=certificate_body(world), headers=world.auth("farmer")
    ).get_json()["id"]
    outsider = world.auth("outsider")
    assert client.get(f"/api/v1/certificates/{certificate_id}", headers=outsider).status_code == 404
    assert client.get("/api/v1/certificates", headers=outsider).get_json() == []
    assert (
        client.post(
            f"/api/v1/certificates/{certificate_id}/verification", json={"state": "verified"}, headers=outsider
        ).status_code
        == 404
    )
    assert client.post("/api/v1/certificates", json=certificate_body(world), headers=outsider).status_code == 404
    assert client.get("/api/v1/certificates").status_code == 401


def test_department_officer_verifies_or_rejects(client, world):
    certificate_id = client.post(
        "/api/v1/certificates", json=certificate_body(world), headers=world.auth("farmer")
    ).get_json()["id"]
    url = f"/api/v1/certificates/{certificate_id}/verification"
    assert client.post(url, json={"state": "verified"}, headers=world.auth("farmer")).status_code == 403
    assert client.post(url, json={"state": "pending"}, headers=world.auth("officer")).status_code == 422
    no_reason = client.post(url, json={"state": "rejected"}, headers=world.auth("officer"))
    assert no_reason.status_code == 422 and "note" in no_reason.get_json()["errors"]
    verified = client.post(
        url, json={"state": "verified", "note": "Đã đối chiếu bản gốc"}, headers=world.auth("officer")
    ).get_json()
    assert verified["verification"] == "verified" and verified["verified_at"]
    pending = client.get("/api/v1/certificates?verification=verified", headers=world.auth("officer")).get_json()
    assert [c["id"] for c in pending] == [certificate_id]
    assert (
        client.get(f"/api/v1/certificates/{certificate_id}", headers=world.auth("farmer")).get_json()["verification"]
        == "verified"
    )


def test_a_certificate_outside_its_validity_at_harvest_time_is_not_valid(app, world):
    def build():
        farm = db.session.get(Organization, world.farm)
        plot_a, plot_b = db.session.get(Plot, world.plot_a), db.session.get(Plot, world.plot_b)
        make_certificate(
            farm,
            [plot_a],
            number="VG-2024",
            valid_from=date(2024, 1, 1),
            valid_to=date(2024, 12, 31),
            verification="verified",
        )
        make_certificate(
            farm,
            [plot_a, plot_b],
            number="ORG-2025",
            type="organic",
            valid_from=date(2025, 1, 1),
            valid_to=date(2025, 12, 31),
        )
        make_certificate(
            farm,
            [plot_b],
            number="RA-REJ",
            type="rainforest_alliance",
            valid_from=date(2024, 1, 1),
            valid_to=date(2026, 12, 31),
            verification="rejected",
        )

        def numbers(day, **kw):
            return [c.number for c in certificates_valid_on([world.plot_a, world.plot_b], day, **kw)]

        assert numbers(date(2024, 6, 1)) == ["VG-2024"]
        assert numbers(date(2024, 12, 31)) == ["VG-2024"]  # the last day still counts
        assert numbers(date(2025, 1, 1)) == ["ORG-2025"]
        assert numbers(date(2025, 6, 1), verified_only=True) == []  # not yet verified
        assert numbers(date(2026, 2, 1)) == []  # every certificate expired or was rejected
        assert certificates_valid_on([world.other_plot], date(2024, 6, 1)) == []

    seeded(app, build)
