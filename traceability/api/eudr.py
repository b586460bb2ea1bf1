"""The EUDR package of a rubber lot: its plots' GeoJSON for the EU Information System, and the due-diligence
information as JSON and as a PDF.

Three addresses rather than content negotiation on one: each answers one content type, which the OpenAPI
document can say exactly, and a link to the PDF or the GeoJSON works in a browser or a download manager as it is.
"""

from __future__ import annotations

from flask import Response, url_for
from flask.views import MethodView

from core.api import Blueprint
from core.openapi import ProblemSchema
from core.security import api_user
from traceability.schemas.eudr import (
    GEOJSON,
    PROBLEM_JSON,
    DueDiligenceSchema,
    EudrPackageProblemSchema,
    FeatureCollectionSchema,
)
from traceability.services import eudr_package
from traceability.services.eudr_package import DEFORESTATION_CUTOFF, PRODUCER_COUNTRY, DueDiligence
from traceability.services.summaries import product_name

blp = Blueprint("eudr", __name__, description="The EUDR package of a rubber lot: geolocation and due diligence")

WHO = (
    "people acting for the lot's custodian or for the receiver of its open shipment, organizations that received the "
    "lot or a lot made from it, department officers"
)


NOT_RUBBER = "The lot is cashew or pepper (code eudr_not_applicable)"
TOO_LARGE = "or its GeoJSON would be over the EU Information System's 25 MB (code eudr_geojson_too_large)"


def _refusals(conflict: str = NOT_RUBBER):
    """The problems a package address answers, documented as they are sent (application/problem+json)."""

    def document(view):
        for status, schema, description in (
            (401, ProblemSchema, "No valid bearer token"),
            (404, ProblemSchema, f"No such lot that the caller may fetch the package of ({WHO})"),
            (409, EudrPackageProblemSchema, conflict),
        ):
            view = blp.alt_response(status, schema=schema, content_type=PROBLEM_JSON, description=description)(view)
        return view

    return document


def _download(body: bytes, mimetype: str, filename: str) -> Response:
    response = Response(body, mimetype=mimetype)
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _describe(package: DueDiligence) -> dict:
    batch, state = package.batch, package.readiness
    return {
        "code": batch.code,
        "commodity": batch.commodity,
        "product": batch.product,
        "product_name": product_name(batch.product),
        "grade": batch.grade,
        "hs_code": package.hs_code,
        "hs_description": str(package.hs_description),
        "quantity": package.net_mass_kg,
        "initial_quantity": package.initial_mass_kg,
        "unit": "kg",
        "drc_percent": batch.drc_percent,
        "harvest_start": package.harvest_start,
        "harvest_end": package.harvest_end,
        "country_of_production": PRODUCER_COUNTRY,
        "deforestation_cutoff": DEFORESTATION_CUTOFF,
        "operator": {
            "id": package.operator.id,
            "name": package.operator.name,
            "commune_code": package.operator.commune_code,
            "commune": package.operator_commune,
        },
        "unknown_origin": batch.unknown_origin,
        "plots": [
            {
                "id": p.plot.id,
                "name": p.plot.name,
                "producer_id": p.plot.organization_id,
                "producer_name": p.producer_name,
                "commune_code": p.plot.commune_code,
                "commune": p.commune,
                "production_place": p.production_place,
                "area_ha": p.plot.area_ha,
                "geometry_type": p.plot.geometry_type,
                "deforestation_free": p.plot.deforestation_free,
                "declared_at": p.plot.deforestation_declared_at if p.plot.deforestation_free else None,
                "eudr_ready": p.ready,
                "problems": [str(problem.message) for problem in p.problems],
            }
            for p in package.plots
        ],
        "declarations": [
            {
                "plot_id": p.plot.id,
                "plot_name": p.plot.name,
                "declared_at": p.plot.deforestation_declared_at,
                "declared_by_id": p.plot.deforestation_declared_by_id,
            }
            for p in package.declared_plots
        ],
        "eudr_ready": bool(state.ready),
        "reasons": state.reasons,
        "problems": [
            {"plot_id": p.plot_id, "plot_name": p.plot_name, "message": str(p.message)} for p in state.problems
        ],
        "geojson_url": url_for("eudr.BatchEudrGeojson", code=batch.code),
        "pdf_url": url_for("eudr.BatchDueDiligencePdf", code=batch.code),
    }


@blp.route("/batches/<code>/eudr.geojson")
class BatchEudrGeojson(MethodView):
    @blp.authenticated
    @blp.response(
        200,
        FeatureCollectionSchema,
        content_type=GEOJSON,
        description="The origin plots as an RFC 7946 FeatureCollection (UTF-8), sent as a download",
    )
    @_refusals(f"{NOT_RUBBER}, {TOO_LARGE}")
    def get(self, code):
        """The lot's origin plots for the EU Information System: one Feature per plot, as stored.

        Coordinates are WGS84 [longitude, latitude], never rounded; properties are ProducerName, ProducerCountry
        (VN), ProductionPlace (plot, commune, province) and Area (ha). A plot's geometry is sent as it was recorded:
        a point (allowed up to 4 ha) or its boundary; a plot over 4 ha with only a point is still sent, and the
        due diligence says why the lot is then not ready. A plot with no geolocation has no feature. The file is
        sent whether or not the lot is EUDR-ready: the verdict is in /due-diligence.
        """
        batch, body = eudr_package.geojson(api_user(), code)
        return _download(body, GEOJSON, f"eudr-{batch.code}.geojson")


@blp.route("/batches/<code>/due-diligence")
class BatchDueDiligence(MethodView):
    @blp.authenticated
    @blp.response(200, DueDiligenceSchema)
    @_refusals()
    def get(self, code):
        """What a due diligence statement asks of a rubber lot: HS code, net mass, harvest period, origin plots and
        their declarations, the operator, and whether the lot is EUDR-ready with every reason it is not."""
        return _describe(eudr_package.due_diligence(api_user(), code))


@blp.route("/batches/<code>/due-diligence.pdf")
class BatchDueDiligencePdf(MethodView):
    @blp.authenticated
    @blp.response(
        200,
        {"type": "string", "format": "binary"},
        content_type="application/pdf",
        description="The due-diligence information (PDF), in the caller's language (lang, Accept-Language)",
    )
    @_refusals()
    def get(self, code):
        """The due-diligence information as a PDF for people: the lot, its plots, declarations and verdict."""
        batch, body = eudr_package.due_diligence_pdf(api_user(), code)
        return _download(body, "application/pdf", f"due-diligence-{batch.code}.pdf")
