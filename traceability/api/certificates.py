"""Certificates covering plots, and their verification by the department."""

from __future__ import annotations

from flask.views import MethodView

from core.api import Blueprint
from core.security import current_actor
from traceability.schemas.plots import (
    CertificateCreateSchema,
    CertificateQuerySchema,
    CertificateSchema,
    CertificateVerificationSchema,
)
from traceability.services import certificates as certificate_service

blp = Blueprint(
    "certificates", __name__, description="Certificates (VietGAP, GlobalGAP, organic, ...) and their verification"
)


@blp.route("/certificates")
class Certificates(MethodView):
    @blp.authenticated
    @blp.arguments(CertificateQuerySchema, location="query")
    @blp.response(200, CertificateSchema(many=True))
    @blp.paginate()
    def get(self, args, pagination_parameters):
        """Certificates of the caller's organizations (all of them for department officers)"""
        p = pagination_parameters
        items, p.item_count = certificate_service.list_certificates(
            current_actor(), **args, offset=p.first_item, limit=p.page_size
        )
        return items

    @blp.authenticated
    @blp.arguments(CertificateCreateSchema)
    @blp.response(201, CertificateSchema)
    def post(self, data):
        """Record a certificate for plots of one organization; it waits for the department's verification

        `document_id` is the `id` of a photo of the certificate uploaded with POST /api/v1/photos.
        """
        return certificate_service.create_certificate(current_actor(), data)


@blp.route("/certificates/<int:certificate_id>")
class CertificateById(MethodView):
    @blp.authenticated
    @blp.response(200, CertificateSchema)
    def get(self, certificate_id):
        """One certificate"""
        return certificate_service.get_certificate(current_actor(), certificate_id)


@blp.route("/certificates/<int:certificate_id>/verification")
class CertificateVerification(MethodView):
    @blp.authenticated
    @blp.arguments(CertificateVerificationSchema)
    @blp.response(200, CertificateSchema)
    def post(self, data, certificate_id):
        """Verify or reject a certificate (department officers; a rejection needs a note)"""
        return certificate_service.verify_certificate(current_actor(), certificate_id, data["state"], data.get("note"))
