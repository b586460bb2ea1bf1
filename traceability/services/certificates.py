"""Certificates (VietGAP, GlobalGAP, organic, ...) covering plots, and their verification by the department.

The organization that holds a certificate records it; department officers verify
or reject it. A certificate counts for a harvest only if that day lies within its
validity and the department has not rejected it.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from sqlalchemy import func, select

from core import audit
from core.accounts.documents import OrganizationDocument
from core.accounts.models import Organization, User
from core.accounts.permissions import (
    actable_organization_ids,
    is_department_officer,
    require_act_for,
    require_department_officer,
)
from core.db import utcnow
from core.errors import NotFound, ValidationError
from core.extensions import db
from core.files.models import StoredFile
from core.messages import N_
from core.routing import MAX_ID
from traceability.messages import (
    AT_MOST_100_CHARACTERS,
    AT_MOST_200_CHARACTERS,
    CERTIFICATE_DOCUMENT,
    CERTIFICATE_FIELDS_INVALID,
    CERTIFICATE_NOT_FOUND,
    CERTIFICATE_ORGANIZATION,
    CERTIFICATE_PLOTS,
    CERTIFICATE_RANGE,
    CERTIFICATE_REJECTION_NOTE,
    CERTIFICATE_REJECTION_REASON,
    CERTIFICATE_STATE,
    CERTIFICATE_STATE_INVALID,
    CERTIFICATE_TYPE,
    CERTIFICATE_TYPE_OTHER,
    DATE_REQUIRED,
    FIELD_REQUIRED,
)
from traceability.models import Certificate, CertificatePlot, CertificateType, Plot, VerificationState

TOO_LONG = {100: AT_MOST_100_CHARACTERS, 200: AT_MOST_200_CHARACTERS}
VERIFIED = "certificate.verified"
REJECTED = "certificate.rejected"
AUDIT_ACTIONS = {VERIFIED: N_("Certificate verified"), REJECTED: N_("Certificate rejected")}
TYPE_NAMES = {
    CertificateType.VIETGAP: "VietGAP",
    CertificateType.GLOBALGAP: "GlobalGAP",
    CertificateType.ORGANIC: N_("Organic"),
    CertificateType.RAINFOREST_ALLIANCE: "Rainforest Alliance",
    CertificateType.FAIRTRADE: "Fairtrade",
    CertificateType.OTHER: N_("Other"),
}


def _plots_of(organization_id: int, plot_ids: Iterable[int]) -> list[Plot] | None:
    ids = list(dict.fromkeys(plot_ids))
    if not ids:
        return []
    if any(not 0 < plot_id <= MAX_ID for plot_id in ids):  # names no plot, and the database could not even compare it
        return None
    plots = db.session.scalars(select(Plot).where(Plot.id.in_(ids), Plot.organization_id == organization_id)).all()
    return list(plots) if len(plots) == len(ids) else None


def create_certificate(actor: User, data: dict[str, Any]) -> Certificate:
    """Record a certificate for ``data["organization_id"]``; every bad field named at once."""
    organization_id = data.get("organization_id")
    if not isinstance(organization_id, int):
        raise ValidationError(CERTIFICATE_ORGANIZATION, errors={"organization_id": [FIELD_REQUIRED]})
    require_act_for(actor, organization_id)
    errors: dict[str, list[str]] = {}
    try:
        kind = CertificateType(data.get("type"))
    except ValueError:
        kind = None
        errors["type"] = [CERTIFICATE_TYPE]
    type_other = (data.get("type_other") or "").strip() or None
    if kind is CertificateType.OTHER and not type_other:
        errors["type_other"] = [CERTIFICATE_TYPE_OTHER]
    number = (data.get("number") or "").strip()
    issuer = (data.get("issuer") or "").strip()
    for field, value, limit in (("number", number, 100), ("issuer", issuer, 200)):
        if not value:
            errors[field] = [FIELD_REQUIRED]
        elif len(value) > limit:
            errors[field] = [TOO_LONG[limit]]
    valid_from, valid_to = data.get("valid_from"), data.get("valid_to")
    for field, value in (("valid_from", valid_from), ("valid_to", valid_to)):
        if not isinstance(value, date):
            errors[field] = [DATE_REQUIRED]
    if isinstance(valid_from, date) and isinstance(valid_to, date) and valid_to < valid_from:
        errors["valid_to"] = [CERTIFICATE_RANGE]
    plots = _plots_of(organization_id, data.get("plot_ids") or [])
    if plots is None:
        errors["plot_ids"] = [CERTIFICATE_PLOTS]
    document_id = (data.get("document_id") or "").strip() or None
    if (
        document_id
        and db.session.scalar(
            select(StoredFile.id).where(
                StoredFile.public_id == document_id, StoredFile.organization_id == organization_id
            )
        )
        is None
    ):
        errors["document_id"] = [CERTIFICATE_DOCUMENT]
    if errors:
        raise ValidationError(CERTIFICATE_FIELDS_INVALID, errors=errors)

    certificate = Certificate(
        organization_id=organization_id,
        type=kind,
        type_other=type_other if kind is CertificateType.OTHER else None,
        number=number,
        issuer=issuer,
        valid_from=valid_from,
        valid_to=valid_to,
        document_id=document_id,
        verification=VerificationState.PENDING,
        created_by_id=actor.id,
    )
    certificate.plots = plots or []
    db.session.add(certificate)
    db.session.commit()
    return certificate


def _readable(actor: User | None, certificate: Certificate | None) -> bool:
    if certificate is None or actor is None:
        return False
    return is_department_officer(actor) or certificate.organization_id in actable_organization_ids(actor)


def get_certificate(actor: User | None, certificate_id: int) -> Certificate:
    certificate = db.session.get(Certificate, certificate_id)
    if not _readable(actor, certificate):
        raise NotFound(CERTIFICATE_NOT_FOUND)
    return certificate


def list_certificates(
    actor: User | None,
    *,
    organization_id: int | None = None,
    plot_id: int | None = None,
    verification: str | None = None,
    offset: int = 0,
    limit: int = 20,
) -> tuple[list[Certificate], int]:
    """Certificates of the organizations ``actor`` acts for (all of them for department officers), newest first."""
    statement = select(Certificate)
    if actor is None:
        return [], 0
    if not is_department_officer(actor):
        statement = statement.where(Certificate.organization_id.in_(actable_organization_ids(actor) or {-1}))
    if organization_id is not None:
        statement = statement.where(Certificate.organization_id == organization_id)
    if plot_id is not None:
        statement = statement.where(
            Certificate.id.in_(select(CertificatePlot.certificate_id).where(CertificatePlot.plot_id == plot_id))
        )
    if verification:
        statement = statement.where(Certificate.verification == VerificationState(verification))
    total = db.session.scalar(select(func.count()).select_from(statement.subquery())) or 0
    items = db.session.scalars(statement.order_by(Certificate.id.desc()).limit(limit).offset(offset)).all()
    return list(items), total


def verify_certificate(actor: User, certificate_id: int, state: str, note: str | None = None) -> Certificate:
    """A department officer marks a certificate verified or rejected (a rejection needs a note)."""
    certificate = db.session.get(Certificate, certificate_id)
    if not _readable(actor, certificate):
        raise NotFound(CERTIFICATE_NOT_FOUND)
    require_department_officer(actor)
    if state not in (VerificationState.VERIFIED, VerificationState.REJECTED):
        raise ValidationError(CERTIFICATE_STATE_INVALID, errors={"state": [CERTIFICATE_STATE]})
    note = (note or "").strip() or None
    if state == VerificationState.REJECTED and not note:
        raise ValidationError(CERTIFICATE_REJECTION_REASON, errors={"note": [CERTIFICATE_REJECTION_NOTE]})
    certificate.verification = VerificationState(state)
    certificate.verification_note = note
    certificate.verified_by_id = actor.id
    certificate.verified_at = utcnow()
    audit.record(
        actor,
        VERIFIED if certificate.verification is VerificationState.VERIFIED else REJECTED,
        certificate,
        reason=note,
        details={
            "number": certificate.number,
            "type": certificate.type.value,
            "issuer": certificate.issuer,
            "organization_id": certificate.organization_id,
            "organization_name": db.session.scalar(
                select(Organization.name).where(Organization.id == certificate.organization_id)
            ),
        },
    )
    db.session.commit()
    return certificate


def organization_documents(organization_id: int) -> list[OrganizationDocument]:
    """The organization's certificates, newest first, as the officer's review of it lists them (core's
    document source: the accounts service calling it has checked that an officer reads)."""
    certificates = db.session.scalars(
        select(Certificate).where(Certificate.organization_id == organization_id).order_by(Certificate.id.desc())
    )
    return [
        OrganizationDocument(
            title=certificate.type_other or TYPE_NAMES[certificate.type],
            number=certificate.number,
            issuer=certificate.issuer,
            valid_from=certificate.valid_from,
            valid_to=certificate.valid_to,
            state=certificate.verification.value,
            note=certificate.verification_note,
            file_id=certificate.document_id,
            review_endpoint="traceability.certificate_queue",
        )
        for certificate in certificates
    ]


def certificates_valid_on(plot_ids: Iterable[int], day: date, *, verified_only: bool = False) -> list[Certificate]:
    """Certificates covering any of ``plot_ids`` whose validity includes ``day`` (never rejected ones), by type.

    Pending certificates are included unless ``verified_only``; show their state next to them.
    """
    ids = list(set(plot_ids))
    if not ids:
        return []
    states = [VerificationState.VERIFIED] if verified_only else [VerificationState.VERIFIED, VerificationState.PENDING]
    statement = (
        select(Certificate)
        .where(
            Certificate.id.in_(select(CertificatePlot.certificate_id).where(CertificatePlot.plot_id.in_(ids))),
            Certificate.valid_from <= day,
            Certificate.valid_to >= day,
            Certificate.verification.in_(states),
        )
        .order_by(Certificate.type, Certificate.id)
    )
    return list(db.session.scalars(statement))
